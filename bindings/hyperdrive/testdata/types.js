// Every row of DESIGN.md's type table, both directions.
const one = (sql, ...params) => db.prepare(sql).bind(...params).first("v");

test("PostgreSQL → JS: numbers", async () => {
  eq(await one("SELECT 7::int2 AS v"), 7);
  eq(await one("SELECT 2147483647::int4 AS v"), 2147483647);
  eq(await one("SELECT 1.5::float4 AS v"), 1.5);
  eq(await one("SELECT 0.1::float4 AS v"), 0.1); // as PostgreSQL prints it, not widened to 0.10000000149011612
  eq(await one("SELECT '-3.4028235e38'::float4 AS v"), -3.4028235e38);
  eq(await one("SELECT 'Infinity'::float4 AS v"), Infinity);
  eq(await one("SELECT 0.1::float8 AS v"), 0.1);
  eq(await one("SELECT 9007199254740991::int8 AS v"), 9007199254740991);
  eq(await one("SELECT (-9007199254740991)::int8 AS v"), -9007199254740991);
  eq(await one("SELECT 9007199254740993::int8 AS v"), "9007199254740993");
  eq(await one("SELECT 123.4500::numeric AS v"), "123.4500");
  eq(await one("SELECT 12345678901234567890.123456789::numeric AS v"), "12345678901234567890.123456789");
  eq(await one("SELECT 'NaN'::numeric AS v"), "NaN");
  eq(await one("SELECT 0.00::numeric AS v"), "0.00"); // zero keeps its scale, as PostgreSQL prints it
  eq(await one("SELECT 0::numeric AS v"), "0");
  eq(await one("SELECT (-0.000)::numeric AS v"), "0.000");
});

test("PostgreSQL → JS: text-like, bool, uuid, enum, interval, inet", async () => {
  eq(await one("SELECT true AS v"), true);
  eq(await one("SELECT 'héllo'::text AS v"), "héllo");
  eq(await one("SELECT 'x'::varchar(5) AS v"), "x");
  eq(await one("SELECT 'ab'::char(3) AS v"), "ab ");
  eq(await one("SELECT 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS v"), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
  await db.exec("DROP TYPE IF EXISTS mood CASCADE; CREATE TYPE mood AS ENUM ('sad', 'happy')");
  eq(await one("SELECT 'happy'::mood AS v"), "happy");
  eq(await one("SELECT interval '1 day 2 hours' AS v"), "1 day 02:00:00");
  eq(await one("SELECT interval '1 year 2 months 3 days 04:05:06.5' AS v"), "1 year 2 mons 3 days 04:05:06.5");
  eq(await one("SELECT interval '0' AS v"), "00:00:00");
  eq(await one("SELECT '192.168.0.1'::inet AS v"), "192.168.0.1");
  eq(await one("SELECT '10.1.0.0/16'::inet AS v"), "10.1.0.0/16");
  eq(await one("SELECT '10.0.0.0/8'::cidr AS v"), "10.0.0.0/8");
  eq(await one("SELECT '12:34:56.789'::time AS v"), "12:34:56.789");
});

test("PostgreSQL → JS: json, bytea, dates, arrays, NULL", async () => {
  eq(await one(`SELECT '{"a":[1,2,{"b":null}],"c":"d"}'::json AS v`), { a: [1, 2, { b: null }], c: "d" });
  eq(await one(`SELECT '{"n": 1.5, "t": true}'::jsonb AS v`), { n: 1.5, t: true });
  eq(await one(`SELECT '[1, "x"]'::jsonb AS v`), [1, "x"]);
  const bytes = await one("SELECT '\\x00ff10'::bytea AS v");
  ok(bytes instanceof Uint8Array, "bytea is a Uint8Array");
  eq(Array.from(bytes), [0, 255, 16]);
  const ts = await one("SELECT '2024-02-03 04:05:06.789+00'::timestamptz AS v");
  ok(ts instanceof Date, "timestamptz is a Date");
  eq(ts.toISOString(), "2024-02-03T04:05:06.789Z");
  const plain = await one("SELECT '2024-02-03 04:05:06'::timestamp AS v");
  ok(plain instanceof Date, "timestamp is a Date");
  eq(plain.toISOString(), "2024-02-03T04:05:06.000Z");
  eq(await one("SELECT '2024-02-03'::date AS v"), "2024-02-03");
  eq(await one("SELECT ARRAY[1,2,3]::int4[] AS v"), [1, 2, 3]);
  eq(await one("SELECT ARRAY['a', NULL, 'c']::text[] AS v"), ["a", null, "c"]);
  eq(await one("SELECT ARRAY['2024-01-02'::date] AS v"), ["2024-01-02"]);
  eq(await one("SELECT NULL::int AS v"), null);
});

test("PostgreSQL → JS: other types are the text PostgreSQL prints, as node-postgres returns them", async () => {
  const cases = [
    ["interval '-1 day 2 hours'", "-1 days +02:00:00"],
    ["interval '-3 hours'", "-03:00:00"],
    ["interval '1 year -1 month'", "11 mons"],
    ["'12:34:56+02'::timetz", "12:34:56+02"],
    ["int4range(1, 5)", "[1,5)"],
    ["int8range(NULL, 9)", "(,9)"],
    ["numrange(1.5, 2.50)", "[1.5,2.50)"],
    ["'[2024-01-01,2024-02-01)'::daterange", "[2024-01-01,2024-02-01)"],
    ["'empty'::int4range", "empty"],
    ["'{[1,3), [5,7)}'::int4multirange", "{[1,3),[5,7)}"],
    ["point(1, 2.5)", "(1,2.5)"],
    ["'((0,0),(1,1))'::box", "(1,1),(0,0)"],
    ["'<(0,0),1>'::circle", "<(0,0),1>"],
    ["'{1,2,3}'::line", "{1,2,3}"],
    ["'[(0,0),(1,1)]'::lseg", "[(0,0),(1,1)]"],
    ["'((0,0),(1,1),(2,0))'::path", "((0,0),(1,1),(2,0))"],
    ["'((0,0),(1,1),(2,0))'::polygon", "((0,0),(1,1),(2,0))"],
    ["B'1010'::bit(4)", "1010"],
    ["B'101'::varbit", "101"],
    ["'<a>x</a>'::xml", "<a>x</a>"],
    ["'x'::\"char\"", "x"],
    ["'(0,1)'::tid", "(0,1)"],
    ["ROW(1, 'a b', NULL)", "(1,\"a b\",)"],
    ["'08:00:2b:01:02:03'::macaddr", "08:00:2b:01:02:03"],
    ["'a fat cat'::tsvector", "'a' 'cat' 'fat'"],
  ];
  for (const [sql, want] of cases) eq([sql, await one(`SELECT ${sql} AS v`)], [sql, want]);
});

test("PostgreSQL → JS: arrays keep their dimensions and their elements' types", async () => {
  eq(await one("SELECT '{{1,2},{3,4}}'::int4[] AS v"), [[1, 2], [3, 4]]);
  eq(await one("SELECT '{{{a}},{{b}}}'::text[] AS v"), [[["a"]], [["b"]]]);
  eq(await one("SELECT '{}'::int4[] AS v"), []);
  eq(await one("SELECT '{{2024-01-02},{NULL}}'::date[] AS v"), [["2024-01-02"], [null]]);
  eq(await one("SELECT ARRAY[int4range(1, 2), NULL] AS v"), ["[1,2)", null]);
  eq(await one("SELECT ARRAY[point(1, 2)] AS v"), ["(1,2)"]);
  eq(await one("SELECT ARRAY[interval '-1 day'] AS v"), ["-1 days"]);
  eq(await one(`SELECT ARRAY['{"b": 1, "a": [2]}'::jsonb, 'null'::jsonb] AS v`), [{ a: [2], b: 1 }, null]);
  eq(Object.keys((await one(`SELECT ARRAY['{"z": 1, "a": 2}'::json] AS v`))[0]), ["z", "a"]); // json keeps key order
  const ts = await one("SELECT ARRAY['2024-02-03 04:05:06+00'::timestamptz] AS v");
  ok(ts[0] instanceof Date, "timestamptz[] elements are Dates");
  eq(await one("SELECT ARRAY[9007199254740993::int8, 1] AS v"), ["9007199254740993", 1]);
});

test("JS → PostgreSQL: text-format types take their text", async () => {
  eq(await one("SELECT upper(?::int4range) AS v", "[1,5)"), 5);
  eq(await one("SELECT extract(epoch FROM ?::interval)::int AS v", "1 hour"), 3600);
  eq(await one("SELECT (?::point)[0] AS v", "(3,4)"), 3);
  eq(await one("SELECT array_length(?::int4range[], 1) AS v", ["[1,2)", "[3,4)"]), 2);
});

test("JS → PostgreSQL: every bound type", async () => {
  eq(await one("SELECT ?::int4 + 1 AS v", 41), 42);
  eq(await one("SELECT ?::float8 * 2 AS v", 1.25), 2.5);
  eq(await one("SELECT ?::text || '!' AS v", "hi"), "hi!");
  eq(await one("SELECT NOT ?::bool AS v", false), true);
  eq(await one("SELECT ?::int IS NULL AS v", null), true);
  eq(await one("SELECT ?::int IS NULL AS v", undefined), true);
  eq(await one("SELECT (?::int8 + 1)::text AS v", 9007199254740993n), "9007199254740994");
  eq(await one("SELECT ?::numeric AS v", 123456789012345678901234567890n), "123456789012345678901234567890");
  eq(await one("SELECT extract(epoch FROM ?::timestamptz)::int8 AS v", new Date(Date.UTC(2024, 0, 2))), 1704153600);
  eq(await one("SELECT encode(?::bytea, 'hex') AS v", new Uint8Array([1, 2, 255])), "0102ff");
  eq(await one("SELECT encode(?::bytea, 'hex') AS v", new Uint8Array([7, 8]).buffer), "0708");
  eq(await one("SELECT array_length(?::int4[], 1) AS v", [5, 6, 7]), 3);
  eq(await one("SELECT (?::jsonb)->'a'->>1 AS v", { a: ["x", "y"] }), "y");
  eq(await one("SELECT ?::int4 AS v", "12"), 12);
});

test("numeric comes back exactly as PostgreSQL prints it, in arrays too", async () => {
  eq(await one("SELECT ARRAY[0.00, 1.50, NULL]::numeric[] AS v"), ["0.00", "1.50", null]);
  eq(await one("SELECT 'Infinity'::numeric AS v"), "Infinity");
  eq(await one("SELECT ?::numeric * 2 AS v", 0.1), "0.2");
  eq(await one("SELECT ?::numeric AS v", 1e21), "1000000000000000000000");
  eq(await one("SELECT ?::numeric AS v", "12.340"), "12.340");
});
