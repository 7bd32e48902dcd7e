package bundle

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dop251/goja"
)

// A node: import the project's settings do not allow fails the build at the
// import, with the resolver's hint; a bare built-in name that no package
// provides gets the hint too.
func TestBuiltinImportRefusedWithHint(t *testing.T) {
	refuse := func(spec string) (string, bool, error) {
		if strings.HasPrefix(spec, "node:") {
			return "", false, errors.New(`No such module "` + spec + `". add nodejs_compat`)
		}
		return "", false, nil
	}
	for _, tc := range []struct {
		entry, want string
	}{
		{"src/index.js", `src/index.js:1:24: Could not resolve "node:buffer": No such module "node:buffer". add nodejs_compat`},
		{"src/bare.js", `src/bare.js:1:26: Could not resolve "events": the hint for events`},
	} {
		_, err := Build(Options{Entry: tc.entry, Dir: filepath.Join("testdata", "builtins"), Builtins: refuse,
			BuiltinHint: func(spec string) string { return "the hint for " + spec }})
		var be *Error
		if !errors.As(err, &be) || len(be.Messages) == 0 {
			t.Fatalf("%s: Build = %v; want a build error", tc.entry, err)
		}
		if got := be.Messages[0].String(); got != tc.want {
			t.Errorf("%s: message = %q, want %q", tc.entry, got, tc.want)
		}
	}
}

// Built-ins the resolver accepts become loads from the isolate's registry,
// by their canonical ids.
func TestBuiltinImportLoadsFromTheRegistry(t *testing.T) {
	accept := func(spec string) (string, bool, error) {
		switch spec {
		case "node:buffer", "cloudflare:sockets":
			return spec, true, nil
		}
		return "", false, nil
	}
	res, err := Build(Options{Entry: "src/index.js", Dir: filepath.Join("testdata", "builtins"), Builtins: accept})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`__edgerun_builtin("node:buffer")`, `__edgerun_builtin("cloudflare:sockets")`} {
		if !strings.Contains(res.Code, want) {
			t.Errorf("bundle lacks %s", want)
		}
	}
	if len(res.Inputs) != 1 {
		t.Errorf("inputs = %v; want only the entry (built-ins are no files)", res.Inputs)
	}
}

// The bundle runs in strict mode, as an ES module does on Workers.
func TestBundleIsStrict(t *testing.T) {
	res, err := Build(Options{Entry: "src/strict.js", Dir: filepath.Join("testdata", "builtins")})
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
	def := exports.ToObject(vm).Get("default").ToObject(vm)
	fetch, _ := goja.AssertFunction(def.Get("fetch"))
	v, err := fetch(def)
	if err != nil || !v.ToBoolean() {
		t.Fatalf("fetch() = %v, %v; want true (this is undefined in strict code)", v, err)
	}
}
