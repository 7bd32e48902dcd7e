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
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skipf("no time zone database: %v", err)
	}
	saved := time.Local
	time.Local = ny
	t.Cleanup(func() { time.Local = saved }) // registered first: runs after the binding closes
	b, _ := openTest(t, Config{})
	jstest.Run(t, isolateWith(t, b), "testdata/values.js", nil)
}
