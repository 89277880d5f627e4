package check

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"go.starlark.net/syntax"
)

// Tilt is what a Tiltfile declared, as recorded by the stub builtins.
type Tilt struct {
	Images         []TiltImage
	LocalResources []TiltLocalResource
	K8sResources   []TiltK8sResource
	// Kustomizations are the directories passed to kustomize(), and YAML the
	// files passed to k8s_yaml directly.
	Kustomizations []string
	YAML           []string
	// Commands are the local() commands the Tiltfile runs while loading; the
	// stub records them and runs nothing.
	Commands []string
	// Paths are the local paths the Tiltfile names, relative to its directory.
	Paths []TiltPath
}

// TiltImage is one docker_build (or docker_build_with_restart) call.
type TiltImage struct {
	Ref        string
	Context    string
	Dockerfile string
	BuildArgs  map[string]string
	Only       []string
	Entrypoint []string
	LiveUpdate []TiltStep
	// Restart is true for the restart_process extension's
	// docker_build_with_restart.
	Restart bool
}

// TiltStep is one live_update step: kind is sync, run, fall_back_on,
// initial_sync or restart_container.
type TiltStep struct {
	Kind string
	Args []string
}

// TiltLocalResource is one local_resource call.
type TiltLocalResource struct {
	Name         string
	Cmd          string
	ServeCmd     string
	Dir          string
	Deps         []string
	Ignore       []string
	ResourceDeps []string
	Labels       []string
	Manual       bool
	AutoInit     bool
}

// TiltK8sResource is one k8s_resource call.
type TiltK8sResource struct {
	Workload     string
	NewName      string
	PortForwards []TiltPortForward
	ResourceDeps []string
	Objects      []string
	Labels       []string
	Manual       bool
}

// TiltPortForward forwards Local on the host to Container in the pod
// (Container 0: the same number as Local).
type TiltPortForward struct {
	Local     int
	Container int
}

// TiltPath is a path the Tiltfile names, and the call that named it.
type TiltPath struct {
	Path string
	Use  string
}

// TiltfileOptions is Tilt's Starlark dialect.
func TiltfileOptions() *syntax.FileOptions {
	return &syntax.FileOptions{Set: true, While: true, TopLevelControl: true, GlobalReassign: true, Recursion: true}
}

// RunTiltfile executes the Tiltfile at root/name against stub builtins and
// returns what it declared. env stands in for the process environment
// (os.getenv). Unknown names, wrong argument names or types, and a failing
// fail() are errors, as they would be in `tilt up`.
func RunTiltfile(root, name string, env map[string]string) (*Tilt, error) {
	src, err := os.ReadFile(filepath.Join(root, name))
	if err != nil {
		return nil, err
	}
	return RunTiltfileSource(root, name, src, env)
}

// RunTiltfileSource is RunTiltfile for a Tiltfile given as source; root is
// still where its relative paths point.
func RunTiltfileSource(root, name string, src []byte, env map[string]string) (*Tilt, error) {
	r := &tiltRun{root: root, env: env, tilt: &Tilt{}}
	thread := &starlark.Thread{
		Name:  name,
		Print: func(*starlark.Thread, string) {},
		Load:  r.load,
	}
	predeclared, err := r.predeclared()
	if err != nil {
		return nil, err
	}
	if _, err := starlark.ExecFileOptions(TiltfileOptions(), thread, name, src, predeclared); err != nil {
		var evalErr *starlark.EvalError
		if errors.As(err, &evalErr) {
			return nil, fmt.Errorf("%s", evalErr.Backtrace())
		}
		return nil, err
	}
	return r.tilt, nil
}

type tiltRun struct {
	root string
	env  map[string]string
	tilt *Tilt
}

// Stub values of Tilt's own types.
type (
	tiltBlob struct{ text string }
	tiltStep struct{ step TiltStep }
	// tiltConst is an opaque constant (TRIGGER_MODE_*), a link or a port
	// forward: typ is its Starlark type name.
	tiltConst struct {
		typ  string
		text string
		pf   *TiltPortForward
	}
)

func (b *tiltBlob) String() string        { return b.text }
func (b *tiltBlob) Type() string          { return "blob" }
func (b *tiltBlob) Freeze()               {}
func (b *tiltBlob) Truth() starlark.Bool  { return b.text != "" }
func (b *tiltBlob) Hash() (uint32, error) { return starlark.String(b.text).Hash() }

func (s *tiltStep) String() string { return s.step.Kind + "(" + strings.Join(s.step.Args, ", ") + ")" }

// Type uses Tilt's type names, which the restart_process extension compares
// against (live_update_restart_container_step).
func (s *tiltStep) Type() string          { return "live_update_" + s.step.Kind + "_step" }
func (s *tiltStep) Freeze()               {}
func (s *tiltStep) Truth() starlark.Bool  { return true }
func (s *tiltStep) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable: %s", s.Type()) }

func (c *tiltConst) String() string        { return c.text }
func (c *tiltConst) Type() string          { return c.typ }
func (c *tiltConst) Freeze()               {}
func (c *tiltConst) Truth() starlark.Bool  { return true }
func (c *tiltConst) Hash() (uint32, error) { return starlark.String(c.typ + c.text).Hash() }

var (
	_ starlark.Value = (*tiltBlob)(nil)
	_ starlark.Value = (*tiltStep)(nil)
	_ starlark.Value = (*tiltConst)(nil)
)

// builtin makes a stub whose parameters are checked like Tilt's: params use
// starlark.UnpackArgs syntax ("name" required, "name?" optional), so an
// unknown keyword or a missing argument fails. fn gets the arguments given.
func builtin(name string, params []string, fn func(args map[string]starlark.Value) (starlark.Value, error)) *starlark.Builtin {
	return starlark.NewBuiltin(name, func(_ *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		vals := make([]starlark.Value, len(params))
		pairs := make([]any, 0, 2*len(params))
		for i, p := range params {
			pairs = append(pairs, p, &vals[i])
		}
		if err := starlark.UnpackArgs(name, args, kwargs, pairs...); err != nil {
			return nil, err
		}
		given := map[string]starlark.Value{}
		for i, p := range params {
			if vals[i] != nil && vals[i] != starlark.None {
				given[strings.TrimSuffix(p, "?")] = vals[i]
			}
		}
		v, err := fn(given)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if v == nil {
			v = starlark.None
		}
		return v, nil
	})
}

// dockerBuildParams returns docker_build's optional parameters, which follow
// ref and context (Tilt's api.py).
func dockerBuildParams() []string {
	return []string{
		"build_args?", "dockerfile?", "dockerfile_contents?", "live_update?", "match_in_env_vars?",
		"ignore?", "only?", "entrypoint?", "target?", "ssh?", "network?", "secret?", "extra_tag?",
		"container_args?", "cache_from?", "pull?", "platform?", "extra_hosts?",
	}
}

func (r *tiltRun) predeclared() (starlark.StringDict, error) {
	none := func(map[string]starlark.Value) (starlark.Value, error) { return starlark.None, nil }
	step := func(kind string, params ...string) *starlark.Builtin {
		return builtin(kind, params, func(a map[string]starlark.Value) (starlark.Value, error) {
			s := TiltStep{Kind: kind}
			for _, p := range params {
				v, err := strs(a[strings.TrimSuffix(p, "?")])
				if err != nil {
					return nil, err
				}
				s.Args = append(s.Args, v...)
			}
			if kind == "sync" {
				r.path(s.Args[0], "sync")
				if !path.IsAbs(s.Args[1]) {
					return nil, fmt.Errorf("remote path %q must be absolute", s.Args[1])
				}
			}
			if kind == "fall_back_on" {
				for _, f := range s.Args {
					r.path(f, "fall_back_on")
				}
			}
			return &tiltStep{step: s}, nil
		})
	}

	osModule, err := r.osModule()
	if err != nil {
		return nil, err
	}
	return starlark.StringDict{
		"TRIGGER_MODE_AUTO":   &tiltConst{typ: "TriggerMode", text: "TRIGGER_MODE_AUTO"},
		"TRIGGER_MODE_MANUAL": &tiltConst{typ: "TriggerMode", text: "TRIGGER_MODE_MANUAL"},
		"__file__":            starlark.String(filepath.Join(r.root, "Tiltfile")),

		"docker_build": builtin("docker_build", append([]string{"ref", "context"}, dockerBuildParams()...), func(a map[string]starlark.Value) (starlark.Value, error) {
			return nil, r.dockerBuild(a, false)
		}),
		"local_resource": builtin("local_resource", []string{
			"name", "cmd?", "deps?", "trigger_mode?", "resource_deps?", "ignore?", "auto_init?", "serve_cmd?",
			"cmd_bat?", "serve_cmd_bat?", "allow_parallel?", "links?", "labels?", "env?", "serve_env?",
			"readiness_probe?", "dir?", "serve_dir?",
		}, r.localResource),
		"k8s_yaml": builtin("k8s_yaml", []string{"yaml", "allow_duplicates?"}, func(a map[string]starlark.Value) (starlark.Value, error) {
			if b, ok := a["yaml"].(*tiltBlob); ok {
				if !strings.HasPrefix(b.text, "kustomize:") {
					return nil, fmt.Errorf("only kustomize() output or YAML files are understood by the checks")
				}
				r.tilt.Kustomizations = append(r.tilt.Kustomizations, strings.TrimPrefix(b.text, "kustomize:"))
				return nil, nil
			}
			files, err := strs(a["yaml"])
			if err != nil {
				return nil, err
			}
			for _, f := range files {
				r.path(f, "k8s_yaml")
			}
			r.tilt.YAML = append(r.tilt.YAML, files...)
			return nil, nil
		}),
		"kustomize": builtin("kustomize", []string{"pathToDir", "kustomize_bin?", "flags?"}, func(a map[string]starlark.Value) (starlark.Value, error) {
			dir, err := str(a["pathToDir"])
			if err != nil {
				return nil, err
			}
			r.path(dir, "kustomize")
			return &tiltBlob{text: "kustomize:" + path.Clean(dir)}, nil
		}),
		"k8s_resource": builtin("k8s_resource", []string{
			"workload?", "new_name?", "port_forwards?", "extra_pod_selectors?", "trigger_mode?",
			"resource_deps?", "objects?", "auto_init?", "pod_readiness?", "links?", "labels?", "discovery_strategy?",
		}, r.k8sResource),
		"local": builtin("local", []string{"command", "quiet?", "command_bat?", "echo_off?", "env?", "dir?", "stdin?"}, func(a map[string]starlark.Value) (starlark.Value, error) {
			cmd, err := cmdString(a["command"])
			if err != nil {
				return nil, err
			}
			if first := strings.Fields(cmd); len(first) > 0 && strings.Contains(first[0], "/") {
				r.path(first[0], "local")
			}
			r.tilt.Commands = append(r.tilt.Commands, cmd)
			return &tiltBlob{}, nil
		}),
		"read_file": builtin("read_file", []string{"file_path", "default?"}, func(a map[string]starlark.Value) (starlark.Value, error) {
			p, err := str(a["file_path"])
			if err != nil {
				return nil, err
			}
			data, err := os.ReadFile(filepath.Join(r.root, p))
			if err != nil {
				if d, ok := a["default"]; ok {
					s, err := str(d)
					return &tiltBlob{text: s}, err
				}
				return nil, err
			}
			return &tiltBlob{text: string(data)}, nil
		}),
		"watch_file": builtin("watch_file", []string{"file_path"}, func(a map[string]starlark.Value) (starlark.Value, error) {
			p, err := str(a["file_path"])
			r.path(p, "watch_file")
			return nil, err
		}),
		"blob": builtin("blob", []string{"contents"}, func(a map[string]starlark.Value) (starlark.Value, error) {
			s, err := str(a["contents"])
			return &tiltBlob{text: s}, err
		}),
		"sync":              step("sync", "local_path", "remote_path"),
		"run":               step("run", "cmd", "trigger?", "echo_off?"),
		"fall_back_on":      step("fall_back_on", "files"),
		"initial_sync":      step("initial_sync"),
		"restart_container": step("restart_container"),
		"link": builtin("link", []string{"url", "name?"}, func(a map[string]starlark.Value) (starlark.Value, error) {
			u, err := str(a["url"])
			return &tiltConst{typ: "Link", text: u}, err
		}),
		"port_forward": builtin("port_forward", []string{"local_port", "container_port?", "name?", "link_path?", "host?"}, func(a map[string]starlark.Value) (starlark.Value, error) {
			var pf TiltPortForward
			if err := starlark.AsInt(a["local_port"], &pf.Local); err != nil {
				return nil, fmt.Errorf("local_port: %w", err)
			}
			if v, ok := a["container_port"]; ok {
				if err := starlark.AsInt(v, &pf.Container); err != nil {
					return nil, fmt.Errorf("container_port: %w", err)
				}
			}
			return &tiltConst{typ: "PortForward", text: fmt.Sprint(pf.Local), pf: &pf}, nil
		}),
		"allow_k8s_contexts": builtin("allow_k8s_contexts", []string{"contexts"}, none),
		"k8s_context": builtin("k8s_context", nil, func(map[string]starlark.Value) (starlark.Value, error) {
			return starlark.String("kind-looklook"), nil
		}),
		"k8s_namespace": builtin("k8s_namespace", nil, func(map[string]starlark.Value) (starlark.Value, error) {
			return starlark.String("default"), nil
		}),
		"trigger_mode":          builtin("trigger_mode", []string{"trigger_mode"}, none),
		"update_settings":       builtin("update_settings", []string{"max_parallel_updates?", "k8s_upsert_timeout_secs?", "suppress_unused_image_warnings?"}, none),
		"docker_prune_settings": builtin("docker_prune_settings", []string{"disable?", "max_age_mins?", "num_builds?", "interval_hrs?", "keep_recent?"}, none),
		"os":                    osModule,
		"config":                r.configModule(),
	}, nil
}

// load serves the ext:// extensions the Tiltfile uses, as stubs.
func (r *tiltRun) load(_ *starlark.Thread, module string) (starlark.StringDict, error) {
	switch module {
	case "ext://restart_process":
		params := append([]string{"ref", "context", "entrypoint", "live_update", "base_suffix?", "restart_file?"}, dockerBuildParams()...)
		return starlark.StringDict{
			"docker_build_with_restart": builtin("docker_build_with_restart", params, func(a map[string]starlark.Value) (starlark.Value, error) {
				return nil, r.dockerBuild(a, true)
			}),
		}, nil
	}
	return nil, fmt.Errorf("load %q: the checks have no stub for this module (add one in deploy/check/tiltfile.go)", module)
}

func (r *tiltRun) dockerBuild(a map[string]starlark.Value, restart bool) error {
	var img TiltImage
	var err error
	img.Restart = restart
	if img.Ref, err = str(a["ref"]); err != nil {
		return fmt.Errorf("ref: %w", err)
	}
	if img.Context, err = str(a["context"]); err != nil {
		return fmt.Errorf("context: %w", err)
	}
	r.path(img.Context, "docker_build context")
	_, hasContents := a["dockerfile_contents"]
	if df, ok := a["dockerfile"]; ok {
		if hasContents {
			return errors.New("dockerfile and dockerfile_contents are exclusive")
		}
		if img.Dockerfile, err = str(df); err != nil {
			return fmt.Errorf("dockerfile: %w", err)
		}
	} else if !hasContents {
		img.Dockerfile = "Dockerfile"
	}
	if img.Dockerfile != "" {
		r.path(img.Dockerfile, "docker_build dockerfile")
	}
	if img.BuildArgs, err = strMap(a["build_args"]); err != nil {
		return fmt.Errorf("build_args: %w", err)
	}
	if img.Only, err = strs(a["only"]); err != nil {
		return fmt.Errorf("only: %w", err)
	}
	for _, o := range img.Only {
		r.path(path.Join(img.Context, o), "docker_build only")
	}
	if img.Entrypoint, err = strs(a["entrypoint"]); err != nil {
		return fmt.Errorf("entrypoint: %w", err)
	}
	if restart && len(img.Entrypoint) == 0 {
		return errors.New("entrypoint is required")
	}
	if lu, ok := a["live_update"]; ok {
		list, ok := lu.(*starlark.List)
		if !ok {
			return fmt.Errorf("live_update must be a list, not %s", lu.Type())
		}
		for i := range list.Len() {
			s, ok := list.Index(i).(*tiltStep)
			if !ok {
				return fmt.Errorf("live_update[%d] is a %s, not a live update step", i, list.Index(i).Type())
			}
			img.LiveUpdate = append(img.LiveUpdate, s.step)
		}
	}
	if err := checkSteps(img, restart); err != nil {
		return err
	}
	r.tilt.Images = append(r.tilt.Images, img)
	return nil
}

// checkSteps applies Tilt's ordering rules for live_update steps.
func checkSteps(img TiltImage, restart bool) error {
	if restart && len(img.LiveUpdate) == 0 {
		return errors.New("docker_build_with_restart needs at least one live_update step")
	}
	seen := map[string]bool{}
	for i, s := range img.LiveUpdate {
		switch s.Kind {
		case "initial_sync":
			if i != 0 {
				return errors.New("live_update: initial_sync must be the first step")
			}
		case "fall_back_on":
			if seen["sync"] || seen["run"] || seen["restart_container"] {
				return errors.New("live_update: fall_back_on steps must come first")
			}
		case "sync":
			if seen["run"] || seen["restart_container"] {
				return errors.New("live_update: sync steps must come before run steps")
			}
			if !isUnder(s.Args[0], img.Context) {
				return fmt.Errorf("live_update: sync %s is outside the build context %s", s.Args[0], img.Context)
			}
		case "restart_container":
			if restart {
				return errors.New("live_update: restart_container() cannot be combined with docker_build_with_restart")
			}
			if i != len(img.LiveUpdate)-1 {
				return errors.New("live_update: restart_container must be the last step")
			}
		}
		seen[s.Kind] = true
	}
	return nil
}

func (r *tiltRun) localResource(a map[string]starlark.Value) (starlark.Value, error) {
	var lr TiltLocalResource
	var err error
	lr.AutoInit = true
	if lr.Name, err = str(a["name"]); err != nil {
		return nil, fmt.Errorf("name: %w", err)
	}
	if lr.Cmd, err = cmdString(a["cmd"]); err != nil {
		return nil, fmt.Errorf("%s: cmd: %w", lr.Name, err)
	}
	if lr.ServeCmd, err = cmdString(a["serve_cmd"]); err != nil {
		return nil, fmt.Errorf("%s: serve_cmd: %w", lr.Name, err)
	}
	if lr.Cmd == "" && lr.ServeCmd == "" {
		return nil, fmt.Errorf("%s: needs a cmd and/or a serve_cmd", lr.Name)
	}
	if lr.Dir, err = str(a["dir"]); err != nil {
		return nil, fmt.Errorf("%s: dir: %w", lr.Name, err)
	}
	if lr.Dir != "" {
		r.path(lr.Dir, "local_resource dir")
	}
	if lr.Deps, err = strs(a["deps"]); err != nil {
		return nil, fmt.Errorf("%s: deps: %w", lr.Name, err)
	}
	for _, d := range lr.Deps {
		r.path(d, "local_resource deps")
	}
	if lr.Ignore, err = strs(a["ignore"]); err != nil {
		return nil, fmt.Errorf("%s: ignore: %w", lr.Name, err)
	}
	if lr.ResourceDeps, err = strs(a["resource_deps"]); err != nil {
		return nil, fmt.Errorf("%s: resource_deps: %w", lr.Name, err)
	}
	if lr.Labels, err = strs(a["labels"]); err != nil {
		return nil, fmt.Errorf("%s: labels: %w", lr.Name, err)
	}
	if lr.Manual, err = manual(a["trigger_mode"]); err != nil {
		return nil, fmt.Errorf("%s: %w", lr.Name, err)
	}
	if v, ok := a["auto_init"]; ok {
		b, ok := v.(starlark.Bool)
		if !ok {
			return nil, fmt.Errorf("%s: auto_init must be a bool", lr.Name)
		}
		lr.AutoInit = bool(b)
	}
	for _, other := range r.tilt.LocalResources {
		if other.Name == lr.Name {
			return nil, fmt.Errorf("local resource %s has been defined multiple times", lr.Name)
		}
	}
	r.tilt.LocalResources = append(r.tilt.LocalResources, lr)
	return nil, nil
}

func (r *tiltRun) k8sResource(a map[string]starlark.Value) (starlark.Value, error) {
	var k TiltK8sResource
	var err error
	if k.Workload, err = str(a["workload"]); err != nil {
		return nil, fmt.Errorf("workload: %w", err)
	}
	if k.NewName, err = str(a["new_name"]); err != nil {
		return nil, fmt.Errorf("new_name: %w", err)
	}
	if k.Objects, err = strs(a["objects"]); err != nil {
		return nil, fmt.Errorf("objects: %w", err)
	}
	if k.Workload == "" && (k.NewName == "" || len(k.Objects) == 0) {
		return nil, errors.New("give a workload, or new_name and objects")
	}
	if k.ResourceDeps, err = strs(a["resource_deps"]); err != nil {
		return nil, fmt.Errorf("resource_deps: %w", err)
	}
	if k.Labels, err = strs(a["labels"]); err != nil {
		return nil, fmt.Errorf("labels: %w", err)
	}
	if k.Manual, err = manual(a["trigger_mode"]); err != nil {
		return nil, err
	}
	if k.PortForwards, err = portForwards(a["port_forwards"]); err != nil {
		return nil, fmt.Errorf("port_forwards: %w", err)
	}
	r.tilt.K8sResources = append(r.tilt.K8sResources, k)
	return nil, nil
}

// path records a path the Tiltfile names, relative to its directory.
func (r *tiltRun) path(p, use string) {
	if p == "" {
		return
	}
	r.tilt.Paths = append(r.tilt.Paths, TiltPath{Path: path.Clean(p), Use: use})
}

// osModule is the part of Tilt's os module a Tiltfile is likely to use.
func (r *tiltRun) osModule() (*starlarkstruct.Module, error) {
	abs := func(p string) string {
		if filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(r.root, p)
	}
	pathFn := func(name string, fn func(string) starlark.Value) *starlark.Builtin {
		return builtin(name, []string{"path"}, func(a map[string]starlark.Value) (starlark.Value, error) {
			p, err := str(a["path"])
			if err != nil {
				return nil, err
			}
			return fn(p), nil
		})
	}
	environ := starlark.NewDict(len(r.env))
	for k, v := range r.env {
		if err := environ.SetKey(starlark.String(k), starlark.String(v)); err != nil {
			return nil, err
		}
	}
	return &starlarkstruct.Module{Name: "os", Members: starlark.StringDict{
		"getenv": builtin("getenv", []string{"key", "default?"}, func(a map[string]starlark.Value) (starlark.Value, error) {
			k, err := str(a["key"])
			if err != nil {
				return nil, err
			}
			if v, ok := r.env[k]; ok {
				return starlark.String(v), nil
			}
			if d, ok := a["default"]; ok {
				return d, nil
			}
			return starlark.None, nil
		}),
		"environ": environ,
		"getcwd": builtin("getcwd", nil, func(map[string]starlark.Value) (starlark.Value, error) {
			return starlark.String(r.root), nil
		}),
		"name": starlark.String("posix"),
		"path": &starlarkstruct.Module{Name: "path", Members: starlark.StringDict{
			"exists": pathFn("exists", func(p string) starlark.Value {
				_, err := os.Stat(abs(p))
				return starlark.Bool(err == nil)
			}),
			"abspath":  pathFn("abspath", func(p string) starlark.Value { return starlark.String(abs(p)) }),
			"realpath": pathFn("realpath", func(p string) starlark.Value { return starlark.String(abs(p)) }),
			"basename": pathFn("basename", func(p string) starlark.Value { return starlark.String(filepath.Base(p)) }),
			"dirname":  pathFn("dirname", func(p string) starlark.Value { return starlark.String(filepath.Dir(p)) }),
			"join": starlark.NewBuiltin("join", func(_ *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
				if len(kwargs) > 0 {
					return nil, errors.New("join: unexpected keyword arguments")
				}
				parts := make([]string, len(args))
				for i, a := range args {
					s, ok := starlark.AsString(a)
					if !ok {
						return nil, fmt.Errorf("join: argument %d is a %s, not a string", i+1, a.Type())
					}
					parts[i] = s
				}
				return starlark.String(filepath.Join(parts...)), nil
			}),
		}},
	}}, nil
}

// configModule stubs Tilt's config module: flags keep their defaults.
func (r *tiltRun) configModule() *starlarkstruct.Module {
	flags := starlark.NewDict(0)
	define := func(name string) *starlark.Builtin {
		return builtin(name, []string{"name", "args?", "usage?"}, func(map[string]starlark.Value) (starlark.Value, error) {
			return starlark.None, nil
		})
	}
	return &starlarkstruct.Module{Name: "config", Members: starlark.StringDict{
		"define_string":      define("define_string"),
		"define_string_list": define("define_string_list"),
		"define_bool":        define("define_bool"),
		"parse": builtin("parse", nil, func(map[string]starlark.Value) (starlark.Value, error) {
			return flags, nil
		}),
		"set_enabled_resources": builtin("set_enabled_resources", []string{"resources"}, func(map[string]starlark.Value) (starlark.Value, error) {
			return starlark.None, nil
		}),
		"tilt_subcommand": starlark.String("up"),
		"main_dir":        starlark.String(r.root),
		"main_path":       starlark.String(filepath.Join(r.root, "Tiltfile")),
	}}
}

// str converts a string or blob argument; absent is "".
func str(v starlark.Value) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case starlark.String:
		return string(v), nil
	case *tiltBlob:
		return v.text, nil
	}
	return "", fmt.Errorf("want a string, got a %s", v.Type())
}

// strs converts a string or a list of strings; absent is nil.
func strs(v starlark.Value) ([]string, error) {
	if v == nil {
		return nil, nil
	}
	if s, err := str(v); err == nil {
		return []string{s}, nil
	}
	seq, ok := v.(starlark.Indexable)
	if !ok {
		return nil, fmt.Errorf("want a string or a list of strings, got a %s", v.Type())
	}
	out := make([]string, seq.Len())
	for i := range seq.Len() {
		s, err := str(seq.Index(i))
		if err != nil {
			return nil, fmt.Errorf("item %d: %w", i, err)
		}
		out[i] = s
	}
	return out, nil
}

// cmdString converts a command, a string (run with sh -c) or an argv list.
func cmdString(v starlark.Value) (string, error) {
	if s, err := str(v); err == nil {
		return s, nil
	}
	argv, err := strs(v)
	return strings.Join(argv, " "), err
}

func strMap(v starlark.Value) (map[string]string, error) {
	if v == nil {
		return nil, nil
	}
	d, ok := v.(*starlark.Dict)
	if !ok {
		return nil, fmt.Errorf("want a dict, got a %s", v.Type())
	}
	out := map[string]string{}
	for _, item := range d.Items() {
		k, err := str(item[0])
		if err != nil {
			return nil, err
		}
		val, err := str(item[1])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		out[k] = val
	}
	return out, nil
}

func manual(v starlark.Value) (bool, error) {
	if v == nil {
		return false, nil
	}
	c, ok := v.(*tiltConst)
	if !ok || c.typ != "TriggerMode" {
		return false, fmt.Errorf("trigger_mode must be TRIGGER_MODE_AUTO or TRIGGER_MODE_MANUAL, got %s", v.String())
	}
	return c.text == "TRIGGER_MODE_MANUAL", nil
}

// portForwards parses Tilt's forms: 9000, '9000', '9000:8000',
// 'host:9000:8000', port_forward(...), or a list of them.
func portForwards(v starlark.Value) ([]TiltPortForward, error) {
	if v == nil {
		return nil, nil
	}
	one := func(v starlark.Value) (TiltPortForward, error) {
		var pf TiltPortForward
		switch v := v.(type) {
		case starlark.Int:
			err := starlark.AsInt(v, &pf.Local)
			return pf, err
		case *tiltConst:
			if v.pf != nil {
				return *v.pf, nil
			}
		case starlark.String:
			parts := strings.Split(string(v), ":")
			if len(parts) == 3 {
				parts = parts[1:]
			}
			if _, err := fmt.Sscan(parts[0], &pf.Local); err != nil || len(parts) > 2 {
				return pf, fmt.Errorf("bad port forward %q", string(v))
			}
			if len(parts) == 2 {
				if _, err := fmt.Sscan(parts[1], &pf.Container); err != nil {
					return pf, fmt.Errorf("bad port forward %q", string(v))
				}
			}
			return pf, nil
		}
		return pf, fmt.Errorf("want a port, a 'local:container' string or port_forward(), got a %s", v.Type())
	}
	if list, ok := v.(*starlark.List); ok {
		var out []TiltPortForward
		for i := range list.Len() {
			pf, err := one(list.Index(i))
			if err != nil {
				return nil, err
			}
			out = append(out, pf)
		}
		return out, nil
	}
	pf, err := one(v)
	return []TiltPortForward{pf}, err
}

// isUnder reports whether p is dir or inside it (both relative to the
// Tiltfile, cleaned).
func isUnder(p, dir string) bool {
	p, dir = path.Clean(p), path.Clean(dir)
	return dir == "." || p == dir || strings.HasPrefix(p, dir+"/")
}
