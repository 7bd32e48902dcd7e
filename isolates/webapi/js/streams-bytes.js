// Byte streams (Streams, as workerd has them): a ReadableStream made with type "bytes", its
// ReadableByteStreamController, the ReadableStreamBYOBRequest its source fills, and the
// ReadableStreamBYOBReader that reads into the caller's memory.
//
// The queue holds Uint8Arrays (stream._queue, _bytes.total bytes). A read that the queue
// cannot answer waits as a pull-into descriptor in _bytes.pending: the memory it fills
// (moved out of the caller's buffer, which is detached at once), how much is filled and the
// least it needs. An enqueue, or the source's byobRequest.respond, fills the first; a
// descriptor filled enough is answered with a new view over the same memory. A default
// reader's read waits with autoAllocateChunkSize bytes of its own (4096 unless the source
// says, as in workerd; made when first needed: bufferOf), and takes what is queued, up to that size, in one chunk.

const kReq = Symbol("byobRequest");
const viewTypes = [Uint8Array, Int8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array, DataView];
const viewType = (v) => viewTypes.find((t) => v instanceof t);
const closedError = () => new TypeError("This ReadableByteStreamController is closed.");

function byteState(source, strategy) {
  let auto = source.autoAllocateChunkSize;
  if (auto === undefined) auto = 4096;
  else {
    auto = Number(auto);
    if (!Number.isInteger(auto) || auto <= 0) throw new TypeError("autoAllocateChunkSize must be a positive integer.");
  }
  return { auto, hwm: highWaterMark(strategy, 0), total: 0, pending: [], request: null };
}
// The bytes a descriptor has, aligned to its element size, as its view type.
function viewOf(d) {
  const n = d.filled - (d.filled % d.el);
  const buf = transferBuffer(d.buffer); // the source's byobRequest.view is detached
  return d.byob ? new d.ctor(buf, d.offset, n / d.el) : new Uint8Array(buf, 0, n);
}
// bufferOf is d's memory. A default read's autoAllocateChunkSize bytes are made when first
// needed (a byobRequest, a script's enqueue copied in): the Web APIs' own chunks (a socket's
// reads) go to a default read as they are, and a driver's every read made 4 KiB of garbage.
function bufferOf(d) {
  if (d.buffer === null) d.buffer = new ArrayBuffer(d.length);
  return d.buffer;
}
const isReady = (d) => d.filled >= d.min && d.filled % d.el === 0;
function invalidate(b) {
  if (b.request !== null) { b.request[kReq].d = null; b.request = null; }
}
// takeQueued is what a default read gets from a queue that has bytes: the first chunk, and
// the ones after it while they fit in autoAllocateChunkSize.
function takeQueued(stream) {
  const b = stream._bytes, q = stream._queue;
  let n = 1, size = q[0].length;
  while (n < q.length && size + q[n].length <= b.auto) size += q[n++].length;
  const chunks = q.splice(0, n);
  b.total -= size;
  return n === 1 ? chunks[0] : concatBytes(chunks);
}
// fill copies queued bytes into d: as many as fit, or, when that is enough, as many as
// make it ready with whole elements.
function fillView(stream, d) {
  const b = stream._bytes, q = stream._queue;
  let n = Math.min(b.total, d.length - d.filled);
  const aligned = d.filled + n - ((d.filled + n) % d.el);
  if (aligned >= d.min) n = aligned - d.filled;
  const dest = new Uint8Array(bufferOf(d), d.offset + d.filled, n);
  let at = 0;
  while (at < n) {
    const head = q[0], take = Math.min(head.length, n - at);
    dest.set(take === head.length ? head : head.subarray(0, take), at);
    if (take === head.length) q.shift();
    else q[0] = head.subarray(take);
    at += take;
  }
  d.filled += n;
  b.total -= n;
}
// drain answers the waiting reads the queue can, and closes the stream once a close asked
// for finds the queue empty. A default read takes the queued chunks as they are, or, when
// copy is set (a script's enqueue), gets them copied into its own autoAllocateChunkSize
// bytes, as workerd does.
function drain(stream, copy) {
  const b = stream._bytes;
  while (b.pending.length > 0 && b.total > 0) {
    const d = b.pending[0];
    if (!d.byob && d.filled === 0 && !copy) { b.pending.shift(); d.resolve({ value: takeQueued(stream), done: false }); continue; }
    fillView(stream, d);
    if (!isReady(d)) break;
    b.pending.shift();
    d.resolve({ value: viewOf(d), done: false });
  }
  if (stream._closed && b.total === 0) finishClose(stream);
}
// finishClose: the stream is closed. Waiting reads get what they have (done when nothing).
function finishClose(stream) {
  const b = stream._bytes;
  invalidate(b);
  for (const d of b.pending.splice(0)) {
    const some = d.filled - (d.filled % d.el) > 0;
    d.resolve({ value: d.byob || some ? viewOf(d) : undefined, done: !some });
  }
  stream._settle();
}
// byteEnqueue queues chunk (a Uint8Array; a script's view is moved when transfer is set,
// detaching its buffer, as the standard says) or hands it to the read waiting for it.
function byteEnqueue(stream, chunk, transfer) {
  const b = stream._bytes;
  if (stream._closed || stream._error !== undefined) throw closedError();
  if (transfer) {
    if (!ArrayBuffer.isView(chunk)) throw new TypeError("The chunk must be an ArrayBuffer view.");
    if (native.isDetached(chunk.buffer)) throw new TypeError("Cannot enqueue a detached ArrayBuffer.");
    if (chunk.byteLength === 0) throw new TypeError("Cannot enqueue a zero-length ArrayBuffer.");
    const offset = chunk.byteOffset, length = chunk.byteLength; // read before the move detaches them
    chunk = new Uint8Array(transferBuffer(chunk.buffer), offset, length);
  } else if (chunk.length === 0) return;
  invalidate(b);
  const head = b.pending[0];
  if (!transfer && head !== undefined && !head.byob && head.filled === 0) {
    b.pending.shift(); // the Web APIs' own chunks go to a default read as they are
    head.resolve({ value: chunk, done: false });
  } else {
    stream._queue.push(chunk);
    b.total += chunk.length;
    drain(stream, transfer);
  }
  if (b.pending.length > 0) stream._pull();
}
function byteClose(stream) {
  const b = stream._bytes;
  if (stream._closed || stream._error !== undefined) throw closedError();
  const head = b.pending[0];
  if (head !== undefined && head.filled % head.el !== 0) {
    const e = new TypeError("The stream was closed with a partial element pending.");
    byteFail(stream, e);
    throw e;
  }
  stream._closed = true;
  if (b.total === 0) finishClose(stream);
}
function byteFail(stream, e) {
  const b = stream._bytes;
  if (stream._error !== undefined || (stream._closed && b.total === 0)) return;
  stream._error = e;
  stream._queue = [];
  b.total = 0;
  invalidate(b);
  for (const d of b.pending.splice(0)) d.reject(e);
  stream._settle();
}
function byteCancel(stream) {
  const b = stream._bytes;
  b.total = 0;
  invalidate(b);
  for (const d of b.pending.splice(0)) {
    d.filled = 0;
    d.resolve({ value: d.byob ? viewOf(d) : undefined, done: true });
  }
  stream._settle();
}
function byteRelease(stream, released) {
  const b = stream._bytes;
  invalidate(b);
  for (const d of b.pending.splice(0)) d.reject(released);
}
// waitFor queues d as a pending read and asks the source for bytes.
function waitFor(stream, d) {
  const p = new Promise((resolve, reject) => { d.resolve = resolve; d.reject = reject; });
  stream._bytes.pending.push(d);
  stream._satisfyDemand();
  stream._pull();
  return p;
}
// byteRead is a default reader's read of a byte stream.
function byteRead(stream) {
  const b = stream._bytes;
  if (stream._error !== undefined) return Promise.reject(stream._error);
  if (b.total > 0 && b.pending.length === 0) {
    const value = takeQueued(stream);
    if (stream._closed && b.total === 0) finishClose(stream);
    return Promise.resolve({ value, done: false });
  }
  if (stream._closed) return Promise.resolve({ value: undefined, done: true });
  return waitFor(stream, { buffer: null, offset: 0, length: b.auto, filled: 0, el: 1, min: 1, ctor: Uint8Array, byob: false });
}
// byobRead reads into view (checked by the reader) at least min elements.
function byobRead(stream, view, min) {
  const b = stream._bytes;
  stream._disturbed = true;
  if (stream._error !== undefined) return Promise.reject(stream._error);
  const ctor = viewType(view), el = ctor.BYTES_PER_ELEMENT || 1;
  const d = { offset: view.byteOffset, length: view.byteLength, buffer: null, filled: 0, el, min: min * el, ctor, byob: true };
  d.buffer = transferBuffer(view.buffer); // after reading the view: the move detaches it
  if (b.pending.length === 0 && b.total > 0) {
    fillView(stream, d);
    if (isReady(d)) {
      if (stream._closed && b.total === 0) finishClose(stream);
      return Promise.resolve({ value: viewOf(d), done: false });
    }
  }
  if (stream._closed) {
    const p = new Promise((resolve) => { d.resolve = resolve; });
    b.pending.push(d);
    finishClose(stream);
    return p;
  }
  return waitFor(stream, d);
}

class ReadableByteStreamController {
  constructor(token, stream) {
    if (token !== kToken) throw illegalConstructor();
    this[kSlot] = stream;
  }
  get byobRequest() {
    const s = slotOf(this, ReadableByteStreamController), b = s._bytes;
    if (b.request === null && b.pending.length > 0 && s._error === undefined) b.request = new ReadableStreamBYOBRequest(kToken, s, b.pending[0]);
    return b.request;
  }
  get desiredSize() {
    const s = slotOf(this, ReadableByteStreamController);
    if (s._error !== undefined) return null;
    return s._closed ? 0 : s._bytes.hwm - s._bytes.total;
  }
  enqueue(chunk) { byteEnqueue(slotOf(this, ReadableByteStreamController), chunk, true); }
  close() { byteClose(slotOf(this, ReadableByteStreamController)); }
  error(e) { byteFail(slotOf(this, ReadableByteStreamController), e === undefined ? new TypeError("stream errored") : e); }
}
tag(ReadableByteStreamController, "ReadableByteStreamController");

class ReadableStreamBYOBRequest {
  constructor(token, stream, d) {
    if (token !== kToken) throw illegalConstructor();
    this[kSlot] = stream;
    this[kReq] = { d, view: new Uint8Array(bufferOf(d), d.offset + d.filled, d.length - d.filled) };
  }
  get view() {
    slotOf(this, ReadableStreamBYOBRequest);
    const r = this[kReq];
    if (r.d === null) return null;
    return r.view; // a Uint8Array over the memory still to fill
  }
  get atLeast() {
    slotOf(this, ReadableStreamBYOBRequest);
    const d = this[kReq].d;
    return d === null ? null : d.min / d.el;
  }
  respond(bytesWritten) {
    const stream = slotOf(this, ReadableStreamBYOBRequest), d = this[kReq].d;
    const n = Number(bytesWritten);
    if (!Number.isInteger(n) || n < 0) throw new RangeError("bytesWritten must be a non-negative integer.");
    // A request a close answered takes respond(0), as the standard has the source say it.
    if (d === null) {
      if (stream._closed && n === 0 && stream._error === undefined) return;
      throw new TypeError("This ReadableStreamBYOBRequest has been invalidated.");
    }
    if (native.isDetached(d.buffer)) throw new TypeError("The byobRequest's view has been detached.");
    if (n === 0) throw new TypeError("bytesWritten must be more than zero while the stream is readable.");
    if (n > d.length - d.filled) throw new RangeError("bytesWritten is more than the view's length.");
    const b = stream._bytes;
    d.filled += n;
    invalidate(b);
    if (isReady(d)) {
      b.pending.shift();
      d.resolve({ value: viewOf(d), done: false });
      drain(stream, false);
    }
    if (b.pending.length > 0) stream._pull();
  }
  respondWithNewView(view) {
    const stream = slotOf(this, ReadableStreamBYOBRequest), d = this[kReq].d;
    if (!ArrayBuffer.isView(view)) throw new TypeError("The view must be an ArrayBuffer view.");
    if (d === null) {
      if (stream._closed && view.byteLength === 0 && stream._error === undefined) return;
      throw new TypeError("This ReadableStreamBYOBRequest has been invalidated.");
    }
    if (native.isDetached(view.buffer)) throw new TypeError("The view has been detached.");
    if (view.byteOffset !== d.offset + d.filled) throw new RangeError("The view's offset does not match the byobRequest's.");
    if (view.buffer.byteLength !== d.buffer.byteLength) throw new RangeError("The view's buffer does not match the byobRequest's.");
    if (view.byteLength > d.length - d.filled) throw new RangeError("The view is longer than the byobRequest's.");
    if (view.buffer !== d.buffer) d.buffer = transferBuffer(view.buffer);
    return this.respond(view.byteLength);
  }
}
tag(ReadableStreamBYOBRequest, "ReadableStreamBYOBRequest");

class ReadableStreamBYOBReader {
  constructor(stream) {
    if (stream instanceof ReadableStream && stream._bytes === null) throw new TypeError("This ReadableStream does not support BYOB reads.");
    lockStream(this, stream, "ReadableStreamBYOBReader");
  }
  read(view, options) {
    const stream = readerStream(this, ReadableStreamBYOBReader);
    if (stream === null) return Promise.reject(releasedError());
    if (!ArrayBuffer.isView(view)) return Promise.reject(new TypeError("read() needs an ArrayBuffer view."));
    if (native.isDetached(view.buffer)) return Promise.reject(new TypeError("The view has been detached."));
    if (view.byteLength === 0) return Promise.reject(new TypeError("The view must not be empty."));
    const elements = view instanceof DataView ? view.byteLength : view.length;
    const m = options == null || options.min === undefined ? 1 : Number(options.min);
    if (!Number.isInteger(m) || m <= 0 || m > elements) return Promise.reject(new TypeError(`min must be between 1 and the view's length (${elements}).`));
    return byobRead(stream, view, m);
  }
  readAtLeast(min, view) { return this.read(view, { min }); }
}
readerMethods(ReadableStreamBYOBReader);
tag(ReadableStreamBYOBReader, "ReadableStreamBYOBReader");

// isolates/modules' byte streams (socket.readable) queue their chunks through Go: streams_bytes.go.
native.byteStreamBridge((stream, chunk) => {
  if (!(stream instanceof ReadableStream) || stream._bytes === null) throw new TypeError("not a byte stream");
  if (!(chunk instanceof Uint8Array)) throw new TypeError("the chunk must be a Uint8Array");
  byteEnqueue(stream, chunk, false);
});

define("ReadableByteStreamController", ReadableByteStreamController);
define("ReadableStreamBYOBRequest", ReadableStreamBYOBRequest);
define("ReadableStreamBYOBReader", ReadableStreamBYOBReader);
