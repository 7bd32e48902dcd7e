package hyperdrive

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"
)

// Session state that statement classification cannot see (unicode-escaped
// identifiers, functions, objects created in pg_temp) must not reach a later
// request either: the binding resets every connection it hands back. With
// one pooled connection, the probe runs on the connection the evasion used.
func TestSessionResetCatchesEvasions(t *testing.T) {
	const setup = `CREATE SCHEMA other; CREATE TABLE public.k (v text); CREATE TABLE other.k (v text);
		INSERT INTO public.k VALUES ('public'); INSERT INTO other.k VALUES ('other');
		CREATE FUNCTION sneaky_path() RETURNS int LANGUAGE plpgsql AS $$
		BEGIN PERFORM set_config('search_path', 'other', false); RETURN 1; END $$;
		CREATE FUNCTION sneaky_lock() RETURNS int LANGUAGE plpgsql AS $$
		BEGIN PERFORM pg_advisory_lock(4242); RETURN 1; END $$`
	const readK = "SELECT v FROM k WHERE true"
	tests := []struct {
		name  string
		set   []string // run through the binding: one statement, or one batch
		probe string   // a later, unrelated read through the binding
		want  any      // what probe returns on a fresh session
	}{
		{"U& set_config search_path", []string{`SELECT U&"set\005Fconfig"('search_path', 'other', false)`}, readK, "public"},
		{"function sets search_path", []string{"SELECT sneaky_path()"}, readK, "public"},
		{"U& set_config custom setting", []string{`SELECT U&"set\005Fconfig"('app.user_id', '42', false)`},
			"SELECT coalesce(current_setting('app.user_id', true), '') AS v", ""},
		{"SELECT INTO pg_temp", []string{"SELECT 'temp'::text AS v INTO pg_temp.k"}, readK, "public"},
		{"CREATE TABLE IF NOT EXISTS pg_temp", []string{"CREATE TABLE IF NOT EXISTS pg_temp.k (v text)", "INSERT INTO pg_temp.k VALUES ('temp')"}, readK, "public"},
		{`CREATE TABLE "pg_temp"`, []string{`CREATE TABLE "pg_temp".k (v text)`, `INSERT INTO "pg_temp".k VALUES ('temp')`}, readK, "public"},
		{"CREATE SEQUENCE pg_temp", []string{"CREATE SEQUENCE pg_temp.s"}, "SELECT to_regclass('pg_temp.s') IS NULL AS gone", true},
		{"U& advisory lock", []string{`SELECT U&"pg\005Fadvisory\005Flock"(4242)`},
			"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()", int64(0)},
		{"function takes advisory lock", []string{"SELECT sneaky_lock()"},
			"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()", int64(0)},
	}
	for _, mode := range []string{"prepare", "describe"} {
		for _, tc := range tests {
			t.Run(mode+"/"+tc.name, func(t *testing.T) {
				b, dsn := openTest(t, Config{MaxConns: 1, StatementCache: mode, Cache: CacheConfig{Disabled: true}})
				direct(t, dsn, setup)
				mustQuery(t, b, "SELECT v FROM k WHERE 1 = 1") // a cached statement the reset must keep working
				if len(tc.set) == 1 {
					mustQuery(t, b, tc.set[0])
				} else if _, err := b.batch(context.Background(), mustStatements(t, b, tc.set...), make([][]any, len(tc.set)), nil); err != nil {
					t.Fatal(err)
				}
				if r := mustQuery(t, b, tc.probe); r.Rows[0][0] != tc.want {
					t.Fatalf("after %q, %q = %v; want %v (a fresh session's)", tc.set, tc.probe, r.Rows[0][0], tc.want)
				}
				if r := mustQuery(t, b, "SELECT v FROM k WHERE 1 = 1"); r.Rows[0][0] != "public" {
					t.Fatalf("cached statement after the reset = %v", r.Rows[0][0])
				}
				// The lock is free for everyone else too.
				conn, err := pgx.Connect(context.Background(), dsn)
				if err != nil {
					t.Fatal(err)
				}
				defer conn.Close(context.Background())
				var free bool
				if err := conn.QueryRow(context.Background(), "SELECT pg_try_advisory_lock(4242)").Scan(&free); err != nil || !free {
					t.Fatalf("advisory lock 4242 from another session: free=%v err=%v", free, err)
				}
			})
		}
	}
}

// BenchmarkSessionReset measures what resetting released connections
// costs a statement, against the same binding without the reset, in one
// run: "pure" is a read sqlscan fully understands (never reset), "dirty"
// calls a user-defined function (reset after every use). "serial" is one
// client on one connection (each statement waits for the previous one's
// reset); "parallel" is GOMAXPROCS×4 clients on 8 connections.
func BenchmarkSessionReset(b *testing.B) {
	queries := map[string]string{"pure": "SELECT ?::int + 1 AS v", "dirty": "SELECT plus_one(?::int) AS v"}
	for _, kind := range []string{"pure", "dirty"} {
		for _, reset := range []bool{false, true} {
			for _, shape := range []string{"serial", "parallel"} {
				name := fmt.Sprintf("%s/reset=%v/%s", kind, reset, shape)
				b.Run(name, func(b *testing.B) {
					conns := 1
					if shape == "parallel" {
						conns = 8
					}
					bd, dsn := openTest(b, Config{MaxConns: conns, StatementCache: "prepare", Cache: CacheConfig{Disabled: true}, noSessionReset: !reset})
					direct(b, dsn, "CREATE FUNCTION plus_one(int) RETURNS int IMMUTABLE LANGUAGE sql AS 'SELECT $1 + 1'")
					ctx := context.Background()
					q := queries[kind]
					if _, err := bd.Query(ctx, q, jsInt(1)); err != nil {
						b.Fatal(err)
					}
					b.ReportAllocs()
					b.ResetTimer()
					if shape == "serial" {
						for range b.N {
							if _, err := bd.Query(ctx, q, jsInt(1)); err != nil {
								b.Fatal(err)
							}
						}
						return
					}
					b.SetParallelism(4)
					b.RunParallel(func(pb *testing.PB) {
						for pb.Next() {
							if _, err := bd.Query(ctx, q, jsInt(1)); err != nil {
								b.Error(err)
								return
							}
						}
					})
				})
			}
		}
	}
}
