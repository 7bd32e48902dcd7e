// node:tls: checkServerIdentity, constants and helpers (connections are
// tested against real servers in isolates/modules/testdata/net.js).
import tls from "node:tls";

const check = (host, cert) => {
  const e = tls.checkServerIdentity(host, cert);
  return e === undefined ? "ok" : { name: e.name, code: e.code, reason: e.reason, message: e.message, host: e.host };
};

export const probes = {
  "tls: exports": () => ["connect", "TLSSocket", "checkServerIdentity", "createSecureContext", "SecureContext",
    "createServer", "Server", "convertALPNProtocols", "getCiphers"].map((k) => [k, typeof tls[k]]),
  "tls: constants": () => ({ min: tls.DEFAULT_MIN_VERSION, max: tls.DEFAULT_MAX_VERSION, curve: tls.DEFAULT_ECDH_CURVE,
    renegLimit: tls.CLIENT_RENEG_LIMIT, renegWindow: tls.CLIENT_RENEG_WINDOW, roots: Array.isArray(tls.rootCertificates) }),
  "tls: checkServerIdentity DNS altnames": () => [
    check("a.com", { subjectaltname: "DNS:a.com" }),
    check("A.COM", { subjectaltname: "DNS:a.com" }),
    check("a.com.", { subjectaltname: "DNS:a.com" }),
    check("b.com", { subjectaltname: "DNS:a.com, DNS:b.com" }),
    check("c.com", { subjectaltname: "DNS:a.com, DNS:b.com" }),
    check("x.a.com", { subjectaltname: "DNS:*.a.com" }),
    check("a.com", { subjectaltname: "DNS:*.a.com" }),
    check("x.y.a.com", { subjectaltname: "DNS:*.a.com" }),
    check("foo.com", { subjectaltname: "DNS:*.com" }),
    check("bar.foo.com", { subjectaltname: "DNS:b*r.foo.com" }),
    check("baz.foo.com", { subjectaltname: "DNS:b*r.foo.com" }),
    check("xn--x.a.com", { subjectaltname: "DNS:xn--*.a.com" }),
    check("a.com", { subjectaltname: "DNS:a.com", subject: { CN: "b.com" } }),
  ],
  "tls: checkServerIdentity CN": () => [
    check("a.com", { subject: { CN: "a.com" } }),
    check("b.com", { subject: { CN: "a.com" } }),
    check("b.com", { subject: { CN: ["a.com", "b.com"] } }),
    check("x.a.com", { subject: { CN: "*.a.com" } }),
    check("a.com", { subject: {} }),
    check("a.com", {}),
  ],
  "tls: checkServerIdentity IP": () => [
    check("127.0.0.1", { subjectaltname: "IP Address:127.0.0.1" }),
    check("127.0.0.2", { subjectaltname: "IP Address:127.0.0.1, DNS:localhost" }),
    check("::1", { subjectaltname: "IP Address:0:0:0:0:0:0:0:1" }),
    check("2001:db8::1", { subjectaltname: "IP Address:2001:DB8:0:0:0:0:0:1" }),
    check("127.0.0.1", { subjectaltname: "DNS:127.0.0.1" }),
    check("127.0.0.1", { subject: { CN: "127.0.0.1" } }),
  ],
  "tls: checkServerIdentity quoted altnames": () => [
    check("a.com", { subjectaltname: 'DNS:"a.com", DNS:b.com' }),
    check("b.com", { subjectaltname: 'DNS:"x, y", DNS:b.com' }),
  ],
  "tls: convertALPNProtocols": () => {
    const out = {};
    tls.convertALPNProtocols(["h2", "http/1.1"], out);
    return Array.from(out.ALPNProtocols);
  },
  "tls: getCiphers": () => {
    const c = tls.getCiphers();
    return { array: Array.isArray(c), lower: c.every((x) => x === x.toLowerCase()), has: c.includes("tls_aes_128_gcm_sha256") };
  },
};
