// node:crypto and Web Crypto keys together: KeyObject.from(cryptoKey)
// (secret and asymmetric, extractable or not), CryptoKeys where node:crypto
// takes keys (createHmac, createCipheriv, sign/verify, createPublicKey,
// publicEncrypt). toCryptoKey is Node 23's, absent from the Node 20 that
// records these answers: isolates/modules/node_crypto_keys_test.go tests it.
import crypto from "node:crypto";

const c = crypto;
const { subtle } = c.webcrypto;
const err = (fn) => { try { const r = fn(); return { ok: r }; } catch (e) { return { name: e.name, code: e.code }; } };
const ecSec1 = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIAtj2w783oxOhsOaJPDfUvpp+Z1OWJRko9G4lgREBtGXoAoGCCqGSM49\nAwEHoUQDQgAESRBVQwuEp/d5IpUNydRTBJ1XOS5q1hRMUHnT8Fl5yx3JmS0LrjQc\nbDzAKvAAqj4yXY1ZGvP/MgF/gLsNtmnqBA==\n-----END EC PRIVATE KEY-----\n";
const pkcs8 = () => c.createPrivateKey(ecSec1).export({ format: "der", type: "pkcs8" });
const hmacKey = (extractable) => subtle.importKey("raw", Buffer.alloc(16, 7), { name: "HMAC", hash: "SHA-256" }, extractable, ["sign"]);
const ecKey = (extractable) => subtle.importKey("pkcs8", pkcs8(), { name: "ECDSA", namedCurve: "P-256" }, extractable, ["sign"]);
const desc = (k) => ({ type: k.type, asym: k.asymmetricKeyType, sym: k.symmetricKeySize, isKeyObject: k instanceof c.KeyObject });

export const probes = {
  "cryptokeys: KeyObject.from a secret key": async () => {
    const [a, b] = [c.KeyObject.from(await hmacKey(true)), c.KeyObject.from(await hmacKey(false))];
    return [desc(a), a.export().toString("hex"), desc(b), b.export().toString("hex")];
  },
  "cryptokeys: KeyObject.from a private and public key": async () => {
    const priv = c.KeyObject.from(await ecKey(false));
    const pub = c.KeyObject.from(await subtle.importKey("spki", c.createPublicKey(ecSec1).export({ format: "der", type: "spki" }), { name: "ECDSA", namedCurve: "P-256" }, true, ["verify"]));
    return [desc(priv), priv.equals(c.createPrivateKey(ecSec1)), priv.export({ format: "jwk" }), desc(pub), pub.export({ format: "pem", type: "spki" })];
  },
  "cryptokeys: KeyObject.from of generated keys": async () => {
    const pair = await subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"]);
    const aes = await subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt"]);
    return [desc(c.KeyObject.from(pair.privateKey)), desc(c.KeyObject.from(pair.publicKey)), desc(c.KeyObject.from(aes))];
  },
  "cryptokeys: KeyObject.from refuses what is no CryptoKey": () => [err(() => c.KeyObject.from({})), err(() => c.KeyObject.from(c.createSecretKey(Buffer.alloc(4)))), err(() => c.KeyObject.from())],
  "cryptokeys: createHmac with a CryptoKey": async () => [c.createHmac("sha256", await hmacKey(false)).update("x").digest("hex"), c.createHmac("sha256", Buffer.alloc(16, 7)).update("x").digest("hex")],
  "cryptokeys: createCipheriv with a CryptoKey": async () => {
    const k = await subtle.importKey("raw", Buffer.alloc(16, 1), "AES-CBC", false, ["encrypt"]);
    return c.createCipheriv("aes-128-cbc", k, Buffer.alloc(16)).final("hex");
  },
  "cryptokeys: sign and verify with CryptoKeys": async () => {
    const k = await ecKey(false);
    const sig = c.sign("sha256", Buffer.from("x"), k);
    const pub = await subtle.importKey("spki", c.createPublicKey(ecSec1).export({ format: "der", type: "spki" }), { name: "ECDSA", namedCurve: "P-256" }, true, ["verify"]);
    return [c.verify("sha256", Buffer.from("x"), pub, sig), c.verify("sha256", Buffer.from("x"), c.createPublicKey(ecSec1), sig), c.createVerify("sha256").update("x").verify({ key: pub }, sig)];
  },
  "cryptokeys: createPublicKey/createPrivateKey of CryptoKeys": async () => {
    const k = await ecKey(false);
    const pub = await subtle.importKey("spki", c.createPublicKey(ecSec1).export({ format: "der", type: "spki" }), { name: "ECDSA", namedCurve: "P-256" }, true, ["verify"]);
    return [err(() => desc(c.createPublicKey(k))), err(() => c.createPublicKey(pub)), err(() => c.createPrivateKey(k)), err(() => c.createPublicKey(c.KeyObject.from(pub)))];
  },
};
