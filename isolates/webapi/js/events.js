// Event and EventTarget (DOM events).

class Event {
  constructor(type, init = {}) {
    this.type = String(type);
    this.bubbles = !!init.bubbles;
    this.cancelable = !!init.cancelable;
    this.defaultPrevented = false;
    this.timeStamp = Date.now();
    this.target = null;
    this.currentTarget = null;
    this._stop = false;
  }
  preventDefault() { if (this.cancelable) this.defaultPrevented = true; }
  stopImmediatePropagation() { this._stop = true; }
  stopPropagation() {}
}
class EventTarget {
  constructor() { this[kListeners] = new Map(); }
  addEventListener(type, listener, options) {
    if (listener == null) return;
    const once = typeof options === "object" && options !== null && !!options.once;
    let list = this[kListeners].get(type);
    if (!list) this[kListeners].set(type, (list = []));
    if (list.some((l) => l.listener === listener)) return;
    list.push({ listener, once });
    if (options && options.signal) options.signal.addEventListener("abort", () => this.removeEventListener(type, listener));
  }
  removeEventListener(type, listener) {
    const list = this[kListeners].get(type);
    if (!list) return;
    const i = list.findIndex((l) => l.listener === listener);
    if (i >= 0) list.splice(i, 1);
  }
  dispatchEvent(event) {
    const list = this[kListeners].get(event.type);
    event.target = event.currentTarget = this;
    if (list) {
      for (const l of list.slice()) {
        if (l.once) this.removeEventListener(event.type, l.listener);
        if (typeof l.listener === "function") l.listener.call(this, event);
        else l.listener.handleEvent(event);
        if (event._stop) break;
      }
    }
    return !event.defaultPrevented;
  }
}
define("Event", Event);
define("EventTarget", EventTarget);
