package bundle

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// A script goja rejects is a *Error at file:line:col, never a panic: the
// original source's position when the bundle maps there.
func TestCompileErrorsNamePositions(t *testing.T) {
	for _, tc := range []struct {
		name, script string
		want         string // the message's start: file:line:col: text
	}{
		{"parse error", "var pre = 0;\na = 1 +;", "worker.js:2:8: Unexpected token ;"},
		{"unexpected end", "var pre = 0;\n`unterminated", "worker.js:2:14: Unexpected end of input"},
		{"import() with a variable", "var m;\nasync function f(n) { m = await import(n) }",
			"worker.js:2:33: Unexpected reserved word: import() with a computed specifier is not supported"},
		{"duplicate declaration", "let a; let a;", "worker.js:1:12: Identifier 'a' has already been declared"},
		{"undefined label", "for (const x of [1]) { break nowhere; }", "worker.js:1:24: Undefined label 'nowhere'"},
		{"two constructors", "class A { constructor() {} constructor() {} }", "worker.js:1:28: A class may only have one constructor"},
		{"invalid assignment", "\n\n1 = 2", "worker.js:3:1: Invalid left-hand side in assignment"},
		{"const without value", "const c;", "worker.js:1:7: Missing initializer in const declaration"},
		{"bad source map", "x +;\n//# sourceMappingURL=data:application/json;base64,!!!", "worker.js:1:4: Unexpected token ;"},
		{"a map naming a file", "x +;\n//# sourceMappingURL=/etc/passwd", "worker.js:1:4: Unexpected token ;"},
		{"no position known", "new.target", "worker.js: new.target expression is not allowed here"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			prg, err := Compile("worker.js", tc.script)
			var be *Error
			if prg != nil || !errors.As(err, &be) || len(be.Messages) != 1 {
				t.Fatalf("Compile = %v, %v; want one *Error", prg, err)
			}
			if got := be.Messages[0].String(); !strings.HasPrefix(got, tc.want) {
				t.Fatalf("message = %q, want %q…", got, tc.want)
			}
		})
	}
}

// A goja parse error in a bundle names the original file, line and column
// through the bundle's source map. The bundle is the dynamic-import
// fixture's with its lowered computed import() put back as import(), the
// one construct esbuild emitted (before lowering) that goja cannot parse.
func TestCompileErrorMapsToTheSource(t *testing.T) {
	res, err := Build(Options{Entry: "src/index.ts", Dir: filepath.Join("testdata", "dynamic-import")})
	if err != nil {
		t.Fatal(err)
	}
	const lowered = "Promise.resolve().then(() => __toESM(__require(name)))"
	if !strings.Contains(res.Code, lowered) {
		t.Fatalf("the bundle does not lower import(name) as expected:\n%s", res.Code)
	}
	code := strings.Replace(res.Code, lowered, "import(name)", 1)
	_, err = Compile("worker.js", code)
	var be *Error
	if !errors.As(err, &be) || len(be.Messages) != 1 {
		t.Fatalf("Compile = %v; want one *Error", err)
	}
	m := be.Messages[0]
	if m.File != filepath.ToSlash(filepath.Join("src", "index.ts")) || m.Line != 8 ||
		!strings.Contains(m.Text, "import() with a computed specifier is not supported") ||
		!strings.Contains(m.Text, "in the bundle)") {
		t.Fatalf("message = %+v", m)
	}
	if !strings.HasPrefix(err.Error(), "build failed: src/index.ts:8:") {
		t.Fatalf("error = %q", err)
	}
}

// Whatever the script, Compile returns a program or a *Error that names
// the script (with a position when goja gave one), and never panics.
func FuzzCompile(f *testing.F) {
	for _, s := range []string{"", "1", "a = 1 +;", "import(x)", "new.target", "class A { set = 1 }", "`${", "/*", "x\n//# sourceMappingURL=data:application/json;base64,e30="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, script string) {
		prg, err := Compile("worker.js", script)
		if err == nil {
			if prg == nil {
				t.Fatal("no program and no error")
			}
			return
		}
		var be *Error
		if !errors.As(err, &be) || len(be.Messages) == 0 || be.Messages[0].File == "" || be.Messages[0].Text == "" {
			t.Fatalf("Compile(%q) = %#v; want a *Error naming the file", script, err)
		}
		if m := be.Messages[0]; m.Line < 0 || m.Column < 0 || m.Line > 0 && m.Column == 0 {
			t.Fatalf("Compile(%q): position %d:%d", script, m.Line, m.Column)
		}
	})
}
