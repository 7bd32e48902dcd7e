package hyperdrive

import (
	"context"
	"testing"
	"time"

	"edgerun/bindings/localpg/pgtest"
)

// A read calling user-defined functions is classified by what the server
// declares of them: IMMUTABLE stays cacheable, STABLE stays a read (a
// replica may serve it), VOLATILE (the default) or unknown is a write.
func TestFunctionVolatilityFromTheServer(t *testing.T) {
	const schema = `CREATE TABLE items (name text);
		CREATE FUNCTION slug(x text) RETURNS text IMMUTABLE LANGUAGE sql AS $$ SELECT lower(replace(x, ' ', '-')) $$;
		CREATE FUNCTION item_count() RETURNS bigint STABLE LANGUAGE sql AS $$ SELECT count(*) FROM items $$;
		CREATE FUNCTION add_item(x text) RETURNS bigint LANGUAGE sql AS $$ INSERT INTO items VALUES (x); SELECT count(*) FROM items $$;
		CREATE SCHEMA geo;
		CREATE FUNCTION geo.double(x int) RETURNS int IMMUTABLE LANGUAGE sql AS $$ SELECT x * 2 $$;
		CREATE FUNCTION mixed(x int) RETURNS int IMMUTABLE LANGUAGE sql AS $$ SELECT x $$;
		CREATE FUNCTION mixed(x text) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;`
	primary, replica := pgtest.NewDatabase(t), pgtest.NewDatabase(t)
	direct(t, primary, schema)
	direct(t, replica, schema)
	clock := &fakeClock{}
	clock.ns.Store(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano())
	b := openOn(t, Config{Name: "FUNCS", ConnString: primary, ReplicaConnStrings: []string{replica}, Now: clock.now,
		Cache: CacheConfig{MaxAge: time.Hour}})

	tests := []struct {
		sql      string
		arg      any
		want     any
		cached   bool   // the second run comes from the cache
		servedBy string // the first run's server
	}{
		{"SELECT slug(?) AS v", "Hello World", "hello-world", true, "primary"},
		{"SELECT geo.double(?) AS v", 21, int64(42), true, "primary"},
		{"SELECT GEO.Double(?) AS v", 4, int64(8), true, "primary"},
		{"SELECT item_count() + ? AS v", 0, int64(0), false, "replica"},
		{"SELECT mixed(?::int) AS v", 3, int64(3), false, "primary"}, // one overload is volatile
		{"SELECT add_item(?) AS v", "x", int64(1), false, "primary"},
	}
	for _, tc := range tests {
		first := mustQuery(t, b, tc.sql, tc.arg)
		second := mustQuery(t, b, tc.sql, tc.arg)
		if first.Rows[0][0] != tc.want || first.ServedBy != tc.servedBy || first.Cached || second.Cached != tc.cached {
			t.Errorf("%s: %v served by %s, then cached=%v; want %v by %s, then cached=%v",
				tc.sql, first.Rows[0][0], first.ServedBy, second.Cached, tc.want, tc.servedBy, tc.cached)
		}
	}
	if n := countRows(t, primary, "items"); n != 2 {
		t.Fatalf("add_item ran %d times on the primary; want 2 (never from the cache)", n)
	}
	if n := countRows(t, replica, "items"); n != 0 {
		t.Fatalf("the replica ran add_item %d times", n)
	}

	// CREATE OR REPLACE through the binding is seen at once: slug is now
	// volatile, so its read is a write.
	mustQuery(t, b, `CREATE OR REPLACE FUNCTION slug(x text) RETURNS text VOLATILE LANGUAGE sql AS $$ SELECT upper(x) $$`)
	if r := mustQuery(t, b, "SELECT slug(?) AS v", "Hello World"); r.Cached || r.Rows[0][0] != "HELLO WORLD" {
		t.Fatalf("slug after it became volatile = %v cached=%v", r.Rows[0][0], r.Cached)
	}
	// A change made elsewhere is seen once what the server said expires.
	direct(t, primary, `CREATE OR REPLACE FUNCTION slug(x text) RETURNS text IMMUTABLE LANGUAGE sql AS $$ SELECT lower(x) $$`)
	if r := mustQuery(t, b, "SELECT slug(?) AS v", "Hi"); r.Cached || r.Rows[0][0] != "hi" {
		t.Fatalf("slug = %v cached=%v", r.Rows[0][0], r.Cached)
	}
	if r := mustQuery(t, b, "SELECT slug(?) AS v", "Hi"); r.Cached {
		t.Fatal("slug cached before functionTTL passed: the binding cannot have seen the change")
	}
	clock.ns.Add(int64(functionTTL + time.Second))
	mustQuery(t, b, "SELECT slug(?) AS v", "Hi")
	if r := mustQuery(t, b, "SELECT slug(?) AS v", "Hi"); !r.Cached || r.Rows[0][0] != "hi" {
		t.Fatalf("slug, immutable again = %v cached=%v", r.Rows[0][0], r.Cached)
	}
}

// What the server says is not trusted beyond what it means: aggregates
// (recorded immutable whatever their state function does) stay writes,
// DDL in a batch is seen at once, and a statement's resolution expires
// with the oldest answer it used.
func TestFunctionVolatilityEdges(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	direct(t, dsn, `CREATE TABLE log (x int); CREATE TABLE t (x int); INSERT INTO t VALUES (1), (2);
		CREATE FUNCTION log_step(s int, x int) RETURNS int LANGUAGE sql AS $$ INSERT INTO log VALUES (x) RETURNING s + x $$;
		CREATE AGGREGATE logsum(int) (sfunc = log_step, stype = int, initcond = '0');
		CREATE FUNCTION f(x int) RETURNS int IMMUTABLE LANGUAGE sql AS $$ SELECT x $$;`)
	clock := &fakeClock{}
	clock.ns.Store(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano())
	b := openOn(t, Config{Name: "EDGES", ConnString: dsn, Now: clock.now, Cache: CacheConfig{MaxAge: time.Hour}})

	for range 3 {
		if r := mustQuery(t, b, "SELECT logsum(x) AS v FROM t"); r.Cached || r.Rows[0][0] != int64(3) {
			t.Fatalf("logsum = %v cached=%v", r.Rows[0][0], r.Cached)
		}
	}
	if n := countRows(t, dsn, "log"); n != 6 {
		t.Fatalf("three runs of an aggregate that writes wrote %d rows; want 6", n)
	}

	// DDL in a batch.
	mustQuery(t, b, "SELECT f(?) AS v", 1)
	if r := mustQuery(t, b, "SELECT f(?) AS v", 1); !r.Cached {
		t.Fatal("an immutable function's read is not cached")
	}
	replace, err := b.prepare(`CREATE OR REPLACE FUNCTION f(x int) RETURNS int LANGUAGE sql AS $$ INSERT INTO log VALUES (x) RETURNING x $$`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.batch(context.Background(), []*statement{replace}, [][]any{nil}, nil); err != nil {
		t.Fatal(err)
	}
	before := countRows(t, dsn, "log")
	for range 2 {
		if r := mustQuery(t, b, "SELECT f(?) AS v", 7); r.Cached {
			t.Fatal("f, volatile since a batch replaced it, came from the cache")
		}
	}
	if n := countRows(t, dsn, "log") - before; n != 2 {
		t.Fatalf("two calls of f wrote %d rows", n)
	}

	// A statement resolved late in an answer's life expires with it.
	direct(t, dsn, `CREATE OR REPLACE FUNCTION f(x int) RETURNS int IMMUTABLE LANGUAGE sql AS $$ SELECT x $$`)
	clock.ns.Add(int64(2 * functionTTL))   // what was known about f has expired
	mustQuery(t, b, "SELECT f(?) AS v", 1) // f looked up again: immutable
	clock.ns.Add(int64(functionTTL - time.Second))
	mustQuery(t, b, "SELECT f(?) + 1 AS v", 1) // resolved from the old answer
	direct(t, dsn, `CREATE OR REPLACE FUNCTION f(x int) RETURNS int LANGUAGE sql AS $$ INSERT INTO log VALUES (x) RETURNING x $$`)
	clock.ns.Add(int64(2 * time.Second)) // the answer about f expired
	before = countRows(t, dsn, "log")
	for range 2 {
		mustQuery(t, b, "SELECT f(?) + 1 AS v", 1)
	}
	if n := countRows(t, dsn, "log") - before; n != 2 {
		t.Fatalf("after f's answer expired, two calls wrote %d rows; want 2", n)
	}
}
