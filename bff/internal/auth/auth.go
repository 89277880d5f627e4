// Package auth authenticates BFF requests.
//
// Access tokens are verified locally with identity's public keys, so the hot path makes no RPC.
// Logout must still take effect everywhere within a second, so every BFF instance polls
// identity for revoked sessions twice a second and rejects their tokens. If polling stops
// working (identity unreachable), the local view could go stale; then the authenticator asks
// identity to verify each token instead, failing closed with Unavailable rather than accepting
// a token that may have been revoked.
package auth

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"connectrpc.com/connect"

	identityv1 "github.com/looklook/looklook/gen/looklook/identity/v1"
	"github.com/looklook/looklook/gen/looklook/identity/v1/identityv1connect"
	"github.com/looklook/looklook/platform/authtoken"
	"github.com/looklook/looklook/platform/rpcerror"
)

// Policy says who may call a procedure.
type Policy int

const (
	// User requires a valid token. It is the default for procedures not listed, so a new
	// method is protected until someone decides otherwise.
	User Policy = iota
	// Public needs no token and ignores one.
	Public
	// Optional accepts anonymous calls but authenticates a token when one is sent.
	Optional
	// Landlord requires a valid token with the landlord role.
	Landlord
	// Admin requires a valid token with the admin role.
	Admin
)

// Options configures an Authenticator.
type Options struct {
	// Identity is the identity service client.
	Identity identityv1connect.IdentityServiceClient
	// Policies maps procedure names ("/looklook.bff.v1.AccountService/GetMe") to policies.
	Policies map[string]Policy
	// PollInterval is how often revocations are fetched; 0 means 500ms.
	PollInterval time.Duration
	// MaxStaleness is how old the revocation view may get before tokens are verified remotely;
	// 0 means 3s.
	MaxStaleness time.Duration
	// Logger receives warnings about polling.
	Logger *slog.Logger
}

// Authenticator verifies bearer tokens and enforces policies.
type Authenticator struct {
	opts     Options
	verifier atomic.Pointer[authtoken.Verifier]
	keysAt   atomic.Int64 // unix nanos of the last key fetch, to rate-limit refetches

	mu      sync.Mutex
	revoked map[string]time.Time // session id → when we learned of it
	cursor  int64

	lastSync atomic.Int64 // unix nanos of the last successful poll
}

// New fetches the verification keys from identity, retrying until ctx is done, and returns an
// Authenticator. Call Run to keep its revocation view current.
func New(ctx context.Context, opts Options) (*Authenticator, error) {
	if opts.PollInterval == 0 {
		opts.PollInterval = 500 * time.Millisecond
	}
	if opts.MaxStaleness == 0 {
		opts.MaxStaleness = 3 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	a := &Authenticator{opts: opts, revoked: map[string]time.Time{}}
	backoff := 100 * time.Millisecond
	for {
		err := a.fetchKeys(ctx)
		if err == nil {
			break
		}
		opts.Logger.Warn("waiting for identity verification keys", "error", err.Error())
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("fetch verification keys: %w", err)
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 2*time.Second)
	}
	if err := a.poll(ctx); err != nil {
		opts.Logger.Warn("first revocation poll failed", "error", err.Error())
	}
	return a, nil
}

func (a *Authenticator) fetchKeys(ctx context.Context) error {
	res, err := a.opts.Identity.GetVerificationKeys(ctx, connect.NewRequest(&identityv1.GetVerificationKeysRequest{}))
	if err != nil {
		return err
	}
	keys := map[string]ed25519.PublicKey{}
	for _, k := range res.Msg.GetKeys() {
		if k.GetAlgorithm() == "EdDSA" && len(k.GetPublicKey()) == ed25519.PublicKeySize {
			keys[k.GetKeyId()] = ed25519.PublicKey(k.GetPublicKey())
		}
	}
	if len(keys) == 0 {
		return errors.New("identity returned no usable verification keys")
	}
	a.verifier.Store(authtoken.NewVerifier(keys))
	a.keysAt.Store(time.Now().UnixNano())
	return nil
}

// Run polls identity for revocations until ctx is done.
func (a *Authenticator) Run(ctx context.Context) {
	t := time.NewTicker(a.opts.PollInterval)
	defer t.Stop()
	failing := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := a.poll(ctx); err != nil {
			if !failing && ctx.Err() == nil {
				a.opts.Logger.Warn("revocation poll failing; verifying tokens remotely until it recovers", "error", err.Error())
			}
			failing = true
			continue
		}
		if failing {
			a.opts.Logger.Info("revocation poll recovered")
			failing = false
		}
	}
}

// retention is how long a revoked session is remembered: longer than any access token lives.
const retention = 24 * time.Hour

func (a *Authenticator) poll(ctx context.Context) error {
	for {
		a.mu.Lock()
		cursor := a.cursor
		a.mu.Unlock()
		res, err := a.opts.Identity.ListRevocations(ctx, connect.NewRequest(&identityv1.ListRevocationsRequest{AfterCursor: cursor}))
		if err != nil {
			return err
		}
		now := time.Now()
		a.mu.Lock()
		for _, r := range res.Msg.GetRevocations() {
			a.revoked[r.GetSessionId()] = now
		}
		a.cursor = max(a.cursor, res.Msg.GetNextCursor())
		for id, at := range a.revoked {
			if now.Sub(at) > retention {
				delete(a.revoked, id)
			}
		}
		a.mu.Unlock()
		if len(res.Msg.GetRevocations()) == 0 || res.Msg.GetNextCursor() == cursor {
			a.lastSync.Store(now.UnixNano())
			return nil
		}
	}
}

// Revoke marks a session revoked on this instance at once; the others learn it by polling.
func (a *Authenticator) Revoke(sessionID string) {
	a.mu.Lock()
	a.revoked[sessionID] = time.Now()
	a.mu.Unlock()
}

func (a *Authenticator) isRevoked(sessionID string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	_, ok := a.revoked[sessionID]
	return ok
}

// Errors callers see. They say what to do, not what went wrong inside.
var (
	errMissingToken = rpcerror.New(connect.CodeUnauthenticated, "sign in required: send Authorization: Bearer <access token>")
	errBadToken     = rpcerror.New(connect.CodeUnauthenticated, "invalid access token")
	errExpiredToken = rpcerror.New(connect.CodeUnauthenticated, "access token expired; refresh it")
	errEnded        = rpcerror.New(connect.CodeUnauthenticated, "session has ended; sign in again")
)

// Authenticate verifies a bearer token and returns its claims.
func (a *Authenticator) Authenticate(ctx context.Context, token string) (authtoken.Claims, error) {
	now := time.Now()
	claims, err := a.verifier.Load().Verify(token, now)
	if err != nil && errors.Is(err, authtoken.ErrInvalid) && a.maybeRefetchKeys(ctx) {
		claims, err = a.verifier.Load().Verify(token, now)
	}
	switch {
	case errors.Is(err, authtoken.ErrExpired):
		return authtoken.Claims{}, errExpiredToken
	case err != nil:
		return authtoken.Claims{}, errBadToken
	}
	if a.isRevoked(claims.SessionID) {
		return authtoken.Claims{}, errEnded
	}
	if now.Sub(time.Unix(0, a.lastSync.Load())) > a.opts.MaxStaleness {
		// Our revocation view is stale: ask identity, which checks the session itself.
		_, err := a.opts.Identity.VerifyToken(ctx, connect.NewRequest(&identityv1.VerifyTokenRequest{AccessToken: token}))
		if err != nil {
			if connect.CodeOf(err) == connect.CodeUnauthenticated {
				a.Revoke(claims.SessionID)
				return authtoken.Claims{}, errEnded
			}
			return authtoken.Claims{}, rpcerror.Downstream(err)
		}
	}
	return claims, nil
}

// maybeRefetchKeys refetches identity's keys when a token fails verification, at most every
// ten seconds, so a key rotation does not lock users out and forged tokens cannot make us
// hammer identity.
func (a *Authenticator) maybeRefetchKeys(ctx context.Context) bool {
	last := a.keysAt.Load()
	if time.Since(time.Unix(0, last)) < 10*time.Second || !a.keysAt.CompareAndSwap(last, time.Now().UnixNano()) {
		return false
	}
	return a.fetchKeys(ctx) == nil
}

type claimsKey struct{}

// ClaimsFrom returns the authenticated caller's claims.
func ClaimsFrom(ctx context.Context) (authtoken.Claims, bool) {
	c, ok := ctx.Value(claimsKey{}).(authtoken.Claims)
	return c, ok
}

// WithClaims attaches claims to a context.
func WithClaims(ctx context.Context, c authtoken.Claims) context.Context {
	return context.WithValue(ctx, claimsKey{}, c)
}

// BearerToken extracts the token of an "Authorization: Bearer <token>" header value.
func BearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}
