// node:timers: Node's timer functions over the isolate's global timers.
// They return Timeout and Immediate objects (ref/unref/hasRef/refresh/
// close, and a number through Symbol.toPrimitive, so the global
// clearTimeout(+t) works too), call the callback with the Timeout as this,
// and clamp delays as Node does (outside 1..2^31-1 a delay is 1 ms).
// ref and unref only flag: a Workers request does not wait for timers.
"use strict";

const TIMEOUT_MAX = 2 ** 31 - 1;
const globalSetTimeout = globalThis.setTimeout;
const globalClearTimeout = globalThis.clearTimeout;

const { describe } = require("node:internal/errors");

function checkCallback(cb) {
  if (typeof cb !== "function") {
    const e = new TypeError('The "callback" argument must be of type function.' + describe(cb));
    e.code = "ERR_INVALID_ARG_TYPE";
    throw e;
  }
}

function clampDelay(delay) {
  delay = Number(delay);
  return delay >= 1 && delay <= TIMEOUT_MAX ? delay : 1;
}

// live maps a timer's number (its first global id) to the object, for
// clearTimeout(number).
const live = new Map();

class Timeout {
  #id = 0;
  #key = 0;
  #ref = true;
  #args;
  constructor(callback, delay, args, repeat) {
    this._idleTimeout = delay;
    this._onTimeout = callback;
    this._repeat = repeat ? delay : null;
    this._destroyed = false;
    this.#args = args;
    this.#arm();
    this.#key = this.#id;
    live.set(this.#key, this);
  }
  // #arm starts the global timer; an interval re-arms itself so that
  // refresh() restarts it the same way.
  #arm() {
    this.#id = globalSetTimeout(() => {
      if (this._repeat !== null) this.#arm();
      else this.#done();
      this._onTimeout.apply(this, this.#args);
    }, this._idleTimeout);
  }
  #done() {
    this._destroyed = true;
    live.delete(this.#key);
  }
  ref() { this.#ref = true; return this; }
  unref() { this.#ref = false; return this; }
  hasRef() { return this.#ref; }
  refresh() {
    if (!this._destroyed) {
      globalClearTimeout(this.#id);
      this.#arm();
    }
    return this;
  }
  close() {
    if (!this._destroyed) {
      globalClearTimeout(this.#id);
      this.#done();
      this._idleTimeout = -1; // as Node marks a cleared timer
    }
    return this;
  }
  [Symbol.toPrimitive]() { return this.#key; }
}
if (Symbol.dispose) Timeout.prototype[Symbol.dispose] = function () { this.close(); };

class Immediate {
  #id = 0;
  #ref = true;
  constructor(callback, args) {
    this._onImmediate = callback;
    this._destroyed = false;
    this.#id = globalSetTimeout(() => {
      this._destroyed = true;
      callback.apply(this, args);
    }, 0);
  }
  ref() { this.#ref = true; return this; }
  unref() { this.#ref = false; return this; }
  hasRef() { return this.#ref; }
  _clear() {
    if (!this._destroyed) {
      this._destroyed = true;
      globalClearTimeout(this.#id);
    }
  }
}
if (Symbol.dispose) Immediate.prototype[Symbol.dispose] = function () { this._clear(); };

function setTimeout(callback, delay, ...args) {
  checkCallback(callback);
  return new Timeout(callback, clampDelay(delay), args, false);
}

function setInterval(callback, delay, ...args) {
  checkCallback(callback);
  return new Timeout(callback, clampDelay(delay), args, true);
}

function clearTimeout(t) {
  if (t instanceof Timeout) {
    t.close();
    return;
  }
  if (typeof t === "number" || typeof t === "string") {
    const found = live.get(Number(t));
    if (found) found.close();
    else globalClearTimeout(Number(t)); // a global timer's id
  }
}

function setImmediate(callback, ...args) {
  checkCallback(callback);
  return new Immediate(callback, args);
}

function clearImmediate(i) {
  if (i instanceof Immediate) i._clear();
}

module.exports = {
  setTimeout,
  clearTimeout,
  setInterval,
  clearInterval: clearTimeout,
  setImmediate,
  clearImmediate,
};
Object.defineProperty(module.exports, "promises", {
  enumerable: true,
  configurable: true,
  get() { return require("node:timers/promises"); },
});
