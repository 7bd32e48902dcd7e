// The query cache as handlers see it.
test("hits say so in meta; withoutCache() bypasses the cache", async () => {
  await db.exec("CREATE TABLE cc (id int); INSERT INTO cc VALUES (1)");
  const a = await db.prepare("SELECT id FROM cc").all();
  const b = await db.prepare("SELECT id FROM cc").all();
  eq([a.meta.cached, a.meta.served_by, b.meta.cached, b.meta.served_by], [false, "primary", true, "cache"]);
  eq(b.results, [{ id: 1 }]);
  const c = await db.prepare("SELECT id FROM cc").withoutCache().all();
  eq([c.meta.cached, c.meta.served_by], [false, "primary"]);
  const bound = db.prepare("SELECT id FROM cc WHERE id = ?").withoutCache().bind(1);
  eq((await bound.all()).meta.cached, false);
  eq((await bound.all()).meta.cached, false);
});

test("a write through the binding is visible to the next read", async () => {
  await db.exec("CREATE TABLE rw (id int PRIMARY KEY, v text); INSERT INTO rw VALUES (1, 'before')");
  eq(await db.prepare("SELECT v FROM rw WHERE id = ?").bind(1).first("v"), "before");
  eq(await db.prepare("SELECT v FROM rw WHERE id = ?").bind(1).first("v"), "before");
  await db.prepare("UPDATE rw SET v = ? WHERE id = ?").bind("after", 1).run();
  eq(await db.prepare("SELECT v FROM rw WHERE id = ?").bind(1).first("v"), "after");
  await db.batch([db.prepare("UPDATE rw SET v = 'batched' WHERE id = 1")]);
  eq(await db.prepare("SELECT v FROM rw WHERE id = ?").bind(1).first("v"), "batched");
});
