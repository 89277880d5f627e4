// Package travel is the travel service: businesses (a landlord's shop), their homestays,
// comments on homestays and the curated activity lists, served as looklook.travel.v1 over
// Connect, gRPC and gRPC-Web.
//
// cmd/travel runs it alone; the all-in-one launcher (cmd/looklook) calls Run with a pre-opened
// listener. Reads of homestays and businesses go through a two-tier cache (in-process, then
// Redis when RedisURL is set); writes invalidate it after commit.
package travel

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"time"

	"connectrpc.com/connect"
	"github.com/redis/go-redis/v9"

	"github.com/looklook/looklook/gen/looklook/travel/v1/travelv1connect"
	"github.com/looklook/looklook/gen/looklook/usercenter/v1/usercenterv1connect"
	"github.com/looklook/looklook/platform/cache"
	"github.com/looklook/looklook/platform/config"
	"github.com/looklook/looklook/platform/database"
	"github.com/looklook/looklook/platform/rpcclient"
	"github.com/looklook/looklook/platform/server"
	"github.com/looklook/looklook/platform/telemetry"
	"github.com/looklook/looklook/services/travel/demo"
	"github.com/looklook/looklook/services/travel/ent"
	"github.com/looklook/looklook/services/travel/internal/app"
	travelserver "github.com/looklook/looklook/services/travel/internal/server"
	"github.com/looklook/looklook/services/travel/internal/store"
)

// DevPageTokenKey signs page tokens when LOOKLOOK_PAGE_TOKEN_KEY is unset. It is fixed, not
// random per process, so that every instance of a laptop or test deployment accepts the tokens
// of the others. It is public: production sets LOOKLOOK_PAGE_TOKEN_KEY to a secret shared by all
// travel instances, so clients cannot forge cursors.
const DevPageTokenKey = "looklook-dev-page-token-key-not-for-production"

// Config configures Run. ConfigFromEnv fills it from LOOKLOOK_* variables.
type Config struct {
	// Addr is the TCP address to serve on (LOOKLOOK_LISTEN_ADDR, default ":8083"). Ignored when
	// Listener is set.
	Addr string
	// Listener, when set, is served instead of listening on Addr; the all-in-one launcher
	// passes loopback listeners it opened beforehand.
	Listener net.Listener
	// Telemetry, when set, is shared with the rest of the process (the all-in-one launcher);
	// otherwise Run sets up its own, exporting spans to OTEL_EXPORTER_OTLP_ENDPOINT when set.
	Telemetry *telemetry.Telemetry
	// MetricsAddr serves Prometheus metrics at /metrics when Telemetry is not shared
	// (LOOKLOOK_METRICS_ADDR, e.g. ":9090"; default off).
	MetricsAddr string
	// DatabaseURL names the travel database (LOOKLOOK_DATABASE_URL, default
	// "sqlite:./.looklook/travel.db"): postgres://… in production, sqlite:PATH on a laptop (its
	// directory is created if missing). The schema is migrated at start.
	DatabaseURL string
	// RedisURL is the shared cache tier and invalidation bus (LOOKLOOK_REDIS_URL, e.g.
	// redis://localhost:6379/0). Empty keeps an in-process cache only, which is right for one
	// instance; several instances must share a Redis, or they serve each other's old rows for
	// up to a minute.
	RedisURL string
	// CacheKeyPrefix starts every Redis key and channel of the cache
	// (LOOKLOOK_REDIS_KEY_PREFIX, default "looklook:").
	CacheKeyPrefix string
	// L1MaxItems bounds each in-process cache in entries (LOOKLOOK_CACHE_L1_ITEMS; 0, the
	// default, means the cache's default of 100,000; negative disables it).
	L1MaxItems int64
	// CacheMetrics, when set, exports the caches' counters (the launcher registers one with
	// Prometheus); nil exports none.
	CacheMetrics *cache.Metrics
	// PageTokenKey signs page tokens (LOOKLOOK_PAGE_TOKEN_KEY, default DevPageTokenKey).
	// Every instance must use the same key; production sets a secret one.
	PageTokenKey string
	// SeedDemoData writes the demo catalogue at start when the database has no business yet
	// (LOOKLOOK_SEED_DEMO, default false; the launcher sets it).
	SeedDemoData bool
	// DemoUsers are the usercenter users the demo businesses and comments belong to
	// (LOOKLOOK_DEMO_LANDLORD_IDS and LOOKLOOK_DEMO_GUEST_IDS, comma-separated ids). The
	// launcher registers demo.Landlords() and demo.Guests() in usercenter first and passes their
	// ids; when empty, demo.DefaultUsers() is used, whose ids may name no real user.
	DemoUsers demo.Users
	// DemoUserCenterURL, when set with SeedDemoData and no DemoUsers, is the usercenter that
	// Run registers the demo users in first (LOOKLOOK_DEMO_USERCENTER_URL). Kubernetes dev
	// deployments use it; the all-in-one launcher registers them itself.
	DemoUserCenterURL string
}

// ConfigFromEnv reads Config from LOOKLOOK_* variables with defaults that work on a laptop.
// The caller checks env.Err().
func ConfigFromEnv(env *config.Env) Config {
	cfg := Config{
		Addr:              env.String("LOOKLOOK_LISTEN_ADDR", ":8083"),
		MetricsAddr:       env.String("LOOKLOOK_METRICS_ADDR", ""),
		DatabaseURL:       env.String("LOOKLOOK_DATABASE_URL", "sqlite:./.looklook/travel.db"),
		RedisURL:          env.String("LOOKLOOK_REDIS_URL", ""),
		CacheKeyPrefix:    env.String("LOOKLOOK_REDIS_KEY_PREFIX", "looklook:"),
		L1MaxItems:        int64(env.Int("LOOKLOOK_CACHE_L1_ITEMS", 0)),
		PageTokenKey:      env.String("LOOKLOOK_PAGE_TOKEN_KEY", DevPageTokenKey),
		SeedDemoData:      env.Bool("LOOKLOOK_SEED_DEMO", false),
		DemoUserCenterURL: env.String("LOOKLOOK_DEMO_USERCENTER_URL", ""),
		DemoUsers: demo.Users{
			LandlordUserIDs: ids(env, "LOOKLOOK_DEMO_LANDLORD_IDS"),
			GuestUserIDs:    ids(env, "LOOKLOOK_DEMO_GUEST_IDS"),
		},
	}
	if len(cfg.PageTokenKey) < 16 {
		env.Fail("LOOKLOOK_PAGE_TOKEN_KEY", "must be at least 16 characters")
	}
	return cfg
}

// ids reads a comma-separated list of positive user ids.
func ids(env *config.Env, name string) []int64 {
	var out []int64
	for _, s := range env.List(name, nil) {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			env.Fail(name, "%q is not a positive user id", s)
			continue
		}
		out = append(out, n)
	}
	return out
}

// Run serves the travel service until ctx is done: it opens and migrates the database, seeds the
// demo data if asked and the database has no business, and serves. It returns nil after a clean
// shutdown.
func Run(ctx context.Context, cfg Config, logger *slog.Logger) error {
	if logger == nil {
		logger = slog.Default()
	}
	if cfg.PageTokenKey == "" {
		cfg.PageTokenKey = DevPageTokenKey
	}
	tel, stopTelemetry, err := telemetry.ForProgram(ctx, cfg.Telemetry, "travel", true, cfg.MetricsAddr, logger)
	if err != nil {
		return fmt.Errorf("travel: telemetry: %w", err)
	}
	defer stopTelemetry()
	if cfg.CacheMetrics == nil {
		cfg.CacheMetrics = cache.NewMetrics(tel.Registry())
	}
	drv, err := database.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return fmt.Errorf("travel: %w", err)
	}
	client := ent.NewClient(ent.Driver(drv))
	defer client.Close()
	if err := store.Migrate(ctx, client); err != nil {
		return fmt.Errorf("travel: %w", err)
	}

	var rdb redis.UniversalClient
	if cfg.RedisURL != "" {
		c, err := cache.NewRedisClient(cfg.RedisURL)
		if err != nil {
			return fmt.Errorf("travel: LOOKLOOK_REDIS_URL: %w", err)
		}
		defer c.Close()
		rdb = c
	}
	st, err := store.New(ctx, client, store.Options{
		Redis:      rdb,
		KeyPrefix:  cfg.CacheKeyPrefix,
		L1MaxItems: cfg.L1MaxItems,
		Logger:     logger,
		Metrics:    cfg.CacheMetrics,
	})
	if err != nil {
		return fmt.Errorf("travel: %w", err)
	}
	defer st.Close()

	if cfg.SeedDemoData {
		if len(cfg.DemoUsers.LandlordUserIDs) == 0 && cfg.DemoUserCenterURL != "" {
			users := usercenterv1connect.NewUserServiceClient(rpcclient.NewHTTPClient(), cfg.DemoUserCenterURL,
				connect.WithInterceptors(tel.Interceptor()))
			regCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
			cfg.DemoUsers, err = demo.RegisterUsers(regCtx, users)
			cancel()
			if err != nil {
				return fmt.Errorf("travel: demo users: %w", err)
			}
		}
		if err := seed(ctx, client, st, cfg.DemoUsers, logger); err != nil {
			return fmt.Errorf("travel: seed demo data: %w", err)
		}
	}

	svc, err := app.New(st, []byte(cfg.PageTokenKey), logger)
	if err != nil {
		return fmt.Errorf("travel: %w", err)
	}
	path, handler := travelv1connect.NewTravelServiceHandler(travelserver.New(svc), server.HandlerOptions(logger, server.Interceptors{Tracing: tel.Interceptor()})...)
	return server.Run(ctx, server.Options{
		Name:     "travel",
		Addr:     cfg.Addr,
		Listener: cfg.Listener,
		Logger:   logger,
		Services: []server.Service{{Name: travelv1connect.TravelServiceName, Path: path, Handler: handler}},
	})
}

// seed writes the demo data when the database has no business. Two instances starting together
// may both find it empty; the loser's first business insert fails on the unique owner and it
// carries on with the winner's data.
func seed(ctx context.Context, client *ent.Client, st *store.Store, users demo.Users, logger *slog.Logger) error {
	exists, err := client.Business.Query().Exist(ctx)
	if err != nil {
		return err
	}
	if exists {
		return nil
	}
	if len(users.LandlordUserIDs) == 0 {
		users = demo.DefaultUsers()
		logger.Warn("seeding demo data for default user ids; they may name no usercenter user",
			"landlords", users.LandlordUserIDs, "guests", users.GuestUserIDs)
	}
	sum, err := demo.Seed(ctx, client, users)
	if errors.Is(err, demo.ErrNotEmpty) {
		logger.Info("demo data already seeded by another instance")
		return nil
	}
	if err != nil {
		return err
	}
	// Redis may remember rows (or their absence) under these ids from an earlier database.
	st.Invalidate(ctx, sum.HomestayIDs, sum.BusinessIDs)
	logger.Info("seeded demo data", "businesses", len(sum.BusinessIDs), "homestays", len(sum.HomestayIDs),
		"comments", sum.Comments)
	return nil
}
