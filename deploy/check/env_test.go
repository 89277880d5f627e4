package check

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"testing"
)

// TestAllowedEnvMatchesPrograms reads each program's ConfigFromEnv and
// compares the variable names it mentions with AllowedEnv: a variable the
// program reads but AllowedEnv lacks can never be set by a manifest, and one
// AllowedEnv lists but the program no longer reads would let a manifest set
// it for nothing.
func TestAllowedEnvMatchesPrograms(t *testing.T) {
	t.Parallel()
	root := repoRoot(t)
	sources := map[string]string{
		"identity":   "services/identity/identity.go",
		"usercenter": "services/usercenter/usercenter.go",
		"travel":     "services/travel/travel.go",
		"bff":        "bff/bff.go",
	}
	allowed := AllowedEnv()
	if len(allowed) != len(sources) {
		t.Errorf("AllowedEnv has %d programs, want %d", len(allowed), len(sources))
	}
	for program, src := range sources {
		read := configNames(t, filepath.Join(root, src))
		if len(read) == 0 {
			t.Errorf("%s: found no variable names in ConfigFromEnv", src)
		}
		for _, name := range read {
			if !allowed[program][name] {
				t.Errorf("%s reads %s, which AllowedEnv()[%q] lacks", src, name, program)
			}
		}
		for name := range allowed[program] {
			if !slices.Contains(read, name) && !slices.Contains(PlatformEnv(), name) {
				t.Errorf("AllowedEnv()[%q] lists %s, which %s no longer reads", program, name, src)
			}
		}
	}
}

// configNames returns the LOOKLOOK_*/OTEL_* names quoted in the file's
// ConfigFromEnv function.
func configNames(t *testing.T, file string) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	name := regexp.MustCompile(`^(LOOKLOOK|OTEL)_[A-Z0-9_]+$`)
	var names []string
	for _, decl := range f.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Name.Name != "ConfigFromEnv" || fn.Recv != nil {
			continue
		}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			if s, err := strconv.Unquote(lit.Value); err == nil && name.MatchString(s) && !slices.Contains(names, s) {
				names = append(names, s)
			}
			return true
		})
	}
	return names
}
