// node:internal/streams/destroy: destroy, errorOrDestroy, construct and
// destroyer (Node's internal/streams/destroy).
"use strict";

const { AbortError, aggregateTwoErrors, errors, isDestroyed, isNodeStream, isReadableFinished, isReadableNodeStream, isWritableFinished, isWritableNodeStream, kDestroy, kIsDestroyed, nextTick } = require("node:internal/streams/utils");

// ---- destroy (Node's internal/streams/destroy) ----

function recordError(err, w, r) {
  if (!err) return;
  if (w && !w.errored) w.errored = err;
  if (r && !r.errored) r.errored = err;
}
function destroy(err, cb) {
  const r = this._readableState;
  const w = this._writableState;
  const s = w || r;
  if ((w && w.destroyed) || (r && r.destroyed)) {
    if (typeof cb === "function") cb();
    return this;
  }
  recordError(err, w, r);
  if (w) w.destroyed = true;
  if (r) r.destroyed = true;
  if (!s.constructed) this.once(kDestroy, (er) => runDestroy(this, aggregateTwoErrors(er, err), cb));
  else runDestroy(this, err, cb);
  return this;
}
function runDestroy(self, err, cb) {
  let called = false;
  const onDestroy = (err) => {
    if (called) return;
    called = true;
    const r = self._readableState;
    const w = self._writableState;
    recordError(err, w, r);
    if (w) w.closed = true;
    if (r) r.closed = true;
    if (typeof cb === "function") cb(err);
    if (err) nextTick(emitErrorCloseNT, self, err);
    else nextTick(emitCloseNT, self);
  };
  try {
    self._destroy(err || null, onDestroy);
  } catch (e) {
    onDestroy(e);
  }
}
function emitErrorCloseNT(self, err) {
  emitErrorNT(self, err);
  emitCloseNT(self);
}
function emitCloseNT(self) {
  const r = self._readableState;
  const w = self._writableState;
  if (w) w.closeEmitted = true;
  if (r) r.closeEmitted = true;
  if ((w && w.emitClose) || (r && r.emitClose)) self.emit("close");
}
function emitErrorNT(self, err) {
  const r = self._readableState;
  const w = self._writableState;
  if ((w && w.errorEmitted) || (r && r.errorEmitted)) return;
  if (w) w.errorEmitted = true;
  if (r) r.errorEmitted = true;
  self.emit("error", err);
}
function errorOrDestroy(stream, err, sync) {
  const r = stream._readableState;
  const w = stream._writableState;
  if ((w && w.destroyed) || (r && r.destroyed)) return;
  if ((r && r.autoDestroy) || (w && w.autoDestroy)) {
    stream.destroy(err);
  } else if (err) {
    recordError(err, w, r);
    if (sync) nextTick(emitErrorNT, stream, err);
    else emitErrorNT(stream, err);
  }
}
function undestroy() {
  const r = this._readableState;
  const w = this._writableState;
  if (r) {
    r.constructed = true; r.closed = false; r.closeEmitted = false; r.destroyed = false; r.errored = null;
    r.errorEmitted = false; r.reading = false; r.ended = r.readable === false; r.endEmitted = r.readable === false;
  }
  if (w) {
    w.constructed = true; w.destroyed = false; w.closed = false; w.closeEmitted = false; w.errored = null;
    w.errorEmitted = false; w.finalCalled = false; w.prefinished = false; w.ended = w.writable === false;
    w.ending = w.writable === false; w.finished = w.writable === false;
  }
}
// construct runs _construct on the next tick; reads and writes wait for
// it (constructed is false until its callback), then cb runs.
const kConstruct = Symbol("kConstruct");
function construct(stream, cb) {
  if (typeof stream._construct !== "function") return;
  const r = stream._readableState;
  const w = stream._writableState;
  if (r) r.constructed = false;
  if (w) w.constructed = false;
  stream.once(kConstruct, cb);
  nextTick(() => {
    let called = false;
    const done = (err) => {
      if (called) { errorOrDestroy(stream, err || errors.multipleCallback()); return; }
      called = true;
      if (r) r.constructed = true;
      if (w) w.constructed = true;
      if ((w || r).destroyed) stream.emit(kDestroy, err);
      else if (err) errorOrDestroy(stream, err, true);
      else nextTick(() => stream.emit(kConstruct));
    };
    try { stream._construct((err) => nextTick(done, err)); } catch (err) { nextTick(done, err); }
  });
}
// destroyer destroys stream for pipeline: with an AbortError when it did
// not finish and no error is given.
function destroyer(stream, err) {
  if (!stream || isDestroyed(stream)) return;
  if (!err && !isFinished(stream)) err = AbortError();
  if (typeof stream.destroy === "function") stream.destroy(err);
  else if (typeof stream.close === "function") stream.close();
  if (!stream.destroyed) stream[kIsDestroyed] = true;
}
function isFinished(stream) {
  return !!(isNodeStream(stream) && (isDestroyed(stream) || ((!isReadableNodeStream(stream) || isReadableFinished(stream, false)) &&
    (!isWritableNodeStream(stream) || isWritableFinished(stream, false)))));
}

module.exports = { construct, destroy, destroyer, errorOrDestroy, undestroy };
