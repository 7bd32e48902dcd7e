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
	// Syntax goja cannot run must come out lowered: async generators,
	// for await, class fields (goja mis-parses `class A { set = 1 }`).
	dir := t.TempDir()
	src := `class A { set = 1; static n = 2; #p = 3; get p() { return this.#p } }
async function* gen() { yield 1; yield 2; }
export default { async fetch() { let s = 0; for await (const v of gen()) s += v; const a = new A(); return s + a.set + A.n + a.p; } };`
	writeFile(t, filepath.Join(dir, "w.js"), src)
	res, err := Build(Options{Entry: "w.js", Dir: dir})
	if err != nil {
		t.Fatal(err)
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
	if got := vm.Get("result"); got == nil || got.ToInteger() != 1+2+1+2+3 {
		t.Fatalf("lowered code computed %v", got)
	}
}
