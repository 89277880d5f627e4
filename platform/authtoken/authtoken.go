// Package authtoken signs and verifies looklook access tokens.
//
// An access token is a JWT signed with Ed25519 ("EdDSA") whose header names the signing key
// ("kid") and whose claims carry the user ("sub", a decimal id), the session ("sid") and the
// bearer's roles. The identity service signs tokens with a Signer; every other program verifies
// them locally with a Verifier built from the public keys identity publishes, so the hot path of
// a request needs no RPC.
package authtoken

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Issuer is the "iss" claim of every looklook access token.
const Issuer = "looklook-identity"

// Algorithm is the JWT "alg" of every looklook access token; no other algorithm is accepted.
const Algorithm = "EdDSA"

// clockSkew is how far a verifier's clock may be behind the signer's: a token is accepted this
// long after its "exp" and rejected if it was issued further than this in the future. It is kept
// small because it extends the life of every token, including those of revoked sessions.
const clockSkew = 5 * time.Second

// Sentinel errors returned, wrapped, by Verify.
var (
	// ErrExpired means the token was valid but its expiry time has passed.
	ErrExpired = errors.New("authtoken: token expired")
	// ErrInvalid means the token is malformed, forged, signed with an unknown key or algorithm,
	// or carries claims looklook did not issue.
	ErrInvalid = errors.New("authtoken: invalid token")
)

// Claims is what an access token says about its bearer.
type Claims struct {
	// UserID is the authenticated user.
	UserID int64
	// SessionID is the session the token belongs to.
	SessionID string
	// Roles are the bearer's roles, such as "user", "landlord" or "admin".
	Roles []string
	// ExpiresAt is when the token stops being accepted. Tokens carry whole seconds.
	ExpiresAt time.Time
}

// HasRole reports whether the claims include role.
func (c Claims) HasRole(role string) bool { return slices.Contains(c.Roles, role) }

// tokenClaims is the JSON payload of a token.
type tokenClaims struct {
	jwt.RegisteredClaims
	SessionID string   `json:"sid"`
	Roles     []string `json:"roles,omitempty"`
}

// KeyID derives the "kid" of a public key: the unpadded base64url form of the first 8 bytes of
// its SHA-256. Deriving it means signer and verifiers agree on it without configuration.
func KeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return base64.RawURLEncoding.EncodeToString(sum[:8])
}

// Signer signs access tokens with one Ed25519 private key. It is safe for concurrent use.
type Signer struct {
	key ed25519.PrivateKey
	pub ed25519.PublicKey
	kid string
}

// NewSigner returns a signer for key.
func NewSigner(key ed25519.PrivateKey) *Signer {
	pub := key.Public().(ed25519.PublicKey)
	return &Signer{key: key, pub: pub, kid: KeyID(pub)}
}

// KeyID returns the "kid" of the tokens the signer signs.
func (s *Signer) KeyID() string { return s.kid }

// PublicKey returns the key that verifies the signer's tokens.
func (s *Signer) PublicKey() ed25519.PublicKey { return s.pub }

// Sign returns a signed token for c, issued at now. It refuses claims that Verify would reject.
// The expiry is truncated to whole seconds, as JWT numeric dates are.
func (s *Signer) Sign(c Claims, now time.Time) (string, error) {
	switch {
	case c.UserID <= 0:
		return "", fmt.Errorf("authtoken: sign: user id %d is not positive", c.UserID)
	case c.SessionID == "":
		return "", errors.New("authtoken: sign: empty session id")
	case c.ExpiresAt.IsZero():
		return "", errors.New("authtoken: sign: no expiry time")
	}
	tc := tokenClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    Issuer,
			Subject:   strconv.FormatInt(c.UserID, 10),
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(c.ExpiresAt),
		},
		SessionID: c.SessionID,
		Roles:     c.Roles,
	}
	token := jwt.NewWithClaims(jwt.SigningMethodEdDSA, tc)
	token.Header["kid"] = s.kid
	signed, err := token.SignedString(s.key)
	if err != nil {
		return "", fmt.Errorf("authtoken: sign: %w", err)
	}
	return signed, nil
}

// Verifier checks access tokens against a fixed set of public keys. It is safe for concurrent
// use; to rotate keys, build a new Verifier.
type Verifier struct {
	keys map[string]ed25519.PublicKey
}

// NewVerifier returns a verifier accepting tokens signed by keys, indexed by key id.
func NewVerifier(keys map[string]ed25519.PublicKey) *Verifier {
	own := make(map[string]ed25519.PublicKey, len(keys))
	for kid, k := range keys {
		own[kid] = slices.Clone(k)
	}
	return &Verifier{keys: own}
}

// Verify checks a token at time now and returns its claims. The token must be an EdDSA JWT
// signed by a known key id, issued by Issuer, not expired (beyond a few seconds of clock skew),
// not issued in the future, for a positive user id and a non-empty session. The error wraps
// ErrExpired or ErrInvalid.
func (v *Verifier) Verify(token string, now time.Time) (Claims, error) {
	parser := jwt.NewParser(
		jwt.WithValidMethods([]string{Algorithm}),
		jwt.WithIssuer(Issuer),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(clockSkew),
		jwt.WithTimeFunc(func() time.Time { return now }),
		jwt.WithStrictDecoding(),
	)
	var tc tokenClaims
	_, err := parser.ParseWithClaims(token, &tc, v.keyFor)
	if err != nil {
		if errors.Is(err, jwt.ErrTokenExpired) {
			return Claims{}, fmt.Errorf("%w: %w", ErrExpired, err)
		}
		return Claims{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	uid, err := strconv.ParseInt(tc.Subject, 10, 64)
	if err != nil || uid <= 0 || strconv.FormatInt(uid, 10) != tc.Subject {
		return Claims{}, fmt.Errorf("%w: subject %q is not a user id", ErrInvalid, tc.Subject)
	}
	if tc.SessionID == "" {
		return Claims{}, fmt.Errorf("%w: no session id", ErrInvalid)
	}
	return Claims{
		UserID:    uid,
		SessionID: tc.SessionID,
		Roles:     tc.Roles,
		ExpiresAt: tc.ExpiresAt.Time,
	}, nil
}

// keyFor finds the public key named by a token's "kid" header.
func (v *Verifier) keyFor(t *jwt.Token) (any, error) {
	kid, ok := t.Header["kid"].(string)
	if !ok || kid == "" {
		return nil, errors.New("token has no key id")
	}
	key, ok := v.keys[kid]
	if !ok {
		return nil, fmt.Errorf("unknown key id %q", kid)
	}
	return key, nil
}
