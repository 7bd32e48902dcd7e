// node:crypto's RSA encryption: publicEncrypt/privateDecrypt (OAEP with
// oaepHash and oaepLabel; PKCS#1 v1.5 encryption, whose decryption Node
// refuses), privateEncrypt/publicDecrypt (PKCS#1 v1.5, deterministic:
// compared byte for byte), RSA_NO_PADDING's public side, and Node's errors.
// The OAEP ciphertexts were made by Node with the fixed key below.
import crypto from "node:crypto";

const c = crypto;
const rsaPkcs8 = "-----BEGIN PRIVATE KEY-----\nMIICdwIBADANBgkqhkiG9w0BAQEFAASCAmEwggJdAgEAAoGBANZ5rFoM77QPCnwK\n100dDn8RGNL9Gy7t/Oh6UBq2h28lhBQfZyv8Z/jixBYy7zpW5apL8xFBMyF1B2O/\nNCqundx+asruKNytsXyHUl53yexoCHMB6ept1aMrgJSdRjPXuofblh0ruAWsN8fI\niHELAQ14+aUvowPTD5z4G+zqpn0xAgMBAAECgYBEjQFEiwv2fjQ4r3JfaGEgxgMs\nNNACcPi8CZQe5aZmJRSRJfRg/7zvtPM9sSv7dpjTlJDtO+yuzev9urheyA8WO6nn\nUFc6ravlMG5RLKzUeKSIVShbA2kaIk4rd0KYDoAdBnpveA2P0ETX7bdQrSuW+KST\nQcPIiWzHUgJ1iTg6UQJBAPaSSQlGpazKROmZZMA9gFEelqdSUTbShaQCk1+73oxR\ncugVG6kE6X4yeTx8z77220OpXQgOiPd5UzAjQOb0dnUCQQDerTIAFOieAFJQ0eAH\nIjq4yOyyk8iJ6HEX+y2r/vUWUajMKGoIlXZ5E3gLN67hlsB2Klw+B7Lm9hT/9b6O\n3+xNAkEAlbAVGsaCybU5xL7UxUgQ4C47s3RrzWZcr0bJBTNeVb0UjwRReHh875ng\ns/HphLsEPb1RtxRr3iEPeYfNXOhICQJBAKsOEOLPLQJy7Mj48EeKm+FnN6zWqa6G\nyJnLcgI2EL/cavap9QozBpdrxUOYutbAn4gmckWUVHHnh6o4dPH8QeECQAUS5Jcz\nCwi3J5Ca5GmAQHtj98qd9I3cNtjqTpNJx7Wu+x+cNGi0pUUKSNqOL7xSf2qAqtuA\nLsgXG2R79LxOIm4=\n-----END PRIVATE KEY-----\n";
const rsaSpki = "-----BEGIN PUBLIC KEY-----\nMIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDWeaxaDO+0Dwp8CtdNHQ5/ERjS\n/Rsu7fzoelAatodvJYQUH2cr/Gf44sQWMu86VuWqS/MRQTMhdQdjvzQqrp3cfmrK\n7ijcrbF8h1Jed8nsaAhzAenqbdWjK4CUnUYz17qH25YdK7gFrDfHyIhxCwENePml\nL6MD0w+c+Bvs6qZ9MQIDAQAB\n-----END PUBLIC KEY-----\n";
const ecSec1 = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIAtj2w783oxOhsOaJPDfUvpp+Z1OWJRko9G4lgREBtGXoAoGCCqGSM49\nAwEHoUQDQgAESRBVQwuEp/d5IpUNydRTBJ1XOS5q1hRMUHnT8Fl5yx3JmS0LrjQc\nbDzAKvAAqj4yXY1ZGvP/MgF/gLsNtmnqBA==\n-----END EC PRIVATE KEY-----\n";
const byNode = {
  oaepSha1: "l3D9MpcwO6U9mfvBojRKRNIlDG1Gn4QfOhbUzDa107iSfse7zHFE9Ep1SlgUEPYOfc6OR4McEhsHlDrwgCuuNaVk4ILgMREeRwMr5FAsWI86NNXH7vxB5pnXcsrGTEpx9NDjrIzr6YONbZjRS5EQqcYBw3txuBTU0Nhbfw1/7uk=",
  oaep256: "iGn8dX+sJdtXKHhsrQyli+t5DwDT/Juz3urYivVmh3OzKYbqwFSNX0hi1Ag2kyi/kcdlHDBMpGFHcNsh6CwIQCQKKeA8VUH69rkqmPSS2rgGyQvdC0+yTSniA9SneARz4TgCRzucaMBNn8fGTeIMyCVACmOfFlSYnGwDPytYDTc=",
  pkcs1: "bgDwM4FiNEGIlJhvmF3Yfw8wToS0r7TqMZJ+MgPdhiX0riIQU4ZfG+u04KjNnhBuZMQFl/Uu8T1WbdZF2x0f+1yzLMIEvQqKc40vE4L9VboYZLjwKFGQcgN4Det0TybbyNmuuTDTjfSLRZOXPWWpkR9QI3jNoqHEp0DvN7oddl4=",
};
const err = (fn) => { try { const r = fn(); return { ok: r }; } catch (e) { return { name: e.name, code: e.code }; } };
const priv = c.createPrivateKey(rsaPkcs8);
const pub = c.createPublicKey(rsaSpki);
const b64 = (s) => Buffer.from(s, "base64");

export const probes = {
  "rsa: privateDecrypt Node's OAEP (sha1, sha256 with label)": () => [
    c.privateDecrypt(priv, b64(byNode.oaepSha1)).toString(),
    c.privateDecrypt(rsaPkcs8, b64(byNode.oaepSha1)).toString(),
    c.privateDecrypt({ key: priv, oaepHash: "sha256", oaepLabel: Buffer.from("label") }, b64(byNode.oaep256)).toString(),
    c.privateDecrypt({ key: rsaPkcs8, padding: c.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "SHA256", oaepLabel: "label" }, b64(byNode.oaep256)).toString(),
  ],
  "rsa: OAEP round trips": () => {
    const rt = (o, data) => c.privateDecrypt({ key: priv, ...o }, c.publicEncrypt({ key: pub, ...o }, data)).toString();
    return [rt({}, "default"), rt({ oaepHash: "sha224" }, "sha224"), rt({ oaepHash: "sha384", oaepLabel: Buffer.from([1, 2]) }, Buffer.from("label")),
      c.publicEncrypt(pub, "x").length, c.publicEncrypt(priv, "from a private key").length, c.publicEncrypt(rsaSpki, new Uint8Array([1])).length,
      c.publicEncrypt(rsaPkcs8, "x").length];
  },
  "rsa: OAEP wrong label, hash or data": () => [
    err(() => c.privateDecrypt({ key: priv, oaepHash: "sha256" }, b64(byNode.oaep256))),
    err(() => c.privateDecrypt(priv, b64(byNode.oaep256))),
    err(() => c.privateDecrypt(priv, Buffer.alloc(128))),
    err(() => c.privateDecrypt(priv, Buffer.alloc(12))),
  ],
  "rsa: PKCS#1 v1.5 encryption": () => [
    c.publicEncrypt({ key: pub, padding: c.constants.RSA_PKCS1_PADDING }, "pkcs1").length,
    err(() => c.privateDecrypt({ key: priv, padding: c.constants.RSA_PKCS1_PADDING }, b64(byNode.pkcs1))),
  ],
  "rsa: privateEncrypt is deterministic and publicDecrypt undoes it": () => {
    const sig = c.privateEncrypt(priv, Buffer.from("signed by privateEncrypt"));
    return [sig.toString("base64"), c.publicDecrypt(pub, sig).toString(), c.publicDecrypt(priv, sig).toString(), c.publicDecrypt(rsaSpki, sig).toString(),
      c.privateEncrypt({ key: rsaPkcs8, padding: 1 }, "").toString("hex").slice(0, 16)];
  },
  "rsa: RSA_NO_PADDING public side": () => {
    const m = Buffer.alloc(128, 1);
    m[0] = 0;
    const ct = c.publicEncrypt({ key: pub, padding: c.constants.RSA_NO_PADDING }, m);
    return [ct.toString("hex"), c.publicDecrypt({ key: pub, padding: c.constants.RSA_NO_PADDING }, ct).length,
      err(() => c.publicEncrypt({ key: pub, padding: 3 }, Buffer.alloc(12))), err(() => c.publicEncrypt({ key: pub, padding: 3 }, Buffer.alloc(129))),
      err(() => c.publicEncrypt({ key: pub, padding: 3 }, Buffer.alloc(128, 0xff)))];
  },
  "rsa: sizes": () => [
    err(() => c.publicEncrypt(pub, Buffer.alloc(86)).length), err(() => c.publicEncrypt(pub, Buffer.alloc(87))),
    err(() => c.publicEncrypt({ key: pub, oaepHash: "sha256" }, Buffer.alloc(63)).length), err(() => c.publicEncrypt({ key: pub, oaepHash: "sha256" }, Buffer.alloc(64))),
    err(() => c.publicEncrypt({ key: pub, padding: 1 }, Buffer.alloc(117)).length), err(() => c.publicEncrypt({ key: pub, padding: 1 }, Buffer.alloc(118))),
    err(() => c.privateEncrypt(priv, Buffer.alloc(117)).length), err(() => c.privateEncrypt(priv, Buffer.alloc(118))),
  ],
  "rsa: publicDecrypt of garbage": () => [err(() => c.publicDecrypt(pub, Buffer.alloc(128))), err(() => c.publicDecrypt(pub, Buffer.alloc(129, 1)))],
  "rsa: argument errors": () => [
    err(() => c.publicEncrypt(5, Buffer.alloc(1))),
    err(() => c.publicEncrypt(pub, 5)),
    err(() => c.privateDecrypt(pub, Buffer.alloc(128))),
    err(() => c.privateEncrypt(pub, Buffer.alloc(12))),
    err(() => c.privateDecrypt(rsaSpki, Buffer.alloc(128))),
    err(() => c.publicEncrypt(c.createSecretKey(Buffer.alloc(16)), Buffer.alloc(12))),
    err(() => c.privateDecrypt(c.createSecretKey(Buffer.alloc(16)), Buffer.alloc(12))),
    err(() => c.publicEncrypt(c.createPrivateKey(ecSec1), Buffer.alloc(12))),
    err(() => c.publicEncrypt({ key: pub, padding: 7 }, Buffer.alloc(12))),
    err(() => c.privateEncrypt({ key: priv, padding: 4 }, Buffer.alloc(12))),
    err(() => c.publicDecrypt({ key: pub, padding: 4 }, Buffer.alloc(128))),
    err(() => c.privateDecrypt({ key: priv, padding: 5 }, Buffer.alloc(128))),
    err(() => c.publicEncrypt({ key: pub, padding: "1" }, Buffer.alloc(12)).length),
    err(() => c.publicEncrypt({ key: pub, oaepHash: "nope" }, Buffer.alloc(12))),
    err(() => c.publicEncrypt({ key: pub, oaepHash: 5 }, Buffer.alloc(12))),
    err(() => c.publicEncrypt({ key: pub, oaepLabel: 5 }, Buffer.alloc(12))),
  ],
};
