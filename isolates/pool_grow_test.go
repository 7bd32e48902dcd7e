package isolates

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// A pool that starts with one warm isolate adds one while every isolate it
// has is busy, never while one is idle, and stops at its size.
func TestPoolGrowsWhileEveryIsolateIsBusy(t *testing.T) {
	p, err := NewPool(PoolOptions{Size: 3, Warm: 1})
	if err != nil {
		t.Fatal(err)
	}
	var held []*Isolate
	defer func() {
		for _, iso := range held {
			p.Release(iso)
		}
		p.Close(context.Background())
	}()
	ctx := context.Background()
	acquire := func() *Isolate {
		t.Helper()
		iso, err := p.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, iso)
		return iso
	}
	if n := p.Stats().Isolates; n != 1 || p.Size() != 3 {
		t.Fatalf("a new pool has %d isolates of %d, want 1 of 3", n, p.Size())
	}
	first := acquire() // the isolate was idle: nothing to add
	if p.growing.Load() || p.Stats().Isolates != 1 {
		t.Fatalf("the pool grew for a request that found an idle isolate")
	}
	if again := acquire(); again != first { // busy, so one is added meanwhile
		t.Fatalf("the second request went to another isolate before one was added")
	}
	waitUntil(t, "a second isolate", func() bool { return p.Stats().Isolates == 2 })
	second := acquire() // the new, idle isolate
	if second == first {
		t.Fatal("the third request did not go to the idle new isolate")
	}
	if got := run(t, second, "typeof globalThis"); got != "object" {
		t.Fatalf("the added isolate runs scripts: %v", got)
	}
	acquire() // both busy: a third is added
	waitUntil(t, "a third isolate", func() bool { return p.Stats().Isolates == 3 })
	for range 3 {
		acquire()
	}
	if p.growing.Load() || p.Stats().Isolates != 3 {
		t.Fatalf("the pool grew past its size: %d isolates", p.Stats().Isolates)
	}
}

// An isolate whose setup fails while the pool grows is logged and not
// added; the pool goes on serving on the isolates it has.
func TestPoolGrowthSurvivesAFailedSetup(t *testing.T) {
	var setups atomic.Int32
	var logged lockedBuffer
	p, err := NewPool(PoolOptions{Size: 2, Warm: 1, Log: slog.New(slog.NewTextHandler(&logged, nil)), Isolate: Options{Setup: func(*Isolate) error {
		if setups.Add(1) > 1 {
			return errors.New("the top level threw")
		}
		return nil
	}}})
	if err != nil {
		t.Fatal(err)
	}
	a, err := p.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	b, err := p.Acquire(context.Background()) // a is busy: the pool tries to grow
	if err != nil || b != a {
		t.Fatalf("second request: %v %v", b, err)
	}
	waitUntil(t, "the failed setup logged", func() bool { return strings.Contains(logged.String(), "the top level threw") })
	if !strings.Contains(logged.String(), `msg="adding an isolate"`) || p.Stats().Isolates != 1 {
		t.Fatalf("after a failed setup: %d isolates, log %q", p.Stats().Isolates, logged.String())
	}
	if got := run(t, a, "1 + 1"); got != int64(2) {
		t.Fatalf("the warm isolate after a failed growth: %v", got)
	}
	p.Release(a)
	p.Release(b)
	if err := p.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
