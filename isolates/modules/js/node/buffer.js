// node:buffer: Buffer as Node has it, a Uint8Array subclass (FastBuffer,
// whose prototype Buffer shares, so instanceof and constructor.name say
// Buffer), with every Node encoding. The encodings, searches and fills run
// in Go (node_buffer.go): the drivers call them per message. Integer reads
// and writes stay in JS: a native call costs more than a few index ops.
"use strict";

const kMaxLength = 2 ** 32;
const kStringMaxLength = 536870888;
const INSPECT_MAX_BYTES = 50;
const customInspect = Symbol.for("nodejs.util.inspect.custom");

const E = {
  argType: (name, expected, value) => native.argTypeError(name, expected, value),
  range: (name, range, value) => native.outOfRange(name, range, value),
  coded: (kind, code, msg) => native.codedError(kind, code, msg),
  unknownEncoding: (enc) => native.codedError("TypeError", "ERR_UNKNOWN_ENCODING", "Unknown encoding: " + enc),
  bounds: (name) => native.codedError("RangeError", "ERR_BUFFER_OUT_OF_BOUNDS",
    name ? `"${name}" is outside of buffer bounds` : "Attempt to access memory outside buffer bounds"),
};

// The encodings' numbers, as node_buffer.go takes them.
const UTF8 = 0, HEX = 1, BASE64 = 2, BASE64URL = 3, LATIN1 = 4, ASCII = 5, UTF16LE = 6;

// encodingOf is Node's normalizeEncoding: the number of enc, undefined
// for an unknown one; undefined and "" are utf8.
function encodingOf(enc) {
  if (enc === undefined || enc === null || enc === "utf8" || enc === "utf-8") return UTF8;
  switch (String(enc).toLowerCase()) {
    case "utf8": case "utf-8": case "": return UTF8;
    case "hex": return HEX;
    case "base64": return BASE64;
    case "base64url": return BASE64URL;
    case "latin1": case "binary": return LATIN1;
    case "ascii": return ASCII;
    case "ucs2": case "ucs-2": case "utf16le": case "utf-16le": return UTF16LE;
  }
  return undefined;
}
function encodingOrThrow(enc) {
  const e = encodingOf(enc);
  if (e === undefined) throw E.unknownEncoding(enc);
  return e;
}

class FastBuffer extends Uint8Array {
  constructor(a, b, c) {
    super(a, b, c);
  }
}

// Buffer(arg, encodingOrOffset, length) is the deprecated call form of
// from/alloc; new Buffer(arrayBuffer, offset, length) is also what the
// typed array methods (subarray, map, filter) call through Symbol.species.
function Buffer(arg, encodingOrOffset, length) {
  if (typeof arg === "number") {
    if (typeof encodingOrOffset === "string") throw E.argType("string", "of type string", arg);
    return Buffer.alloc(arg);
  }
  return Buffer.from(arg, encodingOrOffset, length);
}
Object.defineProperty(Buffer, "prototype", { value: FastBuffer.prototype, writable: false, enumerable: false, configurable: false });
Object.defineProperty(FastBuffer.prototype, "constructor", { value: Buffer, writable: true, enumerable: false, configurable: true });
Object.setPrototypeOf(Buffer, Uint8Array);
Buffer.poolSize = 8192;

function fromBytes(ab) {
  return new FastBuffer(ab);
}

function validateSize(size) {
  if (typeof size !== "number") throw E.argType("size", "of type number", size);
  if (!(size >= 0 && size <= kMaxLength)) throw E.range("size", `>= 0 && <= ${kMaxLength}`, size);
}

Buffer.alloc = function alloc(size, fill, encoding) {
  validateSize(size);
  const buf = new FastBuffer(size);
  if (fill !== undefined && fill !== 0 && size > 0) return fillImpl(buf, fill, 0, buf.length, encoding);
  return buf;
};
Buffer.allocUnsafe = function allocUnsafe(size) {
  validateSize(size);
  return new FastBuffer(size);
};
Buffer.allocUnsafeSlow = Buffer.allocUnsafe;

// A Uint8Array (a Buffer, a socket's chunk: pg-cloudflare copies each one) is copied by the
// typed array constructor, in Go: Node's general path below reads valueOf, length and set off
// the array, and goja parses every property name read on a typed array as an index first. Its
// valueOf (Object.prototype's, returning the array) would change nothing, so the path is only
// taken while that is so.
const u8Proto = Uint8Array.prototype, objectValueOf = Object.prototype.valueOf;
function plainValueOf(v) {
  const p = Object.getPrototypeOf(v);
  return (p === FastBuffer.prototype || p === u8Proto) && p.valueOf === objectValueOf && !Object.hasOwn(v, "valueOf");
}

Buffer.from = function from(value, encodingOrOffset, length) {
  if (typeof value === "string") return fromString(value, encodingOrOffset);
  if (value instanceof Uint8Array && plainValueOf(value)) return new FastBuffer(value);
  if (typeof value === "object" && value !== null) {
    if (value instanceof ArrayBuffer || isSharedArrayBuffer(value)) return fromArrayBuffer(value, encodingOrOffset, length);
    const valueOf = value.valueOf && value.valueOf();
    if (valueOf != null && valueOf !== value && (typeof valueOf === "string" || typeof valueOf === "object")) {
      return from(valueOf, encodingOrOffset, length);
    }
    const b = fromObject(value);
    if (b) return b;
    if (typeof value[Symbol.toPrimitive] === "function") {
      const primitive = value[Symbol.toPrimitive]("string");
      if (typeof primitive === "string") return fromString(primitive, encodingOrOffset);
    }
  }
  throw E.argType("first argument", "of type string or an instance of Buffer, ArrayBuffer, or Array or an Array-like Object", value);
};

function isSharedArrayBuffer(v) {
  return typeof SharedArrayBuffer === "function" && v instanceof SharedArrayBuffer;
}

function fromString(string, encoding) {
  const enc = typeof encoding === "string" && encoding.length ? encodingOrThrow(encoding) : UTF8;
  return fromBytes(native.encode(string, enc));
}

function fromArrayBuffer(ab, byteOffset, length) {
  const max = ab.byteLength;
  if (byteOffset === undefined) {
    byteOffset = 0;
  } else {
    byteOffset = +byteOffset;
    if (Number.isNaN(byteOffset)) byteOffset = 0;
  }
  const maxLength = max - byteOffset;
  if (maxLength < 0) throw E.bounds("offset");
  if (length === undefined) {
    length = maxLength;
  } else {
    length = +length;
    if (length > 0) {
      if (length > maxLength) throw E.bounds("length");
    } else {
      length = 0;
    }
  }
  return new FastBuffer(ab, byteOffset, length);
}

function fromArrayLike(obj) {
  const len = obj.length >>> 0;
  const buf = new FastBuffer(len);
  if (len === 0) return buf;
  if (obj instanceof Uint8Array) {
    buf.set(obj);
    return buf;
  }
  for (let i = 0; i < len; i++) buf[i] = obj[i];
  return buf;
}

function fromObject(obj) {
  if (obj.length !== undefined || obj.buffer instanceof ArrayBuffer) {
    if (typeof obj.length !== "number") return new FastBuffer(0);
    return fromArrayLike(obj);
  }
  if (obj.type === "Buffer" && Array.isArray(obj.data)) return fromArrayLike(obj.data);
  return undefined;
}

Buffer.of = function of(...items) {
  return fromArrayLike(items);
};

Buffer.copyBytesFrom = function copyBytesFrom(view, offset, length) {
  if (!ArrayBuffer.isView(view) || view instanceof DataView) throw E.argType("view", "an instance of TypedArray", view);
  const size = view.BYTES_PER_ELEMENT;
  let start = 0, end = view.length;
  if (offset !== undefined) {
    validateInteger(offset, "offset", 0);
    start = Math.min(offset, end);
  }
  if (length !== undefined) {
    validateInteger(length, "length", 0);
    end = Math.min(start + length, end);
  }
  if (end <= start) return new FastBuffer(0);
  const bytes = new Uint8Array(view.buffer, view.byteOffset + start * size, (end - start) * size);
  return fromArrayLike(bytes);
};

Buffer.isBuffer = function isBuffer(b) {
  return b instanceof Buffer;
};

Buffer.isEncoding = function isEncoding(encoding) {
  return typeof encoding === "string" && encoding.length !== 0 && encodingOf(encoding) !== undefined;
};

Buffer.byteLength = function byteLength(string, encoding) {
  if (typeof string !== "string") {
    if (ArrayBuffer.isView(string) || string instanceof ArrayBuffer || isSharedArrayBuffer(string)) return string.byteLength;
    throw E.argType("string", "of type string or an instance of Buffer or ArrayBuffer", string);
  }
  const len = string.length;
  if (len === 0) return 0;
  switch (encoding === undefined ? UTF8 : encodingOf(encoding)) {
    case HEX: return len >>> 1;
    case BASE64: case BASE64URL: return base64ByteLength(string, len);
    case LATIN1: case ASCII: return len;
    case UTF16LE: return len * 2;
  }
  return native.byteLengthUTF8(string);
};

function base64ByteLength(str, bytes) {
  if (str.charCodeAt(bytes - 1) === 0x3d) bytes--;
  if (bytes > 1 && str.charCodeAt(bytes - 1) === 0x3d) bytes--;
  return (bytes * 3) >>> 2;
}

// u8 is a Uint8Array over v's bytes (the natives take only those).
function u8(v) {
  if (v instanceof Uint8Array) return v;
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

Buffer.compare = function compare(buf1, buf2) {
  if (!(buf1 instanceof Uint8Array)) throw E.argType("buf1", "an instance of Buffer or Uint8Array", buf1);
  if (!(buf2 instanceof Uint8Array)) throw E.argType("buf2", "an instance of Buffer or Uint8Array", buf2);
  if (buf1 === buf2) return 0;
  return native.compare(buf1, buf2);
};

Buffer.concat = function concat(list, length) {
  if (!Array.isArray(list)) throw E.argType("list", "an instance of Array", list);
  if (list.length === 0) return new FastBuffer(0);
  if (length === undefined) {
    length = 0;
    for (let i = 0; i < list.length; i++) {
      if (list[i].length) length += list[i].length;
    }
  } else {
    validateOffset(length, "length");
  }
  const buffer = Buffer.allocUnsafe(length);
  let pos = 0;
  for (let i = 0; i < list.length; i++) {
    const buf = list[i];
    if (!(buf instanceof Uint8Array)) throw E.argType(`list[${i}]`, "an instance of Buffer or Uint8Array", list[i]);
    if (pos + buf.length > length) {
      buffer.set(buf.subarray(0, length - pos), pos);
      pos = length;
      break;
    }
    buffer.set(buf, pos);
    pos += buf.length;
  }
  if (pos < length) buffer.fill(0, pos, length);
  return buffer;
};

function validateInteger(value, name, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER) {
  if (typeof value !== "number") throw E.argType(name, "of type number", value);
  if (!Number.isInteger(value)) throw E.range(name, "an integer", value);
  if (value < min || value > max) throw E.range(name, `>= ${min} && <= ${max}`, value);
}
function validateOffset(value, name, min = 0, max = kMaxLength) {
  validateInteger(value, name, min, max);
}

const proto = FastBuffer.prototype;

Object.defineProperty(proto, "parent", {
  enumerable: true, configurable: true,
  get() { return this instanceof Buffer ? this.buffer : undefined; },
});
Object.defineProperty(proto, "offset", {
  enumerable: true, configurable: true,
  get() { return this instanceof Buffer ? this.byteOffset : undefined; },
});

// toString clamps start and end as Node does (native.slice), and an empty range is "" whatever
// the encoding. No arguments object, no this.length: pg decodes every field and name with it.
proto.toString = function toString(encoding, start, end) {
  let enc = UTF8;
  if (encoding !== undefined && encoding !== "utf8" && encoding !== "utf-8") enc = encoding === null ? undefined : encodingOf(encoding); // null is unknown here, as in Node
  const s = native.slice(this, enc === undefined ? -1 : enc, start, end);
  if (s === null) throw E.unknownEncoding(encoding);
  return s;
};
proto.toLocaleString = proto.toString;

proto.equals = function equals(otherBuffer) {
  if (!(otherBuffer instanceof Uint8Array)) throw E.argType("otherBuffer", "an instance of Buffer or Uint8Array", otherBuffer);
  if (this === otherBuffer) return true;
  if (this.byteLength !== otherBuffer.byteLength) return false;
  return this.byteLength === 0 || native.compare(this, otherBuffer) === 0;
};

proto.compare = function compare(target, targetStart, targetEnd, sourceStart, sourceEnd) {
  if (!(target instanceof Uint8Array)) throw E.argType("target", "an instance of Buffer or Uint8Array", target);
  if (arguments.length === 1) return native.compare(this, target);
  if (targetStart === undefined) targetStart = 0;
  else validateOffset(targetStart, "targetStart");
  if (targetEnd === undefined) targetEnd = target.length;
  else validateOffset(targetEnd, "targetEnd", 0, target.length);
  if (sourceStart === undefined) sourceStart = 0;
  else validateOffset(sourceStart, "sourceStart");
  if (sourceEnd === undefined) sourceEnd = this.length;
  else validateOffset(sourceEnd, "sourceEnd", 0, this.length);
  if (sourceStart >= sourceEnd) return targetStart >= targetEnd ? 0 : -1;
  if (targetStart >= targetEnd) return 1;
  return native.compare(this.subarray(sourceStart, sourceEnd), target.subarray(targetStart, targetEnd));
};

// indexOfOffset is where a search of needleLength bytes starts (Node's
// IndexOfOffset); -1 for none.
function indexOfOffset(length, offset, needleLength, forward) {
  if (offset < 0) {
    if (offset + length >= 0) return length + offset;
    if (forward || needleLength === 0) return 0;
    return -1;
  }
  if (offset + needleLength <= length) return offset;
  if (needleLength === 0) return length;
  if (forward) return -1;
  return length - 1;
}

function bidirectionalIndexOf(buffer, val, byteOffset, encoding, dir) {
  if (typeof byteOffset === "string") {
    encoding = byteOffset;
    byteOffset = undefined;
  } else if (byteOffset > 0x7fffffff) {
    byteOffset = 0x7fffffff;
  } else if (byteOffset < -0x80000000) {
    byteOffset = -0x80000000;
  }
  byteOffset = +byteOffset;
  if (Number.isNaN(byteOffset)) byteOffset = dir ? 0 : buffer.length || buffer.byteLength;
  byteOffset = Math.trunc(byteOffset);
  let needle;
  if (typeof val === "number") {
    needle = new Uint8Array([(val >>> 0) & 255]);
  } else if (typeof val === "string") {
    needle = new FastBuffer(native.encode(val, encoding === undefined ? UTF8 : encodingOrThrow(encoding)));
  } else if (val instanceof Uint8Array) {
    needle = val;
  } else {
    throw E.argType("value", "one of type number or string or an instance of Buffer or Uint8Array", val);
  }
  const off = indexOfOffset(buffer.length, byteOffset, needle.length, dir);
  if (needle.length === 0) return off;
  if (off < 0 || buffer.length === 0 || needle.length > buffer.length) return -1;
  return native.indexOf(buffer, needle, off, !dir);
}

proto.indexOf = function indexOf(val, byteOffset, encoding) {
  return bidirectionalIndexOf(this, val, byteOffset, encoding, true);
};
proto.lastIndexOf = function lastIndexOf(val, byteOffset, encoding) {
  return bidirectionalIndexOf(this, val, byteOffset, encoding, false);
};
proto.includes = function includes(val, byteOffset, encoding) {
  return this.indexOf(val, byteOffset, encoding) !== -1;
};

proto.fill = function fill(value, offset, end, encoding) {
  return fillImpl(this, value, offset, end, encoding);
};

function fillImpl(buf, value, offset, end, encoding) {
  let enc;
  if (typeof value === "string") {
    if (typeof offset === "string") {
      encoding = offset;
      offset = 0;
      end = buf.length;
    } else if (typeof end === "string") {
      encoding = end;
      end = buf.length;
    }
    enc = encodingOf(encoding);
    if (enc === undefined) {
      if (typeof encoding !== "string") throw E.argType("encoding", "of type string", encoding);
      throw E.unknownEncoding(encoding);
    }
    if (value.length === 0) {
      value = 0;
    } else if (value.length === 1) {
      const code = value.charCodeAt(0);
      if ((enc === UTF8 && code < 128) || enc === LATIN1) value = code;
    }
  } else if (typeof value === "boolean") {
    value = Number(value);
  }
  if (offset === undefined) {
    offset = 0;
    end = buf.length;
  } else {
    validateOffset(offset, "offset");
    if (end === undefined) end = buf.length;
    else validateOffset(end, "end", 0, buf.length);
    if (offset >= end) return buf;
  }
  if (typeof value === "number") {
    if (offset > end || end > buf.length) throw E.bounds();
    Uint8Array.prototype.fill.call(buf, value & 255, offset, end);
    return buf;
  }
  let pattern;
  if (typeof value === "string") {
    pattern = new Uint8Array(native.encode(value, enc));
  } else if (ArrayBuffer.isView(value)) {
    pattern = u8(value);
  } else {
    Uint8Array.prototype.fill.call(buf, Number(value) & 255, offset, end);
    return buf;
  }
  if (pattern.length === 0) throw E.coded("TypeError", "ERR_INVALID_ARG_VALUE", `The argument 'value' is invalid. Received ${typeof value === "string" ? "'" + value + "'" : "<Buffer >"}`);
  native.fill(buf, pattern, offset, end);
  return buf;
}

proto.write = function write(string, offset, length, encoding) {
  if (typeof string !== "string") throw E.argType("argument", "of type string", string);
  if (offset === undefined) return native.write(this, string, UTF8, 0, this.length);
  if (length === undefined && typeof offset === "string") {
    encoding = offset;
    length = this.length;
    offset = 0;
  } else {
    validateOffset(offset, "offset", 0, this.length);
    const remaining = this.length - offset;
    if (length === undefined) {
      length = remaining;
    } else if (typeof length === "string") {
      encoding = length;
      length = remaining;
    } else {
      validateOffset(length, "length", 0, this.length);
      if (length > remaining) length = remaining;
    }
  }
  const enc = !encoding ? UTF8 : encodingOrThrow(encoding);
  return native.write(this, string, enc, offset, offset + length);
};

function adjustOffset(offset, length) {
  offset = Math.trunc(offset);
  if (offset === 0 || Number.isNaN(offset)) return 0;
  if (offset < 0) {
    offset += length;
    return offset > 0 ? offset : 0;
  }
  return offset < length ? offset : length;
}

// slice shares memory, as Node's (deprecated) Buffer#slice does.
proto.slice = function slice(start, end) {
  const len = this.length;
  start = adjustOffset(start, len);
  end = end !== undefined ? adjustOffset(end, len) : len;
  return new FastBuffer(this.buffer, this.byteOffset + start, end > start ? end - start : 0);
};

function toInteger(n, dflt) {
  n = +n;
  if (!Number.isNaN(n) && n >= Number.MIN_SAFE_INTEGER && n <= Number.MAX_SAFE_INTEGER) return n % 1 === 0 ? n : Math.floor(n);
  return dflt;
}

proto.copy = function copy(target, targetStart, sourceStart, sourceEnd) {
  if (!ArrayBuffer.isView(target)) throw E.argType("target", "an instance of Buffer or Uint8Array", target);
  if (targetStart === undefined) targetStart = 0;
  else {
    targetStart = toInteger(targetStart, 0);
    if (targetStart < 0) throw E.range("targetStart", ">= 0", targetStart);
  }
  if (sourceStart === undefined) sourceStart = 0;
  else {
    sourceStart = toInteger(sourceStart, 0);
    if (sourceStart < 0 || sourceStart > this.byteLength) throw E.range("sourceStart", `>= 0 && <= ${this.byteLength}`, sourceStart);
  }
  if (sourceEnd === undefined) sourceEnd = this.byteLength;
  else {
    sourceEnd = toInteger(sourceEnd, 0);
    if (sourceEnd < 0) throw E.range("sourceEnd", ">= 0", sourceEnd);
  }
  if (targetStart >= target.byteLength || sourceStart >= sourceEnd) return 0;
  if (sourceEnd - sourceStart > target.byteLength - targetStart) sourceEnd = sourceStart + target.byteLength - targetStart;
  let nb = sourceEnd - sourceStart;
  if (nb > this.byteLength - sourceStart) nb = this.byteLength - sourceStart;
  if (nb <= 0) return 0;
  u8(target).set(new Uint8Array(this.buffer, this.byteOffset + sourceStart, nb), targetStart);
  return nb;
};

proto.toJSON = function toJSON() {
  if (this.length === 0) return { type: "Buffer", data: [] };
  return { type: "Buffer", data: Array.from(this) };
};

function swap(b, n, m) {
  const t = b[n];
  b[n] = b[m];
  b[m] = t;
}
proto.swap16 = function swap16() {
  const len = this.length;
  if (len % 2 !== 0) throw E.coded("RangeError", "ERR_INVALID_BUFFER_SIZE", "Buffer size must be a multiple of 16-bits");
  for (let i = 0; i < len; i += 2) swap(this, i, i + 1);
  return this;
};
proto.swap32 = function swap32() {
  const len = this.length;
  if (len % 4 !== 0) throw E.coded("RangeError", "ERR_INVALID_BUFFER_SIZE", "Buffer size must be a multiple of 32-bits");
  for (let i = 0; i < len; i += 4) {
    swap(this, i, i + 3);
    swap(this, i + 1, i + 2);
  }
  return this;
};
proto.swap64 = function swap64() {
  const len = this.length;
  if (len % 8 !== 0) throw E.coded("RangeError", "ERR_INVALID_BUFFER_SIZE", "Buffer size must be a multiple of 64-bits");
  for (let i = 0; i < len; i += 8) {
    swap(this, i, i + 7);
    swap(this, i + 1, i + 6);
    swap(this, i + 2, i + 5);
    swap(this, i + 3, i + 4);
  }
  return this;
};

proto[customInspect] = function inspect() {
  const max = module.exports.INSPECT_MAX_BYTES;
  const n = Math.min(max, this.length);
  let str = native.decode(this, HEX, 0, n).replace(/(.{2})/g, "$1 ").trim();
  const remaining = this.length - max;
  if (remaining > 0) str += ` ... ${remaining} more byte${remaining > 1 ? "s" : ""}`;
  return `<${this.constructor.name} ${str}>`;
};
proto.inspect = proto[customInspect];

// The per-encoding slice and write methods old code (and Node's own
// streams) call directly.
for (const [name, enc] of [["utf8", UTF8], ["hex", HEX], ["base64", BASE64], ["base64url", BASE64URL],
  ["latin1", LATIN1], ["ascii", ASCII], ["ucs2", UTF16LE]]) {
  proto[name + "Slice"] = function (start = 0, end = this.length) {
    return native.decode(this, enc, start, end);
  };
  proto[name + "Write"] = function (string, offset = 0, length = this.length - offset) {
    if (offset > this.length) throw E.bounds("offset");
    return native.write(this, string, enc, offset, offset + Math.min(length, this.length - offset));
  };
}

// Integer and float reads and writes, with Node's checks: offset an
// integer in range (ERR_OUT_OF_RANGE), ERR_BUFFER_OUT_OF_BOUNDS when the
// buffer is shorter than the value, value in the type's range.

function checkOffset(buf, offset, byteLength) {
  if (offset === undefined) offset = 0;
  else if (typeof offset !== "number") throw E.argType("offset", "of type number", offset);
  // An integer offset is in range when its value's first and last bytes exist: two index
  // reads, where buf.length is a named property, which goja parses as an index first
  // (allocating the parse's error) on every read of a typed array's property.
  if (buf[offset] !== undefined && buf[offset + byteLength - 1] !== undefined) return offset;
  const last = buf.length - byteLength;
  if (!(offset >= 0 && offset <= last) || Math.floor(offset) !== offset) boundsError(offset, last);
  return offset;
}
function boundsError(value, length, type) {
  if (Math.floor(value) !== value) {
    if (typeof value !== "number") throw E.argType(type || "offset", "of type number", value);
    throw E.range(type || "offset", "an integer", value);
  }
  if (length < 0) throw E.bounds();
  throw E.range(type || "offset", `>= ${type ? 1 : 0} and <= ${length}`, value);
}
function checkValue(value, min, max, buf, offset, byteLength, bigint) {
  if (value > max || value < min) {
    const n = bigint ? "n" : "";
    let range;
    if (byteLength > 4 || bigint) {
      range = min === 0 || min === 0n ? `>= 0${n} and < 2${n} ** ${byteLength * 8}${n}` : `>= -(2${n} ** ${byteLength * 8 - 1}${n}) and < 2${n} ** ${byteLength * 8 - 1}${n}`;
    } else {
      range = `>= ${min}${n} and <= ${max}${n}`;
    }
    throw E.range("value", range, value);
  }
}
function writeCheck(buf, value, offset, byteLength, min, max) {
  if (offset === undefined) offset = 0;
  else if (typeof offset !== "number") throw E.argType("offset", "of type number", offset);
  value = +value;
  checkValue(value, min, max);
  const last = buf.length - byteLength;
  if (!(offset >= 0 && offset <= last) || Math.floor(offset) !== offset) boundsError(offset, last);
  return offset;
}

proto.readUInt8 = function readUInt8(offset = 0) {
  offset = checkOffset(this, offset, 1);
  return this[offset];
};
proto.readInt8 = function readInt8(offset = 0) {
  offset = checkOffset(this, offset, 1);
  const v = this[offset];
  return v | ((v & 128) * 0x1fffffe);
};
proto.readUInt16LE = function readUInt16LE(offset = 0) {
  offset = checkOffset(this, offset, 2);
  return this[offset] | (this[offset + 1] << 8);
};
proto.readUInt16BE = function readUInt16BE(offset = 0) {
  offset = checkOffset(this, offset, 2);
  return (this[offset] << 8) | this[offset + 1];
};
proto.readInt16LE = function readInt16LE(offset = 0) {
  offset = checkOffset(this, offset, 2);
  const v = this[offset] | (this[offset + 1] << 8);
  return (v << 16) >> 16;
};
proto.readInt16BE = function readInt16BE(offset = 0) {
  offset = checkOffset(this, offset, 2);
  const v = (this[offset] << 8) | this[offset + 1];
  return (v << 16) >> 16;
};
proto.readUInt32LE = function readUInt32LE(offset = 0) {
  offset = checkOffset(this, offset, 4);
  return (this[offset] | (this[offset + 1] << 8) | (this[offset + 2] << 16)) + this[offset + 3] * 0x1000000;
};
proto.readUInt32BE = function readUInt32BE(offset = 0) {
  offset = checkOffset(this, offset, 4);
  return this[offset] * 0x1000000 + ((this[offset + 1] << 16) | (this[offset + 2] << 8) | this[offset + 3]);
};
proto.readInt32LE = function readInt32LE(offset = 0) {
  offset = checkOffset(this, offset, 4);
  return this[offset] | (this[offset + 1] << 8) | (this[offset + 2] << 16) | (this[offset + 3] << 24);
};
proto.readInt32BE = function readInt32BE(offset = 0) {
  offset = checkOffset(this, offset, 4);
  return (this[offset] << 24) | (this[offset + 1] << 16) | (this[offset + 2] << 8) | this[offset + 3];
};

function checkByteLength(byteLength) {
  if (byteLength === undefined) throw E.argType("byteLength", "of type number", byteLength);
  if (typeof byteLength !== "number") throw E.argType("byteLength", "of type number", byteLength);
  if (!(byteLength >= 1 && byteLength <= 6) || Math.floor(byteLength) !== byteLength) boundsError(byteLength, 6, "byteLength");
}
proto.readUIntLE = function readUIntLE(offset, byteLength) {
  if (offset === undefined) throw E.argType("offset", "of type number", offset);
  checkByteLength(byteLength);
  offset = checkOffset(this, offset, byteLength);
  let v = 0;
  for (let i = byteLength - 1; i >= 0; i--) v = v * 256 + this[offset + i];
  return v;
};
proto.readUIntBE = function readUIntBE(offset, byteLength) {
  if (offset === undefined) throw E.argType("offset", "of type number", offset);
  checkByteLength(byteLength);
  offset = checkOffset(this, offset, byteLength);
  let v = 0;
  for (let i = 0; i < byteLength; i++) v = v * 256 + this[offset + i];
  return v;
};
proto.readIntLE = function readIntLE(offset, byteLength) {
  const v = this.readUIntLE(offset, byteLength);
  const limit = 2 ** (8 * byteLength - 1);
  return v >= limit ? v - limit * 2 : v;
};
proto.readIntBE = function readIntBE(offset, byteLength) {
  const v = this.readUIntBE(offset, byteLength);
  const limit = 2 ** (8 * byteLength - 1);
  return v >= limit ? v - limit * 2 : v;
};

proto.writeUInt8 = function writeUInt8(value, offset = 0) {
  offset = writeCheck(this, value, offset, 1, 0, 0xff);
  this[offset] = value;
  return offset + 1;
};
proto.writeInt8 = function writeInt8(value, offset = 0) {
  offset = writeCheck(this, value, offset, 1, -0x80, 0x7f);
  this[offset] = value;
  return offset + 1;
};
function write16(buf, value, offset, min, max, le) {
  offset = writeCheck(buf, value, offset, 2, min, max);
  value = +value;
  buf[offset + (le ? 0 : 1)] = value;
  buf[offset + (le ? 1 : 0)] = value >>> 8;
  return offset + 2;
}
function write32(buf, value, offset, min, max, le) {
  offset = writeCheck(buf, value, offset, 4, min, max);
  value = +value;
  if (le) {
    buf[offset] = value;
    buf[offset + 1] = value >>> 8;
    buf[offset + 2] = value >>> 16;
    buf[offset + 3] = value >>> 24;
  } else {
    buf[offset] = value >>> 24;
    buf[offset + 1] = value >>> 16;
    buf[offset + 2] = value >>> 8;
    buf[offset + 3] = value;
  }
  return offset + 4;
}
proto.writeUInt16LE = function writeUInt16LE(value, offset = 0) { return write16(this, value, offset, 0, 0xffff, true); };
proto.writeUInt16BE = function writeUInt16BE(value, offset = 0) { return write16(this, value, offset, 0, 0xffff, false); };
proto.writeInt16LE = function writeInt16LE(value, offset = 0) { return write16(this, value, offset, -0x8000, 0x7fff, true); };
proto.writeInt16BE = function writeInt16BE(value, offset = 0) { return write16(this, value, offset, -0x8000, 0x7fff, false); };
proto.writeUInt32LE = function writeUInt32LE(value, offset = 0) { return write32(this, value, offset, 0, 0xffffffff, true); };
proto.writeUInt32BE = function writeUInt32BE(value, offset = 0) { return write32(this, value, offset, 0, 0xffffffff, false); };
proto.writeInt32LE = function writeInt32LE(value, offset = 0) { return write32(this, value, offset, -0x80000000, 0x7fffffff, true); };
proto.writeInt32BE = function writeInt32BE(value, offset = 0) { return write32(this, value, offset, -0x80000000, 0x7fffffff, false); };

function writeUIntN(buf, value, offset, byteLength, signed, le) {
  if (offset === undefined) throw E.argType("offset", "of type number", offset);
  checkByteLength(byteLength);
  const bits = 8 * byteLength;
  const min = signed ? -(2 ** (bits - 1)) : 0, max = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  offset = writeCheck(buf, value, offset, byteLength, min, max);
  let v = +value;
  if (v < 0) v += 2 ** bits;
  for (let i = 0; i < byteLength; i++) {
    buf[le ? offset + i : offset + byteLength - 1 - i] = v % 256;
    v = Math.floor(v / 256);
  }
  return offset + byteLength;
}
proto.writeUIntLE = function writeUIntLE(value, offset, byteLength) { return writeUIntN(this, value, offset, byteLength, false, true); };
proto.writeUIntBE = function writeUIntBE(value, offset, byteLength) { return writeUIntN(this, value, offset, byteLength, false, false); };
proto.writeIntLE = function writeIntLE(value, offset, byteLength) { return writeUIntN(this, value, offset, byteLength, true, true); };
proto.writeIntBE = function writeIntBE(value, offset, byteLength) { return writeUIntN(this, value, offset, byteLength, true, false); };

// Floats and 64-bit integers go through one scratch DataView per isolate.
const scratch = new DataView(new ArrayBuffer(8));
const scratchBytes = new Uint8Array(scratch.buffer);

function readVia(buf, offset, n, get) {
  offset = checkOffset(buf, offset, n);
  for (let i = 0; i < n; i++) scratchBytes[i] = buf[offset + i];
  return get();
}
function writeVia(buf, offset, n, set) {
  if (offset === undefined) offset = 0;
  else if (typeof offset !== "number") throw E.argType("offset", "of type number", offset);
  const last = buf.length - n;
  if (!(offset >= 0 && offset <= last) || Math.floor(offset) !== offset) boundsError(offset, last);
  set();
  for (let i = 0; i < n; i++) buf[offset + i] = scratchBytes[i];
  return offset + n;
}
proto.readFloatLE = function readFloatLE(offset = 0) { return readVia(this, offset, 4, () => scratch.getFloat32(0, true)); };
proto.readFloatBE = function readFloatBE(offset = 0) { return readVia(this, offset, 4, () => scratch.getFloat32(0, false)); };
proto.readDoubleLE = function readDoubleLE(offset = 0) { return readVia(this, offset, 8, () => scratch.getFloat64(0, true)); };
proto.readDoubleBE = function readDoubleBE(offset = 0) { return readVia(this, offset, 8, () => scratch.getFloat64(0, false)); };
proto.writeFloatLE = function writeFloatLE(value, offset = 0) { return writeVia(this, offset, 4, () => scratch.setFloat32(0, +value, true)); };
proto.writeFloatBE = function writeFloatBE(value, offset = 0) { return writeVia(this, offset, 4, () => scratch.setFloat32(0, +value, false)); };
proto.writeDoubleLE = function writeDoubleLE(value, offset = 0) { return writeVia(this, offset, 8, () => scratch.setFloat64(0, +value, true)); };
proto.writeDoubleBE = function writeDoubleBE(value, offset = 0) { return writeVia(this, offset, 8, () => scratch.setFloat64(0, +value, false)); };

proto.readBigUInt64LE = function readBigUInt64LE(offset = 0) { return readVia(this, offset, 8, () => scratch.getBigUint64(0, true)); };
proto.readBigUInt64BE = function readBigUInt64BE(offset = 0) { return readVia(this, offset, 8, () => scratch.getBigUint64(0, false)); };
proto.readBigInt64LE = function readBigInt64LE(offset = 0) { return readVia(this, offset, 8, () => scratch.getBigInt64(0, true)); };
proto.readBigInt64BE = function readBigInt64BE(offset = 0) { return readVia(this, offset, 8, () => scratch.getBigInt64(0, false)); };
function writeBig(buf, value, offset, signed, le) {
  // Node's own check is its BigInt arithmetic: a plain TypeError, no code.
  if (typeof value !== "bigint") throw new TypeError("Cannot mix BigInt and other types, use explicit conversions");
  const min = signed ? -(2n ** 63n) : 0n, max = signed ? 2n ** 63n - 1n : 2n ** 64n - 1n;
  checkValue(value, min, max, buf, offset, 8, true);
  return writeVia(buf, offset, 8, () => (signed ? scratch.setBigInt64(0, value, le) : scratch.setBigUint64(0, value, le)));
}
proto.writeBigUInt64LE = function writeBigUInt64LE(value, offset = 0) { return writeBig(this, value, offset, false, true); };
proto.writeBigUInt64BE = function writeBigUInt64BE(value, offset = 0) { return writeBig(this, value, offset, false, false); };
proto.writeBigInt64LE = function writeBigInt64LE(value, offset = 0) { return writeBig(this, value, offset, true, true); };
proto.writeBigInt64BE = function writeBigInt64BE(value, offset = 0) { return writeBig(this, value, offset, true, false); };

// Node's lower-case "Uint" aliases.
for (const name of Object.getOwnPropertyNames(proto)) {
  if (/^(read|write)(Big)?UInt/.test(name)) proto[name.replace("UInt", "Uint")] = proto[name];
}

function SlowBuffer(size) {
  validateSize(size);
  return new FastBuffer(size);
}
SlowBuffer.prototype = proto;
Object.setPrototypeOf(SlowBuffer, Uint8Array);

// transcode re-encodes between the encodings ICU converts: a character
// the target cannot hold becomes "?".
function transcode(source, fromEnc, toEnc) {
  if (!(source instanceof Uint8Array)) throw E.argType("source", "an instance of Buffer or Uint8Array", source);
  const supported = [UTF8, LATIN1, ASCII, UTF16LE];
  const from = encodingOf(fromEnc), to = encodingOf(toEnc);
  if (!supported.includes(from) || !supported.includes(to) || fromEnc === undefined || toEnc === undefined) {
    throw E.coded("Error", "U_ILLEGAL_ARGUMENT_ERROR", `Unable to transcode Buffer [U_ILLEGAL_ARGUMENT_ERROR]`);
  }
  let s = native.decode(source, from, 0, source.length);
  if (to === LATIN1) s = s.replace(/[^\u0000-\u00ff]/gu, "?");
  else if (to === ASCII) s = s.replace(/[^\u0000-\u007f]/gu, "?");
  return fromBytes(native.encode(s, to));
}

function isUtf8(input) {
  if (ArrayBuffer.isView(input)) return native.isUtf8(u8(input));
  if (input instanceof ArrayBuffer || isSharedArrayBuffer(input)) return native.isUtf8(new Uint8Array(input));
  throw E.argType("input", "an instance of ArrayBuffer, Buffer, or TypedArray", input);
}
function isAscii(input) {
  if (ArrayBuffer.isView(input)) return native.isAscii(u8(input));
  if (input instanceof ArrayBuffer || isSharedArrayBuffer(input)) return native.isAscii(new Uint8Array(input));
  throw E.argType("input", "an instance of ArrayBuffer, Buffer, or TypedArray", input);
}

function resolveObjectURL() {
  return undefined;
}

module.exports = {
  Buffer,
  SlowBuffer,
  transcode,
  isUtf8,
  isAscii,
  kMaxLength,
  kStringMaxLength,
  btoa: globalThis.btoa,
  atob: globalThis.atob,
  constants: { MAX_LENGTH: kMaxLength, MAX_STRING_LENGTH: kStringMaxLength },
  INSPECT_MAX_BYTES,
  Blob: globalThis.Blob,
  resolveObjectURL,
  File: globalThis.File,
};
