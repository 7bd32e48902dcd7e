package isolates

import "sync"

// goroutinePool runs Async work on long-lived goroutines. A query's completion
// runs the awaiting JavaScript on the goroutine that did the work (Exec), and
// goja needs a deep stack: a fresh goroutine per query grew its stack by
// copying every time (runtime.copystack showed in profiles), a parked worker
// keeps the stack it grew.
type goroutinePool struct {
	mu   sync.Mutex
	idle []chan func()
}

// maxIdleWorkers bounds the goroutines kept parked between bursts.
const maxIdleWorkers = 512

var asyncGoroutines goroutinePool

// Go runs f on a long-lived goroutine of the same pool as Async's work. For
// I/O whose completion runs JavaScript through a RegisterCallback function:
// the completion runs inline on that goroutine when the isolate is idle,
// and a fresh goroutine would grow its stack by copying for every I/O
// (cloudflare:sockets' reads and writes: a node-postgres request does
// ~15, and the stack growth was ~18% of its instructions). f may block for
// as long as its I/O does: a busy worker is never handed more work.
func Go(f func()) { asyncGoroutines.Go(f) }

// Go runs f on an idle worker, or on a new one.
func (w *goroutinePool) Go(f func()) {
	w.mu.Lock()
	if n := len(w.idle); n > 0 {
		ch := w.idle[n-1]
		w.idle = w.idle[:n-1]
		w.mu.Unlock()
		ch <- f
		return
	}
	w.mu.Unlock()
	go w.run(make(chan func(), 1), f)
}

func (w *goroutinePool) run(ch chan func(), f func()) {
	for {
		f()
		w.mu.Lock()
		if len(w.idle) >= maxIdleWorkers {
			w.mu.Unlock()
			return
		}
		w.idle = append(w.idle, ch)
		w.mu.Unlock()
		f = <-ch
	}
}
