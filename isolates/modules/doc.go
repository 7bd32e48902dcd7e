// Package modules holds the built-in modules a worker imports: `node:*`
// (under nodejs_compat) and `cloudflare:*` (sockets, workers), as workerd
// provides them.
//
// A built-in module is resolved at bundle time, not fetched or installed:
// the bundler (runtime/bundle) asks [Resolve] whether a specifier names one
// under the project's [Compat] and, if so, replaces the import with a call
// into the isolate's registry. Each module's file is compiled, once per
// process, the first time any isolate requires it, and its factory runs
// the first time the module is required in an isolate, so a process pays
// only for the modules its script uses (start-up compiles none for a
// worker that imports none).
// The same registry answers a dynamic import() whose specifier is computed
// at run time (esbuild lowers import() to the bundle's require).
//
// One file per module: js/node/<name>.js is `node:<name>` (js/node/stream/
// promises.js is `node:stream/promises`), js/cloudflare/<name>.js is
// `cloudflare:<name>`. A file is the body of
//
//	function (module, exports, require, native, internal) { … }
//
// as a CommonJS module: require loads other built-ins, native holds the Go
// functions its Go file registers (node_<name>.go: heavy work such as
// encodings, hashes and I/O), internal the host hooks shared by all modules
// (see internal.go). Adding a module is its file, its Go file when it has
// natives, and one line in builtins (registry.go). Modules Workers only
// stubs (fs, child_process, …) are listed in stubs.go: their functions
// throw unenv's "not implemented" error when called, as under wrangler.
// A large module may keep private parts in js/node/internal/<name>.js
// (node:internal/<name>, listed in builtins like a module): modules require
// them, scripts cannot.
//
// Which names resolve follows workerd's compatibility modes (see
// [CompatFor]): none without a flag; `node:` names only under nodejs_compat
// before 2024-09-23 (v1); bare names too, with the stubs and the Buffer and
// process globals, under v2.
package modules
