package webapi

import (
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"edgerun/isolates"
	"edgerun/isolates/jstest"
)

// newTestWorker makes an isolate with the Web APIs installed.
func newTestWorker(t *testing.T, console Console) (*isolates.Isolate, *Worker) {
	t.Helper()
	var w *Worker
	iso, err := isolates.New(isolates.Options{Setup: func(iso *isolates.Isolate) error {
		var err error
		w, err = Install(iso, Options{Console: console})
		return err
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { iso.Retire(nil); <-iso.Done() })
	return iso, w
}

// TestWebAPIs runs every testdata/*.js file's tests inside an isolate.
func TestWebAPIs(t *testing.T) {
	for _, file := range jstest.Files(t, "testdata") {
		t.Run(filepath.Base(file), func(t *testing.T) {
			iso, _ := newTestWorker(t, nil)
			jstest.Run(t, iso, file, nil)
		})
	}
}

func TestConsoleFormatsValues(t *testing.T) {
	var mu sync.Mutex
	var lines []string
	iso, _ := newTestWorker(t, func(_ *isolates.Scope, level, msg string) {
		mu.Lock()
		lines = append(lines, level+" "+msg)
		mu.Unlock()
	})
	err := iso.Do(func() error {
		_, err := iso.Runtime().RunString(`
			console.log("plain", 1, true, null, undefined);
			console.info({ a: 1, b: "two", c: [1, 2, { d: null }] });
			console.warn(new Map([["k", 1]]), new Set(["x"]));
			console.error("%s is %d years", "Ada", 36);
			const o = { name: "loop" }; o.self = o; console.log(o);
			console.debug(new Uint8Array([1, 2]), 10n, Symbol("s"), function named() {});
		`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"log plain 1 true null undefined",
		"info { a: 1, b: 'two', c: [ 1, 2, { d: null } ] }",
		"warn Map(1) { 'k' => 1 } Set(1) { 'x' }",
		"error Ada is 36 years",
		"log { name: 'loop', self: [Circular] }",
		"debug Uint8Array(2) [ 1, 2 ] 10n Symbol(s) [Function: named]",
	}
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Fatalf("console output:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}
