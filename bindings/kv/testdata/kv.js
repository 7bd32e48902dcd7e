// Workers KV's API on a local namespace (TestKVNamespaceAPI).

test("put and get text, overwrite, missing keys are null", async () => {
  eq(await kv.put("greeting", "hello"), undefined);
  eq(await kv.get("greeting"), "hello");
  eq(await kv.get("greeting", "text"), "hello");
  eq(await kv.get("greeting", { type: "text", cacheTtl: 60 }), "hello");
  await kv.put("greeting", "héllo ✓");
  eq(await kv.get("greeting"), "héllo ✓");
  eq(await kv.get("nope"), null);
  eq(await other.get("greeting"), null); // namespaces are separate
  await kv.put("empty", "");
  eq(await kv.get("empty"), "");
});

test("json, arrayBuffer and stream", async () => {
  await kv.put("obj", JSON.stringify({ a: [1, "x"], b: null }));
  eq(await kv.get("obj", "json"), { a: [1, "x"], b: null });
  eq(await kv.get("obj", { type: "json" }), { a: [1, "x"], b: null });
  await kv.put("bin", new Uint8Array([0, 255, 7]));
  const buf = await kv.get("bin", "arrayBuffer");
  ok(buf instanceof ArrayBuffer, "arrayBuffer is an ArrayBuffer");
  eq(Array.from(new Uint8Array(buf)), [0, 255, 7]);
  const stream = await kv.get("obj", "stream");
  ok(stream instanceof ReadableStream, "stream is a ReadableStream");
  eq(await new Response(stream).json(), { a: [1, "x"], b: null });
  eq(await kv.get("nope", "stream"), null);
  const bad = await rejects(kv.get("greeting", "json"));
  ok(bad instanceof SyntaxError, String(bad));
});

test("values: ArrayBuffer, views with an offset, streams; others are rejected", async () => {
  const big = new Uint8Array([9, 1, 2, 3, 9]);
  await kv.put("view", big.subarray(1, 4));
  eq(Array.from(new Uint8Array(await kv.get("view", "arrayBuffer"))), [1, 2, 3]);
  await kv.put("ab", new Uint8Array([104, 105]).buffer);
  eq(await kv.get("ab"), "hi");
  await kv.put("stream", new Response("streamed").body);
  eq(await kv.get("stream"), "streamed");
  await kv.put("num", 42);
  eq(await kv.get("num"), "42");
  // The stored value is a copy: changing the array later changes nothing.
  const arr = new Uint8Array([1, 2]);
  await kv.put("copy", arr);
  arr[0] = 99;
  eq(Array.from(new Uint8Array(await kv.get("copy", "arrayBuffer"))), [1, 2]);
  const e = await rejects(kv.put("obj2", { a: 1 }));
  ok(e instanceof TypeError && /accepts only strings/.test(e.message), String(e));
});

test("metadata and getWithMetadata", async () => {
  await kv.put("m", "v", { metadata: { owner: "ann", n: 2 } });
  eq(await kv.getWithMetadata("m"), { value: "v", metadata: { owner: "ann", n: 2 }, cacheStatus: null });
  eq(await kv.getWithMetadata("m", "json").catch((e) => e.name), "SyntaxError");
  await kv.put("plain", "p");
  eq(await kv.getWithMetadata("plain"), { value: "p", metadata: null, cacheStatus: null });
  eq(await kv.getWithMetadata("nope"), { value: null, metadata: null, cacheStatus: null });
  const big = await rejects(kv.put("m", "v", { metadata: { s: "x".repeat(1100) } }));
  ok(/^KV PUT failed: 413 Metadata length of 1108 exceeds limit of 1024\.$/.test(big.message), big.message);
});

test("get of several keys returns a Map", async () => {
  await kv.put("k1", "1");
  await kv.put("k2", '{"two":2}');
  const m = await kv.get(["k1", "k2", "k3"]);
  ok(m instanceof Map, "a Map");
  eq([...m.entries()], [["k1", "1"], ["k2", '{"two":2}'], ["k3", null]]);
  eq([...(await kv.get(["k2"], "json")).values()], [{ two: 2 }]);
  const withMeta = await kv.getWithMetadata(["k1", "k3"]);
  eq([...withMeta.entries()], [["k1", { value: "1", metadata: null }], ["k3", null]]);
  const notJSON = await rejects(kv.get(["k1", "greeting"], "json"));
  ok(/non-json value/.test(notJSON.message), notJSON.message);
  ok(/"arrayBuffer" is not a valid type/.test((await rejects(kv.get(["k1"], "arrayBuffer"))).message), "bulk arrayBuffer");
  ok(/maximum of 100 keys/.test((await rejects(kv.get(Array.from({ length: 101 }, (_, i) => "k" + i)))).message), "101 keys");
  ok(/minimum of 1 key/.test((await rejects(kv.get([]))).message), "no keys");
});

test("delete", async () => {
  await kv.put("gone", "x");
  eq(await kv.delete("gone"), undefined);
  eq(await kv.get("gone"), null);
  eq(await kv.delete("never-there"), undefined);
});

test("list: byte order, prefix, limit, cursor, metadata and expiration", async () => {
  for (const k of ["user:b", "user:a", "user:c", "usera", "zeta", "user:é"]) await other.put(k, "v", k === "user:a" ? { metadata: { first: true } } : undefined);
  const all = await other.list();
  eq(all.keys.map((k) => k.name), ["user:a", "user:b", "user:c", "user:é", "usera", "zeta"]);
  eq([all.list_complete, all.cursor, all.cacheStatus], [true, undefined, null]);
  eq(all.keys[0], { name: "user:a", metadata: { first: true } });
  const users = await other.list({ prefix: "user:" });
  eq(users.keys.map((k) => k.name), ["user:a", "user:b", "user:c", "user:é"]);
  const page1 = await other.list({ prefix: "user:", limit: 3 });
  eq([page1.keys.map((k) => k.name), page1.list_complete, typeof page1.cursor], [["user:a", "user:b", "user:c"], false, "string"]);
  const page2 = await other.list({ prefix: "user:", limit: 3, cursor: page1.cursor });
  eq([page2.keys.map((k) => k.name), page2.list_complete], [["user:é"], true]);
  const bad = await rejects(other.list({ cursor: "!!" }));
  ok(/^KV LIST failed: 400 Invalid cursor/.test(bad.message), bad.message);
});

test("expiration: expirationTtl and expiration, keys vanish once past", async () => {
  const now = Math.floor(Date.now() / 1000);
  await kv.put("ttl", "soon", { expirationTtl: 60 });
  await kv.put("abs", "later", { expiration: now + 3600 });
  const listed = (await kv.list({ prefix: "ttl" })).keys[0];
  ok(listed.expiration >= now + 60 && listed.expiration <= now + 62, JSON.stringify(listed));
  eq(await kv.get("ttl"), "soon");
  advance(61);
  eq(await kv.get("ttl"), null);
  eq((await kv.list({ prefix: "ttl" })).keys, []);
  eq(await kv.get("abs"), "later");
  advance(3600);
  eq(await kv.get("abs"), null);
});

test("Workers' validation errors", async () => {
  const cases = [
    [() => kv.get(""), "KV GET failed: 400 Key names must not be empty"],
    [() => kv.put(".", "x"), 'KV PUT failed: 400 Illegal key name ".". Please use a different name.'],
    [() => kv.delete("x".repeat(513)), "KV DELETE failed: 414 UTF-8 encoded length of 513 exceeds key length limit of 512."],
    [() => kv.get("é".repeat(257)), "KV GET failed: 414 UTF-8 encoded length of 514 exceeds key length limit of 512."],
    [() => kv.put("k", "v", { expirationTtl: 30 }), "KV PUT failed: 400 Invalid expiration_ttl of 30. Expiration TTL must be at least 60."],
    [() => kv.put("k", "v", { expirationTtl: -1 }), "KV PUT failed: 400 Invalid expiration_ttl of -1. Please specify integer greater than 0."],
    [() => kv.put("k", "v", { expiration: 5 }), "KV PUT failed: 400 Invalid expiration of 5. Please specify integer greater than the current number of seconds since the UNIX epoch."],
    [() => kv.get("k", { cacheTtl: 10 }), "KV GET failed: 400 Invalid cache_ttl of 10. Cache TTL must be at least 60."],
    [() => kv.list({ limit: 0 }), "KV LIST failed: 400 Invalid key_count_limit of 0. Please specify an integer greater than 0."],
    [() => kv.list({ limit: 1001 }), "KV LIST failed: 400 Invalid key_count_limit of 1001. Please specify an integer less than 1000."],
    [() => kv.get("k", "xml"), 'Unknown response type. Possible types are "text", "arrayBuffer", "json", and "stream".'],
  ];
  for (const [call, message] of cases) {
    const e = await rejects(call());
    eq(e.message, message);
  }
  const big = await rejects(kv.put("big", new Uint8Array(25 * 1024 * 1024 + 1)));
  eq(big.message, "KV PUT failed: 413 Value length of 26214401 exceeds limit of 26214400.");
});

test("text reads decode invalid UTF-8 as TextDecoder does", async () => {
  await kv.put("bad", new Uint8Array([0x61, 0xff, 0xff, 0xe2, 0x82]));
  eq(await kv.get("bad"), "a\ufffd\ufffd\ufffd");
  eq(await kv.get("bad"), new TextDecoder().decode(new Uint8Array([0x61, 0xff, 0xff, 0xe2, 0x82])));
});
