//go:build unix

package runtime

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

// appsDir holds the driver test apps and their one shared package.json + lockfile.
var appsDir = filepath.Join("..", "testdata", "apps")

// installOnce runs the install check once per test binary; the file lock in
// ensureNodeModules serialises it across test binaries (go test runs packages in parallel).
var installOnce struct {
	sync.Once
	err  error
	skip string
}

// ensureNodeModules makes testdata/apps/node_modules match the committed lockfile, running
// `npm ci` when it is missing or stale. Without npm the test is skipped on a developer
// machine and fails under CI=true, as the database tests do without PostgreSQL.
func ensureNodeModules(t testing.TB) {
	t.Helper()
	installOnce.Do(func() {
		installOnce.skip, installOnce.err = installNodeModules(appsDir)
	})
	if installOnce.skip != "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("driver apps need npm under CI=true: %s", installOnce.skip)
		}
		t.Skip(installOnce.skip)
	}
	if installOnce.err != nil {
		t.Fatal(installOnce.err)
	}
}

func installNodeModules(dir string) (skip string, err error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if fresh, _ := nodeModulesFresh(abs); fresh {
		return "", nil
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		return "npm is not installed (Debian: apt-get install nodejs npm), so " + abs + "/node_modules cannot be installed", nil
	}
	// One lock per apps directory, outside the repository: several test binaries may get
	// here at once, and two npm ci runs in one directory break each other.
	sum := sha256.Sum256([]byte(abs))
	unlock, err := flock(filepath.Join(os.TempDir(), "edgerun-npm-ci-"+hex.EncodeToString(sum[:8])+".lock"))
	if err != nil {
		return "", err
	}
	defer unlock()
	if fresh, _ := nodeModulesFresh(abs); fresh { // another binary installed while we waited
		return "", nil
	}
	_, why := nodeModulesFresh(abs)
	began := time.Now()
	cmd := exec.Command(npm, "ci", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir = abs
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("npm ci in %s (%s): %v\n%s", abs, why, err, out)
	}
	if fresh, why := nodeModulesFresh(abs); !fresh {
		return "", fmt.Errorf("npm ci in %s ran (%v) but node_modules still differs from package-lock.json: %s", abs, time.Since(began).Round(time.Millisecond), why)
	}
	return "", nil
}

// lockedPackage is what npm records of one installed package, in package-lock.json and in
// node_modules/.package-lock.json (npm's "hidden lockfile", written by every install).
type lockedPackage struct {
	Version   string `json:"version"`
	Resolved  string `json:"resolved"`
	Integrity string `json:"integrity"`
	Optional  bool   `json:"optional"`
	Link      bool   `json:"link"`
}

func readLockPackages(path string) (map[string]lockedPackage, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var lock struct {
		Packages map[string]lockedPackage `json:"packages"`
	}
	if err := json.Unmarshal(data, &lock); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	delete(lock.Packages, "") // the root project, absent from the hidden lockfile
	return lock.Packages, nil
}

// nodeModulesFresh compares the committed lockfile with what npm last installed, package
// by package (version, resolved URL, integrity); an optional package may be missing (not
// installed on this platform). It says why not when not.
func nodeModulesFresh(dir string) (bool, string) {
	want, err := readLockPackages(filepath.Join(dir, "package-lock.json"))
	if err != nil {
		return false, err.Error()
	}
	have, err := readLockPackages(filepath.Join(dir, "node_modules", ".package-lock.json"))
	if err != nil {
		return false, "node_modules is not installed"
	}
	for name, w := range want {
		h, ok := have[name]
		switch {
		case !ok && w.Optional:
		case !ok:
			return false, name + " is not installed"
		case h.Version != w.Version || h.Resolved != w.Resolved || h.Integrity != w.Integrity || h.Link != w.Link:
			return false, fmt.Sprintf("%s is %s, the lockfile says %s", name, h.Version, w.Version)
		}
	}
	for name := range have {
		if _, ok := want[name]; !ok {
			return false, name + " is installed but not in the lockfile"
		}
	}
	return true, ""
}

// flock takes an exclusive lock on path, waiting for it, and returns its release.
func flock(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("locking %s: %w", path, err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

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
	if fresh, why := nodeModulesFresh(dir); fresh || why != "node_modules is not installed" {
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
		if fresh, why := nodeModulesFresh(dir); fresh != tt.fresh {
			t.Errorf("%s: fresh = %v (%s), want %v", tt.name, fresh, why, tt.fresh)
		}
	}
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
