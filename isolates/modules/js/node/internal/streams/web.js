// node:internal/streams/web: Readable/Writable toWeb and fromWeb (Node's
// internal/webstreams/adapters).
"use strict";

const { AbortError, errors, highWaterMark, isReadableNodeStream, isWritableNodeStream, nextTick } = require("node:internal/streams/utils");
const { destroy, destroyer } = require("node:internal/streams/destroy");
const { Readable } = require("node:internal/streams/readable");
const { Writable } = require("node:internal/streams/writable");
const { eos } = require("node:internal/streams/end-of-stream");

// ---- Web streams ----

const asBytes = (chunk) => (chunk instanceof Uint8Array ? new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength) : chunk);

// Readable.toWeb: a ReadableStream fed by the Readable's 'data' events,
// pausing it while the web stream's queue is full.
Readable.toWeb = function (readable, options) {
  if (!isReadableNodeStream(readable)) throw errors.invalidArgType("streamReadable", "an instance of stream.Readable", readable);
  const objectMode = readable.readableObjectMode;
  const hwm = options && options.strategy ? options.strategy.highWaterMark : objectMode ? 16 : Math.max(1, readable.readableHighWaterMark);
  let controller;
  let closed = false;
  // pull settles when the Readable next gives data or ends, so that the
  // web stream does not pull again meanwhile (the isolate's ReadableStream
  // pulls again at once after a pull that settled with nothing enqueued).
  let pulled = null;
  const settlePull = () => { if (pulled) { const p = pulled; pulled = null; p(); } };
  const rs = new ReadableStream({
    start(c) { controller = c; },
    pull() {
      readable.resume();
      if (closed) return undefined;
      return new Promise((resolve) => { pulled = resolve; });
    },
    cancel(reason) { destroyer(readable, reason); },
  }, { highWaterMark: hwm, size: objectMode ? () => 1 : (chunk) => chunk.byteLength ?? 1 });
  readable.pause();
  readable.on("data", (chunk) => {
    if (closed) return;
    controller.enqueue(objectMode ? chunk : asBytes(chunk));
    if (controller.desiredSize <= 0) readable.pause();
    settlePull();
  });
  eos(readable, (err) => {
    if (closed) return;
    closed = true;
    settlePull();
    if (err && err.code !== "ERR_STREAM_PREMATURE_CLOSE") controller.error(err);
    else if (err) controller.error(AbortError(undefined, { cause: err }));
    else controller.close();
  });
  return rs;
};

// Readable.fromWeb: a Readable that reads the ReadableStream when read.
Readable.fromWeb = function (rs, options = {}) {
  if (!rs || typeof rs.getReader !== "function") throw errors.invalidArgType("readableStream", "an instance of ReadableStream", rs);
  const reader = rs.getReader();
  let closed = false;
  const readable = new Readable({
    objectMode: !!options.objectMode,
    highWaterMark: options.highWaterMark,
    encoding: options.encoding,
    signal: options.signal,
    read() {
      reader.read().then(({ value, done }) => {
        if (done) readable.push(null);
        else readable.push(value);
      }, (err) => destroy.call(readable, err));
    },
    destroy(err, cb) {
      const done = () => nextTick(() => cb(err));
      if (closed) return done();
      reader.cancel(err).then(done, (e) => nextTick(() => cb(e || err)));
    },
  });
  reader.closed.then(() => { closed = true; }, (err) => { closed = true; destroyer(readable, err); });
  return readable;
};

// Writable.toWeb: a WritableStream whose writes wait for 'drain' when the
// Writable is full.
Writable.toWeb = function (writable) {
  if (!isWritableNodeStream(writable)) throw errors.invalidArgType("streamWritable", "an instance of stream.Writable", writable);
  let drainWaiter = null;
  let closeWaiter = null;
  writable.on("drain", () => {
    if (drainWaiter) { const d = drainWaiter; drainWaiter = null; d.resolve(); }
  });
  eos(writable, (err) => {
    if (drainWaiter) { const d = drainWaiter; drainWaiter = null; if (err) d.reject(err); else d.resolve(); }
    if (closeWaiter) { const c = closeWaiter; closeWaiter = null; if (err) c.reject(err); else c.resolve(); }
  });
  return new WritableStream({
    write(chunk) {
      if (writable.writableNeedDrain || !writable.write(chunk)) {
        return new Promise((resolve, reject) => { drainWaiter = { resolve, reject }; });
      }
    },
    close() {
      return new Promise((resolve, reject) => {
        closeWaiter = { resolve, reject };
        writable.end();
      });
    },
    abort(reason) { destroyer(writable, reason); },
  }, { highWaterMark: writable.writableHighWaterMark });
};

// Writable.fromWeb: a Writable whose writes go to the WritableStream.
Writable.fromWeb = function (ws, options = {}) {
  if (!ws || typeof ws.getWriter !== "function") throw errors.invalidArgType("writableStream", "an instance of WritableStream", ws);
  const writer = ws.getWriter();
  return new Writable({
    highWaterMark: options.highWaterMark,
    objectMode: !!options.objectMode,
    decodeStrings: options.decodeStrings,
    signal: options.signal,
    write(chunk, encoding, cb) {
      writer.ready.then(() => writer.write(asBytes(chunk))).then(() => cb(), cb);
    },
    final(cb) { writer.close().then(() => cb(), cb); },
    destroy(err, cb) {
      const p = err ? writer.abort(err) : Promise.resolve();
      p.then(() => cb(err), (e) => cb(e || err));
    },
  });
};

// It adds to Readable and Writable (toWeb, fromWeb); it exports nothing.
