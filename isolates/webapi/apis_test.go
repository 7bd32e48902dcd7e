package webapi

import (
	"errors"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dop251/goja"
)

// Every file under js/ is registered in webAPIs, once.
func TestEveryJSFileIsRegistered(t *testing.T) {
	embedded, err := fs.Glob(jsFiles, "js/*.js")
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, api := range webAPIs {
		if slices.Contains(listed, "js/"+api.file) {
			t.Errorf("%s is registered twice", api.file)
		}
		listed = append(listed, "js/"+api.file)
	}
	for _, api := range lazyAPIs {
		for _, f := range api.files {
			if slices.Contains(listed, "js/"+f) {
				t.Errorf("%s is registered twice", f)
			}
			listed = append(listed, "js/"+f)
		}
	}
	for _, f := range embedded {
		if !slices.Contains(listed, f) {
			t.Errorf("%s is not in webAPIs or lazyAPIs (apis.go): it never runs", f)
		}
	}
	if webAPIs[0].file != "internal.js" {
		t.Errorf("the first file is %s, want internal.js (the others use it)", webAPIs[0].file)
	}
}

// allJSFiles are webAPIs' files and lazyAPIs'.
func allJSFiles() []string {
	var files []string
	for _, api := range webAPIs {
		files = append(files, api.file)
	}
	for _, api := range lazyAPIs {
		files = append(files, api.files...)
	}
	return files
}

var nativeUse = regexp.MustCompile(`\bnative\.(\w+)`)

// Each native is registered once, by the Go file of an API whose
// JavaScript calls it, and every native.* the prelude calls exists.
func TestNativesRegisteredByTheirAPI(t *testing.T) {
	_, w := newTestWorker(t, nil)
	owner := map[string]string{}
	for _, api := range webAPIs {
		if api.natives == nil {
			continue
		}
		api.natives(w, func(name string, _ func(goja.FunctionCall) goja.Value) {
			if prev, ok := owner[name]; ok {
				t.Errorf("native %s registered by %s and %s", name, prev, api.file)
			}
			owner[name] = api.file
		})
	}
	used := map[string]bool{}
	for _, file := range allJSFiles() {
		src, err := fs.ReadFile(jsFiles, "js/"+file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range nativeUse.FindAllStringSubmatch(string(src), -1) {
			used[m[1]] = true
			if _, ok := owner[m[1]]; !ok {
				t.Errorf("%s calls native.%s, which no API registers", file, m[1])
			}
		}
	}
	for name, file := range owner {
		if !used[name] {
			t.Errorf("native %s (registered for %s) is never called", name, file)
		}
	}
}

// A syntax error in one file names that file and its line, not the
// assembled prelude's.
func TestPreludeErrorNamesFileAndLine(t *testing.T) {
	fsys := fstest.MapFS{
		"js/a.js":   {Data: []byte("// a\nconst a = 1;\n")},
		"js/b.js":   {Data: []byte("// b\n\nconst b = (;\n")},
		"js/dup.js": {Data: []byte("let a = 2;\n")},
	}
	for _, tc := range []struct {
		files []string
		want  string
	}{
		{[]string{"a.js", "b.js"}, "js/b.js:3:"},     // a parse error
		{[]string{"a.js", "dup.js"}, "js/dup.js:1:"}, // found by the compiler
	} {
		var apis []webAPI
		for _, f := range tc.files {
			apis = append(apis, webAPI{file: f})
		}
		src, files := assemblePrelude(fsys, apis, nil)
		_, err := compilePrelude(src, files)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want one naming %s", tc.files, err, tc.want)
		}
	}
	if _, err := compilePrelude(preludeSource()); err != nil {
		t.Fatal(err)
	}
}

// An exception thrown inside the prelude has frames in it, which the
// offset table maps to the right file, and which CleanStack hides.
func TestPreludeFramesMapAndHide(t *testing.T) {
	iso, _ := newTestWorker(t, nil)
	var stack string
	err := iso.Do(func() error {
		_, err := iso.Runtime().RunString(`new Headers().append("bad name", "x")`)
		var ex *goja.Exception
		if !errors.As(err, &ex) {
			t.Fatalf("no exception: %v", err)
		}
		stack = ex.Value().ToObject(iso.Runtime()).Get("stack").String()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(regexp.QuoteMeta(preludeName) + `:(\d+):`).FindStringSubmatch(stack)
	if m == nil {
		t.Fatalf("no prelude frame in %q", stack)
	}
	line := 0
	for _, c := range m[1] {
		line = line*10 + int(c-'0')
	}
	_, files := preludeSource()
	if file, _ := preludeLine(files, line); file != "headers.js" {
		t.Errorf("frame %s maps to %s, want headers.js (stack %q)", m[0], file, stack)
	}
	if clean := CleanStack(stack); strings.Contains(clean, "prelude") || !strings.Contains(clean, "Invalid header name") {
		t.Errorf("CleanStack(%q) = %q", stack, clean)
	}
}

// The prelude's files share one function scope, where a second top-level
// function (or var) of the same name silently replaces the first: every
// caller in the other file then runs the wrong code. let, const and class
// clashes already fail the compile.
func TestPreludeFilesDeclareDistinctFunctions(t *testing.T) {
	decl := regexp.MustCompile(`(?m)^(?:async\s+)?(?:function\*?\s+([A-Za-z_$][\w$]*)|var\s+([A-Za-z_$][\w$]*))`)
	owner := map[string]string{}
	for _, file := range allJSFiles() {
		src, err := fs.ReadFile(jsFiles, "js/"+file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range decl.FindAllStringSubmatch(string(src), -1) {
			name := m[1] + m[2]
			if prev, ok := owner[name]; ok && prev != file {
				t.Errorf("%s and %s both declare %s at top level", prev, file, name)
			}
			owner[name] = file
		}
	}
}
