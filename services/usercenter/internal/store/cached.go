package store

import (
	"context"
	"errors"
	"slices"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	usercenterv1 "github.com/looklook/looklook/gen/looklook/usercenter/v1"
	"github.com/looklook/looklook/platform/cache"
	"github.com/looklook/looklook/services/usercenter/internal/app"
)

// Cached puts the two-tier cache in front of the reads by id, which are what the BFF calls on
// every detail page and comment list (GetUser, BatchGetUsers). Sign-in reads by mobile number
// and needs the password hash, so it always goes to the database, and the hash is never cached.
type Cached struct {
	*Store
	users    *cache.Cache[*usercenterv1.User]
	loadOne  func(context.Context, int64) (*usercenterv1.User, error)
	loadMany func(context.Context, []int64) (map[int64]*usercenterv1.User, error)
}

// NewCached wraps st with a user cache built from opts (Name and New are filled in here).
func NewCached(ctx context.Context, st *Store, opts cache.Options[*usercenterv1.User]) (*Cached, error) {
	opts.Name = "usercenter:user"
	opts.New = func() *usercenterv1.User { return new(usercenterv1.User) }
	users, err := cache.New(ctx, opts)
	if err != nil {
		return nil, err
	}
	c := &Cached{Store: st, users: users}
	// The loaders are made once: passing a method value on every call would allocate.
	c.loadOne = func(ctx context.Context, id int64) (*usercenterv1.User, error) {
		u, err := st.GetUser(ctx, id)
		if errors.Is(err, app.ErrUserNotFound) {
			return nil, cache.ErrNotFound
		}
		if err != nil {
			return nil, err
		}
		return toMessage(u), nil
	}
	c.loadMany = func(ctx context.Context, ids []int64) (map[int64]*usercenterv1.User, error) {
		us, err := st.GetUsers(ctx, ids)
		if err != nil {
			return nil, err
		}
		out := make(map[int64]*usercenterv1.User, len(us))
		for _, u := range us {
			out[u.ID] = toMessage(u)
		}
		return out, nil
	}
	return c, nil
}

// Close stops the cache and closes the database.
func (c *Cached) Close() error {
	return errors.Join(c.users.Close(), c.Store.Close())
}

// GetUser returns a user through the cache.
func (c *Cached) GetUser(ctx context.Context, id int64) (app.User, error) {
	m, err := c.users.Get(ctx, id, c.loadOne)
	if errors.Is(err, cache.ErrNotFound) {
		return app.User{}, app.ErrUserNotFound
	}
	if err != nil {
		return app.User{}, err
	}
	return fromMessage(m), nil
}

// GetUsers returns the users among ids through the cache, ordered by id like Store.GetUsers:
// cached ones from memory, then one Redis MGET, then one query for the rest.
func (c *Cached) GetUsers(ctx context.Context, ids []int64) ([]app.User, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	ids = uniqueSorted(ids)
	found, err := c.users.GetMany(ctx, ids, c.loadMany)
	if err != nil {
		return nil, err
	}
	out := make([]app.User, 0, len(found))
	for _, id := range ids {
		if m, ok := found[id]; ok {
			out = append(out, fromMessage(m))
		}
	}
	return out, nil
}

// CreateUser inserts a user, then drops any cached "not found" for the new id (someone may have
// asked for it just before it existed).
func (c *Cached) CreateUser(ctx context.Context, u app.NewUser) (app.User, error) {
	out, err := c.Store.CreateUser(ctx, u)
	if err == nil {
		_ = c.users.Invalidate(ctx, out.ID)
	}
	return out, err
}

// UpdateUser commits the change, then invalidates the user in every instance's cache.
func (c *Cached) UpdateUser(ctx context.Context, id int64, p app.UserPatch) (app.User, error) {
	out, err := c.Store.UpdateUser(ctx, id, p)
	if err == nil {
		_ = c.users.Invalidate(ctx, id)
	}
	return out, err
}

func uniqueSorted(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

func toMessage(u app.User) *usercenterv1.User {
	return &usercenterv1.User{
		Id: u.ID, Mobile: u.Mobile, Nickname: u.Nickname, Sex: usercenterv1.Sex(u.Sex),
		Avatar: u.Avatar, Info: u.Info, Version: u.Version,
		CreateTime: timestamppb.New(u.CreateTime), UpdateTime: timestamppb.New(u.UpdateTime),
	}
}

func fromMessage(m *usercenterv1.User) app.User {
	return app.User{
		ID: m.GetId(), Mobile: m.GetMobile(), Nickname: m.GetNickname(), Sex: app.Sex(m.GetSex()),
		Avatar: m.GetAvatar(), Info: m.GetInfo(), Version: m.GetVersion(),
		CreateTime: m.GetCreateTime().AsTime().In(time.UTC), UpdateTime: m.GetUpdateTime().AsTime().In(time.UTC),
	}
}
