// node:net over cloudflare:sockets, as workerd has it: Socket (client
// side only: a stream.Duplex with connect, setTimeout and the
// connect/ready/timeout events besides the stream's), connect and
// createConnection, isIP/isIPv4/isIPv6, BlockList and SocketAddress.
// Servers do not exist on Workers: createServer throws.
"use strict";

const { Buffer } = require("node:buffer");
const { Duplex } = require("node:stream");
const sockets = require("cloudflare:sockets");

// Node's errors: the class Node uses, and the code.
function nodeError(Base, code, message) {
  const e = new Base(message);
  Object.defineProperty(e, "code", { value: code, writable: true, configurable: true, enumerable: true });
  return e;
}
const { describe } = require("node:internal/errors");
const invalidArgType = (name, expected, v) =>
  nodeError(TypeError, "ERR_INVALID_ARG_TYPE", `The "${name}" argument must be ${expected}. Received ${describe(v)}`);

// IP address syntax, as Node's isIPv4/isIPv6 accept it.
const v4Seg = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]\\d|\\d)";
const v4Str = `(?:${v4Seg}\\.){3}${v4Seg}`;
const IPv4Reg = new RegExp(`^${v4Str}$`);
const v6Seg = "(?:[0-9a-fA-F]{1,4})";
const IPv6Reg = new RegExp("^(?:" +
  `(?:${v6Seg}:){7}(?:${v6Seg}|:)|` +
  `(?:${v6Seg}:){6}(?:${v4Str}|:${v6Seg}|:)|` +
  `(?:${v6Seg}:){5}(?::${v4Str}|(?::${v6Seg}){1,2}|:)|` +
  `(?:${v6Seg}:){4}(?:(?::${v6Seg}){0,1}:${v4Str}|(?::${v6Seg}){1,3}|:)|` +
  `(?:${v6Seg}:){3}(?:(?::${v6Seg}){0,2}:${v4Str}|(?::${v6Seg}){1,4}|:)|` +
  `(?:${v6Seg}:){2}(?:(?::${v6Seg}){0,3}:${v4Str}|(?::${v6Seg}){1,5}|:)|` +
  `(?:${v6Seg}:){1}(?:(?::${v6Seg}){0,4}:${v4Str}|(?::${v6Seg}){1,6}|:)|` +
  `(?::(?:(?::${v6Seg}){0,5}:${v4Str}|(?::${v6Seg}){1,7}|:))` +
  ")(?:%[0-9a-zA-Z-.:]{1,})?$");
function isIPv4(s) { return IPv4Reg.test(String(s)); }
function isIPv6(s) { return IPv6Reg.test(String(s)); }
function isIP(s) { return isIPv4(s) ? 4 : isIPv6(s) ? 6 : 0; }

// Chunks: data is a Buffer (as in Node); a string written is encoded with
// its encoding.
const toBuffer = (u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
function chunkBytes(chunk, encoding) {
  if (typeof chunk === "string") return Buffer.from(chunk, encoding && encoding !== "buffer" ? encoding : "utf8");
  if (chunk instanceof Uint8Array) return chunk;
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw invalidArgType("chunk", "of type string or an instance of Buffer, TypedArray, or DataView", chunk);
}

const defer = (fn) => queueMicrotask(fn);

// _normalizeArgs turns connect()'s overloads into [options, callback].
function _normalizeArgs(args) {
  if (args.length === 0) return [{}, null];
  const a0 = args[0];
  let options = {};
  if (a0 !== null && typeof a0 === "object") options = a0;
  else if (typeof a0 === "string" && !/^\d+$/.test(a0) && Number.isNaN(Number(a0))) options.path = a0;
  else {
    options.port = a0;
    if (args.length > 1 && typeof args[1] === "string") options.host = args[1];
  }
  const cb = args[args.length - 1];
  return [options, typeof cb === "function" ? cb : null];
}

function validatePort(port, name = "options.port") {
  if (typeof port !== "number" && typeof port !== "string") {
    throw nodeError(TypeError, "ERR_INVALID_ARG_TYPE", `The "${name}" property must be one of type number or string. Received ${describe(port)}`);
  }
  if ((typeof port !== "number" && typeof port !== "string") || (typeof port === "string" && port.trim() === "") ||
      +port !== (+port >>> 0) || +port > 0xffff) {
    throw nodeError(RangeError, "ERR_SOCKET_BAD_PORT", `Port should be >= 0 and < 65536. Received ${describe(port)}.`);
  }
  return +port;
}

// Socket is a stream.Duplex over a cloudflare:sockets connection, as Node's
// net.Socket is over its handle: _read pulls one chunk from the
// connection's readable per call (the Readable asks again only below its
// high-water mark, so a paused or slow consumer holds the peer back),
// _write/_writev write to its writable (one write in flight; what is
// written meanwhile is buffered and goes as one), _final half-closes it and
// _destroy closes it. Reads and writes made before the connection opens
// wait for it. As in Node, the Duplex does not emit 'close' itself
// (emitClose false): the socket emits close(hadError) once the connection
// is closed.
class Socket extends Duplex {
  constructor(options) {
    if (typeof options === "number") options = { fd: options };
    options = options || {};
    if (options.fd !== undefined) throw nodeError(Error, "ERR_OPTION_NOT_IMPLEMENTED", "The options.fd option is not implemented");
    super({ ...options, allowHalfOpen: Boolean(options.allowHalfOpen), emitClose: false, autoDestroy: true, decodeStrings: false });
    this.connecting = false;
    this.bytesRead = 0;
    this.timeout = 0;
    this.encrypted = false;
    this.remoteAddress = undefined;
    this.remotePort = undefined;
    this.remoteFamily = undefined;
    this._handle = null; // {socket, reader, writer}: the cloudflare:sockets Socket and its stream locks
    this._host = null;
    this._bytesDispatched = 0;
    this._timer = null;
    this._waiting = []; // reads and writes made before the connection opened
    // Node: once the readable side has ended without allowHalfOpen, writes
    // are refused (the Duplex ends the writable side meanwhile).
    this.on("end", () => { if (!this.allowHalfOpen) this.write = writeAfterFIN; });
  }

  get pending() { return !this._handle || this.connecting; }
  get readyState() {
    if (this.connecting) return "opening";
    if (this.readable && this.writable) return "open";
    if (this.readable && !this.writable) return "readOnly";
    if (!this.readable && this.writable) return "writeOnly";
    return "closed";
  }
  // bytesWritten counts what was written and what is still buffered, as
  // Node's does.
  get bytesWritten() { return this._bytesDispatched + (this.writableLength || 0); }
  get localAddress() { return undefined; }
  get localPort() { return undefined; }

  connect(...args) {
    const [options, cb] = Array.isArray(args[0]) ? args[0] : _normalizeArgs(args);
    if (this.connecting) throw nodeError(Error, "ERR_SOCKET_CONNECTING", "Socket is already connecting");
    if (options.path !== undefined) {
      throw nodeError(TypeError, "ERR_INVALID_ARG_VALUE", `The property 'options.path' is not supported. Received ${describe(options.path)}`);
    }
    if (options.port === undefined) throw nodeError(TypeError, "ERR_MISSING_ARGS", 'The "options" or "port" or "path" argument must be specified');
    const port = validatePort(options.port);
    const host = options.host === undefined || options.host === null ? "localhost" : String(options.host);
    if (cb) this.once("connect", cb);
    this._host = host;
    this.connecting = true;
    let socket;
    try {
      socket = sockets.connect({ hostname: host, port }, {
        allowHalfOpen: true, // the half-close is the Duplex's to make (allowHalfOpen false ends writes at 'end')
        secureTransport: this.encrypted ? "on" : "starttls",
      });
    } catch (e) {
      defer(() => this.destroy(e));
      return this;
    }
    this._attach(socket);
    socket.opened.then((info) => {
      if (this.destroyed) return;
      this.connecting = false;
      this.remoteAddress = host;
      this.remotePort = port;
      this.remoteFamily = isIPv6(host) ? "IPv6" : "IPv4";
      this._refreshTimer();
      this._opened();
      this._connected(info);
      if (!this.isPaused()) this.read(0); // Node starts reading once connected
    }, (e) => this.destroy(e));
    return this;
  }

  _connected() {
    this.emit("connect");
    this.emit("ready");
  }

  _attach(socket) {
    this._handle = { socket, reader: socket.readable.getReader(), writer: socket.writable.getWriter() };
  }

  // _opened runs what waited for the connection.
  _opened() {
    for (const fn of this._waiting.splice(0)) fn();
  }
  _whenOpen(fn) {
    if (this.connecting) this._waiting.push(fn);
    else fn();
  }

  _read() {
    this._whenOpen(() => {
      const handle = this._handle;
      if (!handle) return; // destroyed, or handed to a TLSSocket
      handle.reader.read().then((r) => {
        if (this._handle !== handle || this.destroyed) return; // upgraded or destroyed meanwhile
        if (r.done) { this.push(null); return; }
        this.bytesRead += r.value.byteLength;
        this._refreshTimer();
        this.push(toBuffer(r.value));
      }, (e) => { if (this._handle === handle) this.destroy(e); });
    });
  }

  _write(chunk, encoding, cb) {
    this._writeBytes(chunkBytes(chunk, encoding), cb);
  }
  _writev(chunks, cb) {
    const parts = chunks.map(({ chunk, encoding }) => chunkBytes(chunk, encoding));
    this._writeBytes(parts.length === 1 ? parts[0] : Buffer.concat(parts), cb);
  }
  _writeBytes(bytes, cb) {
    this._whenOpen(() => {
      const handle = this._handle;
      if (!handle) { cb(nodeError(Error, "ERR_SOCKET_CLOSED", "Socket is closed")); return; }
      handle.writer.write(bytes).then(() => {
        this._bytesDispatched += bytes.byteLength;
        this._refreshTimer();
        cb();
      }, (e) => {
        cb(e);
        if (this._handle === handle) this.destroy(e);
      });
    });
  }

  _final(cb) {
    this._whenOpen(() => {
      const handle = this._handle;
      if (!handle) { cb(); return; }
      handle.writer.close().then(() => cb(), (e) => cb(e));
    });
  }

  destroySoon() {
    if (this.writable) this.end();
    if (this.writableFinished) this.destroy();
    else this.once("finish", () => this.destroy());
  }

  _destroy(err, cb) {
    this.connecting = false;
    this._clearTimer();
    const handle = this._handle;
    this._handle = null;
    this._opened(); // what waited sees no connection
    cb(err);
    if (handle) {
      const hadError = Boolean(err);
      handle.socket.close().catch(() => {}).then(() => defer(() => this.emit("close", hadError)));
    } else {
      defer(() => this.emit("close"));
    }
  }
  resetAndDestroy() { return this.destroy(); }

  setTimeout(msecs, cb) {
    if (typeof msecs !== "number" || !(msecs >= 0) || !Number.isFinite(msecs)) {
      throw nodeError(RangeError, "ERR_OUT_OF_RANGE", `The value of "msecs" is out of range. It must be a non-negative finite number. Received ${String(msecs)}`);
    }
    this.timeout = msecs;
    if (cb) { if (msecs === 0) this.removeListener("timeout", cb); else this.once("timeout", cb); }
    this._refreshTimer();
    return this;
  }
  _clearTimer() { if (this._timer !== null) { clearTimeout(this._timer); this._timer = null; } }
  // The idle timer restarts on activity; it only emits 'timeout', as in
  // Node (ending the socket is the listener's call).
  _refreshTimer() {
    this._clearTimer();
    if (this.timeout > 0 && !this.destroyed) this._timer = setTimeout(() => { this._timer = null; this.emit("timeout"); }, this.timeout);
  }

  setNoDelay() { return this; }
  setKeepAlive() { return this; }
  ref() { return this; }
  unref() { return this; }
  address() { return {}; }
}

// writeAfterFIN is write once the peer ended a socket without
// allowHalfOpen: Node's EPIPE.
function writeAfterFIN(chunk, encoding, cb) {
  if (typeof encoding === "function") cb = encoding;
  const err = nodeError(Error, "EPIPE", "This socket has been ended by the other party");
  defer(() => {
    if (typeof cb === "function") cb(err);
    this.destroy(err);
  });
  return false;
}

function connect(...args) {
  const [options, cb] = _normalizeArgs(args);
  const socket = new Socket(options);
  if (options.timeout) socket.setTimeout(options.timeout);
  return socket.connect(options, cb);
}

function notImplemented(name) {
  return function () { throw nodeError(Error, "ERR_METHOD_NOT_IMPLEMENTED", `The ${name} method is not implemented`); };
}
const createServer = notImplemented("createServer()");
function Server() { throw nodeError(Error, "ERR_METHOD_NOT_IMPLEMENTED", "The Server method is not implemented"); }

let autoSelectFamily = true, autoSelectFamilyTimeout = 250;

// BlockList keeps rules and checks an address against them (IPv4 and IPv6
// compared as numbers; IPv4-mapped IPv6 addresses match IPv4 rules).
function ipToBigInt(addr, family) {
  if (family === "ipv4") return addr.split(".").reduce((n, p) => (n << 8n) + BigInt(Number(p)), 0n);
  let s = addr.split("%")[0];
  const v4 = s.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (v4) {
    const n = ipToBigInt(v4[1], "ipv4");
    s = s.slice(0, -v4[1].length) + ((n >> 16n).toString(16)) + ":" + ((n & 0xffffn).toString(16));
  }
  let [head, tail] = s.split("::");
  const hs = head ? head.split(":") : [];
  const ts = tail !== undefined ? (tail ? tail.split(":") : []) : [];
  const groups = tail !== undefined ? [...hs, ...Array(8 - hs.length - ts.length).fill("0"), ...ts] : hs;
  return groups.reduce((n, g) => (n << 16n) + BigInt(parseInt(g, 16)), 0n);
}
function familyOf(type) {
  const t = type === undefined ? "ipv4" : String(type).toLowerCase();
  if (t !== "ipv4" && t !== "ipv6") throw nodeError(TypeError, "ERR_INVALID_ARG_VALUE", `The argument 'family' must be one of: 'ipv4', 'ipv6'. Received ${describe(type)}`);
  return t;
}
function checkAddr(addr, family) {
  if (typeof addr !== "string") throw invalidArgType("address", "of type string", addr);
  if (family === "ipv4" ? !isIPv4(addr) : !isIPv6(addr)) {
    throw nodeError(TypeError, "ERR_INVALID_ADDRESS", "Invalid socket address");
  }
  return ipToBigInt(addr, family);
}
function toV6(n, family) { return family === "ipv4" ? (0xffffn << 32n) | n : n; }

class BlockList {
  #rules;
  constructor() { this.#rules = []; }
  addAddress(address, family) {
    const f = familyOf(family);
    const n = toV6(checkAddr(address, f), f);
    this.#rules.push({ lo: n, hi: n, text: `Address: ${f === "ipv4" ? "IPv4" : "IPv6"} ${address}` });
  }
  addRange(start, end, family) {
    const f = familyOf(family);
    const lo = toV6(checkAddr(start, f), f), hi = toV6(checkAddr(end, f), f);
    if (lo > hi) throw nodeError(TypeError, "ERR_INVALID_ARG_VALUE", `The argument 'start' must come before 'end'. Received '${start}'`);
    this.#rules.push({ lo, hi, text: `Range: ${f === "ipv4" ? "IPv4" : "IPv6"} ${start}-${end}` });
  }
  addSubnet(network, prefix, family) {
    const f = familyOf(family);
    const bits = f === "ipv4" ? 32 : 128;
    if (typeof prefix !== "number") throw invalidArgType("prefix", "of type number", prefix);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits) {
      throw nodeError(RangeError, "ERR_OUT_OF_RANGE", `The value of "prefix" is out of range. It must be >= 0 && <= ${bits}. Received ${prefix}`);
    }
    const n = checkAddr(network, f);
    const host = (1n << BigInt(bits - prefix)) - 1n;
    const lo = toV6(n & ~host & ((1n << BigInt(bits)) - 1n), f), hi = toV6((n | host) & ((1n << BigInt(bits)) - 1n), f);
    this.#rules.push({ lo, hi, text: `Subnet: ${f === "ipv4" ? "IPv4" : "IPv6"} ${network}/${prefix}` });
  }
  check(address, family) {
    const f = familyOf(family);
    let n;
    try { n = toV6(checkAddr(address, f), f); } catch { return false; }
    return this.#rules.some((r) => n >= r.lo && n <= r.hi);
  }
  get rules() { return this.#rules.map((r) => r.text).reverse(); }
}

class SocketAddress {
  #address; #port; #family; #flowlabel;
  constructor(options = {}) {
    const family = options.family === undefined ? "ipv4" : familyOf(options.family);
    const address = options.address === undefined ? (family === "ipv4" ? "127.0.0.1" : "::") : options.address;
    if (typeof address !== "string") throw invalidArgType("options.address", "of type string", address);
    const port = options.port === undefined ? 0 : validatePort(options.port);
    this.#address = address;
    this.#port = port;
    this.#family = family;
    this.#flowlabel = options.flowlabel === undefined ? 0 : options.flowlabel;
  }
  get address() { return this.#address; }
  get port() { return this.#port; }
  get family() { return this.#family; }
  get flowlabel() { return this.#flowlabel; }
  toJSON() { return { address: this.#address, port: this.#port, family: this.#family, flowlabel: this.#flowlabel }; }
  static isSocketAddress(v) { return v instanceof SocketAddress; }
}

module.exports = {
  BlockList,
  SocketAddress,
  Stream: Socket,
  Server,
  Socket,
  connect,
  createConnection: connect,
  createServer,
  getDefaultAutoSelectFamily: () => autoSelectFamily,
  setDefaultAutoSelectFamily: (v) => { autoSelectFamily = Boolean(v); },
  getDefaultAutoSelectFamilyAttemptTimeout: () => autoSelectFamilyTimeout,
  setDefaultAutoSelectFamilyAttemptTimeout: (v) => { autoSelectFamilyTimeout = Math.max(10, Number(v) | 0); },
  isIP,
  isIPv4,
  isIPv6,
  _normalizeArgs,
};
