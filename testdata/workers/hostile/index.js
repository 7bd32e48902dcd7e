// Routes that attack the host on purpose (each named after the hardening
// item it reproduces), next to a well-behaved one at "/".
const never = () => new Promise(() => {});
let ticks = 0;
let topLevelTimer = "allowed"; // workerd refuses timers in global scope
try { setInterval(() => { ticks++; }, 1); } catch (e) { topLevelTimer = e.message; }
const seen = []; // what a setter on a shared prototype observed
let held = []; // ArrayBuffers /hold keeps across requests

// One call of a built-in asking for more than the machine has, or for
// billions of iterations in Go (item 1 and 3 of the hardening issue).
const allocations = {
  "array-buffer": () => new ArrayBuffer(2 ** 36).byteLength,
  "array-buffer-8g": () => new ArrayBuffer(8 * 2 ** 30).byteLength,
  "uint8array": () => new Uint8Array(2 ** 36).length,
  "float64array": () => new Float64Array(2 ** 33).length,
  "typed-from-length": () => Uint8Array.from({ length: 2 ** 36 }).length,
  "typed-array-like": () => new Uint8Array({ length: 2 ** 36 }).length,
  repeat: () => "x".repeat(2 ** 36).length,
  "pad-start": () => "x".padStart(2 ** 36).length,
  fill: () => new Array(2 ** 32 - 1).fill(0).length,
  join: () => new Array(2 ** 32 - 1).join(",").length,
  "join-big-strings": () => new Array(10000).fill("y".repeat(1 << 20)).join("").length,
  sort: () => { const a = []; a.length = 4e9; return a.sort().length; },
  "index-of-sparse": () => { const a = []; a.length = 4e9; return a.indexOf(1); },
  "for-each-sparse": () => { const a = []; a[4e9] = 1; let n = 0; a.forEach(() => n++); return n; },
  concat: () => [].concat(new Array(2 ** 32 - 1)).length,
  "array-from": () => Array.from({ length: 2 ** 32 - 1 }).length,
};

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    const q = (k, d) => url.searchParams.get(k) ?? d;
    switch (url.pathname) {
      case "/":
        return new Response(`ok ${q("id", "")}`);
      case "/hang": // the handler's promise never settles
        await never();
        return new Response("unreachable");
      case "/hang-wait-until": // answers, but leaves work that never settles
        ctx.waitUntil(never());
        return new Response("answered");
      case "/interval": // leaves a timer behind
        setInterval(() => { ticks++; }, 5);
        return new Response("armed");
      case "/top-level-timer":
        return new Response(topLevelTimer);
      case "/ticks":
        return new Response(String(ticks));
      case "/ctx-keys": // what of the host's bookkeeping a script can see
        return Response.json({
          own: Reflect.ownKeys(ctx).map(String),
          proto: Reflect.ownKeys(Object.getPrototypeOf(ctx)).map(String),
          id: ctx._id === undefined ? null : ctx._id,
        });
      case "/ctx-forge": { // try to answer another request through a forged context
        let forged = "refused";
        try {
          const C = ctx.constructor;
          const other = new C(1, { id: Number(q("target", "1")), waits: 0, responded: true });
          other.waitUntil(Promise.resolve());
          forged = "made";
        } catch (e) {
          forged = e.name;
        }
        ctx._id = Number(q("target", "1"));
        return new Response(`forge ${forged}`);
      }
      case "/spy": { // a setter on the shared request prototype, for later requests
        for (const proto of [Object.getPrototypeOf(request), Request.prototype]) {
          for (const sym of Object.getOwnPropertySymbols(proto).concat(Object.getOwnPropertySymbols(request))) {
            try {
              Object.defineProperty(proto, sym, {
                configurable: true,
                set(v) { seen.push(String(v)); Object.defineProperty(this, sym, { value: v, writable: true, configurable: true }); },
                get() { return undefined; },
              });
            } catch {}
          }
        }
        return new Response("spying");
      }
      case "/seen":
        return new Response(seen.join("\n"));
      case "/alloc": {
        const kind = q("kind", "");
        try {
          return new Response(`allocated ${allocations[kind]()}`);
        } catch (e) {
          return new Response(`${e.name}: ${e.message}`);
        }
      }
      case "/alloc-kinds":
        return Response.json(Object.keys(allocations));
      case "/hold": { // keeps n MiB more of ArrayBuffers in module state
        try {
          for (let i = 0; i < Number(q("mb", "1")); i++) held.push(new ArrayBuffer(1 << 20));
          return new Response(`holding ${held.length}`);
        } catch (e) {
          return new Response(`${e.name}: ${e.message}`);
        }
      }
      case "/release":
        held = [];
        return new Response("released");
      case "/subclass": { // guarded constructors keep JS's semantics
        class Bytes extends Uint8Array {}
        const b = new Bytes(1 << 17);
        const ab = new ArrayBuffer(1 << 17);
        return Response.json([b instanceof Bytes, b instanceof Uint8Array, b.length, b.constructor === Bytes,
          ab instanceof ArrayBuffer, ab.constructor === ArrayBuffer, ab.byteLength, new Uint8Array(ab).length,
          Uint8Array.from([1, 2, 3]).join(), b.slice(0, 2) instanceof Bytes, Object.prototype.toString.call(ab),
          ArrayBuffer.isView(b), typeof ArrayBuffer.prototype.slice]);
      }
      case "/throw-getters": // an exception whose name and message getters throw
        throw { get name() { throw new Error("name"); }, get message() { throw new Error("message"); } };
      case "/throw-getters-async":
        await null;
        throw { get name() { throw new Error("name"); }, get message() { throw new Error("message"); } };
      case "/throw-proxy":
        throw new Proxy({}, { get() { throw new Error("trap"); }, getPrototypeOf() { throw new Error("trap"); } });
      case "/throw-slow-getter": // a getter that runs past cpu_ms
        throw { get message() { for (;;) {} } };
      case "/to-locale-string": // a nil-pointer panic inside goja (item 13)
        try {
          return new Response(String(Object.prototype.toLocaleString.call(Object.create(null))));
        } catch (e) {
          return new Response(`${e.name}: ${e.message}`);
        }
      case "/internals": { // write a response's internal slots directly (item 19)
        const r = new Response("x", { headers: { "x-ok": "1" } });
        const slot = (obj, name) => {
          for (let o = obj; o; o = Object.getPrototypeOf(o)) {
            const s = Object.getOwnPropertySymbols(o).find((s) => s.description === name);
            if (s) return s;
          }
          throw new Error("no slot " + name);
        };
        const h = r.headers;
        h.has("x-ok"); // a Headers from a record builds its map when first read
        switch (q("attack", "")) {
          case "status": r[slot(r, "status")] = Number(q("status", "999")); break;
          case "status-text": r[slot(r, "statusText")] = "OK\r\nX-Injected: 1"; break;
          case "nul-value": h[slot(h, "map")].set("x-ok", ["a\0x-injected\0yes"]); break;
          case "nul-value-async": h[slot(h, "map")].set("x-ok", ["a\0x-injected\0yes"]); await null; break;
          case "crlf-value": h[slot(h, "map")].set("x-ok", ["a\r\nX-Injected: yes"]); break;
          case "space-name": h[slot(h, "map")].set("bad name", ["v"]); break;
          case "flat": h[slot(h, "flat")] = "x-a\0b\r\nX-Injected: yes"; break;
        }
        return r;
      }
      case "/log": { // console output past any reasonable size (item 21)
        const line = "x".repeat(Number(q("size", "1024")));
        for (let i = 0; i < Number(q("lines", "1")); i++) console.log(line);
        return new Response("logged");
      }
      case "/fetch-many": { // many large fetch() bodies held at once
        try {
          const bodies = await Promise.all(Array.from({ length: Number(q("n", "1")) }, () =>
            fetch(q("url", "")).then((r) => r.arrayBuffer())));
          return new Response(`fetched ${bodies.reduce((n, b) => n + b.byteLength, 0)}`);
        } catch (e) {
          return new Response(`${e.name}: ${e.message}`);
        }
      }
      case "/ip":
        return new Response(request.headers.get("cf-connecting-ip"));
    }
    return new Response("no such route", { status: 404 });
  },
};
