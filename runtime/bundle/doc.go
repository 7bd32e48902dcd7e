// Package bundle turns a worker's entry module (JS or TS, ES modules or a
// service-worker script, with relative imports and node_modules packages)
// into one script goja can run, using esbuild's Go API, and compiles it once
// into a *goja.Program shared by every isolate.
//
// The script is an IIFE that assigns the module's exports to [GlobalName],
// lowered to what goja supports (see DESIGN.md for the measured gaps), with
// an inline source map as its last line so stack traces name the original
// file, line and column. The same map places what goes wrong before a
// request runs: [Compile]'s syntax errors (goja rejects a few scripts
// esbuild accepts) and [DescribeRunError] for an exception thrown by the
// script's top-level code.
package bundle
