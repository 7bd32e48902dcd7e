// Streamed fetch() request bodies, against the server of fetch_upload_test.go at ORIGIN.
const enc = (s) => new TextEncoder().encode(s);
// until polls the server until it has received want of the named upload.
async function until(name, want) {
  for (let i = 0; i < 500; i++) {
    if ((await (await fetch(ORIGIN + "/seen/" + name)).text()) === want) return;
    await scheduler.wait(10);
  }
  throw new Error(`the server never received ${JSON.stringify(want)} of ${name}`);
}

test("a body the script is writing is sent as it is written, chunked", async () => {
  const { readable, writable } = new TransformStream();
  const w = writable.getWriter();
  const res = fetch(ORIGIN + "/upload/a", { method: "POST", body: readable });
  await w.write(enc("hello "));
  await until("a", "hello ");
  await w.write(enc("world"));
  await until("a", "hello world");
  await w.close();
  const j = await (await res).json();
  eq([j.body, j.chunked, j.length], ["hello world", true, -1]);
});

test("with a Content-Length header it goes out with that length", async () => {
  const { readable, writable } = new TransformStream();
  const w = writable.getWriter();
  const res = fetch(ORIGIN + "/upload/b", { method: "PUT", body: readable, headers: { "content-length": "6" } });
  await w.write(enc("abc"));
  await until("b", "abc");
  await w.write(enc("def"));
  await w.close();
  const j = await (await res).json();
  eq([j.body, j.chunked, j.length], ["abcdef", false, 6]);
});

test("a pull stream, strings and large chunks", async () => {
  let n = 0;
  const body = new ReadableStream({
    pull(c) {
      if (n === 3) return c.close();
      c.enqueue(n++ === 1 ? "ü" : new Uint8Array(300000).fill(97));
    },
  });
  const j = await (await fetch(ORIGIN + "/upload/c", { method: "POST", body })).json();
  eq([j.body.length, enc(j.body).length, j.body.slice(299998, 300003), j.chunked], [600001, 600002, "aaüaa", true]);
});

test("a body stream that errors rejects the fetch with its error", async () => {
  const { readable, writable } = new TransformStream();
  const w = writable.getWriter();
  const res = fetch(ORIGIN + "/upload/d", { method: "POST", body: readable });
  await w.write(enc("part"));
  await until("d", "part");
  const boom = new RangeError("boom");
  w.abort(boom);
  let err;
  try { await res; } catch (e) { err = e; }
  eq(err, boom);
});

test("a chunk that is not bytes rejects the fetch", async () => {
  const body = new ReadableStream({ start(c) { c.enqueue({}); } });
  let err;
  try { await fetch(ORIGIN + "/upload/e", { method: "POST", body }); } catch (e) { err = e; }
  eq([err instanceof TypeError, err.message], [true, "This ReadableStream did not return bytes."]);
});

test("an origin that answers early cancels the script's stream", async () => {
  let cancelled;
  const body = new ReadableStream({
    pull(c) { c.enqueue(new Uint8Array(65536)); },
    cancel(reason) { cancelled = reason; },
  });
  const r = await fetch(ORIGIN + "/early", { method: "POST", body });
  eq([r.status, await r.text()], [200, "early"]);
  for (let i = 0; i < 200 && cancelled === undefined; i++) await scheduler.wait(10);
  eq(cancelled instanceof DOMException && cancelled.name, "AbortError");
});

test("a request's own body (held whole) still goes with its length", async () => {
  const req = new Request(ORIGIN + "/upload/f", { method: "POST", body: "whole" });
  const j = await (await fetch(ORIGIN + "/upload/f", { method: "POST", body: req.body })).json();
  eq([j.body, j.chunked, j.length], ["whole", false, 5]);
});
