package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/looklook/looklook/platform/testenv"
	"github.com/looklook/looklook/services/identity/internal/app"
	"github.com/looklook/looklook/services/identity/internal/store"
)

// t0 is a fixed instant with a sub-microsecond part, which the store must drop consistently.
var t0 = time.Date(2026, 11, 27, 9, 30, 0, 123456789, time.UTC)

func us(t time.Time) time.Time { return t.Truncate(time.Microsecond) }

// forEachBackend runs the test against a fresh database of every backend.
func forEachBackend(t *testing.T, test func(t *testing.T, s *store.Store)) {
	t.Helper()
	for _, b := range testenv.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			s, err := store.Open(context.Background(), b.URL(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = s.Close() })
			test(t, s)
		})
	}
}

// newSession stores a session for user with a first refresh token named hash.
func newSession(t *testing.T, s *store.Store, user int64, hash string, roles ...string) app.Session {
	t.Helper()
	if roles == nil {
		roles = []string{}
	}
	sess := app.Session{ID: uuid.New(), UserID: user, Roles: roles, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
	tok := app.RefreshToken{Hash: hash, SessionID: sess.ID, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
	if err := s.CreateSession(context.Background(), sess, tok); err != nil {
		t.Fatal(err)
	}
	return sess
}

func hashOf(name string) string {
	// Real hashes are 64 hex characters; tests only need distinct strings of that shape.
	return (name + "0000000000000000000000000000000000000000000000000000000000000000")[:64]
}

// rotate is a decision that always rotates.
func rotate(app.RefreshToken, app.Session) (app.RefreshAction, error) { return app.RefreshRotate, nil }

func TestSessionRoundTrip(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		want := newSession(t, s, 7, hashOf("a"), "user", "admin")
		got, err := s.Session(ctx, want.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != want.ID || got.UserID != 7 || !slices.Equal(got.Roles, []string{"user", "admin"}) {
			t.Errorf("session = %+v", got)
		}
		if !got.CreatedAt.Equal(us(t0)) || !got.ExpiresAt.Equal(us(t0.Add(time.Hour))) || got.Revoked() {
			t.Errorf("times = %v %v %v", got.CreatedAt, got.ExpiresAt, got.RevokedAt)
		}
		if _, err := s.Session(ctx, uuid.New()); !errors.Is(err, app.ErrNotFound) {
			t.Errorf("unknown session: %v, want ErrNotFound", err)
		}
		empty := newSession(t, s, 8, hashOf("b"))
		got, err = s.Session(ctx, empty.ID)
		if err != nil || got.Roles == nil || len(got.Roles) != 0 {
			t.Errorf("session without roles: %#v, %v; want empty non-nil roles", got.Roles, err)
		}
	})
}

func TestRefreshUnknownToken(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *store.Store) {
		called := false
		_, err := s.Refresh(context.Background(), hashOf("nope"), t0, app.RefreshToken{Hash: hashOf("next")},
			func(app.RefreshToken, app.Session) (app.RefreshAction, error) {
				called = true
				return app.RefreshRotate, nil
			})
		if !errors.Is(err, app.ErrNotFound) || called {
			t.Fatalf("err = %v, decide called = %v; want ErrNotFound without a decision", err, called)
		}
	})
}

func TestRefreshRotate(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		sess := newSession(t, s, 7, hashOf("a"), "user")
		now := t0.Add(10 * time.Minute)
		next := app.RefreshToken{Hash: hashOf("b"), CreatedAt: now, ExpiresAt: now.Add(2 * time.Hour)}
		var seenTok app.RefreshToken
		var seenSess app.Session
		got, err := s.Refresh(ctx, hashOf("a"), now, next, func(tok app.RefreshToken, se app.Session) (app.RefreshAction, error) {
			seenTok, seenSess = tok, se
			return app.RefreshRotate, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if seenTok.Hash != hashOf("a") || seenTok.SessionID != sess.ID || !seenTok.UsedAt.IsZero() || !seenTok.ExpiresAt.Equal(us(t0.Add(time.Hour))) {
			t.Errorf("decide saw token %+v", seenTok)
		}
		if seenSess.ID != sess.ID || seenSess.Revoked() {
			t.Errorf("decide saw session %+v", seenSess)
		}
		if got.ID != sess.ID || !got.ExpiresAt.Equal(us(now.Add(2*time.Hour))) || !slices.Equal(got.Roles, []string{"user"}) {
			t.Errorf("refreshed session = %+v; want expiry moved to the new token's", got)
		}

		// The old token is now used; the new one belongs to the same session.
		_, err = s.Refresh(ctx, hashOf("a"), now, app.RefreshToken{Hash: hashOf("c")}, func(tok app.RefreshToken, _ app.Session) (app.RefreshAction, error) {
			if !tok.UsedAt.Equal(us(now)) {
				t.Errorf("old token UsedAt = %v, want %v", tok.UsedAt, us(now))
			}
			return app.RefreshReject, app.ErrRefreshTokenExpired
		})
		if !errors.Is(err, app.ErrRefreshTokenExpired) {
			t.Errorf("reject returned %v, want the rules' error", err)
		}
		_, err = s.Refresh(ctx, hashOf("b"), now, app.RefreshToken{Hash: hashOf("c")}, func(tok app.RefreshToken, se app.Session) (app.RefreshAction, error) {
			if tok.SessionID != sess.ID || !tok.UsedAt.IsZero() || !tok.ExpiresAt.Equal(us(now.Add(2*time.Hour))) {
				t.Errorf("new token = %+v", tok)
			}
			return app.RefreshReject, app.ErrSessionRevoked
		})
		if !errors.Is(err, app.ErrSessionRevoked) {
			t.Errorf("reject returned %v", err)
		}
		// A rejected refresh stored nothing.
		if _, err := s.Refresh(ctx, hashOf("c"), now, app.RefreshToken{Hash: hashOf("d")}, rotate); !errors.Is(err, app.ErrNotFound) {
			t.Errorf("token of a rejected refresh exists: %v", err)
		}
	})
}

func TestRefreshRevokeCommitsDespiteError(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		sess := newSession(t, s, 7, hashOf("a"))
		now := t0.Add(time.Minute)
		for range 2 {
			_, err := s.Refresh(ctx, hashOf("a"), now, app.RefreshToken{Hash: hashOf("b")},
				func(app.RefreshToken, app.Session) (app.RefreshAction, error) {
					return app.RefreshRevoke, app.ErrRefreshTokenReused
				})
			if !errors.Is(err, app.ErrRefreshTokenReused) {
				t.Fatalf("err = %v, want the rules' error", err)
			}
		}
		got, err := s.Session(ctx, sess.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.RevokedAt.Equal(us(now)) {
			t.Errorf("RevokedAt = %v, want %v", got.RevokedAt, us(now))
		}
		revs, last, err := s.Revocations(ctx, 0, time.Time{}, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(revs) != 1 || revs[0].SessionID != sess.ID || !revs[0].RevokeTime.Equal(us(now)) || last != revs[0].Cursor {
			t.Errorf("revocations = %+v, last %d; want one for the session", revs, last)
		}
		if _, err := s.Refresh(ctx, hashOf("b"), now, app.RefreshToken{Hash: hashOf("c")}, rotate); !errors.Is(err, app.ErrNotFound) {
			t.Errorf("a revoking refresh stored the next token: %v", err)
		}
	})
}

func TestRevokeSessionIsIdempotent(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		sess := newSession(t, s, 7, hashOf("a"))
		if err := s.RevokeSession(ctx, sess.ID, t0.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if err := s.RevokeSession(ctx, sess.ID, t0.Add(2*time.Minute)); err != nil {
			t.Fatalf("second revoke: %v", err)
		}
		got, err := s.Session(ctx, sess.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.RevokedAt.Equal(us(t0.Add(time.Minute))) {
			t.Errorf("RevokedAt = %v; the first revocation's time must stay", got.RevokedAt)
		}
		revs, _, err := s.Revocations(ctx, 0, time.Time{}, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(revs) != 1 {
			t.Errorf("%d revocations, want 1", len(revs))
		}
		if err := s.RevokeSession(ctx, uuid.New(), t0); !errors.Is(err, app.ErrNotFound) {
			t.Errorf("unknown session: %v, want ErrNotFound", err)
		}
	})
}

func TestAddRole(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		live := newSession(t, s, 7, hashOf("a"), "user")
		already := newSession(t, s, 7, hashOf("b"), "user", "landlord")
		revoked := newSession(t, s, 7, hashOf("c"), "user")
		if err := s.RevokeSession(ctx, revoked.ID, t0); err != nil {
			t.Fatal(err)
		}
		// The expired session is created with an expiry before "now" below.
		expired := app.Session{ID: uuid.New(), UserID: 7, Roles: []string{"user"}, CreatedAt: t0, ExpiresAt: t0.Add(time.Minute)}
		if err := s.CreateSession(ctx, expired, app.RefreshToken{Hash: hashOf("d"), SessionID: expired.ID, CreatedAt: t0, ExpiresAt: t0.Add(time.Minute)}); err != nil {
			t.Fatal(err)
		}
		other := newSession(t, s, 8, hashOf("e"), "user")

		n, err := s.AddRole(ctx, 7, "landlord", t0.Add(30*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("AddRole changed %d sessions, want 1", n)
		}
		for _, tc := range []struct {
			sess app.Session
			want []string
		}{
			{live, []string{"user", "landlord"}},
			{already, []string{"user", "landlord"}},
			{revoked, []string{"user"}},
			{expired, []string{"user"}},
			{other, []string{"user"}},
		} {
			got, err := s.Session(ctx, tc.sess.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.Roles, tc.want) {
				t.Errorf("session %s roles = %v, want %v", tc.sess.ID, got.Roles, tc.want)
			}
		}
		if n, err := s.AddRole(ctx, 99, "admin", t0); err != nil || n != 0 {
			t.Errorf("AddRole for a user without sessions = %d, %v", n, err)
		}
	})
}

func TestRevocations(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		revs, last, err := s.Revocations(ctx, 0, time.Time{}, 10)
		if err != nil || len(revs) != 0 || last != 0 {
			t.Fatalf("empty: %v %d %v", revs, last, err)
		}
		var ids []uuid.UUID
		for i := range 5 {
			sess := newSession(t, s, 7, hashOf(string(rune('a'+i))))
			// Revoked a minute apart, oldest first.
			if err := s.RevokeSession(ctx, sess.ID, t0.Add(time.Duration(i)*time.Minute)); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, sess.ID)
		}
		all, last, err := s.Revocations(ctx, 0, time.Time{}, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 5 || last != all[4].Cursor {
			t.Fatalf("all = %+v, last %d", all, last)
		}
		for i, r := range all {
			if r.SessionID != ids[i] || (i > 0 && r.Cursor <= all[i-1].Cursor) {
				t.Errorf("revocation %d = %+v, want session %s in cursor order", i, r, ids[i])
			}
		}

		page, last2, err := s.Revocations(ctx, all[1].Cursor, time.Time{}, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) != 2 || page[0].Cursor != all[2].Cursor || page[1].Cursor != all[3].Cursor || last2 != last {
			t.Errorf("page after #2 = %+v, last %d", page, last2)
		}
		recent, _, err := s.Revocations(ctx, 0, t0.Add(3*time.Minute), 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(recent) != 2 || recent[0].SessionID != ids[3] {
			t.Errorf("since filter = %+v, want the last two", recent)
		}
		none, last3, err := s.Revocations(ctx, last, time.Time{}, 10)
		if err != nil || len(none) != 0 || last3 != last {
			t.Errorf("after the last: %+v %d %v", none, last3, err)
		}
	})
}
