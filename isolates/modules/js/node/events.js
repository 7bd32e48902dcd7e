// node:events: EventEmitter as Node has it (the same _events, _eventsCount
// and _maxListeners properties, since libraries written for Node read them),
// and the static helpers once, on, getEventListeners, setMaxListeners.
//
// Node defers the capture-rejections 'error' with process.nextTick; here a
// microtask stands in (Node's nextTick queue runs before promise callbacks,
// a microtask runs among them: the order against other promises may differ).
"use strict";

const kCapture = Symbol("kCapture");
const kRejection = Symbol.for("nodejs.rejection");
const errorMonitor = Symbol("events.errorMonitor");
let defaultMaxListeners = 10;
let warnedMax = false;

function nodeError(Base, code, message) {
  const e = new Base(message);
  Object.defineProperty(e, "code", { value: code, writable: true, configurable: true, enumerable: true });
  return e;
}

const { describe } = require("node:internal/errors");

// inspectValue is util.inspect's view of v: console.log's, except that a
// string is quoted (as util.inspect quotes it, console.log does not).
function inspectValue(v) {
  if (typeof v !== "string") return internal.inspect(v);
  if (!v.includes("'")) return "'" + v + "'";
  if (!v.includes('"')) return '"' + v + '"';
  return "`" + v + "`";
}

function invalidArgType(name, expected, v) {
  return nodeError(TypeError, "ERR_INVALID_ARG_TYPE", `The "${name}" argument must be ${expected}.` + describe(v));
}

function checkListener(listener) {
  if (typeof listener !== "function") throw invalidArgType("listener", "of type function", listener);
}

function checkCount(n, name) {
  if (typeof n !== "number") throw invalidArgType(name, "of type number", n);
  if (n < 0 || Number.isNaN(n)) {
    throw nodeError(RangeError, "ERR_OUT_OF_RANGE", `The value of "${name}" is out of range. It must be a non-negative number. Received ${n}`);
  }
}

function AbortError(message = "The operation was aborted", options) {
  const e = new Error(message, options);
  e.name = "AbortError";
  e.code = "ABORT_ERR";
  return e;
}

function validateSignal(signal) {
  if (signal !== undefined && (signal === null || typeof signal !== "object" || !("aborted" in signal))) {
    throw invalidArgType("options.signal", "an instance of AbortSignal", signal);
  }
}

function EventEmitter(opts) {
  EventEmitter.init.call(this, opts);
}

EventEmitter.prototype._events = undefined;
EventEmitter.prototype._eventsCount = 0;
EventEmitter.prototype._maxListeners = undefined;
EventEmitter.prototype[kCapture] = false;

EventEmitter.init = function (opts) {
  if (this._events === undefined || this._events === Object.getPrototypeOf(this)._events) {
    this._events = Object.create(null);
    this._eventsCount = 0;
  }
  this._maxListeners = this._maxListeners || undefined;
  if (opts && opts.captureRejections !== undefined) {
    if (typeof opts.captureRejections !== "boolean") {
      throw invalidArgType("options.captureRejections", "of type boolean", opts.captureRejections);
    }
    this[kCapture] = opts.captureRejections;
  } else {
    this[kCapture] = EventEmitter.prototype[kCapture];
  }
};

Object.defineProperty(EventEmitter, "defaultMaxListeners", {
  enumerable: true,
  get() { return defaultMaxListeners; },
  set(n) { checkCount(n, "defaultMaxListeners"); defaultMaxListeners = n; },
});
Object.defineProperty(EventEmitter, "captureRejections", {
  enumerable: true,
  get() { return EventEmitter.prototype[kCapture]; },
  set(v) {
    if (typeof v !== "boolean") throw invalidArgType("EventEmitter.captureRejections", "of type boolean", v);
    EventEmitter.prototype[kCapture] = v;
  },
});

EventEmitter.prototype.setMaxListeners = function setMaxListeners(n) {
  checkCount(n, "n");
  this._maxListeners = n;
  return this;
};

function maxOf(that) {
  return that._maxListeners === undefined ? defaultMaxListeners : that._maxListeners;
}

EventEmitter.prototype.getMaxListeners = function getMaxListeners() { return maxOf(this); };

function addCatch(that, promise, type, args) {
  try {
    const then = promise.then;
    if (typeof then === "function") {
      then.call(promise, undefined, (err) => queueMicrotask(() => emitRejection(that, err, type, args)));
    }
  } catch (err) {
    that.emit("error", err);
  }
}

function emitRejection(that, err, type, args) {
  if (typeof that[kRejection] === "function") {
    that[kRejection](err, type, ...args);
    return;
  }
  const prev = that[kCapture];
  try {
    that[kCapture] = false;
    that.emit("error", err);
  } finally {
    that[kCapture] = prev;
  }
}

EventEmitter.prototype.emit = function emit(type, ...args) {
  let doError = type === "error";
  const events = this._events;
  if (events !== undefined) {
    if (doError && events[errorMonitor] !== undefined) this.emit(errorMonitor, ...args);
    doError = doError && events.error === undefined;
  } else if (!doError) {
    return false;
  }
  if (doError) {
    const er = args.length > 0 ? args[0] : undefined;
    if (er instanceof Error) throw er;
    let shown;
    try { shown = inspectValue(er); } catch { shown = String(er); }
    const err = nodeError(Error, "ERR_UNHANDLED_ERROR", "Unhandled error. (" + shown + ")");
    err.context = er;
    throw err;
  }
  const handler = events[type];
  if (handler === undefined) return false;
  if (typeof handler === "function") {
    const result = handler.apply(this, args);
    if (result !== undefined && result !== null && this[kCapture]) addCatch(this, result, type, args);
  } else {
    const listeners = handler.slice();
    for (let i = 0; i < listeners.length; i++) {
      const result = listeners[i].apply(this, args);
      if (result !== undefined && result !== null && this[kCapture]) addCatch(this, result, type, args);
    }
  }
  return true;
};

function addListener(target, type, listener, prepend) {
  checkListener(listener);
  let events = target._events;
  if (events === undefined) {
    events = target._events = Object.create(null);
    target._eventsCount = 0;
  } else {
    if (events.newListener !== undefined) {
      target.emit("newListener", type, listener.listener ? listener.listener : listener);
      events = target._events;
    }
  }
  let existing = events[type];
  if (existing === undefined) {
    events[type] = listener;
    ++target._eventsCount;
  } else {
    if (typeof existing === "function") {
      existing = events[type] = prepend ? [listener, existing] : [existing, listener];
    } else if (prepend) {
      existing.unshift(listener);
    } else {
      existing.push(listener);
    }
    const m = maxOf(target);
    if (m > 0 && existing.length > m && !existing.warned) {
      existing.warned = true;
      warnMax(target, type, existing.length);
    }
  }
  return target;
}

function warnMax(target, type, count) {
  const name = target.constructor && target.constructor.name ? target.constructor.name : "EventEmitter";
  const msg = `Possible EventEmitter memory leak detected. ${count} ${String(type)} listeners added to [${name}]. ` +
    "Use emitter.setMaxListeners() to increase limit";
  const proc = globalThis.process;
  if (proc && typeof proc.emitWarning === "function") {
    const w = new Error(msg);
    w.name = "MaxListenersExceededWarning";
    w.emitter = target;
    w.type = type;
    w.count = count;
    proc.emitWarning(w);
  } else if (!warnedMax) {
    warnedMax = true; // once per isolate: a leak would otherwise flood the log
    console.warn("MaxListenersExceededWarning: " + msg);
  }
}

EventEmitter.prototype.addListener = function addListener_(type, listener) {
  return addListener(this, type, listener, false);
};
EventEmitter.prototype.on = EventEmitter.prototype.addListener;
EventEmitter.prototype.prependListener = function prependListener(type, listener) {
  return addListener(this, type, listener, true);
};

function onceWrap(target, type, listener) {
  const state = { fired: false, wrapFn: undefined, target, type, listener };
  const wrapped = function (...args) {
    if (!state.fired) {
      state.target.removeListener(state.type, state.wrapFn);
      state.fired = true;
      return state.listener.apply(state.target, args);
    }
  };
  wrapped.listener = listener;
  state.wrapFn = wrapped;
  return wrapped;
}

EventEmitter.prototype.once = function once(type, listener) {
  checkListener(listener);
  this.on(type, onceWrap(this, type, listener));
  return this;
};
EventEmitter.prototype.prependOnceListener = function prependOnceListener(type, listener) {
  checkListener(listener);
  this.prependListener(type, onceWrap(this, type, listener));
  return this;
};

EventEmitter.prototype.removeListener = function removeListener(type, listener) {
  checkListener(listener);
  const events = this._events;
  if (events === undefined) return this;
  const list = events[type];
  if (list === undefined) return this;
  if (list === listener || list.listener === listener) {
    if (--this._eventsCount === 0) this._events = Object.create(null);
    else delete events[type];
    if (events.removeListener) this.emit("removeListener", type, list.listener || listener);
  } else if (typeof list !== "function") {
    let position = -1;
    let original;
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i] === listener || list[i].listener === listener) {
        original = list[i].listener;
        position = i;
        break;
      }
    }
    if (position < 0) return this;
    if (position === 0) list.shift();
    else list.splice(position, 1);
    if (list.length === 1) events[type] = list[0];
    if (events.removeListener !== undefined) this.emit("removeListener", type, original || listener);
  }
  return this;
};
EventEmitter.prototype.off = EventEmitter.prototype.removeListener;

EventEmitter.prototype.removeAllListeners = function removeAllListeners(type) {
  const events = this._events;
  if (events === undefined) return this;
  if (events.removeListener === undefined) {
    if (arguments.length === 0) {
      this._events = Object.create(null);
      this._eventsCount = 0;
    } else if (events[type] !== undefined) {
      if (--this._eventsCount === 0) this._events = Object.create(null);
      else delete events[type];
    }
    return this;
  }
  if (arguments.length === 0) {
    for (const key of Reflect.ownKeys(events)) {
      if (key !== "removeListener") this.removeAllListeners(key);
    }
    this.removeAllListeners("removeListener");
    this._events = Object.create(null);
    this._eventsCount = 0;
    return this;
  }
  const listeners = events[type];
  if (typeof listeners === "function") {
    this.removeListener(type, listeners);
  } else if (listeners !== undefined) {
    for (let i = listeners.length - 1; i >= 0; i--) this.removeListener(type, listeners[i]);
  }
  return this;
};

function listenersOf(target, type, unwrap) {
  const events = target._events;
  if (events === undefined) return [];
  const l = events[type];
  if (l === undefined) return [];
  if (typeof l === "function") return unwrap ? [l.listener || l] : [l];
  return unwrap ? l.map((f) => f.listener || f) : l.slice();
}

EventEmitter.prototype.listeners = function listeners(type) { return listenersOf(this, type, true); };
EventEmitter.prototype.rawListeners = function rawListeners(type) { return listenersOf(this, type, false); };

function listenerCount(type, listener) {
  const events = this._events;
  if (events === undefined) return 0;
  const l = events[type];
  if (typeof l === "function") {
    if (listener != null) return listener === l || listener === l.listener ? 1 : 0;
    return 1;
  }
  if (l === undefined) return 0;
  if (listener != null) {
    let n = 0;
    for (const f of l) if (f === listener || f.listener === listener) n++;
    return n;
  }
  return l.length;
}
EventEmitter.prototype.listenerCount = listenerCount;

EventEmitter.listenerCount = function (emitter, type) {
  if (typeof emitter.listenerCount === "function") return emitter.listenerCount(type);
  return listenerCount.call(emitter, type);
};

EventEmitter.prototype.eventNames = function eventNames() {
  return this._eventsCount > 0 ? Reflect.ownKeys(this._events) : [];
};

function isEventTarget(x) {
  return x !== null && typeof x === "object" && typeof x.addEventListener === "function" && typeof x.on !== "function";
}

// once(emitter, name, {signal}): a promise of the arguments of the next
// name event, rejected by an 'error' event first (unless name is 'error')
// or by the signal.
function once(emitter, name, options = {}) {
  if (options === null || typeof options !== "object") throw invalidArgType("options", "of type object", options);
  const signal = options.signal;
  validateSignal(signal);
  if (signal && signal.aborted) return Promise.reject(AbortError(undefined, { cause: signal.reason }));
  return new Promise((resolve, reject) => {
    if (isEventTarget(emitter)) {
      const listener = (...args) => {
        if (signal) signal.removeEventListener("abort", onAbort);
        resolve(args);
      };
      const onAbort = () => {
        emitter.removeEventListener(name, listener);
        reject(AbortError(undefined, { cause: signal.reason }));
      };
      emitter.addEventListener(name, listener, { once: true });
      if (signal) signal.addEventListener("abort", onAbort, { once: true });
      return;
    }
    const errorListener = (err) => {
      emitter.removeListener(name, resolver);
      if (signal) signal.removeEventListener("abort", onAbort);
      reject(err);
    };
    const resolver = (...args) => {
      if (name !== "error") emitter.removeListener("error", errorListener);
      if (signal) signal.removeEventListener("abort", onAbort);
      resolve(args);
    };
    const onAbort = () => {
      emitter.removeListener(name, resolver);
      emitter.removeListener("error", errorListener);
      reject(AbortError(undefined, { cause: signal.reason }));
    };
    emitter.once(name, resolver);
    if (name !== "error") emitter.once("error", errorListener);
    if (signal) signal.addEventListener("abort", onAbort, { once: true });
  });
}

// on(emitter, name, {signal, close}): an async iterator of the arguments
// of each name event, written by hand (no async generators in goja):
// events wait in a queue until next() takes them; an 'error' event rejects
// the next next() and ends the iteration.
function on(emitter, name, options = {}) {
  if (options === null || typeof options !== "object") throw invalidArgType("options", "of type object", options);
  const signal = options.signal;
  validateSignal(signal);
  if (signal && signal.aborted) throw AbortError(undefined, { cause: signal.reason });
  const events = [];
  const waiting = [];
  let error = null;
  let finished = false;
  const target = isEventTarget(emitter);
  const eventHandler = (...args) => {
    if (waiting.length > 0) waiting.shift().resolve({ value: args, done: false });
    else events.push(args);
  };
  const errorHandler = (err) => {
    if (waiting.length > 0) waiting.shift().reject(err);
    else error = err;
    iterator.return();
  };
  const abortHandler = () => errorHandler(AbortError(undefined, { cause: signal && signal.reason }));
  const closeHandler = () => iterator.return();
  const closeEvents = Array.isArray(options.close) ? options.close : [];
  const iterator = {
    next() {
      if (events.length > 0) return Promise.resolve({ value: events.shift(), done: false });
      if (error) {
        const p = Promise.reject(error);
        error = null;
        return p;
      }
      if (finished) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    return() {
      if (target) {
        emitter.removeEventListener(name, eventHandler);
      } else {
        emitter.removeListener(name, eventHandler);
        emitter.removeListener("error", errorHandler);
        for (const c of closeEvents) emitter.removeListener(c, closeHandler);
      }
      if (signal) signal.removeEventListener("abort", abortHandler);
      finished = true;
      while (waiting.length > 0) waiting.shift().resolve({ value: undefined, done: true });
      return Promise.resolve({ value: undefined, done: true });
    },
    throw(err) {
      if (!err || !(err instanceof Error)) throw invalidArgType("EventEmitter.AsyncIterator", "an instance of Error", err);
      errorHandler(err);
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() { return this; },
  };
  if (target) {
    emitter.addEventListener(name, eventHandler);
  } else {
    emitter.on(name, eventHandler);
    if (name !== "error") emitter.on("error", errorHandler);
    for (const c of closeEvents) emitter.on(c, closeHandler);
  }
  if (signal) signal.addEventListener("abort", abortHandler, { once: true });
  return iterator;
}

function getEventListeners(emitterOrTarget, type) {
  if (emitterOrTarget && typeof emitterOrTarget.listeners === "function") return emitterOrTarget.listeners(type);
  if (isEventTarget(emitterOrTarget)) return []; // the Web EventTarget keeps its listeners out of reach
  throw invalidArgType("emitter", "an instance of EventEmitter or EventTarget", emitterOrTarget);
}

function getMaxListeners(emitterOrTarget) {
  if (emitterOrTarget && typeof emitterOrTarget.getMaxListeners === "function") return maxOf(emitterOrTarget);
  if (isEventTarget(emitterOrTarget)) return defaultMaxListeners;
  throw invalidArgType("emitter", "an instance of EventEmitter or EventTarget", emitterOrTarget);
}

function setMaxListeners(n = defaultMaxListeners, ...targets) {
  checkCount(n, "n");
  if (targets.length === 0) {
    defaultMaxListeners = n;
    return;
  }
  for (const t of targets) {
    if (t && typeof t.setMaxListeners === "function") t.setMaxListeners(n);
    else if (!isEventTarget(t)) throw invalidArgType("eventTargets", "an instance of EventEmitter or EventTarget", t);
  }
}

// addAbortListener(signal, listener): listener runs once on abort (at once
// when already aborted); the result's dispose removes it.
function addAbortListener(signal, listener) {
  validateSignal(signal);
  if (signal === undefined) throw invalidArgType("signal", "an instance of AbortSignal", signal);
  checkListener(listener);
  let removed = false;
  const run = () => { if (!removed) listener(new Event("abort")); };
  if (signal.aborted) queueMicrotask(run);
  else signal.addEventListener("abort", run, { once: true });
  const dispose = () => {
    removed = true;
    signal.removeEventListener("abort", run);
  };
  const d = {};
  if (typeof Symbol.dispose === "symbol") d[Symbol.dispose] = dispose;
  else d[Symbol.for("nodejs.dispose")] = dispose;
  return d;
}

Object.assign(EventEmitter, {
  EventEmitter,
  once,
  on,
  getEventListeners,
  getMaxListeners,
  setMaxListeners,
  addAbortListener,
  usingDomains: false,
  captureRejectionSymbol: kRejection,
  errorMonitor,
});

module.exports = EventEmitter;
