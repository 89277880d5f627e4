package password

import (
	"strings"
	"testing"
)

// cheap keeps tests fast; TestDefaultParams covers the production costs once.
var cheap = Params{MemoryKiB: 1024, Time: 1, Threads: 1}

func TestHashAndVerify(t *testing.T) {
	t.Parallel()
	enc, err := Hash("correct horse battery staple", cheap)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Fatalf("hash %q is not an argon2id PHC string with the given params", enc)
	}
	tests := []struct {
		name     string
		password string
		want     bool
	}{
		{"the right password matches", "correct horse battery staple", true},
		{"a wrong password does not match", "correct horse battery stapl", false},
		{"an empty password does not match", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Verify(tt.password, enc)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Fatalf("Verify = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestHashesAreSalted(t *testing.T) {
	t.Parallel()
	a, err := Hash("same password", cheap)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Hash("same password", cheap)
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
}

func TestVerifyReadsParamsFromTheHash(t *testing.T) {
	t.Parallel()
	old := Params{MemoryKiB: 2048, Time: 2, Threads: 2}
	enc, err := Hash("password123", old)
	if err != nil {
		t.Fatal(err)
	}
	// The service now hashes with other params; the old hash must still verify.
	ok, err := Verify("password123", enc)
	if err != nil || !ok {
		t.Fatalf("Verify with old params = %v, %v; want true", ok, err)
	}
	if !NeedsRehash(enc, cheap) {
		t.Fatal("NeedsRehash = false for a hash made with other params")
	}
	if NeedsRehash(enc, old) {
		t.Fatal("NeedsRehash = true for a hash made with the same params")
	}
}

func TestVerifyRejectsMalformedHashes(t *testing.T) {
	t.Parallel()
	good, err := Hash("password123", cheap)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, "$")
	tests := []struct {
		name string
		enc  string
	}{
		{"empty", ""},
		{"md5 hex", "5f4dcc3b5aa765d61d8327deb882cf99"},
		{"argon2i", strings.Replace(good, "argon2id", "argon2i", 1)},
		{"other version", strings.Replace(good, "v=19", "v=16", 1)},
		{"missing key", strings.Join(parts[:5], "$")},
		{"bad params", strings.Replace(good, "m=1024,t=1,p=1", "m=x,t=1,p=1", 1)},
		{"zero time", strings.Replace(good, "t=1", "t=0", 1)},
		{"huge memory", strings.Replace(good, "m=1024", "m=99999999", 1)},
		{"bad salt", strings.Join([]string{"", parts[1], parts[2], parts[3], "!!!", parts[5]}, "$")},
		{"short key", strings.Join([]string{"", parts[1], parts[2], parts[3], parts[4], "AAAA"}, "$")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if ok, err := Verify("password123", tt.enc); err == nil || ok {
				t.Fatalf("Verify(%q) = %v, %v; want an error", tt.enc, ok, err)
			}
		})
	}
}

func TestParamsValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		p    Params
		ok   bool
	}{
		{"defaults", DefaultParams(), true},
		{"cheap", cheap, true},
		{"zero", Params{}, false},
		{"no threads", Params{MemoryKiB: 1024, Time: 1}, false},
		{"too little memory for threads", Params{MemoryKiB: 15, Time: 1, Threads: 2}, false},
		{"too many passes", Params{MemoryKiB: 1024, Time: 65, Threads: 1}, false},
	}
	for _, tt := range tests {
		if err := tt.p.Validate(); (err == nil) != tt.ok {
			t.Errorf("%s: Validate() = %v, want ok=%v", tt.name, err, tt.ok)
		}
		if _, err := Hash("x", tt.p); (err == nil) != tt.ok {
			t.Errorf("%s: Hash error = %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
}

func TestDefaultParams(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("hashes with production costs")
	}
	enc, err := Hash("password123", DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q does not carry the default params", enc)
	}
	if ok, err := Verify("password123", enc); err != nil || !ok {
		t.Fatalf("Verify = %v, %v", ok, err)
	}
}
