// What a script can observe of how Response, Request and Headers read their init arguments:
// which members are read, in what order, how often (a logging Proxy or getters), and what
// comes out for the shapes handlers pass. Fast paths for these shapes must keep every answer.
// A runtime's own symbols (internal slots) are left out of the log; the well-known ones are kept.
const logged = (target) => {
  const log = [];
  const note = (what, k) => { if (typeof k !== "symbol" || String(k).startsWith("Symbol(Symbol.")) log.push(what + " " + String(k)); };
  const p = new Proxy(target, {
    get(t, k, r) { note("get", k); return Reflect.get(t, k, r); },
    has(t, k) { note("has", k); return Reflect.has(t, k); },
    ownKeys(t) { log.push("ownKeys"); return Reflect.ownKeys(t); },
    getOwnPropertyDescriptor(t, k) { note("gopd", k); return Reflect.getOwnPropertyDescriptor(t, k); },
  });
  return { p, log };
};
const head = (r) => [r.status, r.statusText, [...r.headers]];
export const probes = {
  "Response init: reads of {}": () => { const { p, log } = logged({}); new Response("x", p); return log; },
  "Response init: reads of a full init": () => {
    const { p, log } = logged({ status: 201, statusText: "Made", headers: { a: "1" }, encodeBody: "automatic", cf: { x: 1 } });
    const r = new Response("x", p);
    return [log, head(r)];
  },
  "Response init: headers record reads": () => {
    const { p, log } = logged({ "content-type": "text/plain", "X-Two": "2" });
    const r = new Response("x", { headers: p });
    return [log, head(r)];
  },
  "Response init: getters run once each": () => {
    const counts = {};
    const init = {};
    for (const k of ["status", "statusText", "headers", "webSocket", "encodeBody", "cf"])
      Object.defineProperty(init, k, { get() { counts[k] = (counts[k] || 0) + 1; return k === "status" ? 202 : undefined; }, enumerable: true });
    const r = new Response("x", init);
    return [counts, r.status];
  },
  "Response init: inherited members count": () => {
    const init = Object.create({ status: 404, headers: { "x-a": "b" } });
    return head(new Response("x", init));
  },
  "Response init: inherited record entries do not": () => {
    const rec = Object.create({ "x-inherited": "1" });
    rec["x-own"] = "2";
    return head(new Response("x", { headers: rec }));
  },
  "Response init: non-enumerable record entries do not": () => {
    const rec = { "x-own": "2" };
    Object.defineProperty(rec, "x-hidden", { value: "1", enumerable: false });
    return head(new Response("x", { headers: rec }));
  },
  "Response init: a number": () => head(new Response("x", 5)),
  "Response init: a string": () => { try { return head(new Response("x", "init")); } catch (e) { return String(e); } },
  "Response init: a function with status": () => { const f = () => {}; f.status = 203; return head(new Response("x", f)); },
  "Response init: status as a string": () => head(new Response("x", { status: "404" })),
  "Response init: status 200.5": () => { try { return head(new Response("x", { status: 200.5 })); } catch (e) { return String(e); } },
  "Response init: a Response": () => head(new Response("y", new Response("x", { status: 418, statusText: "Tea", headers: { a: "1" } }))),
  "Response init: a Response's reads": () => {
    const src = new Response("x", { status: 201 });
    const { p, log } = logged(src);
    new Response("y", p);
    return log;
  },
  "Response: headers with mixed case and a content-type": () => head(new Response("x", { headers: { "Content-Type": "text/html", "X-A": "1" } })),
  "Response: headers folded": () => head(new Response("x", { headers: { "x-a": "1", "X-A": "2" } })),
  "Response: headers value trimmed": () => head(new Response("x", { headers: { "x-a": "  1\t" } })),
  "Response: headers bad name": () => { try { return head(new Response("x", { headers: { "bad name": "1" } })); } catch (e) { return String(e); } },
  "Response: headers value numbers": () => head(new Response("x", { headers: { "x-n": 5, "x-b": true, "x-o": { toString: () => "obj" } } })),
  "Response: null body, headers": () => head(new Response(null, { headers: { "x-a": "1" } })),
  "Response: bytes body, headers": () => head(new Response(new Uint8Array([1]), { headers: { "x-a": "1" } })),
  "Headers: record reads": () => { const { p, log } = logged({ b: "2", a: "1" }); return [[...new Headers(p)], log]; },
  "Headers: record with a symbol key": () => { try { return [...new Headers({ [Symbol("s")]: "1", a: "2" })]; } catch (e) { return String(e); } },
  "Request init: reads of {}": () => { const { p, log } = logged({}); new Request("http://example.com/", p); return log; },
  "Request init: reads of method and headers": () => {
    const { p, log } = logged({ method: "POST", headers: { a: "1" }, body: "b" });
    const r = new Request("http://example.com/", p);
    return [log, r.method, [...r.headers]];
  },
  "URL: pathname and search of a host request shape": () => {
    const u = new URL("http://127.0.0.1:8787/item?id=5");
    return [u.pathname, u.search, u.searchParams.get("id"), u.host, u.origin, u.href];
  },
};
