package pagetoken_test

import (
	"strings"
	"testing"

	"github.com/looklook/looklook/services/travel/internal/pagetoken"
)

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	s, err := pagetoken.NewSigner([]byte("key"))
	if err != nil {
		t.Fatal(err)
	}
	c := pagetoken.Cursor{List: "preferred", Scope: 0, Order: -7, ID: 42}
	token := s.Encode(c)
	if strings.ContainsAny(token, "+/= ") || len(token) > 128 {
		t.Fatalf("token %q is not short base64url", token)
	}
	got, err := s.Decode(token, "preferred", 0)
	if err != nil {
		t.Fatal(err)
	}
	c.V = 1
	if got != c {
		t.Fatalf("Decode = %+v, want %+v", got, c)
	}
}

func TestRejects(t *testing.T) {
	t.Parallel()
	s, _ := pagetoken.NewSigner([]byte("key"))
	other, _ := pagetoken.NewSigner([]byte("other key"))
	good := s.Encode(pagetoken.Cursor{List: "comments", Scope: 5, ID: 9})
	flipped := []byte(good)
	flipped[2] ^= 1
	cases := map[string]struct {
		token, list string
		scope       int64
	}{
		"another list":        {good, "businesses", 5},
		"another scope":       {good, "comments", 6},
		"another key":         {other.Encode(pagetoken.Cursor{List: "comments", Scope: 5, ID: 9}), "comments", 5},
		"a flipped bit":       {string(flipped), "comments", 5},
		"no MAC":              {strings.Split(good, ".")[0], "comments", 5},
		"an empty MAC":        {strings.Split(good, ".")[0] + ".", "comments", 5},
		"not base64":          {"!!!.???", "comments", 5},
		"a zero id":           {s.Encode(pagetoken.Cursor{List: "comments", Scope: 5}), "comments", 5},
		"a truncated payload": {good[1:], "comments", 5},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, err := s.Decode(tc.token, tc.list, tc.scope); err != pagetoken.ErrInvalid {
				t.Fatalf("Decode = %v, want ErrInvalid", err)
			}
		})
	}
	if _, err := pagetoken.NewSigner(nil); err == nil {
		t.Fatal("empty key accepted")
	}
}
