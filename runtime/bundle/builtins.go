package bundle

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dop251/goja"
	"github.com/evanw/esbuild/pkg/api"
)

// The bundle is the body of a strict function (an ES module is strict, and
// wrangler's ESM bundle makes the packages in it strict too) that the
// isolate calls with the built-in modules' loader: (function (require,
// __edgerun_builtin) { "use strict"; <IIFE>; return <GlobalName>; }). Its imports of built-ins call __edgerun_builtin(id);
// esbuild's __require shim (dynamic require(), and the import() it lowers
// when the specifier is computed) finds require and calls it, so a computed
// specifier resolves at run time to a built-in or is refused there, as
// workerd refuses an unknown module. The exports never become a global.
const (
	wrapperHead = "(function (require, __edgerun_builtin) { \"use strict\";"
	wrapperTail = "return " + GlobalName + "; })"
)

// builtinNamespace is esbuild's namespace for the stand-ins of built-in
// modules.
const builtinNamespace = "edgerun-builtin"

// Resolver says whether an import specifier names a built-in module: its id
// when it does (ok), an error with a hint when it names one the project's
// compatibility settings do not provide, and ok false for the rest, which
// esbuild resolves (files and packages).
type Resolver func(spec string) (id string, ok bool, err error)

// Hinter adds advice to esbuild's "Could not resolve" for a bare name
// (say, "events" without nodejs_compat): "" for none.
type Hinter func(spec string) string

// builtinsPlugin resolves built-in specifiers to stand-in modules that load
// them from the isolate's registry.
func builtinsPlugin(resolve Resolver, hint Hinter) api.Plugin {
	return api.Plugin{
		Name: "edgerun-builtins",
		Setup: func(b api.PluginBuild) {
			b.OnResolve(api.OnResolveOptions{Filter: `^(node:|cloudflare:|workerd:|[a-z_0-9]+(/[a-z_]+)?$)`},
				func(args api.OnResolveArgs) (api.OnResolveResult, error) {
					if args.Kind == api.ResolveEntryPoint || args.PluginData == resolvingBare {
						return api.OnResolveResult{}, nil
					}
					id, ok, err := resolve(args.Path)
					if err != nil {
						return api.OnResolveResult{Errors: []api.Message{{Text: fmt.Sprintf("Could not resolve %q", args.Path),
							Notes: []api.Note{{Text: err.Error()}}}}}, nil
					}
					if ok {
						return api.OnResolveResult{Path: id, Namespace: builtinNamespace}, nil
					}
					if hint == nil || strings.HasPrefix(args.Path, "node:") || strings.Contains(args.Path, ":") {
						return api.OnResolveResult{}, nil
					}
					h := hint(args.Path)
					if h == "" {
						return api.OnResolveResult{}, nil
					}
					// A bare built-in name the mode does not take over: an npm
					// package of that name (the "events" polyfill) is fine; if
					// there is none, say what to add.
					r := b.Resolve(args.Path, api.ResolveOptions{Importer: args.Importer, ResolveDir: args.ResolveDir,
						Kind: args.Kind, Namespace: args.Namespace, PluginData: resolvingBare})
					if len(r.Errors) == 0 {
						return api.OnResolveResult{}, nil
					}
					return api.OnResolveResult{Errors: []api.Message{{Text: fmt.Sprintf("Could not resolve %q", args.Path),
						Notes: []api.Note{{Text: h}}}}}, nil
				})
			b.OnLoad(api.OnLoadOptions{Filter: `.*`, Namespace: builtinNamespace},
				func(args api.OnLoadArgs) (api.OnLoadResult, error) {
					contents := "module.exports = __edgerun_builtin(" + strconv.Quote(args.Path) + ");\n"
					return api.OnLoadResult{Contents: &contents, Loader: api.LoaderJS}, nil
				})
		},
	}
}

// resolvingBare marks the plugin's own lookup of a bare name, so that it
// does not answer itself.
var resolvingBare = new(int)

// Run runs a compiled bundle in vm and returns its module exports; require
// is the isolate's built-in module loader (see the wrapper above).
func Run(vm *goja.Runtime, prg *goja.Program, require goja.Value) (goja.Value, error) {
	v, err := vm.RunProgram(prg)
	if err != nil {
		return nil, err
	}
	fn, ok := goja.AssertFunction(v)
	if !ok {
		return nil, fmt.Errorf("bundle: the script did not evaluate to its wrapper function")
	}
	if require == nil {
		require = goja.Undefined()
	}
	return fn(goja.Undefined(), require, require)
}
