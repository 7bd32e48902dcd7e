package deploy

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/yaml"
)

// kustomization is the part of kustomize's file deploy/ uses. It is
// decoded strictly: a field these tests do not know fails them, so a new
// one gets a deliberate look.
type kustomization struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Labels     []struct {
		Pairs map[string]string `json:"pairs"`
	} `json:"labels"`
	Resources          []string `json:"resources"`
	ConfigMapGenerator []struct {
		Name  string   `json:"name"`
		Files []string `json:"files"`
	} `json:"configMapGenerator"`
	Images []struct {
		Name    string `json:"name"`
		NewName string `json:"newName"`
		NewTag  string `json:"newTag"`
	} `json:"images"`
}

// manifests are deploy/'s files, each decoded strictly into its
// Kubernetes API type: a misspelt field or a value of the wrong type fails
// as the API server would refuse it.
type manifests struct {
	kustomization kustomization
	deployment    appsv1.Deployment
	service       corev1.Service
	pdb           policyv1.PodDisruptionBudget
	hpa           autoscalingv2.HorizontalPodAutoscaler
	secret        corev1.Secret
	// project is the ConfigMap generator's files: key → contents.
	project map[string]string
}

func loadManifests(t *testing.T) *manifests {
	t.Helper()
	m := &manifests{project: map[string]string{}}
	decode(t, "kustomization.yaml", &m.kustomization)
	if m.kustomization.Kind != "Kustomization" {
		t.Fatalf("kustomization.yaml: kind %q", m.kustomization.Kind)
	}
	byKind := map[string]any{
		"Deployment":              &m.deployment,
		"Service":                 &m.service,
		"PodDisruptionBudget":     &m.pdb,
		"HorizontalPodAutoscaler": &m.hpa,
	}
	seen := map[string]string{}
	for _, file := range m.kustomization.Resources {
		kind := kindOf(t, file)
		into, ok := byKind[kind]
		if !ok || seen[kind] != "" {
			t.Fatalf("%s: a %s, which these tests do not check (or a second one)", file, kind)
		}
		seen[kind] = file
		decode(t, file, into)
	}
	for kind := range byKind {
		if seen[kind] == "" {
			t.Fatalf("kustomization.yaml has no %s", kind)
		}
	}
	// Every manifest here is applied, but the Secret's placeholder.
	files, _ := filepath.Glob("*.yaml")
	for _, f := range files {
		if f != "kustomization.yaml" && f != "secret.example.yaml" && !slices.Contains(m.kustomization.Resources, f) {
			t.Errorf("%s is not in kustomization.yaml's resources", f)
		}
	}
	decode(t, "secret.example.yaml", &m.secret)
	if len(m.kustomization.ConfigMapGenerator) != 1 {
		t.Fatalf("want one configMapGenerator (the project), got %d", len(m.kustomization.ConfigMapGenerator))
	}
	for _, f := range m.kustomization.ConfigMapGenerator[0].Files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m.project[filepath.Base(f)] = string(b)
	}
	return m
}

func kindOf(t *testing.T, file string) string {
	var meta struct {
		Kind string `json:"kind"`
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, &meta); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return meta.Kind
}

func decode(t *testing.T, file string, into any) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "\n---") {
		t.Fatalf("%s: one document per file", file)
	}
	if err := yaml.UnmarshalStrict(b, into); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
}

func (m *manifests) container(t *testing.T) *corev1.Container {
	t.Helper()
	cs := m.deployment.Spec.Template.Spec.Containers
	if len(cs) != 1 {
		t.Fatalf("the pod has %d containers, want edgerun alone", len(cs))
	}
	return &cs[0]
}

// containerPort resolves a probe's or Service's port (a number or a
// port's name) to the container's port number.
func containerPort(c *corev1.Container, p intstr.IntOrString) (int, error) {
	if p.Type == intstr.Int {
		return p.IntValue(), nil
	}
	for _, cp := range c.Ports {
		if cp.Name == p.StrVal {
			return int(cp.ContainerPort), nil
		}
	}
	return 0, fmt.Errorf("no container port named %q", p.StrVal)
}

// listenPorts are the worker's and the admin listener's ports from the
// container's args.
func listenPorts(t *testing.T, args map[string]string) (worker, admin int) {
	t.Helper()
	worker, err := strconv.Atoi(args["port"])
	if err != nil {
		t.Fatalf("--port %q: %v", args["port"], err)
	}
	host, port, ok := strings.Cut(args["admin"], ":")
	if !ok || host != "0.0.0.0" {
		t.Fatalf("--admin %q: the kubelet probes the pod's address, so the admin listener must be on 0.0.0.0", args["admin"])
	}
	if admin, err = strconv.Atoi(port); err != nil {
		t.Fatalf("--admin %q: %v", args["admin"], err)
	}
	return worker, admin
}

// The Deployment's container runs a command edgerun serve takes; its
// probes ask the admin listener the container's args open, on the paths
// that listener serves; the Service reaches the worker's port; the Secret
// reaches the binding through the environment variable the configuration
// reads; and the pod runs as the image's user, read-only.
func TestDeployment(t *testing.T) {
	m := loadManifests(t)
	c := m.container(t)
	pod := m.deployment.Spec.Template

	args, err := parseArgs(c.Args, serveFlags(t, imageBinary(t)))
	if err != nil {
		t.Fatalf("args %q: %v", c.Args, err)
	}
	if len(c.Command) != 0 {
		t.Fatalf("command %q replaces the image's ENTRYPOINT (edgerun serve)", c.Command)
	}
	worker, admin := listenPorts(t, args)
	if args["ip"] != "0.0.0.0" {
		t.Fatalf("--ip %q: the Service reaches the pod's address, want 0.0.0.0", args["ip"])
	}
	named := map[string]int{}
	for _, p := range c.Ports {
		named[p.Name] = int(p.ContainerPort)
	}
	if named["http"] != worker || named["admin"] != admin || len(named) != 2 {
		t.Fatalf("container ports %v, want http %d and admin %d (from the args)", named, worker, admin)
	}

	// Probes: the admin port, the paths runtime/admin serves (TestThePodServes
	// asks them of the running binary).
	for _, p := range []struct {
		name  string
		probe *corev1.Probe
		path  string
	}{
		{"startupProbe", c.StartupProbe, "/healthz"},
		{"livenessProbe", c.LivenessProbe, "/healthz"},
		{"readinessProbe", c.ReadinessProbe, "/readyz"},
	} {
		if p.probe == nil || p.probe.HTTPGet == nil {
			t.Errorf("%s: want an httpGet probe", p.name)
			continue
		}
		port, err := containerPort(c, p.probe.HTTPGet.Port)
		if err != nil || port != admin {
			t.Errorf("%s: port %s is %d (%v), want the admin port %d", p.name, p.probe.HTTPGet.Port.String(), port, err, admin)
		}
		if p.probe.HTTPGet.Path != p.path {
			t.Errorf("%s: path %q, want %q", p.name, p.probe.HTTPGet.Path, p.path)
		}
	}
	if ann := pod.Annotations["prometheus.io/port"]; ann != strconv.Itoa(admin) || pod.Annotations["prometheus.io/path"] != "/metrics" {
		t.Errorf("prometheus.io annotations %v, want /metrics on the admin port %d", pod.Annotations, admin)
	}

	// Shutdown: the grace period covers the preStop pause and the drain.
	drain := args["drain-timeout"]
	if drain == "" {
		drain = "30s"
	}
	drainSeconds, err := strconv.Atoi(strings.TrimSuffix(drain, "s"))
	if err != nil {
		t.Fatalf("--drain-timeout %q: want whole seconds here", drain)
	}
	pause := 0
	if h := c.Lifecycle; h != nil && h.PreStop != nil && h.PreStop.Sleep != nil {
		pause = int(h.PreStop.Sleep.Seconds)
	}
	grace := 30 // Kubernetes' default
	if g := pod.Spec.TerminationGracePeriodSeconds; g != nil {
		grace = int(*g)
	}
	if grace < pause+drainSeconds+5 {
		t.Errorf("terminationGracePeriodSeconds %d: want at least preStop %d s + drain %d s + 5 s to close the pools", grace, pause, drainSeconds)
	}

	// The Service: selects the pods, reaches the worker's port.
	labels := pod.Labels
	if !selects(m.service.Spec.Selector, labels) {
		t.Errorf("Service selector %v does not select the pods %v", m.service.Spec.Selector, labels)
	}
	if len(m.service.Spec.Ports) != 1 {
		t.Fatalf("Service ports %v: want the worker's alone (admin stays off the Service)", m.service.Spec.Ports)
	}
	if port, err := containerPort(c, m.service.Spec.Ports[0].TargetPort); err != nil || port != worker {
		t.Errorf("Service targetPort %s is %d (%v), want the worker's port %d", m.service.Spec.Ports[0].TargetPort.String(), port, err, worker)
	}
	if !selects(m.deployment.Spec.Selector.MatchLabels, labels) {
		t.Errorf("Deployment selector %v does not select its own pods %v", m.deployment.Spec.Selector.MatchLabels, labels)
	}

	// The PDB leaves a drain room to move a pod; the HPA scales this
	// Deployment on CPU, which needs a CPU request.
	if !selects(m.pdb.Spec.Selector.MatchLabels, labels) {
		t.Errorf("PDB selector %v does not select the pods", m.pdb.Spec.Selector.MatchLabels)
	}
	minPods := min(int(*m.deployment.Spec.Replicas), int(*m.hpa.Spec.MinReplicas))
	if m.pdb.Spec.MinAvailable == nil || m.pdb.Spec.MinAvailable.IntValue() >= minPods {
		t.Errorf("PDB minAvailable %v with as few as %d pods: a node drain could never evict one", m.pdb.Spec.MinAvailable, minPods)
	}
	ref := m.hpa.Spec.ScaleTargetRef
	if ref.Kind != "Deployment" || ref.Name != m.deployment.Name || ref.APIVersion != "apps/v1" {
		t.Errorf("HPA scales %+v, want the Deployment %s", ref, m.deployment.Name)
	}
	if _, ok := c.Resources.Requests[corev1.ResourceCPU]; !ok {
		t.Error("the HPA's CPU utilization needs a CPU request")
	}

	// The Secret reaches the binding: resolve the env as the kubelet does
	// and load the project with the configuration loader.
	env := podEnv(t, c, &m.secret)
	project := m.projectDir(t, c, args)
	cfg, warnings, err := loadConfig(filepath.Join(project, filepath.Base(args["c"])), env)
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) > 0 {
		t.Errorf("the project loads with warnings: %v", warnings)
	}
	if len(cfg.Hyperdrive) != 1 {
		t.Fatalf("the project has %d Hyperdrive bindings, want 1", len(cfg.Hyperdrive))
	}
	h := cfg.Hyperdrive[0]
	want := m.secret.StringData["hyperdrive-url"]
	if h.LocalConnectionString != want || h.ConnectionStringSource != "CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_"+h.Binding {
		t.Errorf("binding %s's connection string came from %q, want the Secret's hyperdrive-url through CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_%s", h.Binding, h.ConnectionStringSource, h.Binding)
	}
	// Without the Secret the binding would ask for a managed PostgreSQL,
	// which the image does not have: the Secret must not be optional.
	if cfg, _, err := loadConfig(filepath.Join(project, filepath.Base(args["c"])), nil); err != nil || cfg.Hyperdrive[0].LocalConnectionString != "" {
		t.Errorf("without the Secret the project still names a database (%v): the Secret is then not what connects the pods", err)
	}
	for _, e := range c.Env {
		if r := e.ValueFrom; r != nil && r.SecretKeyRef != nil && r.SecretKeyRef.Optional != nil && *r.SecretKeyRef.Optional {
			t.Errorf("env %s: an optional Secret starts pods that can only fail", e.Name)
		}
	}
	// Isolates: the default is the node's CPU count, not the pod's limit.
	if limit := c.Resources.Limits.Cpu().Value(); cfg.Edgerun.Isolates <= 0 || int64(cfg.Edgerun.Isolates) != limit {
		t.Errorf("[edgerun] isolates = %d with a CPU limit of %d: set it to the limit", cfg.Edgerun.Isolates, limit)
	}

	// Memory: GOMEMLIMIT below the container's limit.
	goMemLimit := envValue(env, "GOMEMLIMIT")
	n, err := parseGoMemLimit(goMemLimit)
	if err != nil {
		t.Fatalf("GOMEMLIMIT %q: %v", goMemLimit, err)
	}
	if limit := c.Resources.Limits.Memory().Value(); limit == 0 || n >= limit*95/100 {
		t.Errorf("GOMEMLIMIT %s (%d bytes) with a memory limit of %d bytes: want it below 95%% of the limit", goMemLimit, n, limit)
	}

	// Security: the image's user, nothing written, no privileges.
	df, err := readDockerfile()
	if err != nil {
		t.Fatal(err)
	}
	psc, sc := pod.Spec.SecurityContext, c.SecurityContext
	if psc == nil || psc.RunAsUser == nil || psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot ||
		fmt.Sprintf("%d:%d", *psc.RunAsUser, *psc.RunAsGroup) != df.final().user {
		t.Errorf("pod securityContext %+v: want runAsNonRoot and the image's USER %s", psc, df.final().user)
	}
	if sc == nil || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem ||
		sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation ||
		sc.Capabilities == nil || !slices.Equal(sc.Capabilities.Drop, []corev1.Capability{"ALL"}) {
		t.Errorf("container securityContext %+v: want a read-only root, no privilege escalation, every capability dropped", sc)
	}
	image, _, _ := strings.Cut(c.Image, ":")
	if len(m.kustomization.Images) != 1 || m.kustomization.Images[0].Name != image {
		t.Errorf("kustomization images %+v do not name the container's image %s", m.kustomization.Images, c.Image)
	}
}

func selects(selector, labels map[string]string) bool {
	if len(selector) == 0 {
		return false
	}
	for k, v := range selector {
		if labels[k] != v {
			return false
		}
	}
	return true
}

// parseGoMemLimit reads GOMEMLIMIT as the Go runtime does: a whole number
// of bytes with an optional B, KiB, MiB, GiB or TiB suffix.
func parseGoMemLimit(s string) (int64, error) {
	units := []struct {
		suffix string
		shift  uint
	}{{"TiB", 40}, {"GiB", 30}, {"MiB", 20}, {"KiB", 10}, {"B", 0}}
	for _, u := range units {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			n, err := strconv.ParseInt(num, 10, 64)
			return n << u.shift, err
		}
	}
	return strconv.ParseInt(s, 10, 64)
}
