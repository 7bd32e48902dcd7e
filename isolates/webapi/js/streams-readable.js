// ReadableStream, its default controller and default reader (Streams), and the byte-stream
// helpers bodies use. Byte streams (type: "bytes": their controller, BYOB requests and the
// BYOB reader) are streams-bytes.js's; both kinds share this class, its pulls and its locks.

// Controllers, BYOB requests and (in streams-writable/transform.js) the other controllers are
// made only by the Web APIs, which pass kToken: a script's `new` is an illegal constructor,
// as in workerd. kSlot holds what an object of these classes belongs to.
const kToken = Symbol("streams"), kSlot = Symbol("slot");
const illegalConstructor = () => new TypeError("Illegal constructor");
// slotOf is obj's kSlot when obj is a cls, or the TypeError a method called on something
// else throws.
function slotOf(obj, cls) {
  const s = obj !== null && typeof obj === "object" ? obj[kSlot] : undefined;
  if (s === undefined || !(obj instanceof cls)) throw new TypeError("Illegal invocation");
  return s;
}
// highWaterMark is a queuing strategy's, or dflt when it names none.
function highWaterMark(strategy, dflt) {
  const h = strategy == null ? undefined : strategy.highWaterMark;
  if (h === undefined) return dflt;
  const n = Number(h);
  if (Number.isNaN(n) || n < 0) throw new RangeError("The highWaterMark must be a non-negative number.");
  return n;
}

class ReadableStream {
  constructor(source = {}, strategy) {
    if (source === null) source = {};
    this._queue = [];
    this._closed = false; // closing asked for (the stream is closed once its queue is empty)
    this._error = undefined;
    this._waiting = []; // a default stream's pending reads; a byte stream's are in _bytes.pending
    this._demand = []; // resolvers waiting for a read to be asked for (TransformStream's backpressure)
    this._locked = false;
    this._reader = null;
    this._source = source;
    this._pulling = false;
    this._pullAgain = false;
    this._disturbed = false;
    this._closedPromise = new Promise((resolve, reject) => { this._resolveClosed = resolve; this._rejectClosed = reject; });
    this._closedPromise.catch(() => {});
    const type = source.type;
    if (type === undefined) {
      this._bytes = null;
      this._hwm = highWaterMark(strategy, 1);
      this._size = strategy != null && typeof strategy.size === "function" ? strategy.size : null;
      this._controller = new ReadableStreamDefaultController(kToken, this);
    } else if (String(type) === "bytes") {
      this._bytes = byteState(source, strategy); // streams-bytes.js
      this._controller = new ReadableByteStreamController(kToken, this);
    } else {
      throw new TypeError(`The ReadableStream type "${String(type)}" is not supported.`);
    }
    if (typeof source.start === "function") {
      const controller = this._controller;
      const r = source.start(controller);
      if (r && typeof r.then === "function") r.then(undefined, (e) => controller.error(e));
    }
  }
  get locked() { return this._locked; }
  // Default streams: the controller's enqueue, close and error.
  _enqueue(chunk) {
    if (this._closed) throw new TypeError("Cannot enqueue to a closed stream");
    this._queue.push(chunk);
    this._flush();
    if (this._waiting.length > 0) this._pull();
  }
  _fail(e) {
    if (this._bytes !== null) return byteFail(this, e);
    this._error = e === undefined ? new TypeError("stream errored") : e;
    this._flush();
  }
  // _closeOwn closes the stream for the Web APIs' own sources, whichever its kind, and
  // whether or not it is closed already.
  _closeOwn() {
    if (this._bytes === null) { this._closed = true; this._flush(); return; }
    if (!this._closed && this._error === undefined) byteClose(this);
  }
  _flush() {
    while (this._waiting.length > 0) {
      if (this._error !== undefined) { this._waiting.shift().reject(this._error); continue; }
      if (this._queue.length > 0) { this._waiting.shift().resolve({ value: this._queue.shift(), done: false }); continue; }
      if (this._closed) { this._waiting.shift().resolve({ value: undefined, done: true }); continue; }
      break;
    }
    this._settle();
  }
  // _settle settles closed once the stream is over, and lets a waiting transform go on.
  _settle() {
    if (this._error !== undefined) this._rejectClosed(this._error);
    else if (this._closed && this._queue.length === 0) this._resolveClosed();
    if (this._error !== undefined || this._closed) this._satisfyDemand();
  }
  _satisfyDemand() {
    const d = this._demand;
    this._demand = [];
    for (const resolve of d) resolve();
  }
  _reads() { return this._bytes === null ? this._waiting.length : this._bytes.pending.length; }
  // demanded resolves once a read is waiting for a chunk (or the stream
  // is over): what a TransformStream waits for before transforming.
  _demanded() {
    if (this._reads() > 0 || this._closed || this._error !== undefined) return Promise.resolve();
    return new Promise((resolve) => this._demand.push(resolve));
  }
  _read() {
    this._disturbed = true; // read from: a body that is no longer usable
    if (this._bytes !== null) return byteRead(this);
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
      this._fail(e);
      return;
    }
    Promise.resolve(r).then(() => {
      this._pulling = false;
      if (this._pullAgain && this._reads() > 0 && !this._closed && this._error === undefined) this._pull();
    }, (e) => { this._pulling = false; this._fail(e); });
  }
  _cancel(reason) {
    this._disturbed = true;
    if (this._error !== undefined) return Promise.reject(this._error);
    if (this._closed && this._queue.length === 0) return Promise.resolve();
    this._closed = true;
    this._queue = [];
    if (this._bytes !== null) byteCancel(this);
    else this._flush(); // pending reads end
    return Promise.resolve(typeof this._source.cancel === "function" ? this._source.cancel(reason) : undefined).then(() => {});
  }
  getReader(options) {
    const mode = options == null ? undefined : options.mode;
    if (mode === undefined) return new ReadableStreamDefaultReader(this);
    if (String(mode) === "byob") return new ReadableStreamBYOBReader(this);
    throw new TypeError(`"${String(mode)}" is not a valid reader mode: expected "byob".`);
  }
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
  // tee reads the whole stream, then both branches have every chunk. A byte
  // stream's branches are byte streams, each with its own copy of the bytes.
  tee() {
    const chunks = [];
    const reader = this.getReader();
    const all = (async () => { for (;;) { const { value, done } = await reader.read(); if (done) return chunks; chunks.push(value); } })();
    if (this._bytes !== null) {
      const bytes = all.then((c) => concatBytes(c.map((v) => toBytes(v, "ReadableStream chunk"))));
      const branch = (copy) => {
        const s = new ReadableStream({ type: "bytes", async start() { const b = await bytes; if (b.length) byteEnqueue(s, copy ? b.slice() : b, false); s._closeOwn(); } });
        return s;
      };
      return [branch(false), branch(true)];
    }
    const branch = () => new ReadableStream({ async start(c) { for (const ch of await all) c.enqueue(ch); c.close(); } });
    return [branch(), branch()];
  }
}
tag(ReadableStream, "ReadableStream");

class ReadableStreamDefaultController {
  constructor(token, stream) {
    if (token !== kToken) throw illegalConstructor();
    this[kSlot] = stream;
  }
  get desiredSize() {
    const s = slotOf(this, ReadableStreamDefaultController);
    if (s._error !== undefined) return null;
    if (s._closed) return 0;
    let queued = s._queue.length;
    if (s._size !== null) { queued = 0; for (const c of s._queue) queued += Number(s._size(c)) || 0; }
    return s._hwm - queued;
  }
  enqueue(chunk) { slotOf(this, ReadableStreamDefaultController)._enqueue(chunk); }
  close() { slotOf(this, ReadableStreamDefaultController)._closeOwn(); }
  error(e) { slotOf(this, ReadableStreamDefaultController)._fail(e); }
}
tag(ReadableStreamDefaultController, "ReadableStreamDefaultController");

// lockStream is the start of every reader: stream is locked to reader.
function lockStream(reader, stream, name) {
  if (!(stream instanceof ReadableStream)) throw new TypeError(`${name} needs a ReadableStream`);
  if (stream._locked) throw new TypeError("ReadableStream is locked");
  stream._locked = true;
  stream._reader = reader;
  reader[kSlot] = { stream, closed: stream._closedPromise };
}
const releasedError = () => new TypeError("This reader has been released");
// readerStream is the stream a reader still holds, or null once released.
const readerStream = (reader, cls) => slotOf(reader, cls).stream;
// readerMethods are what both readers have: closed, cancel and releaseLock (each its own
// property, as on workerd's prototypes).
function readerMethods(cls) {
  const m = {
    get closed() { return slotOf(this, cls).closed; },
    cancel(reason) {
      const stream = readerStream(this, cls);
      if (stream === null) return Promise.reject(releasedError());
      return stream._cancel(reason);
    },
    releaseLock() {
      const slot = slotOf(this, cls);
      const stream = slot.stream;
      if (stream === null) return;
      const released = releasedError();
      for (const w of stream._waiting.splice(0)) w.reject(released);
      if (stream._bytes !== null) byteRelease(stream, released);
      stream._locked = false;
      stream._reader = null;
      slot.stream = null;
      slot.closed = Promise.reject(released);
      slot.closed.catch(() => {});
    },
  };
  for (const k of Object.getOwnPropertyNames(m)) Object.defineProperty(cls.prototype, k, { ...Object.getOwnPropertyDescriptor(m, k), enumerable: false });
}
class ReadableStreamDefaultReader {
  constructor(stream) { lockStream(this, stream, "ReadableStreamDefaultReader"); }
  read() {
    const stream = readerStream(this, ReadableStreamDefaultReader);
    if (stream === null) return Promise.reject(releasedError());
    return stream._read();
  }
}
readerMethods(ReadableStreamDefaultReader);
tag(ReadableStreamDefaultReader, "ReadableStreamDefaultReader");

// bytesStream is a body's stream over bytes it already has: a byte stream, as Workers'
// bodies are. The bytes are not copied (nor detached: a Blob keeps its own).
function bytesStream(bytes) {
  const s = new ReadableStream({ type: "bytes" });
  s[kLength] = bytes.length;
  if (bytes.length) byteEnqueue(s, bytes, false);
  s._closeOwn();
  return s;
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
define("ReadableStreamDefaultController", ReadableStreamDefaultController);
define("ReadableStreamDefaultReader", ReadableStreamDefaultReader);
