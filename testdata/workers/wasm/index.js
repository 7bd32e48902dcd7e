// Routes over app.wasm (see app.wat): imported as a WebAssembly.Module and instantiated once
// at top level; the "?module" form (wrangler's) is the same module.
import appModule from "./app.wasm";
import sameModule from "./app.wasm?module";

let logged = 0;
const { exports: app } = new WebAssembly.Instance(appModule, { env: { log: (n) => { logged += n; } } });

export default {
  async fetch(request) {
    const url = new URL(request.url);
    const q = (k) => url.searchParams.get(k);
    switch (url.pathname) {
      case "/":
        return new Response(`ok ${q("id")}`);
      case "/add":
        return Response.json({ sum: app.add(Number(q("a")), Number(q("b"))) });
      case "/fib":
        return Response.json({ fib: app.fib(Number(q("n"))) });
      case "/upper": { // the body through wasm memory and back
        const input = new Uint8Array(await request.arrayBuffer());
        const need = Math.ceil(input.length / 65536) - app.pages();
        if (need > 0 && app.grow(need) < 0) return new Response("no memory", { status: 507 });
        new Uint8Array(app.memory.buffer).set(input, 0);
        const changed = app.upper(0, input.length);
        return new Response(new Uint8Array(app.memory.buffer, 0, input.length).slice(), { headers: { "x-changed": String(changed), "x-logged": String(logged) } });
      }
      case "/grow": // memory.grow's answer: -1 once the isolate's memory budget is spent
        return Response.json({ grew: app.grow(Number(q("pages"))), pages: app.pages() });
      case "/spin":
        app.spin();
        return new Response("unreachable");
      case "/module":
        return Response.json({
          same: sameModule instanceof WebAssembly.Module,
          exports: WebAssembly.Module.exports(sameModule).map((e) => `${e.kind}:${e.name}`),
          fresh: new WebAssembly.Instance(sameModule, { env: { log() {} } }).exports.add(40, 2),
        });
      case "/compile": // compiling bytes in a handler is refused, as on Workers
        try {
          new WebAssembly.Module(new Uint8Array(app.memory.buffer, 0, 8));
          return new Response("compiled");
        } catch (e) {
          return new Response(`${e.name}: ${e.message}`, { status: 400 });
        }
      case "/hook": // nor through the bundle's own hook, with bytes the bundle did not import
        try {
          // The smallest module: "\0asm", version 1.
          WebAssembly[Symbol.for("edgerun.wasm.bundled")](btoa("\0asm\x01\0\0\0"));
          return new Response("compiled");
        } catch (e) {
          return new Response(`${e.name}: ${e.message}`, { status: 400 });
        }
    }
    return new Response("not found", { status: 404 });
  },
};
