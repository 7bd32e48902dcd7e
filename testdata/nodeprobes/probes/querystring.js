// node:querystring.
import qs from "node:querystring";
import * as qsNS from "node:querystring";

function plain(o) {
  // parse() answers a null-prototype object: say so, then compare entries
  return { proto: Object.getPrototypeOf(o) === null, entries: Object.entries(o) };
}

const utf8 = (b) => new TextDecoder().decode(b);

export const probes = {
  "querystring: shape": () => [Object.keys(qs).sort(), qs.decode === qs.parse, qs.encode === qs.stringify, typeof qsNS.parse],
  "querystring: parse basics": () => ["a=1&b=2", "a=1&a=2&a=3", "=&a&=b&c=d=e&&", "a+b=c+d", "%41=%42", "a=%zz", "a=%E2%82", "a=%E2%82%AC",
    "a=%", "a=%2", "a==b", "&", "", "a[]=1&a[]=2", "__proto__=1&constructor=2", "a=1&A=2", "%F0%9F%98%80=x"].map((s) => plain(qs.parse(s))),
  "querystring: parse separators": () => [plain(qs.parse("a=1;b=2", ";")), plain(qs.parse("a::1||b::2", "||", "::")), plain(qs.parse("a=1&b=2", "", "")),
    plain(qs.parse("a:1,b:2", ",", ":")), plain(qs.parse("a=1&b=2", null, null))],
  "querystring: parse maxKeys": () => [plain(qs.parse("&&a=1&b=2&c=3", null, null, { maxKeys: 2 })), plain(qs.parse("a=1&&b=2", null, null, { maxKeys: 2 })),
    plain(qs.parse("a=1&b&c", "&", "=", { maxKeys: 0 })), Object.keys(qs.parse(Array.from({ length: 1500 }, (_, i) => "k" + i + "=1").join("&"))).length,
    plain(qs.parse("a=1&b=2", null, null, { maxKeys: -1 }))],
  "querystring: parse decoder": () => [plain(qs.parse("a=b", null, null, { decodeURIComponent: (s) => "<" + s + ">" })),
    plain(qs.parse("a+b=c", null, null, { decodeURIComponent: (s) => "<" + s + ">" })),
    plain(qs.parse("a=%", null, null, { decodeURIComponent: (s) => { if (s.includes("%")) throw new Error("x"); return s.toUpperCase(); } }))],
  "querystring: parse non-strings": () => [plain(qs.parse(null)), plain(qs.parse(undefined)), plain(qs.parse(42)), plain(qs.parse({}))],
  "querystring: stringify": () => [qs.stringify({ a: [], b: [1, 2], c: null, d: undefined, e: NaN, f: true, g: 10n, h: {}, i: "x y", j: Infinity, k: -0 }),
    qs.stringify("x"), qs.stringify(null), qs.stringify({ a: "ü€😀" }), qs.stringify({ a: 1 }, ";", ":"), qs.stringify({ a: 1, b: 2 }, "", ""),
    qs.stringify({ "a b": "&=?#" }), qs.stringify({ a: "!'()*~-._" }), qs.stringify([1, 2]), qs.stringify({ a: [null, "x", false] })],
  "querystring: stringify encoder": () => qs.stringify({ a: "b c", d: [1, 2] }, null, null, { encodeURIComponent: (s) => s.toUpperCase() }),
  "querystring: stringify lone surrogate": () => qs.stringify({ a: "\ud800" }),
  "querystring: escape": () => [qs.escape("a b&c/ü!'()*~"), qs.escape(12), qs.escape({ toString() { return "x y"; } }), qs.escape(""), qs.escape(null), qs.escape(undefined)],
  "querystring: escape lone surrogate": () => qs.escape("\udc00"),
  "querystring: unescape": () => [qs.unescape("%zz%41+"), qs.unescape("%zz%41+", true), qs.unescape("%E2%82"), qs.unescape("a+b", true), qs.unescape("%e2%82%ac"), qs.unescape("%")],
  "querystring: unescapeBuffer": () => [utf8(qs.unescapeBuffer("%41%zz+")), utf8(qs.unescapeBuffer("%41+", true)), qs.unescapeBuffer("%e2%82%ac").length,
    Array.from(qs.unescapeBuffer("ü%C3")), qs.unescapeBuffer("%41%2").length, qs.unescape("ü%zz")],
};
