// WritableStream and its default writer (Streams).

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
    this._controller = new WritableStreamDefaultController(kToken, this);
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
    if (this._readyWaiters.length === 0) return; // the common case: no array copied
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
class WritableStreamDefaultController {
  constructor(token, stream) {
    if (token !== kToken) throw illegalConstructor();
    this[kSlot] = stream;
  }
  get signal() { return slotOf(this, WritableStreamDefaultController)._abortController.signal; }
  error(e) { slotOf(this, WritableStreamDefaultController)._fail(e); }
}
tag(WritableStreamDefaultController, "WritableStreamDefaultController");
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

define("WritableStream", WritableStream);
define("WritableStreamDefaultWriter", WritableStreamDefaultWriter);
define("WritableStreamDefaultController", WritableStreamDefaultController);
