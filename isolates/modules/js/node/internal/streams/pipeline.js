// node:internal/streams/pipeline: pipeline (Node's
// internal/streams/pipeline).
"use strict";

const { AbortError, aggregateTwoErrors, errors, isIterable, isNodeStream, isReadable, isReadableFinished, isReadableNodeStream, nextTick } = require("node:internal/streams/utils");
const { destroyer } = require("node:internal/streams/destroy");
const { PassThrough } = require("node:internal/streams/transform");
const { eos, validateAbortSignal } = require("node:internal/streams/end-of-stream");

// ---- pipeline ----

function pipeline(...streams) {
  const callback = streams.pop();
  if (typeof callback !== "function") throw errors.invalidArgType("streams[stream.length - 1]", "of type function", callback);
  return pipelineImpl(streams, callback);
}

function pipelineImpl(streams, callback, opts) {
  if (streams.length === 1 && Array.isArray(streams[0])) streams = streams[0];
  if (streams.length < 2) throw errors.missingArgs("streams");
  const ac = new AbortController();
  const signal = ac.signal;
  const outerSignal = opts && opts.signal;
  const lastStreamCleanup = [];
  validateAbortSignal(outerSignal, "options.signal");
  const abort = () => finishImpl(AbortError());
  if (outerSignal) {
    if (outerSignal.aborted) nextTick(abort);
    else outerSignal.addEventListener("abort", abort);
  }
  let error;
  let value;
  const destroys = [];
  let finishCount = 0;
  let finalized = false;
  const finish = (err) => finishImpl(err, --finishCount === 0);
  function finishImpl(err, final) {
    if (err && (!error || error.code === "ERR_STREAM_PREMATURE_CLOSE")) error = err;
    if (!error && !final) return;
    while (destroys.length) destroys.shift()(error);
    if (outerSignal) outerSignal.removeEventListener("abort", abort);
    ac.abort();
    if (final && !finalized) {
      finalized = true;
      if (!error) for (const fn of lastStreamCleanup) fn();
      nextTick(callback, error, value);
    }
  }
  let ret;
  for (let i = 0; i < streams.length; i++) {
    const stream = streams[i];
    const reading = i < streams.length - 1;
    const writing = i > 0;
    const end = reading || !opts || opts.end !== false;
    const isLastStream = i === streams.length - 1;
    if (isNodeStream(stream)) {
      if (end) {
        const d = pipelineDestroyer(stream, reading, writing);
        destroys.push(d.destroy);
        if (isReadable(stream) && isLastStream) lastStreamCleanup.push(d.cleanup);
      }
      const onError = (err) => {
        if (err && err.name !== "AbortError" && err.code !== "ERR_STREAM_PREMATURE_CLOSE") finish(err);
      };
      stream.on("error", onError);
      if (isReadable(stream) && isLastStream) lastStreamCleanup.push(() => stream.removeListener("error", onError));
    }
    if (i === 0) {
      if (typeof stream === "function") {
        ret = stream({ signal });
        if (!isIterable(ret)) throw errors.invalidReturn("Iterable, AsyncIterable or Stream", "source", ret);
      } else if (isIterable(stream) || isReadableNodeStream(stream)) {
        ret = stream;
      } else {
        throw errors.invalidArgType("streams[0]", "an instance of Stream, Iterable or AsyncIterable", stream);
      }
    } else if (typeof stream === "function") {
      ret = stream(ret, { signal });
      if (reading) {
        if (!isIterable(ret, true)) throw errors.invalidReturn("AsyncIterable", `transform[${i - 1}]`, ret);
      } else {
        const pt = new PassThrough({ objectMode: true });
        const then = ret && ret.then;
        if (typeof then === "function") {
          finishCount++;
          then.call(ret, (val) => {
            value = val;
            if (val != null) pt.write(val);
            if (end) pt.end();
            nextTick(finish);
          }, (err) => {
            pt.destroy(err);
            nextTick(finish, err);
          });
        } else if (isIterable(ret, true)) {
          finishCount++;
          pumpToNode(ret, pt, finish, { end });
        } else {
          throw errors.invalidReturn("AsyncIterable or Promise", "destination", ret);
        }
        ret = pt;
        const d = pipelineDestroyer(ret, false, true);
        destroys.push(d.destroy);
        if (isLastStream) lastStreamCleanup.push(d.cleanup);
      }
    } else if (isNodeStream(stream)) {
      if (isReadableNodeStream(ret)) {
        finishCount += 2;
        const cleanup = pipeNodes(ret, stream, finish, { end });
        if (isReadable(stream) && isLastStream) lastStreamCleanup.push(cleanup);
      } else if (isIterable(ret)) {
        finishCount++;
        pumpToNode(ret, stream, finish, { end });
      } else {
        throw errors.invalidArgType("val", "an instance of Readable, Iterable or AsyncIterable", ret);
      }
      ret = stream;
    } else {
      throw errors.invalidArgType(`streams[${i}]`, "an instance of Stream or a function", stream);
    }
  }
  if ((signal && signal.aborted) || (outerSignal && outerSignal.aborted)) nextTick(abort);
  return ret;
}

function pipelineDestroyer(stream, reading, writing) {
  let finished = false;
  stream.on("close", () => { finished = true; });
  const cleanup = eos(stream, { readable: reading, writable: writing }, (err) => { finished = !err; });
  return {
    destroy: (err) => {
      if (finished) return;
      finished = true;
      destroyer(stream, err || errors.destroyed("pipe"));
    },
    cleanup,
  };
}

function pipeNodes(src, dst, finish, { end }) {
  let ended = false;
  dst.on("close", () => {
    if (!ended) finish(errors.prematureClose());
  });
  src.pipe(dst, { end: false });
  if (end) {
    const endFn = () => {
      ended = true;
      dst.end();
    };
    if (isReadableFinished(src)) nextTick(endFn);
    else src.once("end", endFn);
  } else {
    finish();
  }
  eos(src, { readable: true, writable: false }, (err) => {
    const r = src._readableState;
    if (err && err.code === "ERR_STREAM_PREMATURE_CLOSE" && r && r.ended && !r.errored && !r.errorEmitted) {
      src.once("end", finish).once("error", finish);
    } else {
      finish(err);
    }
  });
  return eos(dst, { readable: false, writable: true }, finish);
}

// iterate walks a sync or async iterable like for await, calling each(value)
// and awaiting what it returns.
async function iterate(iterable, each) {
  const isAsync = typeof iterable[Symbol.asyncIterator] === "function";
  const it = isAsync ? iterable[Symbol.asyncIterator]() : iterable[Symbol.iterator]();
  let finished = false;
  try {
    for (;;) {
      const step = isAsync ? await it.next() : it.next();
      if (step.done) {
        finished = true;
        return;
      }
      await each(isAsync ? step.value : await step.value);
    }
  } finally {
    if (!finished && typeof it.return === "function") await it.return();
  }
}

async function pumpToNode(iterable, writable, finish, { end }) {
  let error;
  let onresolve = null;
  const resume = (err) => {
    if (err) error = err;
    if (onresolve) {
      const cb = onresolve;
      onresolve = null;
      cb();
    }
  };
  const wait = () => new Promise((resolve, reject) => {
    if (error) reject(error);
    else onresolve = () => (error ? reject(error) : resolve());
  });
  writable.on("drain", resume);
  const cleanup = eos(writable, { readable: false }, resume);
  try {
    if (writable.writableNeedDrain) await wait();
    await iterate(iterable, async (chunk) => {
      if (!writable.write(chunk)) await wait();
    });
    if (end) {
      writable.end();
      await wait();
    }
    finish();
  } catch (err) {
    finish(error !== err ? aggregateTwoErrors(error, err) : err);
  } finally {
    cleanup();
    writable.off("drain", resume);
  }
}

module.exports = { pipeline, pipelineImpl };
