// Byte streams: ReadableByteStreamController, BYOB readers and requests,
// and bodies as byte streams.
const collect = async (r) => { const out = []; for (;;) { const { value, done } = await r.read(); if (done) return out; out.push(value); } };
export const probes = {
  "streams-bytes: default read": async () => {
    const rs = new ReadableStream({ type: "bytes", start(c) { c.enqueue(new Uint8Array([1, 2, 3])); c.close(); } });
    return collect(rs.getReader());
  },
  "streams-bytes: enqueue detaches": () => {
    const u = new Uint8Array([1, 2, 3]);
    new ReadableStream({ type: "bytes", start(c) { c.enqueue(u); } });
    return [u.byteLength, u.buffer.byteLength];
  },
  "streams-bytes: enqueue a DataView": async () => {
    const rs = new ReadableStream({ type: "bytes", start(c) { c.enqueue(new DataView(new Uint8Array([7, 8]).buffer)); c.close(); } });
    const v = (await rs.getReader().read()).value; return [v.constructor.name, v.byteLength];
  },
  "streams-bytes: enqueue not a view": () => { let err; new ReadableStream({ type: "bytes", start(c) { try { c.enqueue("x"); } catch (e) { err = e.name; } } }); return err; },
  "streams-bytes: enqueue empty": () => { let err; new ReadableStream({ type: "bytes", start(c) { try { c.enqueue(new Uint8Array(0)); } catch (e) { err = e.name; } } }); return err; },
  "streams-bytes: enqueue after close": () => { let err; new ReadableStream({ type: "bytes", start(c) { c.close(); try { c.enqueue(new Uint8Array(1)); } catch (e) { err = e.name; } } }); return err; },
  "streams-bytes: close twice": () => { let err; new ReadableStream({ type: "bytes", start(c) { c.close(); try { c.close(); } catch (e) { err = e.name; } } }); return err; },
  "streams-bytes: desiredSize": () => { const s = []; new ReadableStream({ type: "bytes", start(c) { s.push(c.desiredSize); c.enqueue(new Uint8Array(3)); s.push(c.desiredSize); c.close(); s.push(c.desiredSize); } }); return s; },
  "streams-bytes: desiredSize hwm": () => { const s = []; new ReadableStream({ type: "bytes", start(c) { s.push(c.desiredSize); c.enqueue(new Uint8Array(3)); s.push(c.desiredSize); } }, { highWaterMark: 10 }); return s; },
  "streams-bytes: desiredSize errored": () => { let d; new ReadableStream({ type: "bytes", start(c) { c.error(new Error("x")); d = c.desiredSize; } }); return d; },
  "streams-bytes: byob read": async () => {
    const rs = new ReadableStream({ type: "bytes", start(c) { c.enqueue(new Uint8Array([1, 2, 3, 4, 5])); c.close(); } });
    const r = rs.getReader({ mode: "byob" });
    const buf = new Uint8Array(3);
    const a = await r.read(buf);
    const b = await r.read(new Uint8Array(8));
    const c = await r.read(new Uint8Array(8));
    return [buf.byteLength, a.value, a.done, b.value, c.done, c.value];
  },
  "streams-bytes: byob result is the same memory": async () => {
    const rs = new ReadableStream({ type: "bytes", start(c) { c.enqueue(new Uint8Array([9, 9])); } });
    const ab = new ArrayBuffer(4);
    const { value } = await rs.getReader({ mode: "byob" }).read(new Uint8Array(ab, 1, 3));
    return [ab.byteLength, value.byteOffset, value.byteLength, value.buffer.byteLength, value.buffer === ab];
  },
  "streams-bytes: byob read Uint16Array": async () => {
    const rs = new ReadableStream({ type: "bytes", start(c) { c.enqueue(new Uint8Array([1, 0, 2, 0, 3])); c.close(); } });
    const r = rs.getReader({ mode: "byob" });
    const a = await r.read(new Uint16Array(4));
    const b = await r.read(new Uint16Array(4)).catch((e) => e.name);
    return [a.value.constructor.name, Array.from(a.value), b];
  },
  "streams-bytes: byob read DataView": async () => {
    const rs = new ReadableStream({ type: "bytes", start(c) { c.enqueue(new Uint8Array([1, 2])); } });
    const { value } = await rs.getReader({ mode: "byob" }).read(new DataView(new ArrayBuffer(4)));
    return [value.constructor.name, value.byteLength, value.getUint8(1)];
  },
  "streams-bytes: byob read with min": async () => {
    let n = 0;
    const rs = new ReadableStream({ type: "bytes", pull(c) { n++; c.enqueue(new Uint8Array([n])); if (n === 5) c.close(); } });
    const r = rs.getReader({ mode: "byob" });
    const a = await r.read(new Uint8Array(4), { min: 3 });
    return [a.value, n];
  },
  "streams-bytes: byob min too big": async () => {
    const r = new ReadableStream({ type: "bytes" }).getReader({ mode: "byob" });
    return [await r.read(new Uint8Array(2), { min: 3 }).catch((e) => e.name), await r.read(new Uint8Array(2), { min: 0 }).catch((e) => e.name)];
  },
  "streams-bytes: byob min then close": async () => {
    const rs = new ReadableStream({ type: "bytes", start(c) { c.enqueue(new Uint8Array([1])); c.close(); } });
    const r = rs.getReader({ mode: "byob" });
    const a = await r.read(new Uint8Array(4), { min: 3 });
    return [a.value, a.done];
  },
  "streams-bytes: byob read bad args": async () => {
    const r = new ReadableStream({ type: "bytes" }).getReader({ mode: "byob" });
    const out = [];
    for (const v of [undefined, {}, new ArrayBuffer(2), new Uint8Array(0)]) out.push(await r.read(v).then(() => "ok", (e) => e.name));
    return out;
  },
  "streams-bytes: byob read detached view": async () => {
    const r = new ReadableStream({ type: "bytes" }).getReader({ mode: "byob" });
    const u = new Uint8Array(4); u.buffer.transfer();
    return r.read(u).then(() => "ok", (e) => e.name);
  },
  "streams-bytes: byob read detaches": async () => {
    const rs = new ReadableStream({ type: "bytes", start(c) { c.enqueue(new Uint8Array([1])); } });
    const u = new Uint8Array(4);
    const p = rs.getReader({ mode: "byob" }).read(u);
    const len = u.byteLength;
    await p;
    return [len, u.byteLength, u.buffer.byteLength];
  },
  "streams-bytes: byobRequest respond": async () => {
    const seen = [];
    const rs = new ReadableStream({ type: "bytes", pull(c) {
      const req = c.byobRequest;
      seen.push(req instanceof ReadableStreamBYOBRequest, req.view.constructor.name, req.view.byteLength, req.view.byteOffset);
      req.view[0] = 42; req.view[1] = 43;
      req.respond(2);
      seen.push(c.byobRequest);
    } });
    const { value } = await rs.getReader({ mode: "byob" }).read(new Uint8Array(5));
    return [seen, value];
  },
  "streams-bytes: byobRequest respondWithNewView": async () => {
    const rs = new ReadableStream({ type: "bytes", pull(c) {
      const v = c.byobRequest.view;
      const nv = new Uint8Array(v.buffer, v.byteOffset, 2); nv.set([5, 6]);
      c.byobRequest.respondWithNewView(nv);
    } });
    const { value } = await rs.getReader({ mode: "byob" }).read(new Uint8Array(4));
    return value;
  },
  "streams-bytes: respondWithNewView wrong buffer": async () => {
    let err;
    const rs = new ReadableStream({ type: "bytes", pull(c) {
      try { c.byobRequest.respondWithNewView(new Uint8Array(2)); } catch (e) { err = e.name; }
      c.byobRequest.respond(1);
    } });
    const { value } = await rs.getReader({ mode: "byob" }).read(new Uint8Array(4));
    return [err, value];
  },
  "streams-bytes: respond too much": async () => {
    let err;
    const rs = new ReadableStream({ type: "bytes", pull(c) {
      try { c.byobRequest.respond(10); } catch (e) { err = e.name; }
      c.byobRequest.respond(1);
    } });
    const { value } = await rs.getReader({ mode: "byob" }).read(new Uint8Array(4));
    return [err, value.byteLength];
  },
  "streams-bytes: respond(0) while readable": async () => {
    let err;
    const rs = new ReadableStream({ type: "bytes", pull(c) {
      try { c.byobRequest.respond(0); } catch (e) { err = e.name; }
      c.byobRequest.respond(1);
    } });
    await rs.getReader({ mode: "byob" }).read(new Uint8Array(4));
    return err;
  },
  "streams-bytes: respond(0) after close": async () => {
    const rs = new ReadableStream({ type: "bytes", pull(c) { const req = c.byobRequest; c.close(); req.respond(0); } });
    const r = await rs.getReader({ mode: "byob" }).read(new Uint8Array(4));
    return [r.done, r.value];
  },
  "streams-bytes: respond(1) after close": async () => {
    let err;
    const rs = new ReadableStream({ type: "bytes", pull(c) { const req = c.byobRequest; c.close(); try { req.respond(1); } catch (e) { err = e.name; } req.respond(0); } });
    const r = await rs.getReader({ mode: "byob" }).read(new Uint8Array(4));
    return [err, r.done];
  },
  "streams-bytes: respond twice": async () => {
    let err;
    const rs = new ReadableStream({ type: "bytes", pull(c) { const req = c.byobRequest; req.respond(1); try { req.respond(1); } catch (e) { err = e.name; } } });
    await rs.getReader({ mode: "byob" }).read(new Uint8Array(4));
    return err;
  },
  "streams-bytes: request view after respond": async () => {
    let v;
    const rs = new ReadableStream({ type: "bytes", pull(c) { const req = c.byobRequest; req.respond(1); v = req.view; } });
    await rs.getReader({ mode: "byob" }).read(new Uint8Array(4));
    return v;
  },
  "streams-bytes: enqueue answers a byob read": async () => {
    const rs = new ReadableStream({ type: "bytes", pull(c) { c.enqueue(new Uint8Array([1, 2, 3, 4, 5, 6])); } });
    const r = rs.getReader({ mode: "byob" });
    const a = await r.read(new Uint8Array(4));
    const b = await r.read(new Uint8Array(4));
    return [a.value, b.value];
  },
  "streams-bytes: autoAllocateChunkSize": async () => {
    const seen = [];
    const rs = new ReadableStream({ type: "bytes", autoAllocateChunkSize: 8, pull(c) {
      const req = c.byobRequest;
      seen.push(req === null ? null : [req.view.byteLength, req.view.constructor.name]);
      req.view[0] = 1; req.respond(1);
    } });
    const { value } = await rs.getReader().read();
    return [seen, value.byteLength, value.buffer.byteLength];
  },
  "streams-bytes: autoAllocateChunkSize 0": () => { try { new ReadableStream({ type: "bytes", autoAllocateChunkSize: 0 }); return "ok"; } catch (e) { return e.name; } },
  "streams-bytes: no byobRequest for default reader": async () => {
    let req = "unset";
    const rs = new ReadableStream({ type: "bytes", pull(c) { req = c.byobRequest; c.enqueue(new Uint8Array([1])); } });
    await rs.getReader().read();
    return req;
  },
  "streams-bytes: error rejects byob read": async () => {
    const rs = new ReadableStream({ type: "bytes", pull(c) { c.error(new RangeError("boom")); } });
    const r = rs.getReader({ mode: "byob" });
    const a = await r.read(new Uint8Array(2)).catch((e) => e.name);
    const b = await r.closed.catch((e) => e.name);
    return [a, b];
  },
  "streams-bytes: byob releaseLock": async () => {
    const rs = new ReadableStream({ type: "bytes" });
    const r = rs.getReader({ mode: "byob" });
    const p = r.read(new Uint8Array(2)).catch((e) => e.name);
    r.releaseLock();
    return [await p, rs.locked, await r.closed.catch((e) => e.name), await r.read(new Uint8Array(2)).catch((e) => e.name)];
  },
  "streams-bytes: byob cancel": async () => {
    let why;
    const rs = new ReadableStream({ type: "bytes", cancel(r) { why = r; } });
    const r = rs.getReader({ mode: "byob" });
    const p = r.read(new Uint8Array(2));
    await r.cancel("stop");
    const res = await p;
    return [why, res.done, res.value, await r.closed.then(() => "closed")];
  },
  "streams-bytes: byob closed": async () => {
    const rs = new ReadableStream({ type: "bytes", start(c) { c.close(); } });
    const r = rs.getReader({ mode: "byob" });
    return [await r.closed, (await r.read(new Uint8Array(1))).done];
  },
  "streams-bytes: tee a byte stream": async () => {
    const rs = new ReadableStream({ type: "bytes", start(c) { c.enqueue(new Uint8Array([1, 2])); c.enqueue(new Uint8Array([3])); c.close(); } });
    const [a, b] = rs.tee();
    const ra = a.getReader({ mode: "byob" });
    const x = await ra.read(new Uint8Array(4));
    return [x.value, await collect(b.getReader())];
  },
  "streams-bytes: async iterate": async () => {
    const rs = new ReadableStream({ type: "bytes", start(c) { c.enqueue(new Uint8Array([1])); c.enqueue(new Uint8Array([2])); c.close(); } });
    const out = []; const it = rs[Symbol.asyncIterator]();
    for (;;) { const r = await it.next(); if (r.done) break; out.push(r.value); }
    return out;
  },
  "streams-bytes: pipeTo": async () => {
    const rs = new ReadableStream({ type: "bytes", start(c) { c.enqueue(new Uint8Array([1, 2])); c.close(); } });
    const got = [];
    await rs.pipeTo(new WritableStream({ write(ch) { got.push(ch); } }));
    return got;
  },
  "streams-bytes: response body byob": async () => {
    const r = new Response("hello world").body.getReader({ mode: "byob" });
    const a = await r.read(new Uint8Array(5));
    const b = await r.read(new Uint8Array(100));
    const c = await r.read(new Uint8Array(1));
    return [a.value, b.value, c.done];
  },
  "streams-bytes: response of bytes body byob": async () => {
    const r = new Response(new Uint8Array([1, 2, 3])).body.getReader({ mode: "byob" });
    return (await r.read(new Uint8Array(2))).value;
  },
  "streams-bytes: request body byob": async () => {
    const r = new Request("http://x/", { method: "POST", body: "abc" }).body.getReader({ mode: "byob" });
    return (await r.read(new Uint8Array(8))).value;
  },
  "streams-bytes: blob stream byob": async () => {
    const b = new Blob(["abcd"]);
    const r = b.stream().getReader({ mode: "byob" });
    const v = (await r.read(new Uint8Array(2))).value;
    return [v, await b.text()];
  },
  "streams-bytes: body from a byte stream": async () => {
    const rs = new ReadableStream({ type: "bytes", pull(c) { const v = c.byobRequest ? c.byobRequest.view : null; if (v) { v[0] = 65; c.byobRequest.respond(1); } else c.enqueue(new Uint8Array([65])); c.close(); } });
    return new Response(rs).text();
  },
  "streams-bytes: body controller type": async () => {
    const s = new Response("x").body;
    const r = s.getReader({ mode: "byob" });
    return [r instanceof ReadableStreamBYOBReader, Object.prototype.toString.call(r)];
  },
  "streams-bytes: transform readable is not bytes": () => { try { new TransformStream().readable.getReader({ mode: "byob" }); return "ok"; } catch (e) { return e.name; } },
  "streams-bytes: identity transform readable is bytes": () => { try { new IdentityTransformStream().readable.getReader({ mode: "byob" }); return "ok"; } catch (e) { return e.name; } },
  "streams-bytes: coalesce": async () => {
    const rs = new ReadableStream({ type: "bytes", start(c) { c.enqueue(new Uint8Array([1])); c.enqueue(new Uint8Array([2])); } });
    const r = rs.getReader(); const a = await r.read(); 
    return [a.value];
  },
  "streams-bytes: default stream coalesce": async () => {
    const rs = new ReadableStream({ start(c) { c.enqueue(new Uint8Array([1])); c.enqueue(new Uint8Array([2])); } });
    const r = rs.getReader(); const a = await r.read(); 
    return [a.value];
  },
  "streams-bytes: byob reads queued partial": async () => {
    const rs = new ReadableStream({ type: "bytes", start(c) { c.enqueue(new Uint8Array([1])); c.enqueue(new Uint8Array([2])); c.enqueue(new Uint8Array([3])); } });
    const r = rs.getReader({mode:"byob"}); const a = await r.read(new Uint8Array(2)); const b = await r.read(new Uint8Array(4));
    return [a.value, b.value];
  },
  "streams-bytes: readAtLeast": async () => {
    let n = 0;
    const rs = new ReadableStream({ type: "bytes", pull(c) { n++; c.enqueue(new Uint8Array([n])); } });
    const r = rs.getReader({mode:"byob"}); const a = await r.readAtLeast(2, new Uint8Array(4));
    return [a.value, n];
  },
  "streams-bytes: atLeast": async () => {
    let al;
    const rs = new ReadableStream({ type: "bytes", pull(c) { al = [c.byobRequest.atLeast, c.byobRequest.view.byteLength]; c.byobRequest.respond(3); } });
    const r = rs.getReader({mode:"byob"}); await r.read(new Uint8Array(4), {min:3});
    let al2; const rs2 = new ReadableStream({ type: "bytes", pull(c) { al2 = c.byobRequest.atLeast; c.byobRequest.respond(3); } });
    await rs2.getReader({mode:"byob"}).read(new Uint8Array(4));
    return [al, al2];
  },
  "streams-bytes: enqueue while byob pending then detached": async () => {
    let req;
    const rs = new ReadableStream({ type: "bytes", pull(c) { req = c.byobRequest; c.enqueue(new Uint8Array([7,8])); } });
    const r = rs.getReader({mode:"byob"}); const a = await r.read(new Uint8Array(4));
    return [a.value, req.view];
  },
  "streams-bytes: respond detached view": async () => {
    let err;
    const rs = new ReadableStream({ type: "bytes", pull(c) { const v = c.byobRequest.view; v.buffer.transfer(); try { c.byobRequest.respond(1); } catch (e) { err = e.name; } c.error(new Error("x")); } });
    const r = await rs.getReader({mode:"byob"}).read(new Uint8Array(4)).catch(e => e.name);
    return [err, r];
  },
  "streams-bytes: closed after read of close": async () => {
    const rs = new ReadableStream({ type: "bytes", start(c) { c.enqueue(new Uint8Array([1])); c.close(); } });
    const r = rs.getReader({ mode: "byob" });
    const a = await r.read(new Uint8Array(4), { min: 3 });
    const b = await r.read(new Uint8Array(4));
    return [a.value, b.done, b.value];
  },
  "streams-bytes: cancel reason default stream": async () => {
    const rs = new ReadableStream({ type: "bytes", start(c) { c.enqueue(new Uint8Array([1])); } });
    await rs.cancel("x");
    return (await rs.getReader().read()).done;
  },
  "streams-bytes: enqueue after error": () => { let err; new ReadableStream({ type: "bytes", start(c) { c.error(1); try { c.enqueue(new Uint8Array(1)); } catch (e) { err = e.name; } } }); return err; },
  "streams-bytes: read into shared view pieces": async () => {
    const rs = new ReadableStream({ type: "bytes", start(c) { c.enqueue(new Uint8Array([1,2,3])); } });
    const r = rs.getReader({mode:"byob"}); const { value } = await r.read(new Uint8Array(8).subarray(2, 6));
    return [value.byteOffset, value.byteLength, value.buffer.byteLength, value];
  },
  "streams-bytes: identity transform write": async () => {
    const t = new IdentityTransformStream();
    const w = t.writable.getWriter();
    const u = new Uint8Array([1, 2, 3]);
    const r = t.readable.getReader({ mode: "byob" });
    const p = r.read(new Uint8Array(8));
    await w.write(u);
    const a = await p;
    return [a.value, u.byteLength];
  },
  "streams-bytes: cloned response body byob": async () => {
    const res = new Response("abcdef");
    const c = res.clone();
    const a = await res.body.getReader({ mode: "byob" }).read(new Uint8Array(3));
    return [a.value, await c.text()];
  },
  "streams-bytes: a default read's byobRequest": async () => {
    let req;
    const rs = new ReadableStream({ type: "bytes", pull(c) { req = c.byobRequest; req = req && [req.view && req.view.byteLength, req.view && req.view.buffer.byteLength]; c.enqueue(new Uint8Array([1])); } });
    const v = (await rs.getReader().read()).value;
    return [req, v.byteLength, v.buffer.byteLength];
  },
  "streams-bytes: a big enqueue for a default read": async () => {
    const rs = new ReadableStream({ type: "bytes", pull(c) { c.enqueue(new Uint8Array(5000)); } });
    const v = (await rs.getReader().read()).value;
    return [v.byteLength, v.buffer.byteLength];
  },
  "streams-bytes: a body's stream is the one it was made from": () => {
    const s = new ReadableStream({ type: "bytes" }), d = new ReadableStream();
    return [new Request("http://x/", { method: "POST", body: s }).body === s, new Response(d).body === d];
  },
  "streams-bytes: byob on a body made from a default stream": () => { try { new Response(new ReadableStream()).body.getReader({ mode: "byob" }); return "ok"; } catch (e) { return e.name; } },
  "streams-bytes: tee of a body": async () => {
    const [a, b] = new Response("xyz").body.tee();
    return [(await a.getReader({ mode: "byob" }).read(new Uint8Array(8))).value, await new Response(b).text()];
  },
};
