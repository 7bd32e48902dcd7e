package isolates

import (
	"time"

	"github.com/dop251/goja"
)

// timerTable holds an isolate's live timers. Loop goroutine only.
type timerTable struct {
	next   int64
	active map[int64]*timer
}

type timer struct {
	t        *time.Timer
	release  func(func())
	fn       goja.Callable
	args     []goja.Value
	interval time.Duration
	scope    *Scope
	frame    goja.Value // the async context frame it was set in
	repeat   bool
}

func (tt *timerTable) stopAll() {
	for id, t := range tt.active {
		if t.t.Stop() {
			t.release(nil)
		}
		delete(tt.active, id)
	}
}

// installTimers defines setTimeout, clearTimeout, setInterval, clearInterval
// and queueMicrotask. Timers keep Workers' clamping: negative or NaN delays
// are 0.
func (iso *Isolate) installTimers() error {
	vm := iso.vm
	set := func(repeat bool) func(goja.FunctionCall) goja.Value {
		return func(call goja.FunctionCall) goja.Value {
			fn, ok := goja.AssertFunction(call.Argument(0))
			if !ok {
				panic(vm.NewTypeError("The callback provided as parameter 1 is not a function."))
			}
			delay := call.Argument(1).ToFloat()
			if !(delay > 0) {
				delay = 0
			}
			var args []goja.Value
			if len(call.Arguments) > 2 {
				args = append(args, call.Arguments[2:]...)
			}
			return vm.ToValue(iso.startTimer(fn, args, time.Duration(delay*float64(time.Millisecond)), repeat))
		}
	}
	clear := func(call goja.FunctionCall) goja.Value {
		iso.clearTimer(call.Argument(0).ToInteger())
		return goja.Undefined()
	}
	for name, fn := range map[string]func(goja.FunctionCall) goja.Value{
		"setTimeout":    set(false),
		"setInterval":   set(true),
		"clearTimeout":  clear,
		"clearInterval": clear,
	} {
		if err := vm.Set(name, fn); err != nil {
			return err
		}
	}
	return nil
}

// ErrGlobalScope is workerd's message for I/O and timers started while the
// script's top-level code runs, outside any handler.
const ErrGlobalScope = "Disallowed operation called within global scope. Asynchronous I/O (ex: fetch() or connect()), setting a timeout, and generating random values are not allowed within global scope. To fix this error, perform this operation within a handler. https://developers.cloudflare.com/workers/runtime-apis/handlers/"

// InSetup reports whether the script's top-level code is running (no
// handler yet): I/O started now fails with [ErrGlobalScope].
func (iso *Isolate) InSetup() bool { return iso.inSetup }

func (iso *Isolate) startTimer(fn goja.Callable, args []goja.Value, d time.Duration, repeat bool) int64 {
	if iso.inSetup {
		panic(iso.NewError(ErrGlobalScope))
	}
	tt := &iso.timers
	if tt.active == nil {
		tt.active = make(map[int64]*timer)
	}
	tt.next++
	id := tt.next
	s := iso.scope
	if s != nil && s.ended {
		// A continuation of a request that is over: on Workers its timers
		// died with it, so this one never fires.
		return id
	}
	t := &timer{fn: fn, args: args, interval: d, scope: s, frame: iso.frame, repeat: repeat}
	tt.active[id] = t
	if s != nil {
		if s.timers == nil {
			s.timers = make(map[int64]struct{}, 1)
		}
		s.timers[id] = struct{}{}
	}
	iso.armTimer(id, t)
	return id
}

// EndScope is called (on the loop) when the request s belongs to is over:
// the timers it left behind are cleared, as Workers ends a request's timers
// with it, and any it sets later never fire; its OnEnd hooks run.
func (iso *Isolate) EndScope(s *Scope) {
	if s == nil || s.ended {
		return
	}
	s.ended = true
	for id := range s.timers {
		iso.clearTimer(id)
	}
	hooks := s.onEnd
	s.onEnd = nil
	for _, fn := range hooks {
		fn()
	}
}

func (iso *Isolate) armTimer(id int64, t *timer) {
	t.release = iso.RegisterCallback()
	release := t.release
	t.t = time.AfterFunc(t.interval, func() {
		release(func() { iso.fireTimer(id, t) })
	})
}

func (iso *Isolate) fireTimer(id int64, t *timer) {
	if iso.timers.active[id] != t {
		return // cleared after it fired but before it ran
	}
	if t.repeat {
		iso.armTimer(id, t)
	} else {
		delete(iso.timers.active, id)
		if t.scope != nil {
			delete(t.scope.timers, id)
		}
	}
	iso.scope, iso.frame = t.scope, t.frame
	_, err := t.fn(goja.Undefined(), t.args...)
	iso.scope, iso.frame = nil, nil
	if err != nil && iso.Check(err) != nil {
		iso.log.Warn("uncaught exception in timer callback", "isolate", iso.id, "error", err.Error())
	}
}

func (iso *Isolate) clearTimer(id int64) {
	t, ok := iso.timers.active[id]
	if !ok {
		return
	}
	delete(iso.timers.active, id)
	if t.scope != nil {
		delete(t.scope.timers, id)
	}
	if t.t.Stop() {
		t.release(nil)
	}
}
