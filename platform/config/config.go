// Package config reads program configuration from environment variables.
//
// An Env collects every problem instead of stopping at the first, so a misconfigured program
// reports all of its bad variables at once, each error naming the variable:
//
//	env := config.FromOS()
//	addr := env.String("LOOKLOOK_ADDR", ":8080")
//	ttl := env.Duration("LOOKLOOK_ACCESS_TOKEN_TTL", 15*time.Minute)
//	if err := env.Err(); err != nil { ... }
package config

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Env reads typed values from a set of variables and remembers what was wrong with them.
type Env struct {
	lookup func(string) (string, bool)
	errs   []error
}

// FromOS reads the process environment.
func FromOS() *Env { return &Env{lookup: os.LookupEnv} }

// FromOSWith reads the process environment, except that the given variables take precedence.
// The all-in-one launcher uses it to hand each in-process service its own database URL while the
// user's other settings still apply.
func FromOSWith(overrides map[string]string) *Env {
	return &Env{lookup: func(k string) (string, bool) {
		if v, ok := overrides[k]; ok {
			return v, true
		}
		return os.LookupEnv(k)
	}}
}

// FromMap reads the given variables; tests use it instead of the process environment.
func FromMap(vars map[string]string) *Env {
	return &Env{lookup: func(k string) (string, bool) { v, ok := vars[k]; return v, ok }}
}

// Err reports every invalid variable read so far, or nil.
func (e *Env) Err() error { return errors.Join(e.errs...) }

// Fail records a problem with a variable found by the caller's own checks.
func (e *Env) Fail(name, format string, args ...any) {
	e.errs = append(e.errs, fmt.Errorf("%s: %s", name, fmt.Sprintf(format, args...)))
}

func (e *Env) get(name string) (string, bool) {
	v, ok := e.lookup(name)
	if !ok {
		return "", false
	}
	v = strings.TrimSpace(v)
	return v, v != ""
}

// String returns the variable, or def when it is unset or empty.
func (e *Env) String(name, def string) string {
	if v, ok := e.get(name); ok {
		return v
	}
	return def
}

// Int returns the variable as an integer, or def.
func (e *Env) Int(name string, def int) int {
	v, ok := e.get(name)
	if !ok {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		e.Fail(name, "%q is not an integer", v)
		return def
	}
	return n
}

// Bool returns the variable as a boolean (1/0, true/false, yes/no, on/off), or def.
func (e *Env) Bool(name string, def bool) bool {
	v, ok := e.get(name)
	if !ok {
		return def
	}
	switch strings.ToLower(v) {
	case "1", "true", "yes", "on":
		return true
	case "0", "false", "no", "off":
		return false
	}
	e.Fail(name, "%q is not a boolean (use true or false)", v)
	return def
}

// Duration returns the variable as a Go duration such as "15m" or "500ms", or def.
func (e *Env) Duration(name string, def time.Duration) time.Duration {
	v, ok := e.get(name)
	if !ok {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		e.Fail(name, "%q is not a duration such as 15m or 500ms", v)
		return def
	}
	return d
}

// List returns the comma-separated variable with blanks dropped, or def.
func (e *Env) List(name string, def []string) []string {
	v, ok := e.get(name)
	if !ok {
		return def
	}
	var out []string
	for _, part := range strings.Split(v, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
