// Outbound fetch() against a local test server at ORIGIN.
test("GET with headers; JSON and text bodies", async () => {
  const r = await fetch(ORIGIN + "/echo?x=1", { headers: { "X-Test": "yes" } });
  eq([r.status, r.ok, r.statusText, r.headers.get("content-type")], [200, true, "OK", "application/json"]);
  const j = await r.json();
  eq([j.method, j.path, j.header, j.body], ["GET", "/echo?x=1", "yes", ""]);
  eq(r.url, ORIGIN + "/echo?x=1");
});
test("POST bodies: string, bytes, JSON, URLSearchParams", async () => {
  const post = (body, headers) => fetch(ORIGIN + "/echo", { method: "POST", body, headers }).then((r) => r.json());
  eq((await post("plain")).body, "plain");
  eq((await post(new Uint8Array([104, 105]))).body, "hi");
  eq((await post(JSON.stringify({ a: 1 }), { "content-type": "application/json" })).body, '{"a":1}');
  const form = await post(new URLSearchParams({ q: "a b" }));
  eq([form.body, form.contentType], ["q=a+b", "application/x-www-form-urlencoded;charset=UTF-8"]);
  eq((await fetch(new Request(ORIGIN + "/echo", { method: "PUT", body: "via Request" })).then((r) => r.json())).body, "via Request");
});
test("redirects: followed by default, manual on request", async () => {
  const r = await fetch(ORIGIN + "/redirect");
  eq([r.status, r.redirected, r.url], [200, true, ORIGIN + "/echo"]);
  const m = await fetch(ORIGIN + "/redirect", { redirect: "manual" });
  eq([m.status, m.headers.get("location")], [302, "/echo"]);
});
test("status codes and null bodies", async () => {
  const r = await fetch(ORIGIN + "/status/404");
  eq([r.status, r.ok, await r.text()], [404, false, "status 404"]);
  const n = await fetch(ORIGIN + "/status/204");
  eq([n.status, n.body], [204, null]);
});
test("network errors reject with TypeError", async () => {
  await rejects(fetch("http://127.0.0.1:1/"), TypeError);
  await rejects(fetch("not a url"), TypeError);
});
test("a streamed body: read in chunks of at most 64 KiB, or whole", async () => {
  const r = await fetch(ORIGIN + "/big");
  const reader = r.body.getReader();
  let n = 0, max = 0, first;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    if (first === undefined) first = String.fromCharCode(value[0]);
    n += value.byteLength;
    max = Math.max(max, value.byteLength);
  }
  eq([n, max <= 65536, first, r.bodyUsed], [300000, true, "0", true]);
  const t = await (await fetch(ORIGIN + "/big")).text();
  eq([t.length, t.slice(0, 2), t.slice(-2)], [300000, "00", "99"]);
  const c = await fetch(ORIGIN + "/big");
  await c.body.cancel();
  eq(c.bodyUsed, true);
});

test("a fetched body is a byte stream: BYOB reads fill the caller's memory from the origin's chunks", async () => {
  const r = await fetch(ORIGIN + "/big");
  const reader = r.body.getReader({ mode: "byob" });
  ok(reader instanceof ReadableStreamBYOBReader);
  let n = 0, reads = 0, buf = new ArrayBuffer(100000), sum = 0;
  for (;;) {
    const { value, done } = await reader.read(new Uint8Array(buf), { min: 1 });
    if (done) { eq(value.byteLength, 0); break; }
    ok(value.byteLength <= 100000, "fits the view");
    for (let i = 0; i < value.length; i += 30000) sum += value[i] - 48;
    n += value.byteLength;
    reads++;
    buf = value.buffer; // the memory comes back in the answer: read into it again
  }
  eq([n, reads >= 3, r.bodyUsed], [300000, true, true]);
  ok(sum > 0, "digits read");
});
