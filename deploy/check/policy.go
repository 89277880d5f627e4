package check

import (
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Labels every looklook object carries.
const (
	labelName   = "app.kubernetes.io/name"
	labelPartOf = "app.kubernetes.io/part-of"
	partOf      = "looklook"
)

// programUser is the uid the programs' images run as (distroless nonroot);
// the manifests pin it so runAsNonRoot is checkable without the image.
const programUser = 65532

// drainSeconds is how long a program may take to exit after SIGTERM; the pod's
// grace period must cover it plus any preStop sleep.
const drainSeconds = 10

// Options adapts Manifests to one kustomization.
type Options struct {
	// ExternalSecrets names Secrets that the user creates in the cluster
	// rather than the manifests (base, prod-example); references to them are
	// not resolved.
	ExternalSecrets map[string]bool
	// UntaggedImages are images whose tag is chosen at deploy time (by Tilt,
	// or by an overlay's images: entry); any other image needs a fixed tag
	// other than latest, or a digest.
	UntaggedImages map[string]bool
	// WritableRootImages are images that Tilt live-updates in place, which
	// needs a writable root filesystem. Every other container's root
	// filesystem must be read-only.
	WritableRootImages map[string]bool
}

// Manifests returns every policy violation in objs, each naming its object.
// An empty result means the manifests pass.
func Manifests(objs *Objects, opts Options) []error {
	c := &checker{
		objs:            objs,
		opts:            opts,
		configMaps:      map[string]*corev1.ConfigMap{},
		secrets:         map[string]*corev1.Secret{},
		services:        map[string]*corev1.Service{},
		serviceAccounts: map[string]*corev1.ServiceAccount{},
		allowedEnv:      AllowedEnv(),
	}
	for _, o := range objs.ConfigMaps {
		c.configMaps[o.Name] = o
	}
	for _, o := range objs.Secrets {
		c.secrets[o.Name] = o
	}
	for _, o := range objs.Services {
		c.services[o.Name] = o
	}
	for _, o := range objs.ServiceAccounts {
		c.serviceAccounts[o.Name] = o
	}

	c.labels()
	for _, sa := range objs.ServiceAccounts {
		if sa.AutomountServiceAccountToken == nil || *sa.AutomountServiceAccountToken {
			c.fail("ServiceAccount/"+sa.Name, "automountServiceAccountToken must be false: no program talks to the Kubernetes API")
		}
	}
	for _, cm := range objs.ConfigMaps {
		c.configMap(cm)
	}
	for _, w := range objs.Workloads() {
		c.workload(w)
	}
	for _, s := range objs.Services {
		c.service(s)
	}
	for _, p := range objs.PodDisruptionBudgets {
		if len(c.selected(p.Spec.Selector)) == 0 {
			c.fail("PodDisruptionBudget/"+p.Name, "selector %v matches no workload's pods", p.Spec.Selector)
		}
	}
	slices.SortFunc(c.errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
	return c.errs
}

type checker struct {
	objs            *Objects
	opts            Options
	errs            []error
	configMaps      map[string]*corev1.ConfigMap
	secrets         map[string]*corev1.Secret
	services        map[string]*corev1.Service
	serviceAccounts map[string]*corev1.ServiceAccount
	allowedEnv      map[string]map[string]bool
}

func (c *checker) fail(obj, format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf("%s: %s", obj, fmt.Sprintf(format, args...)))
}

// labels checks that every object is part of looklook, and that everything
// but generated config names itself with app.kubernetes.io/name.
func (c *checker) labels() {
	check := func(kind string, m metav1.ObjectMeta, needName bool) {
		if m.Labels[labelPartOf] != partOf {
			c.fail(kind+"/"+m.Name, "label %s=%s is missing", labelPartOf, partOf)
		}
		if needName && m.Labels[labelName] == "" {
			c.fail(kind+"/"+m.Name, "label %s is missing", labelName)
		}
	}
	for _, o := range c.objs.Deployments {
		check("Deployment", o.ObjectMeta, true)
	}
	for _, o := range c.objs.StatefulSets {
		check("StatefulSet", o.ObjectMeta, true)
	}
	for _, o := range c.objs.Services {
		check("Service", o.ObjectMeta, true)
	}
	for _, o := range c.objs.ServiceAccounts {
		check("ServiceAccount", o.ObjectMeta, true)
	}
	for _, o := range c.objs.PodDisruptionBudgets {
		check("PodDisruptionBudget", o.ObjectMeta, true)
	}
	for _, o := range c.objs.ConfigMaps {
		check("ConfigMap", o.ObjectMeta, false)
	}
	for _, o := range c.objs.Secrets {
		check("Secret", o.ObjectMeta, false)
	}
}

// configMap keeps credentials out of ConfigMaps, which anyone who may read
// the namespace's configuration can read.
func (c *checker) configMap(cm *corev1.ConfigMap) {
	for k, v := range cm.Data {
		if isSensitive(k) {
			c.fail("ConfigMap/"+cm.Name, "key %s looks like a credential; put it in a Secret", k)
		}
		if hasCredentials(v) {
			c.fail("ConfigMap/"+cm.Name, "key %s holds a URL with a password; put it in a Secret", k)
		}
	}
}

func (c *checker) workload(w Workload) {
	obj := w.Kind + "/" + w.Name
	sel, err := metav1.LabelSelectorAsSelector(w.Selector)
	switch {
	case err != nil:
		c.fail(obj, "selector: %v", err)
	case sel.Empty():
		c.fail(obj, "selector is empty")
	case !sel.Matches(labels.Set(w.Template.Labels)):
		c.fail(obj, "selector %v does not match its pod template labels %v", sel, w.Template.Labels)
	}
	if w.Template.Labels[labelPartOf] != partOf || w.Template.Labels[labelName] == "" {
		c.fail(obj, "pod template needs labels %s and %s=%s", labelName, labelPartOf, partOf)
	}

	spec := &w.Template.Spec
	if spec.AutomountServiceAccountToken == nil || *spec.AutomountServiceAccountToken {
		c.fail(obj, "automountServiceAccountToken must be false")
	}
	if spec.ServiceAccountName == "" {
		c.fail(obj, "serviceAccountName is not set; each workload gets its own ServiceAccount")
	} else if c.serviceAccounts[spec.ServiceAccountName] == nil {
		c.fail(obj, "ServiceAccount %s is not in the manifests", spec.ServiceAccountName)
	}
	if spec.EnableServiceLinks == nil || *spec.EnableServiceLinks {
		c.fail(obj, "enableServiceLinks must be false: service links inject variables nothing reads")
	}
	if spec.HostNetwork || spec.HostPID || spec.HostIPC {
		c.fail(obj, "must not share the host's network, PID or IPC namespace")
	}
	if spec.SecurityContext == nil {
		c.fail(obj, "pod securityContext is missing")
		spec.SecurityContext = &corev1.PodSecurityContext{}
	}
	for _, v := range spec.Volumes {
		switch {
		case v.HostPath != nil:
			c.fail(obj, "volume %s: hostPath is not allowed", v.Name)
		case v.ConfigMap != nil:
			if c.configMaps[v.ConfigMap.Name] == nil && !isTrue(v.ConfigMap.Optional) {
				c.fail(obj, "volume %s: ConfigMap %s is not in the manifests", v.Name, v.ConfigMap.Name)
			}
		case v.Secret != nil:
			c.secretExists(obj, v.Secret.SecretName, "", isTrue(v.Secret.Optional))
		}
	}
	if len(spec.Containers) == 0 {
		c.fail(obj, "has no containers")
	}
	volumes := map[string]bool{}
	for _, v := range spec.Volumes {
		volumes[v.Name] = true
	}
	for _, name := range w.Claims {
		volumes[name] = true
	}
	for i := range spec.InitContainers {
		c.container(obj, spec, &spec.InitContainers[i], volumes, false)
	}
	for i := range spec.Containers {
		c.container(obj, spec, &spec.Containers[i], volumes, true)
	}
}

// container checks one container; volumes names what it may mount, and main
// is false for init containers, which need no probes.
func (c *checker) container(workload string, pod *corev1.PodSpec, ctr *corev1.Container, volumes map[string]bool, main bool) {
	obj := workload + " container " + ctr.Name
	program, isProgram := programOf(ctr.Image)

	// Image: a fixed version, unless the deploy tooling sets it.
	if _, tag, digest := splitImage(ctr.Image); !digest && !c.opts.UntaggedImages[ctr.Image] && (tag == "" || tag == "latest") {
		c.fail(obj, "image %s needs a fixed tag (not latest) or a digest", ctr.Image)
	}

	// Security context: effective values, the container's overriding the pod's.
	sc := ctr.SecurityContext
	if sc == nil {
		c.fail(obj, "securityContext is missing")
		sc = &corev1.SecurityContext{}
	}
	psc := pod.SecurityContext
	runAsNonRoot := firstBool(sc.RunAsNonRoot, psc.RunAsNonRoot)
	runAsUser := firstInt(sc.RunAsUser, psc.RunAsUser)
	if !isTrue(runAsNonRoot) {
		c.fail(obj, "runAsNonRoot must be true")
	}
	switch {
	case runAsUser == nil || *runAsUser == 0:
		c.fail(obj, "runAsUser must be set to a non-zero uid")
	case isProgram && *runAsUser != programUser:
		c.fail(obj, "runAsUser is %d; the program images run as %d", *runAsUser, programUser)
	}
	if sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
		c.fail(obj, "allowPrivilegeEscalation must be false")
	}
	if isTrue(sc.Privileged) {
		c.fail(obj, "must not be privileged")
	}
	if !isTrue(sc.ReadOnlyRootFilesystem) && !c.opts.WritableRootImages[ctr.Image] {
		c.fail(obj, "readOnlyRootFilesystem must be true (mount an emptyDir where it must write)")
	}
	if sc.Capabilities == nil || !slices.Contains(sc.Capabilities.Drop, "ALL") {
		c.fail(obj, "capabilities must drop ALL")
	} else if len(sc.Capabilities.Add) > 0 {
		c.fail(obj, "must not add capabilities %v", sc.Capabilities.Add)
	}
	seccomp := sc.SeccompProfile
	if seccomp == nil {
		seccomp = psc.SeccompProfile
	}
	if seccomp == nil || (seccomp.Type != corev1.SeccompProfileTypeRuntimeDefault && seccomp.Type != corev1.SeccompProfileTypeLocalhost) {
		c.fail(obj, "seccompProfile must be RuntimeDefault (pod or container)")
	}

	// Resources: requests and limits for CPU and memory, requests <= limits.
	for _, r := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		req, hasReq := ctr.Resources.Requests[r]
		lim, hasLim := ctr.Resources.Limits[r]
		if !hasReq || req.IsZero() {
			c.fail(obj, "resources.requests.%s is not set", r)
		}
		if !hasLim || lim.IsZero() {
			c.fail(obj, "resources.limits.%s is not set", r)
		}
		if hasReq && hasLim && req.Cmp(lim) > 0 {
			c.fail(obj, "resources.requests.%s %s exceeds the limit %s", r, req.String(), lim.String())
		}
	}

	// Ports: named, unique.
	names := map[string]bool{}
	numbers := map[int32]bool{}
	for _, p := range ctr.Ports {
		if p.Name == "" {
			c.fail(obj, "port %d has no name", p.ContainerPort)
		} else if names[p.Name] {
			c.fail(obj, "port name %s is used twice", p.Name)
		}
		if numbers[p.ContainerPort] {
			c.fail(obj, "port %d is declared twice", p.ContainerPort)
		}
		names[p.Name] = true
		numbers[p.ContainerPort] = true
	}

	// Probes: readiness and liveness on every long-running container; the
	// programs serve grpc.health.v1 on their main port.
	if main {
		if ctr.ReadinessProbe == nil {
			c.fail(obj, "readinessProbe is missing")
		}
		if ctr.LivenessProbe == nil {
			c.fail(obj, "livenessProbe is missing")
		}
	}
	probes := []struct {
		kind  string
		probe *corev1.Probe
	}{{"readinessProbe", ctr.ReadinessProbe}, {"livenessProbe", ctr.LivenessProbe}, {"startupProbe", ctr.StartupProbe}}
	for _, pr := range probes {
		kind, p := pr.kind, pr.probe
		if p == nil {
			continue
		}
		if isProgram && p.GRPC == nil {
			c.fail(obj, "%s must be a grpc probe: the program serves grpc.health.v1", kind)
		}
		c.probePort(obj, kind, ctr, p)
	}

	// Graceful shutdown: the grace period covers the preStop sleep and the
	// program's own drain.
	if isProgram {
		grace := int64(corev1.DefaultTerminationGracePeriodSeconds)
		if pod.TerminationGracePeriodSeconds != nil {
			grace = *pod.TerminationGracePeriodSeconds
		}
		var sleep int64
		if ctr.Lifecycle != nil && ctr.Lifecycle.PreStop != nil && ctr.Lifecycle.PreStop.Sleep != nil {
			sleep = ctr.Lifecycle.PreStop.Sleep.Seconds
		}
		if grace < sleep+drainSeconds {
			c.fail(obj, "terminationGracePeriodSeconds %d is shorter than the preStop sleep (%ds) plus the program's drain (%ds)", grace, sleep, drainSeconds)
		}
	}

	c.env(obj, ctr, program, isProgram)
	for _, m := range ctr.VolumeMounts {
		if !volumes[m.Name] {
			c.fail(obj, "volumeMount %s names no volume of the pod", m.Name)
		}
	}
}

// probePort checks that a probe targets a port the container exposes.
func (c *checker) probePort(obj, kind string, ctr *corev1.Container, p *corev1.Probe) {
	var port intstr.IntOrString
	switch {
	case p.GRPC != nil:
		port = intstr.FromInt32(p.GRPC.Port)
	case p.HTTPGet != nil:
		port = p.HTTPGet.Port
	case p.TCPSocket != nil:
		port = p.TCPSocket.Port
	case p.Exec != nil:
		if len(p.Exec.Command) == 0 {
			c.fail(obj, "%s has an empty exec command", kind)
		}
		return
	default:
		c.fail(obj, "%s has no handler", kind)
		return
	}
	if !exposes(ctr, port) {
		c.fail(obj, "%s targets port %s, which the container does not expose", kind, port.String())
	}
}

// env resolves every variable of a container, wherever it comes from, and
// checks where credentials come from, that references resolve, that internal
// URLs name a Service and port that exist, and that a program gets only
// variables it reads.
func (c *checker) env(obj string, ctr *corev1.Container, program string, isProgram bool) {
	type value struct {
		text  string
		known bool // false when the value lives outside the manifests
	}
	vars := map[string]value{}
	add := func(name string, v value) {
		if _, dup := vars[name]; dup {
			c.fail(obj, "variable %s is set twice", name)
		}
		vars[name] = v
	}

	for _, from := range ctr.EnvFrom {
		switch {
		case from.ConfigMapRef != nil:
			cm := c.configMaps[from.ConfigMapRef.Name]
			if cm == nil {
				if !isTrue(from.ConfigMapRef.Optional) {
					c.fail(obj, "envFrom ConfigMap %s is not in the manifests", from.ConfigMapRef.Name)
				}
				continue
			}
			for k, v := range cm.Data {
				add(from.Prefix+k, value{text: v, known: true})
			}
		case from.SecretRef != nil:
			s := c.secretExists(obj, from.SecretRef.Name, "", isTrue(from.SecretRef.Optional))
			if s == nil {
				continue
			}
			for k, v := range s.Data {
				add(from.Prefix+k, value{text: string(v), known: true})
			}
		}
	}
	for _, e := range ctr.Env {
		switch {
		case e.ValueFrom == nil:
			if isSensitive(e.Name) && e.Value != "" {
				c.fail(obj, "%s is a credential set as a plain value; take it from a Secret", e.Name)
			}
			add(e.Name, value{text: e.Value, known: true})
		case e.ValueFrom.SecretKeyRef != nil:
			ref := e.ValueFrom.SecretKeyRef
			s := c.secretExists(obj, ref.Name, ref.Key, isTrue(ref.Optional))
			if s == nil {
				add(e.Name, value{})
				continue
			}
			add(e.Name, value{text: string(s.Data[ref.Key]), known: true})
		case e.ValueFrom.ConfigMapKeyRef != nil:
			ref := e.ValueFrom.ConfigMapKeyRef
			if isSensitive(e.Name) {
				c.fail(obj, "%s is a credential taken from ConfigMap %s; take it from a Secret", e.Name, ref.Name)
			}
			cm := c.configMaps[ref.Name]
			if cm == nil {
				if !isTrue(ref.Optional) {
					c.fail(obj, "%s: ConfigMap %s is not in the manifests", e.Name, ref.Name)
				}
				add(e.Name, value{})
				continue
			}
			v, ok := cm.Data[ref.Key]
			if !ok && !isTrue(ref.Optional) {
				c.fail(obj, "%s: ConfigMap %s has no key %s", e.Name, ref.Name, ref.Key)
			}
			add(e.Name, value{text: v, known: true})
		default:
			add(e.Name, value{})
		}
	}

	for name, v := range vars {
		if isProgram {
			allowed, ok := c.allowedEnv[program]
			if !ok {
				c.fail(obj, "program %s has no entry in AllowedEnv", program)
			} else if !allowed[name] {
				c.fail(obj, "%s sets %s, which the program does not read", program, name)
			}
		}
		if v.known {
			c.internalURL(obj, name, v.text)
			c.listenAddr(obj, ctr, name, v.text)
		}
	}
}

// listenAddr checks that a program listens where its container says it
// does: a *_ADDR variable of the form [host]:port names an exposed port.
func (c *checker) listenAddr(obj string, ctr *corev1.Container, name, text string) {
	if !strings.HasSuffix(name, "_ADDR") {
		return
	}
	_, port, err := net.SplitHostPort(text)
	if err != nil {
		c.fail(obj, "%s=%q is not a host:port address", name, text)
		return
	}
	n, err := strconv.Atoi(port)
	if err != nil || !exposes(ctr, intstr.FromInt(n)) {
		c.fail(obj, "%s=%q listens on a port the container does not expose", name, text)
	}
}

// internalURL checks that a URL to a cluster-local host (a bare Service
// name) names a Service that exists here, on a port it serves.
func (c *checker) internalURL(obj, name, text string) {
	u, err := url.Parse(text)
	if err != nil || u.Host == "" {
		return
	}
	defaults := map[string]string{"http": "80", "https": "443", "postgres": "5432", "postgresql": "5432", "redis": "6379", "rediss": "6379"}
	def, known := defaults[u.Scheme]
	host := u.Hostname()
	if !known || strings.Contains(host, ".") || host == "localhost" || net.ParseIP(host) != nil {
		return
	}
	svc := c.services[host]
	if svc == nil {
		c.fail(obj, "%s points at host %q, which is not a Service in the manifests", name, host)
		return
	}
	port := u.Port()
	if port == "" {
		port = def
	}
	for _, p := range svc.Spec.Ports {
		if strconv.Itoa(int(p.Port)) == port {
			return
		}
	}
	c.fail(obj, "%s points at %s:%s, but Service %s has no port %s", name, host, port, host, port)
}

// secretExists resolves a Secret reference (and key, when given). It returns
// nil, without complaint, for Secrets the user provides (Options).
func (c *checker) secretExists(obj, name, key string, optional bool) *corev1.Secret {
	if c.opts.ExternalSecrets[name] {
		return nil
	}
	s := c.secrets[name]
	if s == nil {
		if !optional {
			c.fail(obj, "Secret %s is not in the manifests (nor declared as provided by the user)", name)
		}
		return nil
	}
	if key != "" {
		if _, ok := s.Data[key]; !ok && !optional {
			c.fail(obj, "Secret %s has no key %s", name, key)
		}
	}
	return s
}

// service checks that a Service selects pods and that each of its ports
// reaches a port those pods' containers expose.
func (c *checker) service(s *corev1.Service) {
	obj := "Service/" + s.Name
	if len(s.Spec.Selector) == 0 {
		c.fail(obj, "has no selector")
		return
	}
	ws := c.selected(&metav1.LabelSelector{MatchLabels: s.Spec.Selector})
	if len(ws) == 0 {
		c.fail(obj, "selector %v matches no workload's pods", s.Spec.Selector)
		return
	}
	for _, p := range s.Spec.Ports {
		if p.Name == "" {
			c.fail(obj, "port %d has no name", p.Port)
		}
		target := p.TargetPort
		if target.Type == intstr.Int && target.IntVal == 0 {
			target = intstr.FromInt32(p.Port)
		}
		for _, w := range ws {
			if !slices.ContainsFunc(w.Template.Spec.Containers, func(ctr corev1.Container) bool { return exposes(&ctr, target) }) {
				c.fail(obj, "port %s targets %s, which no container of %s/%s exposes", p.Name, target.String(), w.Kind, w.Name)
			}
		}
	}
}

// selected returns the workloads whose pods the selector matches.
func (c *checker) selected(ls *metav1.LabelSelector) []Workload {
	sel, err := metav1.LabelSelectorAsSelector(ls)
	if err != nil || sel.Empty() {
		return nil
	}
	var out []Workload
	for _, w := range c.objs.Workloads() {
		if sel.Matches(labels.Set(w.Template.Labels)) {
			out = append(out, w)
		}
	}
	return out
}

// exposes reports whether the container declares the port, by name or number.
func exposes(ctr *corev1.Container, port intstr.IntOrString) bool {
	return slices.ContainsFunc(ctr.Ports, func(p corev1.ContainerPort) bool {
		if port.Type == intstr.String {
			return p.Name == port.StrVal
		}
		return p.ContainerPort == port.IntVal
	})
}

// isSensitive reports whether a variable or key name denotes a credential:
// passwords, secrets, keys, tokens, and connection URLs (which embed
// passwords).
func isSensitive(name string) bool {
	n := strings.ToUpper(name)
	for _, s := range []string{"PASSWORD", "PASSWD", "SECRET"} {
		if strings.Contains(n, s) {
			return true
		}
	}
	for _, s := range []string{"KEY", "TOKEN", "DATABASE_URL", "REDIS_URL"} {
		if n == s || strings.HasSuffix(n, "_"+s) {
			return true
		}
	}
	return false
}

// hasCredentials reports whether text is a URL with a password in it.
func hasCredentials(text string) bool {
	u, err := url.Parse(strings.TrimSpace(text))
	if err != nil || u.User == nil {
		return false
	}
	_, ok := u.User.Password()
	return ok
}

// splitImage splits an image reference into its repository and tag, or
// reports a digest.
func splitImage(image string) (repo, tag string, digest bool) {
	if i := strings.Index(image, "@"); i >= 0 {
		return image[:i], "", true
	}
	slash := strings.LastIndex(image, "/")
	if colon := strings.LastIndex(image, ":"); colon > slash {
		return image[:colon], image[colon+1:], false
	}
	return image, "", false
}

// programOf returns the looklook program an image runs: the last path element
// of a repository whose parent element is "looklook" (looklook/identity,
// registry.example.com/looklook/identity:1.0).
func programOf(image string) (string, bool) {
	repo, _, _ := splitImage(image)
	parts := strings.Split(repo, "/")
	if n := len(parts); n >= 2 && parts[n-2] == "looklook" {
		return parts[n-1], true
	}
	return "", false
}

func isTrue(b *bool) bool { return b != nil && *b }

func firstBool(bs ...*bool) *bool {
	for _, b := range bs {
		if b != nil {
			return b
		}
	}
	return nil
}

func firstInt(is ...*int64) *int64 {
	for _, i := range is {
		if i != nil {
			return i
		}
	}
	return nil
}
