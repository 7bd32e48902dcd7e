// node:crypto: deterministic outputs (hashes, HMACs, key derivations of
// fixed inputs), shapes of random outputs, and Node's errors.
import crypto from "node:crypto";
import { Buffer } from "node:buffer";

const c = crypto;
const shape = (b) => [b.constructor.name, Buffer.isBuffer(b), b.length];
const settled = (f) => new Promise((resolve) => f((err, v) => resolve(err ? { error: err.name, code: err.code } : v)));

export const probes = {
  "crypto: md5 hex": () => c.createHash("md5").update("abc").digest("hex"),
  "crypto: sha1 base64": () => c.createHash("sha1").update("abc").digest("base64"),
  "crypto: sha224": () => c.createHash("sha224").update("abc").digest("hex"),
  "crypto: sha256 Buffer": () => c.createHash("sha256").update("abc").digest(),
  "crypto: sha384 base64url": () => c.createHash("sha384").update("abc").digest("base64url"),
  "crypto: sha512 latin1": () => c.createHash("sha512").update("abc").digest("latin1"),
  "crypto: sha512-256": () => c.createHash("sha512-256").update("abc").digest("hex"),
  "crypto: sha512-224": () => c.createHash("sha512-224").update("abc").digest("hex"),
  "crypto: sha3-256": () => c.createHash("sha3-256").update("abc").digest("hex"),
  "crypto: sha3-512": () => c.createHash("sha3-512").update("").digest("hex"),
  "crypto: upper-case and RSA- names": () => [c.createHash("SHA256").update("a").digest("hex"), c.createHash("RSA-SHA1").update("a").digest("hex")],
  "crypto: update chained, many parts": () => c.createHash("sha256").update("a").update(Buffer.from("b")).update(new Uint8Array([99])).digest("hex"),
  "crypto: update with encodings": () => [
    c.createHash("sha256").update("ff00", "hex").digest("hex"),
    c.createHash("sha256").update("aGk=", "base64").digest("hex"),
    c.createHash("sha256").update("héllo", "latin1").digest("hex"),
    c.createHash("sha256").update("héllo").digest("hex"),
    c.createHash("sha256").update("ff", "nope").digest("hex"),
  ],
  "crypto: update DataView and Uint16Array": () => [
    c.createHash("md5").update(new DataView(new Uint8Array([1, 2, 3, 4]).buffer, 1, 2)).digest("hex"),
    c.createHash("md5").update(new Uint16Array([1, 2])).digest("hex"),
  ],
  "crypto: digest encoding buffer/unknown": () => [c.createHash("md5").digest("buffer"), c.createHash("md5").digest("nope")],
  "crypto: digest is a Buffer": () => shape(c.createHash("sha256").digest()),
  "crypto: copy": () => {
    const h = c.createHash("sha256").update("ab");
    const k = h.copy();
    h.update("c");
    return [h.digest("hex"), k.digest("hex")];
  },
  "crypto: unknown hash": () => c.createHash("nope"),
  "crypto: hash algorithm not a string": () => c.createHash(5),
  "crypto: update after digest": () => {
    const h = c.createHash("sha256");
    h.digest();
    h.update("x");
  },
  "crypto: digest twice": () => {
    const h = c.createHash("sha256");
    h.digest();
    h.digest();
  },
  "crypto: copy after digest": () => {
    const h = c.createHash("sha256");
    h.digest();
    h.copy();
  },
  "crypto: update with a number": () => c.createHash("sha256").update(5),
  "crypto: Hash class": () => [typeof c.Hash, c.createHash("md5") instanceof c.Hash],

  "crypto: hmac sha256 hex": () => c.createHmac("sha256", "key").update("The quick brown fox jumps over the lazy dog").digest("hex"),
  "crypto: hmac md5 base64": () => c.createHmac("md5", "key").update("The quick brown fox jumps over the lazy dog").digest("base64"),
  "crypto: hmac sha512 Buffer key": () => c.createHmac("sha512", Buffer.from("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "hex")).update("Hi There").digest("hex"),
  "crypto: hmac long key": () => c.createHmac("sha1", "k".repeat(200)).update("x").digest("hex"),
  "crypto: hmac empty key": () => c.createHmac("sha256", "").update("x").digest("hex"),
  "crypto: hmac ArrayBuffer key": () => c.createHmac("sha256", new Uint8Array([1, 2, 3]).buffer).update("x").digest("hex"),
  "crypto: hmac KeyObject key": () => c.createHmac("sha256", c.createSecretKey(Buffer.from("key"))).update("x").digest("hex"),
  "crypto: hmac digest twice is empty": () => {
    const h = c.createHmac("sha256", "k");
    h.digest();
    return [h.digest("hex"), h.digest()];
  },
  "crypto: hmac update after digest": () => {
    const h = c.createHmac("sha256", "k");
    h.digest();
    h.update("x");
  },
  "crypto: hmac unknown digest": () => c.createHmac("nope", "k"),
  "crypto: hmac number key": () => c.createHmac("sha256", 5),
  "crypto: hmac is a Buffer": () => shape(c.createHmac("sha256", "k").digest()),

  "crypto: pbkdf2Sync sha1 RFC 6070": () => c.pbkdf2Sync("password", "salt", 2, 20, "sha1").toString("hex"),
  "crypto: pbkdf2Sync sha256 4096": () => c.pbkdf2Sync("password", "salt", 4096, 32, "sha256"),
  "crypto: pbkdf2Sync sha512 bytes": () => c.pbkdf2Sync(Buffer.from("pw"), new Uint8Array([1, 2, 3]), 10, 64, "sha512").toString("base64"),
  "crypto: pbkdf2Sync keylen 0": () => c.pbkdf2Sync("p", "s", 1, 0, "sha256"),
  "crypto: pbkdf2 callback": () => settled((cb) => c.pbkdf2("password", "salt", 4096, 20, "sha1", cb)).then((b) => [shape(b), b.toString("hex")]),
  "crypto: pbkdf2 is async": () => {
    let sync = true;
    const p = settled((cb) => c.pbkdf2("p", "s", 1, 8, "sha256", (e, v) => cb(e, sync)));
    sync = false;
    return p;
  },
  "crypto: pbkdf2 iterations 0": () => c.pbkdf2Sync("p", "s", 0, 32, "sha256"),
  "crypto: pbkdf2 iterations not a number": () => c.pbkdf2Sync("p", "s", "1", 32, "sha256"),
  "crypto: pbkdf2 iterations 1.5": () => c.pbkdf2Sync("p", "s", 1.5, 32, "sha256"),
  "crypto: pbkdf2 keylen -1": () => c.pbkdf2Sync("p", "s", 1, -1, "sha256"),
  "crypto: pbkdf2 unknown digest": () => c.pbkdf2Sync("p", "s", 1, 32, "nope"),
  "crypto: pbkdf2 no digest": () => c.pbkdf2Sync("p", "s", 1, 32),
  "crypto: pbkdf2 no callback": () => c.pbkdf2("p", "s", 1, 32, "sha256"),
  "crypto: pbkdf2 number password": () => c.pbkdf2Sync(5, "s", 1, 32, "sha256"),

  "crypto: scryptSync RFC 7914 (N=16)": () => c.scryptSync("", "", 64, { N: 16, r: 1, p: 1 }).toString("hex"),
  "crypto: scryptSync RFC 7914 (N=1024)": () => c.scryptSync("password", "NaCl", 64, { N: 1024, r: 8, p: 16 }).toString("hex"),
  "crypto: scryptSync defaults": () => c.scryptSync("pw", "salt", 32).toString("hex"),
  "crypto: scryptSync cost/blockSize/parallelization": () => c.scryptSync("pw", "salt", 16, { cost: 32, blockSize: 2, parallelization: 2 }).toString("hex"),
  "crypto: scrypt callback": () => settled((cb) => c.scrypt("pw", "salt", 16, { N: 64 }, cb)).then((b) => [shape(b), b.toString("hex")]),
  "crypto: scrypt callback without options": () => settled((cb) => c.scrypt("pw", "salt", 16, cb)).then((b) => b.toString("hex")),
  "crypto: scrypt N not a power of 2": () => c.scryptSync("p", "s", 16, { N: 3 }),
  "crypto: scrypt memory limit": () => c.scryptSync("p", "s", 16, { N: 2 ** 20 }),
  "crypto: scrypt keylen negative": () => c.scryptSync("p", "s", -1),
  "crypto: scrypt no callback": () => c.scrypt("p", "s", 16),

  "crypto: hkdfSync RFC 5869 case 1": () => Buffer.from(c.hkdfSync("sha256", Buffer.from("0b".repeat(22), "hex"), Buffer.from("000102030405060708090a0b0c", "hex"), Buffer.from("f0f1f2f3f4f5f6f7f8f9", "hex"), 42)).toString("hex"),
  "crypto: hkdfSync returns ArrayBuffer": () => {
    const r = c.hkdfSync("sha512", "key", "salt", "info", 10);
    return [r instanceof ArrayBuffer, r];
  },
  "crypto: hkdf callback": () => settled((cb) => c.hkdf("sha1", "key", "", "", 20, cb)).then((r) => [r instanceof ArrayBuffer, r]),
  "crypto: hkdf too long": () => c.hkdfSync("sha256", "k", "s", "i", 255 * 32 + 1),
  "crypto: hkdf longest": () => c.hkdfSync("sha256", "k", "s", "i", 255 * 32).byteLength,
  "crypto: hkdf unknown digest": () => c.hkdfSync("nope", "k", "s", "i", 10),
  "crypto: hkdf info too long": () => c.hkdfSync("sha256", "k", "s", Buffer.alloc(1025), 10),
  "crypto: hkdf salt number": () => c.hkdfSync("sha256", "k", 5, "i", 10),

  "crypto: randomBytes": () => shape(c.randomBytes(16)),
  "crypto: randomBytes 0": () => c.randomBytes(0),
  "crypto: randomBytes differ": () => c.randomBytes(16).equals(c.randomBytes(16)),
  "crypto: randomBytes callback": () => settled((cb) => c.randomBytes(8, cb)).then(shape),
  "crypto: randomBytes negative": () => c.randomBytes(-1),
  "crypto: randomBytes string": () => c.randomBytes("x"),
  "crypto: randomBytes bad callback": () => c.randomBytes(1, 5),
  "crypto: randomFillSync": () => {
    const b = Buffer.alloc(8);
    const r = c.randomFillSync(b, 2, 3);
    return [r === b, b[0], b[1], b[5], b[6], b[7]];
  },
  "crypto: randomFillSync Uint32Array offset in elements": () => {
    const a = new Uint32Array(4);
    c.randomFillSync(a, 3);
    return [a[0], a[1], a[2]];
  },
  "crypto: randomFillSync offset too big": () => c.randomFillSync(new Uint8Array(4), 5),
  "crypto: randomFillSync size too big": () => c.randomFillSync(new Uint8Array(4), 1, 4),
  "crypto: randomFillSync not a buffer": () => c.randomFillSync(5),
  "crypto: randomFill callback": () => settled((cb) => c.randomFill(new Uint8Array(4), cb)).then((b) => b.length),
  "crypto: randomFill no callback": () => c.randomFill(new Uint8Array(4)),
  "crypto: randomUUID": () => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(c.randomUUID()),
  "crypto: randomInt range": () => {
    for (let i = 0; i < 200; i++) {
      const n = c.randomInt(3, 7);
      if (!(n >= 3 && n < 7 && Number.isInteger(n))) return n;
    }
    const m = c.randomInt(5);
    return m >= 0 && m < 5;
  },
  "crypto: randomInt callback": () => settled((cb) => c.randomInt(10, cb)).then((n) => n >= 0 && n < 10),
  "crypto: randomInt max <= min": () => c.randomInt(5, 1),
  "crypto: randomInt not integer": () => c.randomInt(1.5),
  "crypto: randomInt range too big": () => c.randomInt(2 ** 49),
  "crypto: randomInt min - max range too big": () => c.randomInt(-(2 ** 48), 1),
  "crypto: getRandomValues": () => {
    const a = c.getRandomValues(new Uint8Array(8));
    return [a.constructor.name, a.length];
  },

  "crypto: timingSafeEqual": () => [c.timingSafeEqual(Buffer.from("abc"), Buffer.from("abc")), c.timingSafeEqual(Buffer.from("abc"), Buffer.from("abd")),
    c.timingSafeEqual(new Uint16Array([1]), new Uint8Array([1, 0])), c.timingSafeEqual(new ArrayBuffer(2), new Uint8Array(2))],
  "crypto: timingSafeEqual lengths": () => c.timingSafeEqual(Buffer.from("a"), Buffer.from("ab")),
  "crypto: timingSafeEqual strings": () => c.timingSafeEqual("a", "a"),

  "crypto: createSecretKey": () => {
    const k = c.createSecretKey(Buffer.from("secret"));
    return [k.type, k.symmetricKeySize, k.export().toString(), k.export({ format: "jwk" }), k.equals(c.createSecretKey("secret", "utf8")), k.equals(c.createSecretKey(Buffer.from("other!"))), k instanceof c.KeyObject];
  },
  "crypto: createSecretKey hex": () => c.createSecretKey("00ff", "hex").export(),

  "crypto: getHashes has the common ones": () => ["md5", "sha1", "sha256", "sha384", "sha512", "sha512-256", "sha3-256", "RSA-SHA256"].map((h) => c.getHashes().includes(h)),
  "crypto: webcrypto is globalThis.crypto": () => [c.webcrypto === globalThis.crypto, c.subtle === globalThis.crypto.subtle],
  "crypto: constants": () => [c.constants.RSA_PKCS1_PADDING, c.constants.RSA_PKCS1_OAEP_PADDING, c.constants.RSA_PKCS1_PSS_PADDING, c.constants.RSA_PSS_SALTLEN_DIGEST, c.constants.POINT_CONVERSION_UNCOMPRESSED],
  "crypto: named exports": async () => {
    const m = await import("node:crypto");
    return ["createHash", "createHmac", "randomBytes", "randomUUID", "pbkdf2Sync", "scryptSync", "hkdfSync", "timingSafeEqual", "webcrypto", "subtle"].map((k) => typeof m[k]);
  },
  "crypto: subtle SCRAM through node:crypto": async () => {
    const k = await c.subtle.importKey("raw", Buffer.from("pencil"), "PBKDF2", false, ["deriveBits"]);
    const bits = await c.subtle.deriveBits({ name: "PBKDF2", salt: Buffer.from("salt"), iterations: 4096, hash: "SHA-256" }, k, 256);
    return Buffer.from(bits).equals(c.pbkdf2Sync("pencil", "salt", 4096, 32, "sha256"));
  },
};
probes["crypto: hkdfSync keylen 0"] = () => c.hkdfSync("sha256", "k", "s", "i", 0);
probes["crypto: scryptSync keylen 0"] = () => c.scryptSync("p", "s", 0, { N: 16 });
probes["crypto: pbkdf2Sync 100000 iterations (Workers' most)"] = () => c.pbkdf2Sync("p", "s", 100000, 8, "sha1").toString("hex");
