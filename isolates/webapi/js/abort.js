// AbortController and AbortSignal.

class AbortSignal extends EventTarget {
  constructor(key) {
    if (key !== kListeners) throw new TypeError("Illegal constructor");
    super();
    this.aborted = false;
    this.reason = undefined;
    this.onabort = null;
  }
  throwIfAborted() { if (this.aborted) throw this.reason; }
  static abort(reason) {
    const s = new AbortSignal(kListeners);
    s._abort(reason === undefined ? new DOMException("The operation was aborted", "AbortError") : reason);
    return s;
  }
  static timeout(ms) {
    const s = new AbortSignal(kListeners);
    setTimeout(() => s._abort(new DOMException("The operation was aborted due to timeout", "TimeoutError")), ms);
    return s;
  }
  static any(signals) {
    const s = new AbortSignal(kListeners);
    for (const x of signals) {
      if (x.aborted) { s._abort(x.reason); return s; }
      x.addEventListener("abort", () => s._abort(x.reason));
    }
    return s;
  }
  _abort(reason) {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const e = new Event("abort");
    if (typeof this.onabort === "function") this.onabort(e);
    this.dispatchEvent(e);
  }
}
class AbortController {
  constructor() { this.signal = new AbortSignal(kListeners); }
  abort(reason) {
    this.signal._abort(reason === undefined ? new DOMException("The operation was aborted", "AbortError") : reason);
  }
}
define("AbortSignal", AbortSignal);
define("AbortController", AbortController);
