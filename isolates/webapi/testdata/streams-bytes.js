// Byte streams and BYOB readers: the edge cases the workerd probes do not
// reach (testdata/workerdprobes/probes/streams-bytes.js has the rest).

const byteStream = (source) => new ReadableStream({ type: "bytes", ...source });

test("byte streams: an enqueued view is moved, its buffer detached; the reader gets the same bytes", async () => {
  const u = new Uint8Array([1, 2, 3, 4]).subarray(1, 3);
  const buf = u.buffer;
  const rs = byteStream({ start(c) { c.enqueue(u); c.close(); } });
  eq([buf.detached, buf.byteLength, u.byteLength], [true, 0, 0]);
  const { value } = await rs.getReader().read();
  eq([Array.from(value), value.byteOffset, value.buffer.byteLength], [[2, 3], 1, 4]);
});

test("byte streams: enqueue of a detached view is a TypeError and the stream goes on", async () => {
  const u = new Uint8Array(2);
  u.buffer.transfer();
  let c;
  const rs = byteStream({ start(x) { c = x; } });
  throws(() => c.enqueue(u), TypeError);
  throws(() => c.enqueue("str"), TypeError);
  c.enqueue(new Uint8Array([9]));
  eq(Array.from((await rs.getReader().read()).value), [9]);
});

test("byte streams: a BYOB read detaches the view at once, even when it is answered from the queue", async () => {
  const rs = byteStream({ start(c) { c.enqueue(new Uint8Array([5, 6, 7])); } });
  const r = rs.getReader({ mode: "byob" });
  const view = new Uint8Array(new ArrayBuffer(8), 2, 4);
  const p = r.read(view);
  eq([view.byteLength, view.buffer.byteLength], [0, 0]);
  const { value, done } = await p;
  eq([done, Array.from(value), value.byteOffset, value.buffer.byteLength], [false, [5, 6, 7], 2, 8]);
  // The detached view cannot be read into again.
  ok((await rejects(r.read(view), TypeError)) instanceof TypeError);
});

test("byte streams: the byobRequest's view is detached once the read is answered", async () => {
  let req, view;
  const rs = byteStream({ pull(c) { req = c.byobRequest; view = req.view; view[0] = 1; req.respond(1); } });
  const { value } = await rs.getReader({ mode: "byob" }).read(new Uint8Array(3));
  eq([Array.from(value), view.byteLength, req.view], [[1], 0, null]);
  throws(() => req.respond(1), TypeError, "an answered request");
});

test("byte streams: respond on a buffer the source detached is a TypeError", async () => {
  let err;
  const rs = byteStream({ pull(c) { c.byobRequest.view.buffer.transfer(); try { c.byobRequest.respond(1); } catch (e) { err = e; } c.error(new RangeError("gave up")); } });
  const e = await rejects(rs.getReader({ mode: "byob" }).read(new Uint8Array(2)), RangeError);
  eq([err instanceof TypeError, e.message], [true, "gave up"]);
});

test("byte streams: respond(0) after close ends the read; respond(n > 0) after close throws", async () => {
  const seen = [];
  const rs = byteStream({ pull(c) {
    const req = c.byobRequest;
    c.close();
    try { req.respond(2); } catch (e) { seen.push(e.name); }
    req.respond(0);
    seen.push(c.byobRequest);
  } });
  const r = rs.getReader({ mode: "byob" });
  const a = await r.read(new Uint16Array(2));
  eq([a.done, a.value.constructor.name, a.value.length, seen], [true, "Uint16Array", 0, ["TypeError", null]]);
  const b = await r.read(new Uint8Array(1));
  eq([b.done, b.value.byteLength], [true, 0]);
  await r.closed;
});

test("byte streams: close with a partial element pending errors the stream", async () => {
  let err;
  const rs = byteStream({ pull(c) { c.byobRequest.respond(1); try { c.close(); } catch (e) { err = e; } } });
  const r = rs.getReader({ mode: "byob" });
  await rejects(r.read(new Uint16Array(2)), TypeError);
  ok(err instanceof TypeError, String(err));
  await rejects(r.closed, TypeError);
});

test("byte streams: a pull that throws errors the stream and rejects waiting BYOB reads", async () => {
  const rs = byteStream({ pull() { throw new SyntaxError("bad source"); } });
  const r = rs.getReader({ mode: "byob" });
  const e = await rejects(r.read(new Uint8Array(4)), SyntaxError);
  eq(e.message, "bad source");
  await rejects(r.read(new Uint8Array(4)), SyntaxError);
  await rejects(rs.cancel(), TypeError); // locked
  r.releaseLock();
  await rejects(rs.cancel(), SyntaxError);
});

test("byte streams: error() drops the queue; desiredSize is null; enqueue then throws", async () => {
  let c;
  const rs = byteStream({ start(x) { c = x; c.enqueue(new Uint8Array([1])); } });
  c.error(new Error("stop"));
  eq(c.desiredSize, null);
  throws(() => c.enqueue(new Uint8Array([2])), TypeError);
  await rejects(rs.getReader().read(), Error);
});

test("byte streams: read(view, { min }) waits for min elements across pulls, then for whole elements", async () => {
  let pulls = 0;
  const rs = byteStream({ pull(c) { pulls++; c.enqueue(new Uint8Array([pulls, 0, 0])); } });
  const r = rs.getReader({ mode: "byob" });
  const { value } = await r.read(new Uint16Array(4), { min: 3 });
  // 6 bytes make 3 elements: two pulls.
  eq([Array.from(value), pulls], [[1, 2 << 8, 0], 2]);
  const rest = await r.readAtLeast(1, new Uint8Array(10));
  eq([Array.from(rest.value), pulls], [[3, 0, 0], 3]);
});

test("byte streams: releaseLock rejects a waiting read; a later respond from the source throws", async () => {
  let req, ctl;
  const rs = byteStream({ start(c) { ctl = c; }, pull(c) { req = c.byobRequest; } });
  const r = rs.getReader({ mode: "byob" });
  const p = r.read(new Uint8Array(4));
  await Promise.resolve();
  r.releaseLock();
  await rejects(p, TypeError);
  throws(() => req.respond(1), TypeError);
  // A new reader reads on.
  const r2 = rs.getReader();
  const p2 = r2.read();
  await Promise.resolve();
  ctl.enqueue(new Uint8Array([3]));
  eq(Array.from((await p2).value), [3]);
});

test("byte streams: a default reader's read takes every queued chunk up to autoAllocateChunkSize", async () => {
  const rs = byteStream({ autoAllocateChunkSize: 4, start(c) { for (const b of [[1, 2], [3], [4], [5]]) c.enqueue(new Uint8Array(b)); c.close(); } });
  const r = rs.getReader();
  const a = await r.read(), b = await r.read(), end = await r.read();
  eq([Array.from(a.value), Array.from(b.value), end.done], [[1, 2, 3, 4], [5], true]);
});

test("byte streams: cancel answers waiting reads done and calls the source once", async () => {
  let cancels = 0;
  const rs = byteStream({ cancel(reason) { cancels++; eq(reason, "enough"); } });
  const r = rs.getReader({ mode: "byob" });
  const p = r.read(new Uint8Array(2));
  await r.cancel("enough");
  const res = await p;
  eq([res.done, res.value.byteLength, cancels], [true, 0, 1]);
  await r.cancel("again");
  eq(cancels, 1);
});

test("byte streams: a tee's branches have their own copies", async () => {
  const rs = byteStream({ start(c) { c.enqueue(new Uint8Array([1, 2])); c.close(); } });
  const [a, b] = rs.tee();
  const va = (await a.getReader().read()).value;
  va[0] = 99;
  const vb = (await b.getReader({ mode: "byob" }).read(new Uint8Array(4))).value;
  eq([Array.from(va), Array.from(vb)], [[99, 2], [1, 2]]);
});

test("byte streams: a Blob's stream leaves the Blob's bytes alone", async () => {
  const blob = new Blob([new Uint8Array([1, 2, 3])]);
  const r = blob.stream().getReader({ mode: "byob" });
  const { value } = await r.read(new Uint8Array(3));
  value[0] = 7;
  eq(Array.from(new Uint8Array(await blob.arrayBuffer())), [1, 2, 3]);
});

test("stream classes: controllers are real classes that scripts cannot make", () => {
  let dc, bc, wc, tc;
  new ReadableStream({ start(c) { dc = c; } });
  new ReadableStream({ type: "bytes", start(c) { bc = c; } });
  new WritableStream({ start(c) { wc = c; } });
  new TransformStream({ start(c) { tc = c; } });
  ok(dc instanceof ReadableStreamDefaultController && bc instanceof ReadableByteStreamController);
  ok(wc instanceof WritableStreamDefaultController && tc instanceof TransformStreamDefaultController);
  for (const C of [ReadableStreamDefaultController, ReadableByteStreamController, ReadableStreamBYOBRequest, WritableStreamDefaultController, TransformStreamDefaultController]) {
    eq(throws(() => new C(), TypeError).message, "Illegal constructor");
  }
  // A forged object gets no controller's powers.
  const fake = Object.create(ReadableStreamDefaultController.prototype);
  throws(() => fake.enqueue(1), TypeError);
  throws(() => ReadableByteStreamController.prototype.close.call(dc), TypeError);
  eq(Object.keys(dc), []);
});
