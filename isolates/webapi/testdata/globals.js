test("TextEncoder / TextDecoder", () => {
  const bytes = new TextEncoder().encode("héllo €");
  eq(Array.from(bytes), [104, 195, 169, 108, 108, 111, 32, 226, 130, 172]);
  eq(new TextDecoder().decode(bytes), "héllo €");
  eq(new TextDecoder().decode(new Uint8Array([0xff, 0x41])), "\uFFFDA");
  throws(() => new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array([0xff])), TypeError);
  throws(() => new TextDecoder("x-nonsense"), RangeError);
  eq(new TextDecoder("latin2").decode(new Uint8Array([0xa1, 0x41])), "\u0104A");
  const dest = new Uint8Array(4);
  eq(new TextEncoder().encodeInto("a€", dest), { read: 2, written: 4 });
  eq(new TextDecoder().decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41])), "A");
});
test("atob / btoa", () => {
  eq(btoa("hello"), "aGVsbG8=");
  eq(atob("aGVsbG8="), "hello");
  eq(atob(" aGVs bG8 "), "hello");
  eq(atob("/w=="), "\xff");
  eq(btoa("\xff\xfe"), "//4=");
  const e = throws(() => btoa("€"));
  eq(e.name, "InvalidCharacterError");
  eq(throws(() => atob("a")).name, "InvalidCharacterError");
});
test("crypto", async () => {
  const id = crypto.randomUUID();
  ok(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id), "uuid v4 format: " + id);
  ok(crypto.randomUUID() !== id, "uuids differ");
  const a = crypto.getRandomValues(new Uint8Array(32));
  ok(a.some((x) => x !== 0), "random bytes");
  const u32 = crypto.getRandomValues(new Uint32Array(4));
  eq(u32.length, 4);
  throws(() => crypto.getRandomValues(new Uint8Array(70000)));
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode("abc")));
  eq(Array.from(d.slice(0, 4), (x) => x.toString(16).padStart(2, "0")).join(""), "ba7816bf");
});
test("structuredClone", () => {
  const src = { d: new Date(5), m: new Map([["k", { n: 1 }]]), s: new Set([1]), a: [1, { b: 2 }], u: new Uint8Array([1, 2]) };
  src.self = src;
  const c = structuredClone(src);
  ok(c !== src && c.self === c, "cycle preserved");
  ok(c.d instanceof Date && c.d.getTime() === 5, "date");
  eq(c.m.get("k"), { n: 1 });
  ok(c.m.get("k") !== src.m.get("k"), "deep");
  ok(c.s.has(1) && c.u[1] === 2 && c.u !== src.u, "set and typed array");
  eq(throws(() => structuredClone({ f() {} })).name, "DataCloneError");
});
test("queueMicrotask runs before timers", async () => {
  const order = [];
  setTimeout(() => order.push("timeout"), 0);
  queueMicrotask(() => order.push("micro"));
  await new Promise((r) => setTimeout(r, 5));
  eq(order, ["micro", "timeout"]);
});
test("AbortController and events", () => {
  const c = new AbortController();
  let fired = 0;
  c.signal.addEventListener("abort", () => fired++);
  c.abort();
  c.abort();
  eq([c.signal.aborted, fired, c.signal.reason.name], [true, 1, "AbortError"]);
  throws(() => c.signal.throwIfAborted());
  const t = new EventTarget();
  let got = null;
  t.addEventListener("x", (e) => { got = e.type; }, { once: true });
  t.dispatchEvent(new Event("x"));
  eq(got, "x");
});
test("no host escape hatches", () => {
  eq([typeof require, typeof process, typeof module, typeof __edgerun_native], ["undefined", "undefined", "undefined", "undefined"]);
});
test("Blob", async () => {
  const b = new Blob(["ab", new Uint8Array([99])], { type: "Text/Plain" });
  eq([b.size, b.type, await b.text(), await b.slice(1).text()], [3, "text/plain", "abc", "bc"]);
});
test("TypedArray.from takes a string, as V8 iterates it", () => {
  eq(Array.from(Uint8Array.from("abc", (c) => c.charCodeAt(0))), [97, 98, 99]);
  eq(Array.from(Uint8Array.from("123")), [1, 2, 3]);
  eq(Uint8Array.from.name, "from");
  eq(Uint8Array.from.length, 1);
});
