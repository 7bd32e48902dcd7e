// Package bundle turns a worker's entry module (JS or TS, ES modules or a
// service-worker script, with relative imports and node_modules packages)
// into one script goja can run, using esbuild's Go API, and compiles it once
// into a *goja.Program shared by every isolate.
//
// The script is a function, called by [Run] with the isolate's built-in
// module loader, whose IIFE body returns the module's exports (they never
// become a global). It is lowered to what goja supports (see DESIGN.md for the measured gaps), with
// an inline source map as its last line so stack traces name the original
// file, line and column. The same map places what goes wrong before a
// request runs: [Compile]'s syntax errors (goja rejects a few scripts
// esbuild accepts) and [DescribeRunError] for an exception thrown by the
// script's top-level code.
//
// Built-in modules (node:*, cloudflare:*) are not bundled: builtins.go's
// esbuild plugin asks the [Resolver] the runtime passes (isolates/modules'
// rules for the compatibility date and flags) and turns each import into a
// call to the loader; an import() or require() with a computed specifier is
// lowered by esbuild to the same loader, which answers at run time.
package bundle
