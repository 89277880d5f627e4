package authtoken

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func newKey(t *testing.T) ed25519.PrivateKey {
	t.Helper()
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func verifierFor(signers ...*Signer) *Verifier {
	keys := map[string]ed25519.PublicKey{}
	for _, s := range signers {
		keys[s.KeyID()] = s.PublicKey()
	}
	return NewVerifier(keys)
}

var now = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

func validClaims() Claims {
	return Claims{
		UserID:    42,
		SessionID: "3f2a1c9e-8a1b-4c0d-9e2f-1a2b3c4d5e6f",
		Roles:     []string{"user", "landlord"},
		ExpiresAt: now.Add(15 * time.Minute),
	}
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	s := NewSigner(newKey(t))
	in := validClaims()
	in.ExpiresAt = in.ExpiresAt.Add(700 * time.Millisecond)
	token, err := s.Sign(in, now)
	if err != nil {
		t.Fatal(err)
	}
	out, err := verifierFor(s).Verify(token, now.Add(time.Minute))
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if out.UserID != in.UserID || out.SessionID != in.SessionID || !slices.Equal(out.Roles, in.Roles) {
		t.Errorf("claims = %+v, want %+v", out, in)
	}
	if !out.ExpiresAt.Equal(now.Add(15 * time.Minute)) {
		t.Errorf("ExpiresAt = %v, want %v (whole seconds)", out.ExpiresAt, now.Add(15*time.Minute))
	}
	if !out.HasRole("landlord") || out.HasRole("admin") {
		t.Errorf("HasRole wrong for %v", out.Roles)
	}
	header := decodeSegment(t, token, 0)
	for _, want := range []string{`"alg":"EdDSA"`, `"kid":"` + s.KeyID() + `"`} {
		if !strings.Contains(header, want) {
			t.Errorf("header %s lacks %s", header, want)
		}
	}
	payload := decodeSegment(t, token, 1)
	for _, want := range []string{`"iss":"looklook-identity"`, `"sub":"42"`, `"sid":"` + in.SessionID + `"`, `"iat":`, `"exp":`} {
		if !strings.Contains(payload, want) {
			t.Errorf("payload %s lacks %s", payload, want)
		}
	}
}

func TestKeyIDIsStable(t *testing.T) {
	t.Parallel()
	key := newKey(t)
	a, b := NewSigner(key), NewSigner(slices.Clone(key))
	if a.KeyID() != b.KeyID() || a.KeyID() != KeyID(key.Public().(ed25519.PublicKey)) {
		t.Errorf("key ids differ: %s %s", a.KeyID(), b.KeyID())
	}
	if len(a.KeyID()) != 11 {
		t.Errorf("key id %q, want 11 base64url characters", a.KeyID())
	}
	if NewSigner(newKey(t)).KeyID() == a.KeyID() {
		t.Error("two keys share a key id")
	}
}

func decodeSegment(t *testing.T, token string, i int) string {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts", len(parts))
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[i])
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func encodeSegment(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func TestVerifyRejects(t *testing.T) {
	t.Parallel()
	s := NewSigner(newKey(t))
	other := NewSigner(newKey(t))
	good, err := s.Sign(validClaims(), now)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, ".")
	payload := decodeSegment(t, good, 1)

	// signWith signs arbitrary claims with s's key and kid, bypassing Sign's checks.
	signWith := func(claims jwt.MapClaims) string {
		tok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, claims)
		tok.Header["kid"] = s.KeyID()
		out, err := tok.SignedString(ed25519.PrivateKey(s.key))
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	base := func() jwt.MapClaims {
		return jwt.MapClaims{"iss": Issuer, "sub": "42", "sid": "s1", "iat": now.Unix(), "exp": now.Add(time.Minute).Unix()}
	}
	with := func(k string, v any) string {
		c := base()
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
		return signWith(c)
	}

	hsToken := func() string {
		tok := jwt.NewWithClaims(jwt.SigningMethodHS256, base())
		tok.Header["kid"] = s.KeyID()
		// A classic confusion attack: HMAC keyed with the public key.
		out, err := tok.SignedString([]byte(s.PublicKey()))
		if err != nil {
			t.Fatal(err)
		}
		return out
	}()
	noneToken := func() string {
		tok := jwt.NewWithClaims(jwt.SigningMethodNone, base())
		tok.Header["kid"] = s.KeyID()
		out, err := tok.SignedString(jwt.UnsafeAllowNoneSignatureType)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}()
	otherKidToken := func() string {
		tok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, base())
		tok.Header["kid"] = "nope"
		out, err := tok.SignedString(ed25519.PrivateKey(s.key))
		if err != nil {
			t.Fatal(err)
		}
		return out
	}()
	noKidToken := func() string {
		tok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, base())
		out, err := tok.SignedString(ed25519.PrivateKey(s.key))
		if err != nil {
			t.Fatal(err)
		}
		return out
	}()
	forged, err := other.Sign(validClaims(), now)
	if err != nil {
		t.Fatal(err)
	}
	// The forger claims to be s by using its kid.
	forgedParts := strings.Split(forged, ".")
	forgedAsS := parts[0] + "." + forgedParts[1] + "." + forgedParts[2]

	tests := []struct {
		name  string
		token string
		at    time.Time
		want  error
	}{
		{"a tampered payload is invalid", parts[0] + "." + encodeSegment(strings.Replace(payload, `"sub":"42"`, `"sub":"1"`, 1)) + "." + parts[2], now, ErrInvalid},
		{"a tampered header is invalid", encodeSegment(strings.Replace(decodeSegment(t, good, 0), `"typ":"JWT"`, `"typ":"jwt"`, 1)) + "." + parts[1] + "." + parts[2], now, ErrInvalid},
		{"a token signed with another key under our kid is invalid", forgedAsS, now, ErrInvalid},
		{"a token with an unknown kid is invalid", forged, now, ErrInvalid},
		{"a token with a kid not in the verifier is invalid", otherKidToken, now, ErrInvalid},
		{"a token without kid is invalid", noKidToken, now, ErrInvalid},
		{"alg none is invalid", noneToken, now, ErrInvalid},
		{"HS256 is invalid", hsToken, now, ErrInvalid},
		{"an expired token is expired", good, now.Add(16 * time.Minute), ErrExpired},
		{"garbage is invalid", "not a token", now, ErrInvalid},
		{"empty is invalid", "", now, ErrInvalid},
		{"two segments are invalid", parts[0] + "." + parts[1], now, ErrInvalid},
		{"a dropped signature is invalid", parts[0] + "." + parts[1] + ".", now, ErrInvalid},
		{"another issuer is invalid", with("iss", "someone-else"), now, ErrInvalid},
		{"no issuer is invalid", with("iss", nil), now, ErrInvalid},
		{"no expiry is invalid", with("exp", nil), now, ErrInvalid},
		{"a token issued in the future is invalid", with("iat", now.Add(time.Hour).Unix()), now, ErrInvalid},
		{"a non-numeric subject is invalid", with("sub", "alice"), now, ErrInvalid},
		{"a zero subject is invalid", with("sub", "0"), now, ErrInvalid},
		{"a negative subject is invalid", with("sub", "-7"), now, ErrInvalid},
		{"a non-canonical subject is invalid", with("sub", "+42"), now, ErrInvalid},
		{"an overflowing subject is invalid", with("sub", "99999999999999999999"), now, ErrInvalid},
		{"no session is invalid", with("sid", nil), now, ErrInvalid},
		{"an empty session is invalid", with("sid", ""), now, ErrInvalid},
	}
	v := verifierFor(s)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := v.Verify(tt.token, tt.at)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Verify error = %v, want %v", err, tt.want)
			}
			other := ErrInvalid
			if tt.want == ErrInvalid {
				other = ErrExpired
			}
			if errors.Is(err, other) {
				t.Fatalf("Verify error %v wraps both sentinels", err)
			}
		})
	}
}

func TestVerifyAllowsSmallClockSkewOnly(t *testing.T) {
	t.Parallel()
	s := NewSigner(newKey(t))
	token, err := s.Sign(validClaims(), now)
	if err != nil {
		t.Fatal(err)
	}
	v := verifierFor(s)
	exp := validClaims().ExpiresAt
	if _, err := v.Verify(token, exp.Add(2*time.Second)); err != nil {
		t.Errorf("2s after expiry: %v, want accepted", err)
	}
	if _, err := v.Verify(token, exp.Add(time.Minute)); !errors.Is(err, ErrExpired) {
		t.Errorf("1m after expiry: %v, want ErrExpired", err)
	}
}

func TestVerifierWithSeveralKeys(t *testing.T) {
	t.Parallel()
	a, b := NewSigner(newKey(t)), NewSigner(newKey(t))
	v := verifierFor(a, b)
	for _, s := range []*Signer{a, b} {
		token, err := s.Sign(validClaims(), now)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := v.Verify(token, now); err != nil {
			t.Errorf("token of key %s: %v", s.KeyID(), err)
		}
	}
}

func TestVerifierIsSafeForConcurrentUse(t *testing.T) {
	t.Parallel()
	s := NewSigner(newKey(t))
	v := verifierFor(s)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				token, err := s.Sign(validClaims(), now)
				if err != nil {
					t.Error(err)
					return
				}
				if _, err := v.Verify(token, now); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestSignRefusesUnverifiableClaims(t *testing.T) {
	t.Parallel()
	s := NewSigner(newKey(t))
	for name, mutate := range map[string]func(*Claims){
		"zero user":     func(c *Claims) { c.UserID = 0 },
		"negative user": func(c *Claims) { c.UserID = -1 },
		"no session":    func(c *Claims) { c.SessionID = "" },
		"no expiry":     func(c *Claims) { c.ExpiresAt = time.Time{} },
	} {
		c := validClaims()
		mutate(&c)
		if _, err := s.Sign(c, now); err == nil {
			t.Errorf("%s: Sign succeeded", name)
		}
	}
}

func TestParseKey(t *testing.T) {
	t.Parallel()
	key := newKey(t)
	got, err := ParseKey(" " + EncodeKey(key) + "\n")
	if err != nil {
		t.Fatal(err)
	}
	if !got.Equal(key) {
		t.Error("ParseKey(EncodeKey(k)) != k")
	}
	secret := base64.StdEncoding.EncodeToString(make([]byte, 31))
	for _, bad := range []string{"", "%%%", secret, base64.StdEncoding.EncodeToString(make([]byte, 64))} {
		_, err := ParseKey(bad)
		if err == nil {
			t.Errorf("ParseKey(%q) succeeded", bad)
			continue
		}
		if bad != "" && strings.Contains(err.Error(), bad) {
			t.Errorf("error %q leaks the key", err)
		}
	}
}

func TestLoadOrCreateKey(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "nested", "dir", "signing.key")
	first, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("key file mode %o, want 600", perm)
	}
	again, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Equal(first) {
		t.Error("second LoadOrCreateKey returned a different key")
	}
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("key directory holds %d files, want only the key (temporary files must go)", len(entries))
	}
}

func TestLoadOrCreateKeyConcurrentCreatorsAgree(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "signing.key")
	keys := make([]ed25519.PrivateKey, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Go(func() {
			k, err := LoadOrCreateKey(path)
			if err != nil {
				t.Error(err)
			}
			keys[i] = k
		})
	}
	wg.Wait()
	for _, k := range keys[1:] {
		if !k.Equal(keys[0]) {
			t.Fatal("concurrent LoadOrCreateKey calls returned different keys")
		}
	}
}

func TestLoadOrCreateKeyRejectsCorruptFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "signing.key")
	if err := os.WriteFile(path, []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateKey(path); err == nil {
		t.Fatal("a corrupt key file was accepted")
	}
	b, err := os.ReadFile(path)
	if err != nil || string(b) != "garbage" {
		t.Fatalf("the corrupt key file was replaced: %q %v", b, err)
	}
}
