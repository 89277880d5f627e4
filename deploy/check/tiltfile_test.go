package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tiltRoot makes a small repository for inline Tiltfiles.
func tiltRoot(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	for _, dir := range []string{"services/identity", "deploy/docker", "deploy/k8s/overlays/dev"} {
		if err := os.MkdirAll(filepath.Join(root, dir), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "deploy/docker/Dockerfile.tilt"), []byte("FROM scratch\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}

// goodTiltfile deploys the fixture's identity Deployment.
const goodTiltfile = `
load('ext://restart_process', 'docker_build_with_restart')

local_resource('identity-compile',
    cmd='go build -o deploy/.build/identity ./services/identity/cmd/identity',
    deps=['services/identity'], labels=['services'])
docker_build_with_restart('looklook/identity', 'deploy/.build',
    dockerfile='deploy/docker/Dockerfile.tilt', only=['identity'],
    entrypoint=['/app/server'],
    live_update=[sync('deploy/.build/identity', '/app/server')])
k8s_yaml(kustomize('deploy/k8s/overlays/dev'))
k8s_resource('identity', port_forwards=['8081:8081'], resource_deps=['identity-compile'], labels=['services'])
local_resource('test-identity', cmd='go test ./...', dir='services/identity',
    trigger_mode=TRIGGER_MODE_MANUAL, auto_init=False, labels=['tools'])
`

// tiltDev is the fixture as the dev overlay Tilt deploys: untagged image,
// writable root for live update.
func tiltDev(t *testing.T) *Objects {
	t.Helper()
	objs := fixture(t, "image: looklook/identity:1.0.0", "image: looklook/identity")
	f := false
	objs.Deployments[0].Spec.Template.Spec.Containers[0].SecurityContext.ReadOnlyRootFilesystem = &f
	return objs
}

func TestTiltfileAcceptsAGoodOne(t *testing.T) {
	t.Parallel()
	root := tiltRoot(t)
	tilt, err := RunTiltfileSource(root, "Tiltfile", []byte(goodTiltfile), nil)
	if err != nil {
		t.Fatal(err)
	}
	noViolations(t, Tiltfile(tilt, tiltDev(t), root, "identity", 8081))
	if len(tilt.Images) != 1 || !tilt.Images[0].Restart || tilt.Images[0].Entrypoint[0] != "/app/server" {
		t.Errorf("recorded images %+v", tilt.Images)
	}
}

func TestTiltfileDialect(t *testing.T) {
	t.Parallel()
	// Tilt's dialect: top-level control flow, while, set, global
	// reassignment and recursion all load.
	src := `
names = set(['a', 'b'])
n = 0
while n < 3:
    n += 1
n = 10
def fact(k):
    return 1 if k <= 1 else k * fact(k - 1)
if fact(4) != 24 or len(names) != 2:
    fail('dialect')
for x in ['c']:
    names = names.union([x])
if os.getenv('LOOKLOOK_X', 'dflt') != 'from-env':
    fail('getenv')
if not os.path.exists('deploy/docker/Dockerfile.tilt') or os.path.exists('nope'):
    fail('os.path.exists')
`
	if _, err := RunTiltfileSource(tiltRoot(t), "Tiltfile", []byte(src), map[string]string{"LOOKLOOK_X": "from-env"}); err != nil {
		t.Fatal(err)
	}
}

func TestTiltfileRejectsBrokenSource(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, old, new, want string
	}{
		{"a typo'd builtin", "k8s_resource('identity'", "k8s_resouce('identity'", "undefined: k8s_resouce"},
		{"a typo'd keyword", "port_forwards=['8081:8081']", "port_forward=['8081:8081']", "unexpected keyword argument \"port_forward\""},
		{"a missing argument", "docker_build_with_restart('looklook/identity', 'deploy/.build',", "docker_build_with_restart('looklook/identity',", "missing argument for context"},
		{"a wrong type", "only=['identity']", "only=[1]", "only: item 0: want a string, got a int"},
		{"an unknown extension", "ext://restart_process", "ext://restart_proces", "no stub for this module"},
		{"a name the extension lacks", "'docker_build_with_restart')", "'docker_build_with_restart', 'nope')", "nope"},
		{"a syntax error", "labels=['services'])\ndocker_build", "labels=['services']\ndocker_build", "got identifier"},
		{"a relative sync target", "'/app/server')])", "'app/server')])", "remote path \"app/server\" must be absolute"},
		{"restart_container with the restart extension", "sync('deploy/.build/identity', '/app/server')]", "sync('deploy/.build/identity', '/app/server'), restart_container()]", "cannot be combined"},
		{"a sync outside the context", "sync('deploy/.build/identity'", "sync('services/identity'", "outside the build context"},
		{"a bad trigger mode", "trigger_mode=TRIGGER_MODE_MANUAL", "trigger_mode='manual'", "trigger_mode must be TRIGGER_MODE_AUTO or TRIGGER_MODE_MANUAL"},
		{"a duplicate local resource", "local_resource('test-identity'", "local_resource('identity-compile'", "defined multiple times"},
		{"a call to fail", "k8s_yaml(", "fail('stop')\nk8s_yaml(", "stop"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if !strings.Contains(goodTiltfile, tt.old) {
				t.Fatalf("goodTiltfile has no %q", tt.old)
			}
			src := strings.Replace(goodTiltfile, tt.old, tt.new, 1)
			_, err := RunTiltfileSource(tiltRoot(t), "Tiltfile", []byte(src), nil)
			if err == nil {
				t.Fatalf("RunTiltfile accepted %s", tt.name)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
		})
	}
}

func TestTiltfileRejectsMismatches(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, old, new, want string
	}{
		{"an unknown workload", "k8s_resource('identity'", "k8s_resource('identity')\nk8s_resource('indentity'", "k8s_resource(\"indentity\"): no Deployment or StatefulSet"},
		{"an image nothing deploys", "'looklook/identity', 'deploy/.build'", "'looklook/identiy', 'deploy/.build'", "docker_build(\"looklook/identiy\"): no container in the dev overlay uses this image"},
		{"a deployed image nothing builds", "'looklook/identity', 'deploy/.build'", "'looklook/identiy', 'deploy/.build'", "deploy looklook/identity, which the Tiltfile does not build"},
		{"no public port forward", "port_forwards=['8081:8081'], ", "", "must forward localhost:8081"},
		{"a forward to a port not exposed", "port_forwards=['8081:8081']", "port_forwards=['8081:8081', '7000:7000']", "forwards to port 7000, which no container exposes"},
		{"an unknown dependency", "resource_deps=['identity-compile']", "resource_deps=['identity-compile', 'postgress']", "depends on \"postgress\", which is no resource"},
		{"an image built before its binary", "resource_deps=['identity-compile'], ", "", "must depend on [identity-compile]"},
		{"an unlabelled resource", "deps=['services/identity'], labels=['services'])", "deps=['services/identity'])", "local_resource(\"identity-compile\") has no labels"},
		{"an unknown label", "labels=['tools'])", "labels=['test'])", "has label \"test\""},
		{"tests that run on start", "trigger_mode=TRIGGER_MODE_MANUAL, auto_init=False, ", "", "runs tests: make it trigger_mode=TRIGGER_MODE_MANUAL"},
		{"a path that does not exist", "deps=['services/identity']", "deps=['services/identiy']", "local_resource deps: services/identiy does not exist"},
		{"a missing Dockerfile", "dockerfile='deploy/docker/Dockerfile.tilt'", "dockerfile='deploy/docker/Dockerfile.dev'", "docker_build dockerfile: deploy/docker/Dockerfile.dev does not exist"},
		{"a workload with no k8s_resource", "k8s_resource('identity', port_forwards=['8081:8081'], resource_deps=['identity-compile'], labels=['services'])", "", "workload identity has no k8s_resource"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if !strings.Contains(goodTiltfile, tt.old) {
				t.Fatalf("goodTiltfile has no %q", tt.old)
			}
			root := tiltRoot(t)
			tilt, err := RunTiltfileSource(root, "Tiltfile", []byte(strings.Replace(goodTiltfile, tt.old, tt.new, 1)), nil)
			if err != nil {
				t.Fatal(err)
			}
			var msgs []string
			for _, err := range Tiltfile(tilt, tiltDev(t), root, "identity", 8081) {
				msgs = append(msgs, err.Error())
			}
			if !strings.Contains(strings.Join(msgs, "\n"), tt.want) {
				t.Errorf("violations %q do not include %q", msgs, tt.want)
			}
		})
	}
}

func TestTiltfileLiveUpdateNeedsWritableRoot(t *testing.T) {
	t.Parallel()
	root := tiltRoot(t)
	tilt, err := RunTiltfileSource(root, "Tiltfile", []byte(goodTiltfile), nil)
	if err != nil {
		t.Fatal(err)
	}
	readOnly := fixture(t, "image: looklook/identity:1.0.0", "image: looklook/identity")
	errs := Tiltfile(tilt, readOnly, root, "identity", 8081)
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "whose root filesystem is read-only") {
		t.Errorf("got %v, want one complaint that live update cannot write the root filesystem", errs)
	}
}
