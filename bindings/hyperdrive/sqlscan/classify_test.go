package sqlscan

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
)

// The seed's analytics query.
const seedAnalytics = `WITH user_stats AS (SELECT COUNT(*) as total_users, COUNT(CASE WHEN created_at > NOW() -
INTERVAL '30 days' THEN 1 END) as recent_users FROM users), pitch_stats AS (SELECT COUNT(*) as total_pitches,
AVG(funding_goal) as avg_funding_goal FROM pitches WHERE status = 'active') SELECT * FROM user_stats CROSS JOIN
pitch_stats`

// Shorthands for the expectations below.
const (
	cacheable = iota // a read-only single statement that may be cached
	read             // read-only, not cacheable
	write            // may write
	other            // neither: needs the primary, writes nothing (locks, session commands)
)

func TestClassify(t *testing.T) {
	tests := []struct {
		sql    string
		kind   string
		class  int
		tables []string
		known  bool // TablesKnown
	}{
		// Plain reads and table extraction.
		{"SELECT 1", "select", cacheable, nil, true},
		{"SELECT * FROM users WHERE id = $1", "select", cacheable, []string{"users"}, true},
		{"select * from Users u where u.id = ?", "select", cacheable, []string{"users"}, true},
		{`SELECT * FROM "Users"`, "select", cacheable, []string{"Users"}, true},
		{"SELECT * FROM public.users", "select", cacheable, []string{"public.users"}, true},
		{`SELECT * FROM Public."Users"`, "select", cacheable, []string{"public.Users"}, true},
		{`SELECT * FROM "weird ""name"""`, "select", cacheable, []string{`weird "name"`}, true},
		{"SELECT * FROM a, b AS bb, c cc WHERE a.id = bb.id", "select", cacheable, []string{"a", "b", "c"}, true},
		{"SELECT * FROM a JOIN b ON a.id = b.a_id LEFT OUTER JOIN c USING (id) NATURAL JOIN d", "select", cacheable, []string{"a", "b", "c", "d"}, true},
		{"SELECT * FROM a JOIN b ON a.x = b.x, c", "select", cacheable, []string{"a", "b", "c"}, true},
		{"SELECT * FROM a JOIN b ON a.v = ANY(ARRAY[1,2]) AND b.w = ARRAY[3,4], c", "select", cacheable, []string{"a", "b", "c"}, true},
		{"SELECT * FROM users u1 JOIN users u2 ON u1.boss = u2.id", "select", cacheable, []string{"users"}, true},
		{"SELECT * FROM ONLY parent *", "select", cacheable, []string{"parent"}, true},
		{"SELECT * FROM (SELECT * FROM inner_t) s", "select", cacheable, []string{"inner_t"}, true},
		{"SELECT * FROM (a JOIN b ON true)", "select", cacheable, []string{"a", "b"}, true},
		{"SELECT * FROM ((SELECT 1) s JOIN t ON true)", "select", cacheable, []string{"t"}, true},
		{"SELECT * FROM t WHERE id IN (SELECT t_id FROM u WHERE u.x = ANY(SELECT x FROM v))", "select", cacheable, []string{"t", "u", "v"}, true},
		{"SELECT EXISTS (SELECT 1 FROM t)", "select", cacheable, []string{"t"}, true},
		{"SELECT a, (SELECT max(b) FROM u) FROM t ORDER BY a, b", "select", cacheable, []string{"u", "t"}, true},
		{"SELECT * FROM t1 CROSS JOIN LATERAL (SELECT * FROM t2 WHERE t2.id = t1.id) x", "select", cacheable, []string{"t1", "t2"}, true},
		{"SELECT EXTRACT(YEAR FROM created_at) FROM t", "select", cacheable, []string{"t"}, true},
		{"SELECT SUBSTRING(name FROM 1 FOR 3), TRIM(BOTH ' ' FROM name) FROM t", "select", cacheable, []string{"t"}, true},
		{"SELECT a IS DISTINCT FROM b, a IS NOT DISTINCT FROM c FROM t", "select", cacheable, []string{"t"}, true},
		{"SELECT count(*), max(x), coalesce(y, 0), lower(name) FROM t GROUP BY ROLLUP (a)", "select", cacheable, []string{"t"}, true},
		{"SELECT x::numeric(10,2), CAST(y AS varchar(20)) FROM t", "select", cacheable, []string{"t"}, true},
		{"SELECT * FROM t WHERE data ?? 'key' AND id = ?", "select", cacheable, []string{"t"}, true},
		{"SELECT * FROM generate_series(1, 10) g(n)", "select", cacheable, nil, true},
		{"SELECT * FROM jsonb_array_elements('[]') WITH ORDINALITY AS e(v, n)", "select", cacheable, nil, true},
		{"SELECT t.user, t.current_date FROM t", "select", cacheable, []string{"t"}, true},
		{"/* leading */ SELECT 1 -- now()", "select", cacheable, nil, true},
		{"SELECT 1FROM t", "select", cacheable, []string{"t"}, true},
		{"SELECT 0x1F, 1_000, 1.5e-3, .5e2 FROM t", "select", cacheable, []string{"t"}, true},
		{"SELECT 1;", "select", cacheable, nil, true},
		{"VALUES (1, 2), (3, 4)", "values", cacheable, nil, true},
		{"TABLE users", "table", cacheable, []string{"users"}, true},
		{"SELECT 1 UNION ALL TABLE t", "select", cacheable, []string{"t"}, true},
		{"(SELECT a FROM x) UNION (SELECT a FROM y)", "select", cacheable, []string{"x", "y"}, true},

		// Volatile and stable functions and values make reads uncacheable;
		// inside literals and comments they do not count.
		{seedAnalytics, "select", read, []string{"users", "pitches"}, true},
		{"SELECT now()", "select", read, nil, true},
		{"SELECT * FROM events WHERE created_at > NOW() - INTERVAL '1 hour'", "select", read, []string{"events"}, true},
		{"SELECT pg_catalog.now()", "select", read, nil, true},
		{"SELECT CURRENT_TIMESTAMP", "select", read, nil, true},
		{"SELECT * FROM t WHERE d > current_date", "select", read, []string{"t"}, true},
		{"SELECT localtimestamp(3), localtime, current_time", "select", read, nil, true},
		{"SELECT * FROM t ORDER BY RANDOM() LIMIT 1", "select", read, []string{"t"}, true},
		{"SELECT gen_random_uuid()", "select", read, nil, true},
		{"SELECT uuid_generate_v4(), uuid_generate_v1mc()", "select", read, nil, true},
		{"SELECT LASTVAL(), * FROM articles LIMIT 50", "select", read, []string{"articles"}, true},
		{"SELECT timeofday()", "select", read, nil, true},
		{"SELECT pg_sleep(1)", "select", read, nil, true},
		{"SELECT age(birthday) FROM people", "select", read, []string{"people"}, true},
		{"SELECT age(died, born) FROM people", "select", cacheable, []string{"people"}, true},
		{"SELECT current_user, session_user", "select", read, nil, true},
		{"SELECT user", "select", read, nil, true},
		{"SELECT current_setting('TimeZone')", "select", read, nil, true},
		{"SELECT version()", "select", read, nil, true},
		{"SELECT * FROM t TABLESAMPLE SYSTEM (10)", "select", read, []string{"t"}, true},
		{"SELECT * FROM t WHERE created > 'now'::timestamptz", "select", read, []string{"t"}, true},
		{"SELECT 'today'::date, $$ Tomorrow $$::date", "select", read, nil, true},
		{"SELECT * FROM pg_stat_activity", "select", read, []string{"pg_stat_activity"}, true},
		{"SELECT 'now()'", "select", cacheable, nil, true},
		{"SELECT $$now()$$, 'random()', E'now()\\''", "select", cacheable, nil, true},
		{`SELECT "now" FROM t`, "select", cacheable, []string{"t"}, true},
		{"SELECT version FROM migrations", "select", cacheable, []string{"migrations"}, true},

		// Unknown (user-defined) functions may write anything: the read is
		// a write to unknown tables (TestClassifyFunctionCalls has more).
		{"SELECT my_func(1)", "select", write, nil, false},
		{"SELECT * FROM my_func(1)", "select", write, nil, false},
		{`SELECT "My Func"(1) FROM t`, "select", write, nil, false},
		{"SELECT range(1), key(2)", "select", write, nil, false},
		{"SELECT grouping(a), count(*) FILTER (WHERE b) OVER (PARTITION BY c) FROM t GROUP BY GROUPING SETS ((a), CUBE (b))", "select", cacheable, []string{"t"}, true},

		// Locking reads need the primary.
		{"SELECT * FROM t FOR UPDATE", "select", other, []string{"t"}, true},
		{"SELECT * FROM t WHERE x = $1 FOR NO KEY UPDATE OF t SKIP LOCKED", "select", other, []string{"t"}, true},
		{"SELECT * FROM t FOR KEY SHARE", "select", other, []string{"t"}, true},
		{"SELECT * FROM t LIMIT 1 FOR SHARE NOWAIT", "select", other, []string{"t"}, true},

		// Functions with side effects write.
		{"SELECT nextval('users_id_seq')", "select", write, nil, false},
		{"SELECT setval('s', 1)", "select", write, nil, false},
		{"SELECT pg_advisory_lock(1)", "select", write, nil, false},
		{"SELECT set_config('a.b', 'c', false)", "select", write, nil, false},
		{"SELECT txid_current()", "select", write, nil, false},

		// SELECT … INTO creates a table.
		{"SELECT * INTO new_t FROM t", "select", write, []string{"new_t"}, true},
		{"SELECT a INTO TEMP TABLE nt FROM t", "select", write, []string{"nt"}, true},

		// WITH.
		{"WITH x AS (SELECT * FROM t) SELECT * FROM x", "select", cacheable, []string{"t"}, true},
		{"WITH users AS (SELECT * FROM users WHERE active) SELECT * FROM users", "select", cacheable, []string{"users"}, true},
		{"WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 10) SELECT * FROM r", "select", cacheable, nil, true},
		{"WITH a AS MATERIALIZED (SELECT 1), b AS NOT MATERIALIZED (SELECT * FROM t) SELECT * FROM a, b", "select", cacheable, []string{"t"}, true},
		{"WITH a AS (WITH b AS (SELECT * FROM t) SELECT * FROM b) SELECT * FROM a, b", "select", cacheable, []string{"t", "b"}, true},
		{"WITH RECURSIVE t(n) AS (SELECT 1 UNION SELECT n + 1 FROM t) SEARCH DEPTH FIRST BY n SET ord, u AS (SELECT * FROM v) SELECT * FROM t, u", "select", cacheable, []string{"v"}, true},
		{`WITH "X" AS (SELECT 1) SELECT * FROM "X", X`, "select", cacheable, []string{"x"}, true},
		{`WITH x AS (SELECT 1), "Y" AS (SELECT 1) SELECT * FROM "x", "y", y, "Y"`, "select", cacheable, []string{"y"}, true},
		{"WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x", "select", write, []string{"t"}, true},
		{"WITH x AS (UPDATE t SET a = 1 RETURNING *) SELECT count(*) FROM x JOIN u ON true", "select", write, []string{"t"}, true},
		{"WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x", "insert", write, []string{"t"}, true},
		{"WITH moved AS (DELETE FROM a RETURNING *) INSERT INTO b SELECT * FROM moved", "insert", write, []string{"a", "b"}, true},

		// DML.
		{"INSERT INTO users (name, email) VALUES ($1, $2) RETURNING id", "insert", write, []string{"users"}, true},
		{"insert into t values (1)", "insert", write, []string{"t"}, true},
		{"INSERT INTO users (id, created_at) VALUES (gen_random_uuid(), now())", "insert", write, []string{"users"}, true},
		{"INSERT INTO t SELECT * FROM u", "insert", write, []string{"t"}, true},
		{"INSERT INTO t (SELECT * FROM u)", "insert", write, []string{"t"}, true},
		{"INSERT INTO t AS x (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET a = excluded.a + 1", "insert", write, []string{"t"}, true},
		{"INSERT INTO t DEFAULT VALUES", "insert", write, []string{"t"}, true},
		{"INSERT INTO t WITH c AS (SELECT 1) SELECT * FROM c", "insert", write, []string{"t"}, true},
		{"INSERT INTO t VALUES (my_func())", "insert", write, []string{"t"}, false},
		{"UPDATE users SET name = $1 WHERE id = $2", "update", write, []string{"users"}, true},
		{"UPDATE ONLY users u SET x = 1, y = 2 FROM other o, more m WHERE u.id = o.id", "update", write, []string{"users"}, true},
		{"UPDATE t SET a = 1 WHERE id = (SELECT max(id) FROM u)", "update", write, []string{"t"}, true},
		{"DELETE FROM sessions WHERE expires < now()", "delete", write, []string{"sessions"}, true},
		{"DELETE FROM t USING u, v WHERE t.id = u.id RETURNING t.a, t.b", "delete", write, []string{"t"}, true},
		{"MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET v = s.v, w = 1 WHEN NOT MATCHED THEN INSERT (id, v) VALUES (s.id, s.v)", "merge", write, []string{"t"}, true},
		{"MERGE INTO t AS x USING (SELECT * FROM s) AS y ON x.id = y.id WHEN MATCHED THEN DELETE", "merge", write, []string{"t"}, true},

		// DDL and other writes.
		{"TRUNCATE a, ONLY b", "truncate", write, []string{"a", "b"}, true},
		{"TRUNCATE TABLE a RESTART IDENTITY CASCADE", "truncate", write, []string{"a"}, false},
		{"COPY t FROM STDIN", "copy", write, []string{"t"}, true},
		{"COPY t (a, b) TO STDOUT", "copy", other, []string{"t"}, true},
		{"COPY (SELECT * FROM t) TO STDOUT", "copy", other, []string{"t"}, true},
		{"CREATE TABLE t (id int PRIMARY KEY, created timestamptz DEFAULT now(), u int REFERENCES u(id))", "create", write, []string{"t"}, true},
		{"CREATE TABLE IF NOT EXISTS public.t (id int)", "create", write, []string{"public.t"}, true},
		{"CREATE TEMP TABLE t2 AS SELECT * FROM t", "create", write, []string{"t2"}, true},
		{"CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1)", "create", write, []string{"p1", "p"}, true},
		{"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a)", "create", write, []string{"t"}, true},
		{"CREATE INDEX ON t USING gin (data)", "create", write, []string{"t"}, true},
		{"CREATE OR REPLACE VIEW v AS SELECT * FROM t", "create", write, []string{"v"}, true},
		{"CREATE MATERIALIZED VIEW mv AS SELECT * FROM t WITH NO DATA", "create", write, []string{"mv"}, true},
		{"CREATE SEQUENCE IF NOT EXISTS s", "create", write, []string{"s"}, true},
		{"CREATE OR REPLACE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql", "create", write, nil, false},
		{`CREATE EXTENSION IF NOT EXISTS "uuid-ossp"`, "create", write, nil, false},
		{"ALTER TABLE users ADD COLUMN age int DEFAULT 0", "alter", write, []string{"users"}, true},
		{"ALTER TABLE IF EXISTS a RENAME TO b", "alter", write, []string{"a", "b"}, true},
		{"ALTER TABLE a SET SCHEMA s", "alter", write, []string{"a"}, false},
		{"ALTER ROLE r SET search_path = x", "alter", write, nil, false},
		{"ALTER TABLE p ATTACH PARTITION p2 FOR VALUES IN (2)", "alter", write, []string{"p", "p2"}, true},
		{"ALTER TABLE ALL IN TABLESPACE a SET TABLESPACE b", "alter", write, nil, false},
		{"ALTER MATERIALIZED VIEW mv RENAME TO mv2", "alter", write, []string{"mv", "mv2"}, true},
		{"ALTER FOREIGN TABLE ONLY f OWNER TO r", "alter", write, []string{"f"}, true},
		{"ALTER VIEW v RENAME COLUMN a TO b", "alter", write, []string{"v"}, true},
		{"DROP MATERIALIZED VIEW IF EXISTS mv", "drop", write, []string{"mv"}, true},
		{"DROP FOREIGN TABLE f, g RESTRICT", "drop", write, []string{"f", "g"}, true},
		{"CREATE FOREIGN TABLE f (a int) SERVER s", "create", write, []string{"f"}, true},
		{"CREATE MATERIALIZED VIEW IF NOT EXISTS mv AS SELECT nextval('s')", "create", write, []string{"mv"}, false},
		{"CREATE TABLE t AS EXECUTE p", "create", write, []string{"t"}, false},
		{"DROP TABLE IF EXISTS a, b", "drop", write, []string{"a", "b"}, true},
		{"DROP TABLE a CASCADE", "drop", write, []string{"a"}, false},
		{"DROP INDEX i", "drop", write, nil, false},
		{"REFRESH MATERIALIZED VIEW CONCURRENTLY mv", "refresh", write, []string{"mv"}, true},
		{"GRANT SELECT ON t TO r", "grant", write, nil, false},
		{"CALL p(1)", "call", write, nil, false},
		{"DO $$ BEGIN PERFORM 1; END $$", "do", write, nil, false},
		{"EXECUTE stmt(1)", "execute", write, nil, false},
		{"FOO bar", "foo", write, nil, false},

		// EXPLAIN.
		{"EXPLAIN SELECT * FROM t", "explain", cacheable, []string{"t"}, true},
		{"EXPLAIN ANALYZE SELECT * FROM t", "explain", read, []string{"t"}, true},
		{"EXPLAIN ANALYZE DELETE FROM t", "explain", write, []string{"t"}, true},
		{"EXPLAIN (ANALYZE, BUFFERS) UPDATE t SET a = 1", "explain", write, []string{"t"}, true},
		{"EXPLAIN DELETE FROM t", "explain", other, []string{"t"}, true},
		{"EXPLAIN (ANALYZE false, FORMAT JSON) UPDATE t SET a = 1", "explain", other, []string{"t"}, true},

		// Session, transaction and maintenance commands.
		{"SHOW search_path", "show", read, nil, true},
		{"SET search_path = public", "set", other, nil, true},
		{"BEGIN", "begin", other, nil, true},
		{"COMMIT", "commit", other, nil, true},
		{"COMMIT PREPARED 'tx'", "commit", write, nil, false},
		{"LISTEN ch", "listen", other, nil, true},
		{"NOTIFY ch, 'payload'", "notify", other, nil, true},
		{"VACUUM ANALYZE t", "vacuum", other, nil, true},
		{"LOCK TABLE t IN ACCESS EXCLUSIVE MODE", "lock", other, []string{"t"}, true},
		{"DECLARE c CURSOR FOR SELECT * FROM t", "declare", other, []string{"t"}, true},

		// What cannot be analysed is a write to unknown tables.
		{"", "", other, nil, true},
		{"SELECT 'unterminated", "select", write, nil, false},
		{"SELECT (1", "select", write, nil, false},
		{"SELECT 1)", "select", write, nil, false},
		{`SELECT * FROM U&"d\0061ta"`, "select", cacheable, []string{`d\0061ta`}, false},
		{"WITH x AS (SELECT 1)", "", write, nil, false},
		{"DELETE t", "delete", write, nil, false},
		{"INSERT t VALUES (1)", "insert", write, nil, false},
		{"UPDATE (t) SET a = 1", "update", write, nil, false},
		{"MERGE INTO t ON true", "merge", write, []string{"t"}, false},
		{"TABLE", "table", cacheable, nil, false},
		{"SELECT * FROM", "select", cacheable, nil, false},
		{"EXPLAIN", "explain", write, nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.sql, func(t *testing.T) {
			got := Classify(tc.sql)
			want := Info{Kind: tc.kind, Tables: tc.tables, TablesKnown: tc.known}
			switch tc.class {
			case cacheable:
				want.ReadOnly, want.Cacheable = true, true
			case read:
				want.ReadOnly = true
			case write:
				want.Writes = true
			}
			if !equalInfo(got, want) {
				t.Errorf("Classify(%q)\n got %+v\nwant %+v", tc.sql, got, want)
			}
		})
	}
}

// TestClassifyFunctionCalls: a call to a function not known to be free of
// side effects (a user-defined add_item(…) that inserts) must never be
// cached, retried, or sent to a replica; the built-ins that common reads use
// keep those reads cacheable.
func TestClassifyFunctionCalls(t *testing.T) {
	tests := []struct {
		sql   string
		class int
	}{
		// User-defined functions, wherever they are called.
		{"SELECT add_item(?)", write},
		{"SELECT add_item($1) AS r", write},
		{"SELECT * FROM add_item('x')", write},
		{"SELECT id FROM t WHERE id = ANY(ids_for(1))", write},
		{"SELECT (SELECT bump_counter()) AS n", write},
		{"WITH x AS (SELECT add_item('a')) SELECT * FROM x", write},
		{"SELECT * FROM t, LATERAL make_rows(t.id) r", write},
		{"SELECT * FROM ROWS FROM (make_rows(1)) r", write},
		{"SELECT public.add_item('x')", write},
		{`SELECT "Add"('x')`, write},
		{`SELECT U&"\0061dd"('x')`, write},
		{"VALUES (add_item('x'))", write},
		{"SELECT count(*) FROM t WHERE add_item(name) > 0", write},
		{"SELECT lower(add_item('x'))", write},
		// Built-ins common reads use stay cacheable.
		{"SELECT count(*), sum(x), avg(x), min(x), max(x) FROM t", cacheable},
		{"SELECT lower(name), upper(name), length(name), substring(name from 1 for 3) FROM t", cacheable},
		{"SELECT jsonb_agg(t), json_agg(t.x), array_agg(x ORDER BY x), string_agg(name, ',') FROM t", cacheable},
		{"SELECT json_build_object('id', id, 'name', name), jsonb_build_object('a', 1) FROM t", cacheable},
		{"SELECT date_trunc('day', created_at), to_char(created_at, 'YYYY'), extract(year from created_at) FROM t", cacheable},
		{"SELECT coalesce(a, 0), nullif(b, ''), greatest(a, b), least(a, b) FROM t", cacheable},
		{"SELECT round(x, 2), abs(x), ceil(x), floor(x), trunc(x) FROM t", cacheable},
		{"SELECT concat(a, b), concat_ws(',', a, b), replace(a, 'x', 'y'), split_part(a, ',', 1), trim(a) FROM t", cacheable},
		{"SELECT row_number() OVER (PARTITION BY a ORDER BY b), rank() OVER w FROM t WINDOW w AS (ORDER BY a)", cacheable},
		{"SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM t", cacheable},
		{"SELECT count(*) FILTER (WHERE x > 0) FROM t", cacheable},
		{"SELECT * FROM t WHERE data @> ?::jsonb AND tags && ARRAY['a'] AND jsonb_array_length(data->'x') > 0", cacheable},
		{"SELECT * FROM unnest(?::int[]) AS u(id)", cacheable},
		{"SELECT array_length(a, 1), cardinality(a), array_to_string(a, ',') FROM t", cacheable},
		{"SELECT to_tsvector('english', body) @@ websearch_to_tsquery('english', ?) FROM t", cacheable},
		{"SELECT pg_catalog.count(*) FROM t", cacheable},
		{`SELECT "pg_catalog".lower(name) FROM t`, cacheable},
		{"SELECT app.upper(name) FROM t", write}, // not the built-in: someone's own function
		{"SELECT public.now()", write},
		{"SELECT CAST(x AS numeric(10, 2)), x::varchar(20) FROM t", cacheable},
		{"SELECT (a, b) OVERLAPS (c, d) FROM t", cacheable},
		{"SELECT xmlelement(name a, xmlattributes(1 AS b))", cacheable},
		// Volatile and stable built-ins read without being cacheable.
		{"SELECT now(), random()", read},
		{"SELECT * FROM t TABLESAMPLE SYSTEM (10) REPEATABLE (42)", read},
		{"SELECT pg_get_viewdef('v'::regclass), obj_description(1, 'pg_class')", read},
		// Side effects write.
		{"SELECT nextval('s')", write},
		{"SELECT pg_advisory_lock(1)", write},
	}
	for _, tc := range tests {
		got := Classify(tc.sql)
		var class int
		switch {
		case got.Writes:
			class = write
		case got.Cacheable:
			class = cacheable
		case got.ReadOnly:
			class = read
		default:
			class = other
		}
		if class != tc.class {
			t.Errorf("Classify(%q) = %+v; want %s", tc.sql, got, [...]string{"cacheable", "read", "write", "other"}[tc.class])
		}
		if got.Writes && (got.ReadOnly || got.Cacheable || got.TablesKnown) {
			t.Errorf("Classify(%q) = %+v: a write must be neither read-only, cacheable nor of known tables", tc.sql, got)
		}
	}
}

func classOf(info Info) int {
	switch {
	case info.Writes:
		return write
	case info.Cacheable:
		return cacheable
	case info.ReadOnly:
		return read
	}
	return other
}

// Functions Classify does not know are listed, and classified again by the
// volatility the server declares for them.
func TestClassifyWithVolatility(t *testing.T) {
	known := map[Function]Volatility{
		{Name: "st_distance"}:               Immutable,
		{Schema: "geo", Name: "near"}:       Stable,
		{Name: "add_item"}:                  Volatile,
		{Name: "MixedCase"}:                 Immutable,
		{Schema: "public", Name: "slugify"}: Immutable,
		{Name: `we"ird`}:                    Immutable,
	}
	tests := []struct {
		sql       string
		functions []Function
		complete  bool
		class     int // with the volatility above (Classify alone says write)
	}{
		{"SELECT st_distance(a, b) FROM places", []Function{{Name: "st_distance"}}, true, cacheable},
		{"SELECT ST_Distance(a, b), st_distance(b, a) FROM places", []Function{{Name: "st_distance"}}, true, cacheable},
		{"SELECT * FROM geo.near(?, ?)", []Function{{Schema: "geo", Name: "near"}}, true, read},
		{"SELECT * FROM GEO.Near(?, ?)", []Function{{Schema: "geo", Name: "near"}}, true, read},
		{"SELECT add_item(?)", []Function{{Name: "add_item"}}, true, write},
		{"SELECT st_distance(a, b), add_item('x') FROM t", []Function{{Name: "st_distance"}, {Name: "add_item"}}, true, write},
		{`SELECT "MixedCase"(1)`, []Function{{Name: "MixedCase"}}, true, cacheable},
		{`SELECT mixedcase(1)`, []Function{{Name: "mixedcase"}}, true, write}, // folds to another function
		{`SELECT public.slugify(title) FROM posts`, []Function{{Schema: "public", Name: "slugify"}}, true, cacheable},
		{`SELECT slugify(title) FROM posts`, []Function{{Name: "slugify"}}, true, write}, // unqualified is another lookup
		{`SELECT "we""ird"()`, []Function{{Name: `we"ird`}}, true, cacheable},
		{"SELECT unknown_fn(1)", []Function{{Name: "unknown_fn"}}, true, write},
		{"SELECT db.public.f(1)", nil, false, write},
		{`SELECT U&"\0061dd"('x')`, nil, false, write},
		{"SELECT lower(name), now() FROM t", nil, true, read},
		{"SELECT st_distance(a, b) FROM places FOR UPDATE", []Function{{Name: "st_distance"}}, true, other},
		{"INSERT INTO t VALUES (st_distance(1, 2))", []Function{{Name: "st_distance"}}, true, write},
	}
	for _, tc := range tests {
		plain := Classify(tc.sql)
		if !slices.Equal(plain.Functions, tc.functions) || plain.FunctionsComplete != tc.complete {
			t.Errorf("Classify(%q).Functions = %v (complete %v); want %v (complete %v)", tc.sql, plain.Functions, plain.FunctionsComplete, tc.functions, tc.complete)
		}
		if len(plain.Functions) > 0 && !plain.Writes {
			t.Errorf("Classify(%q) = %+v: a function it does not know must make it a write", tc.sql, plain)
		}
		if got := classOf(ClassifyWith(tc.sql, known)); got != tc.class {
			t.Errorf("ClassifyWith(%q) = %s; want %s", tc.sql, [...]string{"cacheable", "read", "write", "other"}[got], [...]string{"cacheable", "read", "write", "other"}[tc.class])
		}
	}
	var many strings.Builder
	many.WriteString("SELECT ")
	for i := range maxFunctions + 1 {
		fmt.Fprintf(&many, "f%d(), ", i)
	}
	many.WriteString("1")
	if info := Classify(many.String()); len(info.Functions) != maxFunctions || info.FunctionsComplete {
		t.Errorf("%d functions: listed %d, complete %v; want %d, false", maxFunctions+1, len(info.Functions), info.FunctionsComplete, maxFunctions)
	}
}

// TestClassifySession: statements whose effect stays with the connection
// are flagged, so that the binding does not hand that connection to the
// next request; everything else is not (closing costs a new connection).
func TestClassifySession(t *testing.T) {
	tests := []struct {
		sql     string
		session bool
	}{
		{"SET search_path TO other", true},
		{"SET SESSION search_path = x", true},
		{"set statement_timeout = 0", true},
		{"SET ROLE app", true},
		{"SET SESSION AUTHORIZATION app", true},
		{"SET TIME ZONE 'UTC'", true},
		{"SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", true},
		{"RESET ALL", true},
		{"RESET search_path", true},
		{"DISCARD ALL", true},
		{"LISTEN ch", true},
		{"PREPARE p AS SELECT 1", true},
		{"DEALLOCATE ALL", true},
		{"LOAD 'auto_explain'", true},
		{"CREATE TEMP TABLE t (a int)", true},
		{"CREATE TEMPORARY VIEW v AS SELECT 1", true},
		{"CREATE GLOBAL TEMPORARY TABLE t (a int)", true},
		{"CREATE TABLE pg_temp.t (a int)", true},
		{"SELECT * INTO TEMP t2 FROM t", true},
		{"DECLARE c CURSOR WITH HOLD FOR SELECT * FROM t", true},
		{"SELECT set_config('search_path', 'x', false)", true},
		{"SELECT pg_advisory_lock(1)", true},
		{"SELECT pg_try_advisory_lock(1)", true},
		{"SELECT setseed(0.5)", true},
		{"DO $$ BEGIN PERFORM set_config('a.b', 'c', false); END $$", true},
		{"SELECT 1; SET search_path TO x", true},
		{"SELECT 'unterminated", true},

		{"SET LOCAL search_path TO other", false},
		{"SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", false},
		{"SET CONSTRAINTS ALL DEFERRED", false},
		{"SELECT * FROM t WHERE id = ?", false},
		{"INSERT INTO t VALUES (1)", false},
		{"UPDATE t SET a = 1", false},
		{"CREATE TABLE t (a int)", false},
		{"ALTER TABLE t ADD COLUMN b int", false},
		{"SELECT pg_advisory_xact_lock(1)", false},
		{"SELECT nextval('s')", false},
		{"SELECT add_item(1)", false},
		{"DECLARE c CURSOR FOR SELECT * FROM t", false},
		{"BEGIN", false},
		{"COMMIT", false},
		{"NOTIFY ch", false},
		{"UNLISTEN *", false},
		{"SHOW search_path", false},
		{"EXPLAIN CREATE TEMP TABLE t AS SELECT 1", false},
		{"CALL p(1)", false},
		{"FOO bar", false}, // not a command: PostgreSQL rejects it
	}
	for _, tc := range tests {
		if got := Classify(tc.sql); got.Session != tc.session {
			t.Errorf("Classify(%q).Session = %v; want %v", tc.sql, got.Session, tc.session)
		}
	}
}

func TestClassifyMulti(t *testing.T) {
	tests := []struct {
		sql  string
		want Info
	}{
		{"SELECT * FROM a; SELECT * FROM b", Info{Kind: "select", ReadOnly: true, Multi: true, Tables: []string{"a", "b"}, TablesKnown: true}},
		{"SELECT * FROM a; DELETE FROM b", Info{Kind: "select", Writes: true, Multi: true, Tables: []string{"b"}, TablesKnown: true}},
		{"INSERT INTO a VALUES (1); INSERT INTO a VALUES (2); UPDATE b SET x = 1", Info{Kind: "insert", Writes: true, Multi: true, Tables: []string{"a", "b"}, TablesKnown: true}},
		{"SELECT my_func(); DELETE FROM b", Info{Kind: "select", Writes: true, Multi: true, Tables: []string{"b"}}},
		{"BEGIN; UPDATE t SET a = 1; COMMIT", Info{Kind: "begin", Writes: true, Multi: true, Tables: []string{"t"}, TablesKnown: true}},
		{"SELECT 1; 'unterminated", Info{Kind: "select", Writes: true, Multi: true}},
	}
	for _, tc := range tests {
		if got := Classify(tc.sql); !equalInfo(got, tc.want) {
			t.Errorf("Classify(%q)\n got %+v\nwant %+v", tc.sql, got, tc.want)
		}
	}
}

func TestClassifyDeepNestingGivesUp(t *testing.T) {
	deep := "SELECT "
	for range maxNesting + 10 {
		deep += "("
	}
	deep += "1"
	for range maxNesting + 10 {
		deep += ")"
	}
	got := Classify(deep)
	want := Info{Kind: "select", Writes: true}
	if !equalInfo(got, want) {
		t.Errorf("Classify(%d nested parentheses)\n got %+v\nwant %+v", maxNesting+10, got, want)
	}
}

func TestClassifyBoundsTablesAndCTEs(t *testing.T) {
	var tables, ctes strings.Builder
	for i := range maxTables + 1 {
		fmt.Fprintf(&tables, ", t%d", i)
	}
	for i := range maxCTEs + 1 {
		fmt.Fprintf(&ctes, "c%d AS (SELECT 1), ", i)
	}

	got := Classify("SELECT * FROM u" + tables.String())
	if len(got.Tables) != maxTables || got.TablesKnown {
		t.Errorf("Classify(%d tables): %d tables, TablesKnown %v; want %d, false", maxTables+2, len(got.Tables), got.TablesKnown, maxTables)
	}
	got = Classify("WITH " + ctes.String() + "z AS (SELECT 1) SELECT * FROM z")
	if got.TablesKnown || !got.Cacheable {
		t.Errorf("Classify(%d WITH queries) = %+v; want cacheable with unknown tables", maxCTEs+2, got)
	}
}

// TestClassifyConcurrent runs Classify from several goroutines, so that the
// race detector sees the pooled walkers being shared.
func TestClassifyConcurrent(t *testing.T) {
	queries := []string{seedAnalytics, "SELECT * FROM Users", "DELETE FROM t; SELECT 1", "SELECT now()"}
	want := make([]Info, len(queries))
	for i, q := range queries {
		want[i] = Classify(q)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 50 {
				for i, q := range queries {
					if got := Classify(q); !equalInfo(got, want[i]) {
						t.Errorf("concurrent Classify(%q) = %+v; want %+v", q, got, want[i])
					}
				}
			}
		})
	}
	wg.Wait()
}

func TestClassifyAllocatesOnlyTheResult(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop the pooled walker")
	}
	tests := []struct {
		sql    string
		allocs float64
	}{
		{"SELECT 1", 0},
		{"SELECT * FROM users WHERE id = $1", 1}, // the Tables slice
		{"SELECT * FROM Users", 2},               // and the folded name
		{seedAnalytics, 1},
	}
	for _, tc := range tests {
		Classify(tc.sql) // fill the pool
		if got := testing.AllocsPerRun(100, func() { Classify(tc.sql) }); got > tc.allocs {
			t.Errorf("Classify(%.30q) allocates %v times; want at most %v", tc.sql, got, tc.allocs)
		}
	}
}

func equalInfo(a, b Info) bool {
	return a.Kind == b.Kind && a.ReadOnly == b.ReadOnly && a.Cacheable == b.Cacheable &&
		a.Multi == b.Multi && a.TablesKnown == b.TablesKnown && a.Writes == b.Writes &&
		slices.Equal(a.Tables, b.Tables)
}

func TestKeywordTable(t *testing.T) {
	for k := kwNone + 1; k < kwCount; k++ {
		name := keywordNames[k]
		if name == "" || foldString(name) != name {
			t.Errorf("keyword %d has name %q; want a lower-case word", k, name)
		}
		if got := lookupKeyword(strings.ToUpper(name)); got != k {
			t.Errorf("lookupKeyword(%q) = %d; want %d", strings.ToUpper(name), got, k)
		}
	}
	if got := lookupKeyword("users"); got != kwNone {
		t.Errorf("lookupKeyword(users) = %v; want kwNone", got)
	}
}

func TestLookupFunction(t *testing.T) {
	tests := []struct {
		name   string
		quoted bool
		want   funcClass
	}{
		{"NOW", false, funcVolatile},
		{"NOW", true, funcUnknown}, // "NOW"() is not now()
		{"now", true, funcVolatile},
		{"pg_sleep_for", false, funcVolatile},
		{"uuid_generate_v1mc", false, funcVolatile},
		{"pg_try_advisory_xact_lock_shared", false, funcSideEffect},
		{"pg_advisory_unlock_all", false, funcSideEffect},
		{"lo_import", false, funcSideEffect},
		{"count", false, funcPure},
		{"age", false, funcAgeLike},
		{"my_function_with_a_name_longer_than_the_buffer", false, funcUnknown},
		{"pg_advisory_lock_with_a_name_longer_than_the_buffer", false, funcSideEffect},
	}
	for _, tc := range tests {
		if got := lookupFunction(tc.name, tc.quoted); got != tc.want {
			t.Errorf("lookupFunction(%q, quoted=%v) = %d; want %d", tc.name, tc.quoted, got, tc.want)
		}
	}
}
