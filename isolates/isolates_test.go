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

// run evaluates src on iso and returns the result exported to Go.
func run(t *testing.T, iso *Isolate, src string) any {
	t.Helper()
	var out any
	err := iso.Do(func() error {
		v, err := iso.Runtime().RunString(src)
		if err != nil {
			return err
		}
		out = v.Export()
		return nil
	})
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	return out
}

// waitGlobal polls a global until it is defined (set by async JS).
func waitGlobal(t *testing.T, iso *Isolate, name string) any {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if v := run(t, iso, "typeof "+name+" === 'undefined' ? undefined : "+name); v != nil {
			return v
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatalf("%s never set", name)
	return nil
}

func newIsolate(t *testing.T) *Isolate {
	t.Helper()
	iso, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { iso.Retire(nil); <-iso.Done() })
	return iso
}

func TestTimersFireInOrderAndClear(t *testing.T) {
	iso := newIsolate(t)
	run(t, iso, `
		var order = [];
		// b's 150 ms leaves the interval's three 2 ms turns room on a loaded
		// machine: a loop woken late fires an interval once and re-arms it.
		setTimeout(() => order.push("b"), 150);
		setTimeout((x) => order.push(x), 1, "a");
		var cleared = setTimeout(() => order.push("never"), 5);
		clearTimeout(cleared);
		var n = 0, iv = setInterval(() => { if (++n === 3) { clearInterval(iv); order.push("i3"); } }, 2);
		setTimeout(() => { globalThis.done = order.join(","); }, 200);
	`)
	if got := waitGlobal(t, iso, "done"); got != "a,i3,b" {
		t.Fatalf("timer order = %v, want a,i3,b", got)
	}
	if p := iso.Pending(); p != 0 {
		t.Fatalf("pending callbacks after all timers = %d, want 0", p)
	}
}

func TestAsyncSettlesOnLoopWithScope(t *testing.T) {
	iso := newIsolate(t)
	ctx := context.WithValue(context.Background(), ctxKey{}, "req-7")
	scope := NewScope(ctx, 7)
	var sawCtx any
	err := iso.Do(func() error {
		vm := iso.Runtime()
		_ = vm.Set("work", func(call goja.FunctionCall) goja.Value {
			return vm.ToValue(iso.Async(func(ctx context.Context) func(*goja.Runtime) (goja.Value, error) {
				sawCtx = ctx.Value(ctxKey{})
				n := call.Argument(0).ToInteger()
				return func(vm *goja.Runtime) (goja.Value, error) {
					if n < 0 {
						return nil, errors.New("negative")
					}
					return vm.ToValue(n * 2), nil
				}
			}))
		})
		_ = vm.Set("scopeID", func() int64 {
			if s := iso.Scope(); s != nil {
				return int64(s.ID)
			}
			return -1
		})
		iso.SetScope(scope)
		_, err := vm.RunString(`
			(async () => {
				const a = await work(21);
				let err = "";
				try { await work(-1) } catch (e) { err = e.message }
				globalThis.result = a + "|" + err + "|" + scopeID();
			})()`)
		iso.SetScope(nil)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := waitGlobal(t, iso, "result"); got != "42|negative|7" {
		t.Fatalf("result = %v", got)
	}
	if sawCtx != "req-7" {
		t.Fatalf("work ran with context value %v, want the scope's", sawCtx)
	}
}

type ctxKey struct{}

func TestRegisterCallbackTwicePanics(t *testing.T) {
	iso := newIsolate(t)
	release := iso.RegisterCallback()
	release(nil)
	defer func() {
		if recover() == nil {
			t.Fatal("second call did not panic")
		}
	}()
	release(nil)
}

func TestStackOverflowRetiresIsolate(t *testing.T) {
	iso, err := New(Options{MaxCallStackSize: 200})
	if err != nil {
		t.Fatal(err)
	}
	var reason error
	iso.OnRetire(func(r error) { reason = r })
	err = iso.Do(func() error {
		_, err := iso.Runtime().RunString(`function f(n) { return f(n + 1) + 1 } f(0)`)
		return iso.Check(err)
	})
	var so *goja.StackOverflowError
	if !errors.As(err, &so) {
		t.Fatalf("err = %v, want stack overflow", err)
	}
	<-iso.Done()
	if _, ok := reason.(*StackOverflowError); !ok {
		t.Fatalf("retire reason = %v", reason)
	}
	if iso.Enqueue(func() {}) {
		t.Fatal("retired isolate accepted a job")
	}
}

func TestPoolSpreadsAndQueuesBeyondCap(t *testing.T) {
	p, err := NewPool(PoolOptions{Size: 2, MaxInFlight: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(context.Background())
	ctx := context.Background()
	var held []*Isolate
	for range 4 {
		iso, err := p.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, iso)
	}
	per := map[*Isolate]int{}
	for _, iso := range held {
		per[iso]++
	}
	if len(per) != 2 || per[held[0]] != 2 {
		t.Fatalf("4 requests over 2 isolates with cap 2 spread as %v", per)
	}
	// A fifth waits until a slot frees.
	got := make(chan *Isolate)
	go func() {
		iso, err := p.Acquire(ctx)
		if err != nil {
			t.Error(err)
		}
		got <- iso
	}()
	deadline := time.Now().Add(2 * time.Second)
	for p.Stats().Queued != 1 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if q := p.Stats().Queued; q != 1 {
		t.Fatalf("queued = %d, want 1", q)
	}
	p.Release(held[3])
	if iso := <-got; iso != held[3] {
		t.Fatalf("waiter got a different isolate than the one freed")
	}
	// A waiter gives up with its context.
	cctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if _, err := p.Acquire(cctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Acquire with expired context = %v", err)
	}
	for _, iso := range held[:3] {
		p.Release(iso)
	}
	p.Release(held[3])
	if s := p.Stats(); s.InFlight != 0 || s.Queued != 0 {
		t.Fatalf("stats after releasing all = %+v", s)
	}
}

func TestCPULimitInterruptsAndReplaces(t *testing.T) {
	p, err := NewPool(PoolOptions{Size: 1, CPULimit: 30 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(context.Background())
	iso, _ := p.Acquire(context.Background())
	var mu sync.Mutex
	var reason error
	iso.OnRetire(func(r error) { mu.Lock(); reason = r; mu.Unlock() })
	err = iso.Do(func() error {
		_, err := iso.Runtime().RunString(`while (true) {}`)
		return iso.Check(err)
	})
	p.Release(iso)
	var ie *goja.InterruptedError
	if !errors.As(err, &ie) {
		t.Fatalf("runaway loop returned %v, want an interrupt", err)
	}
	<-iso.Done()
	mu.Lock()
	var limit *CPULimitError
	if !errors.As(reason, &limit) || !strings.Contains(reason.Error(), "CPU time limit") {
		t.Fatalf("retire reason = %v", reason)
	}
	mu.Unlock()
	// The replacement serves, and no stale interrupt kills its next run.
	deadline := time.Now().Add(5 * time.Second)
	for {
		fresh := p.Isolates()[0]
		if fresh != iso {
			if got := run(t, fresh, "1 + 1"); got != int64(2) {
				t.Fatalf("replacement computed %v", got)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("isolate was not replaced")
		}
		time.Sleep(time.Millisecond)
	}
	if r := p.Stats().Replaced; r != 1 {
		t.Fatalf("replaced = %d, want 1", r)
	}
}

func TestSetupErrorFailsPool(t *testing.T) {
	_, err := NewPool(PoolOptions{Size: 2, Isolate: Options{Setup: func(iso *Isolate) error {
		_, err := iso.Runtime().RunString(`throw new Error("top-level boom")`)
		return err
	}}})
	if err == nil || !strings.Contains(err.Error(), "top-level boom") {
		t.Fatalf("NewPool error = %v", err)
	}
}

// A Go panic in a native function (a bug in edgerun) must not leave the
// request hanging or the isolate half-unwound: the isolate is replaced, the
// request that ran is its culprit, and the reason says what happened.
func TestGoPanicInNativeRetiresTheIsolate(t *testing.T) {
	iso := newIsolate(t)
	retired := make(chan error, 1)
	iso.OnRetire(func(reason error) { retired <- reason })
	if err := iso.Do(func() error {
		return iso.Runtime().Set("boom", func(goja.FunctionCall) goja.Value {
			var m map[string]int
			m["x"] = 1 // nil map write: a Go runtime panic, not a JS exception
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	scope := NewScope(context.Background(), 7)
	if ok := iso.Exec(func() {
		iso.SetScope(scope)
		_, _ = iso.Runtime().RunString(`try { boom(); } catch (e) { globalThis.caught = true; }`)
	}, nil); !ok {
		t.Fatal("Exec refused the job")
	}
	select {
	case reason := <-retired:
		var ie *InternalError
		if !errors.As(reason, &ie) || !strings.Contains(ie.Panic, "nil map") {
			t.Fatalf("retired with %v, want an InternalError naming the panic", reason)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the isolate was not retired after a Go panic")
	}
	if iso.Culprit() != scope {
		t.Fatalf("culprit = %v, want the scope that was running", iso.Culprit())
	}
	if ok := iso.Exec(func() {}, nil); ok {
		t.Fatal("a retired isolate accepted more work")
	}
}
