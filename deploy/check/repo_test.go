package check

import (
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// repoRoot is the repository root, seen from this package's directory.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.work")); err != nil {
		t.Fatalf("repository root not found at %s: %v", root, err)
	}
	return root
}

// k8sCopy copies deploy/k8s into a temporary directory and runs the dev
// overlay's gen-secrets.sh there, as the Tiltfile does on a fresh checkout:
// the dev secrets are generated, never committed, and the developer's own
// secrets/ (if any) are left alone.
func k8sCopy(t *testing.T, root string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(root, "deploy", "k8s"))); err != nil {
		t.Fatal(err)
	}
	secrets := filepath.Join(dir, "overlays", "dev", "secrets")
	if err := os.RemoveAll(secrets); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("sh", filepath.Join(dir, "overlays", "dev", "gen-secrets.sh"), secrets).CombinedOutput()
	if err != nil {
		t.Fatalf("gen-secrets.sh: %v\n%s", err, out)
	}
	return dir
}

// build runs kustomize on one kustomization and decodes it strictly.
func build(t *testing.T, dir string) *Objects {
	t.Helper()
	docs, err := Build(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		t.Fatal(err)
	}
	objs, err := Decode(docs)
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

func looklookImages() map[string]bool {
	return nameSet("looklook/identity", "looklook/usercenter", "looklook/travel", "looklook/bff")
}

func noViolations(t *testing.T, errs []error) {
	t.Helper()
	for _, err := range errs {
		t.Error(err)
	}
}

func TestManifests(t *testing.T) {
	t.Parallel()
	root := repoRoot(t)
	k8s := k8sCopy(t, root)
	tilt, err := RunTiltfile(root, "Tiltfile", nil)
	if err != nil {
		t.Fatal(err)
	}
	built, liveUpdated := TiltDevImages(tilt)

	tests := []struct {
		dir  string
		opts Options
	}{
		{
			// base alone is not deployable: the overlay supplies the Secrets
			// and the image tags.
			dir: "base",
			opts: Options{
				ExternalSecrets: nameSet("identity-secrets", "usercenter-secrets", "travel-secrets"),
				UntaggedImages:  looklookImages(),
			},
		},
		{
			dir:  "overlays/dev",
			opts: Options{UntaggedImages: built, WritableRootImages: liveUpdated},
		},
		{
			// The user creates these Secrets; see the overlay's kustomization.yaml.
			dir: "overlays/prod-example",
			opts: Options{
				ExternalSecrets: nameSet("identity-secrets", "travel-secrets", "looklook-managed-postgres", "looklook-managed-redis"),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			t.Parallel()
			objs := build(t, filepath.Join(k8s, tt.dir))
			if len(objs.Deployments) < 4 {
				t.Fatalf("got %d Deployments, want the four programs at least", len(objs.Deployments))
			}
			noViolations(t, Manifests(objs, tt.opts))
		})
	}
}

// TestDevOverlay checks what the dev loop relies on beyond the policy: the
// generated credentials agree with each other, demo data and CORS are on, and
// the data stores are in the cluster.
func TestDevOverlay(t *testing.T) {
	t.Parallel()
	objs := build(t, filepath.Join(k8sCopy(t, repoRoot(t)), "overlays", "dev"))

	secret := func(prefix string) map[string][]byte {
		t.Helper()
		for _, s := range objs.Secrets {
			if len(s.Name) > len(prefix) && s.Name[:len(prefix)+1] == prefix+"-" {
				return s.Data
			}
		}
		t.Fatalf("no generated Secret %s-<hash>", prefix)
		return nil
	}
	pg := secret("postgres-dev")
	for _, svc := range []string{"identity", "usercenter", "travel"} {
		u, err := url.Parse(string(secret(svc + "-secrets")["LOOKLOOK_DATABASE_URL"]))
		if err != nil {
			t.Fatalf("%s: %v", svc, err)
		}
		pw, _ := u.User.Password()
		want := string(pg[map[string]string{"identity": "IDENTITY_DB_PASSWORD", "usercenter": "USERCENTER_DB_PASSWORD", "travel": "TRAVEL_DB_PASSWORD"}[svc]])
		if u.User.Username() != svc || u.Path != "/"+svc || pw == "" || pw != want {
			t.Errorf("%s: database URL user %q, db %q, password matches postgres-dev: %v; want its own role and database with the generated password", svc, u.User.Username(), u.Path, pw == want && pw != "")
		}
	}
	if len(secret("identity-secrets")["LOOKLOOK_SIGNING_KEY"]) == 0 || len(secret("travel-secrets")["LOOKLOOK_PAGE_TOKEN_KEY"]) == 0 {
		t.Error("the signing key and the page token key must be generated")
	}

	config := map[string]string{}
	for _, cm := range objs.ConfigMaps {
		for k, v := range cm.Data {
			config[cm.Name[:len(cm.Name)-11]+"/"+k] = v // Drop the "-<hash>" suffix.
		}
	}
	if config["travel-config/LOOKLOOK_SEED_DEMO"] != "true" {
		t.Errorf("travel-config LOOKLOOK_SEED_DEMO = %q, want true", config["travel-config/LOOKLOOK_SEED_DEMO"])
	}
	if config["bff-config/LOOKLOOK_CORS_ORIGINS"] != "http://localhost:8080" {
		t.Errorf("bff-config LOOKLOOK_CORS_ORIGINS = %q, want http://localhost:8080", config["bff-config/LOOKLOOK_CORS_ORIGINS"])
	}
	var names []string
	for _, w := range objs.Workloads() {
		names = append(names, w.Kind+"/"+w.Name)
	}
	for _, want := range []string{"StatefulSet/postgres", "Deployment/redis", "Deployment/identity", "Deployment/usercenter", "Deployment/travel", "Deployment/bff"} {
		if !slices.Contains(names, want) {
			t.Errorf("dev overlay lacks %s (has %v)", want, names)
		}
	}
}

func TestTiltfile(t *testing.T) {
	t.Parallel()
	root := repoRoot(t)
	tilt, err := RunTiltfile(root, "Tiltfile", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(tilt.Kustomizations, []string{"deploy/k8s/overlays/dev"}) {
		t.Fatalf("Tiltfile deploys %v, want kustomize('deploy/k8s/overlays/dev') only", tilt.Kustomizations)
	}
	dev := build(t, filepath.Join(k8sCopy(t, root), "overlays", "dev"))
	noViolations(t, Tiltfile(tilt, dev, root, "bff", 8080))

	if len(tilt.Images) != 4 {
		t.Errorf("Tiltfile builds %d images, want 4", len(tilt.Images))
	}
	names := map[string]TiltLocalResource{}
	for _, lr := range tilt.LocalResources {
		names[lr.Name] = lr
	}
	for _, want := range []string{"proto-generate", "test-all", "identity-compile", "usercenter-compile", "travel-compile", "bff-compile"} {
		if _, ok := names[want]; !ok {
			t.Errorf("Tiltfile has no local_resource %q", want)
		}
	}
}

// TestTiltfileGeneratesSecrets runs the Tiltfile on a checkout without dev
// secrets: it must call gen-secrets.sh.
func TestTiltfileGeneratesSecrets(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	src, err := os.ReadFile(filepath.Join(repoRoot(t), "Tiltfile"))
	if err != nil {
		t.Fatal(err)
	}
	tilt, err := RunTiltfileSource(root, "Tiltfile", src, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(tilt.Commands, "deploy/k8s/overlays/dev/gen-secrets.sh") {
		t.Errorf("with no secrets/ the Tiltfile ran %v, want deploy/k8s/overlays/dev/gen-secrets.sh", tilt.Commands)
	}
}
