package main

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"edgerun/bindings/localpg"
)

// TestSoakShort runs the soak for 20 s, as CI can afford: every hostile kind
// is sent (one shared round), PostgreSQL is killed at 10 s, and every check of
// the full soak applies. Each check is one assertion of the report; none
// measures a latency beyond the bounds edgerun itself promises.
func TestSoakShort(t *testing.T) {
	if testing.Short() {
		t.Skip("the soak takes about a minute")
	}
	if _, err := localpg.FindBinaries(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the soak needs PostgreSQL's server binaries: %v", err)
		}
		t.Skipf("no PostgreSQL server binaries: %v", err)
	}
	var out strings.Builder
	o := Options{
		Duration:     20 * time.Second,
		Seed:         1,
		Conns:        4,
		HostileConns: 3,
		BodyConns:    4,
		Pace:         10 * time.Millisecond,
		KillPG:       true,
		MaxRestarts:  30,
		Out:          &out,
	}
	if err := defaults(&o); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	r, err := Run(ctx, o)
	t.Log("\n" + out.String())
	if err != nil {
		t.Fatalf("the soak could not run: %v", err)
	}
	for _, f := range r.Failures() {
		t.Error(f)
	}
}
