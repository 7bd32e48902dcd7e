// Package webapi gives an isolate the Web platform a worker expects —
// Request, Response, Headers, URL, TextEncoder/TextDecoder, atob/btoa,
// console, crypto, structuredClone, queueMicrotask, Blob/FormData, streams,
// fetch, the Cache API, AbortController, events — and the glue that hands a
// host HTTP request to the worker's fetch handler and takes its Response
// back.
//
// One file per Web API, as workerd keeps them: most classes are written in
// JavaScript (js/<api>.js) over a few Go natives for bytes, randomness,
// hashing and I/O, registered by that API's Go file (fetch.go registers
// what js/fetch.js calls as native.fetch). That keeps the spec-shaped logic
// readable and makes a request cheap: headers arrive as one string and are
// split only if the script reads them, and a Response's plain-object headers
// init ({ "content-type": … }) is checked at once but kept as the same flat
// string, handed to the host as is unless the script reads the headers.
//
// The APIs are registered in one ordered list, webAPIs in apis.go. At
// start prelude.go concatenates the files in that order into one program,
// the prelude, compiled once per process and run in every isolate (Install),
// so their number costs nothing per isolate or per request. They share one
// scope: js/internal.js, first, holds what they share (the intrinsics taken
// before any script runs, define, tag, the internal slots several files
// read, flatten). The prelude's frames are named edgerun:prelude.js, which
// CleanStack hides from scripts' stacks; a syntax error names the file and
// line it is in.
//
// The rarely used APIs' files (lazyAPIs in apis.go: Intl's machinery,
// URLPattern, HTMLRewriter, WebAssembly) are left out of the prelude and
// compiled on a process's first use, then run in an isolate when it needs
// them (lazy.go): most workers never use them, and their compile was two
// fifths of the prelude's. A small stub file in webAPIs defines each
// global. Intl and URLPattern were accessors built on first touch already
// and stay so. HTMLRewriter and WebAssembly are data properties made
// before the script runs: Install still makes them so when the script's
// source names them anywhere (ScanScript; Options.Uses), so such a script
// sees what it always did. A script that does not name one (a computed
// name, or getOwnPropertyDescriptors(globalThis)) sees an accessor until
// it first reads it, which then makes the same object, set up after the
// script's top level instead of before it. The files see the prelude's
// declarations they list as imports, passed in explicitly; a global the
// script set or deleted before the API ran is left as the script left it.
//
// Adding a Web API (or a global a node module needs) is one new file,
// js/<api>.js, with <api>.go for its natives when it calls into Go
// (a func (w *Worker) <api>Natives(set nativeSet)), and one line in
// webAPIs, after the files it builds on. TestEveryJSFileIsRegistered and
// TestNativesRegisteredByTheirAPI check the registration.
//
// The host's side of a request: worker.go (Install, Worker.Fetch and
// Scheduled, Abort), dispatch.go (the answers dispatch.js sends back),
// stream_out.go (streamed bodies), response_head.go (the checks on a
// response's head), script_error.go (exceptions as Go errors, CleanStack).
//
// URL and URLSearchParams are the url sub-package's, installed before the
// prelude runs.
package webapi
