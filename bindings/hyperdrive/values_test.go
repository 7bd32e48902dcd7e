package hyperdrive

import (
	"testing"
	"time"

	"edgerun/isolates/jstest"
)

// Bound Dates are instants: a process whose local time zone is not UTC
// binds the same timestamp, timestamptz and date values (goja exports a
// Date in time.Local).
func TestValuesInAnotherTimeZone(t *testing.T) {
	// A fixed zone five hours west of UTC, like New York in winter: no
	// dependency on the machine's time zone database.
	saved := time.Local
	time.Local = time.FixedZone("UTC-5", -5*60*60)
	t.Cleanup(func() { time.Local = saved }) // registered first: runs after the binding closes
	b, _ := openTest(t, Config{})
	jstest.Run(t, isolateWith(t, b), "testdata/values.js", nil)
}
