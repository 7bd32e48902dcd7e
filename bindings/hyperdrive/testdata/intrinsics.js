// Values the binding hands to scripts are built from the intrinsics the
// isolate took before any script ran (isolates/bridge.go), and bound values
// are read with them: a script that replaces globalThis.Uint8Array, JSON,
// Date or ArrayBuffer neither sees its replacements called nor gets fake
// values back. The globals are put back before asserting (eq uses JSON).
const real = { Uint8Array, JSON, Date, ArrayBuffer };

function replaceGlobals(calls) {
  globalThis.Uint8Array = function FakeUint8Array() { calls.push("Uint8Array"); return { fake: true }; };
  globalThis.JSON = {
    parse() { calls.push("JSON.parse"); return "fake"; },
    stringify() { calls.push("JSON.stringify"); return '"fake"'; },
  };
  globalThis.Date = function FakeDate() { calls.push("Date"); return { fake: true }; };
  globalThis.ArrayBuffer = { isView() { calls.push("ArrayBuffer.isView"); return false; } };
}

function restoreGlobals() {
  Object.assign(globalThis, real);
}

async function underReplacedGlobals(run) {
  const calls = [];
  replaceGlobals(calls);
  try {
    return { value: await run(), calls };
  } finally {
    restoreGlobals();
  }
}

const sql = `SELECT '\\x0102ff'::bytea AS b, '{"a":[1,{"z":null}],"n":"x"}'::jsonb AS j,
  '2024-01-02T03:04:05.678Z'::timestamptz AS t, ARRAY['{"e":1}'::json] AS ja,
  ?::jsonb AS bound, ?::bytea AS bytes, ?::json AS arr`;

function checkRow(r) {
  ok(r.b instanceof Uint8Array, "bytea is a real Uint8Array");
  eq(Array.from(r.b), [1, 2, 255]);
  eq(r.j, { a: [1, { z: null }], n: "x" });
  ok(r.t instanceof Date, "timestamptz is a real Date");
  eq(r.t.toISOString(), "2024-01-02T03:04:05.678Z");
  eq(r.ja, [{ e: 1 }]);
  eq(r.bound, { d: "1970-01-01T00:00:00.000Z", k: [1, "two"] }); // bound with the real JSON.stringify (jsonb orders keys)
  eq(Array.from(r.bytes), [7, 8, 9]); // a typed array, seen by the real ArrayBuffer.isView
  eq(r.arr, [{ o: 1 }]);
}

const params = () => [{ k: [1, "two"], d: new real.Date(0) }, new real.Uint8Array([7, 8, 9]), [{ o: 1 }]];

test("first(), all() and raw() build bytea, json and timestamptz values from the intrinsics", async () => {
  const stmt = db.prepare(sql).bind(...params());
  const first = await underReplacedGlobals(() => stmt.first());
  const all = await underReplacedGlobals(() => stmt.all());
  const raw = await underReplacedGlobals(() => stmt.raw());
  const column = await underReplacedGlobals(() => stmt.first("t"));
  eq([first.calls, all.calls, raw.calls, column.calls], [[], [], [], []]);
  checkRow(first.value);
  checkRow(all.value.results[0]);
  const [b, j, t] = raw.value[0];
  ok(b instanceof Uint8Array && j.n === "x" && t instanceof Date, "raw() values are real");
  ok(column.value instanceof Date, "first(column) is a real Date");
});

test("batch() results and cached reads are built from the intrinsics too", async () => {
  const stmt = db.prepare(sql).bind(...params());
  const batch = await underReplacedGlobals(() => db.batch([stmt, stmt]));
  eq(batch.calls, []);
  checkRow(batch.value[0].results[0]);
  checkRow(batch.value[1].results[0]);
  const cacheable = db.prepare("SELECT '\\x0a'::bytea AS b, '[1]'::json AS j, '1970-01-01Z'::timestamptz AS t");
  await cacheable.first(); // fills the cache
  const hit = await underReplacedGlobals(() => cacheable.first());
  eq(hit.calls, []);
  ok(hit.value.b instanceof Uint8Array && hit.value.t instanceof Date, "a cached row's values are real");
  eq([Array.from(hit.value.b), hit.value.j, hit.value.t.getTime()], [[10], [1], 0]);
});
