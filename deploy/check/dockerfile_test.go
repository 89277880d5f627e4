package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/modfile"
)

// TestDockerfileCopiesEveryWorkspaceModule keeps the Dockerfile's `go mod download` layer in
// step with go.work: a module listed in go.work whose go.mod is not copied first makes the
// download step, and so every image build, fail.
func TestDockerfileCopiesEveryWorkspaceModule(t *testing.T) {
	root := repoRoot(t)
	data, err := os.ReadFile(filepath.Join(root, "go.work"))
	if err != nil {
		t.Fatal(err)
	}
	work, err := modfile.ParseWork("go.work", data, nil)
	if err != nil {
		t.Fatal(err)
	}
	dockerfile, err := os.ReadFile(filepath.Join(root, "deploy", "docker", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	for _, use := range work.Use {
		dir := strings.TrimPrefix(use.Path, "./")
		if !strings.Contains(string(dockerfile), "COPY "+dir+"/go.mod ") {
			t.Errorf("deploy/docker/Dockerfile does not copy %s/go.mod before `go mod download`", dir)
		}
	}
}
