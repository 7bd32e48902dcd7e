package isolates

import (
	"fmt"
	"runtime/debug"
	"time"
)

// The event loop: the owner goroutine drains the isolate's queue, one slice
// of JavaScript (job) at a time, either the isolate's own loop goroutine or
// a caller of Exec that found the isolate idle (see doc.go).

func (iso *Isolate) loop() {
	defer close(iso.done)
	for range iso.wake {
		iso.mu.Lock()
		if iso.running {
			// Another goroutine owns the vm; it drains the queue, and wakes
			// this one when it stops with work left or the isolate retired.
			iso.mu.Unlock()
			continue
		}
		iso.running = true
		iso.mu.Unlock()
		if exit, _ := iso.drain(0); exit {
			return
		}
	}
}

// inlineBatch bounds how many jobs a goroutine that called Exec runs before
// it hands the rest to the isolate's loop goroutine and returns to its own
// work.
const inlineBatch = 64

// drain runs queued jobs as the vm's owner until the queue is empty (or,
// when limit > 0, about limit jobs have run), then gives ownership up. It
// reports exit when the isolate has retired and its goroutine must exit (a
// non-loop owner instead hands retirement to the loop goroutine), and
// returns the Async work the jobs started that the caller must run (only an
// inline owner, limit > 0, defers work).
func (iso *Isolate) drain(limit int) (exit bool, work []task) {
	iso.inlineOwner = limit > 0
	release := func() []task {
		// Called with iso.mu held, as ownership is given up.
		w := iso.deferred
		iso.deferred = nil
		iso.inlineOwner = false
		iso.running = false
		return w
	}
	ran := 0
	for {
		iso.mu.Lock()
		if iso.retired {
			if limit > 0 {
				w := release()
				iso.mu.Unlock()
				iso.wakeLoop()
				return false, w
			}
			reason := iso.reason
			iso.mu.Unlock()
			iso.finish(reason)
			return true, nil
		}
		batch := iso.queue
		if len(batch) == 0 || (limit > 0 && ran >= limit) {
			left := len(batch) > 0
			w := release()
			iso.mu.Unlock()
			if left {
				iso.wakeLoop()
			}
			return false, w
		}
		iso.queue = iso.spare[:0]
		iso.mu.Unlock()
		for i, job := range batch {
			iso.runJob(job)
			batch[i] = nil
			ran++
			if p := iso.doomed.Load(); p != nil {
				iso.Retire(*p)
				break
			}
		}
		iso.spare = batch[:0]
	}
}

func (iso *Isolate) wakeLoop() {
	select {
	case iso.wake <- struct{}{}:
	default:
	}
}

// Exec runs job on the isolate: on the calling goroutine when the isolate is
// idle — the caller becomes the vm's owner, runs job and whatever else is
// queued (up to a bound), then gives ownership back — or queued for the
// current owner otherwise. It reports false when the isolate is retired and
// the job will never run.
//
// Async work (a query) that the jobs started is not handed to another
// goroutine: after giving the vm up, the caller does the first piece itself
// — waiting on the database as a plain Go handler would — and runs its
// continuation the same way, so a request costs no goroutine hand-off at
// all. wantMore, if not nil, is asked first: a caller whose own result is
// already in hand passes the work on to worker goroutines instead.
func (iso *Isolate) Exec(job func(), wantMore func() bool) bool {
	work, ok := iso.execCollect(job)
	if len(work) > 0 {
		if wantMore != nil && !wantMore() {
			for _, t := range work {
				goTask(t)
			}
		} else {
			runTasks(work)
		}
	}
	return ok
}

// execCollect is Exec without running the deferred work: it is returned.
func (iso *Isolate) execCollect(job func()) ([]task, bool) {
	iso.mu.Lock()
	if iso.retired {
		iso.mu.Unlock()
		return nil, false
	}
	iso.queue = append(iso.queue, job)
	if iso.running {
		iso.mu.Unlock()
		return nil, true
	}
	iso.running = true
	iso.mu.Unlock()
	_, work := iso.drain(inlineBatch)
	return work, true
}

// task is a piece of Async work: it does its blocking part, settles its
// promise on the isolate (inline when it can) and returns the work that
// settlement started.
type task func() []task

// runTasks runs ts[0] here, the rest on worker goroutines, and then
// whatever the first one returns, until there is nothing left.
func runTasks(ts []task) {
	for len(ts) > 0 {
		for _, t := range ts[1:] {
			goTask(t)
		}
		ts = ts[0]()
	}
}

func goTask(t task) { asyncGoroutines.Go(func() { runTasks([]task{t}) }) }

func (iso *Isolate) runJob(job func()) {
	iso.sliceStart.Store(time.Now().UnixNano())
	defer func() {
		iso.endSlice()
		if r := recover(); r != nil {
			// A Go panic from a native function unwound goja without
			// restoring its state: the isolate cannot run JavaScript
			// safely again. The request that was running gets the error;
			// the isolate is replaced, failing the others it holds.
			if err, ok := r.(error); ok {
				iso.Check(err) // an interrupt or overflow keeps its own reason
			}
			if iso.culprit == nil {
				iso.culprit = iso.scope
			}
			iso.retireSoon(&InternalError{Panic: fmt.Sprint(r)})
			iso.log.Error("isolate job panicked; replacing the isolate", "isolate", iso.id, "panic", fmt.Sprint(r),
				"stack", string(debug.Stack()))
		}
	}()
	job()
}
