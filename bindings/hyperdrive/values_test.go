package hyperdrive

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the child's TZ needs no zone database on the machine

	"edgerun/bindings/localpg/pgtest"
	"edgerun/isolates/jstest"
)

// valuesChildDSN carries the parent's database to the child process of
// TestValuesInAnotherTimeZone.
const valuesChildDSN = "EDGERUN_TEST_VALUES_DSN"

// Bound Dates are instants: a process whose local time zone is not UTC
// binds the same timestamp, timestamptz and date values (goja exports a
// Date in time.Local).
//
// The zone is the process's own, set by TZ in a child process: assigning
// time.Local inside this one races with every goroutine that calls
// time.Now (pgx's pool, timers), and the race detector crashed the test
// binary at exit over it.
func TestValuesInAnotherTimeZone(t *testing.T) {
	if dsn := os.Getenv(valuesChildDSN); dsn != "" {
		if _, offset := time.Now().Zone(); offset == 0 {
			t.Fatalf("the child runs in %s, offset 0: TZ was not applied", time.Local)
		}
		b, err := Open(context.Background(), Config{Name: "HYPERDRIVE", ConnString: dsn})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Close(context.Background()) })
		jstest.Run(t, isolateWith(t, b), "testdata/values.js", nil)
		return
	}
	dsn := pgtest.NewDatabase(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestValuesInAnotherTimeZone$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), "TZ=America/New_York", valuesChildDSN+"="+dsn)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestValuesInAnotherTimeZone") {
		t.Fatalf("values.js in America/New_York: %v\n%s", err, out)
	}
}
