// Package bff is looklook's public API: the backend for the frontend that browsers reach through
// Connect-Web and developers through grpcurl. It authenticates callers, enforces roles, and
// composes the internal identity, usercenter and travel services.
package bff

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"connectrpc.com/connect"
	connectcors "connectrpc.com/cors"
	"github.com/rs/cors"

	"github.com/looklook/looklook/bff/internal/account"
	"github.com/looklook/looklook/bff/internal/admin"
	"github.com/looklook/looklook/bff/internal/auth"
	"github.com/looklook/looklook/bff/internal/business"
	"github.com/looklook/looklook/bff/internal/comment"
	"github.com/looklook/looklook/bff/internal/downstream"
	"github.com/looklook/looklook/bff/internal/homestay"
	"github.com/looklook/looklook/bff/internal/landlord"
	"github.com/looklook/looklook/gen/looklook/bff/v1/bffv1connect"
	"github.com/looklook/looklook/platform/config"
	"github.com/looklook/looklook/platform/rpcclient"
	"github.com/looklook/looklook/platform/server"
	"github.com/looklook/looklook/platform/telemetry"
	"github.com/looklook/looklook/web"
)

// Config configures the BFF.
type Config struct {
	// Addr is the public listen address (LOOKLOOK_ADDR, default ":8080").
	Addr string
	// Listener, when set, is used instead of listening on Addr.
	Listener net.Listener
	// Telemetry, when set, is shared with the rest of the process (the all-in-one launcher);
	// otherwise Run sets up its own, exporting spans to OTEL_EXPORTER_OTLP_ENDPOINT when set.
	Telemetry *telemetry.Telemetry
	// MetricsAddr serves Prometheus metrics at /metrics when Telemetry is not shared
	// (LOOKLOOK_METRICS_ADDR, e.g. ":9090"; default off).
	MetricsAddr string
	// IdentityURL is the identity service's base URL (LOOKLOOK_IDENTITY_URL, default http://127.0.0.1:8081).
	IdentityURL string
	// UserCenterURL is the usercenter service's base URL (LOOKLOOK_USERCENTER_URL, default http://127.0.0.1:8082).
	UserCenterURL string
	// TravelURL is the travel service's base URL (LOOKLOOK_TRAVEL_URL, default http://127.0.0.1:8083).
	TravelURL string
	// CORSOrigins are the browser origins allowed to call the API (LOOKLOOK_CORS_ORIGINS,
	// comma-separated; default the launcher's own origin and Vite's dev server). "*" allows any.
	CORSOrigins []string
	// AdminMobiles are the mobile numbers whose users get the admin role (LOOKLOOK_ADMIN_MOBILES,
	// comma-separated; default none).
	AdminMobiles []string
	// ClientIPHeader names a header set by a trusted proxy with the client's address, such as
	// X-Forwarded-For (LOOKLOOK_CLIENT_IP_HEADER; default none: the peer address is used).
	// Only set it behind a proxy that overwrites the header, or clients can evade rate limits.
	ClientIPHeader string
	// CallTimeout bounds each call to an internal service (LOOKLOOK_CALL_TIMEOUT, default 3s).
	CallTimeout time.Duration
	// RevocationPollInterval is how often revoked sessions are fetched from identity
	// (LOOKLOOK_REVOCATION_POLL_INTERVAL, default 500ms): Logout takes effect on every
	// instance within about this long.
	RevocationPollInterval time.Duration
	// WebApp serves the embedded browser app at "/" (LOOKLOOK_WEB_APP, default true). API paths
	// are never shadowed by it: Connect's routes are more specific.
	WebApp bool
	// Routes are extra HTTP handlers by mux pattern.
	Routes map[string]http.Handler
	// StartupTimeout bounds waiting for identity's verification keys at start (default 30s).
	StartupTimeout time.Duration
	// HTTPClient, when set, carries the calls to internal services instead of the default h2c
	// client; tests use it to count calls.
	HTTPClient *http.Client
}

// ConfigFromEnv reads the BFF's configuration; check env.Err() afterwards.
func ConfigFromEnv(env *config.Env) Config {
	cfg := Config{
		Addr:                   env.String("LOOKLOOK_ADDR", ":8080"),
		MetricsAddr:            env.String("LOOKLOOK_METRICS_ADDR", ""),
		IdentityURL:            env.String("LOOKLOOK_IDENTITY_URL", "http://127.0.0.1:8081"),
		UserCenterURL:          env.String("LOOKLOOK_USERCENTER_URL", "http://127.0.0.1:8082"),
		TravelURL:              env.String("LOOKLOOK_TRAVEL_URL", "http://127.0.0.1:8083"),
		CORSOrigins:            env.List("LOOKLOOK_CORS_ORIGINS", DefaultCORSOrigins()),
		AdminMobiles:           env.List("LOOKLOOK_ADMIN_MOBILES", nil),
		ClientIPHeader:         env.String("LOOKLOOK_CLIENT_IP_HEADER", ""),
		CallTimeout:            env.Duration("LOOKLOOK_CALL_TIMEOUT", 3*time.Second),
		RevocationPollInterval: env.Duration("LOOKLOOK_REVOCATION_POLL_INTERVAL", 500*time.Millisecond),
		WebApp:                 env.Bool("LOOKLOOK_WEB_APP", true),
	}
	if cfg.CallTimeout <= 0 {
		env.Fail("LOOKLOOK_CALL_TIMEOUT", "must be positive")
	}
	if cfg.RevocationPollInterval <= 0 || cfg.RevocationPollInterval > time.Second {
		env.Fail("LOOKLOOK_REVOCATION_POLL_INTERVAL", "must be between 1ms and 1s so logout takes effect within a second")
	}
	return cfg
}

// DefaultCORSOrigins are the origins allowed when LOOKLOOK_CORS_ORIGINS is unset.
func DefaultCORSOrigins() []string {
	return []string{"http://localhost:8080", "http://127.0.0.1:8080", "http://localhost:5173"}
}

// Run serves the public API until ctx is done.
func Run(ctx context.Context, cfg Config, logger *slog.Logger) error {
	if cfg.CallTimeout == 0 {
		cfg.CallTimeout = 3 * time.Second
	}
	if cfg.StartupTimeout == 0 {
		cfg.StartupTimeout = 30 * time.Second
	}
	// The BFF is public: incoming trace context is linked, not trusted, so each request starts
	// its own trace, which then spans every internal call.
	tel, stopTelemetry, err := telemetry.ForProgram(ctx, cfg.Telemetry, "bff", false, cfg.MetricsAddr, logger)
	if err != nil {
		return fmt.Errorf("bff: telemetry: %w", err)
	}
	defer stopTelemetry()
	httpClient := cfg.HTTPClient
	if httpClient == nil {
		httpClient = rpcclient.NewHTTPClient()
	}
	clients := downstream.New(httpClient, downstream.URLs{
		Identity: cfg.IdentityURL, UserCenter: cfg.UserCenterURL, Travel: cfg.TravelURL,
	}, cfg.CallTimeout, connect.WithInterceptors(tel.Interceptor()))

	policies := map[string]auth.Policy{}
	for _, p := range []map[string]auth.Policy{
		account.Policies(), homestay.Policies(), business.Policies(),
		comment.Policies(), landlord.Policies(), admin.Policies(),
	} {
		for k, v := range p {
			policies[k] = v
		}
	}
	startCtx, cancel := context.WithTimeout(ctx, cfg.StartupTimeout)
	authn, err := auth.New(startCtx, auth.Options{
		Identity:     clients.Identity,
		Policies:     policies,
		PollInterval: cfg.RevocationPollInterval,
		Logger:       logger,
	})
	cancel()
	if err != nil {
		return fmt.Errorf("bff: %w", err)
	}
	go authn.Run(ctx)

	opts := server.HandlerOptions(logger, server.Interceptors{Tracing: tel.PublicInterceptor(), Auth: authn.Interceptor()})
	var services []server.Service
	add := func(name, path string, h http.Handler) {
		services = append(services, server.Service{Name: name, Path: path, Handler: h})
	}
	path, h := bffv1connect.NewAccountServiceHandler(account.New(clients, authn, account.Options{
		AdminMobiles: cfg.AdminMobiles, ClientIPHeader: cfg.ClientIPHeader,
	}, logger), opts...)
	add(bffv1connect.AccountServiceName, path, h)
	path, h = bffv1connect.NewHomestayServiceHandler(homestay.New(clients, logger), opts...)
	add(bffv1connect.HomestayServiceName, path, h)
	path, h = bffv1connect.NewBusinessServiceHandler(business.New(clients, logger), opts...)
	add(bffv1connect.BusinessServiceName, path, h)
	path, h = bffv1connect.NewCommentServiceHandler(comment.New(clients, logger), opts...)
	add(bffv1connect.CommentServiceName, path, h)
	path, h = bffv1connect.NewLandlordServiceHandler(landlord.New(clients, logger), opts...)
	add(bffv1connect.LandlordServiceName, path, h)
	path, h = bffv1connect.NewAdminServiceHandler(admin.New(clients), opts...)
	add(bffv1connect.AdminServiceName, path, h)

	routes := map[string]http.Handler{}
	if cfg.WebApp {
		routes["/"] = web.Handler()
	}
	for pattern, h := range cfg.Routes {
		routes[pattern] = h
	}
	return server.Run(ctx, server.Options{
		Name:     "bff",
		Addr:     cfg.Addr,
		Listener: cfg.Listener,
		Logger:   logger,
		Services: services,
		Routes:   routes,
		Wrap:     corsWrapper(cfg.CORSOrigins),
	})
}

// corsWrapper lets the allowed browser origins call the API with the Connect, gRPC-Web and
// Authorization headers, and read the headers Connect and gRPC-Web answer with.
func corsWrapper(origins []string) func(http.Handler) http.Handler {
	c := cors.New(cors.Options{
		AllowedOrigins: origins,
		AllowedMethods: connectcors.AllowedMethods(),
		AllowedHeaders: append(connectcors.AllowedHeaders(), "Authorization"),
		ExposedHeaders: connectcors.ExposedHeaders(),
		MaxAge:         7200,
	})
	return c.Handler
}
