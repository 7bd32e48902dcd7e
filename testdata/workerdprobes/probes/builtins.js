// The ECMAScript built-ins goja lacks and workerd (V8) has, and workerd's
// global helpers around them (scheduler.wait, reportError, structuredClone's
// transfer).
const named = function namedForCapture(o) { Error.captureStackTrace(o, namedForCapture); return o; };
function inner(o) { Error.captureStackTrace(o); return o; }
function outer(o) { return inner(o); }

export const probes = {
  "builtins: WeakRef deref": () => { const t = {}; const r = new WeakRef(t); return [r.deref() === t, typeof WeakRef, Object.prototype.toString.call(r)]; },
  "builtins: WeakRef of a primitive": () => new WeakRef(1),
  "builtins: WeakRef of a registered symbol": () => new WeakRef(Symbol.for("x")),
  "builtins: WeakRef of a symbol": () => typeof new WeakRef(Symbol("x")).deref(),
  "builtins: WeakRef without new": () => WeakRef({}),
  "builtins: WeakRef.prototype": () => [Object.getOwnPropertyNames(WeakRef.prototype).sort(), WeakRef.length, WeakRef.name],
  "builtins: FinalizationRegistry": () => {
    const r = new FinalizationRegistry(() => {});
    const token = {};
    const a = r.register({}, "held", token);
    return [a, r.unregister(token), r.unregister(token), r.unregister({}), Object.prototype.toString.call(r), FinalizationRegistry.length];
  },
  "builtins: FinalizationRegistry needs a function": () => new FinalizationRegistry(1),
  "builtins: FinalizationRegistry target is held": () => { const r = new FinalizationRegistry(() => {}); const t = {}; r.register(t, t); },
  "builtins: FinalizationRegistry primitive target": () => { const r = new FinalizationRegistry(() => {}); r.register(1, 2); },
  "builtins: FinalizationRegistry bad token": () => { const r = new FinalizationRegistry(() => {}); r.register({}, 2, 3); },
  "builtins: FinalizationRegistry unregister primitive": () => new FinalizationRegistry(() => {}).unregister(1),
  "builtins: FinalizationRegistry.prototype": () => Object.getOwnPropertyNames(FinalizationRegistry.prototype).sort(),
  "builtins: Error.stackTraceLimit": () => [Error.stackTraceLimit, typeof Error.captureStackTrace, Error.captureStackTrace.length],
  "builtins: captureStackTrace plain object": () => { const o = {}; Error.captureStackTrace(o); const d = Object.getOwnPropertyDescriptor(o, "stack"); return [typeof o.stack, o.stack.split("\n")[0], /^\s+at /.test(o.stack.split("\n")[1]), d.enumerable, d.configurable, "value" in d ? d.writable : "accessor"]; },
  "builtins: captureStackTrace header": () => { const o = { name: "Foo", message: "bar" }; Error.captureStackTrace(o); return o.stack.split("\n")[0]; },
  "builtins: captureStackTrace message only": () => { const o = { message: "bar" }; Error.captureStackTrace(o); return o.stack.split("\n")[0]; },
  "builtins: captureStackTrace error": () => { const e = new TypeError("t"); Error.captureStackTrace(e); return [e.stack.split("\n")[0], e.message]; },
  "builtins: captureStackTrace frames": () => { const o = outer({}); const l = o.stack.split("\n"); return [/inner/.test(l[1]), l.some((x) => /outer/.test(x))]; },
  "builtins: captureStackTrace omits fn": () => { const o = named({}); return o.stack.split("\n").some((x) => /namedForCapture/.test(x)); },
  "builtins: captureStackTrace fn not on stack": () => { const o = {}; Error.captureStackTrace(o, function notCalled() {}); return o.stack; },
  "builtins: captureStackTrace stackTraceLimit 0": () => { const old = Error.stackTraceLimit; Error.stackTraceLimit = 0; try { const o = {}; Error.captureStackTrace(o); return o.stack; } finally { Error.stackTraceLimit = old; } },
  "builtins: captureStackTrace stackTraceLimit 1": () => { const old = Error.stackTraceLimit; Error.stackTraceLimit = 1; try { return outer({}).stack.split("\n").length; } finally { Error.stackTraceLimit = old; } },
  "builtins: captureStackTrace primitive": () => Error.captureStackTrace(1),
  "builtins: captureStackTrace returns": () => Error.captureStackTrace({}),
  "builtins: captureStackTrace overwrites": () => { const o = { stack: "old" }; Error.captureStackTrace(o); return o.stack === "old"; },
  "builtins: captureStackTrace frozen": () => { const o = Object.freeze({}); Error.captureStackTrace(o); },
  "builtins: prepareStackTrace call sites (depd)": () => {
    const prep = Error.prepareStackTrace;
    Error.prepareStackTrace = (obj, sites) => sites;
    const obj = {};
    (function depdCaller() { Error.captureStackTrace(obj); })();
    const sites = obj.stack;
    Error.prepareStackTrace = prep;
    const s = sites[0];
    return [Array.isArray(sites), s.getFunctionName(), typeof s.getFileName(), typeof s.getLineNumber(), typeof s.getColumnNumber(), s.isEval(), s.isNative(), typeof s.toString()];
  },
  "builtins: prepareStackTrace result": () => {
    const prep = Error.prepareStackTrace;
    Error.prepareStackTrace = (obj, sites) => "custom:" + (obj === o) + ":" + sites.length;
    const o = {};
    try { outer(o); return o.stack; } finally { Error.prepareStackTrace = prep; }
  },
  "builtins: stack set": () => { const o = {}; Error.captureStackTrace(o); o.stack = 5; return o.stack; },
  "builtins: Promise.withResolvers": async () => { const { promise, resolve, reject } = Promise.withResolvers(); resolve(5); return [await promise, typeof reject, Object.keys(Promise.withResolvers()).sort()]; },
  "builtins: Promise.withResolvers reject": async () => { const r = Promise.withResolvers(); r.reject(new RangeError("x")); return r.promise; },
  "builtins: Promise.withResolvers subclass": () => { class P extends Promise {} return P.withResolvers().promise instanceof P; },
  "builtins: Promise.withResolvers non-constructor": () => Promise.withResolvers.call({}),
  "builtins: Object.groupBy": () => { const g = Object.groupBy([1, 2, 3, 4, 5], (x, i) => (x % 2 ? "odd" : "even") + (i > 3 ? "!" : "")); return [Object.getPrototypeOf(g), g]; },
  "builtins: Object.groupBy keys": () => Object.keys(Object.groupBy(["a", "bb", "c"], (s) => s.length)),
  "builtins: Object.groupBy iterable": () => Object.groupBy(new Set(["x", "yy"]), (s) => s.length),
  "builtins: Object.groupBy bad callback": () => Object.groupBy([1], 1),
  "builtins: Object.groupBy not iterable": () => Object.groupBy(1, (x) => x),
  "builtins: Map.groupBy": () => { const k = {}; const m = Map.groupBy([1, 2, 3], (x) => (x > 1 ? k : 0)); return [m instanceof Map, m.get(k), m.get(0), m.get(-0)]; },
  "builtins: groupBy length": () => [Object.groupBy.length, Map.groupBy.length],
  "builtins: Array.fromAsync": async () => Array.fromAsync([1, Promise.resolve(2), 3]),
  "builtins: Array.fromAsync async iterable": async () => {
    const it = { [Symbol.asyncIterator]() { let i = 0; return { next: async () => (i < 3 ? { value: i++, done: false } : { done: true }) }; } };
    return Array.fromAsync(it, (x, i) => x * 10 + i);
  },
  "builtins: Array.fromAsync array-like": async () => Array.fromAsync({ length: 2, 0: "a", 1: Promise.resolve("b") }),
  "builtins: Array.fromAsync mapper awaits": async () => Array.fromAsync([1, 2], async (x) => x + 1),
  "builtins: Array.fromAsync bad mapper": async () => Array.fromAsync([1], 5),
  "builtins: Array.fromAsync null": async () => Array.fromAsync(null),
  "builtins: Array.fromAsync returns promise": () => { const p = Array.fromAsync([]); return [p instanceof Promise, Array.fromAsync.length]; },
  "builtins: Array.fromAsync rejection": async () => Array.fromAsync([Promise.reject(new SyntaxError("s"))]),
  "builtins: Set methods": () => {
    const a = new Set([1, 2, 3]), b = new Set([3, 4]);
    return [a.union(b), a.intersection(b), a.difference(b), a.symmetricDifference(b), a.isSubsetOf(new Set([1, 2, 3, 4])), a.isSupersetOf(new Set([1])), a.isDisjointFrom(b)];
  },
  "builtins: Set methods set-like": () => new Set([1, 2]).union({ size: 1, has: () => true, keys: () => [5][Symbol.iterator]() }),
  "builtins: Set methods bad arg": () => new Set([1]).union([2]),
  "builtins: Array change-by-copy": () => { const a = [3, 1, 2]; return [a.toSorted(), a.toReversed(), a.with(0, 9), a.toSpliced(1, 1), a.at(-1), a.findLast((x) => x < 3), a.findLastIndex((x) => x > 5), a]; },
  "builtins: Array.with range": () => [1].with(5, 0),
  "builtins: TypedArray change-by-copy": () => { const a = new Uint8Array([3, 1, 2]); return [a.toSorted(), a.toReversed(), a.with(1, 7), a.at(-1), a.findLast((x) => x > 1)]; },
  "builtins: Object.hasOwn": () => [Object.hasOwn({ a: 1 }, "a"), Object.hasOwn(Object.create({ a: 1 }), "a")],
  "builtins: String at and replaceAll": () => ["abc".at(-1), "a.b.c".replaceAll(".", "-"), "aaa".replaceAll(/a/g, (m, i) => i)],
  "builtins: replaceAll non-global regexp": () => "a".replaceAll(/a/, "b"),
  "builtins: isWellFormed": () => ["ab".isWellFormed(), "a\uD800".isWellFormed(), "\uDC00b".isWellFormed(), "\uD83D\uDE00".isWellFormed(), String.prototype.isWellFormed.call(12)],
  "builtins: toWellFormed": () => ["a\uD800b".toWellFormed(), "\uDC00\uD83D\uDE00\uD83D".toWellFormed(), "ok".toWellFormed()],
  "builtins: toWellFormed on null": () => String.prototype.toWellFormed.call(null),
  "builtins: ArrayBuffer transfer": () => {
    const a = new Uint8Array([1, 2, 3]).buffer;
    const b = a.transfer();
    const c = b.transfer(5);
    const cBytes = new Uint8Array(c).slice();
    const d = c.transferToFixedLength(2);
    return [a.detached, a.byteLength, b.detached, cBytes, c.detached, new Uint8Array(d), d.detached, c.byteLength];
  },
  "builtins: ArrayBuffer transfer detached": () => { const a = new ArrayBuffer(1); a.transfer(); return a.transfer(); },
  "builtins: ArrayBuffer detached getter": () => Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, "detached").get.call({}),
  "builtins: scheduler.wait": async () => { const t = Date.now(); const r = await scheduler.wait(20); return [r, typeof scheduler, typeof scheduler.wait, Object.prototype.toString.call(scheduler)]; },
  "builtins: scheduler.wait signal": async () => { const c = new AbortController(); const p = scheduler.wait(10000, { signal: c.signal }); c.abort(); return p; },
  "builtins: scheduler.wait aborted": async () => scheduler.wait(10, { signal: AbortSignal.abort(new RangeError("r")) }),
  "builtins: scheduler.wait no delay": async () => scheduler.wait(),
  "builtins: reportError": () => [typeof reportError, reportError(new Error("reported")), reportError.length],
  "builtins: reportError no argument": () => reportError(),
  "builtins: structuredClone transfer": () => {
    const buf = new Uint8Array([1, 2, 3]).buffer;
    const out = structuredClone({ buf }, { transfer: [buf] });
    return [buf.byteLength, out.buf.byteLength, new Uint8Array(out.buf)[2], out.buf === buf];
  },
  "builtins: structuredClone transfer view": () => {
    const u = new Uint8Array([4, 5, 6]);
    const out = structuredClone(u, { transfer: [u.buffer] });
    return [u.byteLength, u.length, out.length, out[0]];
  },
  "builtins: structuredClone transfer detached use": () => { const b = new ArrayBuffer(4); structuredClone(b, { transfer: [b] }); return new Uint8Array(b); },
  "builtins: structuredClone transfer twice": () => { const b = new ArrayBuffer(4); structuredClone(null, { transfer: [b, b] }); },
  "builtins: structuredClone transfer detached": () => { const b = new ArrayBuffer(4); structuredClone(null, { transfer: [b] }); return structuredClone(null, { transfer: [b] }); },
  "builtins: structuredClone transfer not transferable": () => structuredClone(null, { transfer: [{}] }),
  "builtins: structuredClone transfer not iterable": () => structuredClone(null, { transfer: 5 }),
  "builtins: structuredClone transfer unused": () => { const b = new ArrayBuffer(8); structuredClone(1, { transfer: [b] }); return b.byteLength; },
  "builtins: structuredClone transfer shared": () => { const b = new ArrayBuffer(2); const out = structuredClone([b, b, new Uint8Array(b)], { transfer: [b] }); return [out[0] === out[1], out[2].buffer === out[0], b.byteLength]; },
};
