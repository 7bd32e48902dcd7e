package isolates

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// PoolOptions configure a Pool. Zero values take the documented defaults.
type PoolOptions struct {
	// Size is the number of isolates the pool holds at most. Default:
	// runtime.GOMAXPROCS(0).
	Size int
	// Warm is the number of isolates NewPool creates (1 to Size; 0 = Size).
	// A pool with fewer grows by one isolate at a time, in the background,
	// while every isolate it has is serving a request, up to Size: an idle
	// server does not pay for isolates that only concurrency needs.
	Warm int
	// MaxInFlight caps the requests one isolate serves at once (interleaved
	// at await points); beyond it requests wait for a slot. Default: 1000.
	MaxInFlight int
	// CPULimit interrupts a synchronous slice of JavaScript that runs longer
	// (Workers' [limits] cpu_ms), and bounds the script's top-level run when
	// an isolate is created (unless Isolate.StartupLimit is set). 0 = none.
	CPULimit time.Duration
	// MemoryLimit is the heap budget of one isolate in bytes (edgerun's
	// [limits] memory_mb; Workers' is 128 MB). goja cannot measure one
	// runtime's heap, so the watchdog enforces it from the process heap; see
	// memory.go. 0 = none.
	MemoryLimit uint64
	// Isolate is used to create every isolate (Setup, stack size, log).
	Isolate Options
	// Log receives pool events; nil = slog.Default().
	Log *slog.Logger
}

// ErrPoolClosed is returned by Acquire after Close.
var ErrPoolClosed = errors.New("isolate pool closed")

// ErrClosedWhileRunning interrupts JavaScript still running when a closing
// pool's drain time is over.
var ErrClosedWhileRunning = errors.New("the worker was still running when the isolate pool closed")

// Pool spreads requests over its isolates, least in-flight first, grows
// from Warm isolates to Size under concurrency, and replaces isolates that
// retire.
type Pool struct {
	opts PoolOptions
	log  *slog.Logger

	isolates atomic.Pointer[[]*Isolate]

	mu      sync.Mutex
	waiters []chan struct{}
	// nwaiters is len(waiters) plus Acquires registering under mu, readable
	// without the lock: Release skips the lock when nobody waits. An Acquire
	// counts itself before its last look for a free slot, so a Release that
	// reads 0 freed its slot before that look.
	nwaiters atomic.Int32
	closed   bool
	isClosed atomic.Bool // closed, readable without the lock
	replaced atomic.Int64
	queued   atomic.Int64
	// rebuilding counts replacements being created (the watchdog's soft
	// memory limit waits for them).
	rebuilding atomic.Int32
	// growing is set while an isolate is being added (one at a time).
	growing atomic.Bool

	stopWatch   chan struct{}
	watchDone   chan struct{}
	building    sync.WaitGroup
	releaseHeap func() // gives the pool's memory budget back
}

// NewPool creates opts.Warm isolates. It fails if any isolate's Setup fails
// (a script that throws at top level, say).
func NewPool(opts PoolOptions) (*Pool, error) {
	if opts.Size <= 0 {
		opts.Size = runtime.GOMAXPROCS(0) // a container's CPU limit, not the node's CPUs
	}
	if opts.Warm <= 0 || opts.Warm > opts.Size {
		opts.Warm = opts.Size
	}
	if opts.MaxInFlight <= 0 {
		opts.MaxInFlight = 1000
	}
	p := &Pool{opts: opts, log: opts.Log, stopWatch: make(chan struct{}), watchDone: make(chan struct{}), releaseHeap: func() {}}
	if p.log == nil {
		p.log = slog.Default()
	}
	if p.opts.Isolate.Log == nil {
		p.opts.Isolate.Log = p.log
	}
	if p.opts.Isolate.StartupLimit == 0 {
		p.opts.Isolate.StartupLimit = opts.CPULimit
	}
	if p.opts.Isolate.MemoryLimit == 0 {
		p.opts.Isolate.MemoryLimit = opts.MemoryLimit
	}
	if opts.MemoryLimit > 0 {
		// Reserved before the isolates exist: the process heap measured
		// now is the baseline their budget comes on top of.
		p.releaseHeap = reserveHeap(opts.MemoryLimit * uint64(opts.Size))
	}
	isos := make([]*Isolate, opts.Warm)
	errs := make([]error, opts.Warm)
	var wg sync.WaitGroup
	for i := range isos {
		wg.Add(1)
		go func() {
			defer wg.Done()
			isos[i], errs[i] = p.newIsolate()
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		for _, iso := range isos {
			if iso != nil {
				iso.Retire(ErrPoolClosed)
			}
		}
		p.releaseHeap()
		return nil, errs[firstNonNil(errs)]
	}
	p.isolates.Store(&isos)
	if opts.CPULimit > 0 || opts.MemoryLimit > 0 {
		go p.watchdog()
	} else {
		close(p.watchDone)
	}
	return p, nil
}

func firstNonNil(errs []error) int {
	for i, err := range errs {
		if err != nil {
			return i
		}
	}
	return 0
}

func (p *Pool) newIsolate() (*Isolate, error) {
	iso, err := New(p.opts.Isolate)
	if err != nil {
		return nil, err
	}
	iso.OnRetire(func(reason error) { p.onRetired(iso, reason) })
	return iso, nil
}

// Acquire picks the isolate with the fewest requests in flight and counts
// one more there; it waits while every isolate is at MaxInFlight. The caller
// must call Release exactly once.
func (p *Pool) Acquire(ctx context.Context) (*Isolate, error) {
	if p.isClosed.Load() {
		return nil, ErrPoolClosed
	}
	for {
		if iso := p.tryAcquire(); iso != nil {
			return iso, nil
		}
		wait := make(chan struct{})
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			return nil, ErrPoolClosed
		}
		// Re-check under the lock: a slot may have been freed meanwhile.
		p.nwaiters.Add(1)
		if iso := p.tryAcquire(); iso != nil {
			p.nwaiters.Add(-1)
			p.mu.Unlock()
			return iso, nil
		}
		p.waiters = append(p.waiters, wait)
		p.mu.Unlock()
		p.queued.Add(1)
		select {
		case <-wait:
			p.queued.Add(-1)
		case <-ctx.Done():
			p.queued.Add(-1)
			p.dropWaiter(wait)
			return nil, fmt.Errorf("waiting for an isolate: %w", ctx.Err())
		}
	}
}

// tryAcquire counts a request on the least busy isolate with room. Isolates
// being retired or recycled are skipped; one stuck in a long slice (stalled)
// is chosen only when no other has room, since a request queued behind it
// waits for that slice to end or be interrupted.
func (p *Pool) tryAcquire() *Isolate {
	limit := int32(p.opts.MaxInFlight)
	for range 4 {
		var best, stalled *Isolate
		bestN, stalledN := limit, limit
		for _, iso := range *p.isolates.Load() {
			if iso.doomed.Load() != nil || iso.draining.Load() {
				continue
			}
			n := iso.inflight.Load()
			if iso.stalled.Load() {
				if n < stalledN {
					stalled, stalledN = iso, n
				}
				continue
			}
			if n < bestN {
				best, bestN = iso, n
			}
		}
		if best == nil {
			best, bestN = stalled, stalledN
		}
		if best == nil {
			return nil
		}
		if best.inflight.CompareAndSwap(bestN, bestN+1) {
			if bestN > 0 {
				p.grow() // no isolate was idle
			}
			return best
		}
	}
	return nil
}

func (p *Pool) dropWaiter(wait chan struct{}) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, w := range p.waiters {
		if w == wait {
			p.waiters = append(p.waiters[:i], p.waiters[i+1:]...)
			p.nwaiters.Add(-1)
			return
		}
	}
	// Already woken: pass the wake-up on so the freed slot is not lost.
	p.wakeOneLocked()
}

// Release returns the slot Acquire counted.
func (p *Pool) Release(iso *Isolate) {
	iso.inflight.Add(-1)
	if p.nwaiters.Load() == 0 {
		return
	}
	p.mu.Lock()
	p.wakeOneLocked()
	p.mu.Unlock()
}

func (p *Pool) wakeOneLocked() {
	if len(p.waiters) == 0 {
		return
	}
	w := p.waiters[0]
	p.waiters = p.waiters[1:]
	p.nwaiters.Add(-1)
	close(w)
}

func (p *Pool) wakeAll() {
	p.mu.Lock()
	for _, w := range p.waiters {
		close(w)
	}
	p.nwaiters.Add(-int32(len(p.waiters)))
	p.waiters = nil
	p.mu.Unlock()
}

// grow adds an isolate in the background if the pool is below its size and
// none is being added. A failed setup (the script's top level threw, say) is
// logged, and the next attempt waits a second.
func (p *Pool) grow() {
	if len(*p.isolates.Load()) >= p.opts.Size || !p.growing.CompareAndSwap(false, true) {
		return
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		p.growing.Store(false)
		return
	}
	p.building.Add(1) // under mu: Close waits for it
	p.mu.Unlock()
	go func() {
		defer p.building.Done()
		defer p.growing.Store(false)
		fresh, err := p.newIsolate()
		if err != nil {
			p.log.Error("adding an isolate", "error", err.Error())
			select {
			case <-time.After(time.Second):
			case <-p.stopWatch: // closing
			}
			return
		}
		p.install(fresh, func(cur []*Isolate) []*Isolate {
			return append(append(make([]*Isolate, 0, len(cur)+1), cur...), fresh)
		})
	}()
}

// Size is the number of isolates the pool may hold.
func (p *Pool) Size() int { return p.opts.Size }

// onRetired replaces a retired isolate with a fresh one.
func (p *Pool) onRetired(old *Isolate, reason error) {
	p.mu.Lock()
	closed := p.closed
	p.mu.Unlock()
	if closed {
		return
	}
	p.log.Warn("isolate replaced", "isolate", old.ID(), "reason", reason.Error())
	p.replaced.Add(1)
	p.building.Add(1)
	p.rebuilding.Add(1)
	go func() {
		defer p.building.Done()
		defer p.rebuilding.Add(-1)
		for attempt := 0; ; attempt++ {
			fresh, err := p.newIsolate()
			if err == nil {
				p.swap(old, fresh)
				return
			}
			p.log.Error("creating replacement isolate", "error", err.Error())
			p.mu.Lock()
			closed := p.closed
			p.mu.Unlock()
			if closed || attempt >= 5 {
				return
			}
			time.Sleep(time.Duration(attempt+1) * 100 * time.Millisecond)
		}
	}()
}

// swap puts fresh in old's place.
func (p *Pool) swap(old, fresh *Isolate) {
	p.install(fresh, func(cur []*Isolate) []*Isolate {
		next := make([]*Isolate, 0, len(cur))
		for _, iso := range cur {
			if iso == old {
				iso = fresh
			}
			next = append(next, iso)
		}
		return next
	})
}

// install publishes the list edit makes of the current one, with fresh in
// it, and wakes the waiters. It is where grow and swap check for Close:
// once it began, a closing pool takes no more isolates, and fresh is
// retired instead.
func (p *Pool) install(fresh *Isolate, edit func(cur []*Isolate) []*Isolate) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		fresh.Retire(ErrPoolClosed)
		return
	}
	next := edit(*p.isolates.Load())
	p.isolates.Store(&next)
	p.mu.Unlock()
	p.wakeAll()
}

// PoolStats is a snapshot for health and metrics.
type PoolStats struct {
	Isolates int   // live isolates
	Busy     int   // isolates serving at least one request
	InFlight int   // requests being served
	Queued   int   // requests waiting for a slot
	Replaced int64 // isolates replaced since start
	Pending  int   // outstanding async callbacks (queries, timers, waitUntil)
}

// Stats returns a snapshot of the pool.
func (p *Pool) Stats() PoolStats {
	s := PoolStats{Queued: int(p.queued.Load()), Replaced: p.replaced.Load()}
	for _, iso := range *p.isolates.Load() {
		s.Isolates++
		n := iso.InFlight()
		s.InFlight += n
		if n > 0 {
			s.Busy++
		}
		s.Pending += iso.Pending()
	}
	return s
}

// Isolates returns the current isolates (for tests and admin views).
func (p *Pool) Isolates() []*Isolate { return append([]*Isolate(nil), *p.isolates.Load()...) }

// Close retires every isolate once in-flight requests have finished (the
// dispatcher keeps a request in flight until its waitUntil work is done) or
// ctx ends.
func (p *Pool) Close(ctx context.Context) error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	p.isClosed.Store(true)
	p.mu.Unlock()
	p.wakeAll()
	var err error
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
wait:
	for {
		s := p.Stats()
		if s.InFlight == 0 {
			break
		}
		select {
		case <-ctx.Done():
			err = fmt.Errorf("closing isolate pool with %d requests in flight: %w", s.InFlight, ctx.Err())
			break wait
		case <-tick.C:
		}
	}
	// The watchdog keeps guarding the requests being drained; it stops
	// once they are done.
	close(p.stopWatch)
	<-p.watchDone
	p.building.Wait()
	for _, iso := range *p.isolates.Load() {
		iso.Retire(ErrPoolClosed)
		// A slice still running (a loop that outlived the drain) would never
		// let the isolate end: the watchdog is gone, so interrupt it here.
		// Not ErrPoolClosed: that would have the request run again on the
		// next version, after it partly ran here.
		iso.interruptSlice(iso.sliceStart.Load(), ErrClosedWhileRunning)
		<-iso.Done()
	}
	p.releaseHeap()
	return err
}

// Closed reports whether Close has been called: the pool takes no more
// requests.
func (p *Pool) Closed() bool { return p.isClosed.Load() }
