package hyperdrive

import (
	"testing"
	"time"

	"edgerun/bindings/hyperdrive/localpg/pgtest"
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
