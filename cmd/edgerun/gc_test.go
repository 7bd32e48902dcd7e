package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
)

func TestGCPercentForTheLiveHeap(t *testing.T) {
	for _, tc := range []struct {
		live uint64
		want int
	}{
		{0, 400},
		{1 << 20, 400},
		{8 << 20, 400}, // 4× 8 MiB is the 32 MiB headroom
		{16 << 20, 200},
		{32 << 20, 100},
		{50 << 20, 64},
		{64 << 20, 50},
		{1 << 30, 50}, // no lower: a collection per half the live heap
	} {
		if got := gcPercentFor(tc.live); got != tc.want {
			t.Errorf("gcPercentFor(%d MiB) = %d, want %d", tc.live>>20, got, tc.want)
		}
	}
}

// A live heap of 96 MiB (three times the headroom) makes the tuner choose
// GOGC=50
// after the next collection.
func TestTuneGCFollowsTheLiveHeap(t *testing.T) {
	t.Setenv("GOGC", "") // restored after the test
	if err := os.Unsetenv("GOGC"); err != nil {
		t.Fatal(err)
	}
	old := debug.SetGCPercent(gcMaxPercent)
	defer debug.SetGCPercent(old)
	tuneGC()
	live := make([][]byte, 96)
	for i := range live {
		live[i] = make([]byte, 1<<20)
	}
	want := uint64(gcPercentFor(96 << 20))
	gogc := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	for range 100 {
		runtime.GC()
		runtime.Gosched()
		if metrics.Read(gogc); gogc[0].Value.Uint64() == want {
			runtime.KeepAlive(live)
			return
		}
	}
	t.Fatalf("GOGC is %d, not %d, with %d MiB live", gogc[0].Value.Uint64(), want, len(live))
}
