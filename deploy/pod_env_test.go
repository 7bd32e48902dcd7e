package deploy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"

	"edgerun/runtime/config"
)

// podEnv is the container's environment as the kubelet makes it: each env
// entry's value, or the Secret's key it names.
func podEnv(t *testing.T, c *corev1.Container, secret *corev1.Secret) []string {
	t.Helper()
	var env []string
	for _, e := range c.Env {
		v := e.Value
		if r := e.ValueFrom; r != nil {
			ref := r.SecretKeyRef
			if ref == nil || r.ConfigMapKeyRef != nil || r.FieldRef != nil || r.ResourceFieldRef != nil {
				t.Fatalf("env %s: only Secret references are resolved here", e.Name)
			}
			if ref.Name != secret.Name {
				t.Fatalf("env %s names the Secret %q; the example Secret is %q", e.Name, ref.Name, secret.Name)
			}
			val, ok := secret.StringData[ref.Key]
			if !ok {
				t.Fatalf("env %s: the Secret %s has no key %q", e.Name, secret.Name, ref.Key)
			}
			v = val
		}
		env = append(env, e.Name+"="+v)
	}
	return env
}

func envValue(env []string, name string) string {
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, name+"="); ok {
			return v
		}
	}
	return ""
}

func loadConfig(path string, env []string) (*config.Config, []config.Warning, error) {
	return config.Load(config.Options{Path: path, Getenv: func(k string) (string, bool) {
		for _, kv := range env {
			if v, ok := strings.CutPrefix(kv, k+"="); ok {
				return v, true
			}
		}
		return "", false
	}})
}

// projectDir lays the ConfigMap volume that holds the -c file out as the
// kubelet does (the files in a timestamped directory, ..data linking to it,
// each key a link through ..data), in a fresh directory that stands for the
// volume's mountPath, and returns that directory.
func (m *manifests) projectDir(t *testing.T, c *corev1.Container, args map[string]string) string {
	t.Helper()
	configPath := args["c"]
	if configPath == "" {
		configPath = args["config"]
	}
	var mount *corev1.VolumeMount
	for i, vm := range c.VolumeMounts {
		if strings.HasPrefix(configPath, strings.TrimSuffix(vm.MountPath, "/")+"/") {
			mount = &c.VolumeMounts[i]
		}
	}
	if mount == nil {
		t.Fatalf("-c %q is under no volume mount", configPath)
	}
	if !mount.ReadOnly {
		t.Errorf("volume mount %s is writable; the project is only read", mount.MountPath)
	}
	var vol *corev1.Volume
	for i, v := range m.deployment.Spec.Template.Spec.Volumes {
		if v.Name == mount.Name {
			vol = &m.deployment.Spec.Template.Spec.Volumes[i]
		}
	}
	gen := m.kustomization.ConfigMapGenerator[0].Name
	if vol == nil || vol.ConfigMap == nil || vol.ConfigMap.Name != gen {
		t.Fatalf("volume %s is not the ConfigMap %s that kustomization.yaml generates", mount.Name, gen)
	}
	key := strings.TrimPrefix(configPath, strings.TrimSuffix(mount.MountPath, "/")+"/")
	if _, ok := m.project[key]; !ok {
		t.Fatalf("-c %q: the ConfigMap has no key %q (it has the generator's files)", configPath, key)
	}

	dir, err := os.MkdirTemp(scratch, "volume-")
	if err == nil {
		err = os.Chmod(dir, 0o755)
	}
	if err != nil {
		t.Fatal(err)
	}
	stamp := ".." + time.Now().UTC().Format("2006_01_02_15_04_05.000000000")
	if err := os.Mkdir(filepath.Join(dir, stamp), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, content := range m.project {
		if err := os.WriteFile(filepath.Join(dir, stamp, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.Join("..data", name), filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(stamp, filepath.Join(dir, "..data")); err != nil {
		t.Fatal(err)
	}
	return dir
}
