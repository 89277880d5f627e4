// Package app holds identity's rules: how sessions start, how refresh tokens rotate and when
// reuse revokes a session, and what makes an access token acceptable. Storage is behind Store;
// transport is the server package's business.
package app

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/looklook/looklook/platform/authtoken"
)

// Errors the service returns. The server package gives each a Connect code and public message.
var (
	// ErrNotFound is what Store returns for a missing row.
	ErrNotFound = errors.New("not found")
	// ErrInvalidArgument wraps a description of a request the rules reject.
	ErrInvalidArgument = errors.New("invalid argument")
	// ErrSessionNotFound means no session has the given id.
	ErrSessionNotFound = errors.New("session not found")
	// ErrInvalidRefreshToken means no refresh token matches the one presented.
	ErrInvalidRefreshToken = errors.New("invalid refresh token")
	// ErrRefreshTokenExpired means the refresh token is known but past its expiry.
	ErrRefreshTokenExpired = errors.New("refresh token expired")
	// ErrRefreshTokenReused means an already rotated refresh token was presented again, so the
	// session was revoked: either the client or a thief holds a stale copy.
	ErrRefreshTokenReused = errors.New("refresh token reuse detected; session revoked")
	// ErrSessionRevoked means the session was revoked (logout or reuse).
	ErrSessionRevoked = errors.New("session revoked")
	// ErrAccessTokenExpired means the access token was genuine but has expired.
	ErrAccessTokenExpired = errors.New("access token expired")
	// ErrInvalidAccessToken means the access token is malformed, forged or not ours.
	ErrInvalidAccessToken = errors.New("invalid access token")
)

// Session is a signed-in client: a user, its roles and the lifetime of its refresh chain.
type Session struct {
	ID        uuid.UUID
	UserID    int64
	Roles     []string
	CreatedAt time.Time
	// ExpiresAt is when the newest refresh token of the session expires.
	ExpiresAt time.Time
	// RevokedAt is zero while the session is live.
	RevokedAt time.Time
}

// Revoked reports whether the session has been revoked.
func (s Session) Revoked() bool { return !s.RevokedAt.IsZero() }

// RefreshToken is a stored refresh token; the token itself is never kept, only its hash.
type RefreshToken struct {
	Hash      string
	SessionID uuid.UUID
	CreatedAt time.Time
	ExpiresAt time.Time
	// UsedAt is zero until the token is rotated.
	UsedAt time.Time
}

// Revocation records a revoked session. Cursor orders revocations for pollers.
type Revocation struct {
	Cursor     int64
	SessionID  uuid.UUID
	RevokeTime time.Time
}

// RefreshAction is what Store.Refresh must do after the rules looked at a token and its session.
type RefreshAction int

const (
	// RefreshReject changes nothing and returns the rules' error.
	RefreshReject RefreshAction = iota
	// RefreshRevoke revokes the session, commits that, and returns the rules' error.
	RefreshRevoke
	// RefreshRotate marks the token used, stores the next one and extends the session.
	RefreshRotate
)

// Store keeps sessions, refresh tokens and revocations. Every method is atomic. Missing rows are
// reported as ErrNotFound.
type Store interface {
	// CreateSession stores a new session together with its first refresh token.
	CreateSession(ctx context.Context, s Session, first RefreshToken) error
	// Refresh locks the refresh token with the given hash and its session for the rest of one
	// transaction, asks decide what to do, and does it: see RefreshAction. On RefreshRotate it
	// stores next, sets the session's expiry to next.ExpiresAt and returns the updated session.
	// A missing token is ErrNotFound, and decide is not called.
	Refresh(ctx context.Context, hash string, now time.Time, next RefreshToken,
		decide func(RefreshToken, Session) (RefreshAction, error)) (Session, error)
	// Session returns a session by id.
	Session(ctx context.Context, id uuid.UUID) (Session, error)
	// RevokeSession marks a live session revoked at now and appends a Revocation; for a session
	// revoked before it does nothing.
	RevokeSession(ctx context.Context, id uuid.UUID, now time.Time) error
	// AddRole adds role to every session of userID that is neither revoked nor expired at now,
	// returning how many sessions changed.
	AddRole(ctx context.Context, userID int64, role string, now time.Time) (int, error)
	// Revocations returns up to limit revocations with a cursor above after and a revoke time
	// not before since, in cursor order, and the largest cursor of all revocations (0 if none).
	Revocations(ctx context.Context, after int64, since time.Time, limit int) ([]Revocation, int64, error)
}

// Config holds the service's rules that come from configuration.
type Config struct {
	// AccessTokenTTL is how long an access token is accepted.
	AccessTokenTTL time.Duration
	// RefreshTokenTTL is how long a refresh token may wait before being used.
	RefreshTokenTTL time.Duration
}

// Service implements identity's operations.
type Service struct {
	store    Store
	signer   *authtoken.Signer
	verifier *authtoken.Verifier
	cfg      Config
	// Now is the service's clock; tests move it to expire tokens.
	Now func() time.Time
}

// New returns a service that stores in store and signs with key.
func New(store Store, key ed25519.PrivateKey, cfg Config) *Service {
	signer := authtoken.NewSigner(key)
	return &Service{
		store:    store,
		signer:   signer,
		verifier: authtoken.NewVerifier(map[string]ed25519.PublicKey{signer.KeyID(): signer.PublicKey()}),
		cfg:      cfg,
		Now:      time.Now,
	}
}

// TokenPair is an access token and a refresh token with their expiry times.
type TokenPair struct {
	AccessToken      string
	RefreshToken     string
	AccessExpiresAt  time.Time
	RefreshExpiresAt time.Time
}

// VerificationKey is a public key that verifies access tokens.
type VerificationKey struct {
	KeyID     string
	Algorithm string
	PublicKey ed25519.PublicKey
}

// validRole reports whether a session may carry role.
func validRole(role string) bool {
	switch role {
	case "user", "landlord", "admin":
		return true
	}
	return false
}

// now returns the clock's time as stored: in UTC, to the microsecond.
func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

// IssueTokens starts a session for userID with roles and returns its first token pair.
func (s *Service) IssueTokens(ctx context.Context, userID int64, roles []string) (uuid.UUID, TokenPair, error) {
	if userID <= 0 {
		return uuid.Nil, TokenPair{}, fmt.Errorf("%w: user id must be positive", ErrInvalidArgument)
	}
	for _, r := range roles {
		if !validRole(r) {
			return uuid.Nil, TokenPair{}, fmt.Errorf("%w: unknown role %q", ErrInvalidArgument, r)
		}
	}
	roles = normaliseRoles(roles)
	now := s.now()
	refresh, hash, err := newRefreshToken()
	if err != nil {
		return uuid.Nil, TokenPair{}, err
	}
	id, err := uuid.NewRandom()
	if err != nil {
		return uuid.Nil, TokenPair{}, fmt.Errorf("new session id: %w", err)
	}
	refreshExp := now.Add(s.cfg.RefreshTokenTTL)
	sess := Session{ID: id, UserID: userID, Roles: roles, CreatedAt: now, ExpiresAt: refreshExp}
	if err := s.store.CreateSession(ctx, sess, RefreshToken{Hash: hash, SessionID: id, CreatedAt: now, ExpiresAt: refreshExp}); err != nil {
		return uuid.Nil, TokenPair{}, fmt.Errorf("create session: %w", err)
	}
	pair, err := s.pair(sess, refresh, refreshExp, now)
	return id, pair, err
}

// RefreshTokens rotates a refresh token and returns the session and its new token pair.
//
// The rules, applied under the token's row lock so concurrent presentations of one token are
// decided one after the other: an unknown token is invalid; an expired one is rejected (it is
// worthless to a thief too); one that was already rotated revokes its session (reuse detection:
// a legitimate client never presents a token twice, so someone holds a stolen copy); a token of a
// revoked session is rejected; otherwise it is rotated.
func (s *Service) RefreshTokens(ctx context.Context, refreshToken string) (Session, TokenPair, error) {
	now := s.now()
	next, nextHash, err := newRefreshToken()
	if err != nil {
		return Session{}, TokenPair{}, err
	}
	nextExp := now.Add(s.cfg.RefreshTokenTTL)
	sess, err := s.store.Refresh(ctx, hashToken(refreshToken), now,
		RefreshToken{Hash: nextHash, CreatedAt: now, ExpiresAt: nextExp},
		func(tok RefreshToken, sess Session) (RefreshAction, error) {
			switch {
			case !now.Before(tok.ExpiresAt):
				return RefreshReject, ErrRefreshTokenExpired
			case !tok.UsedAt.IsZero():
				return RefreshRevoke, ErrRefreshTokenReused
			case sess.Revoked():
				return RefreshReject, ErrSessionRevoked
			}
			return RefreshRotate, nil
		})
	if errors.Is(err, ErrNotFound) {
		return Session{}, TokenPair{}, ErrInvalidRefreshToken
	}
	if err != nil {
		return Session{}, TokenPair{}, err
	}
	pair, err := s.pair(sess, next, nextExp, now)
	return sess, pair, err
}

// VerifyToken checks an access token's signature and expiry and that its session is live.
func (s *Service) VerifyToken(ctx context.Context, accessToken string) (authtoken.Claims, error) {
	claims, err := s.verifier.Verify(accessToken, s.now())
	switch {
	case errors.Is(err, authtoken.ErrExpired):
		return authtoken.Claims{}, ErrAccessTokenExpired
	case err != nil:
		return authtoken.Claims{}, ErrInvalidAccessToken
	}
	id, err := uuid.Parse(claims.SessionID)
	if err != nil {
		return authtoken.Claims{}, ErrInvalidAccessToken
	}
	sess, err := s.store.Session(ctx, id)
	switch {
	case errors.Is(err, ErrNotFound):
		return authtoken.Claims{}, ErrInvalidAccessToken
	case err != nil:
		return authtoken.Claims{}, fmt.Errorf("load session: %w", err)
	case sess.Revoked():
		return authtoken.Claims{}, ErrSessionRevoked
	}
	return claims, nil
}

// RevokeSession revokes a session; revoking a revoked session succeeds and changes nothing.
func (s *Service) RevokeSession(ctx context.Context, id uuid.UUID) error {
	err := s.store.RevokeSession(ctx, id, s.now())
	if errors.Is(err, ErrNotFound) {
		return ErrSessionNotFound
	}
	return err
}

// GrantRole adds role to the user's live sessions so their next access tokens carry it.
func (s *Service) GrantRole(ctx context.Context, userID int64, role string) error {
	if userID <= 0 {
		return fmt.Errorf("%w: user id must be positive", ErrInvalidArgument)
	}
	if !validRole(role) {
		return fmt.Errorf("%w: unknown role %q", ErrInvalidArgument, role)
	}
	_, err := s.store.AddRole(ctx, userID, role, s.now())
	return err
}

// VerificationKeys returns the keys that verify access tokens.
func (s *Service) VerificationKeys() []VerificationKey {
	return []VerificationKey{{KeyID: s.signer.KeyID(), Algorithm: authtoken.Algorithm, PublicKey: s.signer.PublicKey()}}
}

// Revocation page sizes.
const (
	DefaultRevocationPage = 500
	MaxRevocationPage     = 1000
)

// revocationSkew widens the window of revocations a fresh poller is sent, covering the clock
// skew verifiers tolerate when checking expiry.
const revocationSkew = time.Minute

// ListRevocations returns revocations with a cursor above after, oldest first, and the cursor to
// poll with next. A poller starting at 0 is only sent revocations whose sessions may still have
// unexpired access tokens, but its next cursor skips all older ones. The next cursor equals after
// when nothing is new, unless after is beyond the last revocation there is.
func (s *Service) ListRevocations(ctx context.Context, after int64, pageSize int) ([]Revocation, int64, error) {
	switch {
	case after < 0:
		return nil, 0, fmt.Errorf("%w: cursor must not be negative", ErrInvalidArgument)
	case pageSize < 0 || pageSize > MaxRevocationPage:
		return nil, 0, fmt.Errorf("%w: page size must be between 0 and %d", ErrInvalidArgument, MaxRevocationPage)
	case pageSize == 0:
		pageSize = DefaultRevocationPage
	}
	var since time.Time
	if after == 0 {
		since = s.now().Add(-s.cfg.AccessTokenTTL - revocationSkew)
	}
	revs, maxCursor, err := s.store.Revocations(ctx, after, since, pageSize)
	if err != nil {
		return nil, 0, fmt.Errorf("list revocations: %w", err)
	}
	next := after
	switch {
	case len(revs) == pageSize:
		// More may follow: resume right after this page.
		next = revs[len(revs)-1].Cursor
	case maxCursor != after:
		// Everything after the cursor was sent or is too old to matter. A cursor beyond the
		// last revocation can only come from a database that was reset; moving it back lets
		// the poller see the revocations that follow instead of waiting for ids to catch up.
		next = maxCursor
	}
	return revs, next, nil
}

// pair signs an access token for sess and bundles it with the refresh token.
func (s *Service) pair(sess Session, refresh string, refreshExp, now time.Time) (TokenPair, error) {
	// Tokens carry whole seconds; truncating here makes the reported expiry the token's.
	accessExp := now.Add(s.cfg.AccessTokenTTL).Truncate(time.Second)
	access, err := s.signer.Sign(authtoken.Claims{
		UserID:    sess.UserID,
		SessionID: sess.ID.String(),
		Roles:     sess.Roles,
		ExpiresAt: accessExp,
	}, now)
	if err != nil {
		return TokenPair{}, err
	}
	return TokenPair{AccessToken: access, RefreshToken: refresh, AccessExpiresAt: accessExp, RefreshExpiresAt: refreshExp}, nil
}

// normaliseRoles returns roles without duplicates, never nil, so they store as a JSON array.
func normaliseRoles(roles []string) []string {
	out := make([]string, 0, len(roles))
	for _, r := range roles {
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// refreshTokenBytes is the entropy of a refresh token.
const refreshTokenBytes = 32

// newRefreshToken returns a random opaque refresh token and the hash it is stored under.
func newRefreshToken() (token, hash string, err error) {
	b := make([]byte, refreshTokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("new refresh token: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token), nil
}

// hashToken is the hex SHA-256 a refresh token is stored and looked up under. A fast hash is
// enough: the token has 256 bits of entropy, so there is nothing to brute-force.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
