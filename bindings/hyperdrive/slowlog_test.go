package hyperdrive

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
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
	if n < 1 || len(got) < 1 {
		t.Fatalf("SlowQueries = %+v, %d; want the slow statement", got, n)
	}
	keptOnlySlow(t, got, 20*time.Millisecond)
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

// A driver's slow statement through the local Hyperdrive is logged and kept
// as prepare()'s is: redacted, with its bound values counted, marked as the
// proxy's.
func TestProxySlowQueriesAreKeptRedacted(t *testing.T) {
	var logged bytes.Buffer
	b, _ := openTest(t, Config{SlowQuery: 20 * time.Millisecond, Cache: CacheConfig{Disabled: true},
		Log: slog.New(slog.NewTextHandler(&logged, nil))})
	ctx := context.Background()
	for _, tc := range []struct {
		mode   pgx.QueryExecMode
		params int
	}{
		{pgx.QueryExecModeCacheStatement, 1}, // Parse/Bind/Execute: one bound value
		{pgx.QueryExecModeSimpleProtocol, 0}, // pgx inlines it: a Query message, nothing bound
	} {
		conn := proxyConnect(t, b, tc.mode)
		var s string
		if err := conn.QueryRow(ctx, "SELECT 'fast'").Scan(&s); err != nil {
			t.Fatal(err)
		}
		if err := conn.QueryRow(ctx, "SELECT 'literal-secret' || $1::text FROM pg_sleep(0.05) -- note-secret", "param-secret").Scan(&s); err != nil || s != "literal-secretparam-secret" {
			t.Fatalf("%s: %q %v", tc.mode, s, err)
		}
		got, _ := b.SlowQueries()
		if len(got) == 0 {
			t.Fatalf("%s: no slow query kept", tc.mode)
		}
		q := got[0]
		if q.Via != "proxy" || q.Params != tc.params || q.Endpoint != "primary" || q.Duration < 50*time.Millisecond {
			t.Fatalf("%s: slow query = %+v", tc.mode, q)
		}
		if !strings.HasPrefix(q.SQL, "SELECT ? || ") || !strings.Contains(q.SQL, "pg_sleep(?)") {
			t.Fatalf("%s: kept SQL %q, want the statement's redacted shape", tc.mode, q.SQL)
		}
	}
	got, _ := b.SlowQueries()
	keptOnlySlow(t, got, 20*time.Millisecond)
	if s := fmt.Sprintf("%+v %s", must(b.SlowQueries()), logged.String()); strings.Contains(s, "secret") {
		t.Fatalf("a value reached the slow-query log: %s", s)
	}
	if !strings.Contains(logged.String(), "via=proxy") {
		t.Fatalf("log %q: want the proxy's slow statements marked", logged.String())
	}
}

func must[T any](v T, _ int) T { return v }

// keptOnlySlow fails unless every kept statement took longer than the
// threshold. (A loaded machine can make `SELECT 1` slow too, so the fast
// statements' absence is checked by their durations, not by a count.)
func keptOnlySlow(t *testing.T, got []SlowQuery, threshold time.Duration) {
	t.Helper()
	for _, q := range got {
		if q.Duration <= threshold {
			t.Fatalf("kept %+v, which took no longer than slow_query_ms (%s)", q, threshold)
		}
	}
}
