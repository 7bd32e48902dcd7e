package modules

import (
	"crypto/x509"
	"embed"
	"errors"
	"fmt"
	"io/fs"
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

// fileOf is the file of an implemented module's id.
func fileOf(id string) string {
	scheme, name, _ := strings.Cut(id, ":")
	return "js/" + scheme + "/" + name + ".js"
}

// factoryHead opens the function each module's file is the body of; it is
// on the file's first line, so that line and column numbers in errors and
// stacks are the file's own (named by the module's id, as workerd's
// frames are).
const factoryHead = "(function (module, exports, require, native, internal) {"

// programs compile each implemented module's factory on its first use in
// the process, not at start: a worker loads a few of the ~70, and a
// process that loads none (no nodejs_compat, no cloudflare: import) pays
// for none.
var programs = func() map[string]func() (*goja.Program, error) {
	m := make(map[string]func() (*goja.Program, error), len(builtins))
	for _, b := range builtins {
		id := b.id
		m[id] = sync.OnceValues(func() (*goja.Program, error) { return compileModule(jsFiles, id) })
	}
	return m
}()

func compileModule(fsys fs.FS, id string) (*goja.Program, error) {
	src, err := fs.ReadFile(fsys, fileOf(id))
	if err != nil {
		return nil, fmt.Errorf("modules: %w", err)
	}
	ast, err := parser.ParseFile(nil, id, factoryHead+string(src)+"\n})", 0)
	if err != nil {
		var list parser.ErrorList
		if errors.As(err, &list) && len(list) > 0 {
			return nil, sourceError(id, list[0].Position.Line, list[0].Position.Column, list[0].Message)
		}
		return nil, fmt.Errorf("modules: %s: %w", fileOf(id), err)
	}
	p, err := goja.CompileAST(ast, false)
	if err != nil {
		var se *goja.CompilerSyntaxError
		if errors.As(err, &se) && se.File != nil {
			pos := se.File.Position(se.Offset)
			return nil, sourceError(id, pos.Line, pos.Column, se.Message)
		}
		return nil, fmt.Errorf("modules: %s: %w", fileOf(id), err)
	}
	return p, nil
}

func sourceError(id string, line, column int, msg string) error {
	if line == 1 {
		column -= len(factoryHead)
	}
	return fmt.Errorf("modules: %s:%d:%d: %s", fileOf(id), line, column, msg)
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
	factory, err := r.factory(id)
	if err != nil {
		delete(r.loaded, id)
		panic(r.iso.NewError(err.Error()))
	}
	if _, err := factory(goja.Undefined(), module, exports, r.moduleRequire, native, r.internal); err != nil {
		delete(r.loaded, id)
		panic(err) // goja rethrows the module's exception to the importer
	}
	return module.Get("exports")
}

// factory is module id's factory in this isolate, made from its program
// (compiled once per process) on first use.
func (r *Registry) factory(id string) (goja.Callable, error) {
	if f, ok := r.factories[id]; ok {
		return f, nil
	}
	prg, err := programs[id]()
	if err != nil {
		return nil, err
	}
	v, err := r.vm.RunProgram(prg)
	if err != nil {
		return nil, fmt.Errorf("modules: %s: %w", id, err)
	}
	f, ok := goja.AssertFunction(v)
	if !ok {
		return nil, fmt.Errorf("modules: %s: the program did not evaluate to a function", id)
	}
	r.factories[id] = f
	return f, nil
}

// Isolate is the isolate the registry belongs to (for natives).
func (r *Registry) Isolate() *isolates.Isolate { return r.iso }
