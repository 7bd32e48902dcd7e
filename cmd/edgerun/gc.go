package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// The collector's policy when the environment sets no GOGC.
//
// goja builds a JavaScript object graph per request, so collections cost a
// large share of a small server's CPU at Go's GOGC=100 (measured with
// BenchmarkDispatchHello): while the live heap is small, edgerun lets the
// heap grow to 5× it (GOGC=400). Under load the live heap grows with the
// requests in flight (500 connections to examples/pitchey keep ~50 MB
// live), and 4× that in garbage is memory nobody asked for; so the garbage
// allowed beyond the live heap is capped at gcHeadroom, and GOGC goes no
// lower than gcMinPercent (a collection per half the live heap allocated):
// the heap goal is live + clamp(32 MiB, live/2, live×4).
const (
	gcMaxPercent = 400
	gcMinPercent = 50
	gcHeadroom   = 32 << 20
)

// gcPercentFor is the GOGC for a live heap of live bytes.
func gcPercentFor(live uint64) int {
	if live == 0 {
		return gcMaxPercent
	}
	return int(min(max(gcHeadroom*100/live, gcMinPercent), gcMaxPercent))
}

// gcOwned reports whether edgerun chooses GOGC (the environment sets none).
func gcOwned() bool {
	_, set := os.LookupEnv("GOGC")
	return !set
}

var gcTuning sync.Once

// tuneGC sets GOGC from the live heap after every collection, from now on,
// unless the environment set GOGC.
func tuneGC() {
	if !gcOwned() {
		return
	}
	gcTuning.Do(func() {
		t := &gcTuner{sample: []metrics.Sample{{Name: "/gc/heap/live:bytes"}}, percent: -2}
		t.retune()
		t.arm()
	})
}

type gcTuner struct {
	sample  []metrics.Sample
	percent int
}

// gcSentinel is garbage made to be collected: its finalizer runs after the
// collection that freed it. The pointer keeps it out of the tiny allocator,
// whose blocks (and finalizers) outlive their objects.
type gcSentinel struct {
	t *gcTuner
	_ [16]byte
}

// arm makes the next collection call retune, once; retune arms it again.
func (t *gcTuner) arm() {
	runtime.SetFinalizer(&gcSentinel{t: t}, func(s *gcSentinel) {
		s.t.retune()
		s.t.arm()
	})
}

func (t *gcTuner) retune() {
	metrics.Read(t.sample)
	if t.sample[0].Value.Kind() != metrics.KindUint64 {
		return
	}
	if p := gcPercentFor(t.sample[0].Value.Uint64()); p != t.percent {
		t.percent = p
		debug.SetGCPercent(p)
	}
}
