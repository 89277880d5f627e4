package usercenter

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"

	usercenterv1 "github.com/looklook/looklook/gen/looklook/usercenter/v1"
	"github.com/looklook/looklook/gen/looklook/usercenter/v1/usercenterv1connect"
	"github.com/looklook/looklook/platform/config"
	"github.com/looklook/looklook/platform/rpcclient"
	"github.com/looklook/looklook/platform/testenv"
)

func TestConfigFromEnvDefaults(t *testing.T) {
	t.Parallel()
	env := config.FromMap(nil)
	got := ConfigFromEnv(env)
	if err := env.Err(); err != nil {
		t.Fatal(err)
	}
	want := Config{
		Addr:                      ":8082",
		DatabaseURL:               "sqlite:./.looklook/usercenter.db",
		RedisKeyPrefix:            "looklook:",
		PasswordParams:            PasswordParams{MemoryKiB: 19456, Time: 2, Threads: 1},
		LoginMaxFailuresPerMobile: 5,
		LoginMaxFailuresPerClient: 20,
		LoginFailureWindow:        15 * time.Minute,
	}
	if got != want {
		t.Fatalf("ConfigFromEnv() = %+v, want %+v", got, want)
	}
}

func TestConfigFromEnvReadsEveryVariable(t *testing.T) {
	t.Parallel()
	env := config.FromMap(map[string]string{
		"LOOKLOOK_LISTEN_ADDR":                   "127.0.0.1:9000",
		"LOOKLOOK_DATABASE_URL":                  "postgres://u@db/usercenter",
		"LOOKLOOK_REDIS_URL":                     "redis://cache:6379/1",
		"LOOKLOOK_ARGON2_MEMORY_KIB":             "65536",
		"LOOKLOOK_ARGON2_TIME":                   "3",
		"LOOKLOOK_ARGON2_THREADS":                "2",
		"LOOKLOOK_LOGIN_MAX_FAILURES_PER_MOBILE": "7",
		"LOOKLOOK_LOGIN_MAX_FAILURES_PER_CLIENT": "50",
		"LOOKLOOK_LOGIN_FAILURE_WINDOW":          "1h",
		"LOOKLOOK_REDIS_KEY_PREFIX":              "staging:",
	})
	got := ConfigFromEnv(env)
	if err := env.Err(); err != nil {
		t.Fatal(err)
	}
	want := Config{
		Addr:                      "127.0.0.1:9000",
		DatabaseURL:               "postgres://u@db/usercenter",
		RedisURL:                  "redis://cache:6379/1",
		RedisKeyPrefix:            "staging:",
		PasswordParams:            PasswordParams{MemoryKiB: 65536, Time: 3, Threads: 2},
		LoginMaxFailuresPerMobile: 7,
		LoginMaxFailuresPerClient: 50,
		LoginFailureWindow:        time.Hour,
	}
	if got != want {
		t.Fatalf("ConfigFromEnv() = %+v, want %+v", got, want)
	}
}

func TestConfigFromEnvRejectsBadValues(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, value string }{
		{"LOOKLOOK_ARGON2_MEMORY_KIB", "lots"},
		{"LOOKLOOK_ARGON2_MEMORY_KIB", "4"},
		{"LOOKLOOK_ARGON2_MEMORY_KIB", "-1"},
		{"LOOKLOOK_ARGON2_TIME", "0"},
		{"LOOKLOOK_ARGON2_THREADS", "300"},
		{"LOOKLOOK_LOGIN_MAX_FAILURES_PER_MOBILE", "0"},
		{"LOOKLOOK_LOGIN_MAX_FAILURES_PER_CLIENT", "-3"},
		{"LOOKLOOK_LOGIN_FAILURE_WINDOW", "soon"},
		{"LOOKLOOK_LOGIN_FAILURE_WINDOW", "10ms"},
		{"LOOKLOOK_REDIS_URL", "localhost:6379"},
	}
	for _, tt := range tests {
		env := config.FromMap(map[string]string{tt.name: tt.value})
		ConfigFromEnv(env)
		if err := env.Err(); err == nil || !strings.Contains(err.Error(), tt.name) {
			t.Errorf("%s=%q: error %v does not name the variable", tt.name, tt.value, err)
		}
	}
}

// start runs Run on a loopback listener until the test ends and returns a client of it.
func start(t *testing.T, cfg Config) usercenterv1connect.UserServiceClient {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Listener = ln
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Run(ctx, cfg, testenv.Logger(t)) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run returned %v after a clean shutdown", err)
		}
	})
	// The listener is open already, so requests wait in its backlog until Run serves.
	return usercenterv1connect.NewUserServiceClient(rpcclient.NewHTTPClient(), "http://"+ln.Addr().String(), connect.WithGRPC())
}

// TestRunWithDefaults is the one test that hashes with the production argon2 costs.
func TestRunWithDefaults(t *testing.T) {
	t.Parallel()
	c := start(t, Config{DatabaseURL: testenv.PostgresURL(t)})
	ctx := context.Background()
	reg, err := c.Register(ctx, connect.NewRequest(&usercenterv1.RegisterRequest{Mobile: "13800000001", Password: "password123"}))
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Login(ctx, connect.NewRequest(&usercenterv1.LoginRequest{Mobile: "13800000001", Password: "password123", ClientAddress: "192.0.2.1"}))
	if err != nil {
		t.Fatal(err)
	}
	if res.Msg.GetUser().GetId() != reg.Msg.GetUser().GetId() || res.Msg.GetUser().GetNickname() != "user0001" {
		t.Fatalf("login user = %v, registered %v", res.Msg.GetUser(), reg.Msg.GetUser())
	}
}

func TestRunOnSQLiteWithRedisDown(t *testing.T) {
	t.Parallel()
	c := start(t, Config{
		// A directory that does not exist yet, as on a fresh checkout.
		DatabaseURL:    "sqlite:" + filepath.Join(t.TempDir(), "data", "usercenter.db"),
		RedisURL:       "redis://127.0.0.1:1/0",
		PasswordParams: PasswordParams{MemoryKiB: 1024, Time: 1, Threads: 1},
	})
	ctx := context.Background()
	if _, err := c.Register(ctx, connect.NewRequest(&usercenterv1.RegisterRequest{Mobile: "13800000001", Password: "password123"})); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Login(ctx, connect.NewRequest(&usercenterv1.LoginRequest{Mobile: "13800000001", Password: "password123"})); err != nil {
		t.Fatalf("login with Redis down: %v", err)
	}
	_, err := c.Login(ctx, connect.NewRequest(&usercenterv1.LoginRequest{Mobile: "13800000001", Password: "wrong-password"}))
	if connect.CodeOf(err) != connect.CodeUnauthenticated {
		t.Fatalf("wrong password with Redis down: %v", err)
	}
}

func TestRunFailsOnBadConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  Config
	}{
		{"unsupported database", Config{DatabaseURL: "mysql://root@localhost/x"}},
		{"unreachable database", Config{DatabaseURL: "postgres://postgres@127.0.0.1:1/x?sslmode=disable&connect_timeout=1"}},
		{"bad argon2 params", Config{PasswordParams: PasswordParams{MemoryKiB: 4, Time: 1, Threads: 1}}},
		{"negative limit", Config{LoginMaxFailuresPerMobile: -1}},
		{"bad redis URL", Config{DatabaseURL: "sqlite:" + filepath.Join(t.TempDir(), "u.db"), RedisURL: "nope"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			tt.cfg.Listener = ln
			if err := Run(context.Background(), tt.cfg, testenv.Logger(t)); err == nil {
				t.Fatal("Run returned nil")
			}
		})
	}
}

// TestUserCacheAcrossInstances reads a user through one instance's cache, updates it through
// another, and expects the first to serve the new profile well within the cache's one-minute
// L1 lifetime (the pub/sub invalidation), and BatchGetUsers to agree.
func TestUserCacheAcrossInstances(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rdb, prefix := testenv.Redis(t)
	cfg := Config{
		DatabaseURL:    testenv.PostgresURL(t),
		RedisURL:       testenv.RedisURL(),
		RedisKeyPrefix: prefix,
		PasswordParams: PasswordParams{MemoryKiB: 1024, Time: 1, Threads: 1},
	}
	a, b := start(t, cfg), start(t, cfg)
	reg, err := a.Register(ctx, connect.NewRequest(&usercenterv1.RegisterRequest{Mobile: "13977770001", Password: "correct-horse-1", Nickname: "Before"}))
	if err != nil {
		t.Fatal(err)
	}
	id := reg.Msg.GetUser().GetId()
	for range 2 { // the second read is served from b's cache
		if got, err := b.GetUser(ctx, connect.NewRequest(&usercenterv1.GetUserRequest{Id: id})); err != nil || got.Msg.GetUser().GetNickname() != "Before" {
			t.Fatalf("GetUser on b = %v, %v", got, err)
		}
	}
	if n, err := rdb.Exists(ctx, fmt.Sprintf("%susercenter:user:{%d}", prefix, id)).Result(); err != nil || n != 1 {
		t.Fatalf("user %d is not in the shared cache after reads through b (exists %d, %v)", id, n, err)
	}
	after := "After"
	if _, err := a.UpdateUser(ctx, connect.NewRequest(&usercenterv1.UpdateUserRequest{Id: id, Nickname: &after})); err != nil {
		t.Fatal(err)
	}
	testenv.Eventually(t, 10*time.Second, "b serves the update made through a", func() error {
		got, err := b.GetUser(ctx, connect.NewRequest(&usercenterv1.GetUserRequest{Id: id}))
		if err == nil && got.Msg.GetUser().GetNickname() != "After" {
			err = fmt.Errorf("b serves %v", got.Msg.GetUser())
		}
		return err
	})
	batch, err := b.BatchGetUsers(ctx, connect.NewRequest(&usercenterv1.BatchGetUsersRequest{Ids: []int64{id, id, id + 1000}}))
	if err != nil || len(batch.Msg.GetUsers()) != 1 || batch.Msg.GetUsers()[0].GetNickname() != "After" {
		t.Fatalf("BatchGetUsers on b = %v, %v", batch, err)
	}
}
