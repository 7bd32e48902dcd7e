package modules

import (
	"crypto/x509"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"

	"github.com/dop251/goja"
	"github.com/dop251/goja/parser"

	"edgerun/isolates"
)

// builtins are the modules edgerun implements: each is js/<path of its id>.js
// (node:stream/promises is js/node/stream/promises.js) and, when it calls
// into Go, the function that registers its natives. Stubbed modules are in
// stubs.go.
var builtins = []builtin{
	{id: "cloudflare:sockets", natives: socketsNatives},
	{id: "cloudflare:workers", natives: nil},
	{id: "node:assert", natives: errorNatives},
	{id: "node:assert/strict", natives: nil},
	{id: "node:async_hooks", natives: asyncHooksNatives},
	{id: "node:buffer", natives: bufferNatives},
	{id: "node:crypto", natives: cryptoNatives},
	{id: "node:diagnostics_channel", natives: nil},
	{id: "node:events", natives: nil},
	{id: "node:internal/crypto/cipher", natives: cipherNatives},
	{id: "node:internal/crypto/hash", natives: hashNatives},
	{id: "node:internal/crypto/keys", natives: cryptoKeyNatives},
	{id: "node:internal/crypto/util", natives: errorNatives},
	{id: "node:internal/errors", natives: nil},
	{id: "node:internal/streams/destroy", natives: nil},
	{id: "node:internal/streams/duplex", natives: nil},
	{id: "node:internal/streams/end-of-stream", natives: nil},
	{id: "node:internal/streams/from", natives: nil},
	{id: "node:internal/streams/legacy", natives: nil},
	{id: "node:internal/streams/pipeline", natives: nil},
	{id: "node:internal/streams/readable", natives: nil},
	{id: "node:internal/streams/transform", natives: nil},
	{id: "node:internal/streams/utils", natives: nil},
	{id: "node:internal/streams/web", natives: nil},
	{id: "node:internal/streams/writable", natives: nil},
	{id: "node:net", natives: nil},
	{id: "node:path", natives: nil},
	{id: "node:path/posix", natives: nil},
	{id: "node:path/win32", natives: nil},
	{id: "node:process", natives: nil},
	{id: "node:punycode", natives: nil},
	{id: "node:querystring", natives: nil},
	{id: "node:stream", natives: nil},
	{id: "node:stream/consumers", natives: nil},
	{id: "node:stream/promises", natives: nil},
	{id: "node:stream/web", natives: nil},
	{id: "node:string_decoder", natives: errorNatives},
	{id: "node:timers", natives: nil},
	{id: "node:timers/promises", natives: nil},
	{id: "node:tls", natives: nil},
	{id: "node:url", natives: nil},
	{id: "node:util", natives: utilNatives},
	{id: "node:util/types", natives: typesNatives},
	{id: "node:zlib", natives: zlibNatives},
}

// internalPrefix names a module's private parts: js/node/internal/<name>.js
// is node:internal/<name>, which other modules require (a large module split
// into files) and scripts cannot (Resolve knows no such Node module).
const internalPrefix = "node:internal/"

// builtin is one entry of builtins (or a stub).
type builtin struct {
	id      string
	natives func(r *Registry, set NativeSet)
	stub    bool
}

// NativeSet registers one native function of a module under name.
type NativeSet func(name string, fn func(goja.FunctionCall) goja.Value)

// registry is every built-in by id: builtins and stubs.
var registry = func() map[string]*builtin {
	m := make(map[string]*builtin, len(builtins)+len(stubs))
	for i := range builtins {
		m[builtins[i].id] = &builtins[i]
	}
	for id := range stubs {
		if _, dup := m[id]; dup {
			panic("modules: " + id + " is both implemented and stubbed")
		}
		m[id] = &builtin{id: id, stub: true}
	}
	return m
}()

//go:embed js
var jsFiles embed.FS

// programName names the modules' frames in stack traces.
const programName = "edgerun:modules.js"

// fileOf is the file of an implemented module's id.
func fileOf(id string) string {
	scheme, name, _ := strings.Cut(id, ":")
	return "js/" + scheme + "/" + name + ".js"
}

// The program is every implemented module's file as a factory, compiled
// once per process: (function (define) { define(id, function (module,
// exports, require, native, internal) { <file> }); … }).
var programSource, programFiles = assemble(jsFiles)

// program is compiled on first use, not at package init: commands that
// start no isolate (version, build) do not pay for it, and Prepare lets a
// server compile it while it does other start-up work.
var program = sync.OnceValue(func() *goja.Program { return mustCompile(programSource, programFiles) })

// Prepare compiles the modules' program now, in the background: call it
// early in start-up so the first isolate does not wait for the compile.
func Prepare() { go program() }

type sourceFile struct {
	name      string
	firstLine int
}

func assemble(fsys fs.FS) (string, []sourceFile) {
	var b strings.Builder
	b.WriteString("(function (define) {\n")
	line := 2
	ids := make([]string, 0, len(builtins))
	for _, m := range builtins {
		ids = append(ids, m.id)
	}
	sort.Strings(ids)
	var files []sourceFile
	for _, id := range ids {
		src, err := fs.ReadFile(fsys, fileOf(id))
		if err != nil {
			panic("modules: " + err.Error())
		}
		s := string(src)
		if !strings.HasSuffix(s, "\n") {
			s += "\n"
		}
		fmt.Fprintf(&b, "define(%q, function (module, exports, require, native, internal) {\n", id)
		line++
		files = append(files, sourceFile{fileOf(id), line})
		b.WriteString(s)
		line += strings.Count(s, "\n")
		b.WriteString("});\n")
		line++
	}
	b.WriteString("})")
	return b.String(), files
}

func mustCompile(src string, files []sourceFile) *goja.Program {
	ast, err := parser.ParseFile(nil, programName, src, 0)
	if err != nil {
		var list parser.ErrorList
		if errors.As(err, &list) && len(list) > 0 {
			panic(sourceError(files, list[0].Position.Line, list[0].Position.Column, list[0].Message))
		}
		panic(err)
	}
	p, err := goja.CompileAST(ast, false)
	if err != nil {
		var se *goja.CompilerSyntaxError
		if errors.As(err, &se) && se.File != nil {
			pos := se.File.Position(se.Offset)
			panic(sourceError(files, pos.Line, pos.Column, se.Message))
		}
		panic(err)
	}
	return p
}

func sourceError(files []sourceFile, line, column int, msg string) error {
	for i := len(files) - 1; i >= 0; i-- {
		if line >= files[i].firstLine {
			return fmt.Errorf("modules: %s:%d:%d: %s", files[i].name, line-files[i].firstLine+1, column, msg)
		}
	}
	return fmt.Errorf("modules: %s:%d:%d: %s", programName, line, column, msg)
}

// Options configure an isolate's registry.
type Options struct {
	Compat Compat
	// Env is the worker's env object: cloudflare:workers' env, and
	// process.env's source under PopulateProcessEnv.
	Env goja.Value
	// WaitUntil extends the current request's lifetime by a promise, as
	// its ctx.waitUntil does (cloudflare:workers' waitUntil).
	WaitUntil func(p goja.Value) error
	// Inspect formats a value as console.log does (util.inspect).
	Inspect func(v goja.Value) string
	// MaxSocketsPerRequest is how many cloudflare:sockets connections one
	// request may have open at once; more wait, queued, until one closes,
	// as Workers queues a request's connections past its limit. 0 = 6,
	// Workers' limit.
	MaxSocketsPerRequest int
	// TLSRoots are certificate authorities trusted by TLS sockets besides
	// the system's (the managed local PostgreSQL's CA).
	TLSRoots *x509.CertPool
}

// Registry is one isolate's built-in modules: their factories, and the
// ones already loaded.
type Registry struct {
	iso       *isolates.Isolate
	vm        *goja.Runtime
	opts      Options
	factories map[string]goja.Callable
	loaded    map[string]*goja.Object // id → its module object
	require   goja.Value
	// moduleRequire is the require modules get: require's built-ins and
	// their internal files (node:internal/…), which scripts cannot load.
	moduleRequire goja.Value
	internal      *goja.Object
	thrower       goja.Callable // see notImplemented
}

// Install defines the built-in modules in iso (after the Web APIs, which
// they build on, and before the worker's bundle runs).
func Install(iso *isolates.Isolate, opts Options) (*Registry, error) {
	vm := iso.Runtime()
	r := &Registry{iso: iso, vm: vm, opts: opts, factories: make(map[string]goja.Callable, len(builtins)),
		loaded: make(map[string]*goja.Object)}
	v, err := vm.RunProgram(program())
	if err != nil {
		return nil, fmt.Errorf("modules: %w", err)
	}
	run, ok := goja.AssertFunction(v)
	if !ok {
		return nil, errors.New("modules: the program did not evaluate to a function")
	}
	define := func(c goja.FunctionCall) goja.Value {
		f, _ := goja.AssertFunction(c.Argument(1))
		r.factories[c.Argument(0).String()] = f
		return goja.Undefined()
	}
	if _, err := run(goja.Undefined(), vm.ToValue(define)); err != nil {
		return nil, fmt.Errorf("modules: %w", err)
	}
	r.require = vm.ToValue(func(c goja.FunctionCall) goja.Value {
		return r.Require(c.Argument(0).String())
	})
	r.moduleRequire = vm.ToValue(func(c goja.FunctionCall) goja.Value {
		spec := c.Argument(0).String()
		if strings.HasPrefix(spec, internalPrefix) {
			if _, ok := registry[spec]; ok {
				return r.load(spec)
			}
		}
		return r.Require(spec)
	})
	r.internal = r.internals()
	if err := r.installGlobals(); err != nil {
		return nil, fmt.Errorf("modules: %w", err)
	}
	return r, nil
}

// RequireFunc is require(specifier) for the bundle: it loads a built-in by
// a specifier the compatibility mode accepts (esbuild's lowered dynamic
// import() and dynamic require() end here, as do the bundle's own imports of
// built-ins) and throws workerd's "No such module" error otherwise.
func (r *Registry) RequireFunc() goja.Value { return r.require }

// Require returns the exports of the built-in spec names, loading it on
// first use; it panics with a JS error (for goja to throw) when spec names
// none.
func (r *Registry) Require(spec string) goja.Value {
	id, ok, err := Resolve(spec, r.opts.Compat)
	if err == nil && !ok {
		err = &ResolveError{Specifier: spec}
	}
	if err != nil {
		msg := err.Error()
		if !strings.HasPrefix(msg, "No such module") {
			msg = fmt.Sprintf("No such module %q. %s", spec, msg)
		}
		panic(r.iso.NewError(msg))
	}
	return r.load(id)
}

func (r *Registry) load(id string) goja.Value {
	if m, ok := r.loaded[id]; ok {
		return m.Get("exports")
	}
	b := registry[id]
	module := r.vm.NewObject()
	r.loaded[id] = module // before the factory runs: a cycle sees the exports so far
	if b.stub {
		_ = module.Set("exports", r.stubExports(id))
		return module.Get("exports")
	}
	exports := r.vm.NewObject()
	_ = module.Set("exports", exports)
	native := r.vm.NewObject()
	if b.natives != nil {
		b.natives(r, func(name string, fn func(goja.FunctionCall) goja.Value) { _ = native.Set(name, fn) })
	}
	if _, err := r.factories[id](goja.Undefined(), module, exports, r.moduleRequire, native, r.internal); err != nil {
		delete(r.loaded, id)
		panic(err) // goja rethrows the module's exception to the importer
	}
	return module.Get("exports")
}

// Isolate is the isolate the registry belongs to (for natives).
func (r *Registry) Isolate() *isolates.Isolate { return r.iso }
