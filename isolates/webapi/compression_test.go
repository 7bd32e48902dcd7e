package webapi

import (
	"runtime"
	"testing"
	"time"

	"edgerun/isolates"
)

// A DecompressionStream the script abandons mid-stream holds a parked
// decoder coroutine; once the stream is garbage its coroutine ends.
func TestAbandonedDecompressionStreamsEndTheirCoroutines(t *testing.T) {
	iso, err := isolates.New(isolates.Options{Setup: func(iso *isolates.Isolate) error {
		_, err := Install(iso, Options{})
		return err
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer iso.Retire(nil)
	before := runtime.NumGoroutine()
	err = iso.Do(func() error {
		// The first 12 bytes of a gzip stream: the decoder starts and waits for more.
		_, err := iso.Runtime().RunString(`
			const part = new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xcb, 0x48]);
			for (let i = 0; i < 200; i++) {
				const d = new DecompressionStream("gzip");
				d.readable.getReader().read();
				d.writable.getWriter().write(part);
			}`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := runtime.NumGoroutine(); n < before+150 {
		t.Fatalf("%d goroutines after starting 200 decoders (%d before): the decoders did not start", n, before)
	}
	for i := 0; i < 100 && runtime.NumGoroutine() > before+20; i++ {
		_ = iso.Do(func() error { _, err := iso.Runtime().RunString("0"); return err })
		runtime.GC()
		time.Sleep(20 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before+20 {
		t.Errorf("%d goroutines left (%d before): abandoned decoders keep theirs", n, before)
	}
}
