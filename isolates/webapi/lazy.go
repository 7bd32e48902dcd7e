package webapi

import (
	"bytes"
	"fmt"
	"io/fs"
	"strings"
	"sync"

	"github.com/dop251/goja"
)

// lazyPrograms compiles each of lazyAPIs once per process, on first use.
var lazyPrograms = func() map[string]func() (*goja.Program, error) {
	m := make(map[string]func() (*goja.Program, error), len(lazyAPIs))
	for _, api := range lazyAPIs {
		m[api.name] = sync.OnceValues(func() (*goja.Program, error) {
			return compilePrelude(assembleLazy(jsFiles, api))
		})
	}
	return m
}()

// assembleLazy concatenates api's files into one script that evaluates to
// function (native, global, scope): scope holds api.imports (the prelude's
// declarations, which a separately compiled program cannot see), and the
// files run in a function of their own, so that their declarations shadow
// the imports as they would shadow nothing in the prelude. It returns
// api.exports. Its frames are named as the prelude's, which CleanStack
// hides.
func assembleLazy(fsys fs.FS, api lazyAPI) (string, []preludeFile) {
	var b strings.Builder
	b.WriteString("(function (native, global, scope) {\n\"use strict\";\nconst { ")
	b.WriteString(strings.Join(api.imports, ", "))
	b.WriteString(" } = scope;\nreturn (function () {\n")
	line := 5
	files := make([]preludeFile, 0, len(api.files))
	for _, f := range api.files {
		src, err := fs.ReadFile(fsys, "js/"+f)
		if err != nil {
			panic("webapi: " + err.Error())
		}
		files = append(files, preludeFile{f, line})
		b.Write(src)
		if !bytes.HasSuffix(src, []byte("\n")) {
			b.WriteByte('\n')
			line++
		}
		line += bytes.Count(src, []byte("\n"))
	}
	b.WriteString("return { " + strings.Join(api.exports, ", ") + " };\n})();\n})")
	return b.String(), files
}

// writeLazyLoader writes the prelude's end: lazyAPI(name), which runs
// api name's program in the isolate (once) and returns its exports, with
// the scope each is given; lazyGlobals, the stubs' accessors; and
// lazyDefine, the define a lazy API gets, which leaves alone a global the
// script has set or deleted before the API ran.
func writeLazyLoader(b *strings.Builder, apis []lazyAPI) {
	b.WriteString(`var lazyLoaded, lazyStubs;
const lazyDescriptor = Object.getOwnPropertyDescriptor;
function lazyAPI(name) {
  const l = lazyLoaded || (lazyLoaded = {});
  return l[name] || (l[name] = native.lazyAPI(name)(native, global, lazyScope(name)));
}
function lazyGlobals(api, names) {
  const stubs = lazyStubs || (lazyStubs = new Map());
  for (const n of names) {
    const get = function () {
      lazyAPI(api);
      const d = lazyDescriptor(global, n);
      return d === undefined || d.get === get ? undefined : global[n];
    };
    stubs.set(n, get);
    defineSlot(global, n, { get, set(v) { define(n, v); }, configurable: true, enumerable: false });
  }
}
function lazyDefine(n, value) {
  const stub = lazyStubs && lazyStubs.get(n);
  if (stub !== undefined) {
    const d = lazyDescriptor(global, n);
    if (d === undefined || d.get !== stub) return;
  }
  define(n, value);
}
function lazyScope(name) {
  switch (name) {
`)
	for _, api := range apis {
		fields := make([]string, len(api.imports))
		for i, n := range api.imports {
			fields[i] = n
			if n == "define" {
				fields[i] = "define: lazyDefine"
			}
		}
		fmt.Fprintf(b, "  case %q: return { %s };\n", api.name, strings.Join(fields, ", "))
	}
	b.WriteString("  }\n}\n")
}

// lazyNeeded is the lazy APIs with a global that script names anywhere
// (as an identifier, in a string or a comment): Install runs them before
// it, so that they are as they would be in the prelude. Others wait for
// their accessor.
func lazyNeeded(script string) []string {
	var names []string
	for _, api := range lazyAPIs {
		for _, g := range api.globals {
			if strings.Contains(script, g) {
				names = append(names, api.name)
				break
			}
		}
	}
	return names
}

// lazyNative is native.lazyAPI: api name's function, compiled on the
// process's first call, run in this isolate.
func (w *Worker) lazyNative(c goja.FunctionCall) goja.Value {
	name := c.Argument(0).String()
	compile, ok := lazyPrograms[name]
	if !ok {
		panic(w.vm.NewTypeError("webapi: no lazy API " + name))
	}
	prg, err := compile()
	if err != nil {
		panic(w.vm.NewGoError(err))
	}
	v, err := w.vm.RunProgram(prg)
	if err != nil {
		if ex, ok := err.(*goja.Exception); ok {
			panic(ex.Value())
		}
		panic(w.vm.NewGoError(fmt.Errorf("webapi: %s: %w", name, err)))
	}
	return v
}
