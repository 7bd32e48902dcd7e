//go:build unix

// Package npmtest gives tests a node_modules that matches its committed lockfile: it runs
// `npm ci` when node_modules is missing or differs from package-lock.json, once per directory
// per test binary, under a file lock shared by every test binary (two npm ci runs in one
// directory break each other).
package npmtest

import (
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

// installs runs the install check once per directory per test binary; the file lock in
// install serialises it across test binaries (go test runs packages in parallel).
var installs sync.Map // absolute dir → *installation

type installation struct {
	sync.Once
	err  error
	skip string
}

// Ensure makes dir/node_modules match dir/package-lock.json, running `npm ci` when it is
// missing or stale. Without npm the test is skipped on a developer machine and fails under
// CI=true, as the database tests do without PostgreSQL.
func Ensure(t testing.TB, dir string) {
	t.Helper()
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := installs.LoadOrStore(abs, new(installation))
	in := v.(*installation)
	in.Do(func() { in.skip, in.err = install(abs) })
	if in.skip != "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s needs npm under CI=true: %s", dir, in.skip)
		}
		t.Skip(in.skip)
	}
	if in.err != nil {
		t.Fatal(in.err)
	}
}

func install(abs string) (skip string, err error) {
	if fresh, _ := Fresh(abs); fresh {
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
	if fresh, _ := Fresh(abs); fresh { // another binary installed while we waited
		return "", nil
	}
	_, why := Fresh(abs)
	began := time.Now()
	cmd := exec.Command(npm, "ci", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir = abs
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("npm ci in %s (%s): %v\n%s", abs, why, err, out)
	}
	if fresh, why := Fresh(abs); !fresh {
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

// Fresh compares the committed lockfile with what npm last installed, package
// by package (version, resolved URL, integrity); an optional package may be missing (not
// installed on this platform). It says why not when not.
func Fresh(dir string) (bool, string) {
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

// Node returns the path of node, skipping the test without it on a developer machine and
// failing it under CI=true.
func Node(t testing.TB) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("node is needed under CI=true: %v", err)
		}
		t.Skipf("node is not installed: %v", err)
	}
	return node
}
