// ReadableStream pipes: pipeTo, pipeThrough, ReadableStream.from.

ReadableStream.prototype.pipeTo = async function pipeTo(dest, options = {}) {
  if (!(dest instanceof WritableStream)) throw new TypeError("pipeTo: the destination must be a WritableStream");
  if (this._locked) throw new TypeError("ReadableStream is locked");
  if (dest._locked) throw new TypeError("WritableStream is locked");
  const reader = this.getReader();
  const writer = dest.getWriter();
  const signal = options.signal;
  // An abort, or the destination failing, ends the pipe even while the
  // source has nothing to read.
  const abortReason = () => (signal.reason !== undefined ? signal.reason : new DOMException("The operation was aborted.", "AbortError"));
  let onAbort;
  const stopped = new Promise((_, reject) => {
    if (signal) {
      onAbort = () => reject(abortReason());
      if (signal.aborted) onAbort();
      else signal.addEventListener("abort", onAbort);
    }
    dest._closed.then(undefined, reject);
  });
  stopped.catch(() => {});
  try {
    for (;;) {
      const { value, done } = await Promise.race([reader.read(), stopped]);
      if (done) break;
      await Promise.race([writer.write(value), stopped]);
    }
    if (!options.preventClose) await writer.close();
  } catch (e) {
    if (!options.preventAbort) await writer.abort(e).catch(() => {});
    if (!options.preventCancel) await reader.cancel(e).catch(() => {});
    throw e;
  } finally {
    if (signal && onAbort) signal.removeEventListener("abort", onAbort);
    reader.releaseLock();
    writer.releaseLock();
  }
};
ReadableStream.prototype.pipeThrough = function pipeThrough(transform, options) {
  if (this._locked) throw new TypeError("ReadableStream is locked");
  if (!transform || !(transform.writable instanceof WritableStream) || !(transform.readable instanceof ReadableStream)) {
    throw new TypeError("pipeThrough: expected { writable, readable }");
  }
  this.pipeTo(transform.writable, options).catch(() => {});
  return transform.readable;
};
ReadableStream.from = function from(iterable) {
  const async = iterable != null && typeof iterable[Symbol.asyncIterator] === "function";
  const method = iterable != null && (async ? iterable[Symbol.asyncIterator] : iterable[Symbol.iterator]);
  if (typeof method !== "function") throw new TypeError("ReadableStream.from: the argument must be iterable");
  const it = method.call(iterable);
  return new ReadableStream({
    async pull(c) {
      const r = await it.next();
      if (r.done) c.close();
      else c.enqueue(async ? r.value : await r.value); // a sync iterable's promises are awaited
    },
    cancel(reason) { if (typeof it.return === "function") return it.return(reason); },
  });
};
