// Streamed responses: server-sent events written after the response
// started, a large body made on demand, and a stream that breaks.
let release;
const released = new Promise((resolve) => (release = resolve));
const enc = new TextEncoder();

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === "/release") {
      release();
      return new Response("released");
    }
    if (url.pathname === "/sse") {
      const { readable, writable } = new TransformStream();
      const writer = writable.getWriter();
      ctx.waitUntil((async () => {
        await writer.write(enc.encode("data: first\n\n"));
        await released; // only after the client has read the first event
        await writer.write(enc.encode("data: second\n\n"));
        await writer.close();
      })());
      return new Response(readable, { headers: { "content-type": "text/event-stream" } });
    }
    if (url.pathname === "/big") {
      const chunk = new Uint8Array(64 * 1024).fill(120);
      let sent = 0;
      const body = new ReadableStream({
        pull(c) {
          if (sent === 48) return c.close(); // 3 MiB: past the 1 MiB the host buffers
          sent++;
          c.enqueue(chunk);
        },
      });
      return new Response(body);
    }
    if (url.pathname === "/broken") {
      const body = new ReadableStream({
        start(c) {
          c.enqueue(enc.encode("ok"));
          c.enqueue("not bytes");
        },
      });
      return new Response(body);
    }
    if (url.pathname === "/hang") {
      // Never written to, never closed: only the client leaving ends it.
      return new Response(new ReadableStream({ cancel() { globalThis.cancelled = (globalThis.cancelled || 0) + 1; } }));
    }
    if (url.pathname === "/cancelled") return new Response(String(globalThis.cancelled || 0));
    if (url.pathname === "/late") {
      // Answers after the client has given up: an endless stream nobody reads.
      await new Promise((r) => setTimeout(r, 500));
      let timer;
      return new Response(new ReadableStream({
        start(c) { timer = setInterval(() => c.enqueue(enc.encode("tick\n")), 5); },
        cancel() { clearInterval(timer); globalThis.lateCancelled = true; },
      }));
    }
    if (url.pathname === "/late-cancelled") return new Response(String(!!globalThis.lateCancelled));
    if (url.pathname === "/after") {
      // Work after the response: a fetch in waitUntil must not be cut off.
      ctx.waitUntil(fetch(new URL("/release", url)).then((r) => r.text()).then((t) => { globalThis.after = t; }, (e) => { globalThis.after = String(e); }));
      return new Response("answered");
    }
    if (url.pathname === "/after-result") return new Response(String(globalThis.after));
    if (url.pathname === "/async-pull") {
      let n = 0;
      return new Response(new ReadableStream({
        async pull(c) {
          await null;
          if (n === 3) return c.close();
          c.enqueue(enc.encode(`part${n++};`));
        },
      }));
    }
    if (url.pathname === "/pull-throws") {
      let n = 0;
      return new Response(new ReadableStream({
        pull(c) {
          if (n++ === 1) throw new Error("pull broke");
          c.enqueue(enc.encode("first;"));
        },
      }));
    }
    if (url.pathname === "/burn") {
      for (;;) {}
    }
    return new Response("not found", { status: 404 });
  },
};
