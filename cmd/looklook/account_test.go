package main

import (
	"context"
	"crypto/ed25519"
	"errors"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"connectrpc.com/grpchealth"
	"connectrpc.com/grpcreflect"

	"github.com/looklook/looklook/bff"
	bffv1 "github.com/looklook/looklook/gen/looklook/bff/v1"
	"github.com/looklook/looklook/gen/looklook/bff/v1/bffv1connect"
	"github.com/looklook/looklook/platform/authtoken"
	"github.com/looklook/looklook/platform/config"
	"github.com/looklook/looklook/platform/rpcclient"
	"github.com/looklook/looklook/platform/testenv"
)

func accountClient(sys *system, opts ...connect.ClientOption) bffv1connect.AccountServiceClient {
	return bffv1connect.NewAccountServiceClient(sys.hc, sys.bff, opts...)
}

// withToken returns a request carrying a bearer token.
func withToken[T any](msg *T, token string) *connect.Request[T] {
	req := connect.NewRequest(msg)
	if token != "" {
		req.Header().Set("Authorization", "Bearer "+token)
	}
	return req
}

// wantCode fails the test unless err has the code, and checks the message is public.
func wantCode(t *testing.T, err error, code connect.Code) {
	t.Helper()
	if got := connect.CodeOf(err); got != code {
		t.Fatalf("code = %v, want %v (err: %v)", got, code, err)
	}
	var ce *connect.Error
	if errors.As(err, &ce) {
		for _, leak := range []string{"sql", "ent:", "pq:", "dial tcp", "127.0.0.1", "goroutine", "panic"} {
			if strings.Contains(strings.ToLower(ce.Message()), leak) {
				t.Fatalf("error message %q leaks internal text %q", ce.Message(), leak)
			}
		}
	}
}

func TestAccountLifecycle(t *testing.T) {
	t.Parallel()
	for _, backend := range []string{"postgres", "sqlite"} {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			sys := startSystem(t, systemOptions{backend: backend})
			for name, opts := range map[string][]connect.ClientOption{"connect": nil, "grpc": {connect.WithGRPC()}} {
				t.Run(name, func(t *testing.T) {
					ctx := context.Background()
					c := accountClient(sys, opts...)
					mobile := map[string]string{"connect": "13911110001", "grpc": "13911110002"}[name]

					reg, err := c.Register(ctx, connect.NewRequest(&bffv1.RegisterRequest{Mobile: mobile, Password: "correct-horse-1", Nickname: "Ann"}))
					if err != nil {
						t.Fatalf("Register: %v", err)
					}
					if reg.Msg.GetUser().GetNickname() != "Ann" || reg.Msg.GetTokens().GetAccessToken() == "" || reg.Msg.GetTokens().GetRefreshToken() == "" {
						t.Fatalf("Register = %v", reg.Msg)
					}
					_, err = c.Register(ctx, connect.NewRequest(&bffv1.RegisterRequest{Mobile: mobile, Password: "correct-horse-1"}))
					wantCode(t, err, connect.CodeAlreadyExists)

					login, err := c.Login(ctx, connect.NewRequest(&bffv1.LoginRequest{Mobile: mobile, Password: "correct-horse-1"}))
					if err != nil {
						t.Fatalf("Login: %v", err)
					}
					_, err = c.Login(ctx, connect.NewRequest(&bffv1.LoginRequest{Mobile: mobile, Password: "wrong-password"}))
					wantCode(t, err, connect.CodeUnauthenticated)

					access := login.Msg.GetTokens().GetAccessToken()
					me, err := c.GetMe(ctx, withToken(&bffv1.GetMeRequest{}, access))
					if err != nil {
						t.Fatalf("GetMe: %v", err)
					}
					if me.Msg.GetUser().GetMobile() != mobile || !contains(me.Msg.GetUser().GetRoles(), "user") {
						t.Fatalf("GetMe = %v", me.Msg.GetUser())
					}

					nick := "Annie"
					upd, err := c.UpdateMe(ctx, withToken(&bffv1.UpdateMeRequest{Nickname: &nick}, access))
					if err != nil || upd.Msg.GetUser().GetNickname() != "Annie" {
						t.Fatalf("UpdateMe = %v, %v", upd, err)
					}

					// Refresh rotates: the new pair works, and replaying the old refresh token ends
					// the session, so even the new pair stops working.
					refreshed, err := c.RefreshTokens(ctx, connect.NewRequest(&bffv1.RefreshTokensRequest{RefreshToken: login.Msg.GetTokens().GetRefreshToken()}))
					if err != nil {
						t.Fatalf("RefreshTokens: %v", err)
					}
					newAccess := refreshed.Msg.GetTokens().GetAccessToken()
					if _, err := c.GetMe(ctx, withToken(&bffv1.GetMeRequest{}, newAccess)); err != nil {
						t.Fatalf("GetMe with refreshed token: %v", err)
					}
					_, err = c.RefreshTokens(ctx, connect.NewRequest(&bffv1.RefreshTokensRequest{RefreshToken: login.Msg.GetTokens().GetRefreshToken()}))
					wantCode(t, err, connect.CodeUnauthenticated)
					_, err = c.RefreshTokens(ctx, connect.NewRequest(&bffv1.RefreshTokensRequest{RefreshToken: refreshed.Msg.GetTokens().GetRefreshToken()}))
					wantCode(t, err, connect.CodeUnauthenticated)
					waitUnauthenticated(t, c, newAccess)

					// Logout ends the registration's session.
					regAccess := reg.Msg.GetTokens().GetAccessToken()
					if _, err := c.Logout(ctx, withToken(&bffv1.LogoutRequest{}, regAccess)); err != nil {
						t.Fatalf("Logout: %v", err)
					}
					_, err = c.GetMe(ctx, withToken(&bffv1.GetMeRequest{}, regAccess))
					wantCode(t, err, connect.CodeUnauthenticated)
				})
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// waitUnauthenticated waits for a revoked session's access token to be rejected. The BFF polls
// revocations every 500ms, so this takes at most about that long; the bound is generous to
// stay reliable on a loaded machine.
func waitUnauthenticated(t *testing.T, c bffv1connect.AccountServiceClient, token string) time.Duration {
	t.Helper()
	start := time.Now()
	for time.Since(start) < 5*time.Second {
		_, err := c.GetMe(context.Background(), withToken(&bffv1.GetMeRequest{}, token))
		if connect.CodeOf(err) == connect.CodeUnauthenticated {
			return time.Since(start)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("token still accepted 5s after its session was revoked")
	return 0
}

func TestLogoutReachesEveryBFFInstance(t *testing.T) {
	t.Parallel()
	sys := startSystem(t, systemOptions{backend: "postgres"})
	// A second BFF instance on the same services, as in a scaled-out deployment.
	cfg := bff.ConfigFromEnv(config.FromMap(map[string]string{
		"LOOKLOOK_IDENTITY_URL":   sys.services["identity"],
		"LOOKLOOK_USERCENTER_URL": sys.services["usercenter"],
		"LOOKLOOK_TRAVEL_URL":     sys.services["travel"],
	}))
	ln, hc := listenBFF(t, cfg)
	other := bffv1connect.NewAccountServiceClient(hc, ln)

	ctx := context.Background()
	c := accountClient(sys)
	reg, err := c.Register(ctx, connect.NewRequest(&bffv1.RegisterRequest{Mobile: "13911110003", Password: "correct-horse-1"}))
	if err != nil {
		t.Fatal(err)
	}
	access := reg.Msg.GetTokens().GetAccessToken()
	if _, err := other.GetMe(ctx, withToken(&bffv1.GetMeRequest{}, access)); err != nil {
		t.Fatalf("GetMe on the second instance: %v", err)
	}
	if _, err := c.Logout(ctx, withToken(&bffv1.LogoutRequest{}, access)); err != nil {
		t.Fatal(err)
	}
	took := waitUnauthenticated(t, other, access)
	t.Logf("the second BFF instance rejected the logged-out token after %v", took)
}

func TestBadInputIsRejectedClearly(t *testing.T) {
	t.Parallel()
	sys := startSystem(t, systemOptions{backend: "sqlite"})
	ctx := context.Background()
	c := accountClient(sys)
	reg, err := c.Register(ctx, connect.NewRequest(&bffv1.RegisterRequest{Mobile: "13911110004", Password: "correct-horse-1"}))
	if err != nil {
		t.Fatal(err)
	}

	registers := []struct {
		name string
		req  *bffv1.RegisterRequest
	}{
		{"an empty mobile", &bffv1.RegisterRequest{Mobile: "", Password: "correct-horse-1"}},
		{"a malformed mobile", &bffv1.RegisterRequest{Mobile: "12345", Password: "correct-horse-1"}},
		{"a 1-character password", &bffv1.RegisterRequest{Mobile: "13911110005", Password: "x"}},
		{"a 10 kB nickname", &bffv1.RegisterRequest{Mobile: "13911110005", Password: "correct-horse-1", Nickname: strings.Repeat("n", 10_000)}},
	}
	for _, tc := range registers {
		t.Run("Register with "+tc.name+" is InvalidArgument", func(t *testing.T) {
			_, err := c.Register(ctx, connect.NewRequest(tc.req))
			wantCode(t, err, connect.CodeInvalidArgument)
		})
	}

	// Tokens: missing, garbage, tampered, signed by another key, expired, of a revoked session.
	access := reg.Msg.GetTokens().GetAccessToken()
	realKey, err := authtoken.LoadOrCreateKey(filepath.Join(sys.dataDir, "identity-signing.key"))
	if err != nil {
		t.Fatal(err)
	}
	real := authtoken.NewSigner(realKey)
	claims, err := authtoken.NewVerifier(map[string]ed25519.PublicKey{real.KeyID(): real.PublicKey()}).Verify(access, time.Now())
	if err != nil {
		t.Fatalf("the launcher's key does not verify its own token: %v", err)
	}
	_, otherKey, _ := ed25519.GenerateKey(nil)
	forged, err := authtoken.NewSigner(otherKey).Sign(claims, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	expiredClaims := claims
	expiredClaims.ExpiresAt = time.Now().Add(-time.Minute)
	expired, err := real.Sign(expiredClaims, time.Now().Add(-20*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(access, ".")
	tampered := parts[0] + "." + parts[1][:len(parts[1])-2] + "xx." + parts[2]

	login, err := c.Login(ctx, connect.NewRequest(&bffv1.LoginRequest{Mobile: "13911110004", Password: "correct-horse-1"}))
	if err != nil {
		t.Fatal(err)
	}
	revoked := login.Msg.GetTokens().GetAccessToken()
	if _, err := c.Logout(ctx, withToken(&bffv1.LogoutRequest{}, revoked)); err != nil {
		t.Fatal(err)
	}

	tokens := []struct{ name, token, header string }{
		{"a missing token", "", ""},
		{"a garbage token", "", "Bearer not-a-token"},
		{"a non-bearer scheme", "", "Basic dXNlcjpwYXNz"},
		{"a tampered token", tampered, ""},
		{"a token signed by another key", forged, ""},
		{"an expired token", expired, ""},
		{"a token of a revoked session", revoked, ""},
	}
	for _, tc := range tokens {
		t.Run("GetMe with "+tc.name+" is Unauthenticated", func(t *testing.T) {
			req := withToken(&bffv1.GetMeRequest{}, tc.token)
			if tc.header != "" {
				req.Header().Set("Authorization", tc.header)
			}
			_, err := c.GetMe(ctx, req)
			wantCode(t, err, connect.CodeUnauthenticated)
		})
	}
	if _, err := c.GetMe(ctx, withToken(&bffv1.GetMeRequest{}, access)); err != nil {
		t.Fatalf("the untouched token stopped working: %v", err)
	}

	// Malformed bodies never reach a handler: Connect answers 400 or 415 itself.
	raw := []struct {
		name, contentType, body string
		status                  int
	}{
		{"malformed JSON", "application/json", `{"mobile":`, http.StatusBadRequest},
		{"a wrong content type", "text/plain", `{}`, http.StatusUnsupportedMediaType},
		{"a wrong field type", "application/json", `{"mobile":13800138000}`, http.StatusBadRequest},
	}
	for _, tc := range raw {
		t.Run("Register with "+tc.name, func(t *testing.T) {
			res, err := sys.hc.Post(sys.bff+bffv1connect.AccountServiceRegisterProcedure, tc.contentType, strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			if res.StatusCode != tc.status {
				t.Fatalf("status = %d, want %d", res.StatusCode, tc.status)
			}
		})
	}
}

func TestCORSPreflight(t *testing.T) {
	t.Parallel()
	sys := startSystem(t, systemOptions{backend: "sqlite"})
	preflight := func(origin string) *http.Response {
		req, _ := http.NewRequest(http.MethodOptions, sys.bff+bffv1connect.AccountServiceGetMeProcedure, nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "authorization,connect-protocol-version,content-type")
		res, err := sys.hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	ok := preflight("http://localhost:8080")
	if ok.Header.Get("Access-Control-Allow-Origin") != "http://localhost:8080" {
		t.Fatalf("allowed origin: status %d, headers %v", ok.StatusCode, ok.Header)
	}
	allowed := strings.ToLower(ok.Header.Get("Access-Control-Allow-Headers"))
	for _, h := range []string{"authorization", "connect-protocol-version", "content-type"} {
		if !strings.Contains(allowed, h) {
			t.Errorf("preflight does not allow header %s (got %q)", h, allowed)
		}
	}
	if bad := preflight("https://evil.example"); bad.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("a foreign origin was allowed: %v", bad.Header)
	}

	// A real cross-origin call exposes the Connect and gRPC-Web response headers.
	req, _ := http.NewRequest(http.MethodPost, sys.bff+bffv1connect.AccountServiceGetMeProcedure, strings.NewReader("{}"))
	req.Header.Set("Origin", "http://localhost:8080")
	req.Header.Set("Content-Type", "application/json")
	res, err := sys.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.Header.Get("Access-Control-Allow-Origin") != "http://localhost:8080" || !strings.Contains(strings.ToLower(res.Header.Get("Access-Control-Expose-Headers")), "grpc-status") {
		t.Fatalf("cross-origin response headers: %v", res.Header)
	}
}

func TestReflectionAndHealthOnEveryPort(t *testing.T) {
	t.Parallel()
	sys := startSystem(t, systemOptions{backend: "sqlite"})
	want := map[string][]string{
		sys.bff: {
			bffv1connect.AccountServiceName, bffv1connect.HomestayServiceName, bffv1connect.BusinessServiceName,
			bffv1connect.CommentServiceName, bffv1connect.LandlordServiceName, bffv1connect.AdminServiceName,
		},
		sys.services["identity"]:   {"looklook.identity.v1.IdentityService"},
		sys.services["usercenter"]: {"looklook.usercenter.v1.UserService"},
		sys.services["travel"]:     {"looklook.travel.v1.TravelService"},
	}
	for base, services := range want {
		stream := grpcreflect.NewClient(sys.hc, base).NewStream(context.Background())
		names, err := stream.ListServices()
		stream.Close()
		if err != nil {
			t.Fatalf("%s: reflection: %v", base, err)
		}
		got := map[string]bool{}
		for _, n := range names {
			got[string(n)] = true
		}
		for _, s := range services {
			if !got[s] {
				t.Errorf("%s: reflection lists %v, missing %s", base, names, s)
			}
		}
		res, err := grpchealth.NewClient(sys.hc, base, connect.WithGRPC()).Check(context.Background(), &grpchealth.CheckRequest{})
		if err != nil || res.Status != grpchealth.StatusServing {
			t.Errorf("%s: health = %v, %v", base, res, err)
		}
	}
}

// listenBFF runs another BFF instance until the test ends and returns its URL and a client.
func listenBFF(t *testing.T, cfg bff.Config) (string, *http.Client) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Listener = ln
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- bff.Run(ctx, cfg, testenv.Logger(t)) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("second bff: %v", err)
		}
	})
	return "http://" + ln.Addr().String(), rpcclient.NewHTTPClient()
}
