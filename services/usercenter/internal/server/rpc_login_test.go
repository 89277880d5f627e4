package server_test

import (
	"context"
	"fmt"
	"testing"

	"connectrpc.com/connect"
	"github.com/redis/go-redis/v9"

	usercenterv1 "github.com/looklook/looklook/gen/looklook/usercenter/v1"
	"github.com/looklook/looklook/gen/looklook/usercenter/v1/usercenterv1connect"
	"github.com/looklook/looklook/platform/testenv"
	"github.com/looklook/looklook/services/usercenter/internal/app"
	"github.com/looklook/looklook/services/usercenter/internal/lockout"
)

const (
	badCredentials  = "incorrect mobile number or password"
	tooManyAttempts = "too many failed sign-in attempts; try again later"
)

func login(c usercenterv1connect.UserServiceClient, mobile, password, client string) (*usercenterv1.User, error) {
	res, err := c.Login(context.Background(), connect.NewRequest(&usercenterv1.LoginRequest{
		Mobile: mobile, Password: password, ClientAddress: client,
	}))
	if err != nil {
		return nil, err
	}
	return res.Msg.GetUser(), nil
}

func TestLogin(t *testing.T) {
	t.Parallel()
	ps := serve(t, options{})
	want := register(t, ps[0].client, mobile(1), "password123", "alice")
	for _, p := range ps {
		t.Run(p.name, func(t *testing.T) {
			u, err := login(p.client, mobile(1), "password123", "192.0.2.1")
			if err != nil {
				t.Fatal(err)
			}
			if u.GetId() != want.GetId() || u.GetNickname() != "alice" {
				t.Fatalf("login user = %v, want %v", u, want)
			}

			// A wrong password and an unknown mobile are indistinguishable.
			_, wrong := login(p.client, mobile(1), "password124", "192.0.2.1")
			_, unknown := login(p.client, mobile(2), "password123", "192.0.2.1")
			wantError(t, wrong, connect.CodeUnauthenticated, badCredentials)
			wantError(t, unknown, connect.CodeUnauthenticated, badCredentials)
			if wrong.Error() != unknown.Error() {
				t.Fatalf("wrong password says %q, unknown mobile says %q", wrong, unknown)
			}
		})
	}
}

func TestLoginLocksAMobileOut(t *testing.T) {
	t.Parallel()
	for _, l := range limiters() {
		t.Run(l.name, func(t *testing.T) {
			t.Parallel()
			const max = 3
			ps := serve(t, options{limiter: l.new, policy: lockout.Policy{MaxPerMobile: max, MaxPerClient: 100, Window: defaultPolicy.Window}})
			register(t, ps[0].client, mobile(1), "password123", "")
			register(t, ps[0].client, mobile(2), "password123", "")
			for i := range max {
				// Different client addresses: only the per-mobile count can lock.
				_, err := login(ps[i%2].client, mobile(1), "wrong-password", fmt.Sprintf("192.0.2.%d", i))
				wantError(t, err, connect.CodeUnauthenticated, badCredentials)
			}
			for _, p := range ps {
				_, err := login(p.client, mobile(1), "password123", "198.51.100.1")
				wantError(t, err, connect.CodeResourceExhausted, tooManyAttempts)
			}
			if _, err := login(ps[0].client, mobile(2), "password123", "198.51.100.1"); err != nil {
				t.Fatalf("another mobile is locked out too: %v", err)
			}
		})
	}
}

func TestLoginLocksAClientOutAcrossMobiles(t *testing.T) {
	t.Parallel()
	for _, l := range limiters() {
		t.Run(l.name, func(t *testing.T) {
			t.Parallel()
			const max = 4
			ps := serve(t, options{limiter: l.new, policy: lockout.Policy{MaxPerMobile: 100, MaxPerClient: max, Window: defaultPolicy.Window}})
			register(t, ps[0].client, mobile(100), "password123", "")
			for i := range max {
				// Unknown mobiles count against the client as wrong passwords do.
				_, err := login(ps[i%2].client, mobile(i), "password123", "203.0.113.7")
				wantError(t, err, connect.CodeUnauthenticated, badCredentials)
			}
			for _, p := range ps {
				_, err := login(p.client, mobile(100), "password123", "203.0.113.7")
				wantError(t, err, connect.CodeResourceExhausted, tooManyAttempts)
			}
			if _, err := login(ps[0].client, mobile(100), "password123", "203.0.113.8"); err != nil {
				t.Fatalf("the same account from another client is locked out: %v", err)
			}
		})
	}
}

func TestLoginSuccessClearsTheMobilesFailures(t *testing.T) {
	t.Parallel()
	for _, l := range limiters() {
		t.Run(l.name, func(t *testing.T) {
			t.Parallel()
			const max = 3
			ps := serve(t, options{limiter: l.new, policy: lockout.Policy{MaxPerMobile: max, MaxPerClient: 100, Window: defaultPolicy.Window}})
			register(t, ps[0].client, mobile(1), "password123", "")
			for range 3 {
				for range max - 1 {
					_, err := login(ps[0].client, mobile(1), "wrong-password", "192.0.2.1")
					wantError(t, err, connect.CodeUnauthenticated, badCredentials)
				}
				if _, err := login(ps[1].client, mobile(1), "password123", "192.0.2.1"); err != nil {
					t.Fatalf("login after %d failures: %v", max-1, err)
				}
			}
		})
	}
}

func TestLoginWorksWhenRedisIsDown(t *testing.T) {
	t.Parallel()
	dead := func(t *testing.T, p lockout.Policy) app.Limiter {
		// Nothing listens on port 1.
		client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialerRetries: 1})
		t.Cleanup(func() { _ = client.Close() })
		return lockout.NewRedis(client, "unused:", p, testenv.Logger(t))
	}
	ps := serve(t, options{limiter: dead, policy: lockout.Policy{MaxPerMobile: 2, MaxPerClient: 100, Window: defaultPolicy.Window}})
	register(t, ps[0].client, mobile(1), "password123", "")
	for _, p := range ps {
		if _, err := login(p.client, mobile(1), "password123", "192.0.2.1"); err != nil {
			t.Fatalf("%s: login with Redis down: %v", p.name, err)
		}
	}
	// Failures still count, in memory.
	for range 2 {
		_, err := login(ps[0].client, mobile(1), "wrong-password", "192.0.2.1")
		wantError(t, err, connect.CodeUnauthenticated, badCredentials)
	}
	_, err := login(ps[1].client, mobile(1), "password123", "192.0.2.1")
	wantError(t, err, connect.CodeResourceExhausted, tooManyAttempts)
}
