package isolates

import "testing"

// An empty view at its buffer's very end passed where a host check looks
// at it (the guarded typed-array constructor's IsArrayBuffer): under -race,
// exporting it aborted the process (checkptr: a pointer past the
// allocation).
func TestEmptyViewAtTheEndOfItsBuffer(t *testing.T) {
	iso := newIsolate(t)
	run(t, iso, `
		var whole = new Uint8Array(8);
		var end = whole.subarray(8);
		var copy = new Uint8Array(end);
		globalThis.done = String(copy.length) + "," + String(new Uint8Array(whole.subarray(6)).length);
	`)
	if got := waitGlobal(t, iso, "done"); got != "0,2" {
		t.Fatalf("lengths = %v, want 0,2", got)
	}
}
