// Bound values as JavaScript means them, whatever the process's time zone
// (TestValuesInAnotherTimeZone runs this file again in America/New_York).
const one = (sql, ...params) => db.prepare(sql).bind(...params).first("v");

test("Dates bind as instants: timestamp, timestamptz and date see UTC", async () => {
  const d = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678));
  const r = await db.prepare("SELECT ?::timestamp AS a, ?::timestamptz AS b, ?::date AS c, ?::timestamp::text AS t").bind(d, d, d, d).first();
  eq([r.a.toISOString(), r.b.toISOString(), r.c, r.t], [d.toISOString(), d.toISOString(), "2024-01-02", "2024-01-02 03:04:05.678"]);
  // Just after midnight UTC is the previous evening in New York.
  eq(await one("SELECT ?::date AS v", new Date(Date.UTC(2024, 0, 2, 1))), "2024-01-02");
  eq(await one("SELECT ?::date[] AS v", [new Date(Date.UTC(2024, 5, 30, 0, 30))]), ["2024-06-30"]);
  eq(await one("SELECT extract(epoch FROM ?::timestamptz)::int8 AS v", new Date(Date.UTC(2024, 0, 2))), 1704153600);
});

test("whole numbers beyond 2^53 bind as integers", async () => {
  eq(await one("SELECT (?::int8)::text AS v", 2 ** 60), "1152921504606846976");
  eq(await one("SELECT (?::int8)::text AS v", 9007199254740994), "9007199254740994");
  eq(await one("SELECT (?::int8)::text AS v", -(2 ** 62)), "-4611686018427387904");
  eq(await one("SELECT ?::int8[] AS v", [1, 2 ** 53 + 2]), [1, "9007199254740994"]);
  eq(await one("SELECT ?::numeric AS v", 2 ** 60), "1152921504606846976");
  eq(await one("SELECT ? AS v", 2 ** 60), "1152921504606846976");
  eq(await one("SELECT ?::float8 AS v", 2 ** 60), 2 ** 60);
  eq(await one("SELECT ?::float8 AS v", 1e300), 1e300); // beyond int64: a float
  eq(Object.is(await one("SELECT ?::float8 AS v", -0), -0), true);
  const e = await rejects(one("SELECT ?::int8 AS v", 2 ** 63));
  eq(e.code, "22P02"); // out of int8's range: PostgreSQL says so
});

test("plain objects bind as JSON.stringify writes them", async () => {
  eq(await one("SELECT ?::jsonb AS v", { d: new Date(0) }), { d: "1970-01-01T00:00:00.000Z" });
  eq(await one("SELECT ?::jsonb AS v", { a: undefined, b: 1, f() {} }), { b: 1 });
  eq(await one("SELECT ?::jsonb AS v", { toJSON() { return 7; } }), 7);
  eq(await one("SELECT ?::jsonb AS v", { toJSON() { return { x: [1, "y"] }; } }), { x: [1, "y"] });
  eq(await one("SELECT ?::jsonb AS v", { nested: { n: 1.5, s: "é", nil: null } }), { nested: { n: 1.5, s: "é", nil: null } });
  eq(await one("SELECT ?::json::text AS v", { b: 1, a: 2 }), '{"b":1,"a":2}'); // key order kept
  eq(await one("SELECT ?::jsonb IS NULL AS v", { toJSON() { return undefined; } }), true);
  // A script replacing JSON.stringify afterwards changes nothing.
  const saved = JSON.stringify;
  JSON.stringify = () => '"hijacked"';
  try {
    eq(await one("SELECT ?::jsonb AS v", { a: 1 }), { a: 1 });
  } finally {
    JSON.stringify = saved;
  }
});

test("BigInt binds to text, untyped and numeric parameters too", async () => {
  eq(await one("SELECT ?::text AS v", 5n), "5");
  eq(await one("SELECT ? AS v", 5n), "5");
  eq(await one("SELECT ?::int4 AS v", 5n), 5);
  eq(await one("SELECT ?::numeric AS v", 5n), "5");
  eq(await one("SELECT ?::float8 AS v", 5n), 5);
  eq(await one("SELECT (?::int8)::text AS v", -9223372036854775808n), "-9223372036854775808");
});

test("errors raised before PostgreSQL carry a SQLSTATE code", async () => {
  const json = await rejects(one("SELECT ?::jsonb AS v", { n: 5n }));
  eq(json.code, "22023");
  ok(/cannot bind object as JSON: TypeError/.test(json.message), json.message);
  const fn = await rejects(one("SELECT ?::text AS v", () => 1));
  eq(fn.code, "22023");
  const enc = await rejects(one("SELECT ?::int4 AS v", [1])); // pgx cannot encode it
  eq(enc.code, "22023");
  const batch = await rejects(db.batch([db.prepare("SELECT 1"), db.prepare("SELECT ?::text").bind(() => 1)]));
  eq([batch.code, batch.index], ["22023", 1]);
  const col = await rejects(db.prepare("SELECT 1 AS x").first("v"));
  eq(col.code, "42703");
  ok(/Column not found: v/.test(col.message), col.message);
  const arity = await rejects(db.prepare("SELECT ?::int AS v").all());
  eq(arity.code, "08P01");
  eq(throws(() => db.prepare("SELECT ? AS v").bind(1, 2)).code, "08P01");
});

test("a column named __proto__ is an own property, not the row's prototype", async () => {
  const row = await db.prepare(`SELECT 1 AS a, '{"polluted": true}'::jsonb AS "__proto__"`).first();
  eq(Object.getPrototypeOf(row) === Object.prototype, true);
  eq(row.polluted, undefined);
  eq(Object.keys(row), ["a", "__proto__"]);
  eq(Object.getOwnPropertyDescriptor(row, "__proto__").value, { polluted: true });
});

test("arrays bind as PostgreSQL arrays of any dimension, and as JSON to json and jsonb", async () => {
  eq(await one("SELECT ?::int4[] AS v", [[1, 2], [3, 4]]), [[1, 2], [3, 4]]);
  eq(await one("SELECT array_dims(?::text[]) AS v", [[["a"], ["b"]]]), "[1:1][1:2][1:1]");
  eq(await one("SELECT ?::int4[] AS v", []), []);
  eq(await one("SELECT 2 = ANY(?::int8[]) AS v", [1, 2, 3]), true);
  const ragged = await rejects(one("SELECT ?::int4[] AS v", [[1, 2], [3]]));
  eq(ragged.code, "22023");
  // JSON: objects inside stay objects, as JSON.stringify writes them.
  eq(await one("SELECT ?::jsonb AS v", [1, "x", { a: [true, null] }, [2]]), [1, "x", { a: [true, null] }, [2]]);
  eq(await one("SELECT ?::jsonb AS v", [new Date(0), undefined, NaN, -0]), ["1970-01-01T00:00:00.000Z", null, null, 0]);
  eq(await one("SELECT ?::json::text AS v", ["<&>", 1.5, [1e21]]), '["<&>",1.5,[1e+21]]');
  eq(await one("SELECT ?::json::text AS v", [{ b: 1, a: 2 }]), '[{"b":1,"a":2}]');
  eq(await one("SELECT ?::jsonb AS v", []), []);
  eq(await one("SELECT jsonb_typeof(?::jsonb) AS v", [[{ a: 1 }]]), "array");
  // The cache tells an array of objects from one of their JSON strings.
  eq(await one("SELECT jsonb_typeof((?::jsonb)->0) AS v", [{ a: 1 }]), "object");
  eq(await one("SELECT jsonb_typeof((?::jsonb)->0) AS v", ['{"a":1}']), "string");
  // BigInt fits an int8[], not JSON.
  eq(await one("SELECT (?::int8[])[1]::text AS v", [2n ** 62n]), "4611686018427387904");
  const big = await rejects(one("SELECT ?::jsonb AS v", [{ n: 1n }]));
  eq(big.code, "22023");
  ok(/cannot bind object as JSON: TypeError/.test(big.message), big.message);
});

test("arrays bound to JSON write numbers and BigInts as JSON.stringify does", async () => {
  eq(await one("SELECT (?::jsonb)::text AS v", [2 ** 60, 1]), "[1152921504606847000, 1]");
  eq(await one("SELECT (?::json)::text AS v", [[2 ** 53 + 2]]), "[[9007199254740994]]");
  const big = await rejects(one("SELECT ?::jsonb AS v", [1n]));
  eq(big.code, "22023");
  ok(/cannot bind array as JSON: TypeError/.test(big.message), big.message);
  eq(await one("SELECT (?::int8[])[1]::text AS v", [2n ** 62n]), "4611686018427387904"); // still an int8[]
});
