// jose, unmodified, over edgerun's Web Crypto: JWT sign and verify
// (HS256, RS256, ES256, EdDSA), a local JWKS, JWE with A256GCM (dir and
// RSA-OAEP-256), and keys generated here. runtime/jose_test.go drives it over
// HTTP and checks every answer with Go's own crypto.
import {
  CompactEncrypt,
  SignJWT,
  compactDecrypt,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
} from "jose";

const json = (v, status = 200) => Response.json(v, { status });
const fail = (e) => json({ error: e.code || e.name, message: e.message }, 400);

const routes = {
  // { alg, jwk (private or secret), claims, kid } → a signed JWT.
  async "/sign"({ alg, jwk, claims, kid }) {
    const key = await importJWK(jwk, alg);
    const jwt = await new SignJWT(claims).setProtectedHeader({ alg, kid, typ: "JWT" }).setIssuedAt().setExpirationTime("2h").sign(key);
    return { jwt };
  },
  // { alg, jwk (public or secret), jwt, issuer } → its payload and header.
  async "/verify"({ alg, jwk, jwt, issuer }) {
    const key = await importJWK(jwk, alg);
    const { payload, protectedHeader } = await jwtVerify(jwt, key, { issuer, algorithms: [alg] });
    return { payload, protectedHeader };
  },
  // { jwks, jwt, issuer } → the payload, the key found by kid.
  async "/jwks"({ jwks, jwt, issuer }) {
    const { payload, protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(jwks), { issuer });
    return { payload, kid: protectedHeader.kid, alg: protectedHeader.alg };
  },
  // { alg: "dir" | "RSA-OAEP-256", jwk, plaintext } → a compact JWE (A256GCM).
  async "/encrypt"({ alg, jwk, plaintext }) {
    const key = await importJWK(jwk, alg === "dir" ? "A256GCM" : alg);
    const jwe = await new CompactEncrypt(new TextEncoder().encode(plaintext)).setProtectedHeader({ alg, enc: "A256GCM" }).encrypt(key);
    return { jwe };
  },
  // { alg, jwk, jwe } → the plaintext and the header.
  async "/decrypt"({ alg, jwk, jwe }) {
    const key = await importJWK(jwk, alg === "dir" ? "A256GCM" : alg);
    const { plaintext, protectedHeader } = await compactDecrypt(jwe, key);
    return { plaintext: new TextDecoder().decode(plaintext), protectedHeader };
  },
  // { alg, claims } → a key pair made here, a JWT signed with it and the
  // public key as a JWK, for the test to verify on its own.
  async "/generate"({ alg, claims }) {
    const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
    const jwt = await new SignJWT(claims).setProtectedHeader({ alg }).sign(privateKey);
    return { jwt, publicJwk: await exportJWK(publicKey), privateType: privateKey.type };
  },
};

export default {
  async fetch(request) {
    const route = routes[new URL(request.url).pathname];
    if (!route || request.method !== "POST") return json({ error: "not found" }, 404);
    try {
      return json(await route(await request.json()));
    } catch (e) {
      return fail(e);
    }
  },
};
