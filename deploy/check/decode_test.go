package check

import (
	"strings"
	"testing"
)

func TestDecodeRejectsMalformedObjects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, old, new, want string
	}{
		{"an unknown field", "  selector:\n    matchLabels", "  replicass: 2\n  selector:\n    matchLabels", `unknown field "spec.replicass"`},
		{"a misplaced field", "          readinessProbe:", "          readinesProbe:", `unknown field "spec.template.spec.containers[0].readinesProbe"`},
		{"a wrong type", "  selector:\n    matchLabels", "  replicas: two\n  selector:\n    matchLabels", "replicas"},
		{"a list where a map belongs", "      enableServiceLinks: false", "      enableServiceLinks: [false]", "enableServiceLinks"},
		{"a duplicate field", "      enableServiceLinks: false", "      enableServiceLinks: false\n      enableServiceLinks: true", "enableServiceLinks"},
		{"an unknown kind", "kind: Deployment", "kind: Deploymnet", `no kind "Deploymnet" is registered`},
		{"an unregistered group", "apiVersion: apps/v1", "apiVersion: apps/v2", "apps/v2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if !strings.Contains(goodFixture, tt.old) {
				t.Fatalf("fixture has no %q", tt.old)
			}
			_, err := Decode(splitDocs(strings.Replace(goodFixture, tt.old, tt.new, 1)))
			if err == nil {
				t.Fatalf("Decode accepted %s", tt.name)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Decode error %q does not mention %q", err, tt.want)
			}
			if !strings.Contains(err.Error(), "Deployment identity") && !strings.Contains(err.Error(), "Deploymnet identity") {
				t.Errorf("Decode error %q does not name the object", err)
			}
		})
	}
}

func TestDecodeAcceptsTheFixture(t *testing.T) {
	t.Parallel()
	objs := fixture(t, "", "")
	if len(objs.Deployments) != 1 || len(objs.Services) != 1 || len(objs.ConfigMaps) != 1 || len(objs.Secrets) != 1 || len(objs.ServiceAccounts) != 1 {
		t.Errorf("decoded %+v, want one object of each kind", objs)
	}
}
