package auth_test

import (
	"context"
	"crypto/ed25519"
	"net"
	"path/filepath"
	"testing"
	"time"

	"connectrpc.com/connect"

	"github.com/looklook/looklook/bff/internal/auth"
	identityv1 "github.com/looklook/looklook/gen/looklook/identity/v1"
	"github.com/looklook/looklook/gen/looklook/identity/v1/identityv1connect"
	"github.com/looklook/looklook/platform/rpcclient"
	"github.com/looklook/looklook/platform/testenv"
	"github.com/looklook/looklook/services/identity"
)

func TestBearerToken(t *testing.T) {
	t.Parallel()
	cases := []struct {
		header, token string
		ok            bool
	}{
		{"Bearer abc.def.ghi", "abc.def.ghi", true},
		{"bearer  abc ", "abc", true},
		{"Basic dXNlcjpwYXNz", "", false},
		{"Bearer", "", false},
		{"Bearer ", "", false},
		{"", "", false},
	}
	for _, tc := range cases {
		token, ok := auth.BearerToken(tc.header)
		if token != tc.token || ok != tc.ok {
			t.Errorf("BearerToken(%q) = %q, %v; want %q, %v", tc.header, token, ok, tc.token, tc.ok)
		}
	}
}

// startIdentity runs the real identity service until stop is called or the test ends.
func startIdentity(t *testing.T) (client identityv1connect.IdentityServiceClient, stop func()) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, key, _ := ed25519.GenerateKey(nil)
	cfg := identity.Config{
		Listener:        ln,
		DatabaseURL:     "sqlite:" + filepath.Join(t.TempDir(), "identity.db"),
		SigningKey:      key,
		AccessTokenTTL:  time.Minute,
		RefreshTokenTTL: time.Hour,
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- identity.Run(ctx, cfg, testenv.Logger(t)) }()
	stopped := false
	stop = func() {
		if !stopped {
			stopped = true
			cancel()
			if err := <-done; err != nil {
				t.Errorf("identity: %v", err)
			}
		}
	}
	t.Cleanup(stop)
	return identityv1connect.NewIdentityServiceClient(rpcclient.NewHTTPClient(), "http://"+ln.Addr().String()), stop
}

// TestRevocationAndFailClosed checks that a revoked session is rejected after the next poll,
// and that when identity becomes unreachable the authenticator stops trusting its stale view:
// valid tokens get Unavailable rather than being accepted unchecked.
func TestRevocationAndFailClosed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	idc, stopIdentity := startIdentity(t)
	a, err := auth.New(ctx, auth.Options{
		Identity:     idc,
		PollInterval: 50 * time.Millisecond,
		MaxStaleness: 300 * time.Millisecond,
		Logger:       testenv.Logger(t),
	})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	go a.Run(runCtx)

	issue := func() (string, string) {
		res, err := idc.IssueTokens(ctx, connect.NewRequest(&identityv1.IssueTokensRequest{UserId: 7, Roles: []string{"user"}}))
		if err != nil {
			t.Fatal(err)
		}
		return res.Msg.GetTokens().GetAccessToken(), res.Msg.GetSessionId()
	}
	revokedToken, session := issue()
	keptToken, _ := issue()
	claims, err := a.Authenticate(ctx, revokedToken)
	if err != nil || claims.UserID != 7 {
		t.Fatalf("Authenticate = %+v, %v", claims, err)
	}

	// Revoked in identity, not through this authenticator: it learns by polling.
	if _, err := idc.RevokeSession(ctx, connect.NewRequest(&identityv1.RevokeSessionRequest{SessionId: session})); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, err := a.Authenticate(ctx, revokedToken)
		if connect.CodeOf(err) == connect.CodeUnauthenticated {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("revoked session still accepted after 5s: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := a.Authenticate(ctx, keptToken); err != nil {
		t.Fatalf("an unrelated session was rejected: %v", err)
	}

	stopIdentity()
	deadline = time.Now().Add(5 * time.Second)
	for {
		_, err := a.Authenticate(ctx, keptToken)
		if connect.CodeOf(err) == connect.CodeUnavailable {
			break
		}
		if err != nil {
			t.Fatalf("with identity down: code %v, want unavailable (%v)", connect.CodeOf(err), err)
		}
		if time.Now().After(deadline) {
			t.Fatalf("a token was still accepted on a stale revocation view 5s after identity stopped")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestUnlistedProceduresNeedAToken checks the safe default: a procedure without a policy
// requires a signed-in caller.
func TestUnlistedProceduresNeedAToken(t *testing.T) {
	t.Parallel()
	idc, _ := startIdentity(t)
	a, err := auth.New(context.Background(), auth.Options{Identity: idc, Policies: map[string]auth.Policy{}})
	if err != nil {
		t.Fatal(err)
	}
	var reached bool
	next := connect.UnaryFunc(func(context.Context, connect.AnyRequest) (connect.AnyResponse, error) {
		reached = true
		return nil, nil
	})
	// A request built outside a handler has an empty procedure name, which no policy lists.
	req := connect.NewRequest(&identityv1.GetVerificationKeysRequest{})
	_, err = a.Interceptor().WrapUnary(next)(context.Background(), req)
	if connect.CodeOf(err) != connect.CodeUnauthenticated || reached {
		t.Fatalf("unlisted procedure without a token: code %v, handler reached %v", connect.CodeOf(err), reached)
	}
}
