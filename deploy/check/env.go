package check

// AllowedEnv returns, per program, every environment variable the program
// reads: the single list the manifest checks use. It must match the
// programs' ConfigFromEnv (services/<name>/<name>.go, bff/bff.go) plus
// PlatformEnv; TestAllowedEnvMatchesPrograms reads those functions and fails
// when the two drift apart. A manifest that sets anything else configures
// nothing, which is a bug.
func AllowedEnv() map[string]map[string]bool {
	programs := map[string][]string{
		"identity": {
			"LOOKLOOK_LISTEN_ADDR",
			"LOOKLOOK_DATABASE_URL",
			"LOOKLOOK_SIGNING_KEY",
			"LOOKLOOK_SIGNING_KEY_FILE",
			"LOOKLOOK_ACCESS_TOKEN_TTL",
			"LOOKLOOK_REFRESH_TOKEN_TTL",
		},
		"usercenter": {
			"LOOKLOOK_LISTEN_ADDR",
			"LOOKLOOK_DATABASE_URL",
			"LOOKLOOK_REDIS_URL",
			"LOOKLOOK_REDIS_KEY_PREFIX",
			"LOOKLOOK_ARGON2_MEMORY_KIB",
			"LOOKLOOK_ARGON2_TIME",
			"LOOKLOOK_ARGON2_THREADS",
			"LOOKLOOK_LOGIN_MAX_FAILURES_PER_MOBILE",
			"LOOKLOOK_LOGIN_MAX_FAILURES_PER_CLIENT",
			"LOOKLOOK_LOGIN_FAILURE_WINDOW",
			"LOOKLOOK_CACHE_L1_ITEMS",
		},
		"travel": {
			"LOOKLOOK_LISTEN_ADDR",
			"LOOKLOOK_DATABASE_URL",
			"LOOKLOOK_REDIS_URL",
			"LOOKLOOK_REDIS_KEY_PREFIX",
			"LOOKLOOK_CACHE_L1_ITEMS",
			"LOOKLOOK_PAGE_TOKEN_KEY",
			"LOOKLOOK_SEED_DEMO",
			"LOOKLOOK_DEMO_LANDLORD_IDS",
			"LOOKLOOK_DEMO_GUEST_IDS",
			"LOOKLOOK_DEMO_USERCENTER_URL",
		},
		"bff": {
			"LOOKLOOK_ADDR",
			"LOOKLOOK_IDENTITY_URL",
			"LOOKLOOK_USERCENTER_URL",
			"LOOKLOOK_TRAVEL_URL",
			"LOOKLOOK_CORS_ORIGINS",
			"LOOKLOOK_ADMIN_MOBILES",
			"LOOKLOOK_CLIENT_IP_HEADER",
			"LOOKLOOK_CALL_TIMEOUT",
			"LOOKLOOK_REVOCATION_POLL_INTERVAL",
			"LOOKLOOK_WEB_APP",
		},
	}
	out := make(map[string]map[string]bool, len(programs))
	for program, names := range programs {
		out[program] = nameSet(append(names, PlatformEnv()...)...)
	}
	return out
}

// PlatformEnv lists the variables every program reads through the platform
// (metrics and tracing) rather than its own ConfigFromEnv.
func PlatformEnv() []string {
	return []string{
		"LOOKLOOK_METRICS_ADDR",
		"OTEL_EXPORTER_OTLP_ENDPOINT",
		"OTEL_SERVICE_NAME",
	}
}

func nameSet(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}
