package server_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/google/uuid"

	identityv1 "github.com/looklook/looklook/gen/looklook/identity/v1"
	"github.com/looklook/looklook/gen/looklook/identity/v1/identityv1connect"
	"github.com/looklook/looklook/platform/authtoken"
	platformserver "github.com/looklook/looklook/platform/server"
	"github.com/looklook/looklook/platform/testenv"
	"github.com/looklook/looklook/services/identity/internal/app"
	"github.com/looklook/looklook/services/identity/internal/server"
	"github.com/looklook/looklook/services/identity/internal/store"
)

const (
	accessTTL  = 15 * time.Minute
	refreshTTL = 24 * time.Hour
)

type clock struct{ ns atomic.Int64 }

func (c *clock) Now() time.Time          { return time.Unix(0, c.ns.Load()).UTC() }
func (c *clock) Advance(d time.Duration) { c.ns.Add(int64(d)) }

// fixture is a running identity server on a fresh PostgreSQL database.
type fixture struct {
	clock   *clock
	store   *store.Store
	baseURL string
	// clients speak the Connect protocol and gRPC.
	clients map[string]identityv1connect.IdentityServiceClient
}

func start(t *testing.T) *fixture {
	t.Helper()
	st, err := store.Open(context.Background(), testenv.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{}
	c.ns.Store(time.Now().UnixNano())
	svc := app.New(st, key, app.Config{AccessTokenTTL: accessTTL, RefreshTokenTTL: refreshTTL})
	svc.Now = c.Now
	path, handler := identityv1connect.NewIdentityServiceHandler(server.New(svc), platformserver.HandlerOptions(testenv.Logger(t), platformserver.Interceptors{})...)
	baseURL, httpClient := testenv.Serve(t, platformserver.Options{
		Services: []platformserver.Service{{Name: identityv1connect.IdentityServiceName, Path: path, Handler: handler}},
	})
	return &fixture{
		clock:   c,
		store:   st,
		baseURL: baseURL,
		clients: map[string]identityv1connect.IdentityServiceClient{
			"connect": identityv1connect.NewIdentityServiceClient(httpClient, baseURL),
			"grpc":    identityv1connect.NewIdentityServiceClient(httpClient, baseURL, connect.WithGRPC()),
		},
	}
}

// eachProtocol runs test once per client protocol against one server.
func (f *fixture) eachProtocol(t *testing.T, test func(t *testing.T, c identityv1connect.IdentityServiceClient)) {
	t.Helper()
	for name, c := range f.clients {
		t.Run(name, func(t *testing.T) { test(t, c) })
	}
}

func issue(t *testing.T, c identityv1connect.IdentityServiceClient, user int64, roles ...string) *identityv1.IssueTokensResponse {
	t.Helper()
	res, err := c.IssueTokens(context.Background(), connect.NewRequest(&identityv1.IssueTokensRequest{UserId: user, Roles: roles}))
	if err != nil {
		t.Fatalf("IssueTokens: %v", err)
	}
	return res.Msg
}

// wantCode checks an error's code and that its message is the public one, not internal text.
func wantCode(t *testing.T, err error, code connect.Code, msg string) {
	t.Helper()
	if connect.CodeOf(err) != code {
		t.Fatalf("error %v: code %v, want %v", err, connect.CodeOf(err), code)
	}
	var ce *connect.Error
	if !errors.As(err, &ce) {
		t.Fatalf("error %v is not a connect error", err)
	}
	if msg != "" && ce.Message() != msg {
		t.Errorf("message %q, want %q", ce.Message(), msg)
	}
	for _, leak := range []string{"sql", "ent:", "pq:", "postgres", "sqlite", "authtoken", "jwt", "token is", "signature"} {
		if strings.Contains(strings.ToLower(ce.Message()), leak) {
			t.Errorf("message %q leaks internal text (%q)", ce.Message(), leak)
		}
	}
}

func TestIssueThenVerify(t *testing.T) {
	t.Parallel()
	f := start(t)
	f.eachProtocol(t, func(t *testing.T, c identityv1connect.IdentityServiceClient) {
		ctx := context.Background()
		issued := issue(t, c, 42, "user", "admin")
		if _, err := uuid.Parse(issued.GetSessionId()); err != nil {
			t.Errorf("session id %q: %v", issued.GetSessionId(), err)
		}
		tok := issued.GetTokens()
		if tok.GetAccessToken() == "" || tok.GetRefreshToken() == "" ||
			!tok.GetAccessExpireTime().AsTime().After(f.clock.Now()) ||
			!tok.GetRefreshExpireTime().AsTime().After(tok.GetAccessExpireTime().AsTime()) {
			t.Fatalf("tokens = %v", tok)
		}
		res, err := c.VerifyToken(ctx, connect.NewRequest(&identityv1.VerifyTokenRequest{AccessToken: tok.GetAccessToken()}))
		if err != nil {
			t.Fatal(err)
		}
		cl := res.Msg.GetClaims()
		if cl.GetUserId() != 42 || cl.GetSessionId() != issued.GetSessionId() || !slices.Equal(cl.GetRoles(), []string{"user", "admin"}) ||
			!cl.GetExpireTime().AsTime().Equal(tok.GetAccessExpireTime().AsTime()) {
			t.Errorf("claims = %v", cl)
		}

		// What GetVerificationKeys publishes is enough to verify locally.
		keys, err := c.GetVerificationKeys(ctx, connect.NewRequest(&identityv1.GetVerificationKeysRequest{}))
		if err != nil {
			t.Fatal(err)
		}
		if keys.Msg.GetIssuer() != authtoken.Issuer || len(keys.Msg.GetKeys()) != 1 || keys.Msg.GetKeys()[0].GetAlgorithm() != "EdDSA" {
			t.Fatalf("keys = %v", keys.Msg)
		}
		k := keys.Msg.GetKeys()[0]
		v := authtoken.NewVerifier(map[string]ed25519.PublicKey{k.GetKeyId(): k.GetPublicKey()})
		if claims, err := v.Verify(tok.GetAccessToken(), f.clock.Now()); err != nil || claims.UserID != 42 {
			t.Errorf("local verify: %+v %v", claims, err)
		}
	})
}

func TestRefreshRotatesAndDetectsReuse(t *testing.T) {
	t.Parallel()
	f := start(t)
	f.eachProtocol(t, func(t *testing.T, c identityv1connect.IdentityServiceClient) {
		ctx := context.Background()
		issued := issue(t, c, 7, "user")
		refresh := func(token string) (*identityv1.RefreshTokensResponse, error) {
			res, err := c.RefreshTokens(ctx, connect.NewRequest(&identityv1.RefreshTokensRequest{RefreshToken: token}))
			if err != nil {
				return nil, err
			}
			return res.Msg, nil
		}
		second, err := refresh(issued.GetTokens().GetRefreshToken())
		if err != nil {
			t.Fatal(err)
		}
		if second.GetUserId() != 7 || second.GetSessionId() != issued.GetSessionId() ||
			second.GetTokens().GetRefreshToken() == issued.GetTokens().GetRefreshToken() {
			t.Fatalf("refresh = %v", second)
		}
		third, err := refresh(second.GetTokens().GetRefreshToken())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.VerifyToken(ctx, connect.NewRequest(&identityv1.VerifyTokenRequest{AccessToken: third.GetTokens().GetAccessToken()})); err != nil {
			t.Fatalf("verify the newest access token: %v", err)
		}

		// Presenting a rotated token again revokes the session.
		_, err = refresh(issued.GetTokens().GetRefreshToken())
		wantCode(t, err, connect.CodeUnauthenticated, "refresh token reuse detected; session revoked")
		_, err = refresh(third.GetTokens().GetRefreshToken())
		wantCode(t, err, connect.CodeUnauthenticated, "session revoked")
		_, err = c.VerifyToken(ctx, connect.NewRequest(&identityv1.VerifyTokenRequest{AccessToken: third.GetTokens().GetAccessToken()}))
		wantCode(t, err, connect.CodeUnauthenticated, "session revoked")

		revs, err := c.ListRevocations(ctx, connect.NewRequest(&identityv1.ListRevocationsRequest{}))
		if err != nil {
			t.Fatal(err)
		}
		found := slices.ContainsFunc(revs.Msg.GetRevocations(), func(r *identityv1.Revocation) bool {
			return r.GetSessionId() == issued.GetSessionId()
		})
		if !found || revs.Msg.GetNextCursor() == 0 {
			t.Errorf("revocations %v do not show session %s", revs.Msg, issued.GetSessionId())
		}

		_, err = refresh("never-issued-refresh-token-xxxxxxxxxxxxxxxxx")
		wantCode(t, err, connect.CodeUnauthenticated, "invalid refresh token")
	})
}

func TestRevokeSession(t *testing.T) {
	t.Parallel()
	f := start(t)
	f.eachProtocol(t, func(t *testing.T, c identityv1connect.IdentityServiceClient) {
		ctx := context.Background()
		issued := issue(t, c, 7)
		before, err := c.ListRevocations(ctx, connect.NewRequest(&identityv1.ListRevocationsRequest{}))
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if _, err := c.RevokeSession(ctx, connect.NewRequest(&identityv1.RevokeSessionRequest{SessionId: issued.GetSessionId()})); err != nil {
				t.Fatalf("RevokeSession: %v", err)
			}
		}
		_, err = c.VerifyToken(ctx, connect.NewRequest(&identityv1.VerifyTokenRequest{AccessToken: issued.GetTokens().GetAccessToken()}))
		wantCode(t, err, connect.CodeUnauthenticated, "session revoked")
		_, err = c.RefreshTokens(ctx, connect.NewRequest(&identityv1.RefreshTokensRequest{RefreshToken: issued.GetTokens().GetRefreshToken()}))
		wantCode(t, err, connect.CodeUnauthenticated, "session revoked")

		after, err := c.ListRevocations(ctx, connect.NewRequest(&identityv1.ListRevocationsRequest{AfterCursor: before.Msg.GetNextCursor()}))
		if err != nil {
			t.Fatal(err)
		}
		if len(after.Msg.GetRevocations()) != 1 || after.Msg.GetRevocations()[0].GetSessionId() != issued.GetSessionId() {
			t.Errorf("revoking twice recorded %v", after.Msg.GetRevocations())
		}
		again, err := c.ListRevocations(ctx, connect.NewRequest(&identityv1.ListRevocationsRequest{AfterCursor: after.Msg.GetNextCursor()}))
		if err != nil || len(again.Msg.GetRevocations()) != 0 || again.Msg.GetNextCursor() != after.Msg.GetNextCursor() {
			t.Errorf("poll with nothing new: %v %v", again, err)
		}

		_, err = c.RevokeSession(ctx, connect.NewRequest(&identityv1.RevokeSessionRequest{SessionId: uuid.NewString()}))
		wantCode(t, err, connect.CodeNotFound, "session not found")
	})
}

func TestGrantRole(t *testing.T) {
	t.Parallel()
	f := start(t)
	f.eachProtocol(t, func(t *testing.T, c identityv1connect.IdentityServiceClient) {
		ctx := context.Background()
		user := time.Now().UnixNano() // A user per protocol run.
		issued := issue(t, c, user, "user")
		if _, err := c.GrantRole(ctx, connect.NewRequest(&identityv1.GrantRoleRequest{UserId: user, Role: "landlord"})); err != nil {
			t.Fatal(err)
		}
		res, err := c.RefreshTokens(ctx, connect.NewRequest(&identityv1.RefreshTokensRequest{RefreshToken: issued.GetTokens().GetRefreshToken()}))
		if err != nil {
			t.Fatal(err)
		}
		v, err := c.VerifyToken(ctx, connect.NewRequest(&identityv1.VerifyTokenRequest{AccessToken: res.Msg.GetTokens().GetAccessToken()}))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(v.Msg.GetClaims().GetRoles(), []string{"user", "landlord"}) {
			t.Errorf("roles after grant and refresh = %v", v.Msg.GetClaims().GetRoles())
		}
	})
}

func TestExpiredAndForgedAccessTokens(t *testing.T) {
	t.Parallel()
	f := start(t)
	ctx := context.Background()
	c := f.clients["connect"]
	issued := issue(t, c, 7)

	_, otherKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	forged, err := authtoken.NewSigner(otherKey).Sign(authtoken.Claims{
		UserID: 7, SessionID: issued.GetSessionId(), Roles: []string{"admin"}, ExpiresAt: f.clock.Now().Add(time.Hour),
	}, f.clock.Now())
	if err != nil {
		t.Fatal(err)
	}

	f.eachProtocol(t, func(t *testing.T, c identityv1connect.IdentityServiceClient) {
		_, err := c.VerifyToken(ctx, connect.NewRequest(&identityv1.VerifyTokenRequest{AccessToken: forged}))
		wantCode(t, err, connect.CodeUnauthenticated, "invalid access token")
		_, err = c.VerifyToken(ctx, connect.NewRequest(&identityv1.VerifyTokenRequest{AccessToken: "eyJhbGciOiJub25lIn0.e30.AAAAAAAA"}))
		wantCode(t, err, connect.CodeUnauthenticated, "invalid access token")
	})

	f.clock.Advance(accessTTL + time.Minute)
	f.eachProtocol(t, func(t *testing.T, c identityv1connect.IdentityServiceClient) {
		_, err := c.VerifyToken(ctx, connect.NewRequest(&identityv1.VerifyTokenRequest{AccessToken: issued.GetTokens().GetAccessToken()}))
		wantCode(t, err, connect.CodeUnauthenticated, "access token expired")
	})
	// The refresh token outlives the access token.
	if _, err := c.RefreshTokens(ctx, connect.NewRequest(&identityv1.RefreshTokensRequest{RefreshToken: issued.GetTokens().GetRefreshToken()})); err != nil {
		t.Errorf("refresh after the access token expired: %v", err)
	}
}

func TestExpiredRefreshToken(t *testing.T) {
	t.Parallel()
	f := start(t)
	c := f.clients["grpc"]
	issued := issue(t, c, 7)
	f.clock.Advance(refreshTTL + time.Second)
	_, err := c.RefreshTokens(context.Background(), connect.NewRequest(&identityv1.RefreshTokensRequest{RefreshToken: issued.GetTokens().GetRefreshToken()}))
	wantCode(t, err, connect.CodeUnauthenticated, "refresh token expired")
}

func TestInvalidArguments(t *testing.T) {
	t.Parallel()
	f := start(t)
	ctx := context.Background()
	tests := []struct {
		name string
		call func(c identityv1connect.IdentityServiceClient) error
	}{
		{"IssueTokens user_id must be positive", func(c identityv1connect.IdentityServiceClient) error {
			_, err := c.IssueTokens(ctx, connect.NewRequest(&identityv1.IssueTokensRequest{UserId: 0}))
			return err
		}},
		{"IssueTokens roles must be known", func(c identityv1connect.IdentityServiceClient) error {
			_, err := c.IssueTokens(ctx, connect.NewRequest(&identityv1.IssueTokensRequest{UserId: 1, Roles: []string{"root"}}))
			return err
		}},
		{"IssueTokens roles must be unique", func(c identityv1connect.IdentityServiceClient) error {
			_, err := c.IssueTokens(ctx, connect.NewRequest(&identityv1.IssueTokensRequest{UserId: 1, Roles: []string{"user", "user"}}))
			return err
		}},
		{"RefreshTokens refresh_token must not be empty", func(c identityv1connect.IdentityServiceClient) error {
			_, err := c.RefreshTokens(ctx, connect.NewRequest(&identityv1.RefreshTokensRequest{}))
			return err
		}},
		{"VerifyToken access_token must not be empty", func(c identityv1connect.IdentityServiceClient) error {
			_, err := c.VerifyToken(ctx, connect.NewRequest(&identityv1.VerifyTokenRequest{}))
			return err
		}},
		{"RevokeSession session_id must be a UUID", func(c identityv1connect.IdentityServiceClient) error {
			_, err := c.RevokeSession(ctx, connect.NewRequest(&identityv1.RevokeSessionRequest{SessionId: "not-a-uuid"}))
			return err
		}},
		{"GrantRole user_id must be positive", func(c identityv1connect.IdentityServiceClient) error {
			_, err := c.GrantRole(ctx, connect.NewRequest(&identityv1.GrantRoleRequest{UserId: 0, Role: "admin"}))
			return err
		}},
		{"GrantRole role must be known", func(c identityv1connect.IdentityServiceClient) error {
			_, err := c.GrantRole(ctx, connect.NewRequest(&identityv1.GrantRoleRequest{UserId: 1, Role: "root"}))
			return err
		}},
		{"ListRevocations page_size at most 1000", func(c identityv1connect.IdentityServiceClient) error {
			_, err := c.ListRevocations(ctx, connect.NewRequest(&identityv1.ListRevocationsRequest{PageSize: 1001}))
			return err
		}},
		{"ListRevocations after_cursor not negative", func(c identityv1connect.IdentityServiceClient) error {
			_, err := c.ListRevocations(ctx, connect.NewRequest(&identityv1.ListRevocationsRequest{AfterCursor: -1}))
			return err
		}},
	}
	f.eachProtocol(t, func(t *testing.T, c identityv1connect.IdentityServiceClient) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				wantCode(t, tt.call(c), connect.CodeInvalidArgument, "")
			})
		}
	})
}

func TestStorageErrorsAreMasked(t *testing.T) {
	t.Parallel()
	f := start(t)
	issued := issue(t, f.clients["connect"], 7)
	// With the database gone every storage call fails; clients must see only a generic error.
	if err := f.store.Close(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	f.eachProtocol(t, func(t *testing.T, c identityv1connect.IdentityServiceClient) {
		_, err := c.IssueTokens(ctx, connect.NewRequest(&identityv1.IssueTokensRequest{UserId: 7}))
		wantCode(t, err, connect.CodeInternal, "internal error")
		_, err = c.VerifyToken(ctx, connect.NewRequest(&identityv1.VerifyTokenRequest{AccessToken: issued.GetTokens().GetAccessToken()}))
		wantCode(t, err, connect.CodeInternal, "internal error")
		_, err = c.RefreshTokens(ctx, connect.NewRequest(&identityv1.RefreshTokensRequest{RefreshToken: issued.GetTokens().GetRefreshToken()}))
		wantCode(t, err, connect.CodeInternal, "internal error")
		_, err = c.ListRevocations(ctx, connect.NewRequest(&identityv1.ListRevocationsRequest{}))
		wantCode(t, err, connect.CodeInternal, "internal error")
	})
}
