package authtoken

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ParseKey decodes an Ed25519 private key from the standard base64 form of its 32-byte seed,
// the format of LOOKLOOK_SIGNING_KEY and of key files. Errors never contain key material.
func ParseKey(b64seed string) (ed25519.PrivateKey, error) {
	seed, err := base64.StdEncoding.DecodeString(strings.TrimSpace(b64seed))
	if err != nil {
		return nil, errors.New("authtoken: signing key is not standard base64")
	}
	if len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("authtoken: signing key seed is %d bytes, want %d", len(seed), ed25519.SeedSize)
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

// EncodeKey returns the standard base64 form of key's seed, the format ParseKey reads.
func EncodeKey(key ed25519.PrivateKey) string {
	return base64.StdEncoding.EncodeToString(key.Seed())
}

// LoadOrCreateKey reads the key file at path (the base64 seed, as ParseKey reads it) or, if there
// is none, creates one with a new random key, readable only by its owner, along with its parent
// directory. Creation is atomic: the file appears complete or not at all, and when several
// processes race to create it they all end up with the key of the one that won.
func LoadOrCreateKey(path string) (ed25519.PrivateKey, error) {
	key, err := readKey(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}

	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("authtoken: create key directory: %w", err)
	}
	_, key, err = ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("authtoken: generate key: %w", err)
	}
	// The key is written to a private temporary file first and then hard-linked into place:
	// unlike a rename, a link fails when the target exists, so a key another process created
	// meanwhile is never replaced.
	tmp, err := os.CreateTemp(dir, ".signing-key-*") // CreateTemp uses mode 0600.
	if err != nil {
		return nil, fmt.Errorf("authtoken: create key file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(EncodeKey(key) + "\n"); err != nil {
		_ = tmp.Close()
		return nil, fmt.Errorf("authtoken: write key file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return nil, fmt.Errorf("authtoken: write key file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return nil, fmt.Errorf("authtoken: write key file: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return readKey(path)
		}
		return nil, fmt.Errorf("authtoken: create key file: %w", err)
	}
	return key, nil
}

// readKey reads and parses a key file; a missing file yields an error wrapping fs.ErrNotExist.
func readKey(path string) (ed25519.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("authtoken: read key file: %w", err)
	}
	key, err := ParseKey(string(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return key, nil
}
