// node:internal/streams/utils: Node's internal/streams/utils and the shared
// pieces: errors as Node names and codes them, bytes and encodings,
// high-water marks, the stream predicates, and the getters over a stream's
// state.
"use strict";

const EE = require("node:events");
const { Buffer } = require("node:buffer");
const { StringDecoder } = require("node:string_decoder");

const nop = () => {};
const nextTick = (fn, ...args) => queueMicrotask(() => fn(...args));
const kOnFinished = Symbol("kOnFinished");
const kPaused = Symbol("kPaused");
const kCallback = Symbol("kCallback");
const kIsDestroyed = Symbol.for("nodejs.stream.destroyed");
const kDestroy = Symbol("kDestroy");
let defaultHWM = 16384;
let defaultObjectHWM = 16;

// ---- errors, as Node names and codes them ----

function nodeError(Base, code, message) {
  const e = new Base(message);
  Object.defineProperty(e, "code", { value: code, writable: true, configurable: true, enumerable: true });
  return e;
}
const { describe } = require("node:internal/errors");
const errors = {
  invalidArgType: (name, expected, v) => nodeError(TypeError, "ERR_INVALID_ARG_TYPE", `The "${name}" argument must be ${expected}.` + describe(v)),
  invalidArgValue: (name, v) => nodeError(TypeError, "ERR_INVALID_ARG_VALUE", `The property '${name}' is invalid. Received ${v}`),
  chunk: (v) => errors.invalidArgType("chunk", "of type string or an instance of Buffer or Uint8Array", v),
  notImplemented: (m) => nodeError(Error, "ERR_METHOD_NOT_IMPLEMENTED", `The ${m} method is not implemented`),
  pushAfterEOF: () => nodeError(Error, "ERR_STREAM_PUSH_AFTER_EOF", "stream.push() after EOF"),
  unshiftAfterEnd: () => nodeError(Error, "ERR_STREAM_UNSHIFT_AFTER_END_EVENT", "stream.unshift() after end event"),
  writeAfterEnd: () => nodeError(Error, "ERR_STREAM_WRITE_AFTER_END", "write after end"),
  destroyed: (m) => nodeError(Error, "ERR_STREAM_DESTROYED", `Cannot call ${m} after a stream was destroyed`),
  alreadyFinished: (m) => nodeError(Error, "ERR_STREAM_ALREADY_FINISHED", `Cannot call ${m} after a stream was finished`),
  nullValues: () => nodeError(TypeError, "ERR_STREAM_NULL_VALUES", "May not write null values to stream"),
  multipleCallback: () => nodeError(Error, "ERR_MULTIPLE_CALLBACK", "Callback called multiple times"),
  prematureClose: () => nodeError(Error, "ERR_STREAM_PREMATURE_CLOSE", "Premature close"),
  unknownEncoding: (e) => nodeError(TypeError, "ERR_UNKNOWN_ENCODING", `Unknown encoding: ${e}`),
  missingArgs: (n) => nodeError(TypeError, "ERR_MISSING_ARGS", `The "${n}" argument must be specified`),
  invalidReturn: (what, name, v) => nodeError(TypeError, "ERR_INVALID_RETURN_VALUE",
    `Expected ${what} to be returned from the "${name}" function but got ${v === null ? "null" : typeof v}.`),
};
function AbortError(message = "The operation was aborted", options) {
  const e = new Error(message, options);
  e.name = "AbortError";
  e.code = "ABORT_ERR";
  return e;
}
function aggregateTwoErrors(inner, outer) {
  if (inner && outer && inner !== outer) {
    if (Array.isArray(outer.errors)) { outer.errors.push(inner); return outer; }
    const e = new AggregateError([outer, inner], outer.message);
    e.code = outer.code;
    return e;
  }
  return inner || outer;
}

// ---- bytes and encodings ----

function isEncoding(enc) { return Buffer.isEncoding(enc); }
function toBuffer(u8) {
  return u8 instanceof Buffer ? u8 : Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
}
const fromString = (s, enc) => Buffer.from(s, enc);
const concatBytes = (list, total) => Buffer.concat(list, total);
const bytesToString = (b, enc) => toBuffer(b).toString(enc);

function highWaterMark(options, duplexKey, isDuplex, objectMode) {
  let hwm = options && options.highWaterMark != null ? options.highWaterMark : isDuplex && options ? options[duplexKey] : null;
  if (hwm != null) {
    if (!Number.isInteger(hwm) || hwm < 0) {
      throw errors.invalidArgValue(isDuplex && options.highWaterMark == null ? "options." + duplexKey : "options.highWaterMark", hwm);
    }
    return Math.floor(hwm);
  }
  return objectMode ? defaultObjectHWM : defaultHWM;
}

// ---- stream predicates (Node's internal/streams/utils) ----

function isReadableNodeStream(obj, strict = false) {
  return !!(obj && typeof obj.pipe === "function" && typeof obj.on === "function" &&
    (!strict || (typeof obj.pause === "function" && typeof obj.resume === "function")) &&
    (!obj._writableState || (obj._readableState && obj._readableState.readable !== false)) &&
    (!obj._writableState || obj._readableState));
}
function isWritableNodeStream(obj) {
  return !!(obj && typeof obj.write === "function" && typeof obj.on === "function" &&
    (!obj._readableState || (obj._writableState && obj._writableState.writable !== false)));
}
function isNodeStream(obj) {
  return !!(obj && (obj._readableState || obj._writableState ||
    (typeof obj.write === "function" && typeof obj.on === "function") ||
    (typeof obj.pipe === "function" && typeof obj.on === "function")));
}
function isIterable(obj, isAsync) {
  if (obj == null) return false;
  if (isAsync === true) return typeof obj[Symbol.asyncIterator] === "function";
  if (isAsync === false) return typeof obj[Symbol.iterator] === "function";
  return typeof obj[Symbol.asyncIterator] === "function" || typeof obj[Symbol.iterator] === "function";
}
function isDestroyed(stream) {
  if (!isNodeStream(stream)) return null;
  const state = stream._writableState || stream._readableState;
  return !!(stream.destroyed || stream[kIsDestroyed] || (state && state.destroyed));
}
function isWritableEnded(stream) {
  if (!isWritableNodeStream(stream)) return null;
  if (stream.writableEnded === true) return true;
  const w = stream._writableState;
  if (w && w.errored) return false;
  if (!w || typeof w.ended !== "boolean") return null;
  return w.ended;
}
function isWritableFinished(stream, strict) {
  if (!isWritableNodeStream(stream)) return null;
  if (stream.writableFinished === true) return true;
  const w = stream._writableState;
  if (w && w.errored) return false;
  if (!w || typeof w.finished !== "boolean") return null;
  return !!(w.finished || (strict === false && w.ended === true && w.length === 0));
}
function isReadableFinished(stream, strict) {
  if (!isReadableNodeStream(stream)) return null;
  const r = stream._readableState;
  if (r && r.errored) return false;
  if (!r || typeof r.endEmitted !== "boolean") return null;
  return !!(r.endEmitted || (strict === false && r.ended === true && r.length === 0));
}
function isReadable(stream) {
  if (!stream || typeof stream.readable !== "boolean") return null;
  if (isDestroyed(stream)) return false;
  return isReadableNodeStream(stream) && stream.readable && !isReadableFinished(stream);
}
function isWritable(stream) {
  if (!stream || typeof stream.writable !== "boolean") return null;
  if (isDestroyed(stream)) return false;
  return isWritableNodeStream(stream) && stream.writable && !isWritableEnded(stream);
}
function isClosed(stream) {
  if (!isNodeStream(stream)) return null;
  const w = stream._writableState;
  const r = stream._readableState;
  if ((w && typeof w.closed === "boolean") || (r && typeof r.closed === "boolean")) return (w && w.closed) || (r && r.closed);
  return null;
}
function erroredOf(stream) {
  const w = stream._writableState;
  const r = stream._readableState;
  return (w && w.errored) || (r && r.errored) || null;
}
function isErrored(stream) {
  return !!(stream && (stream.errored || erroredOf(stream)));
}
function isDisturbed(stream) {
  return !!(stream && (stream._readableState && (stream._readableState.dataEmitted || stream._readableState.endEmitted)));
}

function defineGetters(proto, stateKey, getters) {
  for (const [name, get, set] of getters) {
    Object.defineProperty(proto, name, {
      enumerable: false,
      configurable: true,
      get() { const s = this[stateKey]; return s ? get(s, this) : undefined; },
      set: set ? function (v) { const s = this[stateKey]; if (s) set(s, v, this); } : undefined,
    });
  }
}

// getDefaultHighWaterMark/setDefaultHighWaterMark: node:stream's.
function getDefaultHighWaterMark(objectMode) { return objectMode ? defaultObjectHWM : defaultHWM; }
function setDefaultHighWaterMark(objectMode, value) {
  if (!Number.isInteger(value) || value < 0) throw errors.invalidArgValue("value", value);
  if (objectMode) defaultObjectHWM = value;
  else defaultHWM = value;
}

// kinds holds the classes the files cannot require of each other without a
// cycle (Readable and Writable ask whether a stream is a Duplex): each is
// set once its file has run.
const kinds = { Duplex: null };
const isDuplexInstance = (s) => kinds.Duplex !== null && s instanceof kinds.Duplex;

function takeOptions(stream, options, names) {
  if (!options) return;
  for (const [opt, method] of names) if (typeof options[opt] === "function") stream[method] = options[opt];
}

module.exports = { AbortError, Buffer, EE, StringDecoder, aggregateTwoErrors, bytesToString, concatBytes, defineGetters, erroredOf, errors, fromString, getDefaultHighWaterMark, highWaterMark, isClosed, isDestroyed, isDisturbed, isDuplexInstance, isEncoding, isErrored, isIterable, isNodeStream, isReadable, isReadableFinished, isReadableNodeStream, isWritable, isWritableFinished, isWritableNodeStream, kCallback, kDestroy, kIsDestroyed, kOnFinished, kPaused, kinds, nextTick, nodeError, nop, setDefaultHighWaterMark, takeOptions, toBuffer };
