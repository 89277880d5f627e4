package check

import (
	"errors"
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer/json"
	"sigs.k8s.io/yaml"
)

// Objects is the strictly decoded content of one kustomize build, by kind.
type Objects struct {
	Deployments          []*appsv1.Deployment
	StatefulSets         []*appsv1.StatefulSet
	Services             []*corev1.Service
	ServiceAccounts      []*corev1.ServiceAccount
	ConfigMaps           []*corev1.ConfigMap
	Secrets              []*corev1.Secret
	PodDisruptionBudgets []*policyv1.PodDisruptionBudget
}

// Workload is what the checks need from a Deployment or a StatefulSet.
type Workload struct {
	Kind     string
	Name     string
	Labels   map[string]string
	Selector *metav1.LabelSelector
	Template *corev1.PodTemplateSpec
	// Claims names the StatefulSet's volumeClaimTemplates, which containers
	// mount like pod volumes.
	Claims []string
}

// Workloads returns every Deployment and StatefulSet.
func (o *Objects) Workloads() []Workload {
	var ws []Workload
	for _, d := range o.Deployments {
		ws = append(ws, Workload{Kind: "Deployment", Name: d.Name, Labels: d.Labels, Selector: d.Spec.Selector, Template: &d.Spec.Template})
	}
	for _, s := range o.StatefulSets {
		w := Workload{Kind: "StatefulSet", Name: s.Name, Labels: s.Labels, Selector: s.Spec.Selector, Template: &s.Spec.Template}
		for _, pvc := range s.Spec.VolumeClaimTemplates {
			w.Claims = append(w.Claims, pvc.Name)
		}
		ws = append(ws, w)
	}
	return ws
}

// Decode decodes each YAML document strictly into its typed Kubernetes
// struct. Unknown fields, duplicate fields, wrong types and kinds outside the
// ones looklook uses (apps/v1 Deployment and StatefulSet; v1 Service,
// ServiceAccount, ConfigMap, Secret; policy/v1 PodDisruptionBudget) are
// errors; every document's error is reported, not just the first.
func Decode(docs [][]byte) (*Objects, error) {
	scheme := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{appsv1.AddToScheme, corev1.AddToScheme, policyv1.AddToScheme} {
		if err := add(scheme); err != nil {
			return nil, fmt.Errorf("register kinds: %w", err)
		}
	}
	codec := json.NewSerializerWithOptions(json.DefaultMetaFactory, scheme, scheme, json.SerializerOptions{Yaml: true, Strict: true})

	objs := &Objects{}
	var errs []error
	for i, doc := range docs {
		obj, gvk, err := codec.Decode(doc, nil, nil)
		if err != nil {
			errs = append(errs, fmt.Errorf("document %d (%s): %w", i+1, describe(doc), err))
			continue
		}
		switch o := obj.(type) {
		case *appsv1.Deployment:
			objs.Deployments = append(objs.Deployments, o)
		case *appsv1.StatefulSet:
			objs.StatefulSets = append(objs.StatefulSets, o)
		case *corev1.Service:
			objs.Services = append(objs.Services, o)
		case *corev1.ServiceAccount:
			objs.ServiceAccounts = append(objs.ServiceAccounts, o)
		case *corev1.ConfigMap:
			objs.ConfigMaps = append(objs.ConfigMaps, o)
		case *corev1.Secret:
			objs.Secrets = append(objs.Secrets, o)
		case *policyv1.PodDisruptionBudget:
			objs.PodDisruptionBudgets = append(objs.PodDisruptionBudgets, o)
		default:
			errs = append(errs, fmt.Errorf("document %d: kind %s is registered but not checked", i+1, gvk))
		}
	}
	return objs, errors.Join(errs...)
}

// describe names a document that failed to decode by its kind and name, read
// leniently, so the error says which object is wrong.
func describe(doc []byte) string {
	var meta struct {
		Kind     string `json:"kind"`
		Metadata struct {
			Name string `json:"name"`
		} `json:"metadata"`
	}
	if err := yaml.Unmarshal(doc, &meta); err != nil || meta.Kind == "" {
		return "unnamed"
	}
	return meta.Kind + " " + meta.Metadata.Name
}
