// Package check holds the static checks for looklook's deployment files: the
// kustomize manifests under deploy/k8s and the Tiltfile at the repository
// root. Nothing here needs a cluster, Docker or Tilt, so the checks run in
// `make test` on any machine.
//
// Manifests are built with kustomize as a library (Build), every object is
// decoded strictly into its typed Kubernetes struct (Decode), and the result
// is held to the project's policy (Manifests): non-root, read-only root
// filesystem, dropped capabilities, probes, resource requests and limits,
// Service selectors and ports that resolve, credentials only in Secrets, and
// environment variables that the programs actually read (AllowedEnv).
//
// The Tiltfile is executed with go.starlark.net in Tilt's dialect against
// stub builtins that record each call (RunTiltfile), and the recording is
// cross-checked against the dev overlay (Tiltfile).
package check
