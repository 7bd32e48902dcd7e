package hyperdrive

import (
	"context"
	"testing"
)

// Hyperdrive pools connections per transaction: what one request leaves on
// a connection's session (settings, LISTEN, prepared statements, temporary
// tables, cursors, advisory locks) must not reach the next request. With a
// pool of one connection, every statement below runs on the connection the
// previous one used, unless the binding closed it.
func TestSessionStateDoesNotOutliveTheStatement(t *testing.T) {
	tests := []struct {
		name  string
		set   string // run through the binding
		probe string // a later, unrelated read
		want  any    // what probe returns on a fresh session
	}{
		{"SET search_path", "SET search_path TO other", "SELECT v FROM k WHERE true", "public"},
		{"SET", "SET application_name = 'leaked'", "SELECT current_setting('application_name') AS v", "edgerun"},
		{"set_config", "SELECT set_config('search_path', 'other', false)", "SELECT v FROM k WHERE 1 = 1", "public"},
		{"LISTEN", "LISTEN leaked", "SELECT count(*) FROM pg_listening_channels()", int64(0)},
		{"PREPARE", "PREPARE leaked AS SELECT 1", "SELECT count(*) FROM pg_prepared_statements WHERE name = 'leaked'", int64(0)},
		{"CREATE TEMP TABLE", "CREATE TEMP TABLE leaked (a int)", "SELECT to_regclass('pg_temp.leaked') IS NULL AS gone", true},
		{"DECLARE WITH HOLD", "DECLARE leaked CURSOR WITH HOLD FOR SELECT 1", "SELECT count(*) FROM pg_cursors WHERE name = 'leaked'", int64(0)},
		{"advisory lock", "SELECT pg_advisory_lock(42)",
			"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()", int64(0)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, dsn := openTest(t, Config{MaxConns: 1, Cache: CacheConfig{Disabled: true}})
			direct(t, dsn, `CREATE SCHEMA other; CREATE TABLE public.k (v text); CREATE TABLE other.k (v text);
				INSERT INTO public.k VALUES ('public'); INSERT INTO other.k VALUES ('other')`)
			mustQuery(t, b, tc.set)
			if r := mustQuery(t, b, tc.probe); r.Rows[0][0] != tc.want {
				t.Fatalf("after %q, %q = %v; want %v (a fresh session's)", tc.set, tc.probe, r.Rows[0][0], tc.want)
			}
		})
	}
}

// batch() and exec() close a connection whose session they changed too; a
// batch with SET LOCAL (transaction-scoped) and ordinary statements keep
// their connection.
func TestSessionStateBatchAndExec(t *testing.T) {
	b, dsn := openTest(t, Config{MaxConns: 1, Cache: CacheConfig{Disabled: true}})
	direct(t, dsn, `CREATE SCHEMA other; CREATE TABLE public.k (v text); CREATE TABLE other.k (v text);
		INSERT INTO public.k VALUES ('public'); INSERT INTO other.k VALUES ('other')`)
	ctx := context.Background()
	pid := func() any { return mustQuery(t, b, "SELECT pg_backend_pid() AS pid").Rows[0][0] }
	read := func() any { return mustQuery(t, b, "SELECT v FROM k WHERE true").Rows[0][0] }

	first := pid()
	if read(); pid() != first {
		t.Fatal("an ordinary read did not reuse the pooled connection")
	}
	local := mustStatements(t, b, "SET LOCAL search_path TO other", "SELECT v FROM k")
	res, err := b.batch(ctx, local, [][]any{nil, nil}, nil)
	if err != nil || res[1].rows[0][0] != "other" {
		t.Fatalf("batch with SET LOCAL = %v, %v", res, err)
	}
	if v := read(); v != "public" {
		t.Fatalf("read after a batch with SET LOCAL = %v", v)
	}
	if pid() != first {
		t.Fatal("a batch with SET LOCAL cost the pooled connection")
	}

	set := mustStatements(t, b, "SET search_path TO other", "SELECT 1")
	if _, err := b.batch(ctx, set, [][]any{nil, nil}, nil); err != nil {
		t.Fatal(err)
	}
	if v := read(); v != "public" {
		t.Fatalf("read after a batch with SET = %v; want the default search_path", v)
	}

	if _, err := b.exec(ctx, "SELECT 1; SET search_path TO other"); err != nil {
		t.Fatal(err)
	}
	if v := read(); v != "public" {
		t.Fatalf("read after exec with SET = %v; want the default search_path", v)
	}
}

// DISCARD ALL and DEALLOCATE ALL drop the prepared statements pgx caches on
// the connection (statement_cache = "prepare"): handing that connection on
// would make the next cached statement fail.
func TestSessionDiscardKeepsStatementCacheWorking(t *testing.T) {
	for _, stmt := range []string{"DISCARD ALL", "DEALLOCATE ALL"} {
		t.Run(stmt, func(t *testing.T) {
			b, _ := openTest(t, Config{MaxConns: 1, StatementCache: "prepare", Cache: CacheConfig{Disabled: true}})
			const q = "SELECT ?::int + 1 AS v"
			mustQuery(t, b, q, jsInt(1))
			mustQuery(t, b, stmt)
			if r := mustQuery(t, b, q, jsInt(2)); r.Rows[0][0] != int64(3) {
				t.Fatalf("after %s: %v", stmt, r.Rows[0][0])
			}
		})
	}
}
