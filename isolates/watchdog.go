package isolates

import (
	"time"
)

// watchdog enforces the CPU and memory limits: one goroutine and one ticker
// per pool, so the request path arms no timers. Each tick it looks at every
// isolate's current slice (sliceStart, set by the loop around each job):
// marks slices that outlast a tick as stalled (new requests go elsewhere),
// interrupts those past the CPU limit, and applies the memory rules of
// memory.go.
func (p *Pool) watchdog() {
	defer close(p.watchDone)
	w := newWatchdogState(p)
	var sampler heapSampler
	if w.memory {
		sampler = newHeapSampler()
	}
	t := time.NewTicker(w.tick)
	defer t.Stop()
	for {
		select {
		case <-p.stopWatch:
			return
		case <-t.C:
			var heap heapSample
			if w.memory {
				heap = readHeap(sampler)
			}
			w.check(time.Now(), heap)
		}
	}
}

func newWatchdogState(p *Pool) *watchdogState {
	return &watchdogState{pool: p, tick: p.watchTick(), memory: p.opts.MemoryLimit > 0, slices: make(map[*Isolate]*sliceWatch)}
}

// watchTick is a tenth of the CPU limit within [1ms, 100ms], and at most
// 10ms when memory is watched: an allocation loop can retain a gigabyte a
// second, so the memory rules must look often.
func (p *Pool) watchTick() time.Duration {
	tick := 100 * time.Millisecond
	if p.opts.CPULimit > 0 {
		tick = min(max(p.opts.CPULimit/10, time.Millisecond), tick)
	}
	if p.opts.MemoryLimit > 0 {
		tick = min(tick, 10*time.Millisecond)
	}
	return tick
}

// watchdogState is the watchdog's state; only its goroutine touches it.
type watchdogState struct {
	pool   *Pool
	tick   time.Duration
	memory bool // the memory rules apply
	slices map[*Isolate]*sliceWatch
	seen   *[]*Isolate // the pool's isolate list at the last check

	// Soft limit: the pool is "settled" when no isolate is being retired,
	// recycled or rebuilt; the heap is judged only two collections after
	// that, when what the old isolates held has been collected.
	settledAt uint64 // GC cycle count when the pool last became settled
	settled   bool
	overSince time.Time // the live heap has been over budget since
}

// sliceWatch is what the watchdog saw of one isolate's current slice.
type sliceWatch struct {
	start    int64  // the slice's sliceStart
	live     uint64 // live heap when the watchdog first saw it
	requests int64  // the pool's requests in flight and queued then
	// contested: the slice was one of several through the same growth,
	// and the watchdog is waiting to see which of them ends by itself.
	contested bool
}

// perRequestHeap is the heap growth each additional request in flight or
// queued excuses: a request holds its connection's buffers, its copy and
// its JavaScript objects (a burst of 10,000 grew the live heap by about
// 200 MiB), with room to spare.
const perRequestHeap = 64 << 10

// grewBeyond reports whether the live heap grew during the slice by more
// than limit plus what the requests that arrived meanwhile account for: a
// burst of requests grows the heap while a slice waits to be scheduled,
// and that growth is not the slice's.
func (sw *sliceWatch) grewBeyond(live uint64, requests int64, limit uint64) bool {
	allowance := uint64(0)
	if d := requests - sw.requests; d > 0 {
		allowance = uint64(d) * perRequestHeap
	}
	return live > sw.live+limit+allowance
}

// check looks at every isolate once, given the time and the heap now.
// hardLimitMinSlice is how long a slice must have run before heap growth
// is blamed on it. An allocation loop that retains a limit's worth of
// memory runs far longer than this in goja (each allocation is slow).
const hardLimitMinSlice = 100 * time.Millisecond

func (w *watchdogState) check(now time.Time, heap heapSample) {
	p := w.pool
	list := p.isolates.Load()
	if list != w.seen {
		// An isolate was replaced: forget it, or this map would keep a
		// retired vm (and all it allocated) reachable.
		w.forgetRetired(*list)
		w.seen = list
	}
	isos := *list
	cpuLimit := p.opts.CPULimit.Nanoseconds()
	memLimit := p.opts.MemoryLimit
	settled := p.rebuilding.Load() == 0

	requests := p.queued.Load()
	for _, iso := range isos {
		requests += int64(iso.inflight.Load())
	}
	var suspect *Isolate
	var suspectSlice *sliceWatch
	var suspects []*sliceWatch
	contestedEnded := false
	for _, iso := range isos {
		if iso.doomed.Load() != nil {
			settled = false
			continue
		}
		if iso.draining.Load() {
			settled = false
			if iso.inflight.Load() == 0 {
				iso.Retire(iso.drainReason)
			}
		}
		start := iso.sliceStart.Load()
		if start == 0 {
			if sw := w.slices[iso]; sw != nil && sw.contested {
				contestedEnded = true
			}
			delete(w.slices, iso)
			continue
		}
		age := now.UnixNano() - start
		if age > w.tick.Nanoseconds() && !iso.stalled.Load() {
			iso.stalled.Store(true)
		}
		if cpuLimit > 0 && age > cpuLimit {
			iso.interruptSlice(start, &CPULimitError{Limit: p.opts.CPULimit})
			settled = false
			continue
		}
		if !w.memory {
			continue
		}
		sw := w.slices[iso]
		if sw == nil || sw.start != start {
			if sw != nil && sw.contested {
				contestedEnded = true
			}
			w.slices[iso] = &sliceWatch{start: start, live: heap.live, requests: requests}
			continue
		}
		// Only a long slice is a suspect: the heap is the process's, and
		// under a burst of connections it grows while short slices come
		// and go (a 10,000-request burst grew it by 184 MiB across one
		// slice that the OS had descheduled for a few milliseconds).
		if age >= hardLimitMinSlice.Nanoseconds() && sw.grewBeyond(heap.live, requests, memLimit) {
			suspects = append(suspects, sw)
			if suspect == nil || start > suspectSlice.start {
				suspect, suspectSlice = iso, sw
			}
		}
	}
	switch {
	case contestedEnded:
		// One of several slices through the same growth ended by itself,
		// which an allocation loop does not do: the growth is not clearly
		// any one's, so every slice must now show growth of its own. A
		// loop among them is caught once it has (another limit's worth).
		for _, sw := range w.slices {
			sw.live, sw.requests, sw.contested = heap.live, requests, false
		}
		suspect = nil
	case len(suspects) > 1 && !suspectSlice.grewBeyond(heap.live, requests, 2*memLimit):
		// Several long slices ran through the growth and the heap (known
		// only after a collection) cannot say whose it is. The usual
		// innocent one is a short handler the OS or the collector held up,
		// and it ends soon; so wait for one to end, up to twice the limit,
		// rather than interrupt a request that did nothing wrong.
		for _, sw := range suspects {
			sw.contested = true
		}
		suspect = nil
	}
	if suspect != nil {
		reason := &MemoryLimitError{Limit: memLimit, Grew: heap.live - suspectSlice.live}
		if suspect.interruptSlice(suspectSlice.start, reason) {
			settled = false
			// Any other slice must now show growth of its own.
			for _, sw := range w.slices {
				sw.live, sw.requests, sw.contested = heap.live, requests, false
			}
		}
	}
	if w.memory {
		w.softLimit(now, heap, isos, settled)
	}
}

// softLimit recycles the oldest isolate when the live heap is over the
// process budget (see memory.go).
func (w *watchdogState) softLimit(now time.Time, heap heapSample, isos []*Isolate, settled bool) {
	if !settled {
		w.settled = false
		return
	}
	if !w.settled {
		w.settled, w.settledAt = true, heap.cycles
	}
	if heap.cycles < w.settledAt+2 {
		return
	}
	budget := processBudget()
	if heap.live <= budget {
		w.overSince = time.Time{}
		return
	}
	if w.overSince.IsZero() {
		w.overSince = now
	}
	var oldest *Isolate
	for _, iso := range isos {
		if iso.born.Before(w.overSince) && (oldest == nil || iso.born.Before(oldest.born)) {
			oldest = iso
		}
	}
	p := w.pool
	if oldest == nil {
		// Every isolate is younger than the excess: it is held elsewhere.
		base := raiseBaseline(heap.live)
		p.log.Warn("live heap is over the isolates' memory budget but not in the isolates; raised the baseline",
			"live_mib", heap.live>>20, "budget_mib", budget>>20, "baseline_mib", base>>20)
		w.overSince = time.Time{}
		return
	}
	reason := &MemoryLimitError{Limit: p.opts.MemoryLimit, Heap: heap.live, Budget: budget}
	p.log.Warn("recycling isolate: "+reason.Error(), "isolate", oldest.ID())
	oldest.drainReason = reason
	oldest.draining.Store(true)
	w.settled = false
}

func (w *watchdogState) forgetRetired(isos []*Isolate) {
	live := make(map[*Isolate]bool, len(isos))
	for _, iso := range isos {
		live[iso] = true
	}
	for iso := range w.slices {
		if !live[iso] {
			delete(w.slices, iso)
		}
	}
}
