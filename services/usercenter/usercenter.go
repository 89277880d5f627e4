// Package usercenter runs the usercenter service: user accounts, their passwords and profiles.
//
// It serves looklook.usercenter.v1.UserService over Connect, gRPC and gRPC-Web. It never mints
// tokens: the BFF asks identity for them after Register or Login succeeds here. cmd/usercenter
// runs it alone; cmd/looklook runs it beside every other service in one process.
package usercenter

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/redis/go-redis/v9"

	usercenterv1 "github.com/looklook/looklook/gen/looklook/usercenter/v1"
	"github.com/looklook/looklook/gen/looklook/usercenter/v1/usercenterv1connect"
	"github.com/looklook/looklook/platform/cache"
	"github.com/looklook/looklook/platform/config"
	"github.com/looklook/looklook/platform/server"
	"github.com/looklook/looklook/platform/telemetry"
	"github.com/looklook/looklook/services/usercenter/internal/app"
	"github.com/looklook/looklook/services/usercenter/internal/lockout"
	"github.com/looklook/looklook/services/usercenter/internal/password"
	userserver "github.com/looklook/looklook/services/usercenter/internal/server"
	"github.com/looklook/looklook/services/usercenter/internal/store"
)

// Config configures Run. Zero numeric fields take the documented defaults.
type Config struct {
	// Addr is the TCP address to listen on (LOOKLOOK_LISTEN_ADDR, default ":8082"). Ignored
	// when Listener is set.
	Addr string
	// Listener, when set, is used instead of listening on Addr; the all-in-one launcher opens
	// loopback listeners first so it knows every address before anything starts.
	Listener net.Listener
	// Telemetry, when set, is shared with the rest of the process (the all-in-one launcher);
	// otherwise Run sets up its own, exporting spans to OTEL_EXPORTER_OTLP_ENDPOINT when set.
	Telemetry *telemetry.Telemetry
	// MetricsAddr serves Prometheus metrics at /metrics when Telemetry is not shared
	// (LOOKLOOK_METRICS_ADDR, e.g. ":9090"; default off).
	MetricsAddr string
	// DatabaseURL is postgres://… or sqlite:PATH (LOOKLOOK_DATABASE_URL, default
	// "sqlite:./.looklook/usercenter.db"). A SQLite file's directory is created if missing.
	DatabaseURL string
	// RedisURL, when set, keeps the sign-in failure counters in Redis, shared by every instance
	// (LOOKLOOK_REDIS_URL, such as "redis://localhost:6379/0"). Empty keeps them in memory.
	RedisURL string
	// RedisKeyPrefix starts every Redis key and channel this service uses
	// (LOOKLOOK_REDIS_KEY_PREFIX, default "looklook:"), so several deployments or test runs can
	// share one Redis.
	RedisKeyPrefix string
	// CacheL1Items bounds the in-process user cache in entries (LOOKLOOK_CACHE_L1_ITEMS; 0, the
	// default, means the cache's default of 100,000; negative disables it).
	CacheL1Items int64
	// CacheMetrics, when set, exports the user cache's counters; nil exports none.
	CacheMetrics *cache.Metrics
	// PasswordParams are the argon2id costs for new password hashes. Existing hashes keep the
	// costs they were made with and are upgraded at the user's next successful sign-in.
	PasswordParams PasswordParams
	// LoginMaxFailuresPerMobile is how many failed sign-ins lock a mobile number until its
	// window ends (LOOKLOOK_LOGIN_MAX_FAILURES_PER_MOBILE, default 5).
	LoginMaxFailuresPerMobile int
	// LoginMaxFailuresPerClient is how many failed sign-ins from one client address, across all
	// mobile numbers, lock that client until its window ends
	// (LOOKLOOK_LOGIN_MAX_FAILURES_PER_CLIENT, default 20).
	LoginMaxFailuresPerClient int
	// LoginFailureWindow is how long failures are counted, from the first one, and so the
	// longest a lock-out lasts (LOOKLOOK_LOGIN_FAILURE_WINDOW, default 15m, at least 1s).
	LoginFailureWindow time.Duration
}

// PasswordParams are argon2id's cost parameters. The defaults are OWASP's minimum.
type PasswordParams struct {
	// MemoryKiB is the memory per hash in KiB (LOOKLOOK_ARGON2_MEMORY_KIB, default 19456).
	MemoryKiB uint32
	// Time is the number of passes (LOOKLOOK_ARGON2_TIME, default 2).
	Time uint32
	// Threads is the parallelism (LOOKLOOK_ARGON2_THREADS, default 1).
	Threads uint8
}

// Defaults.
const (
	defaultAddr                 = ":8082"
	defaultDatabaseURL          = "sqlite:./.looklook/usercenter.db"
	defaultMaxFailuresPerMobile = 5
	defaultMaxFailuresPerClient = 20
	defaultFailureWindow        = 15 * time.Minute
)

// ConfigFromEnv reads the LOOKLOOK_* variables documented on Config. Invalid values are
// recorded in env; the caller checks env.Err().
func ConfigFromEnv(env *config.Env) Config {
	def := password.DefaultParams()
	cfg := Config{
		Addr:           env.String("LOOKLOOK_LISTEN_ADDR", defaultAddr),
		MetricsAddr:    env.String("LOOKLOOK_METRICS_ADDR", ""),
		DatabaseURL:    env.String("LOOKLOOK_DATABASE_URL", defaultDatabaseURL),
		RedisURL:       env.String("LOOKLOOK_REDIS_URL", ""),
		RedisKeyPrefix: env.String("LOOKLOOK_REDIS_KEY_PREFIX", "looklook:"),
		CacheL1Items:   int64(env.Int("LOOKLOOK_CACHE_L1_ITEMS", 0)),
		PasswordParams: PasswordParams{
			MemoryKiB: uint32(positive(env, "LOOKLOOK_ARGON2_MEMORY_KIB", int(def.MemoryKiB), 1<<21)),
			Time:      uint32(positive(env, "LOOKLOOK_ARGON2_TIME", int(def.Time), 64)),
			Threads:   uint8(positive(env, "LOOKLOOK_ARGON2_THREADS", int(def.Threads), 255)),
		},
		LoginMaxFailuresPerMobile: positive(env, "LOOKLOOK_LOGIN_MAX_FAILURES_PER_MOBILE", defaultMaxFailuresPerMobile, 1_000_000),
		LoginMaxFailuresPerClient: positive(env, "LOOKLOOK_LOGIN_MAX_FAILURES_PER_CLIENT", defaultMaxFailuresPerClient, 1_000_000),
		LoginFailureWindow:        env.Duration("LOOKLOOK_LOGIN_FAILURE_WINDOW", defaultFailureWindow),
	}
	if err := cfg.PasswordParams.params().Validate(); err != nil {
		env.Fail("LOOKLOOK_ARGON2_MEMORY_KIB", "%v", err)
	}
	if cfg.LoginFailureWindow < time.Second {
		env.Fail("LOOKLOOK_LOGIN_FAILURE_WINDOW", "%s is shorter than 1s", cfg.LoginFailureWindow)
	}
	if cfg.RedisURL != "" {
		if _, err := redis.ParseURL(cfg.RedisURL); err != nil {
			env.Fail("LOOKLOOK_REDIS_URL", "not a Redis URL such as redis://localhost:6379/0: %v", err)
		}
	}
	return cfg
}

// positive reads an integer variable that must lie in [1, maxValue].
func positive(env *config.Env, name string, def, maxValue int) int {
	n := env.Int(name, def)
	if n < 1 || n > maxValue {
		env.Fail(name, "%d is outside 1..%d", n, maxValue)
		return def
	}
	return n
}

func (p PasswordParams) params() password.Params {
	return password.Params{MemoryKiB: p.MemoryKiB, Time: p.Time, Threads: p.Threads}
}

// withDefaults fills zero fields, so a Config built in code needs only what it changes.
func (c Config) withDefaults() Config {
	if c.Addr == "" && c.Listener == nil {
		c.Addr = defaultAddr
	}
	if c.DatabaseURL == "" {
		c.DatabaseURL = defaultDatabaseURL
	}
	if c.RedisKeyPrefix == "" {
		c.RedisKeyPrefix = "looklook:"
	}
	def := password.DefaultParams()
	if c.PasswordParams.MemoryKiB == 0 {
		c.PasswordParams.MemoryKiB = def.MemoryKiB
	}
	if c.PasswordParams.Time == 0 {
		c.PasswordParams.Time = def.Time
	}
	if c.PasswordParams.Threads == 0 {
		c.PasswordParams.Threads = def.Threads
	}
	if c.LoginMaxFailuresPerMobile == 0 {
		c.LoginMaxFailuresPerMobile = defaultMaxFailuresPerMobile
	}
	if c.LoginMaxFailuresPerClient == 0 {
		c.LoginMaxFailuresPerClient = defaultMaxFailuresPerClient
	}
	if c.LoginFailureWindow == 0 {
		c.LoginFailureWindow = defaultFailureWindow
	}
	return c
}

// Run serves usercenter until ctx is done, then shuts down gracefully and returns nil. It
// creates or migrates the database schema before serving.
func Run(ctx context.Context, cfg Config, logger *slog.Logger) error {
	cfg = cfg.withDefaults()
	params := cfg.PasswordParams.params()
	if err := params.Validate(); err != nil {
		return fmt.Errorf("usercenter: %w", err)
	}
	if cfg.LoginMaxFailuresPerMobile < 0 || cfg.LoginMaxFailuresPerClient < 0 || cfg.LoginFailureWindow < time.Second {
		return errors.New("usercenter: login failure limits must be positive and the window at least 1s")
	}

	tel, stopTelemetry, err := telemetry.ForProgram(ctx, cfg.Telemetry, "usercenter", true, cfg.MetricsAddr, logger)
	if err != nil {
		return fmt.Errorf("usercenter: telemetry: %w", err)
	}
	defer stopTelemetry()
	if cfg.CacheMetrics == nil {
		cfg.CacheMetrics = cache.NewMetrics(tel.Registry())
	}
	plain, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return fmt.Errorf("usercenter: %w", err)
	}

	policy := lockout.Policy{
		MaxPerMobile: cfg.LoginMaxFailuresPerMobile,
		MaxPerClient: cfg.LoginMaxFailuresPerClient,
		Window:       cfg.LoginFailureWindow,
	}
	var limiter app.Limiter = lockout.NewMemory(policy)
	cacheOpts := cache.Options[*usercenterv1.User]{
		KeyPrefix:  cfg.RedisKeyPrefix,
		L1MaxItems: cfg.CacheL1Items,
		Logger:     logger,
		Metrics:    cfg.CacheMetrics,
	}
	if cfg.RedisURL != "" {
		rdb, err := newRedis(ctx, cfg.RedisURL, logger)
		if err != nil {
			_ = plain.Close()
			return fmt.Errorf("usercenter: %w", err)
		}
		defer rdb.Close()
		limiter = lockout.NewRedis(rdb, cfg.RedisKeyPrefix+"usercenter:loginfail:", policy, logger)
		cacheRedis, err := cache.NewRedisClient(cfg.RedisURL)
		if err != nil {
			_ = plain.Close()
			return fmt.Errorf("usercenter: %w", err)
		}
		defer cacheRedis.Close()
		cacheOpts.Redis = cacheRedis
	}
	st, err := store.NewCached(ctx, plain, cacheOpts)
	if err != nil {
		_ = plain.Close()
		return fmt.Errorf("usercenter: %w", err)
	}
	defer st.Close()

	svc, err := app.New(st, limiter, params, logger)
	if err != nil {
		return fmt.Errorf("usercenter: %w", err)
	}
	path, handler := usercenterv1connect.NewUserServiceHandler(userserver.New(svc), server.HandlerOptions(logger, server.Interceptors{Tracing: tel.Interceptor()})...)
	return server.Run(ctx, server.Options{
		Name:     "usercenter",
		Addr:     cfg.Addr,
		Listener: cfg.Listener,
		Logger:   logger,
		Services: []server.Service{{Name: usercenterv1connect.UserServiceName, Path: path, Handler: handler}},
	})
}

// newRedis returns a client with short timeouts: Redis only holds sign-in counters here, and a
// slow Redis must make sign-in fall back to memory quickly, not hang. An unreachable Redis at
// start is logged, not fatal, for the same reason.
func newRedis(ctx context.Context, rawURL string, logger *slog.Logger) (*redis.Client, error) {
	opts, err := redis.ParseURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("parse LOOKLOOK_REDIS_URL: %w", err)
	}
	opts.DialTimeout = 500 * time.Millisecond
	opts.ReadTimeout = 500 * time.Millisecond
	opts.WriteTimeout = 500 * time.Millisecond
	opts.ContextTimeoutEnabled = true
	opts.MaxRetries = 1
	opts.DialerRetries = 1
	rdb := redis.NewClient(opts)
	pingCtx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	if err := rdb.Ping(pingCtx).Err(); err != nil {
		logger.WarnContext(ctx, "redis unreachable; sign-in failures are counted in memory until it answers", "error", err)
	}
	return rdb, nil
}
