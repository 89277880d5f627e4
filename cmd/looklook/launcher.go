package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"connectrpc.com/grpchealth"
	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/errgroup"

	"github.com/looklook/looklook/bff"
	"github.com/looklook/looklook/platform/cache"
	"github.com/looklook/looklook/platform/config"
	"github.com/looklook/looklook/platform/database"
	"github.com/looklook/looklook/platform/rpcclient"
	"github.com/looklook/looklook/platform/telemetry"
	"github.com/looklook/looklook/services/identity"
	"github.com/looklook/looklook/services/travel"
	"github.com/looklook/looklook/services/usercenter"
)

// Config configures the launcher. Every service's own LOOKLOOK_* variables apply too (token
// lifetimes, argon2 cost, cache size…); the launcher only decides where each one keeps its data
// and how they find each other.
type Config struct {
	// Addr is where the BFF (API and web app) listens (LOOKLOOK_ADDR, default ":8080").
	Addr string
	// DataDir holds the SQLite files and the dev signing key (LOOKLOOK_DATA_DIR, default "./.looklook").
	DataDir string
	// PostgresURL, when set, is a PostgreSQL server URL; each service gets its own database
	// there (looklook_identity, looklook_usercenter, looklook_travel), created if missing
	// (LOOKLOOK_POSTGRES_URL, e.g. postgres://postgres@localhost:5432/postgres?sslmode=disable).
	PostgresURL string
	// RedisURL, when set, adds Redis as the shared second cache tier (LOOKLOOK_REDIS_URL,
	// e.g. redis://localhost:6379/0). Without it the cache is in-process only.
	RedisURL string
	// AdminMobiles get the admin role (LOOKLOOK_ADMIN_MOBILES; default the demo admin 13800000000).
	AdminMobiles []string
	// SeedDemo loads demo data into an empty database on start (LOOKLOOK_SEED_DEMO, default true).
	SeedDemo bool
	// LogLevel is debug, info, warn or error (LOOKLOOK_LOG_LEVEL, default info).
	LogLevel slog.Level
	// MetricsAddr serves Prometheus metrics for the whole process at /metrics
	// (LOOKLOOK_METRICS_ADDR, e.g. "127.0.0.1:9090"; default off).
	MetricsAddr string
	// OTLPEndpoint receives traces over OTLP/HTTP (OTEL_EXPORTER_OTLP_ENDPOINT, e.g.
	// http://localhost:4318; default none).
	OTLPEndpoint string

	// Tests set these: explicit database URLs per service (instead of DataDir or PostgresURL),
	// the BFF's listener, and a callback once everything listens.
	databaseURLs map[string]string
	extraEnv     map[string]string
	bffListener  net.Listener
	ready        func(bffURL string, serviceURLs map[string]string)
	telemetry    *telemetry.Telemetry
	metricsLn    net.Listener
}

// ConfigFromEnv reads the launcher's configuration; check env.Err() afterwards.
func ConfigFromEnv(env *config.Env) Config {
	cfg := Config{
		Addr:         env.String("LOOKLOOK_ADDR", ":8080"),
		DataDir:      env.String("LOOKLOOK_DATA_DIR", "./.looklook"),
		PostgresURL:  env.String("LOOKLOOK_POSTGRES_URL", ""),
		RedisURL:     env.String("LOOKLOOK_REDIS_URL", ""),
		AdminMobiles: env.List("LOOKLOOK_ADMIN_MOBILES", []string{DemoAdminMobile}),
		SeedDemo:     env.Bool("LOOKLOOK_SEED_DEMO", true),
		MetricsAddr:  env.String("LOOKLOOK_METRICS_ADDR", ""),
		OTLPEndpoint: env.String("OTEL_EXPORTER_OTLP_ENDPOINT", ""),
	}
	if err := cfg.LogLevel.UnmarshalText([]byte(env.String("LOOKLOOK_LOG_LEVEL", "info"))); err != nil {
		env.Fail("LOOKLOOK_LOG_LEVEL", "want debug, info, warn or error")
	}
	if cfg.PostgresURL != "" && !strings.HasPrefix(cfg.PostgresURL, "postgres://") && !strings.HasPrefix(cfg.PostgresURL, "postgresql://") {
		env.Fail("LOOKLOOK_POSTGRES_URL", "want a postgres:// URL")
	}
	if cfg.RedisURL != "" && !strings.HasPrefix(cfg.RedisURL, "redis://") && !strings.HasPrefix(cfg.RedisURL, "rediss://") {
		env.Fail("LOOKLOOK_REDIS_URL", "want a redis:// URL")
	}
	return cfg
}

// Run starts every service and the BFF, prints where they listen, and returns when ctx is done
// and everything has shut down, or when any of them fails.
func Run(ctx context.Context, cfg Config, out io.Writer) error {
	logger := telemetry.NewLogger(out, cfg.LogLevel)
	redis.SetLogger(cache.NewRedisLogger(logger))
	// One telemetry for the whole process: one trace pipeline and one metrics registry. The
	// services trust the trace context the BFF sends; the BFF itself never trusts callers'.
	tel := cfg.telemetry
	if tel == nil {
		var err error
		tel, err = telemetry.Setup(ctx, telemetry.Options{ServiceName: "looklook", OTLPEndpoint: cfg.OTLPEndpoint, TrustRemote: true})
		if err != nil {
			return fmt.Errorf("telemetry: %w", err)
		}
		defer func() {
			shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = tel.Shutdown(shutdownCtx)
		}()
	}
	cacheMetrics := cache.NewMetrics(tel.Registry())
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return fmt.Errorf("create data directory: %w", err)
	}

	dbURL := func(name string) (string, error) {
		if u, ok := cfg.databaseURLs[name]; ok {
			return u, nil
		}
		if cfg.PostgresURL == "" {
			return "sqlite:" + filepath.Join(cfg.DataDir, name+".db"), nil
		}
		return database.EnsurePostgresDatabase(ctx, cfg.PostgresURL, "looklook_"+name)
	}
	// Every service listens on a loopback port picked by the kernel, opened here so the BFF
	// knows the addresses before anything starts.
	var listeners []net.Listener
	closeAll := func() {
		for _, l := range listeners {
			_ = l.Close()
		}
	}
	listen := func(addr string) (net.Listener, error) {
		l, err := net.Listen("tcp", addr)
		if err == nil {
			listeners = append(listeners, l)
		}
		return l, err
	}
	var env [3]map[string]string
	names := []string{"identity", "usercenter", "travel"}
	var lns [3]net.Listener
	for i, name := range names {
		u, err := dbURL(name)
		if err != nil {
			closeAll()
			return err
		}
		env[i] = map[string]string{"LOOKLOOK_DATABASE_URL": u, "LOOKLOOK_REDIS_URL": cfg.RedisURL}
		for k, v := range cfg.extraEnv {
			env[i][k] = v
		}
		if lns[i], err = listen("127.0.0.1:0"); err != nil {
			closeAll()
			return err
		}
	}
	env[0]["LOOKLOOK_SIGNING_KEY_FILE"] = filepath.Join(cfg.DataDir, "identity-signing.key")
	bffLn := cfg.bffListener
	if bffLn == nil {
		var err error
		if bffLn, err = listen(cfg.Addr); err != nil {
			closeAll()
			return fmt.Errorf("listen on LOOKLOOK_ADDR %s: %w", cfg.Addr, err)
		}
	}

	idEnv := config.FromOSWith(env[0])
	idCfg := identity.ConfigFromEnv(idEnv)
	ucEnv := config.FromOSWith(env[1])
	ucCfg := usercenter.ConfigFromEnv(ucEnv)
	trEnv := config.FromOSWith(env[2])
	trCfg := travel.ConfigFromEnv(trEnv)
	bffVars := map[string]string{
		"LOOKLOOK_IDENTITY_URL":   "http://" + lns[0].Addr().String(),
		"LOOKLOOK_USERCENTER_URL": "http://" + lns[1].Addr().String(),
		"LOOKLOOK_TRAVEL_URL":     "http://" + lns[2].Addr().String(),
		"LOOKLOOK_ADMIN_MOBILES":  strings.Join(cfg.AdminMobiles, ","),
	}
	for k, v := range cfg.extraEnv {
		bffVars[k] = v
	}
	bffEnv := config.FromOSWith(bffVars)
	bffCfg := bff.ConfigFromEnv(bffEnv)
	if err := errors.Join(idEnv.Err(), ucEnv.Err(), trEnv.Err(), bffEnv.Err()); err != nil {
		closeAll()
		return fmt.Errorf("invalid configuration:\n%w", err)
	}
	idCfg.Listener, ucCfg.Listener, trCfg.Listener, bffCfg.Listener = lns[0], lns[1], lns[2], bffLn
	idCfg.Telemetry, ucCfg.Telemetry, trCfg.Telemetry, bffCfg.Telemetry = tel, tel, tel, tel
	ucCfg.CacheMetrics, trCfg.CacheMetrics = cacheMetrics, cacheMetrics

	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return identity.Run(gctx, idCfg, logger.With("service", "identity")) })
	g.Go(func() error { return usercenter.Run(gctx, ucCfg, logger.With("service", "usercenter")) })
	g.Go(func() error {
		// travel's demo catalogue belongs to demo users, who live in usercenter: register them
		// first (usercenter's listener is open, so the calls wait until it serves).
		if cfg.SeedDemo {
			users, err := ensureDemoUsers(gctx, "http://"+lns[1].Addr().String())
			if err != nil {
				if gctx.Err() != nil {
					return nil
				}
				logger.Error("demo users not registered; starting without demo data", "error", err.Error())
			} else {
				trCfg.SeedDemoData = true
				trCfg.DemoUsers = users
			}
		}
		return travel.Run(gctx, trCfg, logger.With("service", "travel"))
	})
	g.Go(func() error {
		// The BFF starts once travel (the last service, after the demo data) serves, so its
		// first answers are never slowed by a service still starting. Its listener is open
		// already: early clients wait in the backlog rather than being refused.
		if err := waitServing(gctx, "http://"+lns[2].Addr().String()); err != nil {
			return nil
		}
		return bff.Run(gctx, bffCfg, logger.With("service", "bff"))
	})
	if cfg.metricsLn != nil || cfg.MetricsAddr != "" {
		g.Go(func() error { return serveMetrics(gctx, cfg, tel, logger) })
	}
	g.Go(func() error {
		if err := waitServing(gctx, "http://"+bffLn.Addr().String()); err != nil {
			return nil // shutting down before we were up
		}
		printBanner(out, cfg, bffLn.Addr(), lns)
		if cfg.ready != nil {
			cfg.ready("http://"+bffLn.Addr().String(), map[string]string{
				"identity": "http://" + lns[0].Addr().String(), "usercenter": "http://" + lns[1].Addr().String(),
				"travel": "http://" + lns[2].Addr().String(),
			})
		}
		return nil
	})
	return g.Wait()
}

func printBanner(out io.Writer, cfg Config, bffAddr net.Addr, lns [3]net.Listener) {
	host := bffAddr.String()
	if tcp, ok := bffAddr.(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		host = fmt.Sprintf("localhost:%d", tcp.Port)
	}
	storage := "SQLite files in " + cfg.DataDir
	if cfg.PostgresURL != "" {
		storage = "PostgreSQL at " + database.Redact(cfg.PostgresURL)
	}
	cache := "in-process only (set LOOKLOOK_REDIS_URL to add Redis)"
	if cfg.RedisURL != "" {
		cache = "in-process + Redis at " + database.Redact(cfg.RedisURL)
	}
	fmt.Fprintf(out, `
looklook is running
  web app and API   http://%[1]s
  storage           %[2]s
  cache             %[3]s
  internal services identity %[4]s, usercenter %[5]s, travel %[6]s

Try it:
  curl -H 'Content-Type: application/json' -d '{"mobile":"13900001111","password":"correct-horse-1","nickname":"Ann"}' http://%[1]s/looklook.bff.v1.AccountService/Register
  grpcurl -plaintext %[1]s list
  grpcurl -plaintext -d '{"page_size":3}' %[1]s looklook.bff.v1.HomestayService/ListPreferredHomestays

Ctrl-C stops it.
`, host, storage, cache, lns[0].Addr(), lns[1].Addr(), lns[2].Addr())
}

// waitServing waits until the server at baseURL answers health checks with SERVING.
func waitServing(ctx context.Context, baseURL string) error {
	client := grpchealth.NewClient(rpcclient.NewHTTPClient(), baseURL)
	for {
		res, err := client.Check(ctx, &grpchealth.CheckRequest{})
		if err == nil && res.Status == grpchealth.StatusServing {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// serveMetrics serves the process's metrics until ctx is done.
func serveMetrics(ctx context.Context, cfg Config, tel *telemetry.Telemetry, logger *slog.Logger) error {
	if cfg.metricsLn == nil {
		if err := telemetry.ServeMetrics(ctx, cfg.MetricsAddr, tel.MetricsHandler(), logger); err != nil && ctx.Err() == nil {
			return fmt.Errorf("metrics on LOOKLOOK_METRICS_ADDR %s: %w", cfg.MetricsAddr, err)
		}
		return nil
	}
	srv := &http.Server{Handler: tel.MetricsHandler(), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	if err := srv.Serve(cfg.metricsLn); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
