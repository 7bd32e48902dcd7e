// workerd's Web Crypto extras: the Crypto class, crypto.DigestStream and the
// NODE-ED25519 algorithm name.
const hex = (b) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, "0")).join("");
const enc = (s) => new TextEncoder().encode(s);
// RFC 8032 test 1.
const rfcSecret = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
const rfcPublic = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
const rfcSig = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";
const fromHex = (h) => new Uint8Array(h.match(/../g).map((x) => parseInt(x, 16)));
const pkcs8 = (seed) => { const p = fromHex("302e020100300506032b657004220420"); const out = new Uint8Array(48); out.set(p); out.set(seed, 16); return out; };
export const probes = {
  "crypto-extra: Crypto class": () => [typeof Crypto, crypto instanceof Crypto, Object.prototype.toString.call(crypto), crypto.subtle instanceof SubtleCrypto, typeof crypto.DigestStream],
  "crypto-extra: Crypto constructor": () => new Crypto(),
  "crypto-extra: Crypto.prototype": () => Object.getOwnPropertyNames(Crypto.prototype).sort(),
  "crypto-extra: crypto own keys": () => Object.keys(crypto),
  "crypto-extra: DigestStream SHA-256": async () => {
    const s = new crypto.DigestStream("SHA-256");
    const w = s.getWriter();
    await w.write(enc("hello "));
    await w.write(enc("world"));
    await w.close();
    const d = await s.digest;
    return [d instanceof ArrayBuffer, hex(d), s.bytesWritten, s instanceof WritableStream];
  },
  "crypto-extra: DigestStream algorithm object": async () => {
    const s = new crypto.DigestStream({ name: "SHA-1" });
    const w = s.getWriter(); await w.write(new Uint8Array([97, 98, 99]).buffer); await w.close();
    return hex(await s.digest);
  },
  "crypto-extra: DigestStream empty": async () => { const s = new crypto.DigestStream("SHA-512"); await s.getWriter().close(); return hex(await s.digest); },
  "crypto-extra: DigestStream MD5": async () => { const s = new crypto.DigestStream("MD5"); const w = s.getWriter(); await w.write(enc("abc")); await w.close(); return hex(await s.digest); },
  "crypto-extra: DigestStream views": async () => { const s = new crypto.DigestStream("SHA-256"); const w = s.getWriter(); await w.write(new DataView(enc("xabcx").buffer, 1, 3)); await w.close(); return hex(await s.digest); },
  "crypto-extra: DigestStream string chunk": async () => { const s = new crypto.DigestStream("SHA-256"); const w = s.getWriter(); await w.write("abc"); await w.close(); return hex(await s.digest); },
  "crypto-extra: DigestStream number chunk": async () => { const s = new crypto.DigestStream("SHA-256"); const w = s.getWriter(); await w.write(5); },
  "crypto-extra: DigestStream unknown": () => new crypto.DigestStream("SHA-3"),
  "crypto-extra: DigestStream abort": async () => { const s = new crypto.DigestStream("SHA-256"); const d = s.digest; d.catch(() => {}); await s.abort(new RangeError("stop")); return d; },
  "crypto-extra: DigestStream pipeTo": async () => {
    const s = new crypto.DigestStream("SHA-256");
    await new Response("piped body").body.pipeTo(s);
    return [hex(await s.digest), s.bytesWritten];
  },
  "crypto-extra: DigestStream digest identity": () => { const s = new crypto.DigestStream("SHA-256"); return [s.digest === s.digest, s.digest instanceof Promise, s.bytesWritten]; },
  "crypto-extra: DigestStream global": () => typeof DigestStream,
  "crypto-extra: NODE-ED25519 import and verify": async () => {
    const key = await crypto.subtle.importKey("raw", fromHex(rfcPublic), { name: "NODE-ED25519", namedCurve: "NODE-ED25519" }, true, ["verify"]);
    const ok = await crypto.subtle.verify("NODE-ED25519", key, fromHex(rfcSig), new Uint8Array(0));
    return [ok, key.algorithm, key.type, key.usages];
  },
  "crypto-extra: NODE-ED25519 sign": async () => {
    const key = await crypto.subtle.importKey("pkcs8", pkcs8(fromHex(rfcSecret)), { name: "NODE-ED25519", namedCurve: "NODE-ED25519" }, false, ["sign"]);
    return [hex(await crypto.subtle.sign({ name: "NODE-ED25519" }, key, new Uint8Array(0))), key.algorithm];
  },
  "crypto-extra: NODE-ED25519 generate": async () => {
    const { publicKey, privateKey } = await crypto.subtle.generateKey({ name: "NODE-ED25519", namedCurve: "NODE-ED25519" }, true, ["sign", "verify"]);
    const sig = await crypto.subtle.sign("NODE-ED25519", privateKey, enc("m"));
    return [publicKey.algorithm, privateKey.algorithm, sig.byteLength, await crypto.subtle.verify("NODE-ED25519", publicKey, sig, enc("m")), (await crypto.subtle.exportKey("raw", publicKey)).byteLength];
  },
  "crypto-extra: NODE-ED25519 jwk": async () => {
    const key = await crypto.subtle.importKey("raw", fromHex(rfcPublic), { name: "NODE-ED25519", namedCurve: "NODE-ED25519" }, true, ["verify"]);
    return crypto.subtle.exportKey("jwk", key);
  },
  "crypto-extra: NODE-ED25519 without curve": async () => crypto.subtle.importKey("raw", fromHex(rfcPublic), { name: "NODE-ED25519" }, true, ["verify"]),
  "crypto-extra: NODE-ED25519 other curve": async () => crypto.subtle.importKey("raw", fromHex(rfcPublic), { name: "NODE-ED25519", namedCurve: "P-256" }, true, ["verify"]),
  "crypto-extra: NODE-ED25519 key with Ed25519": async () => {
    const key = await crypto.subtle.importKey("raw", fromHex(rfcPublic), { name: "NODE-ED25519", namedCurve: "NODE-ED25519" }, true, ["verify"]);
    return crypto.subtle.verify("Ed25519", key, fromHex(rfcSig), new Uint8Array(0));
  },
  "crypto-extra: lowercase node-ed25519": async () => (await crypto.subtle.importKey("raw", fromHex(rfcPublic), { name: "node-ed25519", namedCurve: "NODE-ED25519" }, true, ["verify"])).algorithm,
};
