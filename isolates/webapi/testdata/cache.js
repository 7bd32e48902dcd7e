// The Cache API: caches.default and caches.open, as Workers has them.

const url = (p) => "https://example.com" + p;

test("put then match, per URL and per cache; delete", async () => {
  const cache = caches.default;
  ok(cache instanceof Cache, "caches.default is a Cache");
  await cache.put(url("/a"), new Response("hello", { headers: { "cache-control": "max-age=60", "x-kind": "a" } }));
  const hit = await cache.match(url("/a"));
  eq([hit.status, await hit.text(), hit.headers.get("x-kind"), hit.headers.get("cf-cache-status")], [200, "hello", "a", "HIT"]);
  eq(await cache.match(url("/a?other")), undefined);
  eq(await cache.match(new Request(url("/a"), { method: "POST" })), undefined);
  ok((await cache.match(new Request(url("/a"), { method: "POST" }), { ignoreMethod: true })) instanceof Response, "ignoreMethod");
  const named = await caches.open("mine");
  eq(await named.match(url("/a")), undefined);
  eq(await cache.delete(url("/a")), true);
  eq(await cache.delete(url("/a")), false);
  eq(await cache.match(url("/a")), undefined);
});

test("what is not stored, and what put refuses", async () => {
  const c = await caches.open("rules");
  for (const headers of [{ "cache-control": "no-store" }, { "cache-control": "private" }, { "cache-control": "max-age=0" }, { "set-cookie": "a=1", "cache-control": "max-age=60" }, {}]) {
    await c.put(url("/x"), new Response("x", { status: 500, headers }));
    eq([JSON.stringify(headers), await c.match(url("/x"))], [JSON.stringify(headers), undefined]);
  }
  // private=Set-Cookie stores the response without its cookie.
  await c.put(url("/cookie"), new Response("c", { headers: { "set-cookie": "a=1", "cache-control": "private=Set-Cookie, max-age=60" } }));
  const hit = await c.match(url("/cookie"));
  eq([await hit.text(), hit.headers.get("set-cookie")], ["c", null]);
  // A 200 without directives lives for Cloudflare's edge TTL.
  await c.put(url("/plain"), new Response("p"));
  eq(await (await c.match(url("/plain"))).text(), "p");
  ok((await rejects(c.put(new Request(url("/p"), { method: "POST" }), new Response("x")))) instanceof TypeError, "non-GET");
  ok((await rejects(c.put(url("/p"), new Response("x", { status: 206 })))) instanceof TypeError, "206");
  ok((await rejects(c.put(url("/p"), new Response("x", { headers: { vary: "*" } })))) instanceof TypeError, "Vary: *");
});

test("conditional and range requests", async () => {
  const c = await caches.open("cond");
  await c.put(url("/e"), new Response("0123456789", { headers: { etag: '"v1"', "last-modified": "Wed, 01 Jan 2025 00:00:00 GMT", "cache-control": "max-age=60" } }));
  const notModified = await c.match(new Request(url("/e"), { headers: { "if-none-match": 'W/"v1"' } }));
  eq([notModified.status, await notModified.text()], [304, ""]);
  eq((await c.match(new Request(url("/e"), { headers: { "if-none-match": '"v2"' } }))).status, 200);
  eq((await c.match(new Request(url("/e"), { headers: { "if-modified-since": "Thu, 02 Jan 2025 00:00:00 GMT" } }))).status, 304);
  const part = await c.match(new Request(url("/e"), { headers: { range: "bytes=2-4" } }));
  eq([part.status, await part.text(), part.headers.get("content-range")], [206, "234", "bytes 2-4/10"]);
  const tail = await c.match(new Request(url("/e"), { headers: { range: "bytes=-3" } }));
  eq(await tail.text(), "789");
  eq((await c.match(new Request(url("/e"), { headers: { range: "bytes=20-" } }))).status, 416);
  eq((await c.match(new Request(url("/e"), { headers: { range: "bytes=5-2" } }))).status, 200);
});

test("very long lives are capped, not lost; 203 and 300 have no default life", async () => {
  const c = await caches.open("ttl");
  await c.put(url("/forever"), new Response("f", { headers: { "cache-control": "max-age=10000000000" } }));
  eq(await (await c.match(url("/forever"))).text(), "f");
  await c.put(url("/203"), new Response("x", { status: 203 }));
  eq(await c.match(url("/203")), undefined);
});

test("keys are http or https URLs, as on Workers", async () => {
  const c = await caches.open("schemes");
  const cacheable = () => new Response("x", { headers: { "cache-control": "max-age=60" } });
  const msg = "Invalid URL. Cache API keys must be fully-qualified, valid URLs.";
  for (const key of ["file:///etc/passwd", "data:text/plain,x", "ftp://example.com/x", "ws://example.com/x", "blob:https://example.com/1", "about:blank"]) {
    for (const [op, run] of [["put", () => c.put(key, cacheable())], ["match", () => c.match(key)], ["delete", () => c.delete(key)]]) {
      const e = await rejects(run());
      eq([key, op, e instanceof TypeError, e.message], [key, op, true, msg]);
    }
  }
  await c.put("HTTP://example.com/upper", cacheable());
  eq(await (await c.match("http://example.com/upper")).text(), "x");
  await c.put("http://127.0.0.1:8787/local", cacheable());
  eq(await (await c.match("http://127.0.0.1:8787/local")).text(), "x");
});
