// node:internal/streams/end-of-stream: finished (eos) and addAbortSignal
// (Node's internal/streams/end-of-stream and add-abort-signal).
"use strict";

const { AbortError, erroredOf, errors, isClosed, isNodeStream, isReadable, isReadableFinished, isReadableNodeStream, isWritable, isWritableFinished, isWritableNodeStream, nextTick, nop } = require("node:internal/streams/utils");

// ---- finished (end-of-stream) ----

function validateAbortSignal(signal, name) {
  if (signal !== undefined && (signal === null || typeof signal !== "object" || !("aborted" in signal))) {
    throw errors.invalidArgType(name, "an instance of AbortSignal", signal);
  }
}

// eos calls callback once stream has ended, finished or failed (with
// ERR_STREAM_PREMATURE_CLOSE when it closed before that) and returns the
// function that removes its listeners.
function eos(stream, options, callback) {
  if (arguments.length === 2) {
    callback = options;
    options = {};
  } else if (options == null) {
    options = {};
  } else if (typeof options !== "object") {
    throw errors.invalidArgType("options", "of type object", options);
  }
  if (typeof callback !== "function") throw errors.invalidArgType("callback", "of type function", callback);
  validateAbortSignal(options.signal, "options.signal");
  if (!isNodeStream(stream)) {
    throw errors.invalidArgType("stream", "an instance of ReadableStream, WritableStream, or Stream", stream);
  }
  let cb = callback;
  let called = false;
  const done = (err) => {
    if (called) return;
    called = true;
    cb.call(stream, err);
  };
  const readable = options.readable ?? isReadableNodeStream(stream);
  const writable = options.writable ?? isWritableNodeStream(stream);
  const w = stream._writableState;
  const r = stream._readableState;
  const onlegacyfinish = () => {
    if (!stream.writable) onfinish();
  };
  const state = w || r;
  let willEmitClose = !!(state && state.autoDestroy && state.emitClose && state.closed === false &&
    isReadableNodeStream(stream) === readable && isWritableNodeStream(stream) === writable);
  let writableFinished = isWritableFinished(stream, false);
  let readableFinished = isReadableFinished(stream, false);
  const onfinish = () => {
    writableFinished = true;
    if (stream.destroyed) willEmitClose = false;
    if (willEmitClose && (!stream.readable || readable)) return;
    if (!readable || readableFinished) done();
  };
  const onend = () => {
    readableFinished = true;
    if (stream.destroyed) willEmitClose = false;
    if (willEmitClose && (!stream.writable || writable)) return;
    if (!writable || writableFinished) done();
  };
  const onerror = (err) => done(err);
  let closed = isClosed(stream);
  const onclose = () => {
    closed = true;
    const errored = erroredOf(stream);
    if (errored && typeof errored !== "boolean") return done(errored);
    if (readable && !readableFinished && isReadableNodeStream(stream, true)) {
      if (!isReadableFinished(stream, false)) return done(errors.prematureClose());
    }
    if (writable && !writableFinished) {
      if (!isWritableFinished(stream, false)) return done(errors.prematureClose());
    }
    done();
  };
  const onclosed = () => {
    closed = true;
    const errored = erroredOf(stream);
    if (errored && typeof errored !== "boolean") return done(errored);
    done();
  };
  if (writable && !w) {
    stream.on("end", onlegacyfinish);
    stream.on("close", onlegacyfinish);
  }
  stream.on("end", onend);
  stream.on("finish", onfinish);
  if (options.error !== false) stream.on("error", onerror);
  stream.on("close", onclose);
  if (closed) {
    nextTick(onclose);
  } else if ((w && w.errorEmitted) || (r && r.errorEmitted)) {
    if (!willEmitClose) nextTick(onclosed);
  } else if (!readable && (!willEmitClose || isReadable(stream)) && (writableFinished || isWritable(stream) === false)) {
    nextTick(onclosed);
  } else if (!writable && (!willEmitClose || isWritable(stream)) && (readableFinished || isReadable(stream) === false)) {
    nextTick(onclosed);
  }
  const cleanup = () => {
    cb = nop;
    stream.removeListener("end", onlegacyfinish);
    stream.removeListener("close", onlegacyfinish);
    stream.removeListener("end", onend);
    stream.removeListener("finish", onfinish);
    stream.removeListener("error", onerror);
    stream.removeListener("close", onclose);
  };
  const signal = options.signal;
  if (signal && !closed) {
    const abort = () => {
      const endCallback = cb;
      cleanup();
      endCallback.call(stream, AbortError(undefined, { cause: signal.reason }));
    };
    if (signal.aborted) {
      nextTick(abort);
    } else {
      signal.addEventListener("abort", abort);
      const original = cb;
      cb = function (...args) {
        signal.removeEventListener("abort", abort);
        original.apply(stream, args);
      };
    }
  }
  return cleanup;
}

// ---- addAbortSignal ----

function addAbortSignal(signal, stream) {
  if (signal === null || typeof signal !== "object" || !("aborted" in signal)) {
    throw errors.invalidArgType("signal", "an instance of AbortSignal", signal);
  }
  if (!isNodeStream(stream)) {
    throw errors.invalidArgType("stream", "an instance of ReadableStream, WritableStream, or Stream", stream);
  }
  const onAbort = () => stream.destroy(AbortError(undefined, { cause: signal.reason }));
  if (signal.aborted) {
    onAbort();
  } else {
    signal.addEventListener("abort", onAbort);
    eos(stream, () => signal.removeEventListener("abort", onAbort));
  }
  return stream;
}

module.exports = { addAbortSignal, eos, validateAbortSignal };
