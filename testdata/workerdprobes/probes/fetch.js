// fetch() and its bodies as workerd answers them, where no origin is needed: abort reasons,
// a signal aborted before the call, body streams of Responses read in parts. (What needs a
// real origin, a streamed body, an abort mid-body, a decoder's errors, is checked against a
// Go origin in runtime/fetch_stream_test.go, with the answers workerd gave by hand.)
const d = (e) => `${e && e.name}: ${e && e.message}`;
const settle = (p) => p.then((v) => ["fulfilled", v], (e) => ["rejected", d(e)]);

export const probes = {
  "fetch: AbortController default reason": () => { const c = new AbortController(); c.abort(); return [d(c.signal.reason), c.signal.reason instanceof DOMException]; },
  "fetch: AbortSignal.abort default reason": () => d(AbortSignal.abort().reason),
  "fetch: pre-aborted signal rejects with the reason itself": async () => {
    const reason = new RangeError("stop");
    try { await fetch("http://example.invalid/", { signal: AbortSignal.abort(reason) }); return "fulfilled"; } catch (e) { return [e === reason, d(e)]; }
  },
  "fetch: pre-aborted signal, default reason": () => settle(fetch("http://example.invalid/", { signal: AbortSignal.abort() })),
  "fetch: empty Response body is a stream": () => { const r = new Response(""); return [r.body instanceof ReadableStream, r.bodyUsed]; },
  "fetch: null Response body": () => new Response(null).body,
  "fetch: text() after a partial read": async () => {
    const r = new Response(new Uint8Array(10));
    const reader = r.body.getReader();
    await reader.read();
    reader.releaseLock();
    return settle(r.text());
  },
  "fetch: text() of a locked body": () => { const r = new Response("x"); r.body.getReader(); return settle(r.text()); },
  "fetch: body read chunk type": async () => { const { value } = await new Response("abc").body.getReader().read(); return [Object.prototype.toString.call(value), value.byteLength]; },
  "fetch: body read to the end": async () => {
    const reader = new Response("abc").body.getReader();
    const out = [];
    for (;;) { const { value, done } = await reader.read(); if (done) break; out.push(value.byteLength); }
    return out;
  },
  "fetch: cancel then read": async () => { const reader = new Response("abc").body.getReader(); await reader.cancel(); return (await reader.read()).done; },
  "fetch: bodyUsed after a partial read": async () => { const r = new Response("abc"); const before = r.bodyUsed; await r.body.getReader().read(); return [before, r.bodyUsed]; },
  "fetch: text twice": async () => { const r = new Response("abc"); await r.text(); return settle(r.text()); },
};
