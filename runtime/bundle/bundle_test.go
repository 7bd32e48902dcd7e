package bundle

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dop251/goja"
)

func TestBuildTypeScriptWithImportsPackagesDefineAndAlias(t *testing.T) {
	dir := filepath.Join("testdata", "app")
	res, err := Build(Options{
		Entry:  "src/index.ts",
		Dir:    dir,
		Define: map[string]string{"BUILD_FLAVOR": `"test"`},
		Alias:  map[string]string{"@alias/shout": "./src/shout.ts"},
	})
	if err != nil {
		t.Fatal(err)
	}
	// The inline source map must be the last line, or goja ignores it.
	lines := strings.Split(strings.TrimRight(res.Code, "\n"), "\n")
	if !strings.HasPrefix(lines[len(lines)-1], "//# sourceMappingURL=data:application/json;base64,") {
		t.Fatalf("last line is not the source map: %.80s", lines[len(lines)-1])
	}
	var rel []string
	for _, in := range res.Inputs {
		r, _ := filepath.Rel(mustAbs(t, dir), in)
		rel = append(rel, filepath.ToSlash(r))
	}
	want := "node_modules/tiny-greet/esm.js src/index.ts src/shout.ts src/util.ts"
	if got := strings.Join(rel, " "); got != want {
		t.Fatalf("inputs = %s, want %s", got, want)
	}
	prg, err := Compile("worker.js", res.Code)
	if err != nil {
		t.Fatal(err)
	}
	vm := goja.New()
	exportsVal, err := Run(vm, prg, nil)
	if err != nil {
		t.Fatal(err)
	}
	exports := exportsVal.ToObject(vm)
	fetch, ok := goja.AssertFunction(exports.Get("default").ToObject(vm).Get("fetch"))
	if !ok {
		t.Fatal("default.fetch is not a function")
	}
	out, err := fetch(exports.Get("default"))
	if err != nil {
		t.Fatal(err)
	}
	// The package's "module" entry is used (not "main"); define and alias apply.
	if got := out.String(); got != "HELLO EDGE 42 test" {
		t.Fatalf("fetch() = %q", got)
	}
	if n := exports.Get("named").ToInteger(); n != 7 {
		t.Fatalf("named export = %d", n)
	}
}

func TestBuildErrorNamesFileLineColumn(t *testing.T) {
	_, err := Build(Options{Entry: "index.ts", Dir: filepath.Join("testdata", "broken")})
	var be *Error
	if !errors.As(err, &be) {
		t.Fatalf("error = %v, want *bundle.Error", err)
	}
	m := be.Messages[0]
	if m.File != "index.ts" || m.Line != 4 || m.Column != 16 || !strings.Contains(m.Text, `Unexpected ";"`) {
		t.Fatalf("message = %+v", m)
	}
	// The offending line is quoted (indented) with a caret under the column.
	if !strings.Contains(err.Error(), "index.ts:4:16: Unexpected \";\"\n        return ok +;\n                   ^") {
		t.Fatalf("formatted error:\n%s", err)
	}
}

func TestBuildMissingEntry(t *testing.T) {
	_, err := Build(Options{Entry: "nope.ts", Dir: "testdata"})
	if err == nil || !strings.Contains(err.Error(), "entry point nope.ts: no such file") {
		t.Fatalf("error = %v", err)
	}
}

func TestLoweringForGoja(t *testing.T) {
	// Syntax goja cannot run must come out lowered (async generators, for
	// await); class fields stay native, private ones included (lowered,
	// they become WeakMaps, which are slow in goja), and the field names
	// goja misreads are quoted at compile time.
	cases := []struct {
		name, src string
		want      int64
		absent    []string // in the bundle
	}{
		{"async generator and for await", `async function* gen() { yield 1; yield 2; }
export default { async fetch() { let s = 0; for await (const v of gen()) s += v; return s; } };`, 3, nil},
		{"public and static fields", `class A { n = 4; static m = 5 }
export default { async fetch() { return new A().n + A.m; } };`, 9, []string{"__publicField", "__defNormalProp"}},
		{"private fields and methods", `class A { #p = 3; static #q = 4; #twice() { return 2 * this.#p } get p() { return this.#twice() + A.#q } }
export default { async fetch() { return new A().p; } };`, 10, []string{"WeakMap", "__privateAdd", "__privateGet"}},
		{"fields named set, get and async", `class A { set = 1; get = 2; async = 3; static set = 4 }
export default { async fetch() { const a = new A(); return a.set + a.get + a.async + A.set; } };`, 10, []string{"__publicField"}},
		{"arrow field named set", `class C { set = (v) => { this.v = v; return this } ; get = () => this.v }
export default { async fetch() { return new C().set(7).get(); } };`, 7, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "w.js"), tc.src)
			res, err := Build(Options{Entry: "w.js", Dir: dir})
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range tc.absent {
				if strings.Contains(res.Code, a) {
					t.Errorf("the bundle still has %s: class fields were lowered", a)
				}
			}
			prg, err := Compile("worker.js", res.Code)
			if err != nil {
				t.Fatalf("goja cannot compile the bundle: %v", err)
			}
			vm := goja.New()
			exports, err := Run(vm, prg, nil)
			if err != nil {
				t.Fatal(err)
			}
			_ = vm.Set("exports", exports)
			_ = vm.Set("done", func(v int64) { vm.Set("result", v) })
			if _, err := vm.RunString(`exports.default.fetch().then(done)`); err != nil {
				t.Fatal(err)
			}
			if got := vm.Get("result"); got == nil || got.ToInteger() != tc.want {
				t.Fatalf("the bundle computed %v, want %d", got, tc.want)
			}
		})
	}
}
