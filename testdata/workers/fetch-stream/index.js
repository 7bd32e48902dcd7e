// fetch() response bodies that stream (runtime/fetch_stream_test.go): each route takes
// ?origin=URL, a real HTTP server the test runs, and reads or passes on its body.
const json = (v) => Response.json(v);
const describe = (e) => (e === undefined ? null : { name: e && e.name, message: e && e.message });

export default {
  async fetch(request) {
    const url = new URL(request.url);
    const origin = url.searchParams.get("origin");
    const n = Number(url.searchParams.get("bytes") || "0");
    switch (url.pathname) {
      case "/proxy":
        // The origin's body is the worker's: it streams to the client.
        return fetch(origin);
      case "/count": {
        // Reads the whole body chunk by chunk, keeping none of it.
        const res = await fetch(origin);
        const reader = res.body.getReader();
        let bytes = 0, chunks = 0, maxChunk = 0, types = new Set();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          types.add(Object.prototype.toString.call(value));
          bytes += value.byteLength;
          chunks++;
          maxChunk = Math.max(maxChunk, value.byteLength);
        }
        return json({ bytes, chunks, maxChunk, types: [...types] });
      }
      case "/text": {
        const res = await fetch(origin);
        const text = await res.text();
        return json({ length: text.length, head: text.slice(0, 40), tail: text.slice(-40), used: res.bodyUsed });
      }
      case "/abort": {
        // Aborts the signal once `bytes` of the body are read: the next read
        // rejects with the signal's reason, and the origin sees its client go.
        const ctrl = new AbortController();
        const res = await fetch(origin, { signal: ctrl.signal });
        const reader = res.body.getReader();
        let read = 0;
        while (read < n) {
          const { value, done } = await reader.read();
          if (done) break;
          read += value.byteLength;
        }
        const reason = new Error("enough");
        ctrl.abort(reason);
        let after;
        try { await reader.read(); } catch (e) { after = e; }
        // workerd rejects with a copy of the reason (same kind and message).
        return json({ read, after: describe(after), isReason: after === reason, isError: after instanceof Error });
      }
      case "/abort-text": {
        // Aborted while text() reads the body.
        const ctrl = new AbortController();
        const res = await fetch(origin, { signal: ctrl.signal });
        setTimeout(() => ctrl.abort(), 200);
        try { await res.text(); return json({ error: null }); } catch (e) { return json({ error: describe(e) }); }
      }
      case "/abort-head": {
        // Aborted before the origin answers.
        const ctrl = new AbortController();
        setTimeout(() => ctrl.abort(), 200);
        try { await fetch(origin, { signal: ctrl.signal }); return json({ error: null }); } catch (e) { return json({ error: describe(e) }); }
      }
      case "/cancel": {
        const res = await fetch(origin);
        const reader = res.body.getReader();
        const first = await reader.read();
        await reader.cancel("done with it");
        const after = await reader.read();
        return json({ first: first.value.byteLength, after: after.done });
      }
      case "/leave": {
        // Reads one chunk and answers: the request's end closes the connection.
        const res = await fetch(origin);
        const { value } = await res.body.getReader().read();
        return new Response(`read ${value.byteLength}`);
      }
      case "/read-error": {
        // A body that fails part way: read chunk by chunk, and with text().
        const res = await fetch(origin);
        const reader = res.body.getReader();
        let read;
        try { for (;;) { const { done } = await reader.read(); if (done) break; } } catch (e) { read = e; }
        let text;
        try { await (await fetch(origin)).text(); } catch (e) { text = e; }
        return json({ read: describe(read), text: describe(text) });
      }
      case "/head":
        return json(await fetch(origin, { method: "HEAD" }).then((r) => ({ status: r.status, body: r.body })));
      case "/empty": {
        const res = await fetch(origin);
        return json({ isStream: res.body instanceof ReadableStream, text: await res.text() });
      }
    }
    return new Response("not found", { status: 404 });
  },
};
