// Package store keeps usercenter's users in PostgreSQL or SQLite through Ent. It is the only
// package that imports the ent package, it turns Ent errors into app's sentinels and it owns
// transactions.
//
// Every read by id goes through GetUser and GetUsers, which the per-user cache (Cached) wraps.
package store

import (
	"context"
	"fmt"
	"sync"

	"github.com/looklook/looklook/platform/database"
	"github.com/looklook/looklook/services/usercenter/ent"
	"github.com/looklook/looklook/services/usercenter/ent/user"
	"github.com/looklook/looklook/services/usercenter/internal/app"
)

// migrateMu serializes schema migrations in this process. Ent's Schema.Create writes to the
// generated package-level migrate.Tables while it works, so two stores migrating at once (parallel
// tests, or two instances in one process) would race on them. It is the one package-level
// variable here because the state it guards is package-level too.
var migrateMu sync.Mutex

// Store implements app.Store.
type Store struct {
	client *ent.Client
}

var _ app.Store = (*Store)(nil)

// Open connects to the database at url (postgres://… or sqlite:PATH) and creates or migrates
// the schema.
func Open(ctx context.Context, url string) (*Store, error) {
	drv, err := database.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	client := ent.NewClient(ent.Driver(drv))
	migrateMu.Lock()
	err = client.Schema.Create(ctx)
	migrateMu.Unlock()
	if err != nil {
		_ = client.Close()
		return nil, fmt.Errorf("migrate usercenter schema: %w", err)
	}
	return &Store{client: client}, nil
}

// Close closes the database connections.
func (s *Store) Close() error { return s.client.Close() }

// WithTx runs fn in a transaction, committing when fn returns nil and rolling back when it
// returns an error or panics.
func (s *Store) WithTx(ctx context.Context, fn func(tx *ent.Tx) error) error {
	return database.WithTx(ctx, s.client.Tx, fn)
}

// CreateUser inserts a user. A taken mobile number violates the unique index, which Ent
// reports as a constraint error on PostgreSQL and SQLite alike; checking first instead would
// race with a concurrent registration.
func (s *Store) CreateUser(ctx context.Context, u app.NewUser) (app.User, error) {
	row, err := s.client.User.Create().
		SetMobile(u.Mobile).
		SetPasswordHash(u.PasswordHash).
		SetNickname(u.Nickname).
		Save(ctx)
	switch {
	case ent.IsConstraintError(err):
		return app.User{}, fmt.Errorf("%w (%w)", app.ErrMobileTaken, err)
	case err != nil:
		return app.User{}, fmt.Errorf("create user: %w", err)
	}
	return toApp(row), nil
}

// UserByMobile returns the user and password hash for a mobile number.
func (s *Store) UserByMobile(ctx context.Context, mobile string) (app.User, string, error) {
	row, err := s.client.User.Query().Where(user.Mobile(mobile)).Only(ctx)
	if err != nil {
		return app.User{}, "", notFound(err, "user by mobile")
	}
	return toApp(row), row.PasswordHash, nil
}

// GetUser returns a user by id.
func (s *Store) GetUser(ctx context.Context, id int64) (app.User, error) {
	row, err := s.client.User.Get(ctx, id)
	if err != nil {
		return app.User{}, notFound(err, "get user")
	}
	return toApp(row), nil
}

// GetUsers returns the users among ids, ordered by id, in one query. Unknown ids are left out
// and duplicates answered once.
func (s *Store) GetUsers(ctx context.Context, ids []int64) ([]app.User, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := s.client.User.Query().
		Where(user.IDIn(ids...)).
		Order(user.ByID()).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("get users: %w", err)
	}
	out := make([]app.User, len(rows))
	for i, r := range rows {
		out[i] = toApp(r)
	}
	return out, nil
}

// UpdateUser applies the patch and bumps the version in one statement inside a transaction, so
// concurrent updates each add one and the returned row is the one this update wrote.
func (s *Store) UpdateUser(ctx context.Context, id int64, p app.UserPatch) (app.User, error) {
	var out app.User
	err := s.WithTx(ctx, func(tx *ent.Tx) error {
		upd := tx.User.UpdateOneID(id).AddVersion(1)
		if p.Nickname != nil {
			upd.SetNickname(*p.Nickname)
		}
		if p.Avatar != nil {
			upd.SetAvatar(*p.Avatar)
		}
		if p.Info != nil {
			upd.SetInfo(*p.Info)
		}
		if p.Sex != nil {
			upd.SetSex(int8(*p.Sex))
		}
		row, err := upd.Save(ctx)
		if err != nil {
			return notFound(err, "update user")
		}
		out = toApp(row)
		return nil
	})
	return out, err
}

// SetPasswordHash replaces a user's password hash. It is not a profile change, so the version
// stays.
func (s *Store) SetPasswordHash(ctx context.Context, id int64, hash string) error {
	err := s.client.User.UpdateOneID(id).SetPasswordHash(hash).Exec(ctx)
	if err != nil {
		return notFound(err, "set password hash")
	}
	return nil
}

// notFound maps Ent's not-found error to app.ErrUserNotFound and wraps anything else.
func notFound(err error, op string) error {
	if ent.IsNotFound(err) {
		return app.ErrUserNotFound
	}
	return fmt.Errorf("%s: %w", op, err)
}

func toApp(r *ent.User) app.User {
	return app.User{
		ID:         r.ID,
		Mobile:     r.Mobile,
		Nickname:   r.Nickname,
		Sex:        app.Sex(r.Sex),
		Avatar:     r.Avatar,
		Info:       r.Info,
		Version:    r.Version,
		CreateTime: r.CreateTime,
		UpdateTime: r.UpdateTime,
	}
}
