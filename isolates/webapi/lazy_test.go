package webapi

import (
	"io/fs"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"edgerun/isolates"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"
)

// jsNames parses one js/ file: the names it declares at top level and
// every identifier it mentions other than as a property after a dot (an
// over-approximation of what it reads: a shadowing local counts too).
func jsNames(t *testing.T, file string) (top, used map[string]bool) {
	t.Helper()
	src, err := fs.ReadFile(jsFiles, "js/"+file)
	if err != nil {
		t.Fatal(err)
	}
	prg, err := parser.ParseFile(nil, file, string(src), 0)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	top, used = map[string]bool{}, map[string]bool{}
	collect := func(into map[string]bool, node any) {
		walkIdentifiers(reflect.ValueOf(node), func(name string) { into[name] = true })
	}
	for _, st := range prg.Body {
		switch st := st.(type) {
		case *ast.VariableStatement:
			for _, b := range st.List {
				collect(top, b.Target)
			}
		case *ast.LexicalDeclaration:
			for _, b := range st.List {
				collect(top, b.Target)
			}
		case *ast.FunctionDeclaration:
			top[st.Function.Name.Name.String()] = true
		case *ast.ClassDeclaration:
			top[st.Class.Name.Name.String()] = true
		}
	}
	collect(used, prg.Body)
	return top, used
}

var (
	identifierType = reflect.TypeOf(ast.Identifier{})
	dotType        = reflect.TypeOf(ast.DotExpression{})
)

// walkIdentifiers calls fn with the name of every ast.Identifier under v,
// except a DotExpression's property name.
func walkIdentifiers(v reflect.Value, fn func(string)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkIdentifiers(v.Elem(), fn)
		}
	case reflect.Slice:
		for i := range v.Len() {
			walkIdentifiers(v.Index(i), fn)
		}
	case reflect.Struct:
		if v.Type() == identifierType {
			fn(v.Interface().(ast.Identifier).Name.String())
			return
		}
		for i := range v.NumField() {
			if v.Type() == dotType && v.Type().Field(i).Name == "Identifier" {
				continue
			}
			if v.Type().Field(i).IsExported() {
				walkIdentifiers(v.Field(i), fn)
			}
		}
	}
}

// A lazy API's files are compiled apart from the prelude, so every
// prelude declaration they use must be passed in (imports), and the
// prelude cannot see their declarations but through lazyAPI(name).exports.
// A missing import would be a ReferenceError (or worse, a global of the
// same name) only when the line runs; this finds it from the source.
func TestLazyAPIsImportWhatTheyUse(t *testing.T) {
	core := map[string]string{} // prelude top-level name → its file
	coreUsed := map[string][]string{}
	for _, api := range webAPIs {
		top, used := jsNames(t, api.file)
		for n := range top {
			core[n] = api.file
		}
		for n := range used {
			coreUsed[n] = append(coreUsed[n], api.file)
		}
	}
	for _, api := range lazyAPIs {
		own, used := map[string]bool{}, map[string]bool{}
		for _, f := range api.files {
			top, u := jsNames(t, f)
			for n := range top {
				own[n] = true
			}
			for n := range u {
				used[n] = true
			}
		}
		var missing []string
		for n := range used {
			if _, inCore := core[n]; inCore && !own[n] && !slices.Contains(api.imports, n) {
				missing = append(missing, n+" ("+core[n]+")")
			}
		}
		sort.Strings(missing)
		if len(missing) > 0 {
			t.Errorf("lazy API %s uses the prelude's %v: add them to its imports", api.name, missing)
		}
		for _, n := range api.imports {
			if _, ok := core[n]; !ok {
				t.Errorf("lazy API %s imports %s, which the prelude does not declare", api.name, n)
			} else if !used[n] {
				t.Errorf("lazy API %s imports %s, which its files do not use", api.name, n)
			}
		}
		for _, n := range api.exports {
			if !own[n] {
				t.Errorf("lazy API %s exports %s, which its files do not declare", api.name, n)
			}
		}
		for n := range own {
			if _, shadowed := core[n]; !shadowed && len(coreUsed[n]) > 0 {
				t.Errorf("%v use %s, declared by lazy API %s, which they cannot see: export it and use lazyAPI(%q).%s", coreUsed[n], n, api.name, api.name, n)
			}
		}
	}
}

// newLazyTestWorker is newTestWorker with the rarely used APIs that
// script names set up at Install, as the runtime does for its bundle.
func newLazyTestWorker(t *testing.T, script string) *isolates.Isolate {
	t.Helper()
	iso, err := isolates.New(isolates.Options{Setup: func(iso *isolates.Isolate) error {
		_, err := Install(iso, Options{Uses: ScanScript(script)})
		return err
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { iso.Retire(nil); <-iso.Done() })
	return iso
}

func runJS(t *testing.T, iso *isolates.Isolate, script string) string {
	t.Helper()
	var out string
	err := iso.Do(func() error {
		v, err := iso.Runtime().RunString(script)
		if err == nil {
			out = v.String()
		}
		return err
	})
	if err != nil {
		t.Fatalf("%s: %v", script, err)
	}
	return out
}

// describe is a global's descriptor as a string, and what it is.
const describe = `const describe = (n) => {
  const d = Object.getOwnPropertyDescriptor(globalThis, n);
  const kind = "value" in d ? "data:" + typeof d.value : "accessor:" + typeof d.get + "/" + typeof d.set;
  return n + " " + kind + " w=" + d.writable + " e=" + d.enumerable + " c=" + d.configurable;
};
`

// The lazily set up globals look as they did when the prelude made them:
// a script that names one sees the same descriptor (a data property,
// writable, configurable, not enumerable) before it first uses it, and
// the same object after; Intl and URLPattern stay accessors until first
// reached, as they were.
func TestLazyGlobalsKeepTheirDescriptors(t *testing.T) {
	script := describe + `[
  describe("HTMLRewriter"), describe("WebAssembly"), describe("Intl"), describe("URLPattern"),
  typeof HTMLRewriter, typeof WebAssembly, String(globalThis.HTMLRewriter === HTMLRewriter),
  String(new HTMLRewriter() instanceof HTMLRewriter), Object.prototype.toString.call(WebAssembly),
  String(typeof WebAssembly.Module), String(Object.keys(globalThis).includes("HTMLRewriter")),
  typeof Intl, describe("Intl"), typeof URLPattern, describe("URLPattern"),
].join("\n")`
	want := strings.Join([]string{
		"HTMLRewriter data:function w=true e=false c=true",
		"WebAssembly data:object w=true e=false c=true",
		"Intl accessor:function/function w=undefined e=false c=true",
		"URLPattern accessor:function/function w=undefined e=false c=true",
		"function", "object", "true", "true", "[object WebAssembly]", "function", "false",
		"object", "Intl data:object w=true e=false c=true",
		"function", "URLPattern data:function w=true e=false c=true",
	}, "\n")
	if got := runJS(t, newLazyTestWorker(t, script), script); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// A script that reaches a global without naming it (a computed name)
// finds it set up on first use, with the same identity from then on; one
// that sets or deletes it first keeps what it did.
func TestLazyGlobalsWithoutTheirNames(t *testing.T) {
	for _, tc := range []struct{ name, script, want string }{
		{"computed", describe + `const n = "HTML" + "Rewrit" + "er";
const before = describe(n), a = globalThis[n], b = globalThis[n];
[before, describe(n), String(a === b), typeof a, String(new a() instanceof a), String(n in globalThis)].join("\n")`,
			"HTMLRewriter accessor:function/function w=undefined e=false c=true\nHTMLRewriter data:function w=true e=false c=true\ntrue\nfunction\ntrue\ntrue"},
		{"set first", `const n = "Web" + "Assembly"; globalThis[n] = 7; String(globalThis[n])`, "7"},
		{"deleted first", `const n = "Web" + "Assembly"; delete globalThis[n]; String(n in globalThis) + " " + typeof globalThis[n]`, "false undefined"},
		{"getter kept", describe + `const n = "Web" + "Assembly", get = Object.getOwnPropertyDescriptor(globalThis, n).get;
const w = get(); [String(w === globalThis[n]), describe(n), String(get() === w)].join(" ")`,
			"true WebAssembly data:object w=true e=false c=true true"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := runJS(t, newLazyTestWorker(t, tc.script), tc.script); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}
