package runtime

import (
	"context"
	"strings"
	"testing"
	"time"

	"edgerun/isolates"
)

func TestScheduledHandlerRuns(t *testing.T) {
	a := startApp(t, fixture("scheduled"), nil)
	wk := a.app.Server().Version()
	at := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	if err := wk.Scheduled(context.Background(), "*/5 * * * *", at, isolates.NewScope(context.Background(), 1)); err != nil {
		t.Fatal(err)
	}
	_, body := a.get(t, "/")
	if want := `["*/5 * * * *@2026-11-25T12:00:00.000Z","waited:*/5 * * * *"]`; body != want {
		t.Fatalf("runs = %s, want %s (the handler and its waitUntil work)", body, want)
	}
	err := wk.Scheduled(context.Background(), "fail", at, isolates.NewScope(context.Background(), 2))
	if err == nil || !strings.Contains(err.Error(), "scheduled boom") {
		t.Fatalf("failing scheduled() = %v", err)
	}
}

func TestValidateCrons(t *testing.T) {
	for _, c := range []struct {
		expr string
		ok   bool
	}{
		{"*/5 * * * *", true},
		{"0 12 * * mon", true},
		{"@daily", true},
		{"61 * * * *", false},
		{"* * *", false},
	} {
		if err := ValidateCrons([]string{c.expr}); (err == nil) != c.ok {
			t.Errorf("ValidateCrons(%q) = %v, want ok=%v", c.expr, err, c.ok)
		}
	}
}
