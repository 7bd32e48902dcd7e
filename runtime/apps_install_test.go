//go:build unix

package runtime

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"edgerun/runtime/npmtest"
)

// appsDir holds the driver test apps and their one shared package.json + lockfile.
var appsDir = filepath.Join("..", "testdata", "apps")

// ensureNodeModules makes testdata/apps/node_modules match the committed lockfile (npmtest.Ensure).
func ensureNodeModules(t testing.TB) {
	t.Helper()
	npmtest.Ensure(t, appsDir)
}

// TestDriverAppsInstalled: node_modules of testdata/apps matches the committed lockfile
// (npm ci runs here when it does not), and every app's configuration loads. Serving the apps
// is TestDriverApp*.
func TestDriverAppsInstalled(t *testing.T) {
	ensureNodeModules(t)
	lock, err := os.ReadFile(filepath.Join(appsDir, "package-lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, pkg := range []string{"pg", "postgres", "drizzle-orm", "kysely", "hono"} {
		if !bytes.Contains(lock, []byte(`"node_modules/`+pkg+`"`)) {
			t.Errorf("package-lock.json has no %s", pkg)
		}
		if _, err := os.Stat(filepath.Join(appsDir, "node_modules", pkg, "package.json")); err != nil {
			t.Errorf("%s not installed: %v", pkg, err)
		}
	}
	for _, app := range driverApps {
		cfg := loadDriverApp(t, app, "")
		if len(cfg.CompatibilityFlags) != 1 || cfg.CompatibilityFlags[0] != "nodejs_compat" {
			t.Errorf("%s: compatibility_flags = %v, want [nodejs_compat]", app, cfg.CompatibilityFlags)
		}
	}
}
