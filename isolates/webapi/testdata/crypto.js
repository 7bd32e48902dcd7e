// crypto.subtle where edgerun follows workerd rather than Node (the rest is
// compared with Node's answers: testdata/nodeprobes/probes/webcrypto.js).

const enc = (t) => new TextEncoder().encode(t);
const hexOf = (b) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, "0")).join("");

test("subtle: MD5 digest (workerd's extension)", async () => {
  eq(hexOf(await crypto.subtle.digest("MD5", enc("abc"))), "900150983cd24fb0d6963f7d28e17f72");
});

test("subtle: timingSafeEqual (workerd's extension)", () => {
  eq(crypto.subtle.timingSafeEqual(enc("abc"), enc("abc")), true);
  eq(crypto.subtle.timingSafeEqual(enc("abc"), enc("abd")), false);
  throws(() => crypto.subtle.timingSafeEqual(enc("abc"), enc("ab")), TypeError);
});

test("subtle: PBKDF2 above workerd's 100000 iterations is NotSupportedError", async () => {
  const k = await crypto.subtle.importKey("raw", enc("pw"), "PBKDF2", false, ["deriveBits"]);
  const e = await rejects(crypto.subtle.deriveBits({ name: "PBKDF2", salt: enc("s"), iterations: 100001, hash: "SHA-256" }, k, 256));
  eq(e.name, "NotSupportedError");
});

test("subtle: a non-extractable key's export is InvalidAccessError (Node says InvalidAccessException)", async () => {
  const k = await crypto.subtle.importKey("raw", enc("key"), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  eq((await rejects(crypto.subtle.exportKey("raw", k))).name, "InvalidAccessError");
});

test("subtle: wrap jwk", async () => {
  const iv = new Uint8Array(12);
  const wk = await crypto.subtle.importKey("raw", new Uint8Array(16), "AES-GCM", true, ["wrapKey", "unwrapKey"]);
  const k = await crypto.subtle.importKey("raw", enc("0123456789abcdef"), { name: "HMAC", hash: "SHA-256" }, true, ["sign"]);
  const wrapped = await crypto.subtle.wrapKey("jwk", k, wk, { name: "AES-GCM", iv });
  const back = await crypto.subtle.unwrapKey("jwk", wrapped, wk, { name: "AES-GCM", iv }, { name: "HMAC", hash: "SHA-256" }, true, ["sign"]);
  eq(back.algorithm.length, 128);
});

test("subtle: ECDSA public key with sign usage", async () => {
  const kp = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]);
  const jwk = await crypto.subtle.exportKey("jwk", kp.publicKey);
  const e = await rejects(crypto.subtle.importKey("jwk", jwk, { name: "ECDSA", namedCurve: "P-256" }, true, ["sign"]));
  eq(e.name, "SyntaxError");
});

test("subtle: HMAC length may leave up to 7 bits unused (workerd, the spec; Node wants them equal)", async () => {
  const k = await crypto.subtle.importKey("raw", new Uint8Array(16), { name: "HMAC", hash: "SHA-256", length: 121 }, true, ["sign"]);
  eq(k.algorithm.length, 121);
  const e = await rejects(crypto.subtle.importKey("raw", new Uint8Array(16), { name: "HMAC", hash: "SHA-256", length: 120 }, true, ["sign"]));
  eq(e.name, "DataError");
  const g = await crypto.subtle.generateKey({ name: "HMAC", hash: "SHA-1", length: 100 }, true, ["sign"]);
  eq([g.algorithm.length, (await crypto.subtle.exportKey("raw", g)).byteLength], [100, 13]);
});
