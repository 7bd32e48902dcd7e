package url

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestJS runs each testdata/*.js file in a fresh runtime after the assert
// helper in testdata/lib/assert.js; a file passes when it runs without
// throwing.
func TestJS(t *testing.T) {
	helper, err := os.ReadFile(filepath.Join("testdata", "lib", "assert.js"))
	if err != nil {
		t.Fatalf("read assert helper: %v", err)
	}
	files, err := filepath.Glob(filepath.Join("testdata", "*.js"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no testdata/*.js files")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".js"), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			vm := newRuntime(t)
			if _, err := vm.RunScript("lib/assert.js", string(helper)); err != nil {
				t.Fatalf("assert helper: %v", err)
			}
			if _, err := vm.RunScript(filepath.Base(file), string(src)); err != nil {
				t.Fatal(err)
			}
		})
	}
}
