package webapi

import (
	"errors"
	"fmt"
	"strings"

	"github.com/dop251/goja"

	"edgerun/isolates"
	"edgerun/isolates/webapi/url"
)

// Request is an HTTP request handed from the host to a worker. The host
// copies it out of its server's buffers first, so it stays valid for as long
// as the worker holds it.
type Request struct {
	Method string
	URL    string // absolute URL
	// Headers as "name\x00value\x00name\x00value"; split only if read.
	Headers string
	Body    []byte // nil = no body
}

// Response is what the worker answered.
type Response struct {
	Status     int
	StatusText string
	// ContentType is set when the script gave no headers of its own and
	// the body implies one (new Response("text")); Headers is then empty.
	ContentType string
	Headers     string // "name\x00value\x00…", names lower-case
	Body        []byte
	// Stream, when set, is the body instead of Body: the worker is still
	// writing it (a Response made from a ReadableStream).
	Stream *BodyStream
	// WebSocket, on a 101, is the socket to couple to the client's
	// upgraded connection (websocket.go).
	WebSocket *Socket
	// EncodeManual is the script's encodeBody: "manual": a body whose
	// Content-Encoding is gzip or br is encoded already and is sent as it
	// is. Otherwise the host encodes it (or, for a client that does not
	// accept the coding, drops the header).
	EncodeManual bool
}

// HeaderPairs calls fn for each header of r.
func (r *Response) HeaderPairs(fn func(name, value string)) {
	if r.ContentType != "" {
		fn("content-type", r.ContentType)
	}
	eachPair(r.Headers, fn)
}

func eachPair(flat string, fn func(name, value string)) {
	for flat != "" {
		name, rest, _ := strings.Cut(flat, "\x00")
		value, rest2, _ := strings.Cut(rest, "\x00")
		fn(name, value)
		flat = rest2
	}
}

// Exchange is one request's trip through a worker.
type Exchange struct {
	Request
	Scope *isolates.Scope
	// Sink hears the outcome (an interface, not two funcs: the dispatcher's
	// per-request object implements it without a closure each).
	Sink Sink

	id        int64 // the worker's call id, once dispatched
	responded bool
	state     *goja.Object // dispatch.js's record of the request
}

// Sink receives an Exchange's outcome, on the isolate goroutine.
type Sink interface {
	// Respond is called exactly once: with the worker's response, or with
	// the error that stopped it (*ScriptError for an exception, the
	// isolate's retire reason, …).
	Respond(resp *Response, err error)
	// Finish is called exactly once after Respond, when the request's
	// waitUntil work has settled too (or the isolate was retired).
	Finish()
}

// SinkFuncs adapts two functions to a Sink.
type SinkFuncs struct {
	OnRespond func(resp *Response, err error)
	OnFinish  func()
}

func (f SinkFuncs) Respond(resp *Response, err error) { f.OnRespond(resp, err) }

func (f SinkFuncs) Finish() { f.OnFinish() }

// ErrIsolateReset is the error requests get when the isolate serving them was
// retired because of something another request did.
var ErrIsolateReset = errors.New("the isolate serving this request was reset because a request running in it exceeded a resource limit; it has been replaced")

// Console receives console.* output with the scope it came from.
type Console func(scope *isolates.Scope, level, message string)

// Options configure Install.
type Options struct {
	Console Console
	// CF is the request.cf object's content (JSON-compatible values); it is
	// built once per isolate, frozen, and shared by its requests.
	CF map[string]any
	// Caches is the Cache API's store, shared by the isolates of one
	// process; nil uses a process-wide default.
	Caches *CacheStorage
	// Compat is what the worker's compatibility date and flags change
	// (CompatFor); the zero value is workerd's behaviour before those dates.
	Compat Compat
	// Uses is ScanScript of the worker's bundled source: the rarely used
	// APIs (lazyAPIs) whose globals it names are set up before the script
	// runs, as data properties; one it does not name is an accessor that
	// sets it up when first reached. Nil: none is named.
	Uses ScriptUses
}

// ScriptUses is what ScanScript found.
type ScriptUses []string

// ScanScript finds the rarely used Web APIs whose globals script names
// anywhere (as an identifier, in a string or a comment); do it once per
// bundle, not per isolate.
func ScanScript(script string) ScriptUses { return lazyNeeded(script) }

// Worker is the per-isolate glue between host requests and the script.
type Worker struct {
	iso     *isolates.Isolate
	vm      *goja.Runtime
	console Console
	cf      goja.Value

	dispatch, attach, settled, scheduled, setHandler, inspect, waitUntil goja.Callable

	caches  *CacheStorage
	compat  Compat
	calls   map[int64]*Exchange
	streams map[int64]*BodyStream // bodies still being written, by request id
	// uploads are streamed fetch() request bodies (fetch_upload.go).
	uploads    map[int64]*BodyStream
	nextUpload int64
	nextID     int64
	methods    map[string]goja.Value
	headerBuf  []byte // headers.go's scratch for a record's flat list
	// dispatchArgs is Fetch's argument slice, reused (nil while in use).
	dispatchArgs []goja.Value
}

// Install defines the Web API globals on iso. Call it from the isolate's
// Setup, before running the worker's bundle.
func Install(iso *isolates.Isolate, opts Options) (*Worker, error) {
	vm := iso.Runtime()
	w := &Worker{iso: iso, vm: vm, console: opts.Console, caches: opts.Caches, compat: opts.Compat, calls: make(map[int64]*Exchange),
		streams: make(map[int64]*BodyStream)}
	if w.caches == nil {
		w.caches = defaultCaches
	}
	if err := url.Enable(vm); err != nil {
		return nil, fmt.Errorf("webapi: URL: %w", err)
	}
	fnVal, err := vm.RunProgram(preludeProgram())
	if err != nil {
		return nil, fmt.Errorf("webapi: prelude: %w", err)
	}
	fn, ok := goja.AssertFunction(fnVal)
	if !ok {
		return nil, errors.New("webapi: prelude did not evaluate to a function")
	}
	apiVal, err := fn(goja.Undefined(), w.natives(), vm.GlobalObject())
	if err != nil {
		return nil, fmt.Errorf("webapi: prelude: %w", err)
	}
	api := apiVal.ToObject(vm)
	for _, e := range hostEntries {
		f, ok := goja.AssertFunction(api.Get(e.name))
		if !ok {
			return nil, fmt.Errorf("webapi: prelude lacks %s", e.name)
		}
		*e.slot(w) = f
	}
	if needed := opts.Uses; len(needed) > 0 {
		load, ok := goja.AssertFunction(api.Get("lazyAPI"))
		if !ok {
			return nil, errors.New("webapi: prelude lacks lazyAPI")
		}
		for _, name := range needed {
			if _, err := load(goja.Undefined(), vm.ToValue(name)); err != nil {
				return nil, fmt.Errorf("webapi: %s: %w", name, err)
			}
		}
	}
	cf := vm.ToValue(opts.CF)
	if opts.CF == nil {
		cf = vm.NewObject()
	} else if obj, err := vm.RunString("(function(o){return JSON.parse(JSON.stringify(o))})"); err == nil {
		conv, _ := goja.AssertFunction(obj)
		if v, err := conv(goja.Undefined(), cf); err == nil {
			cf = v
		}
	}
	if freeze, ok := goja.AssertFunction(vm.Get("Object").ToObject(vm).Get("freeze")); ok {
		_, _ = freeze(goja.Undefined(), cf)
	}
	w.cf = cf
	iso.OnRetire(w.failAll)
	return w, nil
}

// SetHandler tells the worker where its handler lives: the bundle's module
// exports (with a default export), or undefined for service-worker scripts
// that called addEventListener("fetch"). It returns the syntax found:
// "module", "class" or "service-worker".
func (w *Worker) SetHandler(exports goja.Value) (string, error) {
	v, err := w.setHandler(goja.Undefined(), exports)
	if err != nil {
		return "", w.scriptError(err)
	}
	return v.String(), nil
}

// Fetch runs the worker's fetch handler for x with env as its environment.
// It must be called on the isolate goroutine. x.Respond and x.Finish report
// the outcome (possibly before Fetch returns).
func (w *Worker) Fetch(x *Exchange, env goja.Value) {
	w.nextID++
	id := w.nextID
	x.id = id
	w.calls[id] = x
	vm := w.vm
	body := goja.Null()
	if x.Body != nil {
		body = vm.ToValue(vm.NewArrayBuffer(x.Body))
	}
	w.iso.SetScope(x.Scope)
	// The arguments go in a slice kept for the next request (goja copies
	// them onto its stack); a Fetch made while one is dispatching (a
	// handler that reaches the host synchronously) gets a new one.
	args := w.dispatchArgs
	w.dispatchArgs = nil
	if args == nil {
		args = make([]goja.Value, 7)
	}
	args[0], args[1], args[2], args[3], args[4], args[5], args[6] = vm.ToValue(id), w.method(x.Method), vm.ToValue(x.URL),
		vm.ToValue(x.Headers), body, w.cf, env
	ret, err := w.dispatch(goja.Undefined(), args...)
	clear(args)
	w.dispatchArgs = args
	if err == nil {
		if state, ok := ret.(*goja.Object); ok {
			x.state = state
			err = w.awaitHandler(state)
		}
	}
	w.iso.Check(err) // before the scope is cleared: it names the culprit
	w.iso.SetScope(nil)
	if err != nil {
		w.complete(id, w.scriptError(err))
	}
}

// awaitHandler finishes a request whose handler returned a promise. The
// microtasks have run by now, so a handler that did not really wait has
// settled and is answered at once; a pending one gets its reactions
// attached.
func (w *Worker) awaitHandler(state *goja.Object) error {
	result := state.Get("result")
	if result == nil || goja.IsUndefined(result) {
		return nil // answered already, or failed
	}
	if p, ok := isolates.Export(result).(*goja.Promise); ok {
		switch p.State() {
		case goja.PromiseStateFulfilled:
			_, err := w.settled(goja.Undefined(), state, w.vm.ToValue(true), p.Result())
			return err
		case goja.PromiseStateRejected:
			_, err := w.settled(goja.Undefined(), state, w.vm.ToValue(false), p.Result())
			return err
		}
	}
	_, err := w.attach(goja.Undefined(), state)
	return err
}

// method returns the JS string for an HTTP method, made once per isolate for
// the common ones.
func (w *Worker) method(m string) goja.Value {
	if v, ok := w.methods[m]; ok {
		return v
	}
	v := w.vm.ToValue(m)
	if len(w.methods) < 16 {
		if w.methods == nil {
			w.methods = make(map[string]goja.Value, 8)
		}
		w.methods[m] = v
	}
	return v
}

// Scheduled runs the worker's scheduled handler (cron triggers). x.Respond
// gets a 200 response when the handler's promise fulfils.
func (w *Worker) Scheduled(x *Exchange, cron string, scheduledTimeMs int64, env goja.Value) {
	w.nextID++
	id := w.nextID
	x.id = id
	w.calls[id] = x
	w.iso.SetScope(x.Scope)
	state, err := w.scheduled(goja.Undefined(), w.vm.ToValue(id), w.vm.ToValue(cron), w.vm.ToValue(scheduledTimeMs), env)
	if obj, ok := state.(*goja.Object); ok {
		x.state = obj
	}
	w.iso.Check(err)
	w.iso.SetScope(nil)
	if err != nil {
		w.complete(id, w.scriptError(err))
	}
}

// WaitUntil extends the current request's lifetime until p settles, as its
// ctx.waitUntil(p) does: cloudflare:workers' waitUntil. Outside a request
// (the script's top level) it is an error.
func (w *Worker) WaitUntil(p goja.Value) error {
	var state goja.Value = goja.Undefined()
	if scope := w.iso.Scope(); scope != nil {
		for _, x := range w.calls {
			if x.Scope == scope && x.state != nil {
				state = x.state
				break
			}
		}
	}
	_, err := w.waitUntil(goja.Undefined(), state, p)
	return err
}

// Inspect formats a JS value the way console.log does.
func (w *Worker) Inspect(v goja.Value) string {
	s, err := w.inspect(goja.Undefined(), v, w.vm.ToValue(0), w.vm.NewArray(), w.vm.ToValue(true))
	if err != nil {
		return v.String()
	}
	return s.String()
}

// complete responds with err if nothing was sent yet, and finishes the call.
func (w *Worker) complete(id int64, err error) {
	x, ok := w.calls[id]
	if !ok {
		return
	}
	delete(w.calls, id)
	if !x.responded {
		x.responded = true
		x.Sink.Respond(nil, err)
	}
	w.iso.EndScope(x.Scope)
	x.Sink.Finish()
}

// Abort ends x now, on the isolate goroutine: the host gave up on it (the
// client left, a deadline passed, its waitUntil work ran out of time). It
// is answered with reason if it had not answered, its timers are cleared,
// a body it was still streaming is cut, and it finishes, freeing its slot:
// whatever its JavaScript does later finds no request to answer. An x that
// finished already is left alone.
func (w *Worker) Abort(x *Exchange, reason error) {
	if x.id == 0 || w.calls[x.id] != x {
		return
	}
	w.cutStream(x.id, reason)
	w.complete(x.id, reason)
}

// cutStream ends the body request id is still streaming, if any, with reason.
func (w *Worker) cutStream(id int64, reason error) {
	s, ok := w.streams[id]
	if !ok {
		return
	}
	delete(w.streams, id)
	s.end(fmt.Errorf("%w: %w", ErrStreamCut, reason))
	s.mu.Lock()
	room := s.room
	s.room = nil
	s.mu.Unlock()
	if room != nil {
		room() // gives the reservation back: nobody writes the stream any more
	}
}

func (w *Worker) failAll(reason error) {
	for id := range w.streams {
		w.cutStream(id, reason)
	}
	culprit := w.iso.Culprit()
	for id, x := range w.calls {
		err := reason
		if culprit != nil && x.Scope != culprit {
			err = fmt.Errorf("%w (%v)", ErrIsolateReset, reason)
		}
		w.complete(id, err)
	}
}
