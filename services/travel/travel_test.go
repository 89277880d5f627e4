package travel_test

import (
	"context"
	"net"
	"path/filepath"
	"strings"
	"testing"

	"connectrpc.com/connect"

	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/gen/looklook/travel/v1/travelv1connect"
	"github.com/looklook/looklook/platform/config"
	"github.com/looklook/looklook/platform/rpcclient"
	"github.com/looklook/looklook/platform/testenv"
	"github.com/looklook/looklook/services/travel"
	"github.com/looklook/looklook/services/travel/demo"
)

func TestConfigFromEnv(t *testing.T) {
	t.Parallel()
	env := config.FromMap(nil)
	cfg := travel.ConfigFromEnv(env)
	if err := env.Err(); err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != ":8083" || cfg.DatabaseURL != "sqlite:./.looklook/travel.db" || cfg.RedisURL != "" ||
		cfg.CacheKeyPrefix != "looklook:" || cfg.PageTokenKey != travel.DevPageTokenKey || cfg.SeedDemoData || cfg.L1MaxItems != 0 {
		t.Fatalf("defaults = %+v", cfg)
	}

	env = config.FromMap(map[string]string{
		"LOOKLOOK_LISTEN_ADDR":       ":9000",
		"LOOKLOOK_DATABASE_URL":      "postgres://db/travel",
		"LOOKLOOK_REDIS_URL":         "redis://cache:6379/0",
		"LOOKLOOK_REDIS_KEY_PREFIX":  "prod:",
		"LOOKLOOK_CACHE_L1_ITEMS":    "5000",
		"LOOKLOOK_PAGE_TOKEN_KEY":    "a-long-production-secret",
		"LOOKLOOK_SEED_DEMO":         "true",
		"LOOKLOOK_DEMO_LANDLORD_IDS": "3, 4",
		"LOOKLOOK_DEMO_GUEST_IDS":    "5",
	})
	cfg = travel.ConfigFromEnv(env)
	if err := env.Err(); err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != ":9000" || cfg.DatabaseURL != "postgres://db/travel" || cfg.RedisURL != "redis://cache:6379/0" ||
		cfg.CacheKeyPrefix != "prod:" || cfg.L1MaxItems != 5000 || cfg.PageTokenKey != "a-long-production-secret" || !cfg.SeedDemoData ||
		len(cfg.DemoUsers.LandlordUserIDs) != 2 || cfg.DemoUsers.GuestUserIDs[0] != 5 {
		t.Fatalf("from env = %+v", cfg)
	}

	env = config.FromMap(map[string]string{
		"LOOKLOOK_PAGE_TOKEN_KEY":    "short",
		"LOOKLOOK_SEED_DEMO":         "maybe",
		"LOOKLOOK_DEMO_LANDLORD_IDS": "1,x",
		"LOOKLOOK_CACHE_L1_ITEMS":    "many",
	})
	travel.ConfigFromEnv(env)
	err := env.Err()
	for _, name := range []string{"LOOKLOOK_PAGE_TOKEN_KEY", "LOOKLOOK_SEED_DEMO", "LOOKLOOK_DEMO_LANDLORD_IDS", "LOOKLOOK_CACHE_L1_ITEMS"} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Fatalf("error %v does not name %s", err, name)
		}
	}
}

// TestRunSeedsOnce starts the service twice on one SQLite file with demo seeding on: the first
// start seeds, the second finds businesses and leaves them alone.
func TestRunSeedsOnce(t *testing.T) {
	t.Parallel()
	dbURL := "sqlite:" + filepath.Join(t.TempDir(), "data", "travel.db")
	users := demo.Users{LandlordUserIDs: []int64{1, 2, 3, 4, 5, 6}, GuestUserIDs: []int64{7, 8, 9}}
	for run := range 2 {
		c, stop := run1(t, travel.Config{DatabaseURL: dbURL, SeedDemoData: true, DemoUsers: users})
		ctx := context.Background()
		res, err := c.ListBusinesses(ctx, connect.NewRequest(&travelv1.ListBusinessesRequest{}))
		if err != nil {
			t.Fatal(err)
		}
		if n := len(res.Msg.GetBusinesses()); n != 6 {
			t.Fatalf("run %d: %d businesses, want 6", run, n)
		}
		gb, err := c.ListGoodBosses(ctx, connect.NewRequest(&travelv1.ListGoodBossesRequest{}))
		if err != nil || len(gb.Msg.GetBusinesses()) != 4 {
			t.Fatalf("run %d: ListGoodBosses = %v, %v", run, gb, err)
		}
		lp, err := c.ListPreferredHomestays(ctx, connect.NewRequest(&travelv1.ListPreferredHomestaysRequest{}))
		if err != nil || len(lp.Msg.GetHomestays()) != 8 {
			t.Fatalf("run %d: ListPreferredHomestays = %v, %v", run, lp, err)
		}
		stop()
	}
}

// TestRunWithRedis serves with the Redis tier configured by URL, as in production.
func TestRunWithRedis(t *testing.T) {
	t.Parallel()
	_, prefix := testenv.Redis(t)
	c, stop := run1(t, travel.Config{DatabaseURL: testenv.PostgresURL(t), RedisURL: testenv.RedisURL(), CacheKeyPrefix: prefix, SeedDemoData: true})
	defer stop()
	res, err := c.GetHomestay(context.Background(), connect.NewRequest(&travelv1.GetHomestayRequest{Id: 1}))
	if err != nil || res.Msg.GetHomestay().GetFields().GetTitle() != "Courtyard House by West Lake" {
		t.Fatalf("GetHomestay(1) = %v, %v", res, err)
	}
}

// run1 runs the service on a loopback listener and returns a client and a function that stops
// it and checks Run returned nil.
func run1(t *testing.T, cfg travel.Config) (travelv1connect.TravelServiceClient, func()) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Listener = ln
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- travel.Run(ctx, cfg, testenv.Logger(t)) }()
	// The listener is open already: calls wait in its backlog until the server runs.
	base := "http://" + ln.Addr().String()
	hc := rpcclient.NewHTTPClient()
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("Run: %v", err)
		}
	}
	t.Cleanup(stop)
	return travelv1connect.NewTravelServiceClient(hc, base), stop
}
