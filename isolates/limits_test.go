package isolates

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dop251/goja"
)

// newQuietPool is a pool without a running watchdog: tests drive a watch by
// hand with chosen times and heap samples.
func newQuietPool(t *testing.T, size int) *Pool {
	t.Helper()
	p, err := NewPool(PoolOptions{Size: size})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// Bounded: a test that fails holding a request must fail, not hang.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		p.Close(ctx)
	})
	// Every isolate idle before the test drives the watch: a start-up slice
	// still running on a loaded machine would count as stalled too.
	for _, iso := range p.Isolates() {
		waitUntil(t, "the isolate's start-up to end", func() bool { return iso.sliceStart.Load() == 0 })
	}
	return p
}

// holdSlice runs a Go job on iso that lasts until release is closed; to
// the watchdog it is a slice like any other. It returns the slice's start.
func holdSlice(t *testing.T, iso *Isolate) (start int64, release func()) {
	t.Helper()
	started, stop := make(chan struct{}), make(chan struct{})
	if !iso.Enqueue(func() { close(started); <-stop }) {
		t.Fatal("isolate refused a job")
	}
	<-started
	// A test that fails while holding the slice must still let the job end,
	// or the pool's cleanup waits for it forever.
	var once sync.Once
	release = func() { once.Do(func() { close(stop) }) }
	t.Cleanup(release)
	return iso.sliceStart.Load(), release
}

// waitUntil polls state another goroutine changes.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func at(nanos int64, d time.Duration) time.Time { return time.Unix(0, nanos).Add(d) }

func TestWatchdogStallsThenInterruptsOnlyTheRunawaySlice(t *testing.T) {
	p := newQuietPool(t, 2)
	p.opts.CPULimit = 100 * time.Millisecond
	w := newWatchdogState(p)
	a, b := p.Isolates()[0], p.Isolates()[1]

	// A slice longer than a tick is stalled: requests go to the other
	// isolate even when it is busier.
	start, release := holdSlice(t, a)
	w.check(at(start, w.tick+1), heapSample{})
	if !a.stalled.Load() || a.doomed.Load() != nil {
		t.Fatalf("after one tick: stalled %v, doomed %v", a.stalled.Load(), a.doomed.Load())
	}
	for i := range 3 {
		if got := p.tryAcquire(); got != b {
			t.Fatalf("acquire %d went to the stalled isolate", i)
		}
	}
	for range 3 {
		p.Release(b)
	}
	release()
	waitUntil(t, "the slice to end", func() bool { return a.sliceStart.Load() == 0 })
	if a.stalled.Load() {
		t.Fatal("the isolate is still stalled after its slice ended")
	}

	// The watchdog acting on that slice late does nothing: no interrupt
	// reaches the next JavaScript to run.
	if a.interruptSlice(start, &CPULimitError{Limit: p.opts.CPULimit}) {
		t.Fatal("interrupted a slice that had ended")
	}
	if got := run(t, a, "let n = 0; for (let i = 0; i < 1000; i++) n += i; n"); got != int64(499500) {
		t.Fatalf("next run = %v", got)
	}

	// A JavaScript slice past the CPU limit is interrupted, and the isolate
	// retired with the limit as the reason. (Do returns before its slice's
	// bookkeeping ends: wait for that, so start below is the new slice's.)
	waitUntil(t, "the previous slice to end", func() bool { return a.sliceStart.Load() == 0 })
	errc := make(chan error, 1)
	a.Enqueue(func() {
		_, err := a.vm.RunString(`while (true) {}`)
		errc <- a.Check(err)
	})
	waitUntil(t, "the loop to start", func() bool { return a.sliceStart.Load() != 0 })
	start = a.sliceStart.Load()
	w.check(at(start, p.opts.CPULimit/2), heapSample{})
	if a.doomed.Load() != nil {
		t.Fatal("interrupted before the limit")
	}
	w.check(at(start, p.opts.CPULimit+1), heapSample{})
	err := <-errc
	var ie *goja.InterruptedError
	var limit *CPULimitError
	if !errors.As(err, &ie) || !errors.As(err, &limit) {
		t.Fatalf("runaway loop ended with %v, want an interrupt carrying *CPULimitError", err)
	}
	<-a.Done()
	if b.doomed.Load() != nil {
		t.Fatal("the other isolate was doomed too")
	}
}

func TestMemoryRuleBlamesTheLatestSliceThroughTheGrowth(t *testing.T) {
	p := newQuietPool(t, 2)
	p.opts.MemoryLimit = 64 << 20
	w := newWatchdogState(p)
	a, b := p.Isolates()[0], p.Isolates()[1]
	var reason error
	b.OnRetire(func(r error) { reason = r })

	startA, releaseA := holdSlice(t, a)
	defer releaseA()
	startB, releaseB := holdSlice(t, b)
	base := uint64(100 << 20)
	// Growth past the limit across slices too young to blame (a burst of
	// connections grows the heap too) interrupts nothing.
	young := at(max(startA, startB), time.Millisecond)
	w.check(young, heapSample{live: base})
	w.check(young, heapSample{live: base + 200<<20})
	if a.doomed.Load() != nil || b.doomed.Load() != nil {
		t.Fatal("interrupted a slice younger than hardLimitMinSlice")
	}
	now := at(max(startA, startB), hardLimitMinSlice)

	// Growth that came with thousands of requests arriving (a burst of
	// connections while the slices waited to be scheduled) is theirs.
	w.check(now, heapSample{live: base})
	p.queued.Add(10000)
	w.check(now, heapSample{live: base + 64<<20 + 200<<20})
	if a.doomed.Load() != nil || b.doomed.Load() != nil {
		t.Fatal("blamed a slice for the heap a burst of 10,000 requests grew")
	}
	p.queued.Add(-10000)
	w.check(now, heapSample{live: base})
	w.check(now, heapSample{live: base + 64<<20}) // grew by the limit: not over it
	if a.doomed.Load() != nil || b.doomed.Load() != nil {
		t.Fatal("interrupted at the limit")
	}
	// Past the limit with both slices still running, the watchdog waits
	// for one to end by itself, up to twice the limit.
	w.check(now, heapSample{live: base + 64<<20 + 1})
	w.check(now, heapSample{live: base + 128<<20})
	if a.doomed.Load() != nil || b.doomed.Load() != nil {
		t.Fatal("interrupted a slice while another ran through the same growth, before twice the limit")
	}
	w.check(now, heapSample{live: base + 128<<20 + 1})
	if a.doomed.Load() != nil || b.doomed.Load() == nil {
		t.Fatalf("doomed: first slice %v, latest slice %v; want only the latest", a.doomed.Load(), b.doomed.Load())
	}
	// The earlier slice must now show growth of its own.
	w.check(now, heapSample{live: base + 100<<20})
	if a.doomed.Load() != nil {
		t.Fatal("the other slice was blamed for the same growth")
	}
	releaseB()
	<-b.Done()
	var mem *MemoryLimitError
	if !errors.As(reason, &mem) || mem.Grew != 128<<20+1 || !strings.Contains(reason.Error(), "exceeded memory limit (64 MiB)") {
		t.Fatalf("retire reason = %v", reason)
	}
	if !errors.Is(reason, ErrResourceLimit) {
		t.Fatal("a memory limit error is not an ErrResourceLimit")
	}
}

// The soak's flake: a short handler that the machine held up for over
// hardLimitMinSlice overlapped an allocation loop and was interrupted for
// the loop's growth. Of two slices through the same growth, the one that
// ends by itself was not a loop; the other must then grow on its own.
func TestMemoryRuleSparesTheSliceThatEndsByItself(t *testing.T) {
	for _, innocent := range []string{"the later slice", "the earlier slice"} {
		t.Run(innocent, func(t *testing.T) {
			p := newQuietPool(t, 2)
			p.opts.MemoryLimit = 64 << 20
			w := newWatchdogState(p)
			a, b := p.Isolates()[0], p.Isolates()[1]
			startA, releaseA := holdSlice(t, a)
			startB, releaseB := holdSlice(t, b)
			ends, endsRelease, loop := b, releaseB, a
			if innocent == "the earlier slice" {
				ends, endsRelease, loop = a, releaseA, b
			}
			now := at(max(startA, startB), hardLimitMinSlice)
			base := uint64(100 << 20)
			w.check(now, heapSample{live: base})
			w.check(now, heapSample{live: base + 100<<20})
			if a.doomed.Load() != nil || b.doomed.Load() != nil {
				t.Fatal("interrupted one of two slices through the same growth below twice the limit")
			}
			endsRelease()
			waitUntil(t, "the slice to end", func() bool { return ends.sliceStart.Load() == 0 })
			w.check(now, heapSample{live: base + 110<<20})
			if loop.doomed.Load() != nil || ends.doomed.Load() != nil {
				t.Fatal("blamed the slice still running for growth it shared with one that ended")
			}
			w.check(now, heapSample{live: base + 110<<20 + 64<<20})
			if loop.doomed.Load() != nil {
				t.Fatal("interrupted at the limit of its own growth")
			}
			w.check(now, heapSample{live: base + 110<<20 + 64<<20 + 1})
			if loop.doomed.Load() == nil {
				t.Fatal("the slice that kept growing on its own past the limit was not interrupted")
			}
		})
	}
}

func TestSoftMemoryLimitRecyclesOldestThenBlamesTheRest(t *testing.T) {
	p := newQuietPool(t, 2)
	p.opts.MemoryLimit = 16 << 20
	release := reserveHeap(32 << 20)
	defer release()
	w := newWatchdogState(p)
	oldest := p.Isolates()[0]
	for _, iso := range p.Isolates() {
		if iso.born.Before(oldest.born) {
			oldest = iso
		}
	}
	over := processBudget() + 1

	// Settled at cycle 10; the heap is judged two collections later.
	w.check(time.Now(), heapSample{live: over, cycles: 10})
	w.check(time.Now(), heapSample{live: over, cycles: 11})
	if n := draining(p); n != 0 {
		t.Fatalf("%d isolates draining before two collections", n)
	}
	// A request in flight on the oldest isolate keeps it until done.
	oldest.inflight.Add(1)
	w.check(time.Now(), heapSample{live: over, cycles: 12})
	if !oldest.draining.Load() || draining(p) != 1 {
		t.Fatal("the oldest isolate was not the one recycled")
	}
	if got := p.tryAcquire(); got == oldest || got == nil {
		t.Fatalf("a draining isolate took a request (%v)", got)
	} else {
		p.Release(got)
	}
	w.check(time.Now(), heapSample{live: over, cycles: 13})
	if oldest.Retired() {
		t.Fatal("retired with a request in flight")
	}
	oldest.inflight.Add(-1)
	w.check(time.Now(), heapSample{live: over, cycles: 13})
	<-oldest.Done()
	waitUntil(t, "the replacement", func() bool { return p.Stats().Replaced == 1 && p.rebuilding.Load() == 0 })

	// Still over: the other original isolate goes next, one per two
	// collections.
	w.check(time.Now(), heapSample{live: over, cycles: 14})
	w.check(time.Now(), heapSample{live: over, cycles: 16})
	if draining(p) != 1 {
		t.Fatal("the second original isolate was not recycled")
	}
	w.check(time.Now(), heapSample{live: over, cycles: 16})
	waitUntil(t, "the second replacement", func() bool { return p.Stats().Replaced == 2 && p.rebuilding.Load() == 0 })

	// Every isolate is younger than the excess: it is not theirs, so the
	// baseline moves instead of recycling forever.
	w.check(time.Now(), heapSample{live: over, cycles: 17})
	w.check(time.Now(), heapSample{live: over, cycles: 19})
	if n := draining(p); n != 0 || p.Stats().Replaced != 2 {
		t.Fatalf("recycled a young isolate: draining %d, replaced %d", n, p.Stats().Replaced)
	}
	if b := processBudget(); b < over {
		t.Fatalf("budget %d was not raised to the live heap %d", b, over)
	}
}

func draining(p *Pool) int {
	n := 0
	for _, iso := range p.Isolates() {
		if iso.draining.Load() {
			n++
		}
	}
	return n
}

func TestMemoryLimitStopsAnAllocationLoop(t *testing.T) {
	p, err := NewPool(PoolOptions{Size: 1, MemoryLimit: 32 << 20, CPULimit: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(context.Background())
	iso := p.Isolates()[0]
	err = iso.Do(func() error {
		_, err := iso.Runtime().RunString(`const a = []; while (true) a.push(new Array(1e5).fill(1))`)
		return iso.Check(err)
	})
	var mem *MemoryLimitError
	if !errors.As(err, &mem) || mem.Grew <= 32<<20 {
		t.Fatalf("allocation loop ended with %v, want an interrupt carrying *MemoryLimitError", err)
	}
	<-iso.Done()
	waitUntil(t, "the replacement", func() bool { s := p.Stats(); return s.Replaced == 1 && s.Isolates == 1 && p.Isolates()[0] != iso })
	if got := run(t, p.Isolates()[0], "[1, 2, 3].length"); got != int64(3) {
		t.Fatalf("replacement computed %v", got)
	}
}

func TestStartupLimitFailsAScriptThatLoopsAtTopLevel(t *testing.T) {
	_, err := NewPool(PoolOptions{Size: 1, CPULimit: 30 * time.Millisecond, Isolate: Options{Setup: func(iso *Isolate) error {
		_, err := iso.Runtime().RunString(`while (true) {}`)
		return err
	}}})
	var limit *CPULimitError
	if !errors.As(err, &limit) || !limit.Startup || !strings.Contains(err.Error(), "while evaluating the script at startup") {
		t.Fatalf("NewPool = %v, want a startup CPU limit error", err)
	}
}

func TestGoInternalsAreNotGlobals(t *testing.T) {
	iso := newIsolate(t)
	if got := run(t, iso, `typeof GoError`); got != "undefined" {
		t.Fatalf("typeof GoError = %v", got)
	}
	// Go errors still reach scripts as Error objects.
	err := iso.Do(func() error {
		vm := iso.Runtime()
		_ = vm.Set("fail", func() { panic(iso.ToJSError(errors.New("from go"))) })
		v, err := vm.RunString(`try { fail() } catch (e) { (e instanceof Error) + " " + e.message }`)
		if err != nil {
			return err
		}
		if v.String() != "true from go" {
			return errors.New("caught " + v.String())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
