//go:build unix

package npmtest

import (
	"os"
	"path/filepath"
	"testing"
)

// TestNodeModulesFreshness: the check that decides whether npm ci runs sees a missing
// install, a different version, an extra package, and accepts a missing optional one.
func TestNodeModulesFreshness(t *testing.T) {
	dir := t.TempDir()
	lock := []byte(`{"lockfileVersion":3,"packages":{"":{"name":"x"},
		"node_modules/a":{"version":"1.0.0","resolved":"https://r/a-1.0.0.tgz","integrity":"sha512-a"},
		"node_modules/b":{"version":"2.0.0","resolved":"https://r/b-2.0.0.tgz","integrity":"sha512-b","optional":true}}}`)
	if err := os.WriteFile(filepath.Join(dir, "package-lock.json"), lock, 0o644); err != nil {
		t.Fatal(err)
	}
	hidden := filepath.Join(dir, "node_modules", ".package-lock.json")
	if fresh, why := Fresh(dir); fresh || why != "node_modules is not installed" {
		t.Errorf("no node_modules: fresh=%v (%s)", fresh, why)
	}
	if err := os.MkdirAll(filepath.Dir(hidden), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, hidden string
		fresh        bool
	}{
		{"same", `{"packages":{"node_modules/a":{"version":"1.0.0","resolved":"https://r/a-1.0.0.tgz","integrity":"sha512-a"},
			"node_modules/b":{"version":"2.0.0","resolved":"https://r/b-2.0.0.tgz","integrity":"sha512-b","optional":true}}}`, true},
		{"optional missing", `{"packages":{"node_modules/a":{"version":"1.0.0","resolved":"https://r/a-1.0.0.tgz","integrity":"sha512-a"}}}`, true},
		{"other version", `{"packages":{"node_modules/a":{"version":"1.0.1","resolved":"https://r/a-1.0.1.tgz","integrity":"sha512-c"}}}`, false},
		{"required missing", `{"packages":{}}`, false},
		{"extraneous", `{"packages":{"node_modules/a":{"version":"1.0.0","resolved":"https://r/a-1.0.0.tgz","integrity":"sha512-a"},
			"node_modules/zz":{"version":"9.9.9"}}}`, false},
		{"broken", `{`, false},
	} {
		if err := os.WriteFile(hidden, []byte(tt.hidden), 0o644); err != nil {
			t.Fatal(err)
		}
		if fresh, why := Fresh(dir); fresh != tt.fresh {
			t.Errorf("%s: fresh = %v (%s), want %v", tt.name, fresh, why, tt.fresh)
		}
	}
}
