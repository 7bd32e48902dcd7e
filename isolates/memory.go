package isolates

import (
	"runtime/metrics"
	"sync"
)

// Memory limits, honestly.
//
// goja allocates on the Go heap and keeps no per-runtime accounting, and Go
// has no per-goroutine allocation counters, so "how much memory does this
// isolate hold" cannot be answered. What can be measured cheaply (about
// 300 ns, no stop-the-world) is the process's live heap as of the last
// garbage collection (runtime/metrics "/gc/heap/live:bytes"). The watchdog
// samples it every tick and applies two rules:
//
//   - Hard limit, per slice. A synchronous slice of JavaScript that has run
//     for at least hardLimitMinSlice and during which the live heap grew
//     by more than the limit is interrupted with a
//     *MemoryLimitError and its isolate replaced: whatever else ran
//     meanwhile, an isolate that retained that much in one slice is over its
//     budget. Garbage does not count (only what survives a collection), so
//     a handler that churns through short-lived objects is not punished.
//     This catches an allocation loop. Growth that came with requests
//     arriving is not a slice's: each request more in flight or queued in
//     the pool excuses perRequestHeap of it, so a burst of thousands of
//     connections that grows the heap while a slice waits for a CPU blames
//     no one. Attribution is by elimination: the heap is shared, so when
//     two long slices run through the same growth, the watchdog first waits
//     for one of them to end by itself (an allocation loop does not; a
//     short handler that the OS or the collector held up does), and then
//     each must show growth of its own. Only when the growth passes twice
//     the limit with both still running is the one that started last (the
//     narrowest window that explains it) interrupted, and the other must
//     then show growth of its own.
//
//   - Soft limit, process-wide. When the live heap exceeds the baseline
//     (the heap when the first pool with a memory limit was made) plus the
//     limit times the number of isolates, the oldest isolate, the likeliest
//     to have accumulated module-level state, is recycled: it takes no new
//     requests and is retired once those it has are done, so no request
//     fails. At most one isolate is recycled per garbage collection. When
//     every isolate has been replaced and the heap is still over, the excess
//     is not the isolates' (a cache, connection pools) and the baseline is
//     raised to match instead of recycling forever.
//
// Limits of the method: the live heap is only known after a collection, and
// Go collects when the heap has doubled (GOGC=100), so a fast allocation
// loop is caught after the heap grows by between one and about two limits
// plus the live heap; a single allocation larger than the machine's memory
// (one huge ArrayBuffer) is a Go allocation that cannot be interrupted.

// heapBudget is the process-wide budget the soft limit compares the live
// heap with.
var heapBudget struct {
	mu       sync.Mutex
	baseline uint64 // live heap when the first reservation was made
	reserved uint64 // Σ memory limit × isolates of the open pools
}

// reserveHeap adds n bytes to the process budget until release is called.
func reserveHeap(n uint64) (release func()) {
	heapBudget.mu.Lock()
	if heapBudget.reserved == 0 {
		heapBudget.baseline = currentBaseline()
	}
	heapBudget.reserved += n
	heapBudget.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			heapBudget.mu.Lock()
			heapBudget.reserved -= n
			heapBudget.mu.Unlock()
		})
	}
}

// currentBaseline is the live heap, or before the first collection (when
// there is no live figure yet) the heap's objects, garbage included.
func currentBaseline() uint64 {
	if h := readHeap(nil); h.cycles > 0 {
		return h.live
	}
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() == metrics.KindUint64 {
		return s[0].Value.Uint64()
	}
	return 0
}

// processBudget is the live heap the open pools may use together.
func processBudget() uint64 {
	heapBudget.mu.Lock()
	defer heapBudget.mu.Unlock()
	return heapBudget.baseline + heapBudget.reserved
}

// raiseBaseline moves the baseline up so that the current live heap fits the
// budget: the excess was found not to be in any isolate.
func raiseBaseline(live uint64) (baseline uint64) {
	heapBudget.mu.Lock()
	defer heapBudget.mu.Unlock()
	if live > heapBudget.reserved && live-heapBudget.reserved > heapBudget.baseline {
		heapBudget.baseline = live - heapBudget.reserved
	}
	return heapBudget.baseline
}

type heapSample struct {
	live   uint64 // bytes live after the last collection
	cycles uint64 // collections completed
}

// heapSampler reads the two metrics; one per watchdog (metrics.Read writes
// into the slice it is given).
type heapSampler []metrics.Sample

func newHeapSampler() heapSampler {
	return heapSampler{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/cycles/total:gc-cycles"}}
}

func readHeap(s heapSampler) heapSample {
	if s == nil {
		s = newHeapSampler()
	}
	metrics.Read(s)
	var h heapSample
	if s[0].Value.Kind() == metrics.KindUint64 {
		h.live = s[0].Value.Uint64()
	}
	if s[1].Value.Kind() == metrics.KindUint64 {
		h.cycles = s[1].Value.Uint64()
	}
	return h
}
