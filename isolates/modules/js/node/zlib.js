// node:zlib over the Go codecs (node_zlib.go, isolates/zcodec): gzip, deflate (zlib), raw
// deflate, unzip and brotli in sync, callback and stream (node:stream Transform) forms, crc32,
// constants and Node's errors (Z_DATA_ERROR, Z_BUF_ERROR, … with errno). Level, windowBits
// (checked; Go's deflate always uses a 32 KiB window), dictionary, chunkSize, maxOutputLength,
// finishFlush and brotli's quality and lgwin are honoured; memLevel and strategy are checked
// and otherwise ignored (Go's deflate has no such knobs, but for Huffman-only).
"use strict";

const { Buffer } = require("node:buffer");
const { Transform } = require("node:stream");
const { nextTick } = require("node:process");

const constants = Object.freeze({
  Z_NO_FLUSH: 0, Z_PARTIAL_FLUSH: 1, Z_SYNC_FLUSH: 2, Z_FULL_FLUSH: 3, Z_FINISH: 4, Z_BLOCK: 5,
  Z_OK: 0, Z_STREAM_END: 1, Z_NEED_DICT: 2, Z_ERRNO: -1, Z_STREAM_ERROR: -2, Z_DATA_ERROR: -3,
  Z_MEM_ERROR: -4, Z_BUF_ERROR: -5, Z_VERSION_ERROR: -6,
  Z_NO_COMPRESSION: 0, Z_BEST_SPEED: 1, Z_BEST_COMPRESSION: 9, Z_DEFAULT_COMPRESSION: -1,
  Z_FILTERED: 1, Z_HUFFMAN_ONLY: 2, Z_RLE: 3, Z_FIXED: 4, Z_DEFAULT_STRATEGY: 0, ZLIB_VERNUM: 4880,
  DEFLATE: 1, INFLATE: 2, GZIP: 3, GUNZIP: 4, DEFLATERAW: 5, INFLATERAW: 6, UNZIP: 7, BROTLI_DECODE: 8, BROTLI_ENCODE: 9,
  Z_MIN_WINDOWBITS: 8, Z_MAX_WINDOWBITS: 15, Z_DEFAULT_WINDOWBITS: 15, Z_MIN_CHUNK: 64, Z_MAX_CHUNK: Infinity,
  Z_DEFAULT_CHUNK: 16384, Z_MIN_MEMLEVEL: 1, Z_MAX_MEMLEVEL: 9, Z_DEFAULT_MEMLEVEL: 8, Z_MIN_LEVEL: -1,
  Z_MAX_LEVEL: 9, Z_DEFAULT_LEVEL: -1,
  BROTLI_OPERATION_PROCESS: 0, BROTLI_OPERATION_FLUSH: 1, BROTLI_OPERATION_FINISH: 2, BROTLI_OPERATION_EMIT_METADATA: 3,
  BROTLI_PARAM_MODE: 0, BROTLI_MODE_GENERIC: 0, BROTLI_MODE_TEXT: 1, BROTLI_MODE_FONT: 2, BROTLI_DEFAULT_MODE: 0,
  BROTLI_PARAM_QUALITY: 1, BROTLI_MIN_QUALITY: 0, BROTLI_MAX_QUALITY: 11, BROTLI_DEFAULT_QUALITY: 11,
  BROTLI_PARAM_LGWIN: 2, BROTLI_MIN_WINDOW_BITS: 10, BROTLI_MAX_WINDOW_BITS: 24, BROTLI_LARGE_MAX_WINDOW_BITS: 30,
  BROTLI_DEFAULT_WINDOW: 22, BROTLI_PARAM_LGBLOCK: 3, BROTLI_MIN_INPUT_BLOCK_BITS: 16, BROTLI_MAX_INPUT_BLOCK_BITS: 24,
  BROTLI_PARAM_DISABLE_LITERAL_CONTEXT_MODELING: 4, BROTLI_PARAM_SIZE_HINT: 5, BROTLI_PARAM_LARGE_WINDOW: 6,
  BROTLI_PARAM_NPOSTFIX: 7, BROTLI_PARAM_NDIRECT: 8,
  BROTLI_DECODER_RESULT_ERROR: 0, BROTLI_DECODER_RESULT_SUCCESS: 1, BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT: 2,
  BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT: 3, BROTLI_DECODER_PARAM_DISABLE_RING_BUFFER_REALLOCATION: 0,
  BROTLI_DECODER_PARAM_LARGE_WINDOW: 1, BROTLI_DECODER_NO_ERROR: 0, BROTLI_DECODER_SUCCESS: 1,
  BROTLI_DECODER_NEEDS_MORE_INPUT: 2, BROTLI_DECODER_NEEDS_MORE_OUTPUT: 3,
  BROTLI_DECODER_ERROR_FORMAT_EXUBERANT_NIBBLE: -1, BROTLI_DECODER_ERROR_FORMAT_RESERVED: -2,
  BROTLI_DECODER_ERROR_FORMAT_EXUBERANT_META_NIBBLE: -3, BROTLI_DECODER_ERROR_FORMAT_SIMPLE_HUFFMAN_ALPHABET: -4,
  BROTLI_DECODER_ERROR_FORMAT_SIMPLE_HUFFMAN_SAME: -5, BROTLI_DECODER_ERROR_FORMAT_CL_SPACE: -6,
  BROTLI_DECODER_ERROR_FORMAT_HUFFMAN_SPACE: -7, BROTLI_DECODER_ERROR_FORMAT_CONTEXT_MAP_REPEAT: -8,
  BROTLI_DECODER_ERROR_FORMAT_BLOCK_LENGTH_1: -9, BROTLI_DECODER_ERROR_FORMAT_BLOCK_LENGTH_2: -10,
  BROTLI_DECODER_ERROR_FORMAT_TRANSFORM: -11, BROTLI_DECODER_ERROR_FORMAT_DICTIONARY: -12,
  BROTLI_DECODER_ERROR_FORMAT_WINDOW_BITS: -13, BROTLI_DECODER_ERROR_FORMAT_PADDING_1: -14,
  BROTLI_DECODER_ERROR_FORMAT_PADDING_2: -15, BROTLI_DECODER_ERROR_FORMAT_DISTANCE: -16,
  BROTLI_DECODER_ERROR_DICTIONARY_NOT_SET: -19, BROTLI_DECODER_ERROR_INVALID_ARGUMENTS: -20,
  BROTLI_DECODER_ERROR_ALLOC_CONTEXT_MODES: -21, BROTLI_DECODER_ERROR_ALLOC_TREE_GROUPS: -22,
  BROTLI_DECODER_ERROR_ALLOC_CONTEXT_MAP: -25, BROTLI_DECODER_ERROR_ALLOC_RING_BUFFER_1: -26,
  BROTLI_DECODER_ERROR_ALLOC_RING_BUFFER_2: -27, BROTLI_DECODER_ERROR_ALLOC_BLOCK_TYPE_TREES: -30,
  BROTLI_DECODER_ERROR_UNREACHABLE: -31,
});
const codes = {};
for (const k of ["Z_OK", "Z_STREAM_END", "Z_NEED_DICT", "Z_ERRNO", "Z_STREAM_ERROR", "Z_DATA_ERROR", "Z_MEM_ERROR", "Z_BUF_ERROR", "Z_VERSION_ERROR"]) {
  codes[k] = constants[k];
  codes[constants[k]] = k;
}
Object.freeze(codes);
const kMaxLength = 2 ** 32;

// The modes: the Go format, whether it compresses, and its Node class name.
const modes = {
  Deflate: ["deflate", true], Inflate: ["deflate", false], Gzip: ["gzip", true], Gunzip: ["gzip", false],
  DeflateRaw: ["raw", true], InflateRaw: ["raw", false], Unzip: ["unzip", false],
  BrotliCompress: ["brotli", true], BrotliDecompress: ["brotli", false],
};

function checkRange(name, v, lo, hi, def) {
  if (v === undefined || (typeof v === "number" && Number.isNaN(v))) return def;
  if (typeof v !== "number") throw native.argTypeError(name, "of type number", v);
  if (!Number.isFinite(v) && !(v === Infinity && hi === Infinity)) throw native.outOfRange(name, "a finite number", v);
  if (v < lo || v > hi) throw native.outOfRange(name, hi === Infinity ? `>= ${lo}` : `>= ${lo} and <= ${hi}`, v);
  return v;
}

// settings reads a class's options as Node checks them.
function settings(mode, opts) {
  if (opts !== undefined && opts !== null && typeof opts !== "object") throw native.argTypeError("options", "of type object", opts);
  const o = opts || {};
  const [format, compress] = modes[mode];
  const s = {
    format, compress,
    chunkSize: checkRange("options.chunkSize", o.chunkSize, 64, Infinity, 16384),
    maxOutputLength: checkRange("options.maxOutputLength", o.maxOutputLength, 1, kMaxLength, kMaxLength),
    level: -1, window: 0, dictionary: null,
  };
  if (format === "brotli") {
    s.flush = checkRange("options.flush", o.flush, 0, 3, 0);
    s.finishFlush = checkRange("options.finishFlush", o.finishFlush, 0, 3, 2);
    s.level = 11;
    if (o.params !== undefined) {
      if (typeof o.params !== "object" || o.params === null) throw native.argTypeError("options.params", "of type object", o.params);
      for (const k of Object.keys(o.params)) {
        const v = o.params[k];
        if (typeof v !== "number" && typeof v !== "boolean") throw native.codedError("TypeError", "ERR_INVALID_ARG_TYPE", `The "options.params[key]" property must be of type number. Received ${typeof v}`);
        if (Number(k) === constants.BROTLI_PARAM_QUALITY) s.level = checkRange("options.params[key]", v, 0, 11, 11);
        if (Number(k) === constants.BROTLI_PARAM_LGWIN && compress) s.window = checkRange("options.params[key]", v, 10, 24, 22);
      }
    }
    return s;
  }
  s.flush = checkRange("options.flush", o.flush, 0, 5, 0);
  s.finishFlush = checkRange("options.finishFlush", o.finishFlush, 0, 5, 4);
  const minWindow = compress ? 9 : (mode === "InflateRaw" ? 8 : 0);
  const wb = checkRange("options.windowBits", o.windowBits, minWindow, 15, 15);
  if (!compress && wb !== 0 && wb < 8) throw native.outOfRange("options.windowBits", ">= 8 and <= 15", wb);
  s.level = checkRange("options.level", o.level, -1, 9, -1);
  checkRange("options.memLevel", o.memLevel, 1, 9, 8);
  const strategy = checkRange("options.strategy", o.strategy, 0, 4, 0);
  if (strategy === constants.Z_HUFFMAN_ONLY && compress) s.level = -2;
  if (o.dictionary !== undefined) {
    const d = o.dictionary;
    if (!(d instanceof ArrayBuffer) && !ArrayBuffer.isView(d)) throw native.argTypeError("options.dictionary", "an instance of Buffer, TypedArray, DataView, or ArrayBuffer", d);
    s.dictionary = d instanceof ArrayBuffer ? new Uint8Array(d) : new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
  }
  return s;
}

function inputBytes(buffer, name = "buffer") {
  if (typeof buffer === "string") return Buffer.from(buffer);
  if (buffer instanceof ArrayBuffer) return new Uint8Array(buffer);
  if (ArrayBuffer.isView(buffer)) return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  throw native.argTypeError(name, "of type string or an instance of Buffer, TypedArray, DataView, or ArrayBuffer", buffer);
}
const tooLarge = (n) => native.codedError("RangeError", "ERR_BUFFER_TOO_LARGE", `Cannot create a Buffer larger than ${n} bytes`);

// run feeds input through step with flush and returns the output pieces.
function run(step, input, flush, s, out, total) {
  let r = step(input, flush);
  for (;;) {
    if (r[0].byteLength > 0) {
      total.n += r[0].byteLength;
      if (total.n > s.maxOutputLength) throw tooLarge(s.maxOutputLength);
      out.push(r[0]);
    }
    if (!r[1]) return r[2];
    r = step(null, flush);
  }
}

function newStep(s) { return native.codec(s.compress, s.format, s.level, s.dictionary, s.window); }

function processSync(mode, buffer, opts) {
  const s = settings(mode, opts);
  const out = [];
  run(newStep(s), inputBytes(buffer), s.finishFlush, s, out, { n: 0 });
  return Buffer.concat(out.map((ab) => Buffer.from(ab)));
}

// ---- the stream classes ----

function ZlibBase(mode, opts) {
  const s = settings(mode, opts);
  Transform.call(this, { ...(opts || {}), readableHighWaterMark: s.chunkSize, writableHighWaterMark: s.chunkSize });
  this._s = s;
  this._step = newStep(s);
  this._defaultFlushFlag = s.flush;
  this._finishFlushFlag = s.finishFlush;
  this._total = { n: 0 };
  this._ended = false;
  this.bytesWritten = 0;
  this._handle = {}; // Node code checks for a handle to tell an open stream
}
Object.setPrototypeOf(ZlibBase.prototype, Transform.prototype);
Object.setPrototypeOf(ZlibBase, Transform);

ZlibBase.prototype._run = function (input, flush, cb) {
  if (this._ended) {
    if (input && input.byteLength > 0) return cb(native.codedError("Error", "ERR_STREAM_WRITE_AFTER_END", "write after end"));
    return cb();
  }
  const out = [];
  let done;
  try {
    done = run(this._step, input, flush, this._s, out, this._total);
  } catch (e) {
    this._handle = null;
    return cb(e);
  }
  if (input) this.bytesWritten += input.byteLength;
  if (done) this._ended = true;
  const size = this._s.chunkSize;
  for (const ab of out) {
    const b = Buffer.from(ab);
    for (let i = 0; i < b.length; i += size) this.push(b.subarray(i, Math.min(i + size, b.length)));
  }
  cb();
};
ZlibBase.prototype._transform = function (chunk, encoding, cb) {
  let bytes;
  try { bytes = inputBytes(typeof chunk === "string" ? Buffer.from(chunk, encoding) : chunk, "chunk"); } catch (e) { return cb(e); }
  this._run(bytes, this._defaultFlushFlag, cb);
};
ZlibBase.prototype._flush = function (cb) { this._run(null, this._finishFlushFlag, cb); };
ZlibBase.prototype.flush = function (kind, cb) {
  if (typeof kind === "function" || kind === undefined) { cb = kind; kind = this._s.format === "brotli" ? 1 : constants.Z_FULL_FLUSH; }
  this._run(null, kind, (err) => { if (err) this.destroy(err); if (cb) nextTick(cb); });
};
ZlibBase.prototype.params = function (level, strategy, cb) {
  checkRange("level", level, -1, 9, -1);
  checkRange("strategy", strategy, 0, 4, 0);
  if (cb) nextTick(cb);
};
ZlibBase.prototype.reset = function () { this._step = newStep(this._s); this._ended = false; this._total = { n: 0 }; };
ZlibBase.prototype.close = function (cb) {
  if (cb) this.once("close", cb);
  this._handle = null;
  this.destroy();
};
ZlibBase.prototype._processChunk = function (chunk, flushFlag, cb) {
  const out = [];
  const done = run(this._step, inputBytes(chunk, "chunk"), flushFlag, this._s, out, this._total);
  if (done) this._ended = true;
  const b = Buffer.concat(out.map((ab) => Buffer.from(ab)));
  if (typeof cb === "function") { nextTick(cb, null, b); return undefined; }
  return b;
};

const classes = {};
const api = { crc32 };
for (const mode of Object.keys(modes)) {
  const cls = { [mode]: function (opts) {
    if (!(this instanceof cls)) return new cls(opts);
    ZlibBase.call(this, mode, opts);
  } }[mode];
  Object.setPrototypeOf(cls.prototype, ZlibBase.prototype);
  Object.setPrototypeOf(cls, ZlibBase);
  classes[mode] = cls;
  api[mode] = cls;
}
// Node's order of the convenience functions.
for (const mode of ["Deflate", "Gzip", "DeflateRaw", "Unzip", "Inflate", "Gunzip", "InflateRaw", "BrotliCompress", "BrotliDecompress"]) {
  const lower = mode[0].toLowerCase() + mode.slice(1);
  api[lower] = function (buffer, opts, callback) {
    if (typeof opts === "function") { callback = opts; opts = {}; }
    if (typeof callback !== "function") throw native.argTypeError("callback", "of type function", callback);
    let result, error = null;
    try { result = processSync(mode, buffer, opts); } catch (e) { error = e; }
    // Node answers from its thread pool: never before the caller's next line.
    Promise.resolve().then(() => (error ? callback(error) : callback(null, result)));
  };
  api[lower + "Sync"] = (buffer, opts) => processSync(mode, buffer, opts);
}
for (const mode of ["Deflate", "Inflate", "DeflateRaw", "InflateRaw", "Gzip", "Gunzip", "Unzip", "BrotliCompress", "BrotliDecompress"]) api["create" + mode] = (opts) => new classes[mode](opts);
api.constants = constants;
api.codes = codes;

function crc32(data, value = 0) {
  if (typeof data !== "string" && !ArrayBuffer.isView(data)) throw native.argTypeError("data", "of type string or an instance of Buffer, TypedArray, or DataView", data);
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    if (typeof value !== "number") throw native.argTypeError("value", "of type number", value);
    throw native.outOfRange("value", ">= 0 and <= 4294967295", value);
  }
  return native.crc32(typeof data === "string" ? Buffer.from(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength), value);
}

module.exports = api;
