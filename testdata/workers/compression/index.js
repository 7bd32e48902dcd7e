// Content-Encoding both ways (runtime/compression_test.go): fetch() decoding an origin's gzip
// and br bodies, and responses marked Content-Encoding on their way to the client.
const page = "<p>a page that compresses well</p>\n".repeat(200);

async function gzip(text) {
  const s = new Response(text).body.pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(s).arrayBuffer());
}

export default {
  async fetch(request) {
    const url = new URL(request.url);
    const origin = url.searchParams.get("origin");
    switch (url.pathname) {
      case "/fetch": {
        // The body decoded for the script, the header as the origin sent it.
        const res = await fetch(origin);
        const text = await res.text();
        return Response.json({ text, encoding: res.headers.get("content-encoding") });
      }
      case "/fetch-manual": {
        const res = await fetch(origin, { encodeResponseBody: "manual" });
        const bytes = new Uint8Array(await res.arrayBuffer());
        const back = await new Response(new Response(bytes).body.pipeThrough(new DecompressionStream("gzip"))).text();
        return Response.json({ length: bytes.length, magic: [bytes[0], bytes[1]], back, encoding: res.headers.get("content-encoding") });
      }
      case "/fetch-corrupt": {
        const res = await fetch(origin);
        try { await res.text(); return new Response("read a corrupt body"); } catch (e) { return new Response(`${e.name}: ${e.message}`); }
      }
      case "/passthrough":
        return fetch(origin);
      case "/passthrough-manual":
        return fetch(origin, { encodeResponseBody: "manual" });
      case "/gzip":
        return new Response(page, { headers: { "content-type": "text/html", "content-encoding": "gzip" } });
      case "/br":
        return new Response(page, { headers: { "content-type": "text/html", "content-encoding": "br" } });
      case "/manual":
        return new Response(await gzip(page), { headers: { "content-encoding": "gzip" }, encodeBody: "manual" });
      case "/bad-encode-body":
        try { new Response("x", { encodeBody: "sometimes" }); return new Response("accepted"); } catch (e) { return new Response(`${e.name}: ${e.message}`); }
      case "/stream": {
        // Streamed with Content-Encoding: gzip: each chunk reaches the client as it is written.
        const { readable, writable } = new TransformStream();
        const w = writable.getWriter();
        const enc = new TextEncoder();
        (async () => {
          for (let i = 0; i < 3; i++) {
            await w.write(enc.encode(`event ${i}\n`));
            await new Promise((r) => setTimeout(r, 50));
          }
          await w.close();
        })();
        return new Response(readable, { headers: { "content-type": "text/event-stream", "content-encoding": "gzip" } });
      }
    }
    return new Response("not found", { status: 404 });
  },
};
