test("case-insensitive get/set/has/delete", () => {
  const h = new Headers({ "Content-Type": "text/plain" });
  eq(h.get("content-type"), "text/plain");
  eq(h.get("CONTENT-TYPE"), "text/plain");
  ok(h.has("Content-type"));
  h.set("X-A", "1");
  h.delete("content-type");
  eq(h.has("content-type"), false);
  eq(h.get("missing"), null);
});
test("append joins values, iteration sorted and lower-cased", () => {
  const h = new Headers([["B", "2"], ["a", "1"]]);
  h.append("b", "3");
  eq([...h], [["a", "1"], ["b", "2, 3"]]);
  eq([...h.keys()], ["a", "b"]);
  eq([...h.values()], ["1", "2, 3"]);
  const seen = [];
  h.forEach((v, k) => seen.push(k + "=" + v));
  eq(seen, ["a=1", "b=2, 3"]);
});
test("set-cookie stays separate", () => {
  const h = new Headers();
  h.append("Set-Cookie", "a=1");
  h.append("Set-Cookie", "b=2");
  eq(h.getSetCookie(), ["a=1", "b=2"]);
  eq(h.get("set-cookie"), "a=1, b=2");
  eq([...h].filter(([k]) => k === "set-cookie").length, 2);
});
test("values trimmed, invalid names and values rejected", () => {
  const h = new Headers();
  h.set("x", "  padded \t");
  eq(h.get("x"), "padded");
  throws(() => h.set("bad name", "v"), TypeError);
  throws(() => h.set("x", "a\r\nb"), TypeError);
  throws(() => new Headers([["only-one"]]), TypeError);
});
test("copy constructor is independent", () => {
  const a = new Headers({ x: "1" });
  const b = new Headers(a);
  b.set("x", "2");
  eq(a.get("x"), "1");
  eq(Object.prototype.toString.call(a), "[object Headers]");
});
// A record init keeps its pairs as a flat string until they are read
// (headers.js fromRecord): what a script observes is append()'s.
test("record init reads and checks every pair in order", () => {
  const seen = [];
  const init = { get b() { seen.push("b"); return " 2 "; }, get A() { seen.push("A"); return 1; } };
  const h = new Headers(init);
  eq(seen, ["b", "A"]);
  eq([...h], [["a", "1"], ["b", "2"]]);
  throws(() => new Headers({ "bad name": "v" }), TypeError);
  throws(() => new Headers({ ok: "a\nb" }), TypeError);
  eq(new Headers({}).has("x"), false);
  eq([...new Headers({ x: "" })], [["x", ""]]);
});
test("record names differing only in case join as append() joins them", () => {
  const h = new Headers({ "X-A": "1", b: "2", "x-a": "3" });
  eq(h.get("x-a"), "1, 3");
  eq([...h], [["b", "2"], ["x-a", "1, 3"]]);
  const c = new Headers({ "Set-Cookie": "a=1", "set-cookie": "b=2" });
  eq(c.getSetCookie(), ["a=1", "b=2"]);
});
test("a record-filled Headers is mutable and copies independently", () => {
  const h = new Headers({ x: "1" });
  h.append("x", "2");
  h.set("y", "3");
  const copy = new Headers(h);
  h.delete("x");
  eq([...h], [["y", "3"]]);
  eq([...copy], [["x", "1, 2"], ["y", "3"]]);
});
test("a subclass's append sees a record init", () => {
  const calls = [];
  class Logged extends Headers { append(k, v) { calls.push(k + "=" + v); super.append(k, v); } }
  const h = new Logged({ A: "1", b: "2" });
  eq(calls, ["A=1", "b=2"]);
  eq(h.get("a"), "1");
});
test("Response with a record init: the default content type only when none is named", async () => {
  const r = new Response("x", { headers: { "x-a": "1" } });
  eq([...r.headers], [["content-type", "text/plain;charset=UTF-8"], ["x-a", "1"]]);
  const t = new Response("x", { headers: { "Content-Type": "text/html" } });
  eq(t.headers.get("content-type"), "text/html");
  // A getter run while the Response reads its init does not change the answer.
  const g = new Response("x", { headers: { "content-type": "a/b" }, get cf() { new Headers({ other: "1" }); return undefined; } });
  eq([...g.headers], [["content-type", "a/b"]]);
  const e = new Response("x", { headers: {} });
  eq([...e.headers], [["content-type", "text/plain;charset=UTF-8"]]);
  const j = Response.json({ a: 1 }, { headers: { "x-b": "2" } });
  eq(j.headers.get("content-type"), "application/json");
  eq(await j.text(), '{"a":1}');
  const red = Response.redirect("https://example.com/", 301);
  throws(() => red.headers.set("x", "1"), TypeError);
  eq(red.headers.get("location"), "https://example.com/");
});
test("a Response's record headers read later, cloned, and with other bodies", async () => {
  const r = new Response("x", { headers: { "x-a": "1" } });
  const c = r.clone();
  r.headers.set("x-b", "2");
  eq([...c.headers], [["content-type", "text/plain;charset=UTF-8"], ["x-a", "1"]]);
  eq(r.headers.get("x-b"), "2");
  eq(r.headers, r.headers);
  const bytes = new Response(new Uint8Array([1]), { headers: { "x-a": "1" } });
  eq([...bytes.headers], [["x-a", "1"]]);
  const form = new Response(new URLSearchParams("a=1"), { headers: { "x-a": "1" } });
  eq(form.headers.get("content-type"), "application/x-www-form-urlencoded;charset=UTF-8");
  const typed = new Response(new URLSearchParams("a=1"), { headers: { "content-type": "text/x" } });
  eq(typed.headers.get("content-type"), "text/x");
  const folded = new Response("x", { headers: { "X-A": "1", "x-a": "2" } });
  eq([...folded.headers], [["content-type", "text/plain;charset=UTF-8"], ["x-a", "1, 2"]]);
  eq(await new Response(null, { status: 204, headers: { a: "1" } }).text(), "");
});
test("a Response reads each init member once, in workerd's order, before checking any", () => {
  const reads = [];
  const init = new Proxy({ status: 999, headers: { "x-a": "1" } }, {
    get(t, k, r) { if (typeof k === "string") reads.push(k); return Reflect.get(t, k, r); },
  });
  let err;
  try { new Response("x", init); } catch (e) { err = e; }
  eq(err instanceof RangeError, true);
  eq(reads, ["status", "statusText", "headers", "cf", "webSocket", "encodeBody"]);
});
test("a record init: cached and uncached names and values give the same headers", () => {
  const v = { toString: () => "obj" };
  for (let i = 0; i < 2; i++) { // the second round finds both caches filled
    const r = new Response("x", { headers: { "X-Mixed": " padded\t", "x-n": 5, "x-o": v, "content-type": "text/html" } });
    eq([...r.headers], [["content-type", "text/html"], ["x-mixed", "padded"], ["x-n", "5"], ["x-o", "obj"]]);
  }
  let err;
  try { new Headers({ "bad name": "1" }); } catch (e) { err = e; }
  eq(String(err), 'TypeError: Invalid header name: "bad name"');
  try { new Headers({ "x-a": "a\nb" }); } catch (e) { err = e; }
  eq(String(err), 'TypeError: Invalid header value: "a\nb"');
});
// A Response with a string body reads a record init in Go (headers.go);
// what the script sees must be what the JavaScript loop shows it.
test("a string-bodied Response's record init: getters, errors, non-ASCII text, proxies", () => {
  const seen = [];
  const init = { get a() { seen.push("a"); return "1"; }, get b() { seen.push("b"); throw new RangeError("from b"); }, get c() { seen.push("c"); return "3"; } };
  throws(() => new Response("x", { headers: init }), RangeError);
  eq(seen, ["a", "b"]);
  let err;
  try { new Response("x", { headers: { "x-ok": "1", "x-bad": " a\rb " } }); } catch (e) { err = e; }
  eq(String(err), 'TypeError: Invalid header value: "a\rb"');
  try { new Response("x", { headers: { "x-ok": "1", "bad name": "1" } }); } catch (e) { err = e; }
  eq(String(err), 'TypeError: Invalid header name: "bad name"');
  const text = new Response("x", { headers: { "x-u": " caf\u00e9 \ud800 ", "x-s": new String(" s "), "x-n": 1.5, "x-y": Symbol("y") } });
  eq(text.headers.get("x-u"), "caf\u00e9 \ud800");
  eq(text.headers.get("x-s"), "s");
  eq(text.headers.get("x-n"), "1.5");
  eq(text.headers.get("x-y"), "Symbol(y)");
  eq(text.headers.get("content-type"), "text/plain;charset=UTF-8");
  const upper = new Response("x", { headers: { "Content-Type": "text/html" } });
  eq([...upper.headers], [["content-type", "text/html"]]);
  const traps = [];
  const proxied = new Proxy({ "x-p": "1" }, {
    ownKeys(t) { traps.push("ownKeys"); return Reflect.ownKeys(t); },
    get(t, k, r) { if (typeof k === "string") traps.push("get " + k); return Reflect.get(t, k, r); },
  });
  const p = new Response("x", { headers: proxied });
  eq(traps, ["ownKeys", "get x-p"]);
  eq(p.headers.get("x-p"), "1");
  class Rec { constructor() { this["x-c"] = "2"; } }
  eq(new Response("x", { headers: new Rec() }).headers.get("x-c"), "2");
});
