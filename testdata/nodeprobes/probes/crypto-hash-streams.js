// node:crypto's Hash and Hmac as streams (write/end/read/pipe, 'readable'
// and 'data' giving the digest, digest() after the stream ended), SHAKE
// with outputLength, and the update/digest errors.
import crypto from "node:crypto";
import { Readable, Transform, PassThrough, pipeline } from "node:stream";

const c = crypto;
const err = (fn) => { try { const r = fn(); return { ok: r }; } catch (e) { return { name: e.name, code: e.code }; } };
const collect = (s) => new Promise((resolve, reject) => {
  const out = [];
  s.on("data", (d) => out.push(d));
  s.on("end", () => resolve(out));
  s.on("error", reject);
});

export const probes = {
  "hash-streams: a Hash is a Transform": () => {
    const h = c.createHash("sha256");
    return [h instanceof Transform, typeof h.pipe, typeof h.write, c.createHmac("sha1", "k") instanceof Transform];
  },
  "hash-streams: write, end, read on 'readable'": () => new Promise((resolve) => {
    const h = c.createHash("sha256");
    const got = [];
    h.on("readable", () => { const d = h.read(); if (d) got.push(d.toString("hex")); });
    h.on("end", () => resolve(got));
    h.write("ab");
    h.write(Buffer.from("c"));
    h.end();
  }),
  "hash-streams: end(data) and 'data'": () => {
    const h = c.createHash("md5");
    h.end("abc");
    return collect(h);
  },
  "hash-streams: strings written with an encoding": () => {
    const h = c.createHash("sha1");
    h.write("616263", "hex");
    h.end("ZGVm", "base64");
    return collect(h);
  },
  "hash-streams: setEncoding gives the digest as a string": () => {
    const h = c.createHash("sha1");
    h.setEncoding("hex");
    h.end("abc");
    return collect(h);
  },
  "hash-streams: digest() after the stream ended": () => new Promise((resolve) => {
    const h = c.createHash("sha256");
    h.on("finish", () => {
      const after = h.digest("hex");
      const again = err(() => h.digest("hex"));
      resolve({ after, again, update: err(() => h.update("x")) });
    });
    h.end("abc");
    h.resume();
  }),
  "hash-streams: update after the stream ended is ignored": () => new Promise((resolve) => {
    const h = c.createHash("sha256");
    h.on("finish", () => resolve(h.update("more").digest("hex")));
    h.end("abc");
    h.resume();
  }),
  "hash-streams: mixed update and write": () => {
    const h = c.createHash("sha256");
    h.update("a");
    h.write("b");
    h.update("c");
    h.end();
    return collect(h);
  },
  "hash-streams: pipe into a hash": () => new Promise((resolve, reject) => {
    const h = c.createHash("sha512");
    Readable.from(["chunk one, ", "chunk two, ", Buffer.from("and three")]).pipe(h);
    h.on("data", (d) => resolve(d.toString("base64")));
    h.on("error", reject);
  }),
  "hash-streams: pipeline through a hash": () => new Promise((resolve) => {
    const out = new PassThrough();
    const chunks = [];
    out.on("data", (d) => chunks.push(d));
    pipeline(Readable.from(["x", "y", "z"]), c.createHash("sha256"), out, (e) => resolve({ error: e ? e.code : null, chunks }));
  }),
  "hash-streams: hmac stream and digest after": () => new Promise((resolve) => {
    const m = c.createHmac("sha256", "key");
    const got = [];
    m.on("data", (d) => got.push(d.toString("hex")));
    m.on("end", () => resolve({ got, after: m.digest("hex"), update: err(() => m.update("x")) }));
    m.end("The quick brown fox");
  }),
  "hash-streams: hmac pipe": () => new Promise((resolve) => {
    const m = c.createHmac("sha1", Buffer.from("00112233", "hex"));
    Readable.from(["a", "b"]).pipe(m).on("data", (d) => resolve(d));
  }),
  "hash-streams: copy of a written hash": () => {
    const h = c.createHash("sha256");
    h.write("abc");
    const cp = h.copy();
    return [cp instanceof Transform, cp.digest("hex"), h.digest("hex")];
  },
  "hash-streams: digest twice throws ERR_CRYPTO_HASH_FINALIZED": () => {
    const h = c.createHash("sha256");
    h.digest();
    return [err(() => h.digest()), err(() => h.update("a")), err(() => h.copy())];
  },
  "hash-streams: update rejects ArrayBuffer and numbers": () => [
    err(() => c.createHash("sha256").update(new ArrayBuffer(2))),
    err(() => c.createHash("sha256").update(5)),
    err(() => c.createHmac("sha256", "k").update(null)),
  ],
  "hash-streams: odd-length hex": () => [err(() => c.createHash("sha256").update("abc", "hex")), err(() => c.createHmac("sha256", "k").update("a", "hex"))],
  "hash-streams: shake256 and shake128": () => [
    c.createHash("shake256").update("abc").digest("hex"),
    c.createHash("shake128").update("abc").digest("hex"),
    c.createHash("shake256", { outputLength: 64 }).update("abc").digest("hex"),
    c.createHash("shake128", { outputLength: 5 }).update("abc").digest("hex"),
    c.createHash("shake256", { outputLength: 0 }).digest("hex"),
  ],
  "hash-streams: shake copy": () => {
    const h = c.createHash("shake256", { outputLength: 8 }).update("ab");
    const cp = h.copy({ outputLength: 8 });
    return [h.update("c").digest("hex"), cp.digest("hex")];
  },
  "hash-streams: outputLength on a fixed-size hash": () => [
    err(() => c.createHash("sha256", { outputLength: 32 }).update("a").digest("hex")),
    err(() => c.createHash("sha256", { outputLength: 16 })),
    err(() => c.createHash("shake256", { outputLength: "3" })),
    err(() => c.createHash("shake256", { outputLength: -1 })),
    err(() => c.createHash("shake256", { outputLength: 1.5 })),
  ],
  "hash-streams: getHashes lists shake": () => ["shake128", "shake256"].map((h) => c.getHashes().includes(h)),
  "hash-streams: hmac key types": () => [
    err(() => c.createHmac("sha256", c.createPrivateKey("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIKxcqxpvE2nEjqCsWXGN8hMnlBsSGuul/JEp8kf01tA1\n-----END PRIVATE KEY-----\n"))),
    err(() => c.createHmac("sha256", "k", { encoding: "hex" }).update("a").digest("hex")),
    c.createHmac("sha256", "6b6579", { encoding: "hex" }).update("a").digest("hex"),
  ],
};
