// node:util: inspect's layout, format's directives, promisify and friends.
import util from "node:util";
import * as named from "node:util";
import types from "node:util/types";

const tryIt = (f) => {
  try {
    return f();
  } catch (e) {
    return { threw: e.name, code: e.code };
  }
};
class Foo {
  constructor() {
    this.a = 1;
  }
}
class Bar extends Foo {}
function fnWithProps() {}
fnWithProps.x = 1;

export const probes = {
  "util: inspect primitives": () => [1, -0, 1.5, NaN, Infinity, 10n, "str", "it's", 'say "hi"', "both ' and \"", "a\nb\t\u0001", true, null, undefined, Symbol("s"), Symbol()].map((v) => util.inspect(v)),
  "util: inspect objects": () => [{}, { a: 1, b: "x" }, { "a-b": 1, 2: 3, [Symbol("k")]: 4 }, { a: { b: { c: { d: 1 } } } }, { a: { b: { c: {} } } }, Object.create(null), Object.assign(Object.create(null), { x: 1 }),
    new Foo(), new Bar(), { get g() { return 1; }, set s(v) {}, get gs() { return 1; }, set gs(v) {} }].map((v) => util.inspect(v)),
  "util: inspect arrays": () => [[], [1, 2, 3], [1, , 3], [, , 1], new Array(5), ["a", { b: 1 }], [[1, [2, [3, [4]]]]], Object.assign([1], { x: 2 }), Array.from({ length: 120 }, (_, i) => i),
    Array.from({ length: 10 }, (_, i) => i * 1000), Array.from({ length: 26 }, (_, i) => String.fromCharCode(97 + i).repeat(i % 5 + 1))].map((v) => util.inspect(v)),
  "util: inspect long objects break lines": () => [util.inspect({ alpha: "aaaaaaaaaaaaaaa", beta: "bbbbbbbbbbbbbbbbbb", gamma: "cccccccccccccccccc", delta: 1 }),
    util.inspect({ a: [1, 2, { b: "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc" }] }), util.inspect({ a: { b: { c: 1 } }, d: 2 })],
  "util: inspect collections": () => [new Map([["a", 1], [{ k: 1 }, [2]]]), new Set([1, "two", [3]]), new Map(), new Set(), new WeakMap(), new WeakSet()].map((v) => util.inspect(v)),
  "util: inspect functions and classes": () => [function named() {}, () => {}, async function af() {}, function* gen() {}, Foo, Bar, class {}, fnWithProps, Math.max].map((v) => util.inspect(v)),
  "util: inspect built-ins": () => [new Date(0), new Date(NaN), /a+b/gi, new Number(3), new String("ab"), new Boolean(false), Object(Symbol("q")), Object(5n),
    new Uint8Array([1, 2, 3]), new Float64Array(2), new ArrayBuffer(3), Promise.resolve(4), Promise.reject(3).catch(() => {}) && new Promise(() => {})].map((v) => util.inspect(v)),
  "util: inspect circular": () => {
    const a = { name: "a" };
    a.self = a;
    const b = [1];
    b.push(b);
    const c = { x: {} };
    c.x.up = c;
    return [util.inspect(a), util.inspect(b), util.inspect(c)];
  },
  "util: inspect options": () => [util.inspect({ a: { b: { c: { d: { e: 1 } } } } }, { depth: 0 }), util.inspect({ a: { b: { c: { d: { e: 1 } } } } }, { depth: null }),
    util.inspect({ a: { b: { c: { d: {} } } } }, false, 1), util.inspect({ b: 1, a: 2 }, { sorted: true }), util.inspect([1, 2, 3, 4], { maxArrayLength: 2 }),
    util.inspect("abcdef", { maxStringLength: 2 }), util.inspect({ a: 1, b: 2 }, { compact: false }), util.inspect({ a: [1, 2] }, { breakLength: 3 })],
  "util: inspect.custom": () => {
    const o = { [util.inspect.custom](depth, opts) { return `Custom<${depth},${typeof opts.stylize}>`; } };
    const p = { [Symbol.for("nodejs.util.inspect.custom")]() { return { replaced: true }; } };
    return [util.inspect(o), util.inspect({ nested: o }), util.inspect(p), util.inspect(o, { customInspect: false }).includes("Symbol(nodejs.util.inspect.custom)"), util.inspect.custom === Symbol.for("nodejs.util.inspect.custom")];
  },
  "util: inspect errors": () => {
    const e = new Error("boom");
    e.stack = "Error: boom\n    at here";
    const f = new TypeError("t");
    f.stack = "";
    const g = new RangeError("r");
    g.stack = "RangeError: r\n    at x";
    g.code = "E_X";
    return [util.inspect(e), util.inspect(f), util.inspect(g), util.inspect({ err: e })];
  },
  "util: format": () => [
    util.format("%s:%s", "a"), util.format("%s", "a", "b"), util.format("%d %i %f", "42.5", "42.5", "42.5"), util.format("%d", 10n), util.format("%i", 3.9), util.format("%j", { a: 1 }),
    util.format("%o", [1]), util.format("%O", { a: { b: { c: 1 } } }), util.format("%%s %s", "x"), util.format("%c%s", "color: red", "y"), util.format("100%"), util.format("%x", 1),
    util.format(1, "a", { b: 2 }), util.format("%s", { toString() { return "custom"; } }), util.format("%s", [1, [2]]), util.format("%s", new Date(0)), util.format("%s", -0),
    util.format("%s", null, undefined), util.format("%s", Symbol("z")), util.format("%d", {}), util.format("a", "b", 3), util.format(), util.format("%s %% %s", 1), util.format("%%"), util.format("%% %s", 1), util.format("%s", 5n),
    util.format("%s", new Foo()), util.format("%s", new Error("e").message),
  ],
  "util: format circular %j": () => {
    const a = {};
    a.a = a;
    return util.format("%j", a);
  },
  "util: formatWithOptions": () => [util.formatWithOptions({ compact: false }, "%O", { a: 1 }), util.formatWithOptions({ depth: 0 }, { a: { b: 1 } }), tryIt(() => util.formatWithOptions(1, "x"))],
  "util: inherits": () => {
    function A() {}
    A.prototype.hi = () => "hi";
    function B() {}
    util.inherits(B, A);
    return [new B().hi(), B.super_ === A, new B() instanceof A, tryIt(() => util.inherits(B, null)), tryIt(() => util.inherits(null, A)), tryIt(() => util.inherits(B, {}))];
  },
  "util: promisify": async () => {
    const ok = (a, b, cb) => cb(null, a + b, "ignored");
    const bad = (cb) => cb(new TypeError("no"));
    const custom = () => {};
    custom[util.promisify.custom] = () => Promise.resolve("custom");
    const p = util.promisify(ok);
    const out = [await p(1, 2), await util.promisify(bad)().catch((e) => e.name), await util.promisify(custom)(), util.promisify(custom) === custom[util.promisify.custom],
      util.promisify.custom === Symbol.for("nodejs.util.promisify.custom"), typeof p, tryIt(() => util.promisify(5))];
    const obj = { v: 7, get(cb) { cb(null, this.v); } };
    obj.pget = util.promisify(obj.get);
    out.push(await obj.pget());
    return out;
  },
  "util: callbackify": async () => {
    const res = await new Promise((resolve) => util.callbackify(async (x) => x * 2)(21, (err, v) => resolve([err, v])));
    const rej = await new Promise((resolve) => util.callbackify(async () => { throw new RangeError("r"); })((err) => resolve([err.name])));
    const falsy = await new Promise((resolve) => util.callbackify(() => Promise.reject(null))((err) => resolve([err.code, err.reason, err.message])));
    return [res, rej, falsy, util.callbackify(async function named() {}).name, util.callbackify(async (a, b) => {}).length, tryIt(() => util.callbackify(1))];
  },
  "util: isDeepStrictEqual": () => [
    util.isDeepStrictEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }), util.isDeepStrictEqual({ a: 1 }, { a: "1" }), util.isDeepStrictEqual([1, 2], [1, 2, 3]),
    util.isDeepStrictEqual(new Map([[1, { a: 1 }]]), new Map([[1, { a: 1 }]])), util.isDeepStrictEqual(new Set([1, 2]), new Set([2, 1])), util.isDeepStrictEqual(NaN, NaN),
    util.isDeepStrictEqual(0, -0), util.isDeepStrictEqual(new Date(1), new Date(1)), util.isDeepStrictEqual(/a/g, /a/i), util.isDeepStrictEqual(new Uint8Array([1]), new Uint8Array([1])),
    util.isDeepStrictEqual(new Uint8Array([1]), new Int8Array([1])), util.isDeepStrictEqual(Object.create(null), {}), util.isDeepStrictEqual(new Foo(), { a: 1 }),
    util.isDeepStrictEqual({ [Symbol.for("s")]: 1 }, { [Symbol.for("s")]: 2 }), util.isDeepStrictEqual(new Set([{ a: 1 }]), new Set([{ a: 1 }])), util.isDeepStrictEqual(new Error("a"), new Error("a")),
    util.isDeepStrictEqual(new Number(1), new Number(2)), util.isDeepStrictEqual([1, , 3], [1, undefined, 3]),
  ],
  "util: types": () => {
    const vals = { map: new Map(), set: new Set(), wm: new WeakMap(), ws: new WeakSet(), date: new Date(), re: /x/, err: new TypeError("x"), p: Promise.resolve(), ab: new ArrayBuffer(1),
      dv: new DataView(new ArrayBuffer(1)), u8: new Uint8Array(1), f64: new Float64Array(1), num: new Number(1), str: new String("s"), bool: new Boolean(true), sym: Object(Symbol("x")), big: Object(1n),
      args: (function () { return arguments; })(), af: async () => {}, gf: function* () {}, gen: (function* () {})(), proxy: new Proxy({}, {}), mapit: new Map().entries(), setit: new Set().values(),
      obj: {}, fake: { [Symbol.toStringTag]: "Map" }, prim: 1, thenable: { then() {} } };
    const checks = ["isMap", "isSet", "isWeakMap", "isWeakSet", "isDate", "isRegExp", "isNativeError", "isPromise", "isArrayBuffer", "isAnyArrayBuffer", "isDataView", "isUint8Array",
      "isFloat64Array", "isTypedArray", "isArrayBufferView", "isNumberObject", "isStringObject", "isBooleanObject", "isSymbolObject", "isBigIntObject", "isBoxedPrimitive",
      "isArgumentsObject", "isAsyncFunction", "isGeneratorFunction", "isGeneratorObject", "isProxy", "isMapIterator", "isSetIterator", "isSharedArrayBuffer", "isExternal"];
    const out = {};
    for (const c of checks) out[c] = Object.keys(vals).filter((k) => types[c](vals[k]));
    return out;
  },
  "util: types is util.types": () => [util.types === types, typeof types.isUint16Array, util.types.isUint8Array(new Uint8Array())],
  "util: legacy is*": () => [util.isArray([]), util.isBoolean(false), util.isNull(null), util.isNullOrUndefined(undefined), util.isNumber(1), util.isString(""), util.isSymbol(Symbol()),
    util.isUndefined(undefined), util.isRegExp(/a/), util.isObject({}), util.isObject(null), util.isDate(new Date()), util.isError(new Error()), util.isFunction(() => {}), util.isPrimitive(1), util.isPrimitive({})],
  "util: TextEncoder and TextDecoder": () => [util.TextEncoder === globalThis.TextEncoder, util.TextDecoder === globalThis.TextDecoder, new util.TextDecoder().decode(new util.TextEncoder().encode("hé"))],
  "util: toUSVString": () => [util.toUSVString("a\ud800b"), util.toUSVString("\udc00\ud83d\ude00\ud800"), util.toUSVString("ok")],
  "util: stripVTControlCharacters": () => [util.stripVTControlCharacters("\u001b[31mred\u001b[39m plain"), util.stripVTControlCharacters("\u001b]8;;http://x\u0007link\u001b]8;;\u0007"), tryIt(() => util.stripVTControlCharacters(1))],
  "util: deprecate": () => {
    const f = util.deprecate((a) => a + 1, "old", "DEP_TEST");
    return [typeof f, f(1)];
  },
  "util: debuglog": () => {
    const log = util.debuglog("edgerun-test");
    return [typeof log, log.enabled, log("x")];
  },
  "util: named exports": () => ["format", "inspect", "promisify", "callbackify", "inherits", "types", "isDeepStrictEqual", "deprecate", "debuglog", "TextEncoder", "TextDecoder"].map((k) => typeof named[k]),
};
