// Package identity is the identity service: it starts sessions, signs Ed25519 access tokens,
// rotates refresh tokens with reuse detection, revokes sessions and publishes what verifiers need
// (public keys and a revocation feed). Run serves it; cmd/identity and the all-in-one launcher
// call Run.
package identity

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/looklook/looklook/gen/looklook/identity/v1/identityv1connect"
	"github.com/looklook/looklook/platform/authtoken"
	"github.com/looklook/looklook/platform/config"
	"github.com/looklook/looklook/platform/server"
	"github.com/looklook/looklook/platform/telemetry"
	"github.com/looklook/looklook/services/identity/internal/app"
	identityserver "github.com/looklook/looklook/services/identity/internal/server"
	"github.com/looklook/looklook/services/identity/internal/store"
)

// Config configures the identity service.
type Config struct {
	// Addr is the TCP address to serve on (LOOKLOOK_LISTEN_ADDR, default ":8081"). Ignored when
	// Listener is set.
	Addr string
	// Listener, when set, is served instead of listening on Addr; the all-in-one launcher opens
	// loopback listeners before starting anything.
	Listener net.Listener
	// Telemetry, when set, is shared with the rest of the process (the all-in-one launcher);
	// otherwise Run sets up its own, exporting spans to OTEL_EXPORTER_OTLP_ENDPOINT when set.
	Telemetry *telemetry.Telemetry
	// MetricsAddr serves Prometheus metrics at /metrics when Telemetry is not shared
	// (LOOKLOOK_METRICS_ADDR, e.g. ":9090"; default off).
	MetricsAddr string
	// DatabaseURL is where sessions are kept (LOOKLOOK_DATABASE_URL): postgres://... or
	// sqlite:PATH, default "sqlite:./.looklook/identity.db".
	DatabaseURL string
	// SigningKey signs access tokens. ConfigFromEnv reads it from LOOKLOOK_SIGNING_KEY (the
	// standard base64 of a 32-byte Ed25519 seed) or, when that is unset, from the key file
	// LOOKLOOK_SIGNING_KEY_FILE (default "./.looklook/identity-signing.key"), creating the file
	// with a new key on first start. Every identity instance must share it.
	SigningKey ed25519.PrivateKey
	// AccessTokenTTL is how long an access token is accepted (LOOKLOOK_ACCESS_TOKEN_TTL, default
	// 15m). It bounds how long a verifier that misses revocations keeps accepting a revoked
	// session.
	AccessTokenTTL time.Duration
	// RefreshTokenTTL is how long an unused refresh token stays valid, and so how long an idle
	// session survives (LOOKLOOK_REFRESH_TOKEN_TTL, default 720h).
	RefreshTokenTTL time.Duration
}

// Default configuration values, chosen to work on a laptop.
const (
	DefaultAddr            = ":8081"
	DefaultDatabaseURL     = "sqlite:./.looklook/identity.db"
	DefaultSigningKeyFile  = "./.looklook/identity-signing.key"
	DefaultAccessTokenTTL  = 15 * time.Minute
	DefaultRefreshTokenTTL = 720 * time.Hour
)

// ConfigFromEnv reads the configuration from LOOKLOOK_* variables with laptop defaults, loading
// or creating the signing key as described at Config.SigningKey. Problems are recorded in env;
// the caller checks env.Err(). Key material never appears in an error.
func ConfigFromEnv(env *config.Env) Config {
	cfg := Config{
		Addr:            env.String("LOOKLOOK_LISTEN_ADDR", DefaultAddr),
		MetricsAddr:     env.String("LOOKLOOK_METRICS_ADDR", ""),
		DatabaseURL:     env.String("LOOKLOOK_DATABASE_URL", DefaultDatabaseURL),
		AccessTokenTTL:  env.Duration("LOOKLOOK_ACCESS_TOKEN_TTL", DefaultAccessTokenTTL),
		RefreshTokenTTL: env.Duration("LOOKLOOK_REFRESH_TOKEN_TTL", DefaultRefreshTokenTTL),
	}
	if seed := env.String("LOOKLOOK_SIGNING_KEY", ""); seed != "" {
		key, err := authtoken.ParseKey(seed)
		if err != nil {
			env.Fail("LOOKLOOK_SIGNING_KEY", "%v", err)
		}
		cfg.SigningKey = key
	} else {
		path := env.String("LOOKLOOK_SIGNING_KEY_FILE", DefaultSigningKeyFile)
		key, err := authtoken.LoadOrCreateKey(path)
		if err != nil {
			env.Fail("LOOKLOOK_SIGNING_KEY_FILE", "%v", err)
		}
		cfg.SigningKey = key
	}
	if cfg.AccessTokenTTL <= 0 {
		env.Fail("LOOKLOOK_ACCESS_TOKEN_TTL", "must be positive")
	}
	if cfg.RefreshTokenTTL <= 0 {
		env.Fail("LOOKLOOK_REFRESH_TOKEN_TTL", "must be positive")
	}
	if cfg.AccessTokenTTL > 0 && cfg.RefreshTokenTTL > 0 && cfg.AccessTokenTTL >= cfg.RefreshTokenTTL {
		env.Fail("LOOKLOOK_ACCESS_TOKEN_TTL", "%s must be shorter than LOOKLOOK_REFRESH_TOKEN_TTL (%s)",
			cfg.AccessTokenTTL, cfg.RefreshTokenTTL)
	}
	return cfg
}

// Validate reports what is wrong with cfg, or nil.
func (c Config) Validate() error {
	var errs []error
	if c.Addr == "" && c.Listener == nil {
		errs = append(errs, errors.New("identity: no listen address"))
	}
	if c.DatabaseURL == "" {
		errs = append(errs, errors.New("identity: no database URL"))
	}
	if len(c.SigningKey) != ed25519.PrivateKeySize {
		errs = append(errs, errors.New("identity: no Ed25519 signing key"))
	}
	if c.AccessTokenTTL <= 0 {
		errs = append(errs, errors.New("identity: access token TTL must be positive"))
	}
	if c.RefreshTokenTTL <= 0 {
		errs = append(errs, errors.New("identity: refresh token TTL must be positive"))
	}
	if c.AccessTokenTTL > 0 && c.AccessTokenTTL >= c.RefreshTokenTTL {
		errs = append(errs, fmt.Errorf("identity: access token TTL %s must be shorter than refresh token TTL %s",
			c.AccessTokenTTL, c.RefreshTokenTTL))
	}
	return errors.Join(errs...)
}

// Run opens and migrates the database and serves IdentityService until ctx is done, then shuts
// down gracefully. It returns nil after a clean shutdown.
func Run(ctx context.Context, cfg Config, logger *slog.Logger) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	tel, stopTelemetry, err := telemetry.ForProgram(ctx, cfg.Telemetry, "identity", true, cfg.MetricsAddr, logger)
	if err != nil {
		return fmt.Errorf("identity: telemetry: %w", err)
	}
	defer stopTelemetry()
	st, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return fmt.Errorf("identity: %w", err)
	}
	defer st.Close()

	svc := app.New(st, cfg.SigningKey, app.Config{
		AccessTokenTTL:  cfg.AccessTokenTTL,
		RefreshTokenTTL: cfg.RefreshTokenTTL,
	})
	path, handler := identityv1connect.NewIdentityServiceHandler(identityserver.New(svc), server.HandlerOptions(logger, server.Interceptors{Tracing: tel.Interceptor()})...)
	logger.Info("identity starting", "key_id", authtoken.NewSigner(cfg.SigningKey).KeyID(),
		"access_token_ttl", cfg.AccessTokenTTL.String(), "refresh_token_ttl", cfg.RefreshTokenTTL.String())
	return server.Run(ctx, server.Options{
		Name:     "identity",
		Addr:     cfg.Addr,
		Listener: cfg.Listener,
		Logger:   logger,
		Services: []server.Service{{Name: identityv1connect.IdentityServiceName, Path: path, Handler: handler}},
	})
}
