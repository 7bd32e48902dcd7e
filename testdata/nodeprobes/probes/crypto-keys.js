// node:crypto's key pairs and signatures: KeyObjects from PEM, DER and
// JWK, their exports, Sign/Verify and sign/verify (RSA PKCS#1 v1.5 and
// Ed25519 signatures are deterministic: compared byte for byte; PSS and
// ECDSA ones made by Node are verified here, and ours verified by the
// same key), generateKeyPairSync. Fixed throw-away keys made by Node.
import crypto from "node:crypto";

const rsaPkcs8 = "-----BEGIN PRIVATE KEY-----\nMIICdwIBADANBgkqhkiG9w0BAQEFAASCAmEwggJdAgEAAoGBANZ5rFoM77QPCnwK\n100dDn8RGNL9Gy7t/Oh6UBq2h28lhBQfZyv8Z/jixBYy7zpW5apL8xFBMyF1B2O/\nNCqundx+asruKNytsXyHUl53yexoCHMB6ept1aMrgJSdRjPXuofblh0ruAWsN8fI\niHELAQ14+aUvowPTD5z4G+zqpn0xAgMBAAECgYBEjQFEiwv2fjQ4r3JfaGEgxgMs\nNNACcPi8CZQe5aZmJRSRJfRg/7zvtPM9sSv7dpjTlJDtO+yuzev9urheyA8WO6nn\nUFc6ravlMG5RLKzUeKSIVShbA2kaIk4rd0KYDoAdBnpveA2P0ETX7bdQrSuW+KST\nQcPIiWzHUgJ1iTg6UQJBAPaSSQlGpazKROmZZMA9gFEelqdSUTbShaQCk1+73oxR\ncugVG6kE6X4yeTx8z77220OpXQgOiPd5UzAjQOb0dnUCQQDerTIAFOieAFJQ0eAH\nIjq4yOyyk8iJ6HEX+y2r/vUWUajMKGoIlXZ5E3gLN67hlsB2Klw+B7Lm9hT/9b6O\n3+xNAkEAlbAVGsaCybU5xL7UxUgQ4C47s3RrzWZcr0bJBTNeVb0UjwRReHh875ng\ns/HphLsEPb1RtxRr3iEPeYfNXOhICQJBAKsOEOLPLQJy7Mj48EeKm+FnN6zWqa6G\nyJnLcgI2EL/cavap9QozBpdrxUOYutbAn4gmckWUVHHnh6o4dPH8QeECQAUS5Jcz\nCwi3J5Ca5GmAQHtj98qd9I3cNtjqTpNJx7Wu+x+cNGi0pUUKSNqOL7xSf2qAqtuA\nLsgXG2R79LxOIm4=\n-----END PRIVATE KEY-----\n";
const rsaPkcs1 = "-----BEGIN RSA PRIVATE KEY-----\nMIICXQIBAAKBgQDWeaxaDO+0Dwp8CtdNHQ5/ERjS/Rsu7fzoelAatodvJYQUH2cr\n/Gf44sQWMu86VuWqS/MRQTMhdQdjvzQqrp3cfmrK7ijcrbF8h1Jed8nsaAhzAenq\nbdWjK4CUnUYz17qH25YdK7gFrDfHyIhxCwENePmlL6MD0w+c+Bvs6qZ9MQIDAQAB\nAoGARI0BRIsL9n40OK9yX2hhIMYDLDTQAnD4vAmUHuWmZiUUkSX0YP+877TzPbEr\n+3aY05SQ7Tvsrs3r/bq4XsgPFjup51BXOq2r5TBuUSys1HikiFUoWwNpGiJOK3dC\nmA6AHQZ6b3gNj9BE1+23UK0rlvikk0HDyIlsx1ICdYk4OlECQQD2kkkJRqWsykTp\nmWTAPYBRHpanUlE20oWkApNfu96MUXLoFRupBOl+Mnk8fM++9ttDqV0IDoj3eVMw\nI0Dm9HZ1AkEA3q0yABTongBSUNHgByI6uMjsspPIiehxF/stq/71FlGozChqCJV2\neRN4Czeu4ZbAdipcPgey5vYU//W+jt/sTQJBAJWwFRrGgsm1OcS+1MVIEOAuO7N0\na81mXK9GyQUzXlW9FI8EUXh4fO+Z4LPx6YS7BD29UbcUa94hD3mHzVzoSAkCQQCr\nDhDizy0CcuzI+PBHipvhZzes1qmuhsiZy3ICNhC/3Gr2qfUKMwaXa8VDmLrWwJ+I\nJnJFlFRx54eqOHTx/EHhAkAFEuSXMwsItyeQmuRpgEB7Y/fKnfSN3DbY6k6TSce1\nrvsfnDRotKVFCkjaji+8Un9qgKrbgC7IFxtke/S8TiJu\n-----END RSA PRIVATE KEY-----\n";
const rsaSpki = "-----BEGIN PUBLIC KEY-----\nMIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDWeaxaDO+0Dwp8CtdNHQ5/ERjS\n/Rsu7fzoelAatodvJYQUH2cr/Gf44sQWMu86VuWqS/MRQTMhdQdjvzQqrp3cfmrK\n7ijcrbF8h1Jed8nsaAhzAenqbdWjK4CUnUYz17qH25YdK7gFrDfHyIhxCwENePml\nL6MD0w+c+Bvs6qZ9MQIDAQAB\n-----END PUBLIC KEY-----\n";
const ecSec1 = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIAtj2w783oxOhsOaJPDfUvpp+Z1OWJRko9G4lgREBtGXoAoGCCqGSM49\nAwEHoUQDQgAESRBVQwuEp/d5IpUNydRTBJ1XOS5q1hRMUHnT8Fl5yx3JmS0LrjQc\nbDzAKvAAqj4yXY1ZGvP/MgF/gLsNtmnqBA==\n-----END EC PRIVATE KEY-----\n";
const ecSpki = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAESRBVQwuEp/d5IpUNydRTBJ1XOS5q\n1hRMUHnT8Fl5yx3JmS0LrjQcbDzAKvAAqj4yXY1ZGvP/MgF/gLsNtmnqBA==\n-----END PUBLIC KEY-----\n";
const edPkcs8 = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIKxcqxpvE2nEjqCsWXGN8hMnlBsSGuul/JEp8kf01tA1\n-----END PRIVATE KEY-----\n";
const edSpki = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAS7OwKdoVVnw5ZPzaghgWLYZda8i1RzyMmjcQruCBuCg=\n-----END PUBLIC KEY-----\n";
const psSig = "p2vlMBNCUPHL9Hkon9rlGyZGhmMxGdeQHjOzGnsmF0as4TkQD4s1gj2G7m5icY+VF0n67a7XH/uJ+NcWJJeegb33lopT0iLDdawTufTysIhk9oa8Lv5q1EvESPwRvMPoF7TklHFjPIvBzzlZ15Q7pnEtveD8TLtPxQldxDm6jCk=";
const ecDer = "MEYCIQC5+zZolJaF6mX6Q2jY8x69d7I5OZRuoVFNGDdejVFFqgIhAK8WuDB9QGTdUUmyFHqbSy0chk6XHhSicqdJwv5gVPzP";
const ecP1363 = "OfeexMyxHWyRQGtl1zxGw++txhEJ25zIqY5asbAAXQh/09fD124UbnMbai9l6ix0g/7JCMdEVNAd+pUm7+bb6A==";
const data = "signed by node";
const err = (fn) => { try { fn(); return "no error"; } catch (e) { return { name: e.name, code: e.code }; } };
const desc = (k) => ({ type: k.type, asym: k.asymmetricKeyType, details: k.asymmetricKeyDetails, sym: k.symmetricKeySize,
  tag: Object.prototype.toString.call(k), isKeyObject: k instanceof crypto.KeyObject });

export const probes = {
  "crypto-keys: createPrivateKey/createPublicKey from PEM": () => ({
    rsa8: desc(crypto.createPrivateKey(rsaPkcs8)), rsa1: desc(crypto.createPrivateKey(rsaPkcs1)),
    rsaPub: desc(crypto.createPublicKey(rsaSpki)), rsaPubOfPriv: desc(crypto.createPublicKey(rsaPkcs8)),
    ec: desc(crypto.createPrivateKey(ecSec1)), ecPub: desc(crypto.createPublicKey(ecSpki)),
    ed: desc(crypto.createPrivateKey(edPkcs8)), edPub: desc(crypto.createPublicKey({ key: edSpki, format: "pem" })),
    fromKeyObject: desc(crypto.createPublicKey(crypto.createPrivateKey(ecSec1))),
  }),
  "crypto-keys: export PEM and DER": () => {
    const rsa = crypto.createPrivateKey(rsaPkcs1), ec = crypto.createPrivateKey(ecSec1), ed = crypto.createPrivateKey(edPkcs8);
    return {
      rsa8: rsa.export({ format: "pem", type: "pkcs8" }) === rsaPkcs8,
      rsa1: rsa.export({ format: "pem", type: "pkcs1" }) === rsaPkcs1,
      rsaSpki: crypto.createPublicKey(rsa).export({ format: "pem", type: "spki" }) === rsaSpki,
      rsaPub1: crypto.createPublicKey(rsa).export({ format: "pem", type: "pkcs1" }),
      ecSec1: ec.export({ format: "pem", type: "sec1" }) === ecSec1,
      ecSpkiDer: crypto.createPublicKey(ec).export({ format: "der", type: "spki" }),
      edSpki: crypto.createPublicKey(ed).export({ format: "pem", type: "spki" }) === edSpki,
      derRoundTrip: crypto.createPrivateKey({ key: rsa.export({ format: "der", type: "pkcs8" }), format: "der", type: "pkcs8" }).equals(rsa),
    };
  },
  "crypto-keys: JWK": () => {
    const rsa = crypto.createPrivateKey(rsaPkcs8), ec = crypto.createPrivateKey(ecSec1), ed = crypto.createPrivateKey(edPkcs8);
    const pub = crypto.createPublicKey(ec).export({ format: "jwk" });
    return {
      rsa: rsa.export({ format: "jwk" }), ec: ec.export({ format: "jwk" }), ed: ed.export({ format: "jwk" }), pub,
      back: crypto.createPrivateKey({ key: ec.export({ format: "jwk" }), format: "jwk" }).equals(ec),
      backPub: crypto.createPublicKey({ key: pub, format: "jwk" }).equals(crypto.createPublicKey(ec)),
    };
  },
  "crypto-keys: RSA PKCS#1 v1.5 signatures (jsonwebtoken's way)": () => {
    const s = crypto.createSign("RSA-SHA256").update("header.").update("payload").sign(rsaPkcs8, "base64");
    return {
      sig: s,
      sha512: crypto.createSign("sha512").update(data).sign(crypto.createPrivateKey(rsaPkcs1)),
      oneShot: crypto.sign("sha256", Buffer.from(data), rsaPkcs8),
      verify: crypto.createVerify("RSA-SHA256").update("header.payload").verify(rsaSpki, s, "base64"),
      verifyBad: crypto.createVerify("RSA-SHA256").update("header.payloaX").verify(rsaSpki, s, "base64"),
      verifyOneShot: crypto.verify("sha256", Buffer.from("header.payload"), rsaSpki, Buffer.from(s, "base64")),
    };
  },
  "crypto-keys: RSA-PSS": () => {
    const key = { key: rsaPkcs8, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
    const ours = crypto.sign("sha256", Buffer.from(data), key);
    const pub = { key: rsaSpki, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
    return {
      nodes: crypto.verify("sha256", Buffer.from(data), pub, Buffer.from(psSig, "base64")),
      ours: crypto.verify("sha256", Buffer.from(data), pub, ours),
      auto: crypto.verify("sha256", Buffer.from(data), { key: rsaSpki, padding: 6 }, ours),
      notPkcs1: crypto.verify("sha256", Buffer.from(data), rsaSpki, ours),
      length: ours.length,
    };
  },
  "crypto-keys: ECDSA in DER and ieee-p1363": () => {
    const ours = crypto.createSign("sha256").update(data).sign(ecSec1);
    const p = crypto.sign("sha256", Buffer.from(data), { key: ecSec1, dsaEncoding: "ieee-p1363" });
    return {
      nodesDer: crypto.verify("sha256", Buffer.from(data), ecSpki, Buffer.from(ecDer, "base64")),
      nodesP1363: crypto.verify("sha256", Buffer.from(data), { key: ecSpki, dsaEncoding: "ieee-p1363" }, Buffer.from(ecP1363, "base64")),
      p1363AsDer: crypto.verify("sha256", Buffer.from(data), ecSpki, Buffer.from(ecP1363, "base64")),
      oursDer: crypto.createVerify("sha256").update(data).verify(ecSpki, ours),
      derFirstByte: ours[0], p1363Length: p.length,
      oursP1363: crypto.verify("sha256", Buffer.from(data), { key: ecSpki, dsaEncoding: "ieee-p1363" }, p),
    };
  },
  "crypto-keys: Ed25519": () => ({
    sig: crypto.sign(null, Buffer.from(data), edPkcs8),
    verify: crypto.verify(null, Buffer.from(data), edSpki, crypto.sign(null, Buffer.from(data), edPkcs8)),
    verifyBad: crypto.verify(undefined, Buffer.from("other"), edSpki, crypto.sign(null, Buffer.from(data), edPkcs8)),
  }),
  "crypto-keys: sign with a callback": () => new Promise((resolve) => {
    crypto.sign("sha256", Buffer.from(data), rsaPkcs8, (e, sig) => resolve({ e, sig }));
  }),
  "crypto-keys: Sign is a stream": () => new Promise((resolve) => {
    const s = crypto.createSign("sha256");
    s.write("header.");
    s.end("payload", () => resolve({ sig: s.sign(rsaPkcs8, "hex").slice(0, 32), writable: s.writable }));
  }),
  "crypto-keys: generateKeyPairSync": () => {
    const out = {};
    for (const [type, o] of [["rsa", { modulusLength: 1024 }], ["ec", { namedCurve: "P-384" }], ["ed25519", {}], ["x25519", {}]]) {
      const { publicKey, privateKey } = crypto.generateKeyPairSync(type, o);
      out[type] = { pub: desc(publicKey), priv: desc(privateKey),
        works: type === "x25519" ? null : crypto.verify(type === "ed25519" ? null : "sha256", Buffer.from(data), publicKey,
          crypto.sign(type === "ed25519" ? null : "sha256", Buffer.from(data), privateKey)) };
    }
    const pem = crypto.generateKeyPairSync("ec", { namedCurve: "prime256v1", publicKeyEncoding: { type: "spki", format: "pem" },
      privateKeyEncoding: { type: "pkcs8", format: "pem" } });
    out.encoded = [typeof pem.publicKey, pem.publicKey.split("\n")[0], pem.privateKey.split("\n")[0]];
    return out;
  },
  "crypto-keys: generateKeyPair": () => new Promise((resolve) => {
    crypto.generateKeyPair("ed25519", (e, pub, priv) => resolve({ e, pub: desc(pub), priv: desc(priv) }));
  }),
  "crypto-keys: errors": () => ({
    badDigest: err(() => crypto.createSign("nope")),
    badPem: err(() => crypto.createPrivateKey("not a key")),
    noType: err(() => crypto.createPrivateKey(rsaPkcs8).export({ format: "der" })),
    badType: err(() => crypto.createPublicKey(rsaSpki).export({ format: "pem", type: "pkcs8" })),
    publicToSign: err(() => crypto.createSign("sha256").update("x").sign(crypto.createPublicKey(rsaSpki))),
    secretToSign: err(() => crypto.sign("sha256", Buffer.from("x"), crypto.createSecretKey(Buffer.alloc(8)))),
    badKeyArg: err(() => crypto.createPrivateKey(42)),
    badCurve: err(() => crypto.generateKeyPairSync("ec", { namedCurve: "nope" })),
    badKeyType: err(() => crypto.generateKeyPairSync("dsa2", {})),
    badAlg: err(() => crypto.createSign(1)),
  }),
  // Last: in Node, comparing keys of different types leaves an OpenSSL
  // error behind that the next signature reports.
  "crypto-keys: equals": () => {
    const a = crypto.createPrivateKey(rsaPkcs8), b = crypto.createPrivateKey(rsaPkcs1), c = crypto.createPrivateKey(ecSec1);
    return [a.equals(b), a.equals(c), a.equals(crypto.createPublicKey(a)), crypto.createPublicKey(a).equals(crypto.createPublicKey(rsaSpki))];
  },
};
