// node:timers/promises: promise forms of the timers, with AbortSignal
// support, a hand-written async iterator for setInterval (goja has no
// async generators) and the scheduler (wait, yield).
"use strict";

const { describe } = require("node:internal/errors");

function argError(what, type, v) {
  const e = new TypeError(`The ${what} must be ${type}.` + describe(v));
  e.code = "ERR_INVALID_ARG_TYPE";
  return e;
}

class AbortError extends Error {
  constructor(message = "The operation was aborted", options = undefined) {
    super(message, options);
    this.code = "ABORT_ERR";
    this.name = "AbortError";
  }
}

// checkOptions validates { signal, ref } as Node does.
function checkOptions(options) {
  if (options === null || typeof options !== "object") throw argError('"options" argument', "of type object", options);
  const { signal, ref } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw argError('"options.signal" property', "an instance of AbortSignal", signal);
  }
  if (ref !== undefined && typeof ref !== "boolean") throw argError('"options.ref" property', "of type boolean", ref);
  return signal;
}

function delayOf(delay) {
  delay = Number(delay);
  return delay >= 1 && delay <= 2 ** 31 - 1 ? delay : 1;
}

// later resolves with value after ms (0 for an immediate), unless signal
// aborts first.
function later(ms, value, options) {
  let signal;
  try {
    signal = checkOptions(options);
  } catch (e) {
    return Promise.reject(e);
  }
  if (signal && signal.aborted) return Promise.reject(new AbortError(undefined, { cause: signal.reason }));
  return new Promise((resolve, reject) => {
    let onAbort;
    const id = setTimeout(() => {
      if (signal) signal.removeEventListener("abort", onAbort);
      resolve(value);
    }, ms);
    if (signal) {
      onAbort = () => {
        clearTimeout(id);
        reject(new AbortError(undefined, { cause: signal.reason }));
      };
      signal.addEventListener("abort", onAbort, { once: true });
    }
  });
}

function promiseSetTimeout(delay, value, options = {}) {
  return later(delayOf(delay), value, options);
}

function promiseSetImmediate(value, options = {}) {
  return later(0, value, options);
}

// setInterval's iterator: every tick is counted; next() answers at once
// for ticks already past, else waits for the next one.
function promiseSetInterval(delay, value, options = {}) {
  let signal;
  try {
    signal = checkOptions(options);
  } catch (e) {
    // an async generator's error: on the first next()
    let thrown = false;
    return {
      next: () => (thrown ? Promise.resolve({ value: undefined, done: true }) : ((thrown = true), Promise.reject(e))),
      return: () => Promise.resolve({ value: undefined, done: true }),
      [Symbol.asyncIterator]() { return this; },
    };
  }
  const ms = delayOf(delay);
  let ticks = 0;
  let waiting = null; // { resolve, reject } of a pending next()
  let done = false;
  let id = null;
  let onAbort = null;
  const finish = () => {
    done = true;
    if (id !== null) clearInterval(id);
    if (signal && onAbort) signal.removeEventListener("abort", onAbort);
  };
  if (!(signal && signal.aborted)) {
    id = setInterval(() => {
      ticks++;
      if (waiting) {
        const w = waiting;
        waiting = null;
        ticks--;
        w.resolve({ value, done: false });
      }
    }, ms);
    if (signal) {
      onAbort = () => {
        finish();
        if (waiting) {
          const w = waiting;
          waiting = null;
          w.reject(new AbortError(undefined, { cause: signal.reason }));
        }
      };
      signal.addEventListener("abort", onAbort, { once: true });
    }
  }
  const iterator = {
    next() {
      if (signal && signal.aborted) {
        finish();
        return Promise.reject(new AbortError(undefined, { cause: signal.reason }));
      }
      if (done) return Promise.resolve({ value: undefined, done: true });
      if (ticks > 0) {
        ticks--;
        return Promise.resolve({ value, done: false });
      }
      return new Promise((resolve, reject) => { waiting = { resolve, reject }; });
    },
    return() {
      finish();
      if (waiting) {
        const w = waiting;
        waiting = null;
        w.resolve({ value: undefined, done: true });
      }
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() { return this; },
  };
  return iterator;
}

const scheduler = {
  wait: (delay, options) => promiseSetTimeout(delay, undefined, options),
  yield: () => promiseSetImmediate(),
};

module.exports = {
  setTimeout: promiseSetTimeout,
  setImmediate: promiseSetImmediate,
  setInterval: promiseSetInterval,
  scheduler,
};
