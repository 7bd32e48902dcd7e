// node:punycode (deprecated in Node, still required by old packages).
import punycode from "node:punycode";

function table(fn, inputs) {
  return inputs.map((x) => {
    try {
      return fn(x);
    } catch (e) {
      return { throws: e.name, message: e.message };
    }
  });
}

export const probes = {
  "punycode: shape": () => [punycode.version, Object.keys(punycode).sort(), Object.keys(punycode.ucs2).sort()],
  "punycode: encode": () => table(punycode.encode, ["", "abc", "mañana", "ü", "bücher", "日本語", "😀", "a😀b", "\ud800", "ABC-ü", "-", "München-Ost", "ÀÁÂ"]),
  "punycode: decode": () => table(punycode.decode, ["", "abc-", "maana-pta", "tda", "bcher-kva", "wgv71a119e", "e28h", "ab-qk25c", "ü-", "abc", "a-b-c-",
    "99999999999", "zzzzzzzz", "-", "--", "a$", "AbC-", "maana-PTA"]),
  "punycode: toASCII": () => table(punycode.toASCII, ["mañana.com", "example.com", "user@bücher.de", "日本語。jp", "a．b｡c", "", "☃-⌘.com", "a@b@ü", "ÜBER.de"]),
  "punycode: toUnicode": () => table(punycode.toUnicode, ["xn--maana-pta.com", "example.com", "user@xn--bcher-kva.de", "XN--MAANA-PTA.com", "xn--", "xn--$", "a@b@xn--tda"]),
  "punycode: ucs2": () => [punycode.ucs2.decode("a😀\ud800b"), punycode.ucs2.encode([97, 0x1f600, 0xd800]), punycode.ucs2.decode("")],
  "punycode: ucs2 encode invalid": () => punycode.ucs2.encode([0x110000]),
};
