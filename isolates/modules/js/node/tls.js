// node:tls over cloudflare:sockets, as workerd has it: connect() opens a
// TLS connection (secureTransport "on"), or, given {socket}, upgrades a
// node:net socket in place with startTls; certificates are verified by the
// host (system roots plus the ones edgerun is configured with), so a
// connected TLSSocket is authorized. checkServerIdentity is Node's rule;
// getCiphers lists the suites the host offers. Servers do not exist on
// Workers.
"use strict";

const net = require("node:net");

function nodeError(Base, code, message) {
  const e = new Base(message);
  Object.defineProperty(e, "code", { value: code, writable: true, configurable: true, enumerable: true });
  return e;
}
const notImplemented = (name) => function () {
  throw nodeError(Error, "ERR_METHOD_NOT_IMPLEMENTED", `The ${name} method is not implemented`);
};

class TLSSocket extends net.Socket {
  constructor(socket, options) {
    options = options || {};
    super({ allowHalfOpen: socket instanceof net.Socket ? socket.allowHalfOpen : options.allowHalfOpen });
    this.encrypted = true;
    this.authorized = false;
    this.authorizationError = null;
    this.alpnProtocol = false;
    this.servername = options.servername === undefined ? null : options.servername;
    this._parent = socket instanceof net.Socket ? socket : null;
    if (socket !== undefined && socket !== null && !(socket instanceof net.Socket)) {
      throw nodeError(TypeError, "ERR_INVALID_ARG_TYPE", 'The "options.socket" property must be an instance of net.Socket. Only net.Socket streams can be upgraded here');
    }
    if (this._parent) {
      this.connecting = true; // reads and writes wait for the upgrade
      this._upgradeFrom(this._parent);
    }
  }

  // _upgradeFrom takes the parent's connection over (once it is connected)
  // and starts TLS on it: the parent reads and writes nothing more.
  _upgradeFrom(parent) {
    if (parent.connecting || !parent._handle) {
      parent.once("connect", () => this._upgradeFrom(parent));
      return;
    }
    const handle = parent._handle;
    if (handle.socket.secureTransport !== "starttls") {
      this.destroy(nodeError(Error, "ERR_TLS_INVALID_STATE", "TLSSocket can only be upgraded from a plain-text socket"));
      return;
    }
    parent._handle = null; // its reads and writes stop quietly
    handle.reader.releaseLock();
    handle.writer.releaseLock();
    this.connecting = true;
    this._host = parent._host;
    this.remoteAddress = parent.remoteAddress;
    this.remotePort = parent.remotePort;
    this.remoteFamily = parent.remoteFamily;
    const name = this.servername || parent._host;
    const tls = handle.socket.startTls(name ? { expectedServerHostname: name } : undefined);
    this._attach(tls);
    tls.opened.then(() => {
      if (this.destroyed) return;
      this.connecting = false;
      this._opened();
      this._secured();
      if (!this.isPaused()) this.read(0);
    }, (e) => this.destroy(e));
  }

  _connected() {
    this.emit("connect");
    this._secured();
  }

  _secured() {
    this.authorized = true;
    this.emit("secureConnect");
  }

  getPeerCertificate() { return {}; }
  getCertificate() { return null; }
  getCipher() { return undefined; }
  getEphemeralKeyInfo() { return null; }
  getFinished() { return undefined; }
  getPeerFinished() { return undefined; }
  getProtocol() { return null; }
  getSession() { return undefined; }
  getSharedSigalgs() { return []; }
  getTLSTicket() { return undefined; }
  isSessionReused() { return false; }
  setServername(name) { this.servername = String(name); }
  setMaxSendFragment() { return false; }
  renegotiate(options, cb) {
    if (typeof cb === "function") queueMicrotask(() => cb(nodeError(Error, "ERR_METHOD_NOT_IMPLEMENTED", "The renegotiate method is not implemented")));
    return false;
  }
  exportKeyingMaterial() { throw nodeError(Error, "ERR_METHOD_NOT_IMPLEMENTED", "The exportKeyingMaterial method is not implemented"); }
  disableRenegotiation() {}
  enableTrace() {}
}

// connect(options[, cb]) | connect(port[, host][, options][, cb]).
function normalizeConnectArgs(args) {
  let options = {};
  let i = 0;
  if (args[0] !== null && typeof args[0] === "object") {
    options = { ...args[0] };
    i = 1;
  } else if (args.length > 0 && typeof args[0] !== "function") {
    options.port = args[0];
    i = 1;
    if (typeof args[1] === "string") { options.host = args[1]; i = 2; }
    if (args[i] !== null && typeof args[i] === "object") { options = { ...args[i], ...options }; i++; }
  }
  const cb = typeof args[args.length - 1] === "function" ? args[args.length - 1] : null;
  return [options, cb];
}

function connect(...args) {
  const [options, cb] = normalizeConnectArgs(args);
  if (options.servername === undefined && options.host !== undefined && !net.isIP(options.host)) {
    options.servername = options.host;
  }
  const socket = new TLSSocket(options.socket, options);
  if (cb) socket.once("secureConnect", cb);
  if (!options.socket) socket.connect(options);
  if (options.timeout) socket.setTimeout(options.timeout);
  return socket;
}

// checkServerIdentity is Node's: the altnames' DNS and IP entries, else
// the subject's CN, against the host name (a single leading-label
// wildcard allowed).
function splitHost(host) { return String(host).replace(/\.$/, "").toLowerCase().split("."); }
function matchHost(hostParts, pattern, wildcards) {
  if (!pattern) return false;
  const patternParts = splitHost(pattern);
  if (hostParts.length !== patternParts.length || patternParts.includes("")) return false;
  if (patternParts.some((p) => /[^\u0021-\u007F]/u.test(p))) return false;
  for (let i = hostParts.length - 1; i > 0; i--) if (hostParts[i] !== patternParts[i]) return false;
  const host = hostParts[0], first = patternParts[0], pieces = first.split("*");
  if (pieces.length === 1 || first.includes("xn--")) return host === first;
  if (!wildcards || pieces.length > 2 || patternParts.length <= 2) return false;
  const [prefix, suffix] = pieces;
  return prefix.length + suffix.length <= host.length && host.startsWith(prefix) && host.endsWith(suffix);
}
function splitAltNames(altNames) {
  if (!altNames.includes('"')) return altNames.split(", ");
  const out = [];
  let cur = "", quoted = false;
  for (let i = 0; i < altNames.length; i++) {
    const ch = altNames[i];
    if (quoted) {
      if (ch === "\\" && i + 1 < altNames.length) cur += altNames[++i];
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === "," && altNames[i + 1] === " ") {
      out.push(cur);
      cur = "";
      i++;
    } else {
      cur += ch;
    }
  }
  out.push(cur);
  return out;
}
// canonicalIP writes an IPv6 address as RFC 5952 does (IPv4 unchanged), so
// that equal addresses compare equal.
function canonicalIP(ip) {
  if (net.isIPv4(ip)) return ip;
  let s = ip.split("%")[0].toLowerCase();
  const v4 = s.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (v4) {
    const p = v4[1].split(".").map(Number);
    s = s.slice(0, -v4[1].length) + ((p[0] << 8) | p[1]).toString(16) + ":" + ((p[2] << 8) | p[3]).toString(16);
  }
  const [head, tail] = s.split("::");
  const hs = head ? head.split(":") : [], ts = tail !== undefined && tail ? tail.split(":") : [];
  const groups = (tail !== undefined ? [...hs, ...Array(8 - hs.length - ts.length).fill("0"), ...ts] : hs)
    .map((g) => parseInt(g, 16).toString(16));
  let best = -1, bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== "0") { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === "0") j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  if (best < 0) return groups.join(":");
  return groups.slice(0, best).join(":") + "::" + groups.slice(best + bestLen).join(":");
}
function checkServerIdentity(hostname, cert) {
  const subject = cert && cert.subject;
  const altNames = cert && cert.subjectaltname;
  const dnsNames = [], ips = [];
  hostname = String(hostname);
  if (altNames) {
    for (const name of splitAltNames(String(altNames))) {
      if (name.startsWith("DNS:")) dnsNames.push(name.slice(4));
      else if (name.startsWith("IP Address:")) ips.push(canonicalIP(name.slice(11)));
    }
  }
  let valid = false, reason = "Unknown reason";
  if (net.isIP(hostname)) {
    valid = ips.includes(canonicalIP(hostname));
    if (!valid) reason = `IP: ${hostname} is not in the cert's list: ${ips.join(", ")}`;
  } else if (dnsNames.length > 0 || (subject && subject.CN)) {
    const hostParts = splitHost(hostname);
    const wildcard = (pattern) => matchHost(hostParts, pattern, true);
    if (dnsNames.length > 0) {
      valid = dnsNames.some(wildcard);
      if (!valid) reason = `Host: ${hostname}. is not in the cert's altnames: ${altNames}`;
    } else {
      const cn = subject.CN;
      valid = Array.isArray(cn) ? cn.some(wildcard) : wildcard(cn);
      if (!valid) reason = `Host: ${hostname}. is not cert's CN: ${cn}`;
    }
  } else {
    reason = "Cert does not contain a DNS name";
  }
  if (valid) return undefined;
  const err = nodeError(Error, "ERR_TLS_CERT_ALTNAME_INVALID", `Hostname/IP does not match certificate's altnames: ${reason}`);
  err.reason = reason;
  err.host = hostname;
  err.cert = cert;
  return err;
}

// getCiphers: the suites Go's TLS client offers, by OpenSSL's names.
const ciphers = ["aes128-gcm-sha256", "aes128-sha", "aes128-sha256", "aes256-gcm-sha384", "aes256-sha",
  "ecdhe-ecdsa-aes128-gcm-sha256", "ecdhe-ecdsa-aes128-sha", "ecdhe-ecdsa-aes256-gcm-sha384", "ecdhe-ecdsa-aes256-sha",
  "ecdhe-ecdsa-chacha20-poly1305", "ecdhe-rsa-aes128-gcm-sha256", "ecdhe-rsa-aes128-sha", "ecdhe-rsa-aes256-gcm-sha384",
  "ecdhe-rsa-aes256-sha", "ecdhe-rsa-chacha20-poly1305", "tls_aes_128_gcm_sha256", "tls_aes_256_gcm_sha384",
  "tls_chacha20_poly1305_sha256"];
function getCiphers() { return ciphers.slice(); }

class SecureContext {
  constructor(secureProtocol, secureOptions, minVersion, maxVersion) {
    this.context = { secureProtocol, secureOptions, minVersion, maxVersion };
  }
}
function createSecureContext(options = {}) {
  return new SecureContext(options.secureProtocol, options.secureOptions, options.minVersion, options.maxVersion);
}

// convertALPNProtocols encodes protocol names as TLS's ALPN list: each
// name's length byte, then the name.
function convertALPNProtocols(protocols, out) {
  if (Array.isArray(protocols)) {
    const parts = [];
    for (const p of protocols) {
      const b = new TextEncoder().encode(String(p));
      if (b.length > 255) throw nodeError(RangeError, "ERR_OUT_OF_RANGE", `The byte length of the protocol at index ${parts.length} exceeds the maximum length. It must be <= 255. Received ${b.length}`);
      parts.push(b.length, ...b);
    }
    out.ALPNProtocols = new Uint8Array(parts);
  } else if (ArrayBuffer.isView(protocols)) {
    out.ALPNProtocols = new Uint8Array(protocols.buffer.slice(protocols.byteOffset, protocols.byteOffset + protocols.byteLength));
  }
}

function Server() { throw nodeError(Error, "ERR_METHOD_NOT_IMPLEMENTED", "The Server method is not implemented"); }

module.exports = {
  CLIENT_RENEG_LIMIT: 3,
  CLIENT_RENEG_WINDOW: 600,
  DEFAULT_CIPHERS: "",
  DEFAULT_ECDH_CURVE: "auto",
  DEFAULT_MIN_VERSION: "TLSv1.2",
  DEFAULT_MAX_VERSION: "TLSv1.3",
  rootCertificates: Object.freeze([]),
  SecureContext,
  Server,
  TLSSocket,
  connect,
  createSecureContext,
  createServer: notImplemented("createServer"),
  createSecurePair: notImplemented("createSecurePair"),
  checkServerIdentity,
  convertALPNProtocols,
  getCiphers,
};
