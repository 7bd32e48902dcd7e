package isolates

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dop251/goja"
)

// Options configure one isolate.
type Options struct {
	// Setup runs on the isolate's goroutine once, right after the vm is made:
	// it installs globals and runs the worker bundle. An error fails creation.
	Setup func(iso *Isolate) error
	// MaxCallStackSize bounds JS recursion (goja has no default). 0 = 4096.
	// JS-to-JS calls keep their frames on goja's own (heap) stack, not the
	// Go stack, so the bound is about memory and how long a runaway
	// recursion takes; past it the isolate is retired (see
	// [StackOverflowError]).
	MaxCallStackSize int
	// StartupLimit interrupts Setup (the script's top-level code) when it
	// runs longer, so a script that loops at top level fails to load
	// instead of hanging the pool that builds it. 0 = no limit.
	StartupLimit time.Duration
	// MemoryLimit is the isolate's heap budget in bytes: no single call of
	// a built-in may allocate more, nor its live ArrayBuffers hold more
	// (guards.go). 0 = only the process-wide guard of 2 GiB.
	MemoryLimit uint64
	// Log receives isolate lifecycle messages; nil = slog.Default().
	Log *slog.Logger
}

// ErrRetired is returned to work that was queued on an isolate after it was
// retired (CPU limit, stack overflow, shutdown).
var ErrRetired = errors.New("isolate retired")

// Isolate is one goja runtime and its job queue. Exactly one goroutine owns
// the vm at any moment: the isolate's own loop goroutine, or a goroutine that
// called Exec while the isolate was idle and drains the queue itself.
type Isolate struct {
	id  int
	vm  *goja.Runtime
	log *slog.Logger
	// intrinsics are taken before any script runs (bridge.go).
	intrinsics intrinsics
	// buffers counts the isolate's large ArrayBuffers (guards.go).
	buffers *bufferBudget

	mu    sync.Mutex
	queue []func()
	spare []func()
	wake  chan struct{}
	// running: some goroutine owns the vm and is draining the queue — the
	// isolate's own loop goroutine, or a caller of Exec that found the
	// isolate idle and runs the work itself (no hand-off between goroutines).
	running bool
	retired bool
	// inlineOwner: the current owner is a goroutine that called Exec, not
	// the loop goroutine. Owner-only, like deferred.
	inlineOwner bool
	// deferred holds Async work started by JavaScript an inline owner ran;
	// the owner runs it after giving the vm up (see Exec).
	deferred []task
	reason   error
	done     chan struct{}

	inflight   atomic.Int32 // requests the pool assigned here
	pending    atomic.Int32 // registered callbacks not yet delivered
	sliceStart atomic.Int64 // unix nanos when the current job began; 0 when idle
	// sliceMu orders the end of a slice against the watchdog's interrupt,
	// so an interrupt meant for one slice never lands in the next one.
	sliceMu sync.Mutex
	doomed  atomic.Pointer[error]
	// stalled: the current slice has run longer than a watchdog tick; the
	// pool sends new requests elsewhere while it lasts.
	stalled atomic.Bool
	// draining: the pool is recycling the isolate; it takes no new requests
	// and is retired once those it has are done.
	draining    atomic.Bool
	drainReason error // set by the watchdog before draining; read by it
	born        time.Time

	scope *Scope
	// frame is the async context frame of the running JavaScript
	// (AsyncLocalStorage's stores), nil when none is set; it travels with
	// scope to continuations and timers.
	frame      goja.Value
	scopeStack []asyncContext
	grabbed    *asyncContext // the last context Grab boxed, reused while current
	culprit    *Scope

	onRetire []func(error)
	// interrupts: the context code outside goja watches (interrupt.go).
	interrupts interruptState
	timers     timerTable
	// inSetup: the script's top-level code is running (no handler yet).
	inSetup bool
	values  map[any]any
}

var isolateIDs atomic.Int64

// New starts an isolate and runs opts.Setup on it.
func New(opts Options) (*Isolate, error) {
	iso := &Isolate{
		id:   int(isolateIDs.Add(1)),
		vm:   goja.New(),
		log:  opts.Log,
		wake: make(chan struct{}, 1),
		done: make(chan struct{}),
		born: time.Now(),
	}
	if iso.log == nil {
		iso.log = slog.Default()
	}
	stack := opts.MaxCallStackSize
	if stack <= 0 {
		stack = 4096
	}
	iso.vm.SetMaxCallStackSize(stack)
	iso.vm.SetAsyncContextTracker(scopeTracker{iso})
	iso.vm.SetFieldNameMapper(goja.UncapFieldNameMapper())
	go iso.loop()

	err := iso.Do(func() error {
		// goja ships a GoError constructor as a global; scripts have no use
		// for it and it names the engine's internals (NewGoError keeps
		// working: it holds the prototype itself).
		_ = iso.vm.GlobalObject().Delete("GoError")
		if err := iso.takeIntrinsics(); err != nil {
			return err
		}
		if err := iso.installGuards(opts.MemoryLimit); err != nil {
			return err
		}
		if err := iso.installTimers(); err != nil {
			return err
		}
		if opts.Setup == nil {
			return nil
		}
		stop := iso.limitStartup(opts.StartupLimit)
		iso.inSetup = true
		err := opts.Setup(iso)
		iso.inSetup = false
		stop()
		return err
	})
	if err != nil {
		iso.Retire(fmt.Errorf("setup: %w", err))
		return nil, err
	}
	return iso, nil
}

// limitStartup interrupts the vm if Setup runs past limit. The returned
// function (called on the loop, when Setup is over) disarms it and clears an
// interrupt that landed after the script finished, so it cannot hit the
// first request. One timer per isolate creation, none per request.
func (iso *Isolate) limitStartup(limit time.Duration) (stop func()) {
	if limit <= 0 {
		return func() {}
	}
	var mu sync.Mutex
	running := true
	t := time.AfterFunc(limit, func() {
		mu.Lock()
		defer mu.Unlock()
		if running {
			iso.interrupt(&CPULimitError{Limit: limit, Startup: true})
		}
	})
	return func() {
		t.Stop()
		mu.Lock()
		running = false
		mu.Unlock()
		iso.vm.ClearInterrupt()
		iso.interrupts.reset()
	}
}

// ID identifies the isolate in logs and metrics.
func (iso *Isolate) ID() int { return iso.id }

// InFlight is the number of requests currently assigned to this isolate.
func (iso *Isolate) InFlight() int { return int(iso.inflight.Load()) }

// Retired reports whether the isolate has stopped taking work.
func (iso *Isolate) Retired() bool {
	iso.mu.Lock()
	defer iso.mu.Unlock()
	return iso.retired
}

// Done is closed when the isolate's goroutine has exited.
func (iso *Isolate) Done() <-chan struct{} { return iso.done }

// OnRetire registers fn to run (on the loop goroutine, or the retiring one
// when the loop is stuck) when the isolate is retired, with the reason. The
// dispatcher uses it to fail the requests still in flight here.
func (iso *Isolate) OnRetire(fn func(reason error)) { iso.onRetire = append(iso.onRetire, fn) }

// Enqueue posts job to run on the isolate's goroutine. It reports false when
// the isolate is retired and the job will never run.
func (iso *Isolate) Enqueue(job func()) bool {
	iso.mu.Lock()
	if iso.retired {
		iso.mu.Unlock()
		return false
	}
	iso.queue = append(iso.queue, job)
	running := iso.running
	iso.mu.Unlock()
	if !running {
		iso.wakeLoop()
	}
	return true
}

// Do runs fn on the isolate's goroutine and waits for it.
func (iso *Isolate) Do(fn func() error) error {
	errc := make(chan error, 1)
	ok := iso.Enqueue(func() {
		defer func() {
			if r := recover(); r != nil {
				errc <- fmt.Errorf("panic: %v", r)
			}
		}()
		errc <- fn()
	})
	if !ok {
		return iso.retiredErr()
	}
	select {
	case err := <-errc:
		return err
	case <-iso.done:
		select {
		case err := <-errc:
			return err
		default:
			return iso.retiredErr()
		}
	}
}

// Check inspects an error returned from calling into JS. Uncatchable errors
// (interrupt, stack overflow) leave goja having dropped queued microtasks,
// some of which may belong to other requests, so the isolate is retired.
// Check returns err unchanged.
func (iso *Isolate) Check(err error) error {
	if err == nil {
		return nil
	}
	var ie *goja.InterruptedError
	var so *goja.StackOverflowError
	switch {
	case errors.As(err, &ie), errors.As(err, &so):
		if iso.culprit == nil {
			iso.culprit = iso.scope
		}
	}
	switch {
	case errors.As(err, &ie):
		reason := err
		if v, ok := ie.Value().(error); ok {
			reason = v
		}
		iso.retireSoon(reason)
	case errors.As(err, &so):
		iso.retireSoon(&StackOverflowError{})
	}
	return err
}

// Culprit is the scope that was running when the isolate hit an uncatchable
// error (CPU limit, stack overflow), if known.
func (iso *Isolate) Culprit() *Scope { return iso.culprit }

// InternalError is the reason an isolate retires after a Go panic in one of
// edgerun's native functions: a bug in edgerun, not in the script. The
// request that triggered it fails with a 500; the panic is logged.
type InternalError struct{ Panic string }

func (e *InternalError) Error() string {
	return "internal error in edgerun while running the worker (the isolate was replaced; see the server log)"
}

// StackOverflowError is the reason an isolate retires after unbounded
// recursion.
//
// V8 throws a catchable RangeError here; goja cannot, and edgerun does not
// fork goja to make it. goja's vm.pushCtx panics with a *goja.StackOverflowError,
// a Go value its exception machinery does not turn into a JS value
// (vm.exceptionFromValue returns nil for it), so vm.handleThrow unwinds past
// every JS catch and finally block to the nearest Go boundary: it is
// "uncatchable" by construction, and there is no option, hook or wrapper
// between the overflowing call and the script's try/catch where a Go
// embedder could substitute a RangeError (plain JS-to-JS recursion never
// crosses a Go frame). Because the unwinding skipped finally blocks and
// dropped the microtasks queued in that run, the isolate's state is
// unknown afterwards, so it is retired like an interrupted one; the request
// gets a 500 whose message is V8's.
type StackOverflowError struct{}

func (*StackOverflowError) Error() string {
	return "RangeError: Maximum call stack size exceeded"
}

// retireSoon marks the isolate doomed; the loop retires it after the job.
func (iso *Isolate) retireSoon(reason error) {
	iso.doomed.CompareAndSwap(nil, &reason)
}

// interruptSlice stops the slice that began at start, if it is still the one
// running (watchdog goroutine). It reports whether it interrupted. Holding
// sliceMu keeps that slice from ending meanwhile, so the interrupt cannot
// leak into a later one; the doomed mark set first makes the loop retire the
// isolate right after the slice, before any other JavaScript runs on it.
func (iso *Isolate) interruptSlice(start int64, reason error) bool {
	iso.sliceMu.Lock()
	defer iso.sliceMu.Unlock()
	if start == 0 || iso.sliceStart.Load() != start {
		return false
	}
	iso.retireSoon(reason)
	iso.interrupt(reason)
	return true
}

// endSlice marks the loop idle. It waits for a watchdog that is
// interrupting this slice to finish doing so.
func (iso *Isolate) endSlice() {
	iso.sliceMu.Lock()
	iso.sliceStart.Store(0)
	iso.sliceMu.Unlock()
	if iso.stalled.Load() {
		iso.stalled.Store(false)
	}
}

// Retire stops the isolate: queued jobs are dropped, OnRetire hooks run and
// the goroutine exits. Safe to call from any goroutine, more than once.
func (iso *Isolate) Retire(reason error) {
	iso.mu.Lock()
	if iso.retired {
		iso.mu.Unlock()
		return
	}
	iso.retired = true
	iso.reason = reason
	iso.queue = nil
	iso.mu.Unlock()
	iso.wakeLoop()
}

func (iso *Isolate) retiredErr() error {
	iso.mu.Lock()
	defer iso.mu.Unlock()
	if iso.reason != nil {
		return fmt.Errorf("%w: %w", ErrRetired, iso.reason)
	}
	return ErrRetired
}

func (iso *Isolate) finish(reason error) {
	iso.timers.stopAll()
	iso.vm.ClearInterrupt()
	if reason == nil {
		reason = ErrRetired
	}
	for _, fn := range iso.onRetire {
		func() {
			defer func() { recover() }()
			fn(reason)
		}()
	}
}
