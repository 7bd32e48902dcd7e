package hyperdrive

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestSlowQueriesKeepTheShapeNeverTheValues(t *testing.T) {
	var logged bytes.Buffer
	b, _ := openTest(t, Config{SlowQuery: 20 * time.Millisecond, Log: slog.New(slog.NewTextHandler(&logged, nil))})
	ctx := context.Background()
	if _, err := b.Query(ctx, "SELECT 1 AS fast"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Query(ctx, "SELECT pg_sleep(0.05), 'literal-secret' AS s, ? AS v -- note-secret\n", "param-secret"); err != nil {
		t.Fatal(err)
	}
	got, n := b.SlowQueries()
	if n != 1 || len(got) != 1 {
		t.Fatalf("SlowQueries = %+v, %d; want the one slow statement", got, n)
	}
	q := got[0]
	if q.SQL != "SELECT pg_sleep(?), ? AS s, ? AS v" || q.Params != 1 || q.Endpoint != "primary" {
		t.Fatalf("slow query = %+v", q)
	}
	if q.Duration < 50*time.Millisecond || q.At.IsZero() {
		t.Fatalf("slow query took %s at %s; pg_sleep alone is 50ms", q.Duration, q.At)
	}
	if s := fmt.Sprintf("%+v", got); strings.Contains(s, "secret") {
		t.Fatalf("a value reached the slow-query log: %s", s)
	}
	// The warning line carries the same shape: no literal, no comment, no value.
	line := logged.String()
	if !strings.Contains(line, "slow query") || !strings.Contains(line, "SELECT pg_sleep(?)") || strings.Contains(line, "secret") {
		t.Fatalf("slow-query log line = %q; want the redacted statement only", line)
	}
}

func TestSlowLogIsBounded(t *testing.T) {
	var l slowLog
	for i := range SlowLogSize + 5 {
		l.add(SlowQuery{SQL: fmt.Sprintf("SELECT * FROM t%d", i), Params: i})
	}
	got, n := l.list()
	if n != SlowLogSize+5 || len(got) != SlowLogSize {
		t.Fatalf("list = %d entries, %d added; want %d, %d", len(got), n, SlowLogSize, SlowLogSize+5)
	}
	for i, q := range got {
		want := SlowLogSize + 4 - i // newest first
		if q.Params != want || q.SQL != fmt.Sprintf("SELECT * FROM t%d", want) {
			t.Fatalf("entry %d = %+v, want statement %d", i, q, want)
		}
	}
	long := "SELECT " + strings.Repeat("é", slowSQLMax) // two bytes each
	l.add(SlowQuery{SQL: long})
	got, _ = l.list()
	if s := got[0].SQL; len(s) > slowSQLMax+len("…") || !strings.HasSuffix(s, "é…") {
		t.Fatalf("long statement kept as %d bytes: %q", len(s), s[len(s)-10:])
	}
}
