package check

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// TiltLabels are the resource groups of the Tilt UI; every resource is in at
// least one of them.
func TiltLabels() []string { return []string{"services", "data", "api", "tools"} }

// TiltDevImages returns the images the Tiltfile builds: in the overlay it
// deploys they may be untagged (Tilt sets the tag), and those it live-updates
// need a writable root filesystem.
func TiltDevImages(t *Tilt) (built, liveUpdated map[string]bool) {
	built, liveUpdated = map[string]bool{}, map[string]bool{}
	for _, img := range t.Images {
		built[img.Ref] = true
		if len(img.LiveUpdate) > 0 {
			liveUpdated[img.Ref] = true
		}
	}
	return built, liveUpdated
}

// Tiltfile cross-checks what a Tiltfile declared against the objects of the
// overlay it deploys (dev) and the repository at root. publicWorkload must
// have a port forward from publicPort on the host.
func Tiltfile(t *Tilt, dev *Objects, root, publicWorkload string, publicPort int) []error {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	workloads := map[string]Workload{}
	for _, w := range dev.Workloads() {
		workloads[w.Name] = w
	}
	resources := map[string]bool{}
	for _, lr := range t.LocalResources {
		resources[lr.Name] = true
	}
	for name := range workloads {
		resources[name] = true
	}
	configured := map[string]TiltK8sResource{}
	for _, k := range t.K8sResources {
		if k.Workload != "" {
			if _, ok := workloads[k.Workload]; !ok {
				fail("k8s_resource(%q): no Deployment or StatefulSet of that name in the dev overlay", k.Workload)
			}
			if _, dup := configured[k.Workload]; dup {
				fail("k8s_resource(%q) is configured twice", k.Workload)
			}
			configured[k.Workload] = k
		}
		if k.NewName != "" {
			resources[k.NewName] = true
		}
	}

	// Dependencies and groups.
	labelOK := func(what string, labels []string) {
		if len(labels) == 0 {
			fail("%s has no labels; use one of %v", what, TiltLabels())
		}
		for _, l := range labels {
			if !slices.Contains(TiltLabels(), l) {
				fail("%s has label %q; use one of %v", what, l, TiltLabels())
			}
		}
	}
	depsOK := func(what string, deps []string) {
		for _, d := range deps {
			if !resources[d] {
				fail("%s depends on %q, which is no resource", what, d)
			}
		}
	}
	for _, lr := range t.LocalResources {
		what := fmt.Sprintf("local_resource(%q)", lr.Name)
		labelOK(what, lr.Labels)
		depsOK(what, lr.ResourceDeps)
		if strings.HasPrefix(lr.Name, "test") && (!lr.Manual || lr.AutoInit) {
			fail("%s runs tests: make it trigger_mode=TRIGGER_MODE_MANUAL, auto_init=False", what)
		}
	}
	for _, k := range t.K8sResources {
		what := fmt.Sprintf("k8s_resource(%q)", k.Workload+k.NewName)
		labelOK(what, k.Labels)
		depsOK(what, k.ResourceDeps)
	}
	for name := range workloads {
		if _, ok := configured[name]; !ok {
			fail("workload %s has no k8s_resource, so it has no group (label) or ordering", name)
		}
	}

	// Port forwards reach a port the workload's containers expose.
	for _, k := range t.K8sResources {
		w, ok := workloads[k.Workload]
		if !ok {
			continue
		}
		for _, pf := range k.PortForwards {
			target := pf.Container
			if target == 0 {
				target = pf.Local
			}
			if !slices.ContainsFunc(w.Template.Spec.Containers, func(c corev1.Container) bool {
				return slices.ContainsFunc(c.Ports, func(p corev1.ContainerPort) bool { return int(p.ContainerPort) == target })
			}) {
				fail("k8s_resource(%q) forwards to port %d, which no container exposes", k.Workload, target)
			}
		}
	}
	if k, ok := configured[publicWorkload]; !ok || !slices.ContainsFunc(k.PortForwards, func(pf TiltPortForward) bool { return pf.Local == publicPort }) {
		fail("k8s_resource(%q) must forward localhost:%d", publicWorkload, publicPort)
	}

	// Images: each one Tilt builds is deployed, and each looklook image
	// deployed is built; live-updated containers can be written to; a binary
	// built by a local_resource is built before the image that copies it.
	deployed := map[string][]string{} // image -> workloads
	for name, w := range workloads {
		for _, c := range w.Template.Spec.Containers {
			deployed[c.Image] = append(deployed[c.Image], name)
		}
	}
	built := map[string]TiltImage{}
	for _, img := range t.Images {
		if _, dup := built[img.Ref]; dup {
			fail("image %s is built twice", img.Ref)
		}
		built[img.Ref] = img
		users := deployed[img.Ref]
		if len(users) == 0 {
			fail("docker_build(%q): no container in the dev overlay uses this image", img.Ref)
		}
		for _, name := range users {
			for _, c := range workloads[name].Template.Spec.Containers {
				if c.Image == img.Ref && len(img.LiveUpdate) > 0 && c.SecurityContext != nil && isTrue(c.SecurityContext.ReadOnlyRootFilesystem) {
					fail("%s live-updates container %s of %s, whose root filesystem is read-only", img.Ref, c.Name, name)
				}
			}
			for _, o := range img.Only {
				artifact := path.Join(img.Context, o)
				var producers []string
				for _, lr := range t.LocalResources {
					if strings.Contains(lr.Cmd, artifact) {
						producers = append(producers, lr.Name)
					}
				}
				if len(producers) > 0 && !slices.ContainsFunc(configured[name].ResourceDeps, func(d string) bool { return slices.Contains(producers, d) }) {
					fail("k8s_resource(%q) must depend on %v, which builds %s for image %s", name, producers, artifact, img.Ref)
				}
			}
		}
	}
	for image, users := range deployed {
		if _, ok := programOf(image); ok {
			if _, ok := built[image]; !ok {
				fail("%v deploy %s, which the Tiltfile does not build", users, image)
			}
		}
	}

	// Paths: everything named exists, or is produced by a local_resource.
	for _, p := range t.Paths {
		if filepath.IsAbs(p.Path) {
			fail("%s: %s is absolute; keep paths relative to the repository", p.Use, p.Path)
			continue
		}
		if _, err := os.Stat(filepath.Join(root, p.Path)); err == nil {
			continue
		}
		if !slices.ContainsFunc(t.LocalResources, func(lr TiltLocalResource) bool { return strings.Contains(lr.Cmd, p.Path) }) {
			fail("%s: %s does not exist and no local_resource produces it", p.Use, p.Path)
		}
	}
	return errs
}
