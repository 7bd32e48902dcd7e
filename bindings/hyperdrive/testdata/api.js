// The statement API against a real PostgreSQL (env.HYPERDRIVE is `db`).
const setup = db.exec(`
  DROP TABLE IF EXISTS users CASCADE;
  CREATE TABLE users (id serial PRIMARY KEY, email text UNIQUE NOT NULL, name text, data jsonb, score int);
  INSERT INTO users (email, name, data, score) VALUES
    ('a@x.test', 'Ada', '{"tags":["x"],"admin":true}', 10),
    ('b@x.test', 'Bob', '{"tags":[]}', 20),
    ('c@x.test', 'Cy',  NULL, 30);
`);

test("exec runs several statements", async () => {
  const r = await setup;
  eq(r.count, 3);
  ok(typeof r.duration === "number" && r.duration >= 0, "duration");
});

test("first() returns the first row, a column, or null", async () => {
  await setup;
  const row = await db.prepare("SELECT id, email, name FROM users WHERE email = ?").bind("b@x.test").first();
  eq(row, { id: 2, email: "b@x.test", name: "Bob" });
  eq(await db.prepare("SELECT name FROM users WHERE id = ?").bind(3).first("name"), "Cy");
  eq(await db.prepare("SELECT * FROM users WHERE id = ?").bind(999).first(), null);
  const e = await rejects(db.prepare("SELECT name FROM users WHERE id = 1").first("nope"));
  ok(/Column not found: nope/.test(e.message), e.message);
});

test("all() returns results, success and meta", async () => {
  await setup;
  const r = await db.prepare("SELECT id, name FROM users WHERE score >= ? ORDER BY id").bind(20).all();
  eq(r.success, true);
  eq(r.results, [{ id: 2, name: "Bob" }, { id: 3, name: "Cy" }]);
  eq([r.meta.rows_read, r.meta.rows_written, r.meta.changes, r.meta.served_by, r.meta.cached], [2, 0, 0, "primary", false]);
  ok(r.meta.duration >= 0, "meta.duration");
});

test("run() reports changes; INSERT … RETURNING through first()", async () => {
  await setup;
  const ins = await db.prepare("INSERT INTO users (email, name) VALUES (?, ?) RETURNING *").bind("d@x.test", "Di").first();
  eq([ins.email, ins.name, typeof ins.id], ["d@x.test", "Di", "number"]);
  const up = await db.prepare("UPDATE users SET score = score + 1 WHERE score IS NOT NULL").run();
  eq([up.success, up.meta.changes, up.meta.rows_written, up.meta.changed_db, up.results], [true, 3, 3, true, []]);
  await db.prepare("DELETE FROM users WHERE email = ?").bind("d@x.test").run();
});

test("raw() returns arrays, optionally with column names first", async () => {
  await setup;
  eq(await db.prepare("SELECT id, name FROM users WHERE id <= 2 ORDER BY id").raw(), [[1, "Ada"], [2, "Bob"]]);
  eq(await db.prepare("SELECT id, name FROM users WHERE id = 1").raw({ columnNames: true }), [["id", "name"], [1, "Ada"]]);
});

test("placeholders: ?, ?NNN, $N, ?? and literals", async () => {
  await setup;
  eq(await db.prepare("SELECT ? AS a, ? AS b").bind("x", "y").first(), { a: "x", b: "y" });
  eq(await db.prepare("SELECT ?2 AS a, ?1 AS b, ?2 AS c").bind("one", "two").first(), { a: "two", b: "one", c: "two" });
  eq(await db.prepare("SELECT $1::int + $2::int AS s").bind(2, 3).first("s"), 5);
  eq(await db.prepare("SELECT '?' AS q, 'it''s ?' AS r, \"score\" FROM users WHERE id = ? -- ? in a comment").bind(1).first(),
    { q: "?", r: "it's ?", score: 11 });
  // An untyped parameter is text to PostgreSQL, so the bound 7 comes back as "7".
  eq(await db.prepare("SELECT $$ ? $$ AS d, E'\\? ?' AS e, ? AS p").bind(7).first(), { d: " ? ", e: "? ?", p: "7" });
  eq(await db.prepare("SELECT count(*)::int AS n FROM users WHERE data ?? 'admin' AND id = ?").bind(1).first("n"), 1);
  eq(await db.prepare("SELECT ?::jsonb ??| array['b'] AS has").bind({ b: 1 }).first("has"), true);
});

test("statements are immutable and reusable", async () => {
  await setup;
  const stmt = db.prepare("SELECT name FROM users WHERE id = ?");
  const a = stmt.bind(1), b = stmt.bind(2);
  eq([await a.first("name"), await b.first("name"), await a.first("name")], ["Ada", "Bob", "Ada"]);
});

test("wrong arity is an error before anything is sent", async () => {
  await setup;
  const e = throws(() => db.prepare("SELECT ? AS a, ? AS b").bind(1), RangeError);
  eq(e.code, "08P01");
  ok(/expected 2, got 1/.test(e.message), e.message);
  const r = await rejects(db.prepare("SELECT ?1 AS a").all());
  ok(/expected 1, got 0/.test(r.message), r.message);
});

test("SQL errors carry PostgreSQL's fields", async () => {
  await setup;
  const dup = await rejects(db.prepare("INSERT INTO users (email) VALUES (?)").bind("a@x.test").run());
  eq([dup.code, dup.constraint, dup.table, dup.schema], ["23505", "users_email_key", "users", "public"]);
  ok(/duplicate key value/.test(dup.message), dup.message);
  ok(/Key \(email\)=\(a@x.test\) already exists/.test(dup.detail), dup.detail);
  const nn = await rejects(db.prepare("INSERT INTO users (email) VALUES (NULL)").run());
  eq([nn.code, nn.column, nn.table], ["23502", "email", "users"]);
  const syn = await rejects(db.prepare("SELEC 1").all());
  eq(syn.code, "42601");
  ok(syn.position > 0, "position");
  const undef = await rejects(db.prepare("SELECT nope FROM users").all());
  eq(undef.code, "42703");
  ok(undef instanceof Error, "an Error");
});

test("batch runs in one transaction and returns each result", async () => {
  await setup;
  const res = await db.batch([
    db.prepare("INSERT INTO users (email, name) VALUES (?, ?)").bind("e@x.test", "Ed"),
    db.prepare("UPDATE users SET name = ? WHERE email = ?").bind("Eddie", "e@x.test"),
    db.prepare("SELECT name FROM users WHERE email = ?").bind("e@x.test"),
  ]);
  eq(res.length, 3);
  eq([res[0].meta.changes, res[1].meta.changes, res[2].results], [1, 1, [{ name: "Eddie" }]]);
});

test("batch is all or nothing", async () => {
  await setup;
  const e = await rejects(db.batch([
    db.prepare("INSERT INTO users (email, name) VALUES (?, ?)").bind("f@x.test", "Fay"),
    db.prepare("INSERT INTO users (email) VALUES (?)").bind("a@x.test"),
  ]));
  eq([e.code, e.index], ["23505", 1]);
  eq(await db.prepare("SELECT count(*)::int AS n FROM users WHERE email = ?").bind("f@x.test").first("n"), 0);
});

test("connection properties as Workers exposes them", () => {
  eq(typeof db.connectionString, "string");
  ok(db.connectionString.startsWith("postgres"), db.connectionString);
  eq([typeof db.host, typeof db.port, typeof db.user, typeof db.database], ["string", "number", "string", "string"]);
  ok(db.port > 0, "port");
  eq(Object.prototype.toString.call(db), "[object Hyperdrive]");
});

// What a hostile or buggy script can do to the binding: clear errors, no
// crash, nothing of Go's reachable.
test("a lying length is an error, not an allocation", async () => {
  await setup;
  const huge = [];
  huge.length = 4294967295;
  const e = await rejects(db.prepare("SELECT ?::text AS t").bind(huge).all());
  ok(/at most 1048576/.test(e.message), e.message);
  const stmt = db.prepare("SELECT ?::int AS n").bind(1);
  const params = Object.getOwnPropertySymbols(stmt).find((s) => Array.isArray(stmt[s]));
  stmt[params] = { length: 1e12 };
  const e2 = await rejects(stmt.all());
  ok(/at most 65535/.test(e2.message), e2.message);
});

test("batch reads the array itself: a patched map() or iterator changes nothing", async () => {
  await setup;
  const list = [db.prepare("SELECT 1 AS one")];
  list.map = () => [{}];
  list[Symbol.iterator] = function* () { yield {}; };
  const res = await db.batch(list);
  eq(res.map((r) => r.results), [[{ one: 1 }]]);
  const e = await rejects(db.batch([db.prepare("SELECT 1"), {}]));
  ok(/must come from prepare/.test(e.message), e.message);
});

test("errors stay plain Errors when a script replaces the global Error", async () => {
  await setup;
  const saved = globalThis.Error;
  globalThis.Error = undefined;
  let e;
  try {
    e = await rejects(db.prepare("SELECT * FROM no_such_table").all());
  } finally {
    globalThis.Error = saved;
  }
  ok(e instanceof saved, "an Error");
  eq([e.code, e.value], ["42P01", undefined]);
});

test("a statement's handle shows nothing of Go", () => {
  const stmt = db.prepare("SELECT 1");
  for (const s of Object.getOwnPropertySymbols(stmt)) {
    const v = stmt[s];
    if (v && typeof v === "object" && "handle" in v) {
      eq(Object.keys(v.handle), []);
      eq([v.handle.st, v.handle.raw, v.handle.sql], [undefined, undefined, undefined]);
    }
  }
});
