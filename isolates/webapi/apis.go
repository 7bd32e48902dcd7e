package webapi

import "github.com/dop251/goja"

// webAPIs is the registration list: the Web APIs an isolate gets, in the
// order their files run. Each is a file under js/ and, when it calls into
// Go, the function of its Go file that registers its natives (fetch.go
// registers fetch.js's). A file may use what the files before it declare
// while it runs (internal.js comes first), so a new API goes after what it
// builds on: one new file (JS, with a Go file for its natives) and one line
// here.
var webAPIs = []webAPI{
	{"internal.js", nil},
	{"legacy.js", nil},
	{"date.js", (*Worker).dateNatives},
	{"builtins.js", (*Worker).builtinsNatives},
	{"dom-exception.js", nil},
	{"events.js", nil},
	{"abort.js", nil},
	{"performance.js", nil},
	{"encoding.js", (*Worker).encodingNatives},
	{"crypto-key.js", nil},
	{"crypto-subtle.js", (*Worker).subtleNatives},
	{"crypto.js", (*Worker).cryptoNatives},
	{"console.js", (*Worker).consoleNatives},
	{"intl.js", (*Worker).intlNatives},
	{"microtask.js", nil},
	{"structured-clone.js", nil},
	{"urlpattern-regexp.js", nil},
	{"urlpattern.js", (*Worker).urlpatternNatives},
	{"events-wintertc.js", nil},
	{"headers.js", nil},
	{"blob.js", nil},
	{"formdata.js", (*Worker).formDataNatives},
	{"queuing-strategies.js", nil},
	{"streams-readable.js", nil},
	{"streams-bytes.js", (*Worker).streamsNatives},
	{"streams-writable.js", nil},
	{"crypto-digest-stream.js", (*Worker).digestStreamNatives},
	{"streams-transform.js", nil},
	{"streams-pipe.js", nil},
	{"encoding-streams.js", nil},
	{"compression.js", (*Worker).compressionNatives},
	{"body.js", nil},
	{"request.js", nil},
	{"response.js", nil},
	{"fetch.js", (*Worker).fetchNatives},
	{"websocket.js", (*Worker).websocketNatives},
	{"cache.js", (*Worker).cacheNatives},
	{"html-rewriter.js", (*Worker).htmlRewriterNatives},
	{"wasm.js", (*Worker).wasmNatives},
	{"dispatch.js", (*Worker).dispatchNatives},
}

// webAPI is one entry of webAPIs.
type webAPI struct {
	file string // under js/
	// natives registers what file calls as native.*; nil when it calls
	// no Go.
	natives func(w *Worker, set nativeSet)
}

// nativeSet registers one native function under name.
type nativeSet func(name string, fn func(goja.FunctionCall) goja.Value)
