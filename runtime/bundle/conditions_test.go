package bundle

import (
	"path/filepath"
	"testing"

	"github.com/dop251/goja"
)

// TestConditionsPickTheWorkersBuild checks that a package's exports map
// resolves as wrangler resolves it: "workerd" first, then "worker", then
// "browser", and never "node", whatever order the package lists them in
// (esbuild takes the first key of the map whose condition is active).
func TestConditionsPickTheWorkersBuild(t *testing.T) {
	dir := filepath.Join("testdata", "app")
	res, err := Build(Options{Entry: "src/conditions.js", Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	prg, err := Compile("worker.js", res.Code)
	if err != nil {
		t.Fatal(err)
	}
	vm := goja.New()
	exports, err := Run(vm, prg, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := exports.ToObject(vm).Get("default").String()
	want := "pick-condition/workerd pick-worker/worker pick-browser/browser.mjs pick-kind/esm pick-kind/cjs"
	if got != want {
		t.Fatalf("picked %q, want %q", got, want)
	}
}
