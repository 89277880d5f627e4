// Package pagetoken makes the opaque page tokens of keyset-paginated lists.
//
// A token is the base64url of a small JSON cursor (which list, which scope, the last sort key)
// followed by an HMAC-SHA256 over it. The MAC makes a token unforgeable by clients, so a cursor
// can be trusted to name a position in the list it came from: a token altered by hand, or
// issued for another list or scope (another business's homestays, say), is rejected. Tokens
// carry no secret and do not expire: a keyset position stays meaningful as rows come and go.
package pagetoken

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
)

// ErrInvalid is returned for a token that is malformed, altered, or from another list or scope.
var ErrInvalid = errors.New("invalid page token")

// version is the cursor layout; a token of another layout is invalid.
const version = 1

// macSize is how many bytes of the HMAC a token keeps: 128 bits is far beyond guessing.
const macSize = 16

// Cursor is a position in a list: after the row with these sort keys.
type Cursor struct {
	// List names the list, such as "business_homestays".
	List string `json:"l"`
	// Scope is the id the list is about (business, homestay or landlord), or 0.
	Scope int64 `json:"s,omitempty"`
	// Order is the last row's secondary sort key, for lists ordered by more than the id.
	Order int64 `json:"o,omitempty"`
	// ID is the last row's id.
	ID int64 `json:"i"`
	// V is the cursor layout version.
	V int `json:"v"`
}

// Signer encodes and checks tokens with one key. Every instance of a service must share the key,
// or a token issued by one is rejected by the next.
type Signer struct {
	key []byte
}

// NewSigner returns a Signer for key, which must not be empty.
func NewSigner(key []byte) (*Signer, error) {
	if len(key) == 0 {
		return nil, errors.New("pagetoken: empty key")
	}
	return &Signer{key: append([]byte(nil), key...)}, nil
}

// Encode returns the token for c.
func (s *Signer) Encode(c Cursor) string {
	c.V = version
	payload, err := json.Marshal(c)
	if err != nil {
		// A struct of strings and integers always marshals.
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(payload) + "." + base64.RawURLEncoding.EncodeToString(s.mac(payload))
}

// Decode checks token and returns its cursor, which must belong to list and scope.
func (s *Signer) Decode(token, list string, scope int64) (Cursor, error) {
	p, m, ok := strings.Cut(token, ".")
	if !ok {
		return Cursor{}, ErrInvalid
	}
	payload, err := base64.RawURLEncoding.DecodeString(p)
	if err != nil {
		return Cursor{}, ErrInvalid
	}
	mac, err := base64.RawURLEncoding.DecodeString(m)
	if err != nil || !hmac.Equal(mac, s.mac(payload)) {
		return Cursor{}, ErrInvalid
	}
	var c Cursor
	if err := json.Unmarshal(payload, &c); err != nil {
		return Cursor{}, ErrInvalid
	}
	if c.V != version || c.List != list || c.Scope != scope || c.ID <= 0 {
		return Cursor{}, ErrInvalid
	}
	return c, nil
}

func (s *Signer) mac(payload []byte) []byte {
	h := hmac.New(sha256.New, s.key)
	h.Write(payload)
	return h.Sum(nil)[:macSize]
}
