package check

import (
	"strings"
	"testing"
)

func TestManifestsAcceptsTheFixture(t *testing.T) {
	t.Parallel()
	noViolations(t, Manifests(fixture(t, "", ""), Options{}))
}

func TestManifestsRejectsViolations(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, old, new, want string
	}{
		{"root user", "        runAsUser: 65532", "        runAsUser: 0", "runAsUser must be set to a non-zero uid"},
		{"another uid than the image's", "        runAsUser: 65532", "        runAsUser: 1000", "the program images run as 65532"},
		{"runAsNonRoot off", "        runAsNonRoot: true", "        runAsNonRoot: false", "runAsNonRoot must be true"},
		{"writable root filesystem", "readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false", "readOnlyRootFilesystem must be true"},
		{"privilege escalation", "allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true", "allowPrivilegeEscalation must be false"},
		{"capabilities kept", "drop: [ALL]", "drop: [NET_RAW]", "capabilities must drop ALL"},
		{"capabilities added", "drop: [ALL]", "drop: [ALL], add: [NET_ADMIN]", "must not add capabilities"},
		{"no seccomp profile", "        seccompProfile: {type: RuntimeDefault}\n", "", "seccompProfile must be RuntimeDefault"},
		{"service account token mounted", "      automountServiceAccountToken: false", "      automountServiceAccountToken: true", "automountServiceAccountToken must be false"},
		{"service account token mounted by the account", "automountServiceAccountToken: false\n---", "automountServiceAccountToken: true\n---", "ServiceAccount/identity: automountServiceAccountToken"},
		{"no readiness probe", "          readinessProbe:\n            grpc: {port: 8081}\n", "", "readinessProbe is missing"},
		{"an http probe on a gRPC program", "          livenessProbe:\n            grpc: {port: 8081}", "          livenessProbe:\n            httpGet: {port: grpc, path: /}", "livenessProbe must be a grpc probe"},
		{"a probe on a port not exposed", "          readinessProbe:\n            grpc: {port: 8081}", "          readinessProbe:\n            grpc: {port: 8082}", "readinessProbe targets port 8082"},
		{"no limits", "            limits: {cpu: \"1\", memory: 256Mi}\n", "", "resources.limits.cpu is not set"},
		{"requests above limits", "requests: {cpu: 50m, memory: 64Mi}", "requests: {cpu: 50m, memory: 1Gi}", "exceeds the limit"},
		{"an unnamed port", "- {name: metrics, containerPort: 9090}", "- {containerPort: 9090}", "port 9090 has no name"},
		{"a variable the program does not read", "  LOOKLOOK_METRICS_ADDR: \":9090\"", "  LOOKLOOK_METRICS_ADDR: \":9090\"\n  LOOKLOOK_DEBUG: \"1\"", "identity sets LOOKLOOK_DEBUG, which the program does not read"},
		{"a credential in a ConfigMap", "  LOOKLOOK_METRICS_ADDR: \":9090\"", "  LOOKLOOK_METRICS_ADDR: \":9090\"\n  LOOKLOOK_SIGNING_KEY: c2VjcmV0", "key LOOKLOOK_SIGNING_KEY looks like a credential"},
		{"a password in a ConfigMap URL", "  LOOKLOOK_METRICS_ADDR: \":9090\"", "  LOOKLOOK_METRICS_ADDR: \":9090\"\n  LOOKLOOK_ACCESS_TOKEN_TTL: postgres://u:hunter2@db/x", "holds a URL with a password"},
		{"a credential as a plain env value", "          env:\n", "          env:\n            - {name: LOOKLOOK_SIGNING_KEY, value: c2VjcmV0}\n", "LOOKLOOK_SIGNING_KEY is a credential set as a plain value"},
		{"a credential from a ConfigMap key", "          env:\n", "          env:\n            - name: LOOKLOOK_SIGNING_KEY\n              valueFrom:\n                configMapKeyRef: {name: identity-config, key: LOOKLOOK_LISTEN_ADDR}\n", "taken from ConfigMap identity-config"},
		{"a variable set twice", "          env:\n", "          env:\n            - {name: LOOKLOOK_LISTEN_ADDR, value: \":8081\"}\n", "variable LOOKLOOK_LISTEN_ADDR is set twice"},
		{"a missing Secret", "secretKeyRef: {name: identity-secrets,", "secretKeyRef: {name: identity-secret,", "Secret identity-secret is not in the manifests"},
		{"a missing Secret key", "key: LOOKLOOK_DATABASE_URL}", "key: DATABASE_URL}", "Secret identity-secrets has no key DATABASE_URL"},
		{"a missing ConfigMap", "configMapRef: {name: identity-config}", "configMapRef: {name: identity-cfg}", "envFrom ConfigMap identity-cfg is not in the manifests"},
		{"a listen address on another port", "  LOOKLOOK_LISTEN_ADDR: \":8081\"", "  LOOKLOOK_LISTEN_ADDR: \":8080\"", "LOOKLOOK_LISTEN_ADDR=\":8080\" listens on a port the container does not expose"},
		{"a URL to a Service that does not exist", "  LOOKLOOK_METRICS_ADDR: \":9090\"", "  LOOKLOOK_METRICS_ADDR: \":9090\"\n  OTEL_EXPORTER_OTLP_ENDPOINT: http://collector:4317", "points at host \"collector\", which is not a Service"},
		{"a URL to a port the Service lacks", "  LOOKLOOK_METRICS_ADDR: \":9090\"", "  LOOKLOOK_METRICS_ADDR: \":9090\"\n  OTEL_EXPORTER_OTLP_ENDPOINT: http://identity:4317", "Service identity has no port 4317"},
		{"a Service selecting nothing", "  selector: {app.kubernetes.io/name: identity}\n  ports", "  selector: {app.kubernetes.io/name: identiy}\n  ports", "matches no workload's pods"},
		{"a Service port to nowhere", "{name: grpc, port: 8081, targetPort: grpc}", "{name: grpc, port: 8081, targetPort: http}", "port grpc targets http, which no container of Deployment/identity exposes"},
		{"a selector that misses its pods", "    matchLabels: {app.kubernetes.io/name: identity}", "    matchLabels: {app.kubernetes.io/name: id}", "does not match its pod template labels"},
		{"the latest tag", "image: looklook/identity:1.0.0", "image: looklook/identity:latest", "needs a fixed tag"},
		{"no part-of label", "  labels: {app.kubernetes.io/name: identity, app.kubernetes.io/part-of: looklook}\nspec:\n  selector:\n    matchLabels", "  labels: {app.kubernetes.io/name: identity}\nspec:\n  selector:\n    matchLabels", "Deployment/identity: label app.kubernetes.io/part-of=looklook is missing"},
		{"a grace period shorter than the drain", "terminationGracePeriodSeconds: 20", "terminationGracePeriodSeconds: 10", "terminationGracePeriodSeconds 10 is shorter"},
		{"service links", "enableServiceLinks: false", "enableServiceLinks: true", "enableServiceLinks must be false"},
		{"a hostPath volume", "      containers:\n", "      volumes:\n        - {name: host, hostPath: {path: /}}\n      containers:\n", "hostPath is not allowed"},
		{"a mount of no volume", "            capabilities: {drop: [ALL]}\n", "            capabilities: {drop: [ALL]}\n          volumeMounts:\n            - {name: tmp, mountPath: /tmp}\n", "volumeMount tmp names no volume"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			errs := Manifests(fixture(t, tt.old, tt.new), Options{})
			var msgs []string
			for _, err := range errs {
				msgs = append(msgs, err.Error())
			}
			if !strings.Contains(strings.Join(msgs, "\n"), tt.want) {
				t.Errorf("violations %q do not include %q", msgs, tt.want)
			}
		})
	}
}

func TestManifestsOptions(t *testing.T) {
	t.Parallel()
	untagged := fixture(t, "image: looklook/identity:1.0.0", "image: looklook/identity")
	if errs := Manifests(untagged, Options{UntaggedImages: nameSet("looklook/identity")}); len(errs) != 0 {
		t.Errorf("an image tagged at deploy time was refused: %v", errs)
	}
	if errs := Manifests(untagged, Options{}); len(errs) == 0 {
		t.Error("an untagged image was accepted")
	}

	writable := fixture(t, "readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false")
	if errs := Manifests(writable, Options{WritableRootImages: nameSet("looklook/identity:1.0.0")}); len(errs) != 0 {
		t.Errorf("a live-updated container's writable root was refused: %v", errs)
	}

	external := fixture(t, "secretKeyRef: {name: identity-secrets,", "secretKeyRef: {name: managed-db,")
	if errs := Manifests(external, Options{ExternalSecrets: nameSet("managed-db")}); len(errs) != 0 {
		t.Errorf("a user-provided Secret was refused: %v", errs)
	}
}

func TestIsSensitive(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]bool{
		"LOOKLOOK_SIGNING_KEY":      true,
		"LOOKLOOK_PAGE_TOKEN_KEY":   true,
		"LOOKLOOK_DATABASE_URL":     true,
		"LOOKLOOK_REDIS_URL":        true,
		"POSTGRES_PASSWORD":         true,
		"CLIENT_SECRET":             true,
		"API_TOKEN":                 true,
		"LOOKLOOK_SIGNING_KEY_FILE": false,
		"LOOKLOOK_ACCESS_TOKEN_TTL": false,
		"LOOKLOOK_IDENTITY_URL":     false,
		"LOOKLOOK_CACHE_L1_ITEMS":   false,
		"PGDATA":                    false,
	} {
		if got := isSensitive(name); got != want {
			t.Errorf("isSensitive(%s) = %v, want %v", name, got, want)
		}
	}
}

func TestProgramOf(t *testing.T) {
	t.Parallel()
	for image, want := range map[string]string{
		"looklook/identity":                             "identity",
		"registry.example.com/looklook/bff:0.1.0":       "bff",
		"localhost:5000/looklook/travel@sha256:abcdef0": "travel",
		"postgres:17-alpine":                            "",
		"example.com/other/identity:1":                  "",
	} {
		if got, _ := programOf(image); got != want {
			t.Errorf("programOf(%s) = %q, want %q", image, got, want)
		}
	}
}
