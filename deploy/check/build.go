package check

import (
	"fmt"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// Build runs `kustomize build dir` on fSys with kustomize's default options
// (the same as the kustomize v5 binary and kubectl's built-in kustomize) and
// returns one YAML document per object, in kustomize's output order.
func Build(fSys filesys.FileSystem, dir string) ([][]byte, error) {
	m, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(fSys, dir)
	if err != nil {
		return nil, fmt.Errorf("kustomize build %s: %w", dir, err)
	}
	docs := make([][]byte, 0, m.Size())
	for _, r := range m.Resources() {
		y, err := r.AsYAML()
		if err != nil {
			return nil, fmt.Errorf("kustomize build %s: %s: %w", dir, r.CurId(), err)
		}
		docs = append(docs, y)
	}
	return docs, nil
}
