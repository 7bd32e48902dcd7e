// The Web APIs a worker sees, written in JavaScript over a few Go natives.
// Evaluated once per isolate; `native` is the Go side, `global` the global
// object. Nothing here is reachable by scripts except the globals it defines.
(function (native, global) {
  "use strict";

  // Intrinsics the host's request path uses, taken before any script runs
  // (a script may replace the globals).
  const objectCreate = Object.create, defineSlot = Object.defineProperty;
  const define = (name, value) =>
    Object.defineProperty(global, name, { value, writable: true, configurable: true, enumerable: false });
  const tag = (cls, name) =>
    Object.defineProperty(cls.prototype, Symbol.toStringTag, { value: name, configurable: true });

  // Well-known symbols goja lacks (see DESIGN.md); bundles lowered by esbuild use them.
  for (const s of ["asyncIterator", "dispose", "asyncDispose"]) {
    if (!Symbol[s]) Object.defineProperty(Symbol, s, { value: Symbol.for("Symbol." + s) });
  }

  // ---------------------------------------------------------------- DOMException
  class DOMException extends Error {
    constructor(message = "", name = "Error") {
      super(message);
      Object.defineProperty(this, "name", { value: String(name), configurable: true, writable: true });
    }
    get code() {
      const codes = { IndexSizeError: 1, NotFoundError: 8, NotSupportedError: 9, InvalidStateError: 11,
        SyntaxError: 12, InvalidCharacterError: 5, NetworkError: 19, AbortError: 20, TimeoutError: 23, DataCloneError: 25 };
      return codes[this.name] || 0;
    }
  }
  define("DOMException", DOMException);

  // ---------------------------------------------------------------- Events
  const kListeners = Symbol("listeners");
  class Event {
    constructor(type, init = {}) {
      this.type = String(type);
      this.bubbles = !!init.bubbles;
      this.cancelable = !!init.cancelable;
      this.defaultPrevented = false;
      this.timeStamp = Date.now();
      this.target = null;
      this.currentTarget = null;
      this._stop = false;
    }
    preventDefault() { if (this.cancelable) this.defaultPrevented = true; }
    stopImmediatePropagation() { this._stop = true; }
    stopPropagation() {}
  }
  class EventTarget {
    constructor() { this[kListeners] = new Map(); }
    addEventListener(type, listener, options) {
      if (listener == null) return;
      const once = typeof options === "object" && options !== null && !!options.once;
      let list = this[kListeners].get(type);
      if (!list) this[kListeners].set(type, (list = []));
      if (list.some((l) => l.listener === listener)) return;
      list.push({ listener, once });
      if (options && options.signal) options.signal.addEventListener("abort", () => this.removeEventListener(type, listener));
    }
    removeEventListener(type, listener) {
      const list = this[kListeners].get(type);
      if (!list) return;
      const i = list.findIndex((l) => l.listener === listener);
      if (i >= 0) list.splice(i, 1);
    }
    dispatchEvent(event) {
      const list = this[kListeners].get(event.type);
      event.target = event.currentTarget = this;
      if (list) {
        for (const l of list.slice()) {
          if (l.once) this.removeEventListener(event.type, l.listener);
          if (typeof l.listener === "function") l.listener.call(this, event);
          else l.listener.handleEvent(event);
          if (event._stop) break;
        }
      }
      return !event.defaultPrevented;
    }
  }
  define("Event", Event);
  define("EventTarget", EventTarget);

  // ---------------------------------------------------------------- AbortController
  class AbortSignal extends EventTarget {
    constructor(key) {
      if (key !== kListeners) throw new TypeError("Illegal constructor");
      super();
      this.aborted = false;
      this.reason = undefined;
      this.onabort = null;
    }
    throwIfAborted() { if (this.aborted) throw this.reason; }
    static abort(reason) {
      const s = new AbortSignal(kListeners);
      s._abort(reason === undefined ? new DOMException("This operation was aborted", "AbortError") : reason);
      return s;
    }
    static timeout(ms) {
      const s = new AbortSignal(kListeners);
      setTimeout(() => s._abort(new DOMException("The operation was aborted due to timeout", "TimeoutError")), ms);
      return s;
    }
    static any(signals) {
      const s = new AbortSignal(kListeners);
      for (const x of signals) {
        if (x.aborted) { s._abort(x.reason); return s; }
        x.addEventListener("abort", () => s._abort(x.reason));
      }
      return s;
    }
    _abort(reason) {
      if (this.aborted) return;
      this.aborted = true;
      this.reason = reason;
      const e = new Event("abort");
      if (typeof this.onabort === "function") this.onabort(e);
      this.dispatchEvent(e);
    }
  }
  class AbortController {
    constructor() { this.signal = new AbortSignal(kListeners); }
    abort(reason) {
      this.signal._abort(reason === undefined ? new DOMException("This operation was aborted", "AbortError") : reason);
    }
  }
  define("AbortSignal", AbortSignal);
  define("AbortController", AbortController);

  // ---------------------------------------------------------------- encoding
  const utf8Labels = new Set(["utf-8", "utf8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8"]);
  class TextEncoder {
    get encoding() { return "utf-8"; }
    encode(input = "") { return native.utf8Encode(String(input)); }
    encodeInto(src, dest) {
      const bytes = native.utf8Encode(String(src));
      let n = Math.min(bytes.length, dest.length);
      // Never split a code point: back up to a lead byte.
      if (n < bytes.length) while (n > 0 && (bytes[n] & 0xc0) === 0x80) n--;
      dest.set(bytes.subarray(0, n));
      return { read: native.utf16Length(bytes.subarray(0, n)), written: n };
    }
  }
  class TextDecoder {
    constructor(label = "utf-8", options = {}) {
      const l = String(label).trim().toLowerCase();
      if (!utf8Labels.has(l)) throw new RangeError(`The "${label}" encoding is not supported`);
      this._fatal = !!options.fatal;
      this._ignoreBOM = !!options.ignoreBOM;
    }
    get encoding() { return "utf-8"; }
    get fatal() { return this._fatal; }
    get ignoreBOM() { return this._ignoreBOM; }
    decode(input, options) {
      let bytes = input === undefined || input === null ? new Uint8Array(0) : toBytes(input, "TextDecoder.decode");
      const stream = !!(options && options.stream);
      if (this._pending) {
        bytes = concatBytes([this._pending, bytes]);
        this._pending = null;
      }
      if (stream) {
        // Keep an incomplete UTF-8 sequence at the end for the next call.
        const cut = completeUTF8(bytes);
        if (cut < bytes.length) {
          this._pending = bytes.slice(cut);
          bytes = bytes.subarray(0, cut);
        }
      }
      // A BOM is only one at the start of the stream.
      const out = native.utf8Decode(bytes, this._fatal, this._ignoreBOM || this._started === true);
      this._started = stream ? this._started || bytes.length > 0 : false;
      return out;
    }
  }
  // completeUTF8 is the length of bytes without an unfinished UTF-8
  // sequence at its end.
  function completeUTF8(bytes) {
    const n = bytes.length;
    for (let back = 1; back <= 3 && back <= n; back++) {
      const b = bytes[n - back];
      if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
      return need > back ? n - back : n;
    }
    return n;
  }
  define("TextEncoder", TextEncoder);
  define("TextDecoder", TextDecoder);
  define("atob", function atob(s) {
    if (arguments.length === 0) throw new TypeError("Failed to execute 'atob': 1 argument required, but only 0 present.");
    return native.atob(String(s));
  });
  define("btoa", function btoa(s) {
    if (arguments.length === 0) throw new TypeError("Failed to execute 'btoa': 1 argument required, but only 0 present.");
    return native.btoa(String(s));
  });

  function toBytes(input, what) {
    if (input instanceof Uint8Array) return input;
    if (input instanceof ArrayBuffer) return new Uint8Array(input);
    if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    throw new TypeError(`${what}: expected an ArrayBuffer or ArrayBufferView`);
  }

  // ---------------------------------------------------------------- crypto
  const crypto = {
    randomUUID: () => native.randomUUID(),
    getRandomValues(arr) {
      if (!ArrayBuffer.isView(arr) || arr instanceof Float32Array || arr instanceof Float64Array || arr instanceof DataView)
        throw new DOMException("The data argument must be an integer-type TypedArray", "TypeMismatchError");
      if (arr.byteLength > 65536)
        throw new DOMException(`The ArrayBufferView's byte length (${arr.byteLength}) exceeds the number of bytes of entropy available via this API (65536)`, "QuotaExceededError");
      native.fillRandom(new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength));
      return arr;
    },
    subtle: {
      async digest(algorithm, data) {
        const name = typeof algorithm === "string" ? algorithm : algorithm && algorithm.name;
        return native.digest(String(name).toUpperCase(), toBytes(data, "digest")).buffer;
      },
    },
  };
  define("crypto", crypto);

  // ---------------------------------------------------------------- console
  function inspect(v, depth, seen, top) {
    if (typeof v === "string") return top ? v : JSON.stringify(v).replace(/^"|"$/g, "'").replace(/\\"/g, '"');
    if (typeof v === "bigint") return `${v}n`;
    if (typeof v === "symbol") return v.toString();
    if (typeof v === "function") return v.name ? `[Function: ${v.name}]` : "[Function (anonymous)]";
    if (v === null || typeof v !== "object") return String(v);
    if (seen.includes(v)) return "[Circular]";
    if (v instanceof Error) return v.stack && v.stack.indexOf(v.message) >= 0 ? v.stack : `${v.name}: ${v.message}${v.stack ? "\n" + v.stack : ""}`;
    if (v instanceof Date) return isNaN(v) ? "Invalid Date" : v.toISOString();
    if (v instanceof RegExp) return String(v);
    if (depth > 2) return Array.isArray(v) ? "[Array]" : "[Object]";
    seen = seen.concat([v]);
    const inner = (x) => inspect(x, depth + 1, seen, false);
    const wrap = (open, parts, close) => {
      if (parts.length === 0) return open + close;
      const one = `${open} ${parts.join(", ")} ${close}`;
      return one.length <= 72 ? one : `${open}\n${parts.map((p) => "  " + p.replace(/\n/g, "\n  ")).join(",\n")}\n${close}`;
    };
    if (Array.isArray(v)) return wrap("[", v.map(inner), "]");
    if (v instanceof Map) return wrap(`Map(${v.size}) {`, [...v].map(([k, x]) => `${inner(k)} => ${inner(x)}`), "}");
    if (v instanceof Set) return wrap(`Set(${v.size}) {`, [...v].map(inner), "}");
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return wrap(`${v.constructor.name}(${v.length}) [`, Array.from(v, String), "]");
    if (v instanceof ArrayBuffer) return `ArrayBuffer { byteLength: ${v.byteLength} }`;
    if (typeof v.then === "function" && v instanceof Promise) return "Promise { <pending> }";
    const ctor = v.constructor && v.constructor !== Object ? v.constructor.name + " " : "";
    if (v instanceof Headers || v instanceof URLSearchParams) return wrap(`${ctor}{`, [...v].map(([k, x]) => `${inner(k)} => ${inner(x)}`), "}");
    if (typeof URL !== "undefined" && v instanceof URL) return `URL ${inner(v.href)}`;
    const keys = Object.keys(v);
    const key = (k) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : inner(k));
    return wrap(`${ctor}{`, keys.map((k) => `${key(k)}: ${inner(v[k])}`), "}");
  }
  function format(args) {
    let out = [];
    let i = 0;
    if (typeof args[0] === "string" && args[0].indexOf("%") >= 0 && args.length > 1) {
      i = 1;
      out.push(args[0].replace(/%[sdifjoOc%]/g, (m) => {
        if (m === "%%") return "%";
        if (i >= args.length) return m;
        const a = args[i++];
        switch (m) {
          case "%s": return typeof a === "string" ? a : inspect(a, 1, [], false);
          case "%d": case "%i": return typeof a === "object" ? "NaN" : String(m === "%i" ? parseInt(a) : Number(a));
          case "%f": return String(parseFloat(a));
          case "%j": try { return JSON.stringify(a); } catch (e) { return "[Circular]"; }
          case "%c": return "";
          default: return inspect(a, 0, [], false);
        }
      }));
    }
    for (; i < args.length; i++) out.push(inspect(args[i], 0, [], true));
    return out.join(" ");
  }
  const counts = new Map();
  const timersByLabel = new Map();
  const log = (level) => (...args) => native.print(level, format(args));
  const console = {
    log: log("log"), info: log("info"), debug: log("debug"), warn: log("warn"), error: log("error"), trace: log("debug"),
    dir: (v) => native.print("log", inspect(v, 0, [], false)),
    table: log("log"),
    assert: (cond, ...args) => { if (!cond) native.print("error", "Assertion failed" + (args.length ? ": " + format(args) : "")); },
    count: (label = "default") => { const n = (counts.get(label) || 0) + 1; counts.set(label, n); native.print("log", `${label}: ${n}`); },
    countReset: (label = "default") => counts.delete(label),
    time: (label = "default") => timersByLabel.set(label, Date.now()),
    timeLog: (label = "default", ...rest) => native.print("log", `${label}: ${Date.now() - (timersByLabel.get(label) || Date.now())}ms ${format(rest)}`.trim()),
    timeEnd: (label = "default") => { native.print("log", `${label}: ${Date.now() - (timersByLabel.get(label) || Date.now())}ms`); timersByLabel.delete(label); },
    group: log("log"), groupCollapsed: log("log"), groupEnd: () => {},
  };
  define("console", console);

  // ---------------------------------------------------------------- microtasks, structuredClone
  define("queueMicrotask", (fn) => {
    if (typeof fn !== "function") throw new TypeError("The callback provided as parameter 1 is not a function.");
    Promise.resolve().then(() => {
      try { fn(); } catch (e) { native.print("error", "Uncaught " + inspect(e, 0, [], true)); }
    });
  });
  function structuredClone(value, options) {
    const memo = new Map();
    const clone = (v) => {
      if (v === null || (typeof v !== "object" && typeof v !== "function")) {
        if (typeof v === "symbol") throw new DOMException(`${String(v)} could not be cloned.`, "DataCloneError");
        return v;
      }
      if (typeof v === "function") throw new DOMException(`${v.name || "function"} could not be cloned.`, "DataCloneError");
      if (memo.has(v)) return memo.get(v);
      let out;
      if (Array.isArray(v)) {
        out = new Array(v.length);
        memo.set(v, out);
        for (let i = 0; i < v.length; i++) if (i in v) out[i] = clone(v[i]);
        return out;
      }
      if (v instanceof Date) out = new Date(v.getTime());
      else if (v instanceof RegExp) out = new RegExp(v.source, v.flags);
      else if (v instanceof ArrayBuffer) out = v.slice(0);
      else if (ArrayBuffer.isView(v)) {
        const buf = clone(v.buffer);
        out = v instanceof DataView ? new DataView(buf, v.byteOffset, v.byteLength) : new v.constructor(buf, v.byteOffset, v.length);
      } else if (v instanceof Map) { out = new Map(); memo.set(v, out); for (const [k, x] of v) out.set(clone(k), clone(x)); return out; }
      else if (v instanceof Set) { out = new Set(); memo.set(v, out); for (const x of v) out.add(clone(x)); return out; }
      else if (v instanceof Error) { const E = global[v.name] && global[v.name].prototype instanceof Error ? global[v.name] : Error; out = new E(v.message); if (v.stack) out.stack = v.stack; }
      else if (v instanceof Boolean || v instanceof Number || v instanceof String) out = Object(v.valueOf());
      else if (v instanceof Promise || v instanceof WeakMap || v instanceof WeakSet || (typeof Request !== "undefined" && (v instanceof Request || v instanceof Response)))
        throw new DOMException(`${Object.prototype.toString.call(v)} could not be cloned.`, "DataCloneError");
      else {
        out = {};
        memo.set(v, out);
        for (const k of Object.keys(v)) out[k] = clone(v[k]);
        return out;
      }
      memo.set(v, out);
      return out;
    };
    if (arguments.length === 0) throw new TypeError("Failed to execute 'structuredClone': 1 argument required, but only 0 present.");
    return clone(value);
  }
  define("structuredClone", structuredClone);

  // ---------------------------------------------------------------- Headers
  const kMap = Symbol("map");
  const kGuard = Symbol("guard");
  const kFlat = Symbol("flat");
  const tokenRe = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
  function normName(name) {
    name = String(name);
    if (!tokenRe.test(name)) throw new TypeError(`Invalid header name: "${name}"`);
    return name.toLowerCase();
  }
  function normValue(value) {
    value = String(value).replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, "");
    if (/[\0\r\n]/.test(value)) throw new TypeError(`Invalid header value: "${value}"`);
    return value;
  }
  class Headers {
    constructor(init) {
      this[kMap] = new Map();
      this[kGuard] = "none";
      if (init === undefined || init === null) return;
      if (init instanceof Headers) {
        for (const [k, vs] of materialize(init)) this[kMap].set(k, vs.slice());
      } else if (typeof init === "object" && typeof init[Symbol.iterator] === "function") {
        for (const pair of init) {
          const p = Array.from(pair);
          if (p.length !== 2) throw new TypeError("Headers constructor: expected name/value pair to be length 2, found " + p.length + ".");
          this.append(p[0], p[1]);
        }
      } else if (typeof init === "object") {
        for (const k of Object.keys(init)) this.append(k, init[k]);
      } else {
        throw new TypeError("Failed to construct 'Headers': The provided value is not of type '(record<ByteString, ByteString> or sequence<sequence<ByteString>>)'.");
      }
    }
    append(name, value) {
      checkMutable(this);
      const k = normName(name), v = normValue(value);
      const m = materialize(this);
      const vs = m.get(k);
      if (vs) vs.push(v); else m.set(k, [v]);
    }
    set(name, value) {
      checkMutable(this);
      materialize(this).set(normName(name), [normValue(value)]);
    }
    delete(name) {
      checkMutable(this);
      materialize(this).delete(normName(name));
    }
    get(name) {
      const vs = materialize(this).get(normName(name));
      return vs === undefined ? null : vs.join(", ");
    }
    getAll(name) {
      const k = normName(name);
      if (k !== "set-cookie") throw new TypeError('getAll() can only be used with the header name "Set-Cookie".');
      return this.getSetCookie();
    }
    getSetCookie() {
      const vs = materialize(this).get("set-cookie");
      return vs ? vs.slice() : [];
    }
    has(name) { return materialize(this).has(normName(name)); }
    forEach(cb, thisArg) { for (const [k, v] of this) cb.call(thisArg, v, k, this); }
    *entries() {
      const m = materialize(this);
      for (const k of [...m.keys()].sort()) {
        const vs = m.get(k);
        if (vs === undefined) continue;
        if (k === "set-cookie") for (const v of vs) yield [k, v];
        else yield [k, vs.join(", ")];
      }
    }
    *keys() { for (const [k] of this.entries()) yield k; }
    *values() { for (const [, v] of this.entries()) yield v; }
    [Symbol.iterator]() { return this.entries(); }
  }
  tag(Headers, "Headers");
  function checkMutable(h) {
    if (h[kGuard] === "immutable") throw new TypeError("Can't modify immutable headers.");
  }
  // Headers that came from the host arrive as one "name\0value\0…" string and
  // are split only if the script looks at them.
  function materialize(h) {
    const flat = h[kFlat];
    if (flat !== undefined) {
      h[kFlat] = undefined;
      const m = h[kMap];
      if (flat.length > 0) {
        const parts = flat.split("\0");
        for (let i = 0; i + 1 < parts.length; i += 2) {
          const k = parts[i].toLowerCase();
          const vs = m.get(k);
          if (vs) vs.push(parts[i + 1]); else m.set(k, [parts[i + 1]]);
        }
      }
    }
    return h[kMap];
  }
  function hostHeaders(flat, guard) {
    const h = Object.create(Headers.prototype);
    h[kMap] = new Map();
    h[kGuard] = guard;
    h[kFlat] = flat;
    return h;
  }
  function flatten(h) {
    if (h[kFlat] !== undefined) return h[kFlat];
    let out = "";
    for (const [k, vs] of h[kMap]) {
      for (const v of vs) {
        // NUL separates the pairs: one inside a name or value (put there
        // through the internal slots; the Headers methods refuse it) would
        // add a header. The host checks the rest (response_head.go).
        if (k.indexOf("\0") !== -1 || v.indexOf("\0") !== -1) throw new TypeError("Invalid header value.");
        out += (out ? "\0" : "") + k + "\0" + v;
      }
    }
    return out;
  }
  define("Headers", Headers);

  // ---------------------------------------------------------------- Blob, File, FormData
  const kBytes = Symbol("bytes");
  class Blob {
    constructor(parts = [], options = {}) {
      const chunks = [];
      for (const p of parts) {
        if (p instanceof Blob) chunks.push(p[kBytes]);
        else if (p instanceof ArrayBuffer || ArrayBuffer.isView(p)) chunks.push(new Uint8Array(toBytes(p, "Blob")));
        else chunks.push(native.utf8Encode(String(p)));
      }
      this[kBytes] = concatBytes(chunks);
      this._type = options.type ? String(options.type).toLowerCase() : "";
    }
    get size() { return this[kBytes].length; }
    get type() { return this._type; }
    async text() { return native.utf8Decode(this[kBytes], false, false); }
    async arrayBuffer() { return this[kBytes].slice().buffer; }
    async bytes() { return this[kBytes].slice(); }
    slice(start = 0, end = this.size, type = "") {
      const b = new Blob([], { type });
      b[kBytes] = this[kBytes].slice(start, end);
      return b;
    }
    stream() { return bytesStream(this[kBytes]); }
  }
  tag(Blob, "Blob");
  class File extends Blob {
    constructor(parts, name, options = {}) {
      super(parts, options);
      this._name = String(name);
      this.lastModified = options.lastModified || Date.now();
    }
    get name() { return this._name; }
  }
  tag(File, "File");
  function concatBytes(chunks) {
    if (chunks.length === 1) return chunks[0];
    let n = 0;
    for (const c of chunks) n += c.length;
    const out = new Uint8Array(n);
    let o = 0;
    for (const c of chunks) { out.set(c, o); o += c.length; }
    return out;
  }
  class FormData {
    constructor() { this._entries = []; }
    append(name, value, filename) { this._entries.push([String(name), formValue(value, filename)]); }
    set(name, value, filename) {
      name = String(name);
      const v = formValue(value, filename);
      const i = this._entries.findIndex((e) => e[0] === name);
      this._entries = this._entries.filter((e, j) => e[0] !== name || j === i);
      if (i >= 0) this._entries[this._entries.findIndex((e) => e[0] === name)][1] = v; else this._entries.push([name, v]);
    }
    get(name) { const e = this._entries.find((e) => e[0] === String(name)); return e ? e[1] : null; }
    getAll(name) { return this._entries.filter((e) => e[0] === String(name)).map((e) => e[1]); }
    has(name) { return this._entries.some((e) => e[0] === String(name)); }
    delete(name) { this._entries = this._entries.filter((e) => e[0] !== String(name)); }
    forEach(cb, thisArg) { for (const [k, v] of this._entries) cb.call(thisArg, v, k, this); }
    *entries() { yield* this._entries.map((e) => [e[0], e[1]]); }
    *keys() { for (const e of this._entries) yield e[0]; }
    *values() { for (const e of this._entries) yield e[1]; }
    [Symbol.iterator]() { return this.entries(); }
  }
  tag(FormData, "FormData");
  function formValue(value, filename) {
    if (value instanceof Blob) {
      if (value instanceof File && filename === undefined) return value;
      return new File([value], filename !== undefined ? filename : "blob", { type: value.type });
    }
    return String(value);
  }
  define("Blob", Blob);
  define("File", File);
  define("FormData", FormData);

  // ---------------------------------------------------------------- ReadableStream (enough for bodies)
  class ReadableStream {
    constructor(source = {}, strategy) {
      this._queue = [];
      this._closed = false;
      this._error = undefined;
      this._waiting = [];
      this._demand = []; // resolvers waiting for a read to be asked for (TransformStream's backpressure)
      this._locked = false;
      this._source = source;
      this._pulling = false;
      this._closedPromise = new Promise((resolve, reject) => { this._resolveClosed = resolve; this._rejectClosed = reject; });
      this._closedPromise.catch(() => {});
      const controller = {
        enqueue: (chunk) => { if (this._closed) throw new TypeError("Cannot enqueue to a closed stream"); this._queue.push(chunk); this._flush(); },
        close: () => { this._closed = true; this._flush(); },
        error: (e) => { this._error = e === undefined ? new TypeError("stream errored") : e; this._flush(); },
        desiredSize: 1,
      };
      this._controller = controller;
      if (typeof source.start === "function") {
        const r = source.start(controller);
        if (r && typeof r.then === "function") r.then(undefined, controller.error);
      }
    }
    get locked() { return this._locked; }
    _flush() {
      while (this._waiting.length > 0) {
        if (this._error !== undefined) { this._waiting.shift().reject(this._error); continue; }
        if (this._queue.length > 0) { this._waiting.shift().resolve({ value: this._queue.shift(), done: false }); continue; }
        if (this._closed) { this._waiting.shift().resolve({ value: undefined, done: true }); continue; }
        break;
      }
      if (this._error !== undefined) this._rejectClosed(this._error);
      else if (this._closed && this._queue.length === 0) this._resolveClosed();
      if (this._error !== undefined || this._closed) this._satisfyDemand();
    }
    _satisfyDemand() {
      const d = this._demand;
      this._demand = [];
      for (const resolve of d) resolve();
    }
    // demanded resolves once a read is waiting for a chunk (or the stream
    // is over): what a TransformStream waits for before transforming.
    _demanded() {
      if (this._waiting.length > 0 || this._closed || this._error !== undefined) return Promise.resolve();
      return new Promise((resolve) => this._demand.push(resolve));
    }
    _read() {
      if (this._error !== undefined) return Promise.reject(this._error);
      if (this._queue.length > 0) {
        const value = this._queue.shift();
        if (this._closed && this._queue.length === 0) this._resolveClosed();
        return Promise.resolve({ value, done: false });
      }
      if (this._closed) return Promise.resolve({ value: undefined, done: true });
      const p = new Promise((resolve, reject) => this._waiting.push({ resolve, reject }));
      this._satisfyDemand();
      this._pull();
      return p;
    }
    // _pull asks the source for more, once at a time, and again when reads
    // are still waiting after it settles (an async pull that enqueued
    // nothing yet must not stall the stream); a pull that throws errors it.
    _pull() {
      if (typeof this._source.pull !== "function" || this._pulling) return;
      this._pulling = true;
      let r;
      try {
        r = this._source.pull(this._controller);
      } catch (e) {
        this._pulling = false;
        this._controller.error(e);
        return;
      }
      Promise.resolve(r).then(() => {
        this._pulling = false;
        if (this._waiting.length > 0 && !this._closed && this._error === undefined) this._pull();
      }, (e) => { this._pulling = false; this._controller.error(e); });
    }
    _cancel(reason) {
      if (this._closed && this._queue.length === 0) return Promise.resolve();
      this._closed = true;
      this._queue = [];
      this._flush(); // pending reads end
      return Promise.resolve(typeof this._source.cancel === "function" ? this._source.cancel(reason) : undefined).then(() => {});
    }
    getReader() { return new ReadableStreamDefaultReader(this); }
    cancel(reason) {
      if (this._locked) return Promise.reject(new TypeError("ReadableStream is locked"));
      return this._cancel(reason);
    }
    [Symbol.asyncIterator]() {
      // goja has no async generators: a hand-written async iterator.
      const reader = this.getReader();
      return {
        next: () => reader.read().then((r) => (r.done ? (reader.releaseLock(), { value: undefined, done: true }) : r)),
        return: () => { reader.releaseLock(); return Promise.resolve({ value: undefined, done: true }); },
        [Symbol.asyncIterator]() { return this; },
      };
    }
    tee() {
      const chunks = [];
      const reader = this.getReader();
      const all = (async () => { for (;;) { const { value, done } = await reader.read(); if (done) return chunks; chunks.push(value); } })();
      const branch = () => new ReadableStream({ async start(c) { for (const ch of await all) c.enqueue(ch); c.close(); } });
      return [branch(), branch()];
    }
  }
  tag(ReadableStream, "ReadableStream");
  class ReadableStreamDefaultReader {
    constructor(stream) {
      if (!(stream instanceof ReadableStream)) throw new TypeError("ReadableStreamDefaultReader needs a ReadableStream");
      if (stream._locked) throw new TypeError("ReadableStream is locked");
      stream._locked = true;
      this._stream = stream;
      this._closed = stream._closedPromise;
    }
    get closed() { return this._closed; }
    read() {
      if (this._stream === null) return Promise.reject(new TypeError("This reader has been released"));
      return this._stream._read();
    }
    cancel(reason) {
      if (this._stream === null) return Promise.reject(new TypeError("This reader has been released"));
      return this._stream._cancel(reason);
    }
    releaseLock() {
      const stream = this._stream;
      if (stream === null) return;
      const released = new TypeError("This reader has been released");
      for (const w of stream._waiting.splice(0)) w.reject(released);
      stream._locked = false;
      this._stream = null;
      this._closed = Promise.reject(released);
      this._closed.catch(() => {});
    }
  }
  tag(ReadableStreamDefaultReader, "ReadableStreamDefaultReader");
  function bytesStream(bytes) {
    return new ReadableStream({ start(c) { if (bytes.length) c.enqueue(bytes); c.close(); } });
  }
  async function readAllStream(stream) {
    const reader = stream.getReader();
    const chunks = [];
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      if (typeof value === "string") chunks.push(native.utf8Encode(value));
      else chunks.push(new Uint8Array(toBytes(value, "ReadableStream chunk")));
    }
    return concatBytes(chunks);
  }
  define("ReadableStream", ReadableStream);

  // ---------------------------------------------------------------- WritableStream, TransformStream, pipes
  // Writes reach the sink one at a time, in order. With the default
  // high-water mark of 1, desiredSize is 1 less the writes not yet done,
  // and ready resolves when it is positive again.
  class WritableStream {
    constructor(sink = {}, strategy) {
      this._sink = sink;
      this._state = "writable"; // closing, closed, errored
      this._error = undefined;
      this._locked = false;
      this._closed = new Promise((resolve, reject) => { this._resolveClosed = resolve; this._rejectClosed = reject; });
      this._closed.catch(() => {});
      const abort = new AbortController();
      this._abortController = abort;
      this._controller = { error: (e) => this._fail(e), signal: abort.signal };
      const started = typeof sink.start === "function" ? sink.start(this._controller) : undefined;
      this._chain = Promise.resolve(started).then(() => {}, (e) => this._fail(e));
      this._inflight = 0;
      this._readyWaiters = [];
    }
    _desiredSize() {
      return this._state === "errored" ? null : this._state === "writable" ? 1 - this._inflight : 0;
    }
    _ready() {
      if (this._state === "errored") return Promise.reject(this._error);
      if (this._inflight < 1) return Promise.resolve();
      return new Promise((resolve, reject) => this._readyWaiters.push({ resolve, reject }));
    }
    _settleReady() {
      if (this._inflight >= 1 && this._state !== "errored") return;
      for (const w of this._readyWaiters.splice(0)) this._state === "errored" ? w.reject(this._error) : w.resolve();
    }
    get locked() { return this._locked; }
    _fail(e) {
      if (this._state === "errored" || this._state === "closed") return;
      this._state = "errored";
      this._error = e;
      this._rejectClosed(e);
      this._settleReady();
    }
    _then(op) {
      const p = this._chain.then(() => {
        if (this._state === "errored") throw this._error;
        return op();
      });
      this._chain = p.then(() => {}, (e) => this._fail(e));
      return p;
    }
    _write(chunk) {
      if (this._state === "errored") return Promise.reject(this._error);
      if (this._state !== "writable") return Promise.reject(new TypeError("Cannot write to a closing or closed WritableStream"));
      this._inflight++;
      const done = () => { this._inflight--; this._settleReady(); };
      return this._then(() => (typeof this._sink.write === "function" ? this._sink.write(chunk, this._controller) : undefined))
        .then(() => { done(); }, (e) => { done(); throw e; });
    }
    _close() {
      if (this._state === "errored") return Promise.reject(this._error);
      if (this._state !== "writable") return Promise.reject(new TypeError("Cannot close a closing or closed WritableStream"));
      this._state = "closing";
      return this._then(() => (typeof this._sink.close === "function" ? this._sink.close() : undefined)).then(() => {
        this._state = "closed";
        this._resolveClosed();
      });
    }
    _abort(reason) {
      if (this._state === "closed" || this._state === "errored") return Promise.resolve();
      const pending = this._chain; // a write in progress finishes before the sink hears of the abort
      this._fail(reason);
      this._abortController.abort(reason);
      return pending.then(() => (typeof this._sink.abort === "function" ? this._sink.abort(reason) : undefined)).then(() => {});
    }
    getWriter() { return new WritableStreamDefaultWriter(this); }
    close() {
      if (this._locked) return Promise.reject(new TypeError("WritableStream is locked"));
      return this._close();
    }
    abort(reason) {
      if (this._locked) return Promise.reject(new TypeError("WritableStream is locked"));
      return this._abort(reason);
    }
  }
  tag(WritableStream, "WritableStream");
  class WritableStreamDefaultWriter {
    constructor(stream) {
      if (!(stream instanceof WritableStream)) throw new TypeError("WritableStreamDefaultWriter needs a WritableStream");
      if (stream._locked) throw new TypeError("WritableStream is locked");
      stream._locked = true;
      this._stream = stream;
    }
    get closed() { return this._released ? this._released : this._stream._closed; }
    get ready() { return this._released ? this._released : this._stream._ready(); }
    get desiredSize() {
      if (this._released) throw new TypeError("This writer has been released");
      return this._stream._desiredSize();
    }
    write(chunk) { return this._released ? this._released : this._stream._write(chunk); }
    close() { return this._released ? this._released : this._stream._close(); }
    abort(reason) { return this._released ? this._released : this._stream._abort(reason); }
    releaseLock() {
      if (this._released) return;
      this._stream._locked = false;
      this._released = Promise.reject(new TypeError("This writer has been released"));
      this._released.catch(() => {});
    }
  }
  tag(WritableStreamDefaultWriter, "WritableStreamDefaultWriter");

  const kReadable = Symbol("readable"), kWritable = Symbol("writable");
  class TransformStream {
    constructor(transformer = {}, writableStrategy, readableStrategy) {
      let rc;
      let writable;
      const readable = new ReadableStream({
        start(c) { rc = c; },
        cancel(reason) { writable._fail(reason === undefined ? new TypeError("TransformStream readable side cancelled") : reason); },
      });
      const controller = {
        enqueue: (chunk) => rc.enqueue(chunk),
        error: (e) => { rc.error(e); writable._fail(e); },
        terminate: () => { rc.close(); writable._fail(new TypeError("TransformStream terminated")); },
        get desiredSize() { return 1; },
      };
      const started = typeof transformer.start === "function" ? transformer.start(controller) : undefined;
      writable = new WritableStream({
        start: () => started,
        write: async (chunk) => {
          // Backpressure: a chunk is transformed once a read asks for one
          // (the readable side's high-water mark is 0), so an awaited
          // write waits for its reader, as on Workers.
          await readable._demanded();
          try {
            if (typeof transformer.transform === "function") await transformer.transform(chunk, controller);
            else controller.enqueue(chunk);
          } catch (e) {
            rc.error(e);
            throw e;
          }
        },
        close: async () => {
          try {
            if (typeof transformer.flush === "function") await transformer.flush(controller);
          } catch (e) {
            rc.error(e);
            throw e;
          }
          if (!readable._closed) rc.close();
        },
        abort: (reason) => rc.error(reason),
      });
      this[kReadable] = readable;
      this[kWritable] = writable;
    }
    get readable() { return this[kReadable]; }
    get writable() { return this[kWritable]; }
  }
  tag(TransformStream, "TransformStream");
  // Workers' own: a TransformStream that passes bytes through.
  class IdentityTransformStream extends TransformStream {
    constructor() {
      super({
        transform(chunk, c) {
          if (!(chunk instanceof ArrayBuffer || ArrayBuffer.isView(chunk))) {
            throw new TypeError("This TransformStream is being used as a byte stream, but received an object of non-ArrayBuffer/ArrayBufferView type on its writable side.");
          }
          c.enqueue(chunk instanceof ArrayBuffer ? new Uint8Array(chunk) : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        },
      });
    }
  }

  ReadableStream.prototype.pipeTo = async function pipeTo(dest, options = {}) {
    if (!(dest instanceof WritableStream)) throw new TypeError("pipeTo: the destination must be a WritableStream");
    if (this._locked) throw new TypeError("ReadableStream is locked");
    if (dest._locked) throw new TypeError("WritableStream is locked");
    const reader = this.getReader();
    const writer = dest.getWriter();
    const signal = options.signal;
    // An abort, or the destination failing, ends the pipe even while the
    // source has nothing to read.
    const abortReason = () => (signal.reason !== undefined ? signal.reason : new DOMException("The operation was aborted.", "AbortError"));
    let onAbort;
    const stopped = new Promise((_, reject) => {
      if (signal) {
        onAbort = () => reject(abortReason());
        if (signal.aborted) onAbort();
        else signal.addEventListener("abort", onAbort);
      }
      dest._closed.then(undefined, reject);
    });
    stopped.catch(() => {});
    try {
      for (;;) {
        const { value, done } = await Promise.race([reader.read(), stopped]);
        if (done) break;
        await Promise.race([writer.write(value), stopped]);
      }
      if (!options.preventClose) await writer.close();
    } catch (e) {
      if (!options.preventAbort) await writer.abort(e).catch(() => {});
      if (!options.preventCancel) await reader.cancel(e).catch(() => {});
      throw e;
    } finally {
      if (signal && onAbort) signal.removeEventListener("abort", onAbort);
      reader.releaseLock();
      writer.releaseLock();
    }
  };
  ReadableStream.prototype.pipeThrough = function pipeThrough(transform, options) {
    if (this._locked) throw new TypeError("ReadableStream is locked");
    if (!transform || !(transform.writable instanceof WritableStream) || !(transform.readable instanceof ReadableStream)) {
      throw new TypeError("pipeThrough: expected { writable, readable }");
    }
    this.pipeTo(transform.writable, options).catch(() => {});
    return transform.readable;
  };
  ReadableStream.from = function from(iterable) {
    const async = iterable != null && typeof iterable[Symbol.asyncIterator] === "function";
    const method = iterable != null && (async ? iterable[Symbol.asyncIterator] : iterable[Symbol.iterator]);
    if (typeof method !== "function") throw new TypeError("ReadableStream.from: the argument must be iterable");
    const it = method.call(iterable);
    return new ReadableStream({
      async pull(c) {
        const r = await it.next();
        if (r.done) c.close();
        else c.enqueue(async ? r.value : await r.value); // a sync iterable's promises are awaited
      },
      cancel(reason) { if (typeof it.return === "function") return it.return(reason); },
    });
  };

  class TextEncoderStream extends TransformStream {
    constructor() {
      const encoder = new TextEncoder();
      let high = ""; // a high surrogate ending the last chunk waits for its pair
      super({
        transform(chunk, c) {
          let text = high + String(chunk);
          high = "";
          const last = text.charCodeAt(text.length - 1);
          if (last >= 0xd800 && last <= 0xdbff) {
            high = text[text.length - 1];
            text = text.slice(0, -1);
          }
          const b = encoder.encode(text);
          if (b.length) c.enqueue(b);
        },
        flush(c) { if (high) c.enqueue(encoder.encode("\ufffd")); },
      });
    }
    get encoding() { return "utf-8"; }
  }
  class TextDecoderStream extends TransformStream {
    constructor(label = "utf-8", options = {}) {
      const decoder = new TextDecoder(label, options);
      super({
        transform(chunk, c) { const s = decoder.decode(chunk, { stream: true }); if (s) c.enqueue(s); },
        flush(c) { const s = decoder.decode(); if (s) c.enqueue(s); },
      });
      this._decoder = decoder;
    }
    get encoding() { return this._decoder.encoding; }
    get fatal() { return this._decoder.fatal; }
    get ignoreBOM() { return this._decoder.ignoreBOM; }
  }
  define("WritableStream", WritableStream);
  define("WritableStreamDefaultWriter", WritableStreamDefaultWriter);
  define("TransformStream", TransformStream);
  define("IdentityTransformStream", IdentityTransformStream);
  define("TextEncoderStream", TextEncoderStream);
  define("TextDecoderStream", TextDecoderStream);

  // ---------------------------------------------------------------- Body
  const kBody = Symbol("body"); // null | string | Uint8Array | ReadableStream
  const kUsed = Symbol("used");
  const kHeaders = Symbol("headers");
  const kType = Symbol("contentType"); // default content-type, applied lazily
  const kStream = Symbol("stream");

  // Extracts a body per the Fetch spec; returns [body, contentType].
  function extractBody(body) {
    if (body === undefined || body === null) return [null, null];
    if (typeof body === "string") return [body, "text/plain;charset=UTF-8"];
    if (body instanceof Uint8Array) return [body, null];
    if (body instanceof ArrayBuffer) return [new Uint8Array(body), null];
    if (ArrayBuffer.isView(body)) return [new Uint8Array(body.buffer, body.byteOffset, body.byteLength), null];
    if (typeof URLSearchParams !== "undefined" && body instanceof URLSearchParams) return [body.toString(), "application/x-www-form-urlencoded;charset=UTF-8"];
    if (body instanceof Blob) return [body[kBytes], body.type || null];
    if (body instanceof FormData) {
      const boundary = "----edgerunFormBoundary" + native.randomUUID().replace(/-/g, "");
      return [encodeMultipart(body, boundary), "multipart/form-data; boundary=" + boundary];
    }
    if (body instanceof ReadableStream) return [body, null];
    return [String(body), "text/plain;charset=UTF-8"];
  }
  function encodeMultipart(fd, boundary) {
    const chunks = [];
    const esc = (s) => s.replace(/\r/g, "%0D").replace(/\n/g, "%0A").replace(/"/g, "%22");
    for (const [name, value] of fd) {
      let head = `--${boundary}\r\nContent-Disposition: form-data; name="${esc(name)}"`;
      if (value instanceof File) {
        head += `; filename="${esc(value.name)}"\r\nContent-Type: ${value.type || "application/octet-stream"}\r\n\r\n`;
        chunks.push(native.utf8Encode(head), value[kBytes], native.utf8Encode("\r\n"));
      } else {
        chunks.push(native.utf8Encode(head + "\r\n\r\n" + value + "\r\n"));
      }
    }
    chunks.push(native.utf8Encode(`--${boundary}--\r\n`));
    return concatBytes(chunks);
  }
  function consume(obj) {
    if (obj[kUsed]) return Promise.reject(new TypeError("Body has already been used. It can only be used once. Use tee() first if you need to read it twice."));
    const b = obj[kBody];
    obj[kUsed] = b !== null;
    if (b instanceof ReadableStream) return readAllStream(b);
    return Promise.resolve(b);
  }
  const asText = (b) => (b === null ? "" : typeof b === "string" ? b : native.utf8Decode(b, false, false));
  const asBytes = (b) => (b === null ? new Uint8Array(0) : typeof b === "string" ? native.utf8Encode(b) : b.slice());
  const BodyMixin = {
    get body() {
      const b = this[kBody];
      if (b === null) return null;
      if (b instanceof ReadableStream) return b;
      if (!this[kStream]) {
        this[kStream] = bytesStream(typeof b === "string" ? native.utf8Encode(b) : b);
        this[kBody] = this[kStream];
      }
      return this[kStream];
    },
    get bodyUsed() { return !!this[kUsed]; },
    text() { return consume(this).then(asText); },
    json() { return consume(this).then((b) => JSON.parse(asText(b))); },
    arrayBuffer() { return consume(this).then((b) => asBytes(b).buffer); },
    bytes() { return consume(this).then(asBytes); },
    blob() { return consume(this).then((b) => new Blob([asBytes(b)], { type: this.headers.get("content-type") || "" })); },
    formData() {
      const type = this.headers.get("content-type") || "";
      return consume(this).then((b) => {
        const fd = new FormData();
        if (/^application\/x-www-form-urlencoded/i.test(type)) {
          for (const [k, v] of new URLSearchParams(asText(b))) fd.append(k, v);
          return fd;
        }
        const m = /^multipart\/form-data;.*boundary=(?:"([^"]+)"|([^;]+))/i.exec(type);
        if (!m) throw new TypeError("Unrecognized Content-Type header value. FormData can only parse the following MIME types: multipart/form-data, application/x-www-form-urlencoded");
        const parts = native.parseMultipart(typeof b === "string" ? native.utf8Encode(b) : b || new Uint8Array(0), m[1] || m[2]);
        for (const p of parts) {
          if (p.filename === undefined) fd.append(p.name, native.utf8Decode(p.data, false, false));
          else fd.append(p.name, new File([p.data], p.filename, { type: p.type }));
        }
        return fd;
      });
    },
  };
  function mixBody(cls) {
    for (const k of Object.getOwnPropertyNames(BodyMixin)) Object.defineProperty(cls.prototype, k, Object.getOwnPropertyDescriptor(BodyMixin, k));
  }
  function headersOf(obj) {
    let h = obj[kHeaders];
    if (h === undefined) {
      h = obj[kHeaders] = new Headers();
      if (obj[kType]) h.set("content-type", obj[kType]);
    }
    return h;
  }
  function cloneBody(from, to) {
    let b = from[kBody];
    if (from[kUsed]) throw new TypeError("Body has already been used. It can only be used once. Use tee() first if you need to read it twice.");
    if (b instanceof ReadableStream) {
      const [a, c] = b.tee();
      from[kBody] = a;
      from[kStream] = a;
      b = c;
    }
    to[kBody] = b;
  }

  // ---------------------------------------------------------------- Request
  // Property writes are what cost most in goja (each object is a map), so
  // Request and Response keep their defaults on the prototype and set own
  // properties only where a value differs: a plain `new Response("hi")` sets
  // two.
  const kMethod = Symbol("method"), kURL = Symbol("url"), kCF = Symbol("cf"), kSignal = Symbol("signal"), kRedirect = Symbol("redirect");
  const kFlatHeaders = Symbol("flatHeaders");
  const methods = new Set(["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH"]);
  class Request {
    constructor(input, init) {
      if (init === null || typeof init !== "object") init = noInit;
      let src = null;
      if (input instanceof Request) {
        src = input;
        this[kURL] = input[kURL];
      } else {
        let u;
        try { u = new URL(String(input)); } catch (e) { throw new TypeError(`Invalid URL: ${String(input)}`); }
        this[kURL] = u.href;
      }
      let method = init.method !== undefined ? String(init.method) : src ? src[kMethod] : "GET";
      if (!tokenRe.test(method)) throw new TypeError(`Invalid HTTP method string: ${method}`);
      const up = method.toUpperCase();
      if (methods.has(up)) method = up;
      if (method !== "GET") this[kMethod] = method;
      const redirect = init.redirect || (src ? src[kRedirect] : "follow");
      if (redirect !== "follow") this[kRedirect] = redirect;
      const signal = init.signal || (src ? src[kSignal] : null);
      if (signal) this[kSignal] = signal;
      const cf = init.cf !== undefined ? init.cf : src ? src[kCF] : undefined;
      if (cf !== undefined) this[kCF] = cf;
      if (init.headers !== undefined) this[kHeaders] = new Headers(init.headers);
      else if (src) this[kHeaders] = new Headers(src.headers);
      let body = init.body;
      if (body === undefined && src) {
        if (src[kUsed]) throw new TypeError("Cannot construct a Request with a Request object that has already been used.");
        this[kBody] = src[kBody];
        if (src[kBody] !== null) src[kUsed] = true;
      } else {
        if (body !== undefined && body !== null && (method === "GET" || method === "HEAD"))
          throw new TypeError("Request with a GET or HEAD method cannot have a body.");
        const [b, type] = extractBody(body);
        if (b !== null) this[kBody] = b;
        if (type) {
          if (this[kHeaders] === undefined) this[kType] = type;
          else if (!this[kHeaders].has("content-type")) this[kHeaders].set("content-type", type);
        }
      }
    }
    get method() { return this[kMethod]; }
    get url() { return this[kURL]; }
    get headers() {
      const flat = this[kFlatHeaders];
      if (flat !== undefined && this[kHeaders] === undefined) return (this[kHeaders] = hostHeaders(flat, "immutable"));
      return headersOf(this);
    }
    get redirect() { return this[kRedirect]; }
    get signal() { return this[kSignal] || (this[kSignal] = new AbortSignal(kListeners)); }
    get cf() { return this[kCF]; }
    get fetcher() { return null; }
    get keepalive() { return false; }
    get integrity() { return ""; }
    clone() {
      const r = Object.create(Request.prototype);
      r[kURL] = this[kURL]; r[kMethod] = this[kMethod]; r[kRedirect] = this[kRedirect];
      if (this[kSignal]) r[kSignal] = this[kSignal];
      if (this[kCF] !== undefined) r[kCF] = this[kCF];
      r[kHeaders] = new Headers(this.headers);
      cloneBody(this, r);
      return r;
    }
  }
  const noInit = Object.freeze({});
  Object.assign(Request.prototype, {
    [kMethod]: "GET", [kRedirect]: "follow", [kSignal]: null, [kCF]: undefined,
    [kUsed]: false, [kType]: null, [kBody]: null,
  });
  mixBody(Request);
  tag(Request, "Request");
  define("Request", Request);

  // ---------------------------------------------------------------- Response
  const kIsResponse = Symbol("isResponse");
  const kStatus = Symbol("status"), kStatusText = Symbol("statusText"), kRespType = Symbol("type"), kRespURL = Symbol("url");
  const nullBodyStatus = new Set([101, 204, 205, 304]);
  const redirectStatus = new Set([301, 302, 303, 307, 308]);
  class Response {
    constructor(body, init) {
      if (init !== undefined && init !== null) {
        if (typeof init !== "object") init = noInit;
        if (init.status !== undefined) {
          const status = Number(init.status);
          if (!Number.isInteger(status) || ((status < 200 || status > 599) && status !== 101))
            throw new RangeError(`Response constructor: Invalid response status code ${init.status}`);
          if (status !== 200) this[kStatus] = status;
          if (body !== null && body !== undefined && nullBodyStatus.has(status))
            throw new TypeError("Response with null body status cannot have body");
        }
        if (init.statusText !== undefined) {
          const text = String(init.statusText);
          if (/[^\t\x20-\x7e\x80-\xff]/.test(text)) throw new TypeError("Response constructor: Invalid statusText");
          this[kStatusText] = text;
        }
        if (init.headers !== undefined) this[kHeaders] = new Headers(init.headers);
        if (init.webSocket) this.webSocket = init.webSocket;
        if (init.cf !== undefined) this.cf = init.cf;
      }
      if (typeof body === "string") {
        this[kBody] = body;
        if (this[kHeaders] === undefined) this[kType] = "text/plain;charset=UTF-8";
        else if (!this[kHeaders].has("content-type")) this[kHeaders].set("content-type", "text/plain;charset=UTF-8");
        return;
      }
      if (body === undefined || body === null) return;
      const [b, type] = extractBody(body);
      this[kBody] = b;
      if (type) {
        if (this[kHeaders] === undefined) this[kType] = type;
        else if (!this[kHeaders].has("content-type")) this[kHeaders].set("content-type", type);
      }
    }
    get status() { return this[kStatus]; }
    get statusText() { return this[kStatusText]; }
    get ok() { return this[kStatus] >= 200 && this[kStatus] < 300; }
    get headers() { return headersOf(this); }
    get redirected() { return false; }
    get type() { return this[kRespType]; }
    get url() { return this[kRespURL]; }
    clone() {
      const r = Object.create(Response.prototype);
      r[kStatus] = this[kStatus]; r[kStatusText] = this[kStatusText];
      r[kRespType] = this[kRespType]; r[kRespURL] = this[kRespURL];
      r[kHeaders] = new Headers(this.headers);
      if (this.cf !== undefined) r.cf = this.cf;
      cloneBody(this, r);
      return r;
    }
    static json(data, init) {
      const text = JSON.stringify(data);
      if (text === undefined) throw new TypeError("Value is not JSON serializable");
      const r = new Response(text, init);
      if (r[kHeaders] === undefined) r[kType] = "application/json";
      else if (init === undefined || init === null || init.headers === undefined || !new Headers(init.headers).has("content-type"))
        r[kHeaders].set("content-type", "application/json");
      return r;
    }
    static redirect(url, status) {
      if (status === undefined) status = 302;
      if (!redirectStatus.has(status)) throw new RangeError(`Invalid redirect status code ${status}`);
      let href;
      try { href = new URL(String(url)).href; } catch (e) { throw new TypeError(`Invalid URL: ${String(url)}`); }
      const r = new Response(null, { status, headers: { location: href } });
      r[kHeaders][kGuard] = "immutable";
      return r;
    }
    static error() {
      const r = new Response(null);
      r[kStatus] = 0;
      r[kRespType] = "error";
      return r;
    }
  }
  // A brand on the prototype: cheaper than instanceof, which allocates in
  // goja, and true for subclasses too.
  Object.assign(Response.prototype, {
    [kIsResponse]: true,
    [kStatus]: 200, [kStatusText]: "", [kUsed]: false, [kType]: null, [kRespType]: "default", [kRespURL]: "",
    [kBody]: null, webSocket: null, cf: undefined,
  });
  mixBody(Response);
  tag(Response, "Response");
  define("Response", Response);

  // ---------------------------------------------------------------- fetch (outbound)
  // Outbound fetch: the Go side makes the HTTP request off the loop; the
  // body is buffered both ways.
  define("fetch", function fetch(input, init) {
    let req;
    try {
      req = new Request(input, init);
    } catch (e) {
      return Promise.reject(e);
    }
    if (req[kSignal] && req[kSignal].aborted) return Promise.reject(req[kSignal].reason);
    const b = req[kBody];
    const bodyBytes = b === null ? Promise.resolve(null)
      : b instanceof ReadableStream ? readAllStream(b)
      : Promise.resolve(typeof b === "string" ? native.utf8Encode(b) : b);
    return bodyBytes.then((bytes) => native.fetch(req[kMethod], req[kURL], flatten(req.headers), bytes, req[kRedirect]))
      .then((r) => {
        const status = r.status;
        const res = new Response(null, { statusText: r.statusText, headers: undefined });
        if (status !== 200) res[kStatus] = status;
        const h = hostHeaders(r.headers, "immutable");
        res[kHeaders] = h;
        if (r.body !== null && r.body.byteLength > 0 && !nullBodyStatus.has(status)) res[kBody] = new Uint8Array(r.body);
        res[kRespType] = "basic";
        res[kRespURL] = r.url;
        if (r.redirected) Object.defineProperty(res, "redirected", { value: true });
        return res;
      });
  });

  // ---------------------------------------------------------------- Cache API
  // caches.default and caches.open(name), as one Workers location has them:
  // in memory, shared by the isolates of this process. put() keeps a
  // response for as long as its headers say (Cache-Control s-maxage or
  // max-age, Expires, else Cloudflare's edge TTL for its status).
  const kCacheName = Symbol("cacheName");
  const statusTTL = { 200: 7200, 206: 7200, 301: 7200, 302: 1200, 303: 1200, 404: 180, 410: 180 };
  const maxTTL = 365 * 24 * 3600; // longer lives are capped (and stay within Go's durations)
  function cacheTTL(headers, status) {
    const dirs = new Map();
    for (const part of (headers.get("cache-control") || "").toLowerCase().split(",")) {
      const eq = part.indexOf("=");
      const k = (eq < 0 ? part : part.slice(0, eq)).trim();
      if (k) dirs.set(k, eq < 0 ? "" : part.slice(eq + 1).trim().replace(/^"|"$/g, ""));
    }
    if (dirs.has("no-store") || dirs.has("no-cache") || dirs.get("private") === "") return 0;
    for (const d of ["s-maxage", "max-age"]) {
      if (dirs.has(d)) {
        const n = Number(dirs.get(d));
        return Number.isFinite(n) && n > 0 ? Math.min(n, maxTTL) : 0;
      }
    }
    const expires = headers.get("expires");
    if (expires !== null) {
      const t = Date.parse(expires);
      return Number.isNaN(t) ? 0 : Math.min(maxTTL, Math.max(0, (t - Date.now()) / 1000));
    }
    return statusTTL[status] || 0;
  }
  function headersFromFlat(flat) {
    const h = new Headers();
    const parts = flat === "" ? [] : flat.split("\0");
    for (let i = 0; i + 1 < parts.length; i += 2) h.append(parts[i], parts[i + 1]);
    return h;
  }
  const asRequest = (r) => (r instanceof Request ? r : new Request(r));
  class Cache {
    constructor(name) { this[kCacheName] = name; }
    async put(request, response) {
      const req = asRequest(request);
      if (req.method !== "GET") throw new TypeError("Cannot cache response to non-GET request.");
      if (!(response instanceof Response)) throw new TypeError("Cache.put(): the response must be a Response.");
      if (response.status === 206) throw new TypeError("Cannot cache response to a range request (206 Partial Content).");
      const vary = response.headers.get("vary");
      if (vary !== null && vary.split(",").some((v) => v.trim() === "*")) throw new TypeError("Cannot cache response with 'Vary: *' header.");
      if (response.bodyUsed) throw new TypeError("Response body is already used");
      const headers = new Headers(response.headers);
      const body = new Uint8Array(await response.arrayBuffer());
      if (headers.has("set-cookie")) {
        // Never cached with its cookie: only Cache-Control: private=Set-Cookie
        // stores the response, without it.
        if (!/private\s*=\s*"?[^,]*set-cookie/.test((headers.get("cache-control") || "").toLowerCase())) return;
        headers.delete("set-cookie");
      }
      const ttl = cacheTTL(headers, response.status);
      if (ttl > 0) native.cachePut(this[kCacheName], req.url, response.status, response.statusText, flatten(headers), body, ttl);
    }
    async match(request, options) {
      const req = asRequest(request);
      if (req.method !== "GET" && !(options && options.ignoreMethod)) return undefined;
      const hit = native.cacheMatch(this[kCacheName], req.url);
      if (hit === null) return undefined;
      const headers = headersFromFlat(hit.headers);
      headers.set("cf-cache-status", "HIT");
      const etag = headers.get("etag");
      const inm = req.headers.get("if-none-match");
      const opaque = (t) => t.trim().replace(/^W\//, "");
      if (inm !== null) {
        if (etag !== null && (inm.trim() === "*" || inm.split(",").some((t) => opaque(t) === opaque(etag)))) {
          return new Response(null, { status: 304, headers });
        }
      } else {
        const ims = req.headers.get("if-modified-since"), lm = headers.get("last-modified");
        if (ims !== null && lm !== null && Date.parse(lm) <= Date.parse(ims)) return new Response(null, { status: 304, headers });
      }
      const range = req.headers.get("range");
      const m = range !== null && hit.status === 200 ? /^bytes=(\d*)-(\d*)$/.exec(range.trim()) : null;
      // A backwards range (bytes=5-2) is no range: the whole response.
      if (m && (m[1] !== "" || m[2] !== "") && !(m[1] !== "" && m[2] !== "" && Number(m[2]) < Number(m[1]))) {
        const size = hit.body.length;
        let start = Number(m[1]), end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
        if (m[1] === "") { start = Math.max(0, size - Number(m[2])); end = size - 1; }
        if (start > end || start >= size) {
          headers.set("content-range", `bytes */${size}`);
          return new Response(null, { status: 416, headers });
        }
        headers.set("content-range", `bytes ${start}-${end}/${size}`);
        headers.set("content-length", String(end - start + 1));
        return new Response(hit.body.slice(start, end + 1), { status: 206, headers });
      }
      return new Response(nullBodyStatus.has(hit.status) ? null : hit.body, { status: hit.status, statusText: hit.statusText, headers });
    }
    async delete(request, options) {
      const req = asRequest(request);
      if (req.method !== "GET" && !(options && options.ignoreMethod)) return false;
      return native.cacheDelete(this[kCacheName], req.url);
    }
  }
  tag(Cache, "Cache");
  const kDefaultCache = Symbol("defaultCache");
  class CacheStorage {
    constructor() { this[kDefaultCache] = new Cache(""); }
    get default() { return this[kDefaultCache]; }
    async open(name) { return new Cache("named:" + String(name)); }
  }
  tag(CacheStorage, "CacheStorage");
  define("Cache", Cache);
  define("CacheStorage", CacheStorage);
  define("caches", new CacheStorage());

  // ---------------------------------------------------------------- dispatch
  // The host calls dispatch(id, method, url, headers, body, cf, env) per
  // request and hears back through native.respond / native.fail /
  // native.finished.
  let handlerMode = null; // "module" | "service-worker"
  let moduleHandler = null;
  const fetchListeners = [];
  const addEventListener = (type, listener) => {
    if (type === "fetch" || type === "scheduled") {
      if (typeof listener !== "function" && !(listener && typeof listener.handleEvent === "function"))
        throw new TypeError("addEventListener: listener must be a function");
      fetchListeners.push({ type, listener });
    }
  };
  define("addEventListener", addEventListener);
  define("removeEventListener", (type, listener) => {
    const i = fetchListeners.findIndex((l) => l.type === type && l.listener === listener);
    if (i >= 0) fetchListeners.splice(i, 1);
  });
  define("self", global);
  define("navigator", Object.freeze({ userAgent: "Cloudflare-Workers", hardwareConcurrency: 1, language: "en" }));

  // The host's record of one request (its id, pending waitUntil work,
  // whether it has answered) is a plain object the script never sees. The
  // handler gets an ExecutionContext that keeps it in a private field: no
  // property, symbol or proxy reaches it, and a context cannot be made for
  // another request (the constructor wants a token only the prelude has).
  const ctxToken = Symbol("ExecutionContext");
  const newState = (id) => ({ id, waits: 0, responded: false, passThrough: false, props: undefined, result: undefined });
  class ExecutionContext {
    #s;
    constructor(token, state) {
      if (token !== ctxToken) throw new TypeError("Illegal constructor");
      this.#s = state;
    }
    waitUntil(p) { waitUntil(this.#s, p); }
    passThroughOnException() { this.#s.passThrough = true; }
    get props() { const s = this.#s; return s.props || (s.props = {}); }
  }
  function waitUntil(state, p) {
    state.waits++;
    Promise.resolve(p).then(undefined, (e) => native.print("error", "Uncaught (in promise) " + inspect(e, 0, [], true))).then(() => {
      if (--state.waits === 0 && state.responded) native.finished(state.id);
    });
  }
  class FetchEvent extends Event {
    #s;
    #response = undefined;
    constructor(token, request, state) {
      if (token !== ctxToken) throw new TypeError("Illegal constructor");
      super("fetch");
      this.request = request;
      this.#s = state;
    }
    respondWith(p) {
      if (this.#response !== undefined) throw new DOMException("FetchEvent.respondWith() has already been called; it can only be called once.", "InvalidStateError");
      this.#response = Promise.resolve(p);
    }
    waitUntil(p) { waitUntil(this.#s, p); }
    passThroughOnException() { this.#s.passThrough = true; }
    static responseOf(event) { return event.#response; }
  }
  const responseOf = FetchEvent.responseOf;
  delete FetchEvent.responseOf;

  function setHandler(exportsObj) {
    const def = exportsObj && exportsObj.default;
    if (def && typeof def === "object" && typeof def.fetch === "function") {
      handlerMode = "module";
      moduleHandler = def;
    } else if (typeof def === "function" && def.prototype && typeof def.prototype.fetch === "function") {
      handlerMode = "class";
      moduleHandler = def;
    } else if (fetchListeners.some((l) => l.type === "fetch")) {
      handlerMode = "service-worker";
    } else if (def && typeof def === "object") {
      handlerMode = "module";
      moduleHandler = def;
    } else {
      throw new TypeError("No fetch handler: the script must `export default { fetch(request, env, ctx) { … } }` or call addEventListener(\"fetch\", …)");
    }
    return handlerMode;
  }

  function respond(state, res) {
    if (res === null || typeof res !== "object" || res[kIsResponse] !== true) {
      fail(state, new TypeError("Incorrect type for Promise: the Promise did not resolve to 'Response'."));
      return;
    }
    // Reading the response runs the script's code (its slots may hold
    // anything): what throws fails the request, never leaves it unanswered.
    try {
      const b = res[kBody];
      if (b instanceof ReadableStream) {
        if (res[kUsed]) { fail(state, new TypeError("The Response body has already been used.")); return; }
        res[kUsed] = true;
        streamOut(state, res, b);
        return;
      }
      send(state, res, b);
    } catch (e) {
      if (!state.responded) fail(state, e);
      else throw e;
    }
  }
  // streamOut sends the headers now and each chunk as the stream yields
  // it (server-sent events, token streams). The body counts as the
  // request's pending work: the request finishes when it ends.
  function streamOut(state, res, stream) {
    const h = res[kHeaders];
    state.responded = true;
    state.waits++;
    const reader = stream.getReader();
    let ended = false;
    const end = (err) => {
      if (ended) return;
      ended = true;
      native.streamEnd(state.id, err);
      if (--state.waits === 0) native.finished(state.id);
    };
    // The client went away: stop the stream even if the script is not
    // writing to it, so that the request can finish.
    const stop = () => {
      reader.cancel(new DOMException("The client disconnected.", "AbortError")).catch(() => {});
      end(null);
    };
    const taken = h === undefined
      ? native.respondStream(state.id, res[kStatus], res[kStatusText], "", res[kType], stop)
      : native.respondStream(state.id, res[kStatus], res[kStatusText], flatten(h), null, stop);
    if (taken === false) return stop(); // the request was ended meanwhile (its client left)
    const pump = () => reader.read().then(({ value, done }) => {
      if (done) return end(null);
      if (!(value instanceof ArrayBuffer || ArrayBuffer.isView(value))) {
        // Workers' bodies are byte streams.
        const e = new TypeError("This ReadableStream did not return bytes.");
        reader.cancel(e).catch(() => {});
        return end(e);
      }
      const bytes = value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
      const more = native.streamChunk(state.id, bytes);
      if (more === false) return stop(); // the client went away
      // Not returned: a long stream must not build a chain of promises.
      if (more === true) pump();
      else more.then(pump);
    }, (e) => end(e));
    pump();
  }
  // send hands the response to the host in one call: headers as one
  // string (or just the default content type), and whether the request is
  // also finished (no waitUntil work pending).
  function send(state, res, body) {
    const h = res[kHeaders];
    state.responded = true;
    if (h === undefined) native.respond(state.id, res[kStatus], res[kStatusText], "", res[kType], body, state.waits === 0);
    else native.respond(state.id, res[kStatus], res[kStatusText], flatten(h), null, body, state.waits === 0);
  }
  function fail(state, err) {
    state.responded = true;
    native.fail(state.id, err, state.waits === 0);
  }

  // Requests from the host share a prototype carrying what is the same for
  // all of them, so each sets two or three own properties.
  let hostProto = null, hostCF;
  function hostRequest(method, url, headers, body, cf) {
    if (hostProto === null || cf !== hostCF) {
      hostProto = objectCreate(Request.prototype);
      // Every slot a request's own properties live in is a data property
      // here that cannot be redefined: writing one on a request makes an
      // own property, so a setter a script puts on a prototype never sees
      // a later request's URL, headers or body.
      for (const k of [kMethod, kURL, kFlatHeaders, kBody, kHeaders, kSignal, kType, kUsed, kStream]) {
        defineSlot(hostProto, k, { value: Request.prototype[k], writable: true, configurable: false });
      }
      defineSlot(hostProto, kRedirect, { value: "manual", writable: false, configurable: false });
      defineSlot(hostProto, kCF, { value: hostCF = cf, writable: false, configurable: false });
    }
    const r = objectCreate(hostProto);
    if (method !== "GET") r[kMethod] = method;
    r[kURL] = url;
    r[kFlatHeaders] = headers;
    if (body !== null) r[kBody] = new Uint8Array(body);
    return r;
  }

  function dispatch(id, method, url, headers, body, cf, env) {
    const state = newState(id);
    const ctx = new ExecutionContext(ctxToken, state);
    const request = hostRequest(method, url, headers, body, cf);
    let result;
    try {
      if (handlerMode === "module") {
        if (typeof moduleHandler.fetch !== "function") throw new TypeError("Handler does not export a fetch() function.");
        result = moduleHandler.fetch(request, env, ctx);
      } else if (handlerMode === "class") {
        const inst = new moduleHandler(ctx, env);
        inst.env = env; inst.ctx = ctx;
        result = inst.fetch(request);
      } else {
        const event = new FetchEvent(ctxToken, request, state);
        for (const l of fetchListeners) {
          if (l.type !== "fetch") continue;
          if (typeof l.listener === "function") l.listener.call(global, event); else l.listener.handleEvent(event);
          if (responseOf(event) !== undefined) break;
        }
        if (responseOf(event) === undefined) throw new Error("No response! The script did not call event.respondWith() in its \"fetch\" event listener.");
        result = responseOf(event);
      }
    } catch (e) {
      fail(state, e);
      return;
    }
    if (result !== null && typeof result === "object" && result[kIsResponse] === true) respond(state, result);
    else if (result && typeof result.then === "function") {
      // Hand the promise to the host: once this call returns and the
      // microtasks have run, an async handler that never really waited has
      // settled already, and the host answers without a then() (costly in
      // goja); otherwise it calls attach().
      state.result = result;
      return state;
    } else respond(state, result);
  }
  // attach waits for a handler's pending promise. An await costs goja less
  // than a then(): it adds reactions to the promise without deriving a new
  // one, and no closures are made.
  async function attach(state) {
    let r;
    try {
      r = await state.result;
    } catch (e) {
      fail(state, e);
      return;
    }
    respond(state, r);
  }
  function settled(state, ok, value) {
    if (ok) respond(state, value);
    else fail(state, value);
  }

  function scheduled(id, cron, scheduledTime, env) {
    const state = newState(id);
    const ctx = new ExecutionContext(ctxToken, state);
    const controller = { cron, scheduledTime, type: "scheduled", noRetry() {} };
    let result;
    try {
      if (handlerMode === "module" && typeof moduleHandler.scheduled === "function") {
        result = moduleHandler.scheduled(controller, env, ctx);
      } else {
        const event = new Event("scheduled");
        event.cron = cron; event.scheduledTime = scheduledTime; event.noRetry = () => {};
        event.waitUntil = (p) => waitUntil(state, p);
        let any = false;
        for (const l of fetchListeners) if (l.type === "scheduled") { any = true; l.listener.call(global, event); }
        if (!any) throw new Error("Handler does not export a scheduled() function.");
      }
    } catch (e) {
      fail(state, e);
      return;
    }
    Promise.resolve(result).then(() => { state.responded = true; native.respond(id, 200, "", "", null, null, state.waits === 0); }, (e) => fail(state, e));
  }

  return { dispatch, attach, settled, scheduled, setHandler, inspect };
});
