// Package password hashes and checks passwords with argon2id, storing each hash as a PHC string:
//
//	$argon2id$v=19$m=19456,t=2,p=1$<salt>$<key>
//
// The salt and key are unpadded standard base64, as in the reference argon2 implementation.
// Verify reads the cost parameters from the stored string, not from the current Params, so the
// parameters can be raised later without invalidating existing hashes.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's cost parameters.
type Params struct {
	// MemoryKiB is the memory cost in KiB.
	MemoryKiB uint32
	// Time is the number of passes over the memory.
	Time uint32
	// Threads is the degree of parallelism.
	Threads uint8
}

// DefaultParams returns OWASP's minimum recommendation for argon2id (19 MiB, two passes, one
// thread): a few tens of milliseconds per hash on a server core.
func DefaultParams() Params { return Params{MemoryKiB: 19456, Time: 2, Threads: 1} }

const (
	saltLen = 16
	keyLen  = 32
)

// Limits on parameters read from a stored hash, so a corrupt or hostile row cannot make Verify
// allocate gigabytes or spin for minutes.
const (
	maxMemoryKiB = 1 << 21 // 2 GiB
	maxTime      = 64
)

// ErrMalformedHash reports a stored hash that is not an argon2id PHC string this package reads.
var ErrMalformedHash = errors.New("password: malformed argon2id hash")

// Validate reports whether p are usable argon2id parameters.
func (p Params) Validate() error {
	switch {
	case p.Time < 1 || p.Time > maxTime:
		return fmt.Errorf("argon2 time must be between 1 and %d, got %d", maxTime, p.Time)
	case p.Threads < 1:
		return errors.New("argon2 threads must be at least 1")
	case p.MemoryKiB < 8*uint32(p.Threads) || p.MemoryKiB > maxMemoryKiB:
		return fmt.Errorf("argon2 memory must be between %d and %d KiB, got %d", 8*uint32(p.Threads), maxMemoryKiB, p.MemoryKiB)
	}
	return nil
}

// Hash returns the PHC string of password hashed with a fresh random salt.
func Hash(password string, p Params) (string, error) {
	if err := p.Validate(); err != nil {
		return "", err
	}
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password: read salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.MemoryKiB, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify reports whether password matches the PHC string encoded, comparing in constant time.
// It returns an error only when encoded is malformed.
func Verify(password, encoded string) (bool, error) {
	p, salt, key, err := decode(encoded)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// NeedsRehash reports whether encoded was made with parameters other than p, so a caller that
// has the plain password at hand (a successful login) may store a fresh hash.
func NeedsRehash(encoded string, p Params) bool {
	got, _, _, err := decode(encoded)
	return err != nil || got != p
}

func decode(encoded string) (Params, []byte, []byte, error) {
	// "", "argon2id", "v=19", "m=..,t=..,p=..", salt, key
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return Params{}, nil, nil, ErrMalformedHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return Params{}, nil, nil, ErrMalformedHash
	}
	var p Params
	if n, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Time, &p.Threads); err != nil || n != 3 {
		return Params{}, nil, nil, ErrMalformedHash
	}
	if p.Validate() != nil {
		return Params{}, nil, nil, ErrMalformedHash
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return Params{}, nil, nil, ErrMalformedHash
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) < 16 || len(key) > 64 {
		return Params{}, nil, nil, ErrMalformedHash
	}
	return p, salt, key, nil
}
