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
	{"crypto-subtle-algorithms.js", nil},
	{"crypto-subtle-keys.js", nil},
	{"crypto-subtle.js", (*Worker).subtleNatives},
	{"crypto.js", (*Worker).cryptoNatives},
	{"console.js", (*Worker).consoleNatives},
	{"intl.js", (*Worker).intlNatives},
	{"microtask.js", nil},
	{"structured-clone.js", nil},
	{"urlpattern.js", (*Worker).urlpatternNatives},
	{"events-wintertc.js", nil},
	{"headers.js", (*Worker).headersNatives},
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

// lazyAPIs are the files compiled not with the prelude but on a process's
// first use of their API, and run in an isolate the first time it reaches
// them (lazy.go): the rarely used APIs whose compile would otherwise be a
// large part of every start. A file of webAPIs, a stub, defines each one's
// global and calls lazyAPI(name) when a script first reaches it; the files
// see the prelude's declarations listed in imports (passed in, as they are
// compiled apart from the prelude's scope), and the stub sees the names
// listed in exports. TestLazyAPIsImportWhatTheyUse checks the lists.
var lazyAPIs = []lazyAPI{
	{
		name:  "intl",
		files: []string{"intl-impl.js"},
		// format: console.js's, shadowed by locals of the same name (the
		// check reads no scopes), is passed in only to keep it simple.
		imports: []string{"intlNative", "objectCreate", "tag", "format"},
		exports: []string{"buildIntl"},
	},
	{
		name:    "urlpattern",
		files:   []string{"urlpattern-regexp.js", "urlpattern-parser.js", "urlpattern-impl.js"},
		imports: []string{"tag"},
		exports: []string{"upBuild"},
	},
	{
		name:    "html-rewriter",
		files:   []string{"html-rewriter-impl.js"},
		imports: []string{"define", "tag", "toBytes", "kBody", "kHeaders", "kStatus", "kStatusText", "kUsed", "Headers", "ReadableStream", "Response"},
		globals: []string{"HTMLRewriter"},
	},
	{
		name:    "wasm",
		files:   []string{"wasm-impl.js"},
		imports: []string{"define", "tag"},
		globals: []string{"WebAssembly"},
	},
}

// lazyAPI is one entry of lazyAPIs.
type lazyAPI struct {
	name    string   // what the stub passes to lazyAPI()
	files   []string // under js/, in the order they run
	imports []string // the prelude's top-level names the files use
	exports []string // the files' top-level names the stub uses
	// globals are those the files define, which the stub makes accessors
	// that run them (lazyGlobals): Install runs them before the script
	// instead when the script's source names one, so that a script that
	// names the global sees it as it always was (a data property).
	globals []string
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
