package identity_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"

	identityv1 "github.com/looklook/looklook/gen/looklook/identity/v1"
	"github.com/looklook/looklook/gen/looklook/identity/v1/identityv1connect"
	"github.com/looklook/looklook/platform/authtoken"
	"github.com/looklook/looklook/platform/config"
	"github.com/looklook/looklook/platform/rpcclient"
	"github.com/looklook/looklook/platform/testenv"
	"github.com/looklook/looklook/services/identity"
)

func TestConfigFromEnvDefaults(t *testing.T) {
	t.Parallel()
	keyFile := filepath.Join(t.TempDir(), "keys", "identity.key")
	env := config.FromMap(map[string]string{"LOOKLOOK_SIGNING_KEY_FILE": keyFile})
	cfg := identity.ConfigFromEnv(env)
	if err := env.Err(); err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != ":8081" || cfg.DatabaseURL != "sqlite:./.looklook/identity.db" ||
		cfg.AccessTokenTTL != 15*time.Minute || cfg.RefreshTokenTTL != 720*time.Hour {
		t.Errorf("defaults = %+v", cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Errorf("default config invalid: %v", err)
	}
	// The key file was created and is reused.
	again := identity.ConfigFromEnv(config.FromMap(map[string]string{"LOOKLOOK_SIGNING_KEY_FILE": keyFile}))
	if !again.SigningKey.Equal(cfg.SigningKey) || len(cfg.SigningKey) != ed25519.PrivateKeySize {
		t.Error("the key file did not keep the signing key")
	}
}

func TestConfigFromEnvSigningKey(t *testing.T) {
	t.Parallel()
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	env := config.FromMap(map[string]string{
		"LOOKLOOK_SIGNING_KEY": authtoken.EncodeKey(key),
		// Unused when the key is given inline; pointing it at a file that cannot be created
		// proves it is not touched.
		"LOOKLOOK_SIGNING_KEY_FILE": "/proc/nope/identity.key",
		"LOOKLOOK_LISTEN_ADDR":      "127.0.0.1:9999",
		"LOOKLOOK_DATABASE_URL":     "postgres://x@db/identity",
		"LOOKLOOK_ACCESS_TOKEN_TTL": "5m",
	})
	cfg := identity.ConfigFromEnv(env)
	if err := env.Err(); err != nil {
		t.Fatal(err)
	}
	if !cfg.SigningKey.Equal(key) || cfg.Addr != "127.0.0.1:9999" || cfg.DatabaseURL != "postgres://x@db/identity" || cfg.AccessTokenTTL != 5*time.Minute {
		t.Errorf("config = %+v", cfg)
	}
}

func TestConfigFromEnvErrors(t *testing.T) {
	t.Parallel()
	secret := base64.StdEncoding.EncodeToString([]byte("thirty-one bytes of secret seed"))
	tests := []struct {
		name    string
		vars    map[string]string
		wantVar string
	}{
		{"short signing key", map[string]string{"LOOKLOOK_SIGNING_KEY": secret}, "LOOKLOOK_SIGNING_KEY"},
		{"signing key not base64", map[string]string{"LOOKLOOK_SIGNING_KEY": "!!not base64!!"}, "LOOKLOOK_SIGNING_KEY"},
		{"key file that cannot be created", map[string]string{"LOOKLOOK_SIGNING_KEY_FILE": "/proc/nope/identity.key"}, "LOOKLOOK_SIGNING_KEY_FILE"},
		{"access TTL not a duration", map[string]string{"LOOKLOOK_ACCESS_TOKEN_TTL": "soon"}, "LOOKLOOK_ACCESS_TOKEN_TTL"},
		{"zero refresh TTL", map[string]string{"LOOKLOOK_REFRESH_TOKEN_TTL": "0s"}, "LOOKLOOK_REFRESH_TOKEN_TTL"},
		{"access TTL not shorter than refresh TTL", map[string]string{"LOOKLOOK_ACCESS_TOKEN_TTL": "2h", "LOOKLOOK_REFRESH_TOKEN_TTL": "1h"}, "LOOKLOOK_ACCESS_TOKEN_TTL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, ok := tt.vars["LOOKLOOK_SIGNING_KEY_FILE"]; !ok {
				tt.vars["LOOKLOOK_SIGNING_KEY_FILE"] = filepath.Join(t.TempDir(), "k")
			}
			env := config.FromMap(tt.vars)
			identity.ConfigFromEnv(env)
			err := env.Err()
			if err == nil || !strings.Contains(err.Error(), tt.wantVar) {
				t.Fatalf("error %v, want one naming %s", err, tt.wantVar)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error %q contains the key", err)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	good := identity.Config{Addr: ":0", DatabaseURL: "sqlite:x", SigningKey: key, AccessTokenTTL: time.Minute, RefreshTokenTTL: time.Hour}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, mutate := range map[string]func(*identity.Config){
		"no key":           func(c *identity.Config) { c.SigningKey = nil },
		"no database":      func(c *identity.Config) { c.DatabaseURL = "" },
		"no address":       func(c *identity.Config) { c.Addr = "" },
		"zero access TTL":  func(c *identity.Config) { c.AccessTokenTTL = 0 },
		"zero refresh TTL": func(c *identity.Config) { c.RefreshTokenTTL = 0 },
		"access >= refresh": func(c *identity.Config) {
			c.AccessTokenTTL = time.Hour
		},
	} {
		c := good
		mutate(&c)
		if err := c.Validate(); err == nil {
			t.Errorf("%s: Validate passed", name)
		}
	}
}

// runIdentity starts Run on a loopback listener and returns a client and a function that stops
// the service and checks it shut down cleanly.
func runIdentity(t *testing.T, cfg identity.Config) (identityv1connect.IdentityServiceClient, func()) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Listener = ln
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- identity.Run(ctx, cfg, testenv.Logger(t)) }()
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}
	t.Cleanup(stop)
	client := identityv1connect.NewIdentityServiceClient(rpcclient.NewHTTPClient(), "http://"+ln.Addr().String(), connect.WithGRPC())
	return client, stop
}

// waitReady retries a cheap call until the service answers: Run migrates before it serves, and
// the listener accepts connections before the server does.
func waitReady(t *testing.T, c identityv1connect.IdentityServiceClient) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		_, err := c.GetVerificationKeys(ctx, connect.NewRequest(&identityv1.GetVerificationKeysRequest{}))
		if err == nil {
			return
		}
		if ctx.Err() != nil {
			t.Fatalf("identity never became ready: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestRestartKeepsSessions(t *testing.T) {
	t.Parallel()
	for _, b := range testenv.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			keyFile := filepath.Join(t.TempDir(), "identity.key")
			env := config.FromMap(map[string]string{
				"LOOKLOOK_DATABASE_URL":     b.URL(t),
				"LOOKLOOK_SIGNING_KEY_FILE": keyFile,
			})
			cfg := identity.ConfigFromEnv(env)
			if err := env.Err(); err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()

			first, stop := runIdentity(t, cfg)
			waitReady(t, first)
			issued, err := first.IssueTokens(ctx, connect.NewRequest(&identityv1.IssueTokensRequest{UserId: 5, Roles: []string{"user"}}))
			if err != nil {
				t.Fatal(err)
			}
			revoked, err := first.IssueTokens(ctx, connect.NewRequest(&identityv1.IssueTokensRequest{UserId: 5}))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := first.RevokeSession(ctx, connect.NewRequest(&identityv1.RevokeSessionRequest{SessionId: revoked.Msg.GetSessionId()})); err != nil {
				t.Fatal(err)
			}
			stop()

			// A new instance reads the same key file and database.
			cfg = identity.ConfigFromEnv(config.FromMap(map[string]string{
				"LOOKLOOK_DATABASE_URL":     cfg.DatabaseURL,
				"LOOKLOOK_SIGNING_KEY_FILE": keyFile,
			}))
			second, _ := runIdentity(t, cfg)
			waitReady(t, second)
			v, err := second.VerifyToken(ctx, connect.NewRequest(&identityv1.VerifyTokenRequest{AccessToken: issued.Msg.GetTokens().GetAccessToken()}))
			if err != nil {
				t.Fatalf("old access token after restart: %v", err)
			}
			if v.Msg.GetClaims().GetSessionId() != issued.Msg.GetSessionId() {
				t.Errorf("claims = %v", v.Msg.GetClaims())
			}
			r, err := second.RefreshTokens(ctx, connect.NewRequest(&identityv1.RefreshTokensRequest{RefreshToken: issued.Msg.GetTokens().GetRefreshToken()}))
			if err != nil {
				t.Fatalf("old refresh token after restart: %v", err)
			}
			if r.Msg.GetSessionId() != issued.Msg.GetSessionId() || r.Msg.GetUserId() != 5 {
				t.Errorf("refresh = %v", r.Msg)
			}
			_, err = second.VerifyToken(ctx, connect.NewRequest(&identityv1.VerifyTokenRequest{AccessToken: revoked.Msg.GetTokens().GetAccessToken()}))
			if connect.CodeOf(err) != connect.CodeUnauthenticated {
				t.Errorf("revoked session after restart: %v", err)
			}
		})
	}
}

func TestRunRejectsInvalidConfig(t *testing.T) {
	t.Parallel()
	err := identity.Run(context.Background(), identity.Config{Addr: ":0"}, testenv.Logger(t))
	if err == nil {
		t.Fatal("Run accepted a config without key, database or TTLs")
	}
}

func TestRunCreatesSQLiteDirectory(t *testing.T) {
	t.Parallel()
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := runIdentity(t, identity.Config{
		DatabaseURL:     "sqlite:" + filepath.Join(t.TempDir(), "not", "yet", "identity.db"),
		SigningKey:      key,
		AccessTokenTTL:  time.Minute,
		RefreshTokenTTL: time.Hour,
	})
	waitReady(t, c)
	if _, err := c.IssueTokens(context.Background(), connect.NewRequest(&identityv1.IssueTokensRequest{UserId: 1})); err != nil {
		t.Fatal(err)
	}
}
