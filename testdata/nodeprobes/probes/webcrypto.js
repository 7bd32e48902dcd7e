// Web Crypto (globalThis.crypto.subtle): Node's webcrypto answers for the
// same calls (workerd differs in places; see the notes by the probes).

const s = globalThis.crypto.subtle;
const enc = (t) => new TextEncoder().encode(t);
const hex = (h) => new Uint8Array(h.match(/../g).map((b) => parseInt(b, 16)));
// fails is the name of the error f throws or rejects with (TypeErrors'
// codes are Node's own: workerd's have none, so only names are compared).
async function fails(f) {
  try {
    await f();
    return "no error";
  } catch (e) {
    return e.name;
  }
}
const keyInfo = (k) => ({ type: k.type, extractable: k.extractable, algorithm: k.algorithm, usages: k.usages, isKey: k instanceof CryptoKey });
const hmacKey = (bytes, hash = "SHA-256", usages = ["sign", "verify"]) => s.importKey("raw", bytes, { name: "HMAC", hash }, true, usages);
const aesKey = (name, bytes, usages = ["encrypt", "decrypt"]) => s.importKey("raw", bytes, name, true, usages);
const key16 = hex("000102030405060708090a0b0c0d0e0f");
const key32 = hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
const iv12 = hex("cafebabefacedbaddecaf888");
const iv16 = hex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");

// A fixed P-256 key (RFC 6979 A.2.5) and Ed25519 key (RFC 8032 test 1) as JWK.
const p256 = {
  kty: "EC", crv: "P-256",
  d: "ya-p2EW6dRZrXCFXZ7HWk05Qw9s26JsSe4piKxIPZyE",
  x: "YP7UuiVanTHJYet0xjVtaMBJuJI7Yfps5mliLmDyn7Y",
  y: "eQP-EAi4vJmkGunpVii8ZPLxsgwtfp9Rd6PClNRGIpk",
};
const ed = {
  kty: "OKP", crv: "Ed25519",
  d: "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A",
  x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
};

export const probes = {
  "webcrypto: digest SHA-1": () => s.digest("SHA-1", enc("abc")),
  "webcrypto: digest SHA-256": () => s.digest("SHA-256", enc("abc")),
  "webcrypto: digest SHA-384 object alg": () => s.digest({ name: "sha-384" }, enc("abc")),
  "webcrypto: digest SHA-512 empty": () => s.digest("SHA-512", new Uint8Array(0)),
  "webcrypto: digest of a DataView slice": () => s.digest("SHA-256", new DataView(enc("xabcx").buffer, 1, 3)),
  "webcrypto: digest result type": async () => (await s.digest("SHA-256", enc("a"))) instanceof ArrayBuffer,
  "webcrypto: digest unknown": () => fails(() => s.digest("SHA-3", enc("a"))),
  "webcrypto: digest string data": () => fails(() => s.digest("SHA-256", "abc")),
  "webcrypto: digest no name": () => fails(() => s.digest({}, enc("a"))),

  "webcrypto: HMAC import info": async () => keyInfo(await hmacKey(key16)),
  "webcrypto: HMAC import lowercase names": async () => keyInfo(await s.importKey("raw", key16, { name: "hmac", hash: "sha-1" }, false, ["sign"])),
  "webcrypto: HMAC import with length": async () => keyInfo(await s.importKey("raw", key16, { name: "HMAC", hash: "SHA-256", length: 128 }, true, ["sign"])),
  "webcrypto: HMAC import bad length": () => fails(() => s.importKey("raw", key16, { name: "HMAC", hash: "SHA-256", length: 120 }, true, ["sign"])),
  "webcrypto: HMAC sign SHA-256": async () => s.sign("HMAC", await hmacKey(enc("key")), enc("The quick brown fox jumps over the lazy dog")),
  "webcrypto: HMAC sign SHA-1": async () => s.sign({ name: "HMAC" }, await hmacKey(enc("key"), "SHA-1"), enc("The quick brown fox jumps over the lazy dog")),
  "webcrypto: HMAC sign SHA-512": async () => s.sign("HMAC", await hmacKey(enc("key"), { name: "SHA-512" }), enc("abc")),
  "webcrypto: HMAC verify good": async () => {
    const k = await hmacKey(enc("key"));
    return s.verify("HMAC", k, await s.sign("HMAC", k, enc("m")), enc("m"));
  },
  "webcrypto: HMAC verify bad": async () => {
    const k = await hmacKey(enc("key"));
    const sig = new Uint8Array(await s.sign("HMAC", k, enc("m")));
    sig[0] ^= 1;
    return [await s.verify("HMAC", k, sig, enc("m")), await s.verify("HMAC", k, sig.slice(1), enc("m"))];
  },
  "webcrypto: HMAC no hash": () => fails(() => s.importKey("raw", key16, { name: "HMAC" }, true, ["sign"])),
  "webcrypto: HMAC empty usages": () => fails(() => hmacKey(key16, "SHA-256", [])),
  "webcrypto: HMAC bad usage": () => fails(() => hmacKey(key16, "SHA-256", ["encrypt"])),
  "webcrypto: HMAC unknown usage": () => fails(() => hmacKey(key16, "SHA-256", ["fly"])),
  "webcrypto: HMAC zero-length key": () => fails(() => hmacKey(new Uint8Array(0))),
  "webcrypto: HMAC sign needs sign usage": async () => fails(async () => s.sign("HMAC", await hmacKey(key16, "SHA-256", ["verify"]), enc("m"))),
  "webcrypto: HMAC export raw": async () => s.exportKey("raw", await hmacKey(key16)),
  "webcrypto: HMAC export jwk": async () => s.exportKey("jwk", await hmacKey(key16, "SHA-384")),
  "webcrypto: HMAC jwk round trip": async () => {
    const k = await s.importKey("jwk", { kty: "oct", k: "AAECAwQFBgcICQoLDA0ODw", alg: "HS256" }, { name: "HMAC", hash: "SHA-256" }, true, ["sign"]);
    return [keyInfo(k), await s.sign("HMAC", k, enc("x"))];
  },
  "webcrypto: HMAC jwk wrong alg": () => fails(() => s.importKey("jwk", { kty: "oct", k: "AAECAwQFBgcICQoLDA0ODw", alg: "HS512" }, { name: "HMAC", hash: "SHA-256" }, true, ["sign"])),
  "webcrypto: HMAC jwk wrong kty": () => fails(() => s.importKey("jwk", { kty: "RSA", k: "AAECAwQFBgcICQoLDA0ODw" }, { name: "HMAC", hash: "SHA-256" }, true, ["sign"])),
  "webcrypto: HMAC jwk ext false": () => fails(() => s.importKey("jwk", { kty: "oct", k: "AAECAwQFBgcICQoLDA0ODw", ext: false }, { name: "HMAC", hash: "SHA-256" }, true, ["sign"])),
  "webcrypto: HMAC jwk key_ops": () => fails(() => s.importKey("jwk", { kty: "oct", k: "AAECAwQFBgcICQoLDA0ODw", key_ops: ["verify"] }, { name: "HMAC", hash: "SHA-256" }, true, ["sign"])),
  // Node names it InvalidAccessException, workerd InvalidAccessError.
  "webcrypto: export not extractable": async () => ["InvalidAccessError", "InvalidAccessException"].includes(await fails(async () => s.exportKey("raw", await s.importKey("raw", key16, { name: "HMAC", hash: "SHA-256" }, false, ["sign"])))),
  "webcrypto: export bad format": async () => fails(async () => s.exportKey("pem", await hmacKey(key16))),
  "webcrypto: HMAC generate": async () => {
    const k = await s.generateKey({ name: "HMAC", hash: "SHA-512" }, true, ["sign"]);
    return [keyInfo(k), (await s.exportKey("raw", k)).byteLength];
  },
  "webcrypto: HMAC generate length": async () => keyInfo(await s.generateKey({ name: "HMAC", hash: "SHA-1", length: 128 }, false, ["verify"])),

  "webcrypto: PBKDF2 SHA-256 (SCRAM)": async () => {
    const k = await s.importKey("raw", enc("pencil"), "PBKDF2", false, ["deriveBits"]);
    return s.deriveBits({ name: "PBKDF2", salt: hex("9a1c8a5c3a9e2b1f6e2e6e0a0b8b8b0c"), iterations: 4096, hash: "SHA-256" }, k, 256);
  },
  "webcrypto: PBKDF2 SHA-1 RFC 6070": async () => {
    const k = await s.importKey("raw", enc("password"), { name: "PBKDF2" }, false, ["deriveBits"]);
    return s.deriveBits({ name: "PBKDF2", salt: enc("salt"), iterations: 2, hash: "SHA-1" }, k, 160);
  },
  "webcrypto: PBKDF2 key info": async () => keyInfo(await s.importKey("raw", enc("pw"), "PBKDF2", false, ["deriveBits", "deriveKey"])),
  "webcrypto: PBKDF2 extractable": () => fails(() => s.importKey("raw", enc("pw"), "PBKDF2", true, ["deriveBits"])),
  "webcrypto: PBKDF2 jwk": () => fails(() => s.importKey("jwk", { kty: "oct", k: "AA" }, "PBKDF2", false, ["deriveBits"])),
  "webcrypto: PBKDF2 zero iterations": async () => fails(async () => s.deriveBits({ name: "PBKDF2", salt: enc("s"), iterations: 0, hash: "SHA-256" }, await s.importKey("raw", enc("pw"), "PBKDF2", false, ["deriveBits"]), 256)),
  "webcrypto: PBKDF2 length not multiple of 8": async () => fails(async () => s.deriveBits({ name: "PBKDF2", salt: enc("s"), iterations: 1, hash: "SHA-256" }, await s.importKey("raw", enc("pw"), "PBKDF2", false, ["deriveBits"]), 7)),
  "webcrypto: PBKDF2 null length": async () => fails(async () => s.deriveBits({ name: "PBKDF2", salt: enc("s"), iterations: 1, hash: "SHA-256" }, await s.importKey("raw", enc("pw"), "PBKDF2", false, ["deriveBits"]), null)),
  "webcrypto: PBKDF2 no salt": async () => fails(async () => s.deriveBits({ name: "PBKDF2", iterations: 1, hash: "SHA-256" }, await s.importKey("raw", enc("pw"), "PBKDF2", false, ["deriveBits"]), 8)),
  "webcrypto: PBKDF2 wrong usage": async () => fails(async () => s.deriveBits({ name: "PBKDF2", salt: enc("s"), iterations: 1, hash: "SHA-256" }, await s.importKey("raw", enc("pw"), "PBKDF2", false, ["deriveKey"]), 8)),
  "webcrypto: PBKDF2 deriveKey AES": async () => {
    const base = await s.importKey("raw", enc("pw"), "PBKDF2", false, ["deriveKey"]);
    const k = await s.deriveKey({ name: "PBKDF2", salt: enc("salt"), iterations: 10, hash: "SHA-256" }, base, { name: "AES-GCM", length: 256 }, true, ["encrypt"]);
    return [keyInfo(k), await s.exportKey("raw", k)];
  },
  "webcrypto: PBKDF2 deriveKey HMAC": async () => {
    const base = await s.importKey("raw", enc("pw"), "PBKDF2", false, ["deriveKey"]);
    const k = await s.deriveKey({ name: "PBKDF2", salt: enc("salt"), iterations: 10, hash: "SHA-256" }, base, { name: "HMAC", hash: "SHA-1" }, true, ["sign"]);
    return [keyInfo(k), await s.exportKey("raw", k)];
  },

  "webcrypto: HKDF RFC 5869 case 1": async () => {
    const k = await s.importKey("raw", hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"), "HKDF", false, ["deriveBits"]);
    return s.deriveBits({ name: "HKDF", hash: "SHA-256", salt: hex("000102030405060708090a0b0c"), info: hex("f0f1f2f3f4f5f6f7f8f9") }, k, 42 * 8);
  },
  "webcrypto: HKDF empty salt and info": async () => {
    const k = await s.importKey("raw", hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"), "HKDF", false, ["deriveBits"]);
    return s.deriveBits({ name: "HKDF", hash: "SHA-1", salt: new Uint8Array(0), info: new Uint8Array(0) }, k, 42 * 8);
  },
  "webcrypto: HKDF no info": async () => fails(async () => s.deriveBits({ name: "HKDF", hash: "SHA-256", salt: enc("s") }, await s.importKey("raw", enc("k"), "HKDF", false, ["deriveBits"]), 8)),
  "webcrypto: HKDF too long": async () => fails(async () => s.deriveBits({ name: "HKDF", hash: "SHA-256", salt: enc("s"), info: enc("i") }, await s.importKey("raw", enc("k"), "HKDF", false, ["deriveBits"]), 255 * 32 * 8 + 8)),

  "webcrypto: AES-GCM encrypt": async () => s.encrypt({ name: "AES-GCM", iv: iv12 }, await aesKey("AES-GCM", key16), enc("hello world")),
  "webcrypto: AES-GCM encrypt aad tag 96": async () => s.encrypt({ name: "AES-GCM", iv: iv12, additionalData: enc("aad"), tagLength: 96 }, await aesKey("AES-GCM", key32), enc("hello world")),
  "webcrypto: AES-GCM round trip": async () => {
    const k = await aesKey("AES-GCM", key32);
    const ct = await s.encrypt({ name: "AES-GCM", iv: iv12, additionalData: enc("x") }, k, enc("secret"));
    return new TextDecoder().decode(await s.decrypt({ name: "AES-GCM", iv: iv12, additionalData: enc("x") }, k, ct));
  },
  "webcrypto: AES-GCM tampered": async () => {
    const k = await aesKey("AES-GCM", key16);
    const ct = new Uint8Array(await s.encrypt({ name: "AES-GCM", iv: iv12 }, k, enc("secret")));
    ct[0] ^= 1;
    return fails(() => s.decrypt({ name: "AES-GCM", iv: iv12 }, k, ct));
  },
  "webcrypto: AES-GCM short data": async () => fails(async () => s.decrypt({ name: "AES-GCM", iv: iv12 }, await aesKey("AES-GCM", key16), new Uint8Array(3))),
  "webcrypto: AES-GCM no iv": async () => fails(async () => s.encrypt({ name: "AES-GCM" }, await aesKey("AES-GCM", key16), enc("x"))),
  "webcrypto: AES-GCM bad tag length": async () => fails(async () => s.encrypt({ name: "AES-GCM", iv: iv12, tagLength: 100 }, await aesKey("AES-GCM", key16), enc("x"))),
  "webcrypto: AES-GCM 16-byte iv": async () => s.encrypt({ name: "AES-GCM", iv: iv16 }, await aesKey("AES-GCM", key16), enc("x")),
  "webcrypto: AES bad key length": () => fails(() => aesKey("AES-GCM", new Uint8Array(15))),
  "webcrypto: AES key info": async () => keyInfo(await aesKey("AES-CBC", key32, ["decrypt", "encrypt"])),
  "webcrypto: AES wrong algorithm for key": async () => fails(async () => s.encrypt({ name: "AES-CBC", iv: iv16 }, await aesKey("AES-GCM", key16), enc("x"))),
  "webcrypto: AES-CBC encrypt": async () => s.encrypt({ name: "AES-CBC", iv: iv16 }, await aesKey("AES-CBC", key16), enc("sixteen byte msg")),
  "webcrypto: AES-CBC encrypt empty": async () => s.encrypt({ name: "AES-CBC", iv: iv16 }, await aesKey("AES-CBC", key32), new Uint8Array(0)),
  "webcrypto: AES-CBC round trip": async () => {
    const k = await aesKey("AES-CBC", key16);
    return new TextDecoder().decode(await s.decrypt({ name: "AES-CBC", iv: iv16 }, k, await s.encrypt({ name: "AES-CBC", iv: iv16 }, k, enc("abc"))));
  },
  "webcrypto: AES-CBC bad padding": async () => {
    const k = await aesKey("AES-CBC", key16);
    return fails(() => s.decrypt({ name: "AES-CBC", iv: iv16 }, k, new Uint8Array(16)));
  },
  "webcrypto: AES-CBC short iv": async () => fails(async () => s.encrypt({ name: "AES-CBC", iv: iv12 }, await aesKey("AES-CBC", key16), enc("x"))),
  "webcrypto: AES-CTR encrypt": async () => s.encrypt({ name: "AES-CTR", counter: iv16, length: 64 }, await aesKey("AES-CTR", key16), enc("a message longer than one block of sixteen")),
  "webcrypto: AES-CTR counter wraps in its bits": async () => s.encrypt({ name: "AES-CTR", counter: hex("000102030405060708090a0b0c0d0eff"), length: 8 }, await aesKey("AES-CTR", key16), new Uint8Array(48)),
  "webcrypto: AES-CTR round trip": async () => {
    const k = await aesKey("AES-CTR", key32);
    const p = { name: "AES-CTR", counter: iv16, length: 128 };
    return new TextDecoder().decode(await s.decrypt(p, k, await s.encrypt(p, k, enc("counter mode"))));
  },
  "webcrypto: AES-CTR no length": async () => fails(async () => s.encrypt({ name: "AES-CTR", counter: iv16 }, await aesKey("AES-CTR", key16), enc("x"))),
  "webcrypto: AES-KW wrap raw AES": async () => {
    const kek = await s.importKey("raw", key16, "AES-KW", false, ["wrapKey", "unwrapKey"]);
    const k = await aesKey("AES-GCM", hex("00112233445566778899aabbccddeeff"));
    return s.wrapKey("raw", k, kek, "AES-KW");
  },
  "webcrypto: AES-KW unwrap": async () => {
    const kek = await s.importKey("raw", key16, "AES-KW", false, ["wrapKey", "unwrapKey"]);
    const k = await s.unwrapKey("raw", hex("1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5"), kek, "AES-KW", "AES-GCM", true, ["encrypt"]);
    return [keyInfo(k), await s.exportKey("raw", k)];
  },
  "webcrypto: AES-KW unwrap tampered": async () => {
    const kek = await s.importKey("raw", key16, "AES-KW", false, ["unwrapKey"]);
    return fails(() => s.unwrapKey("raw", hex("1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe6"), kek, "AES-KW", "AES-GCM", true, ["encrypt"]));
  },
  "webcrypto: AES-KW encrypt not supported": async () => fails(async () => s.encrypt({ name: "AES-KW" }, await s.importKey("raw", key16, "AES-KW", false, ["wrapKey"]), enc("x"))),
  "webcrypto: wrap jwk with AES-GCM": async () => {
    const wk = await aesKey("AES-GCM", key16, ["wrapKey", "unwrapKey"]);
    const k = await hmacKey(key16);
    const wrapped = await s.wrapKey("jwk", k, wk, { name: "AES-GCM", iv: iv12 });
    const back = await s.unwrapKey("jwk", wrapped, wk, { name: "AES-GCM", iv: iv12 }, { name: "HMAC", hash: "SHA-256" }, true, ["sign"]);
    return [keyInfo(back), await s.exportKey("raw", back)];
  },
  "webcrypto: AES export jwk": async () => s.exportKey("jwk", await aesKey("AES-CTR", key32)),
  "webcrypto: AES generate": async () => {
    const k = await s.generateKey({ name: "AES-GCM", length: 192 }, true, ["encrypt"]);
    return [keyInfo(k), (await s.exportKey("raw", k)).byteLength];
  },
  "webcrypto: AES generate bad length": () => fails(() => s.generateKey({ name: "AES-GCM", length: 100 }, true, ["encrypt"])),
  "webcrypto: generate empty usages": () => fails(() => s.generateKey({ name: "AES-CBC", length: 128 }, true, [])),

  "webcrypto: ECDSA jwk import": async () => keyInfo(await s.importKey("jwk", p256, { name: "ECDSA", namedCurve: "P-256" }, true, ["sign"])),
  "webcrypto: ECDSA export spki/pkcs8/raw/jwk": async () => {
    const priv = await s.importKey("jwk", p256, { name: "ECDSA", namedCurve: "P-256" }, true, ["sign"]);
    const pub = await s.importKey("jwk", { kty: p256.kty, crv: p256.crv, x: p256.x, y: p256.y }, { name: "ECDSA", namedCurve: "P-256" }, true, ["verify"]);
    return { spki: await s.exportKey("spki", pub), raw: await s.exportKey("raw", pub), jwk: await s.exportKey("jwk", priv), pubjwk: await s.exportKey("jwk", pub), pkcs8len: (await s.exportKey("pkcs8", priv)).byteLength };
  },
  "webcrypto: ECDSA sign/verify": async () => {
    const priv = await s.importKey("jwk", p256, { name: "ECDSA", namedCurve: "P-256" }, true, ["sign"]);
    const pub = await s.importKey("raw", hex("0460fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb67903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299"), { name: "ECDSA", namedCurve: "P-256" }, true, ["verify"]);
    const sig = await s.sign({ name: "ECDSA", hash: "SHA-256" }, priv, enc("sample"));
    const bad = new Uint8Array(sig);
    bad[5] ^= 1;
    return [sig.byteLength, await s.verify({ name: "ECDSA", hash: "SHA-256" }, pub, sig, enc("sample")), await s.verify({ name: "ECDSA", hash: "SHA-256" }, pub, bad, enc("sample")), await s.verify({ name: "ECDSA", hash: "SHA-384" }, pub, sig, enc("sample"))];
  },
  "webcrypto: ECDSA RFC 6979 signature verifies": async () => {
    const pub = await s.importKey("jwk", { kty: p256.kty, crv: p256.crv, x: p256.x, y: p256.y }, { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]);
    const sig = hex("efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8");
    return s.verify({ name: "ECDSA", hash: "SHA-256" }, pub, sig, enc("sample"));
  },
  "webcrypto: ECDSA generate": async () => {
    const kp = await s.generateKey({ name: "ECDSA", namedCurve: "P-384" }, false, ["sign", "verify"]);
    const sig = await s.sign({ name: "ECDSA", hash: "SHA-384" }, kp.privateKey, enc("m"));
    return [Object.keys(kp).sort(), keyInfo(kp.publicKey), keyInfo(kp.privateKey), sig.byteLength, await s.verify({ name: "ECDSA", hash: "SHA-384" }, kp.publicKey, sig, enc("m"))];
  },
  "webcrypto: ECDSA P-521 round trip": async () => {
    const kp = await s.generateKey({ name: "ECDSA", namedCurve: "P-521" }, true, ["sign", "verify"]);
    const sig = await s.sign({ name: "ECDSA", hash: "SHA-512" }, kp.privateKey, enc("m"));
    const back = await s.importKey("pkcs8", await s.exportKey("pkcs8", kp.privateKey), { name: "ECDSA", namedCurve: "P-521" }, true, ["sign"]);
    const pub = await s.importKey("spki", await s.exportKey("spki", kp.publicKey), { name: "ECDSA", namedCurve: "P-521" }, true, ["verify"]);
    return [sig.byteLength, keyInfo(back), await s.verify({ name: "ECDSA", hash: "SHA-512" }, pub, await s.sign({ name: "ECDSA", hash: "SHA-512" }, back, enc("n")), enc("n"))];
  },
  "webcrypto: ECDSA wrong curve": () => fails(() => s.importKey("jwk", p256, { name: "ECDSA", namedCurve: "P-384" }, true, ["sign"])),
  "webcrypto: ECDSA unknown curve": () => fails(() => s.generateKey({ name: "ECDSA", namedCurve: "P-192" }, true, ["sign"])),
  "webcrypto: ECDSA public key cannot sign": () => fails(() => s.importKey("jwk", { kty: p256.kty, crv: p256.crv, x: p256.x, y: p256.y }, { name: "ECDSA", namedCurve: "P-256" }, true, ["sign"])),
  "webcrypto: ECDSA bad spki": () => fails(() => s.importKey("spki", new Uint8Array(10), { name: "ECDSA", namedCurve: "P-256" }, true, ["verify"])),
  "webcrypto: ECDSA no hash": async () => fails(async () => s.sign({ name: "ECDSA" }, (await s.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign"])).privateKey, enc("m"))),
  "webcrypto: export private as spki": async () => fails(async () => s.exportKey("spki", await s.importKey("jwk", p256, { name: "ECDSA", namedCurve: "P-256" }, true, ["sign"]))),

  "webcrypto: ECDH derive both ways": async () => {
    const a = await s.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"]);
    const b = await s.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"]);
    const x = new Uint8Array(await s.deriveBits({ name: "ECDH", public: b.publicKey }, a.privateKey, 256));
    const y = new Uint8Array(await s.deriveBits({ name: "ECDH", public: a.publicKey }, b.privateKey, 256));
    return [x.length, x.every((v, i) => v === y[i]), keyInfo(a.publicKey), keyInfo(a.privateKey)];
  },
  "webcrypto: ECDH fixed key": async () => {
    const priv = await s.importKey("jwk", p256, { name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"]);
    const pub = await s.importKey("jwk", { kty: p256.kty, crv: p256.crv, x: p256.x, y: p256.y }, { name: "ECDH", namedCurve: "P-256" }, true, []);
    return [await s.deriveBits({ name: "ECDH", public: pub }, priv, 256), await s.deriveBits({ name: "ECDH", public: pub }, priv, 12), await s.deriveBits({ name: "ECDH", public: pub }, priv, null)];
  },
  "webcrypto: ECDH private as public": async () => {
    const a = await s.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"]);
    return fails(() => s.deriveBits({ name: "ECDH", public: a.privateKey }, a.privateKey, 256));
  },
  "webcrypto: ECDH too long": async () => {
    const a = await s.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"]);
    return fails(() => s.deriveBits({ name: "ECDH", public: a.publicKey }, a.privateKey, 264));
  },
  "webcrypto: ECDH curve mismatch": async () => {
    const a = await s.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"]);
    const b = await s.generateKey({ name: "ECDH", namedCurve: "P-384" }, true, ["deriveBits"]);
    return fails(() => s.deriveBits({ name: "ECDH", public: b.publicKey }, a.privateKey, 256));
  },
  "webcrypto: ECDH deriveKey AES": async () => {
    const priv = await s.importKey("jwk", p256, { name: "ECDH", namedCurve: "P-256" }, true, ["deriveKey"]);
    const pub = await s.importKey("jwk", { kty: p256.kty, crv: p256.crv, x: p256.x, y: p256.y }, { name: "ECDH", namedCurve: "P-256" }, true, []);
    const k = await s.deriveKey({ name: "ECDH", public: pub }, priv, { name: "AES-GCM", length: 128 }, true, ["encrypt"]);
    return s.exportKey("raw", k);
  },

  "webcrypto: Ed25519 sign RFC 8032": async () => {
    const k = await s.importKey("jwk", ed, "Ed25519", true, ["sign"]);
    return [keyInfo(k), await s.sign("Ed25519", k, new Uint8Array(0))];
  },
  "webcrypto: Ed25519 verify": async () => {
    const pub = await s.importKey("raw", hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"), { name: "Ed25519" }, true, ["verify"]);
    const sig = hex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    return [await s.verify("Ed25519", pub, sig, new Uint8Array(0)), await s.verify("Ed25519", pub, sig, new Uint8Array(1)), await s.exportKey("jwk", pub), await s.exportKey("spki", pub)];
  },
  "webcrypto: Ed25519 pkcs8 round trip": async () => {
    const k = await s.importKey("jwk", ed, "Ed25519", true, ["sign"]);
    const p8 = await s.exportKey("pkcs8", k);
    const back = await s.importKey("pkcs8", p8, "Ed25519", true, ["sign"]);
    return [p8, await s.exportKey("jwk", back)];
  },
  "webcrypto: Ed25519 generate": async () => {
    const kp = await s.generateKey("Ed25519", true, ["sign", "verify"]);
    const sig = await s.sign("Ed25519", kp.privateKey, enc("m"));
    return [keyInfo(kp.privateKey), keyInfo(kp.publicKey), await s.verify("Ed25519", kp.publicKey, sig, enc("m"))];
  },
  "webcrypto: Ed25519 bad raw": () => fails(() => s.importKey("raw", new Uint8Array(31), "Ed25519", true, ["verify"])),
  "webcrypto: X25519 RFC 7748": async () => {
    const alice = await s.importKey("pkcs8", hex("302e020100300506032b656e04220420" + "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"), "X25519", true, ["deriveBits"]);
    const bob = await s.importKey("raw", hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"), "X25519", true, []);
    return [keyInfo(alice), await s.deriveBits({ name: "X25519", public: bob }, alice, 256), await s.exportKey("jwk", alice)];
  },

  "webcrypto: RSA generate and sign RS256": async () => {
    const kp = await s.generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, true, ["sign", "verify"]);
    const sig = await s.sign("RSASSA-PKCS1-v1_5", kp.privateKey, enc("m"));
    const jwk = await s.exportKey("jwk", kp.privateKey);
    const back = await s.importKey("jwk", jwk, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, true, ["sign"]);
    const sig2 = await s.sign("RSASSA-PKCS1-v1_5", back, enc("m"));
    return [keyInfo(kp.publicKey), keyInfo(kp.privateKey), sig.byteLength, await s.verify("RSASSA-PKCS1-v1_5", kp.publicKey, sig, enc("m")),
      await s.verify("RSASSA-PKCS1-v1_5", kp.publicKey, sig, enc("n")), new Uint8Array(sig).every((v, i) => v === new Uint8Array(sig2)[i]), Object.keys(jwk).sort(), jwk.alg, jwk.e];
  },
  "webcrypto: RSA-PSS round trip via spki/pkcs8": async () => {
    const kp = await s.generateKey({ name: "RSA-PSS", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-384" }, true, ["sign", "verify"]);
    const priv = await s.importKey("pkcs8", await s.exportKey("pkcs8", kp.privateKey), { name: "RSA-PSS", hash: "SHA-384" }, true, ["sign"]);
    const pub = await s.importKey("spki", await s.exportKey("spki", kp.publicKey), { name: "RSA-PSS", hash: "SHA-384" }, true, ["verify"]);
    const sig = await s.sign({ name: "RSA-PSS", saltLength: 32 }, priv, enc("m"));
    return [keyInfo(pub), await s.verify({ name: "RSA-PSS", saltLength: 32 }, pub, sig, enc("m")), await s.verify({ name: "RSA-PSS", saltLength: 20 }, pub, sig, enc("m")), (await s.exportKey("jwk", pub)).alg];
  },
  "webcrypto: RSA-OAEP round trip": async () => {
    const kp = await s.generateKey({ name: "RSA-OAEP", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, true, ["encrypt", "decrypt"]);
    const ct = await s.encrypt({ name: "RSA-OAEP", label: enc("l") }, kp.publicKey, enc("secret"));
    return [keyInfo(kp.privateKey), ct.byteLength, new TextDecoder().decode(await s.decrypt({ name: "RSA-OAEP", label: enc("l") }, kp.privateKey, ct)),
      await fails(() => s.decrypt({ name: "RSA-OAEP" }, kp.privateKey, ct)), (await s.exportKey("jwk", kp.publicKey)).alg];
  },
  "webcrypto: RSA raw import": () => fails(() => s.importKey("raw", new Uint8Array(10), { name: "RSA-OAEP", hash: "SHA-256" }, true, ["encrypt"])),

  "webcrypto: CryptoKey constructor": () => fails(() => new CryptoKey()),
  "webcrypto: CryptoKey tag": async () => [Object.prototype.toString.call(await hmacKey(key16)), typeof CryptoKey, Object.prototype.toString.call(s), s instanceof SubtleCrypto],
  "webcrypto: algorithm is the same object": async () => {
    const k = await hmacKey(key16);
    return [k.algorithm === k.algorithm, k.usages === k.usages];
  },
  "webcrypto: unknown algorithm": () => fails(() => s.importKey("raw", key16, "FOO", true, ["sign"])),
  "webcrypto: number algorithm": () => fails(() => s.importKey("raw", key16, 5, true, ["sign"])),
  "webcrypto: bad key format": () => fails(() => s.importKey("pem", key16, "AES-GCM", true, ["encrypt"])),
  "webcrypto: string key data": () => fails(() => s.importKey("raw", "abc", "AES-GCM", true, ["encrypt"])),
  "webcrypto: sign with AES key": async () => fails(async () => s.sign("HMAC", await aesKey("AES-GCM", key16), enc("m"))),
  "webcrypto: sign with AES-GCM name": async () => fails(async () => s.sign("AES-GCM", await aesKey("AES-GCM", key16), enc("m"))),
  "webcrypto: not a key": () => fails(() => s.sign("HMAC", {}, enc("m"))),
  "webcrypto: getRandomValues": () => {
    const a = globalThis.crypto.getRandomValues(new Uint8Array(16));
    return [a.length, a instanceof Uint8Array];
  },
};
