package app_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/looklook/looklook/platform/authtoken"
	"github.com/looklook/looklook/platform/testenv"
	"github.com/looklook/looklook/services/identity/internal/app"
	"github.com/looklook/looklook/services/identity/internal/store"
)

// clock is a settable time source for the service.
type clock struct{ ns atomic.Int64 }

func newClock() *clock {
	c := &clock{}
	c.ns.Store(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC).UnixNano())
	return c
}
func (c *clock) Now() time.Time          { return time.Unix(0, c.ns.Load()).UTC() }
func (c *clock) Advance(d time.Duration) { c.ns.Add(int64(d)) }

const (
	accessTTL  = 15 * time.Minute
	refreshTTL = 24 * time.Hour
)

type env struct {
	svc   *app.Service
	store *store.Store
	clock *clock
	key   ed25519.PrivateKey
}

func forEachBackend(t *testing.T, test func(t *testing.T, e env)) {
	t.Helper()
	for _, b := range testenv.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			st, err := store.Open(context.Background(), b.URL(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = st.Close() })
			_, key, err := ed25519.GenerateKey(rand.Reader)
			if err != nil {
				t.Fatal(err)
			}
			c := newClock()
			svc := app.New(st, key, app.Config{AccessTokenTTL: accessTTL, RefreshTokenTTL: refreshTTL})
			svc.Now = c.Now
			test(t, env{svc: svc, store: st, clock: c, key: key})
		})
	}
}

func TestIssueAndVerify(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, e env) {
		ctx := context.Background()
		id, pair, err := e.svc.IssueTokens(ctx, 42, []string{"user", "landlord"})
		if err != nil {
			t.Fatal(err)
		}
		now := e.clock.Now()
		if !pair.AccessExpiresAt.Equal(now.Add(accessTTL)) || !pair.RefreshExpiresAt.Equal(now.Add(refreshTTL)) {
			t.Errorf("expiry times %v %v", pair.AccessExpiresAt, pair.RefreshExpiresAt)
		}
		if len(pair.RefreshToken) != 43 {
			t.Errorf("refresh token %d characters, want 43 (32 bytes base64url)", len(pair.RefreshToken))
		}
		claims, err := e.svc.VerifyToken(ctx, pair.AccessToken)
		if err != nil {
			t.Fatal(err)
		}
		if claims.UserID != 42 || claims.SessionID != id.String() || !slices.Equal(claims.Roles, []string{"user", "landlord"}) ||
			!claims.ExpiresAt.Equal(pair.AccessExpiresAt) {
			t.Errorf("claims = %+v", claims)
		}
		// The published key verifies the token locally, as the BFF does.
		keys := e.svc.VerificationKeys()
		if len(keys) != 1 || keys[0].Algorithm != "EdDSA" {
			t.Fatalf("keys = %+v", keys)
		}
		v := authtoken.NewVerifier(map[string]ed25519.PublicKey{keys[0].KeyID: keys[0].PublicKey})
		if _, err := v.Verify(pair.AccessToken, now); err != nil {
			t.Errorf("local verification: %v", err)
		}

		e.clock.Advance(accessTTL + time.Minute)
		if _, err := e.svc.VerifyToken(ctx, pair.AccessToken); !errors.Is(err, app.ErrAccessTokenExpired) {
			t.Errorf("expired token: %v, want ErrAccessTokenExpired", err)
		}
	})
}

func TestIssueRejectsBadInput(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, e env) {
		ctx := context.Background()
		if _, _, err := e.svc.IssueTokens(ctx, 0, nil); !errors.Is(err, app.ErrInvalidArgument) {
			t.Errorf("user 0: %v", err)
		}
		if _, _, err := e.svc.IssueTokens(ctx, 1, []string{"root"}); !errors.Is(err, app.ErrInvalidArgument) {
			t.Errorf("role root: %v", err)
		}
		if err := e.svc.GrantRole(ctx, 1, "root"); !errors.Is(err, app.ErrInvalidArgument) {
			t.Errorf("grant root: %v", err)
		}
		if _, _, err := e.svc.ListRevocations(ctx, -1, 0); !errors.Is(err, app.ErrInvalidArgument) {
			t.Errorf("negative cursor: %v", err)
		}
		if _, _, err := e.svc.ListRevocations(ctx, 0, 1001); !errors.Is(err, app.ErrInvalidArgument) {
			t.Errorf("page 1001: %v", err)
		}
	})
}

func TestRefreshRules(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, e env) {
		ctx := context.Background()

		t.Run("rotation", func(t *testing.T) {
			id, first, err := e.svc.IssueTokens(ctx, 7, []string{"user"})
			if err != nil {
				t.Fatal(err)
			}
			e.clock.Advance(time.Minute)
			sess, second, err := e.svc.RefreshTokens(ctx, first.RefreshToken)
			if err != nil {
				t.Fatal(err)
			}
			if sess.ID != id || sess.UserID != 7 || second.RefreshToken == first.RefreshToken || second.AccessToken == first.AccessToken {
				t.Errorf("refresh = %+v %+v", sess, second)
			}
			if !second.RefreshExpiresAt.Equal(e.clock.Now().Add(refreshTTL)) {
				t.Errorf("refresh expiry %v, want a full TTL from now", second.RefreshExpiresAt)
			}
			if _, _, err := e.svc.RefreshTokens(ctx, second.RefreshToken); err != nil {
				t.Errorf("the new refresh token does not work: %v", err)
			}
		})

		t.Run("unknown", func(t *testing.T) {
			if _, _, err := e.svc.RefreshTokens(ctx, "this-token-was-never-issued-by-anyone"); !errors.Is(err, app.ErrInvalidRefreshToken) {
				t.Errorf("err = %v", err)
			}
		})

		t.Run("expired", func(t *testing.T) {
			id, pair, err := e.svc.IssueTokens(ctx, 7, nil)
			if err != nil {
				t.Fatal(err)
			}
			e.clock.Advance(refreshTTL)
			if _, _, err := e.svc.RefreshTokens(ctx, pair.RefreshToken); !errors.Is(err, app.ErrRefreshTokenExpired) {
				t.Errorf("err = %v", err)
			}
			sess, err := e.store.Session(ctx, id)
			if err != nil || sess.Revoked() {
				t.Errorf("an expired token revoked its session: %+v %v", sess, err)
			}
		})

		t.Run("reuse revokes the session", func(t *testing.T) {
			id, first, err := e.svc.IssueTokens(ctx, 7, nil)
			if err != nil {
				t.Fatal(err)
			}
			_, second, err := e.svc.RefreshTokens(ctx, first.RefreshToken)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := e.svc.RefreshTokens(ctx, first.RefreshToken); !errors.Is(err, app.ErrRefreshTokenReused) {
				t.Fatalf("reuse: %v", err)
			}
			if _, _, err := e.svc.RefreshTokens(ctx, second.RefreshToken); !errors.Is(err, app.ErrSessionRevoked) {
				t.Errorf("the thief's or owner's newer token still works: %v", err)
			}
			if _, err := e.svc.VerifyToken(ctx, second.AccessToken); !errors.Is(err, app.ErrSessionRevoked) {
				t.Errorf("access token of the revoked session: %v", err)
			}
			sess, err := e.store.Session(ctx, id)
			if err != nil || !sess.Revoked() {
				t.Errorf("session after reuse: %+v %v", sess, err)
			}
		})

		t.Run("revoked session", func(t *testing.T) {
			id, pair, err := e.svc.IssueTokens(ctx, 7, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := e.svc.RevokeSession(ctx, id); err != nil {
				t.Fatal(err)
			}
			if _, _, err := e.svc.RefreshTokens(ctx, pair.RefreshToken); !errors.Is(err, app.ErrSessionRevoked) {
				t.Errorf("err = %v", err)
			}
		})
	})
}

func TestConcurrentRefreshesOfOneTokenOneWins(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, e env) {
		ctx := context.Background()
		for round := range 5 {
			_, pair, err := e.svc.IssueTokens(ctx, 7, nil)
			if err != nil {
				t.Fatal(err)
			}
			const n = 8
			var (
				wg      sync.WaitGroup
				start   = make(chan struct{})
				wins    atomic.Int32
				reuses  atomic.Int32
				revoked atomic.Int32
			)
			for range n {
				wg.Go(func() {
					<-start
					_, _, err := e.svc.RefreshTokens(ctx, pair.RefreshToken)
					switch {
					case err == nil:
						wins.Add(1)
					case errors.Is(err, app.ErrRefreshTokenReused):
						reuses.Add(1)
					case errors.Is(err, app.ErrSessionRevoked):
						revoked.Add(1)
					default:
						t.Errorf("round %d: unexpected error %v", round, err)
					}
				})
			}
			close(start)
			wg.Wait()
			if wins.Load() != 1 || wins.Load()+reuses.Load() != n {
				t.Fatalf("round %d: %d refreshes succeeded, %d saw reuse, %d saw a revoked session; want exactly 1 success and the rest reuse",
					round, wins.Load(), reuses.Load(), revoked.Load())
			}
		}
	})
}

func TestGrantRoleReachesTheNextRefresh(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, e env) {
		ctx := context.Background()
		_, pair, err := e.svc.IssueTokens(ctx, 9, []string{"user"})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.svc.GrantRole(ctx, 9, "landlord"); err != nil {
			t.Fatal(err)
		}
		sess, next, err := e.svc.RefreshTokens(ctx, pair.RefreshToken)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(sess.Roles, []string{"user", "landlord"}) {
			t.Errorf("session roles %v", sess.Roles)
		}
		claims, err := e.svc.VerifyToken(ctx, next.AccessToken)
		if err != nil || !claims.HasRole("landlord") {
			t.Errorf("claims after grant: %+v %v", claims, err)
		}
	})
}

func TestRevokeSession(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, e env) {
		ctx := context.Background()
		if err := e.svc.RevokeSession(ctx, uuid.New()); !errors.Is(err, app.ErrSessionNotFound) {
			t.Errorf("unknown session: %v", err)
		}
		id, pair, err := e.svc.IssueTokens(ctx, 7, nil)
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if err := e.svc.RevokeSession(ctx, id); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := e.svc.VerifyToken(ctx, pair.AccessToken); !errors.Is(err, app.ErrSessionRevoked) {
			t.Errorf("verify after revoke: %v", err)
		}
		revs, next, err := e.svc.ListRevocations(ctx, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(revs) != 1 || revs[0].SessionID != id || next != revs[0].Cursor {
			t.Errorf("revocations %+v next %d", revs, next)
		}
	})
}

func TestVerifyRejectsForeignTokens(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, e env) {
		ctx := context.Background()
		_, other, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		id, _, err := e.svc.IssueTokens(ctx, 7, nil)
		if err != nil {
			t.Fatal(err)
		}
		forged, err := authtoken.NewSigner(other).Sign(authtoken.Claims{UserID: 7, SessionID: id.String(), ExpiresAt: e.clock.Now().Add(time.Minute)}, e.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		// A genuine signature over a session that does not exist, and one whose id is no UUID.
		own := authtoken.NewSigner(e.key)
		ghost, err := own.Sign(authtoken.Claims{UserID: 7, SessionID: uuid.NewString(), ExpiresAt: e.clock.Now().Add(time.Minute)}, e.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		notUUID, err := own.Sign(authtoken.Claims{UserID: 7, SessionID: "abc", ExpiresAt: e.clock.Now().Add(time.Minute)}, e.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		for name, token := range map[string]string{"forged": forged, "ghost session": ghost, "non-uuid session": notUUID, "garbage": "garbage-garbage-garbage"} {
			if _, err := e.svc.VerifyToken(ctx, token); !errors.Is(err, app.ErrInvalidAccessToken) {
				t.Errorf("%s: %v, want ErrInvalidAccessToken", name, err)
			}
		}
	})
}

func TestListRevocationsCursor(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, e env) {
		ctx := context.Background()
		revoke := func() uuid.UUID {
			t.Helper()
			id, _, err := e.svc.IssueTokens(ctx, 7, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := e.svc.RevokeSession(ctx, id); err != nil {
				t.Fatal(err)
			}
			return id
		}
		if revs, next, err := e.svc.ListRevocations(ctx, 0, 0); err != nil || len(revs) != 0 || next != 0 {
			t.Fatalf("empty: %v %d %v", revs, next, err)
		}
		revoke()
		revoke()
		// Those two are now older than any access token could live.
		e.clock.Advance(accessTTL + 2*time.Minute)
		fresh := []uuid.UUID{revoke(), revoke(), revoke()}

		revs, next, err := e.svc.ListRevocations(ctx, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(revs) != 3 || revs[0].SessionID != fresh[0] || revs[2].SessionID != fresh[2] || next != revs[2].Cursor {
			t.Fatalf("from 0: %+v next %d; want only the fresh three", revs, next)
		}
		if more, again, err := e.svc.ListRevocations(ctx, next, 0); err != nil || len(more) != 0 || again != next {
			t.Errorf("nothing new: %+v next %d %v; want the same cursor", more, again, err)
		}

		// Paging from 0 with a small page continues from the page's end.
		page, pnext, err := e.svc.ListRevocations(ctx, 0, 2)
		if err != nil || len(page) != 2 || pnext != page[1].Cursor || page[0].SessionID != fresh[0] {
			t.Fatalf("page of 2: %+v %d %v", page, pnext, err)
		}
		rest, rnext, err := e.svc.ListRevocations(ctx, pnext, 2)
		if err != nil || len(rest) != 1 || rest[0].SessionID != fresh[2] || rnext != next {
			t.Errorf("rest: %+v %d %v", rest, rnext, err)
		}

		// Once every fresh one is old too, a new poller is sent nothing but still skips them all.
		e.clock.Advance(accessTTL + 2*time.Minute)
		none, skip, err := e.svc.ListRevocations(ctx, 0, 0)
		if err != nil || len(none) != 0 || skip != next {
			t.Errorf("all old: %+v next %d %v; want none and next %d", none, skip, err, next)
		}
		later := revoke()
		newer, nn, err := e.svc.ListRevocations(ctx, skip, 0)
		if err != nil || len(newer) != 1 || newer[0].SessionID != later || nn != newer[0].Cursor {
			t.Errorf("after skip: %+v %d %v", newer, nn, err)
		}

		// A cursor from a database that has since been reset comes back to the real last one.
		if revs, back, err := e.svc.ListRevocations(ctx, nn+1000, 0); err != nil || len(revs) != 0 || back != nn {
			t.Errorf("cursor beyond the last: %+v %d %v; want none and next %d", revs, back, err, nn)
		}
	})
}
