// node:crypto's ciphers: createCipheriv/createDecipheriv over fixed keys,
// IVs and inputs (AES ECB/CBC/CTR/OFB/CFB/GCM, ChaCha20-Poly1305),
// padding, AEAD tags and AAD, output encodings, streams, getCiphers and
// getCipherInfo, and Node's errors.
import crypto from "node:crypto";
import { Readable, Transform } from "node:stream";

const c = crypto;
const err = (fn) => { try { const r = fn(); return { ok: r }; } catch (e) { return { name: e.name, code: e.code, reason: e.reason }; } };
const msg = (fn) => { try { fn(); return "no error"; } catch (e) { return e.message; } };
const hex = (s) => Buffer.from(s, "hex");
const key = (n) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + 3) & 255));
const iv16 = Buffer.from("000102030405060708090a0b0c0d0e0f", "hex");
const iv12 = Buffer.from("cafebabefacedbaddecaf888", "hex");
const text = "The quick brown fox jumps over the lazy dog, twice: the quick brown fox.";
const both = (name, k, iv, pt, o) => {
  const e = c.createCipheriv(name, k, iv, o);
  const ct = Buffer.concat([e.update(pt), e.final()]);
  const d = c.createDecipheriv(name, k, iv, o);
  return { ct: ct.toString("hex"), back: Buffer.concat([d.update(ct), d.final()]).toString() };
};
const seal = (name, k, iv, pt, aad, o) => {
  const e = c.createCipheriv(name, k, iv, o);
  if (aad) e.setAAD(aad);
  const ct = Buffer.concat([e.update(pt), e.final()]);
  return { ct, tag: e.getAuthTag() };
};
const open = (name, k, iv, ct, tag, aad, o) => {
  const d = c.createDecipheriv(name, k, iv, o);
  if (aad) d.setAAD(aad);
  d.setAuthTag(tag);
  return Buffer.concat([d.update(ct), d.final()]);
};

export const probes = {
  "ciphers: aes-cbc 128/192/256": () => ["aes-128-cbc", "aes-192-cbc", "aes-256-cbc"].map((n, i) => both(n, key(16 + 8 * i), iv16, text)),
  "ciphers: aes-ecb 128/192/256": () => ["aes-128-ecb", "aes-192-ecb", "aes-256-ecb"].map((n, i) => both(n, key(16 + 8 * i), null, text)),
  "ciphers: aes-ecb with an empty IV": () => both("aes-128-ecb", key(16), Buffer.alloc(0), "x"),
  "ciphers: aes-ctr 128/192/256": () => ["aes-128-ctr", "aes-192-ctr", "aes-256-ctr"].map((n, i) => both(n, key(16 + 8 * i), iv16, text)),
  "ciphers: aes-ctr counter carries across bytes": () => both("aes-128-ctr", key(16), hex("ffffffffffffffffffffffffffffffff"), "0123456789abcdef0123456789abcdef!"),
  "ciphers: aes-ofb and aes-cfb": () => [both("aes-256-ofb", key(32), iv16, text), both("aes-128-cfb", key(16), iv16, text)],
  "ciphers: cbc block boundaries": () => [0, 1, 15, 16, 17, 32].map((n) => both("aes-128-cbc", key(16), iv16, "a".repeat(n))),
  "ciphers: update output sizes (block buffering)": () => {
    const e = c.createCipheriv("aes-128-cbc", key(16), iv16);
    const sizes = [e.update("a".repeat(5)).length, e.update("b".repeat(20)).length, e.update("c".repeat(7)).length, e.final().length];
    const d = c.createDecipheriv("aes-128-cbc", key(16), iv16);
    const ct = c.createCipheriv("aes-128-cbc", key(16), iv16).update("x".repeat(48));
    return [sizes, d.update(ct.subarray(0, 16)).length, d.update(ct.subarray(16, 32)).length, d.update(ct.subarray(32)).length];
  },
  "ciphers: setAutoPadding(false)": () => {
    const e = c.createCipheriv("aes-128-cbc", key(16), iv16).setAutoPadding(false);
    const ct = Buffer.concat([e.update("0123456789abcdef"), e.final()]);
    const d = c.createDecipheriv("aes-128-cbc", key(16), iv16);
    d.setAutoPadding(false);
    const raw = Buffer.concat([d.update(c.createCipheriv("aes-128-cbc", key(16), iv16).update("0123456789abcdef")), d.final()]);
    return { ct: ct.toString("hex"), raw: raw.toString("hex") };
  },
  "ciphers: decrypt keeps the padding block without autoPadding": () => {
    const ct = Buffer.concat([c.createCipheriv("aes-128-cbc", key(16), iv16).update("abc"), c.createCipheriv("aes-128-cbc", key(16), iv16).final()]);
    const e = c.createCipheriv("aes-128-cbc", key(16), iv16);
    const full = Buffer.concat([e.update("abc"), e.final()]);
    const d = c.createDecipheriv("aes-128-cbc", key(16), iv16).setAutoPadding(false);
    return [ct.length, Buffer.concat([d.update(full), d.final()]).toString("hex")];
  },
  "ciphers: output encodings": () => {
    const e = c.createCipheriv("aes-128-cbc", key(16), iv16);
    const b64 = e.update(text, "utf8", "base64") + e.final("base64");
    const d = c.createDecipheriv("aes-128-cbc", key(16), iv16);
    const back = d.update(b64, "base64", "utf8") + d.final("utf8");
    const h = c.createCipheriv("aes-128-ctr", key(16), iv16);
    return { b64, back, hex: h.update("héllo wörld", "utf8", "hex") + h.final("hex"), latin1: c.createCipheriv("aes-128-ctr", key(16), iv16).update("ff00", "hex", "latin1") };
  },
  "ciphers: base64 output split across calls": () => {
    const e = c.createCipheriv("aes-128-ctr", key(16), iv16);
    return [e.update("a", "utf8", "base64"), e.update("bc", "utf8", "base64"), e.update("de", "utf8", "base64"), e.final("base64")];
  },
  "ciphers: utf8 output keeps split characters": () => {
    const ct = c.createCipheriv("aes-128-ctr", key(16), iv16).update("é€😀");
    const d = c.createDecipheriv("aes-128-ctr", key(16), iv16);
    const parts = [];
    for (let i = 0; i < ct.length; i++) parts.push(d.update(ct.subarray(i, i + 1), undefined, "utf8"));
    parts.push(d.final("utf8"));
    return parts;
  },
  "ciphers: changing the output encoding": () => {
    const e = c.createCipheriv("aes-128-cbc", key(16), iv16);
    e.update("hi", "utf8", "hex");
    return err(() => e.final("base64"));
  },
  "ciphers: unknown output encoding": () => err(() => c.createCipheriv("aes-128-cbc", key(16), iv16).final("bogus")),
  "ciphers: string key and IV": () => both("aes-128-cbc", "0123456789abcdef", "fedcba9876543210", "hi"),
  "ciphers: KeyObject key": () => both("aes-256-cbc", c.createSecretKey(key(32)), iv16, "with a KeyObject"),
  "ciphers: upper-case names and aliases": () => [both("AES-128-CBC", key(16), iv16, "x"), both("aes256", key(32), iv16, "x"), both("id-aes128-GCM", key(16), iv12, "x").ct],
  "ciphers: aes-gcm with AAD": () => ["aes-128-gcm", "aes-192-gcm", "aes-256-gcm"].map((n, i) => {
    const { ct, tag } = seal(n, key(16 + 8 * i), iv12, text, Buffer.from("header"));
    return { ct: ct.toString("hex"), tag: tag.toString("hex"), back: open(n, key(16 + 8 * i), iv12, ct, tag, Buffer.from("header")).toString() };
  }),
  "ciphers: aes-gcm NIST test case 4": () => {
    const k = hex("feffe9928665731c6d6a8f9467308308");
    const pt = hex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
    const { ct, tag } = seal("aes-128-gcm", k, iv12, pt, hex("feedfacedeadbeeffeedfacedeadbeefabaddad2"));
    return [ct.toString("hex"), tag.toString("hex")];
  },
  "ciphers: aes-gcm IV lengths": () => [1, 8, 16, 64].map((n) => {
    const iv = key(n);
    const { ct, tag } = seal("aes-256-gcm", key(32), iv, "iv of another length");
    return [ct.toString("hex"), tag.toString("hex"), open("aes-256-gcm", key(32), iv, ct, tag).toString()];
  }),
  "ciphers: aes-gcm empty plaintext and AAD only": () => [seal("aes-128-gcm", key(16), iv12, "").tag.toString("hex"), seal("aes-128-gcm", key(16), iv12, "", Buffer.from("only aad")).tag.toString("hex")],
  "ciphers: aes-gcm AAD in two calls": () => {
    const e = c.createCipheriv("aes-128-gcm", key(16), iv12);
    e.setAAD(Buffer.from("head")).setAAD(Buffer.from("er"));
    e.update(text);
    e.final();
    return e.getAuthTag().toString("hex") === seal("aes-128-gcm", key(16), iv12, text, Buffer.from("header")).tag.toString("hex");
  },
  "ciphers: aes-gcm authTagLength": () => {
    const o = { authTagLength: 8 };
    const { ct, tag } = seal("aes-128-gcm", key(16), iv12, "short tag", null, o);
    return [tag.toString("hex"), open("aes-128-gcm", key(16), iv12, ct, tag, null, o).toString(), open("aes-128-gcm", key(16), iv12, ct, tag).toString(),
      err(() => open("aes-128-gcm", key(16), iv12, ct, Buffer.concat([tag, tag]), null, o))];
  },
  "ciphers: aes-gcm bad tag, bad AAD, bad data": () => {
    const { ct, tag } = seal("aes-128-gcm", key(16), iv12, text, Buffer.from("aad"));
    const bad = Buffer.from(tag);
    bad[0] ^= 1;
    const badCt = Buffer.from(ct);
    badCt[3] ^= 1;
    return [err(() => open("aes-128-gcm", key(16), iv12, ct, bad, Buffer.from("aad"))), msg(() => open("aes-128-gcm", key(16), iv12, ct, bad, Buffer.from("aad"))),
      err(() => open("aes-128-gcm", key(16), iv12, ct, tag, Buffer.from("aaX"))), err(() => open("aes-128-gcm", key(16), iv12, badCt, tag, Buffer.from("aad")))];
  },
  "ciphers: aes-gcm decrypt without a tag": () => {
    const d = c.createDecipheriv("aes-128-gcm", key(16), iv12);
    d.update(Buffer.alloc(4));
    return [err(() => d.final()), msg(() => c.createDecipheriv("aes-128-gcm", key(16), iv12).final())];
  },
  "ciphers: aes-gcm update output is immediate": () => {
    const e = c.createCipheriv("aes-128-gcm", key(16), iv12);
    return [e.update("abc").toString("hex"), e.update("defghijklmnopqrstu").toString("hex"), e.final().length];
  },
  "ciphers: tag lengths": () => [
    err(() => c.createCipheriv("aes-128-gcm", key(16), iv12, { authTagLength: 3 })),
    err(() => c.createCipheriv("aes-128-gcm", key(16), iv12, { authTagLength: 17 })),
    err(() => c.createCipheriv("aes-128-gcm", key(16), iv12, { authTagLength: "8" })),
    err(() => c.createDecipheriv("aes-128-gcm", key(16), iv12).setAuthTag(Buffer.alloc(3))),
    err(() => c.createDecipheriv("aes-128-gcm", key(16), iv12).setAuthTag(Buffer.alloc(17))),
    err(() => { c.createDecipheriv("aes-128-gcm", key(16), iv12).setAuthTag(Buffer.alloc(4)); return 1; }),
    err(() => { c.createDecipheriv("aes-128-gcm", key(16), iv12, { authTagLength: 12 }).setAuthTag(Buffer.alloc(16)); return 1; }),
  ],
  "ciphers: chacha20-poly1305": () => {
    const k = key(32);
    const { ct, tag } = seal("chacha20-poly1305", k, iv12, text, Buffer.from("aad"));
    return { ct: ct.toString("hex"), tag: tag.toString("hex"), back: open("chacha20-poly1305", k, iv12, ct, tag, Buffer.from("aad")).toString() };
  },
  "ciphers: chacha20-poly1305 RFC 8439 2.8.2": () => {
    const k = hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
    const iv = hex("070000004041424344454647");
    const pt = "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.";
    const { ct, tag } = seal("chacha20-poly1305", k, iv, pt, hex("50515253c0c1c2c3c4c5c6c7"));
    return [ct.toString("hex"), tag.toString("hex")];
  },
  "ciphers: chacha20-poly1305 tag lengths and bad tag": () => {
    const k = key(32);
    const { ct, tag } = seal("chacha20-poly1305", k, iv12, "x", null, { authTagLength: 5 });
    const bad = Buffer.from(seal("chacha20-poly1305", k, iv12, "x").tag);
    bad[15] ^= 1;
    return [tag.toString("hex"), open("chacha20-poly1305", k, iv12, ct, tag, null, { authTagLength: 5 }).toString(),
      err(() => open("chacha20-poly1305", k, iv12, ct, bad)), err(() => c.createCipheriv("chacha20-poly1305", k, iv12, { authTagLength: 17 })),
      err(() => c.createDecipheriv("chacha20-poly1305", k, iv12).setAuthTag(Buffer.alloc(8)))];
  },
  "ciphers: key and IV errors": () => [
    err(() => c.createCipheriv("aes-128-cbc", Buffer.alloc(15), iv16)),
    err(() => c.createCipheriv("aes-256-gcm", key(16), iv12)),
    err(() => c.createCipheriv("aes-128-cbc", key(16), Buffer.alloc(15))),
    err(() => c.createCipheriv("aes-128-cbc", key(16), null)),
    err(() => c.createCipheriv("aes-128-ecb", key(16), iv16)),
    err(() => c.createCipheriv("aes-128-gcm", key(16), Buffer.alloc(0))),
    err(() => c.createCipheriv("chacha20-poly1305", key(32), Buffer.alloc(8))),
    err(() => c.createCipheriv("chacha20-poly1305", key(16), iv12)),
    err(() => c.createCipheriv("aes-128-xyz", key(16), iv16)),
    err(() => c.createCipheriv(5, key(16), iv16)),
    err(() => c.createCipheriv("aes-128-cbc", 5, iv16)),
    err(() => c.createCipheriv("aes-128-cbc", key(16), 5)),
    err(() => c.createCipheriv("aes-128-cbc", c.createPublicKey("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAS7OwKdoVVnw5ZPzaghgWLYZda8i1RzyMmjcQruCBuCg=\n-----END PUBLIC KEY-----\n"), iv16)),
  ],
  "ciphers: state errors": () => {
    const done = () => { const e = c.createCipheriv("aes-128-cbc", key(16), iv16); e.final(); return e; };
    const gcm = () => c.createCipheriv("aes-128-gcm", key(16), iv12);
    return [
      err(() => done().update("x")), msg(() => done().update("x")), err(() => done().final()),
      err(() => done().setAutoPadding(true)),
      err(() => gcm().getAuthTag()),
      err(() => { const e = gcm(); e.update("a"); e.setAAD(Buffer.from("x")); }),
      err(() => { const e = gcm(); e.final(); e.setAAD(Buffer.from("x")); }),
      err(() => c.createCipheriv("aes-128-cbc", key(16), iv16).setAAD(Buffer.from("x"))),
      err(() => c.createCipheriv("aes-128-cbc", key(16), iv16).getAuthTag()),
      typeof c.createCipheriv("aes-128-cbc", key(16), iv16).setAuthTag, typeof c.createDecipheriv("aes-128-gcm", key(16), iv12).getAuthTag,
      err(() => { const d = c.createDecipheriv("aes-128-gcm", key(16), iv12); d.setAuthTag(Buffer.alloc(16)); d.setAuthTag(Buffer.alloc(16)); }),
      err(() => c.createDecipheriv("aes-128-cbc", key(16), iv16).setAuthTag(Buffer.alloc(16))),
      err(() => { const e = gcm(); e.setAAD("str"); }),
    ];
  },
  "ciphers: padding errors": () => {
    const d = (data, pad = true) => () => { const x = c.createDecipheriv("aes-128-cbc", key(16), iv16); x.setAutoPadding(pad); x.update(data); return x.final(); };
    return [err(d(Buffer.alloc(16))), err(d(Buffer.alloc(15))), err(d(Buffer.alloc(0))), err(d(Buffer.alloc(17), false)), err(d(Buffer.alloc(0), false)),
      err(() => { const e = c.createCipheriv("aes-128-cbc", key(16), iv16).setAutoPadding(false); e.update("abc"); return e.final(); }),
      err(() => { const x = c.createDecipheriv("aes-128-ecb", key(16), null); x.update(Buffer.alloc(16, 1)); return x.final(); })];
  },
  "ciphers: update argument errors": () => [
    err(() => c.createCipheriv("aes-128-cbc", key(16), iv16).update(5)),
    err(() => c.createCipheriv("aes-128-cbc", key(16), iv16).update("abc", "hex")),
    err(() => c.createCipheriv("aes-128-cbc", key(16), iv16).update(new ArrayBuffer(4))),
  ],
  "ciphers: Cipheriv is a Transform": () => {
    const e = c.createCipheriv("aes-128-cbc", key(16), iv16);
    return [e instanceof Transform, e instanceof c.Cipheriv, c.createDecipheriv("aes-128-cbc", key(16), iv16) instanceof c.Decipheriv, typeof c.Cipheriv];
  },
  "ciphers: pipe through cipher and decipher": () => new Promise((resolve, reject) => {
    const out = [];
    Readable.from(["stream ", "of ", Buffer.from("chunks "), "through aes-256-gcm? no: cbc"])
      .pipe(c.createCipheriv("aes-256-cbc", key(32), iv16))
      .pipe(c.createDecipheriv("aes-256-cbc", key(32), iv16))
      .on("data", (d) => out.push(d))
      .on("end", () => resolve(Buffer.concat(out).toString()))
      .on("error", reject);
  }),
  "ciphers: stream write/end/read": () => new Promise((resolve) => {
    const e = c.createCipheriv("aes-128-ctr", key(16), iv16);
    const out = [];
    e.on("data", (d) => out.push(d.toString("hex")));
    e.on("end", () => resolve(out));
    e.write("abc");
    e.write("6465", "hex");
    e.end("f");
  }),
  "ciphers: gcm stream then getAuthTag": () => new Promise((resolve) => {
    const e = c.createCipheriv("aes-128-gcm", key(16), iv12);
    const out = [];
    e.on("data", (d) => out.push(d));
    e.on("end", () => resolve([Buffer.concat(out).toString("hex"), e.getAuthTag().toString("hex")]));
    e.end(text);
  }),
  "ciphers: stream error on a bad tag": () => new Promise((resolve) => {
    const d = c.createDecipheriv("aes-128-gcm", key(16), iv12);
    d.setAuthTag(Buffer.alloc(16));
    d.on("error", (e) => resolve({ name: e.name, message: e.message }));
    d.resume();
    d.end(Buffer.from("abcd"));
  }),
  "ciphers: getCiphers": () => {
    const list = c.getCiphers();
    return ["aes-128-cbc", "aes-192-cbc", "aes-256-cbc", "aes-128-ctr", "aes-256-ctr", "aes-128-ecb", "aes-256-ecb", "aes-128-gcm", "aes-256-gcm",
      "aes-128-ofb", "aes-128-cfb", "chacha20-poly1305", "aes128", "aes256", "id-aes128-GCM"].map((n) => list.includes(n));
  },
  "ciphers: getCipherInfo": () => [
    c.getCipherInfo("aes-128-gcm"), c.getCipherInfo("AES-256-CBC"), c.getCipherInfo("aes-192-ecb"), c.getCipherInfo("aes-256-ctr"),
    c.getCipherInfo("chacha20-poly1305"), c.getCipherInfo("aes128"), c.getCipherInfo(427), c.getCipherInfo("nope"),
    c.getCipherInfo("aes-128-gcm", { ivLength: 8 }), c.getCipherInfo("aes-128-cbc", { ivLength: 8 }), c.getCipherInfo("aes-128-cbc", { keyLength: 16 }),
    c.getCipherInfo("aes-128-cbc", { keyLength: 8 }), err(() => c.getCipherInfo({})), err(() => c.getCipherInfo(1.5)),
  ],
};
