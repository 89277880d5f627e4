// Package store keeps identity's sessions, refresh tokens and revocations in SQL through Ent. It is
// the only package that imports identity's ent, maps Ent errors to app sentinels and owns the
// transactions.
package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"entgo.io/ent/dialect"
	"github.com/google/uuid"

	"github.com/looklook/looklook/platform/database"
	"github.com/looklook/looklook/services/identity/ent"
	"github.com/looklook/looklook/services/identity/ent/refreshtoken"
	"github.com/looklook/looklook/services/identity/ent/revocation"
	"github.com/looklook/looklook/services/identity/ent/session"
	"github.com/looklook/looklook/services/identity/internal/app"
)

// Store implements app.Store on PostgreSQL or SQLite.
type Store struct {
	client *ent.Client
	// locks says whether the database takes row locks (SELECT ... FOR UPDATE). PostgreSQL does;
	// SQLite has none, but there every write transaction holds the database's single write lock
	// from its start (database.Open sets _txlock=immediate), which serialises them anyway.
	locks bool
}

var _ app.Store = (*Store)(nil)

// Open connects to the database at url (see database.Open) and migrates its schema.
func Open(ctx context.Context, url string) (*Store, error) {
	drv, err := database.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	client := ent.NewClient(ent.Driver(drv))
	if err := migrate(ctx, client); err != nil {
		_ = client.Close()
		return nil, fmt.Errorf("migrate identity schema: %w", err)
	}
	return &Store{client: client, locks: drv.Dialect() == dialect.Postgres}, nil
}

// migrateMu serialises schema migrations within the process. Ent's Schema.Create writes to the
// generated package-level table descriptions in ent/migrate, so two stores opened at once (as in
// parallel tests) would race on them. It is the one package-level variable here, guarding
// another package's.
var migrateMu sync.Mutex

func migrate(ctx context.Context, client *ent.Client) error {
	migrateMu.Lock()
	defer migrateMu.Unlock()
	return client.Schema.Create(ctx)
}

// Close closes the database connections.
func (s *Store) Close() error { return s.client.Close() }

// withTx runs fn in a transaction, committing when it returns nil and rolling back when it
// returns an error or panics.
func (s *Store) withTx(ctx context.Context, fn func(tx *ent.Tx) error) error {
	return database.WithTx(ctx, s.client.Tx, fn)
}

// CreateSession stores a session and its first refresh token in one transaction.
func (s *Store) CreateSession(ctx context.Context, sess app.Session, first app.RefreshToken) error {
	return s.withTx(ctx, func(tx *ent.Tx) error {
		err := tx.Session.Create().
			SetID(sess.ID).
			SetUserID(sess.UserID).
			SetRoles(sess.Roles).
			SetCreatedAt(dbTime(sess.CreatedAt)).
			SetExpiresAt(dbTime(sess.ExpiresAt)).
			Exec(ctx)
		if err != nil {
			return fmt.Errorf("insert session: %w", err)
		}
		if err := s.insertRefreshToken(ctx, tx, sess.ID, first); err != nil {
			return err
		}
		return nil
	})
}

func (s *Store) insertRefreshToken(ctx context.Context, tx *ent.Tx, sessionID uuid.UUID, t app.RefreshToken) error {
	err := tx.RefreshToken.Create().
		SetTokenHash(t.Hash).
		SetSessionID(sessionID).
		SetCreatedAt(dbTime(t.CreatedAt)).
		SetExpiresAt(dbTime(t.ExpiresAt)).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("insert refresh token: %w", err)
	}
	return nil
}

// Refresh decides and applies a refresh token rotation in one transaction; see app.Store.
func (s *Store) Refresh(ctx context.Context, hash string, now time.Time, next app.RefreshToken,
	decide func(app.RefreshToken, app.Session) (app.RefreshAction, error)) (app.Session, error) {
	var (
		out     app.Session
		ruleErr error
	)
	err := s.withTx(ctx, func(tx *ent.Tx) error {
		tq := tx.RefreshToken.Query().Where(refreshtoken.TokenHash(hash))
		if s.locks {
			tq = tq.ForUpdate()
		}
		tok, err := tq.Only(ctx)
		if err != nil {
			return notFound(err, "load refresh token")
		}
		sq := tx.Session.Query().Where(session.ID(tok.SessionID))
		if s.locks {
			sq = sq.ForUpdate()
		}
		sess, err := sq.Only(ctx)
		if err != nil {
			return fmt.Errorf("load session of refresh token: %w", err)
		}

		action, err := decide(toRefreshToken(tok), toSession(sess))
		switch action {
		case app.RefreshReject:
			if err == nil {
				err = errors.New("refresh rejected without a reason")
			}
			return err
		case app.RefreshRevoke:
			// The revocation must commit although the caller fails, so the rules' error is
			// kept aside and the transaction ends normally.
			ruleErr = err
			if ruleErr == nil {
				ruleErr = errors.New("session revoked without a reason")
			}
			return s.revoke(ctx, tx, sess, now)
		case app.RefreshRotate:
		default:
			return fmt.Errorf("unknown refresh action %d", action)
		}

		if err := tx.RefreshToken.UpdateOne(tok).SetUsedAt(dbTime(now)).Exec(ctx); err != nil {
			return fmt.Errorf("mark refresh token used: %w", err)
		}
		if err := s.insertRefreshToken(ctx, tx, sess.ID, next); err != nil {
			return err
		}
		sess, err = tx.Session.UpdateOne(sess).SetExpiresAt(dbTime(next.ExpiresAt)).Save(ctx)
		if err != nil {
			return fmt.Errorf("extend session: %w", err)
		}
		out = toSession(sess)
		return nil
	})
	if err != nil {
		return app.Session{}, err
	}
	if ruleErr != nil {
		return app.Session{}, ruleErr
	}
	return out, nil
}

// Session returns a session by id.
func (s *Store) Session(ctx context.Context, id uuid.UUID) (app.Session, error) {
	sess, err := s.client.Session.Get(ctx, id)
	if err != nil {
		return app.Session{}, notFound(err, "load session")
	}
	return toSession(sess), nil
}

// RevokeSession revokes a session once; see app.Store.
func (s *Store) RevokeSession(ctx context.Context, id uuid.UUID, now time.Time) error {
	return s.withTx(ctx, func(tx *ent.Tx) error {
		q := tx.Session.Query().Where(session.ID(id))
		if s.locks {
			q = q.ForUpdate()
		}
		sess, err := q.Only(ctx)
		if err != nil {
			return notFound(err, "load session")
		}
		return s.revoke(ctx, tx, sess, now)
	})
}

// revoke marks a session that the transaction has locked as revoked and appends its
// Revocation, unless it was revoked before.
func (s *Store) revoke(ctx context.Context, tx *ent.Tx, sess *ent.Session, now time.Time) error {
	if sess.RevokedAt != nil {
		return nil
	}
	if err := tx.Session.UpdateOne(sess).SetRevokedAt(dbTime(now)).Exec(ctx); err != nil {
		return fmt.Errorf("revoke session: %w", err)
	}
	if s.locks {
		// Pollers page through revocations by id and must never see id n+1 committed while id n
		// is still in flight, or they would skip n for good. Taking this lock before the insert
		// makes revocations draw ids and commit one at a time, in id order. It does not block
		// readers, and revocations are rare. (SQLite already commits one writer at a time.)
		if _, err := tx.ExecContext(ctx, `LOCK TABLE revocations IN EXCLUSIVE MODE`); err != nil {
			return fmt.Errorf("lock revocations: %w", err)
		}
	}
	err := tx.Revocation.Create().
		SetSessionID(sess.ID).
		SetRevokeTime(dbTime(now)).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("insert revocation: %w", err)
	}
	return nil
}

// AddRole adds role to the user's live sessions; see app.Store.
func (s *Store) AddRole(ctx context.Context, userID int64, role string, now time.Time) (int, error) {
	changed := 0
	err := s.withTx(ctx, func(tx *ent.Tx) error {
		q := tx.Session.Query().
			Where(
				session.UserID(userID),
				session.RevokedAtIsNil(),
				session.ExpiresAtGT(dbTime(now)),
			).
			Order(ent.Asc(session.FieldID))
		if s.locks {
			// Locking in id order keeps two grants for one user from deadlocking.
			q = q.ForUpdate()
		}
		sessions, err := q.All(ctx)
		if err != nil {
			return fmt.Errorf("load sessions: %w", err)
		}
		for _, sess := range sessions {
			if slices.Contains(sess.Roles, role) {
				continue
			}
			roles := append(slices.Clone(sess.Roles), role)
			if err := tx.Session.UpdateOne(sess).SetRoles(roles).Exec(ctx); err != nil {
				return fmt.Errorf("add role to session: %w", err)
			}
			changed++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return changed, nil
}

// Revocations lists revocations after a cursor; see app.Store.
func (s *Store) Revocations(ctx context.Context, after int64, since time.Time, limit int) ([]app.Revocation, int64, error) {
	// The largest cursor is read first and bounds the page, so a revocation committed between
	// the two queries is neither sent nor skipped: it is above the cursor returned.
	last, err := s.client.Revocation.Query().
		Order(ent.Desc(revocation.FieldID)).
		FirstID(ctx)
	switch {
	case ent.IsNotFound(err):
		return nil, 0, nil
	case err != nil:
		return nil, 0, fmt.Errorf("load last revocation: %w", err)
	}
	q := s.client.Revocation.Query().
		Where(
			revocation.IDGT(after),
			revocation.IDLTE(last),
		).
		Order(ent.Asc(revocation.FieldID)).
		Limit(limit)
	if !since.IsZero() {
		q = q.Where(revocation.RevokeTimeGTE(dbTime(since)))
	}
	rows, err := q.All(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("load revocations: %w", err)
	}
	out := make([]app.Revocation, len(rows))
	for i, r := range rows {
		out[i] = app.Revocation{Cursor: r.ID, SessionID: r.SessionID, RevokeTime: r.RevokeTime.UTC()}
	}
	return out, last, nil
}

// notFound maps Ent's not-found error to app.ErrNotFound and wraps anything else.
func notFound(err error, doing string) error {
	if ent.IsNotFound(err) {
		return app.ErrNotFound
	}
	return fmt.Errorf("%s: %w", doing, err)
}

// dbTime is t as stored: UTC, so SQLite's textual times compare in order, and whole
// microseconds, PostgreSQL's precision, so what is read back equals what was written.
func dbTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func toSession(s *ent.Session) app.Session {
	out := app.Session{
		ID:        s.ID,
		UserID:    s.UserID,
		Roles:     s.Roles,
		CreatedAt: s.CreatedAt.UTC(),
		ExpiresAt: s.ExpiresAt.UTC(),
	}
	if out.Roles == nil {
		out.Roles = []string{}
	}
	if s.RevokedAt != nil {
		out.RevokedAt = s.RevokedAt.UTC()
	}
	return out
}

func toRefreshToken(t *ent.RefreshToken) app.RefreshToken {
	out := app.RefreshToken{
		Hash:      t.TokenHash,
		SessionID: t.SessionID,
		CreatedAt: t.CreatedAt.UTC(),
		ExpiresAt: t.ExpiresAt.UTC(),
	}
	if t.UsedAt != nil {
		out.UsedAt = t.UsedAt.UTC()
	}
	return out
}
