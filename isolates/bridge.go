package isolates

import (
	"context"
	"errors"
	"reflect"
	"runtime"
	"sync/atomic"

	"github.com/dop251/goja"
)

// The bridge: what code outside this package (bindings, Web APIs) may use
// of an isolate. Its contract:
//
//   - The vm ([Isolate.Runtime]) and everything made from it are touched
//     only on the isolate's goroutine: inside a job, a callback, a native
//     function the script called, or Setup.
//   - Blocking work never runs there. [Isolate.Async] runs it off the loop
//     and settles a promise on it; [Isolate.RegisterCallback] is the
//     lower-level form: every slot it reserves is delivered exactly once
//     (k6's rule), and a pending slot keeps the isolate from being retired.
//   - Per-request state hangs on the current [Scope] ([Isolate.Scope]),
//     per-isolate state on [Isolate.Value]; neither is reachable by scripts.
//   - Values edgerun hands to scripts are built from the intrinsics taken
//     before any script ran ([Isolate.NewUint8Array], [Isolate.JSONParse],
//     [Isolate.NewError], …): a script that replaces globalThis.Uint8Array
//     or JSON cannot see or change what the host builds.
//   - Errors given to scripts are plain Errors ([Isolate.ToJSError]), never
//     Go values wrapped for JS.

// intrinsics are the built-ins the bridge builds values from, taken from
// the fresh vm before anything else runs.
type intrinsics struct {
	errorCtor, rangeErrorCtor, uint8Array, arrayBuffer, date *goja.Object
	jsonParse, jsonStringify, isView                         goja.Callable
}

func (iso *Isolate) takeIntrinsics() error {
	vm := iso.vm
	get := func(name string) *goja.Object { return vm.Get(name).ToObject(vm) }
	in := &iso.intrinsics
	in.errorCtor, in.rangeErrorCtor = get("Error"), get("RangeError")
	in.uint8Array, in.arrayBuffer, in.date = get("Uint8Array"), get("ArrayBuffer"), get("Date")
	json := get("JSON")
	var ok1, ok2 bool
	in.jsonParse, ok1 = goja.AssertFunction(json.Get("parse"))
	in.jsonStringify, ok2 = goja.AssertFunction(json.Get("stringify"))
	var ok3 bool
	in.isView, ok3 = goja.AssertFunction(in.arrayBuffer.Get("isView"))
	if !ok1 || !ok2 || !ok3 {
		return errors.New("isolates: JSON.parse/stringify missing")
	}
	return nil
}

// NewUint8Array is a Uint8Array over data (not copied), from the intrinsic
// constructor.
func (iso *Isolate) NewUint8Array(data []byte) goja.Value {
	u8, err := iso.vm.New(iso.intrinsics.uint8Array, iso.vm.ToValue(iso.vm.NewArrayBuffer(data)))
	if err != nil {
		panic(err)
	}
	return u8
}

// IsArrayBuffer reports whether v is an ArrayBuffer (by the intrinsic
// prototype chain, whatever the global is now).
func (iso *Isolate) IsArrayBuffer(v goja.Value) bool {
	obj, ok := v.(*goja.Object)
	if !ok {
		return false
	}
	// ExportType, not Export: exporting a typed array computes a pointer
	// to its first element, which for an empty view at its buffer's end
	// lies past the allocation (checkptr aborts a -race build on it).
	return obj.ExportType() == arrayBufferType
}

var arrayBufferType = reflect.TypeOf(goja.ArrayBuffer{})

// IsView is the intrinsic ArrayBuffer.isView: v is a typed array or a
// DataView.
func (iso *Isolate) IsView(v goja.Value) bool {
	r, err := iso.intrinsics.isView(iso.intrinsics.arrayBuffer, v)
	return err == nil && r.ToBoolean()
}

// ChargeBuffer counts n bytes of a buffer the host is filling for the
// script (a fetch() response body, say) against the isolate's budget for
// ArrayBuffers ([Options.MemoryLimit]); false when they would not fit. Any
// goroutine. Give the bytes back with [Isolate.UnchargeBuffer] when the
// buffer is dropped, or hand the buffer to [Isolate.KeepCharged].
func (iso *Isolate) ChargeBuffer(n int64) bool {
	b := iso.buffers
	for {
		cur := b.live.Load()
		if cur+n > b.limit {
			return false
		}
		if b.live.CompareAndSwap(cur, cur+n) {
			return true
		}
	}
}

// UnchargeBuffer gives back n bytes taken by [Isolate.ChargeBuffer].
func (iso *Isolate) UnchargeBuffer(n int64) { iso.buffers.live.Add(-n) }

// KeepCharged keeps data's n charged bytes until the garbage collector
// frees data (which then becomes the script's, in an ArrayBuffer).
func (iso *Isolate) KeepCharged(data []byte, n int64) {
	if len(data) == 0 {
		iso.buffers.live.Add(-n)
		return
	}
	b := iso.buffers
	runtime.AddCleanup(&data[0], func(n int64) { b.live.Add(-n) }, n)
}

// NewDate is a Date for ms since the epoch, from the intrinsic constructor.
func (iso *Isolate) NewDate(ms int64) (goja.Value, error) {
	return iso.vm.New(iso.intrinsics.date, iso.vm.ToValue(ms))
}

// JSONParse is the intrinsic JSON.parse.
func (iso *Isolate) JSONParse(text string) (goja.Value, error) {
	return iso.intrinsics.jsonParse(goja.Undefined(), iso.vm.ToValue(text))
}

// JSONStringify is the intrinsic JSON.stringify (with replacer when not
// nil); ok is false when the value has no JSON form (undefined, a function).
func (iso *Isolate) JSONStringify(v goja.Value, replacer goja.Value) (s string, ok bool, err error) {
	if replacer == nil {
		replacer = goja.Undefined()
	}
	out, err := iso.intrinsics.jsonStringify(goja.Undefined(), v, replacer)
	if err != nil || out == nil || goja.IsUndefined(out) {
		return "", false, err
	}
	return out.String(), true, nil
}

// rangeError makes a RangeError from the intrinsic constructor.
func (iso *Isolate) rangeError(msg string) *goja.Object {
	obj, err := iso.vm.New(iso.intrinsics.rangeErrorCtor, iso.vm.ToValue(msg))
	if err != nil {
		return iso.NewError(msg)
	}
	return obj
}

// Runtime is the isolate's vm. Only code running on the isolate's goroutine
// (inside a job, a callback or Setup) may use it.
func (iso *Isolate) Runtime() *goja.Runtime { return iso.vm }

// Scope is the request the running JavaScript belongs to, or nil.
func (iso *Isolate) Scope() *Scope { return iso.scope }

// SetScope makes s current for the job that is running; dispatch calls it
// before entering a handler. Continuations inherit it through the tracker.
// A request starts with no async context frame.
func (iso *Isolate) SetScope(s *Scope) { iso.scope, iso.frame = s, nil }

// AsyncFrame is the async context frame of the running JavaScript: an
// opaque value node:async_hooks keeps AsyncLocalStorage stores in, nil when
// none is set. Continuations (await, then) and timers resume with the frame
// current when they were created, as workerd's AsyncContextFrame does.
func (iso *Isolate) AsyncFrame() goja.Value { return iso.frame }

// SetAsyncFrame makes frame current (nil for none) for the running
// JavaScript and what it schedules from now on.
func (iso *Isolate) SetAsyncFrame(frame goja.Value) {
	if frame != nil && goja.IsUndefined(frame) {
		frame = nil
	}
	iso.frame = frame
}

// Value and SetValue hold per-isolate state for bindings and Web APIs (the
// JS objects they built for this vm, say). Loop goroutine only.
func (iso *Isolate) Value(key any) any { return iso.values[key] }

// SetValue stores per-isolate state under key. Loop goroutine only.
func (iso *Isolate) SetValue(key, value any) {
	if iso.values == nil {
		iso.values = make(map[any]any)
	}
	iso.values[key] = value
}

// RegisterCallback reserves a completion on the loop. The returned function
// must be called exactly once, from any goroutine: with the job to run on the
// loop, or with nil to give the reservation up. Outstanding reservations are
// what [Isolate.Pending] counts; a retired isolate drops the job.
func (iso *Isolate) RegisterCallback() func(job func()) {
	iso.pending.Add(1)
	var called atomic.Bool
	return func(job func()) {
		if !called.CompareAndSwap(false, true) {
			panic("isolates: RegisterCallback's function called twice")
		}
		if job == nil {
			iso.pending.Add(-1)
			return
		}
		// Run the completion on the goroutine that completed the work when
		// the isolate is idle: a query's continuation needs no hand-off.
		if !iso.Exec(func() { iso.pending.Add(-1); job() }, nil) {
			iso.pending.Add(-1)
		}
	}
}

// Pending is the number of registered callbacks not yet delivered.
func (iso *Isolate) Pending() int { return int(iso.pending.Load()) }

// JSError is implemented by Go errors that know how to become a JS value
// (bindings use it to throw Errors carrying SQLSTATE fields).
type JSError interface {
	error
	ToJS(iso *Isolate) goja.Value
}

// ToJSError turns a Go error into the JS value to reject or throw with: an
// Error with the message, never the Go value itself (goja's NewGoError
// would hand the script the Go error, its fields and its methods).
func (iso *Isolate) ToJSError(err error) goja.Value {
	var je JSError
	if errors.As(err, &je) {
		return je.ToJS(iso)
	}
	var ex *goja.Exception
	if errors.As(err, &ex) {
		return ex.Value()
	}
	return iso.NewError(err.Error())
}

// NewError makes a JS Error with msg, from the intrinsic constructor.
func (iso *Isolate) NewError(msg string) *goja.Object {
	obj, err := iso.vm.New(iso.intrinsics.errorCtor, iso.vm.ToValue(msg))
	if err != nil { // Error itself cannot fail; a TypeError is the fallback
		return iso.vm.NewTypeError(msg)
	}
	return obj
}

// Async runs blocking work off the vm (with the current request's context)
// and returns a promise settled on the loop with what settle produces there.
// settle runs as a job on the isolate, so it may build JS values; an error
// rejects. The work runs on a worker goroutine, or — when the JavaScript that
// called Async runs on a goroutine that came in through Exec — on that
// goroutine once it has given the vm up (see Exec).
func (iso *Isolate) Async(work func(ctx context.Context) (settle func(vm *goja.Runtime) (goja.Value, error))) *goja.Promise {
	p, resolve, reject := iso.vm.NewPromise()
	scope, frame := iso.scope, iso.frame
	iso.pending.Add(1)
	t := func() []task {
		settle := work(scope.Context())
		more, ok := iso.execCollect(func() {
			iso.pending.Add(-1)
			iso.scope, iso.frame = scope, frame
			v, err := settle(iso.vm)
			if err != nil {
				iso.Check(reject(iso.ToJSError(err)))
			} else {
				iso.Check(resolve(v))
			}
			iso.scope, iso.frame = nil, nil
		})
		if !ok {
			iso.pending.Add(-1) // retired: the promise is dropped with the isolate
		}
		return more
	}
	if iso.inlineOwner {
		iso.deferred = append(iso.deferred, t)
	} else {
		goTask(t)
	}
	return p
}

// Rejected is a promise already rejected with err (as ToJSError makes
// it): for a native that fails before it has anything to run.
func (iso *Isolate) Rejected(err error) *goja.Promise {
	p, _, reject := iso.vm.NewPromise()
	_ = reject(iso.ToJSError(err))
	return p
}
