package config

import (
	"strings"
	"testing"
	"time"
)

func TestEnvDefaultsAndValues(t *testing.T) {
	t.Parallel()
	env := FromMap(map[string]string{
		"A_INT": "42", "A_BOOL": "yes", "A_DUR": "250ms", "A_LIST": " a, ,b ", "A_STR": " x ", "EMPTY": "  ",
	})
	if got := env.Int("A_INT", 1); got != 42 {
		t.Errorf("Int = %d, want 42", got)
	}
	if got := env.Bool("A_BOOL", false); !got {
		t.Errorf("Bool = false, want true")
	}
	if got := env.Duration("A_DUR", time.Second); got != 250*time.Millisecond {
		t.Errorf("Duration = %v", got)
	}
	if got := env.List("A_LIST", nil); strings.Join(got, "|") != "a|b" {
		t.Errorf("List = %q", got)
	}
	if got := env.String("A_STR", "d"); got != "x" {
		t.Errorf("String = %q", got)
	}
	if got := env.String("EMPTY", "d"); got != "d" {
		t.Errorf("empty String = %q, want the default", got)
	}
	if got := env.Int("MISSING", 7); got != 7 {
		t.Errorf("missing Int = %d, want 7", got)
	}
	if err := env.Err(); err != nil {
		t.Fatalf("Err = %v", err)
	}
}

func TestEnvErrorsNameTheVariable(t *testing.T) {
	t.Parallel()
	env := FromMap(map[string]string{"BAD_INT": "x", "BAD_DUR": "soon", "BAD_BOOL": "maybe"})
	env.Int("BAD_INT", 0)
	env.Duration("BAD_DUR", 0)
	env.Bool("BAD_BOOL", false)
	err := env.Err()
	if err == nil {
		t.Fatal("Err = nil, want errors")
	}
	for _, name := range []string{"BAD_INT", "BAD_DUR", "BAD_BOOL"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error %q does not name %s", err, name)
		}
	}
}
