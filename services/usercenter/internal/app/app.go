// Package app holds usercenter's business rules: registration, password sign-in with failure
// limits, and profile reads and updates. It knows nothing of protobuf or Ent; the server package
// translates requests into calls here and the store package persists what it decides.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/looklook/looklook/services/usercenter/internal/password"
)

// Errors the API reports. The server maps each to a Connect code; their texts are public.
var (
	// ErrUserNotFound is an unknown user id.
	ErrUserNotFound = errors.New("user not found")
	// ErrMobileTaken is a registration with a mobile number that already has an account.
	ErrMobileTaken = errors.New("mobile number already registered")
	// ErrBadCredentials is a sign-in with an unknown mobile number or a wrong password; the two
	// are deliberately indistinguishable.
	ErrBadCredentials = errors.New("incorrect mobile number or password")
	// ErrTooManyAttempts is a sign-in refused because the mobile number or the client failed
	// too often recently.
	ErrTooManyAttempts = errors.New("too many failed sign-in attempts; try again later")
	// ErrBlankNickname is a nickname made only of spaces.
	ErrBlankNickname = errors.New("nickname must not be blank")
)

// Sex is a user's self-declared sex.
type Sex int8

// The values of Sex, numbered as in the API.
const (
	SexUnspecified Sex = 0
	SexMale        Sex = 1
	SexFemale      Sex = 2
)

// User is an account as the rest of the system sees it; the password hash never leaves the
// store except for Login.
type User struct {
	ID         int64
	Mobile     string
	Nickname   string
	Sex        Sex
	Avatar     string
	Info       string
	Version    int64
	CreateTime time.Time
	UpdateTime time.Time
}

// NewUser is what Register stores.
type NewUser struct {
	Mobile       string
	PasswordHash string
	Nickname     string
}

// UserPatch lists the profile fields to change; nil fields stay as they are.
type UserPatch struct {
	Nickname *string
	Avatar   *string
	Info     *string
	Sex      *Sex
}

// Empty reports whether the patch changes nothing.
func (p UserPatch) Empty() bool {
	return p.Nickname == nil && p.Avatar == nil && p.Info == nil && p.Sex == nil
}

// Store persists users. Reads by id go through GetUser and GetUsers only, so a cache can wrap
// exactly those two.
type Store interface {
	// CreateUser inserts a user and returns it; a taken mobile number is ErrMobileTaken.
	CreateUser(ctx context.Context, u NewUser) (User, error)
	// UserByMobile returns the user and password hash for a mobile number, or ErrUserNotFound.
	UserByMobile(ctx context.Context, mobile string) (User, string, error)
	// GetUser returns a user, or ErrUserNotFound.
	GetUser(ctx context.Context, id int64) (User, error)
	// GetUsers returns the users that exist among ids, each once, in one query.
	GetUsers(ctx context.Context, ids []int64) ([]User, error)
	// UpdateUser applies a non-empty patch, bumps the version and returns the result, or
	// ErrUserNotFound.
	UpdateUser(ctx context.Context, id int64, p UserPatch) (User, error)
	// SetPasswordHash replaces a user's password hash.
	SetPasswordHash(ctx context.Context, id int64, hash string) error
}

// Limiter counts failed sign-ins per mobile number and per client address.
type Limiter interface {
	// Locked reports whether the mobile number or the client has failed too often recently.
	Locked(ctx context.Context, mobile, client string) bool
	// Failed counts a failed attempt against both.
	Failed(ctx context.Context, mobile, client string)
	// Succeeded clears the mobile number's count.
	Succeeded(ctx context.Context, mobile string)
}

// Service implements usercenter's use cases.
type Service struct {
	store     Store
	limiter   Limiter
	params    password.Params
	dummyHash string
	logger    *slog.Logger
}

// New returns a Service hashing new passwords with params.
func New(store Store, limiter Limiter, params password.Params, logger *slog.Logger) (*Service, error) {
	// dummyHash makes a sign-in with an unknown mobile number cost one argon2 hash, as one with
	// a wrong password does, so response times do not tell which numbers are registered.
	dummy, err := password.Hash("looklook dummy password", params)
	if err != nil {
		return nil, err
	}
	return &Service{store: store, limiter: limiter, params: params, dummyHash: dummy, logger: logger}, nil
}

// Register creates an account. The password is hashed before the store is touched, so no
// database transaction or connection is held during the expensive hash. An empty nickname
// becomes "user" followed by the last four digits of the mobile number.
func (s *Service) Register(ctx context.Context, mobile, plain, nickname string) (User, error) {
	nickname = strings.TrimSpace(nickname)
	if nickname == "" {
		nickname = "user" + mobile[max(0, len(mobile)-4):]
	}
	hash, err := password.Hash(plain, s.params)
	if err != nil {
		return User{}, fmt.Errorf("hash password: %w", err)
	}
	return s.store.CreateUser(ctx, NewUser{Mobile: mobile, PasswordHash: hash, Nickname: nickname})
}

// Login checks a password. An unknown mobile number and a wrong password both count as a
// failure and return ErrBadCredentials after one argon2 hash. Once the mobile number or the
// client has failed too often within the window, every attempt, even with the right password,
// is ErrTooManyAttempts until the window ends; a success clears the mobile number's count.
func (s *Service) Login(ctx context.Context, mobile, plain, client string) (User, error) {
	if s.limiter.Locked(ctx, mobile, client) {
		return User{}, ErrTooManyAttempts
	}
	u, hash, err := s.store.UserByMobile(ctx, mobile)
	switch {
	case errors.Is(err, ErrUserNotFound):
		_, _ = password.Verify(plain, s.dummyHash)
		s.limiter.Failed(ctx, mobile, client)
		return User{}, ErrBadCredentials
	case err != nil:
		return User{}, err
	}
	ok, err := password.Verify(plain, hash)
	if err != nil {
		return User{}, fmt.Errorf("user %d: %w", u.ID, err)
	}
	if !ok {
		s.limiter.Failed(ctx, mobile, client)
		return User{}, ErrBadCredentials
	}
	s.limiter.Succeeded(ctx, mobile)
	if password.NeedsRehash(hash, s.params) {
		s.rehash(ctx, u.ID, plain)
	}
	return u, nil
}

// rehash stores a hash made with the current parameters after they changed. It is best
// effort: the sign-in has succeeded whatever happens here.
func (s *Service) rehash(ctx context.Context, id int64, plain string) {
	hash, err := password.Hash(plain, s.params)
	if err == nil {
		err = s.store.SetPasswordHash(ctx, id, hash)
	}
	if err != nil {
		s.logger.WarnContext(ctx, "could not upgrade password hash", "user_id", id, "error", err)
	}
}

// GetUser returns a user, or ErrUserNotFound.
func (s *Service) GetUser(ctx context.Context, id int64) (User, error) {
	return s.store.GetUser(ctx, id)
}

// BatchGetUsers returns the users that exist among ids, each once.
func (s *Service) BatchGetUsers(ctx context.Context, ids []int64) ([]User, error) {
	seen := make(map[int64]struct{}, len(ids))
	unique := make([]int64, 0, len(ids))
	for _, id := range ids {
		if _, dup := seen[id]; !dup {
			seen[id] = struct{}{}
			unique = append(unique, id)
		}
	}
	if len(unique) == 0 {
		return nil, nil
	}
	return s.store.GetUsers(ctx, unique)
}

// UpdateUser changes the fields the patch sets and bumps the version. A patch that sets nothing
// changes nothing, so it returns the user as it is, version included.
func (s *Service) UpdateUser(ctx context.Context, id int64, p UserPatch) (User, error) {
	if p.Nickname != nil {
		n := strings.TrimSpace(*p.Nickname)
		if n == "" {
			return User{}, ErrBlankNickname
		}
		p.Nickname = &n
	}
	if p.Empty() {
		return s.store.GetUser(ctx, id)
	}
	return s.store.UpdateUser(ctx, id, p)
}
