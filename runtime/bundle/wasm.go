package bundle

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"

	"github.com/evanw/esbuild/pkg/api"

	"edgerun/isolates/webapi"
)

// wasmPlugin makes `import mod from "./x.wasm"` (and wrangler's
// "./x.wasm?module") a WebAssembly.Module, as wrangler's CompiledWasm rule
// does. The bytes travel in the bundle as base64 text; the isolate
// compiles them once per process (keyed by that text, the same string in
// every isolate) and each isolate instantiates the module itself. The
// module is compiled here too, so a bad one fails the build with its file
// name, and the isolates find it compiled.
func wasmPlugin() api.Plugin {
	return api.Plugin{
		Name: "edgerun-wasm",
		Setup: func(b api.PluginBuild) {
			b.OnResolve(api.OnResolveOptions{Filter: `\.wasm\?module$`},
				func(args api.OnResolveArgs) (api.OnResolveResult, error) {
					r := b.Resolve(strings.TrimSuffix(args.Path, "?module"), api.ResolveOptions{Importer: args.Importer,
						ResolveDir: args.ResolveDir, Kind: args.Kind, Namespace: args.Namespace})
					if len(r.Errors) > 0 {
						return api.OnResolveResult{Errors: r.Errors}, nil
					}
					return api.OnResolveResult{Path: r.Path, Namespace: r.Namespace}, nil
				})
			b.OnLoad(api.OnLoadOptions{Filter: `\.wasm$`},
				func(args api.OnLoadArgs) (api.OnLoadResult, error) {
					bin, err := os.ReadFile(args.Path)
					if err != nil {
						return api.OnLoadResult{}, err
					}
					if err := webapi.WasmValidate(bin); err != nil {
						return api.OnLoadResult{Errors: []api.Message{{Text: "WebAssembly.Module(): " + err.Error(),
							Location: &api.Location{File: args.Path}}}}, nil
					}
					contents := "export default globalThis.WebAssembly[Symbol.for(\"edgerun.wasm.bundled\")](\"" +
						base64.StdEncoding.EncodeToString(bin) + "\");\n"
					return api.OnLoadResult{Contents: &contents, Loader: api.LoaderJS, ResolveDir: filepath.Dir(args.Path)}, nil
				})
		},
	}
}
