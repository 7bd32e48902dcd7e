// ReadableStream and its default reader (Streams), and the byte-stream helpers bodies use.

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
    this._pullAgain = false;
    this._disturbed = false;
    this._closedPromise = new Promise((resolve, reject) => { this._resolveClosed = resolve; this._rejectClosed = reject; });
    this._closedPromise.catch(() => {});
    const controller = {
      enqueue: (chunk) => {
        if (this._closed) throw new TypeError("Cannot enqueue to a closed stream");
        this._queue.push(chunk);
        this._flush();
        if (this._waiting.length > 0) this._pull();
      },
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
    this._disturbed = true; // read from: a body that is no longer usable
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
  // _pull asks the source for more, once at a time, as the Streams
  // standard's CallPullIfNeeded does: asked again while a pull runs, it
  // pulls once more after that one settles (if reads still wait). A pull
  // that settles having enqueued nothing is not repeated at once — that
  // would spin the microtask queue while the source waits for I/O; its
  // later enqueue answers the waiting read, and enqueue asks for the next
  // pull while reads still wait. A pull that throws errors the stream.
  _pull() {
    if (typeof this._source.pull !== "function") return;
    if (this._pulling) { this._pullAgain = true; return; }
    this._pulling = true;
    this._pullAgain = false;
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
      if (this._pullAgain && this._waiting.length > 0 && !this._closed && this._error === undefined) this._pull();
    }, (e) => { this._pulling = false; this._controller.error(e); });
  }
  _cancel(reason) {
    this._disturbed = true;
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
    // Workers' bodies are byte streams: a chunk that is not bytes (a
    // string out of a TextDecoderStream, say) fails the read, as in workerd.
    if (!(value instanceof ArrayBuffer || ArrayBuffer.isView(value))) {
      const e = new TypeError("This ReadableStream did not return bytes.");
      reader.cancel(e).catch(() => {});
      throw e;
    }
    chunks.push(new Uint8Array(toBytes(value, "ReadableStream chunk")));
  }
  return concatBytes(chunks);
}
define("ReadableStream", ReadableStream);
define("ReadableStreamDefaultReader", ReadableStreamDefaultReader);
