package check

import (
	"strings"
	"testing"
)

// goodFixture is a small, compliant set of objects for one program
// (identity); the negative tests break it one way at a time.
const goodFixture = `
apiVersion: v1
kind: ServiceAccount
metadata:
  name: identity
  labels: {app.kubernetes.io/name: identity, app.kubernetes.io/part-of: looklook}
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: identity-config
  labels: {app.kubernetes.io/part-of: looklook}
data:
  LOOKLOOK_LISTEN_ADDR: ":8081"
  LOOKLOOK_METRICS_ADDR: ":9090"
---
apiVersion: v1
kind: Secret
metadata:
  name: identity-secrets
  labels: {app.kubernetes.io/part-of: looklook}
data:
  LOOKLOOK_DATABASE_URL: cG9zdGdyZXM6Ly9pZGVudGl0eTpwd0BkYi5leGFtcGxlLmNvbTo1NDMyL2lkZW50aXR5
---
apiVersion: v1
kind: Service
metadata:
  name: identity
  labels: {app.kubernetes.io/name: identity, app.kubernetes.io/part-of: looklook}
spec:
  selector: {app.kubernetes.io/name: identity}
  ports:
    - {name: grpc, port: 8081, targetPort: grpc}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: identity
  labels: {app.kubernetes.io/name: identity, app.kubernetes.io/part-of: looklook}
spec:
  selector:
    matchLabels: {app.kubernetes.io/name: identity}
  template:
    metadata:
      labels: {app.kubernetes.io/name: identity, app.kubernetes.io/part-of: looklook}
    spec:
      serviceAccountName: identity
      automountServiceAccountToken: false
      enableServiceLinks: false
      terminationGracePeriodSeconds: 20
      securityContext:
        runAsNonRoot: true
        runAsUser: 65532
        seccompProfile: {type: RuntimeDefault}
      containers:
        - name: identity
          image: looklook/identity:1.0.0
          ports:
            - {name: grpc, containerPort: 8081}
            - {name: metrics, containerPort: 9090}
          envFrom:
            - configMapRef: {name: identity-config}
          env:
            - name: LOOKLOOK_DATABASE_URL
              valueFrom:
                secretKeyRef: {name: identity-secrets, key: LOOKLOOK_DATABASE_URL}
          readinessProbe:
            grpc: {port: 8081}
          livenessProbe:
            grpc: {port: 8081}
          lifecycle:
            preStop:
              sleep: {seconds: 5}
          resources:
            requests: {cpu: 50m, memory: 64Mi}
            limits: {cpu: "1", memory: 256Mi}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {drop: [ALL]}
`

// splitDocs splits a YAML stream on document separators.
func splitDocs(stream string) [][]byte {
	var docs [][]byte
	for _, d := range strings.Split(stream, "\n---\n") {
		if strings.TrimSpace(d) != "" {
			docs = append(docs, []byte(d))
		}
	}
	return docs
}

// fixture decodes goodFixture after replacing old with new (which must
// occur).
func fixture(t *testing.T, old, new string) *Objects {
	t.Helper()
	if old != "" && !strings.Contains(goodFixture, old) {
		t.Fatalf("fixture has no %q", old)
	}
	objs, err := Decode(splitDocs(strings.Replace(goodFixture, old, new, 1)))
	if err != nil {
		t.Fatal(err)
	}
	return objs
}
