// Package jstest runs JavaScript test files inside an isolate, goja_nodejs
// style: each file registers cases with test(name, fn) and asserts with eq,
// ok, throws and rejects (assert.js); the Go test reports each failing case.
package jstest

import (
	_ "embed"
	"os"
	"path/filepath"
	"testing"
	"time"

	"edgerun/isolates"
)

//go:embed assert.js
var assertJS string

// Run runs every case in file on iso, with extra globals set by prepare
// (on the isolate goroutine) before the file is evaluated.
func Run(t *testing.T, iso *isolates.Isolate, file string, prepare func(iso *isolates.Isolate) error) {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	type outcome struct {
		count    int64
		failures []string
	}
	done := make(chan outcome, 1)
	err = iso.Do(func() error {
		vm := iso.Runtime()
		if prepare != nil {
			if err := prepare(iso); err != nil {
				return err
			}
		}
		if _, err := vm.RunScript("assert.js", assertJS); err != nil {
			return err
		}
		if _, err := vm.RunScript(filepath.Base(file), string(src)); err != nil {
			return err
		}
		_ = vm.Set("__report", func(count int64, failures []string) { done <- outcome{count, failures} })
		_, err := vm.RunString(`__runTests().then(r => __report(r.count, r.failures), e => __report(0, [String(e && e.stack || e)]))`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case o := <-done:
		for _, f := range o.failures {
			t.Error(f)
		}
		if o.count == 0 {
			t.Fatal("no tests ran")
		}
	case <-time.After(60 * time.Second):
		t.Fatal("tests did not finish within 60s")
	}
}

// Files lists testdata/*.js in dir.
func Files(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.js"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no JS test files in %s", dir)
	}
	return files
}
