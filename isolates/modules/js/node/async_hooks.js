// node:async_hooks: AsyncLocalStorage and AsyncResource over the isolate's
// async context frame (isolates' AsyncFrame), which await, then(), timers
// and queueMicrotask carry to their continuations as workerd's
// AsyncContextFrame does. A frame is an immutable Map from storage to store:
// run() makes a new one, so continuations created before keep theirs.
// createHook and the async ids are what wrangler's unenv gives: ids are 0,
// and a hook never fires.
"use strict";

const getFrame = native.getFrame, setFrame = native.setFrame;

function withFrame(frame, fn, thisArg, args) {
  const prev = getFrame();
  setFrame(frame);
  try {
    return Reflect.apply(fn, thisArg, args);
  } finally {
    setFrame(prev);
  }
}

function frameWith(storage, store) {
  const prev = getFrame();
  const next = new Map(prev === undefined ? undefined : prev);
  if (store === noStore) next.delete(storage);
  else next.set(storage, store);
  return next.size === 0 ? undefined : next;
}
const noStore = Symbol("no store");

// checkFunction throws what Node's Reflect.apply of a non-function does.
function checkFunction(fn, name) {
  if (typeof fn !== "function") throw new TypeError(`${name} is not a function`);
}

class AsyncLocalStorage {
  run(store, fn, ...args) {
    checkFunction(fn, "fn");
    return withFrame(frameWith(this, store), fn, undefined, args);
  }
  exit(fn, ...args) {
    checkFunction(fn, "fn");
    return withFrame(frameWith(this, noStore), fn, undefined, args);
  }
  getStore() {
    const f = getFrame();
    return f === undefined ? undefined : f.get(this);
  }
  enterWith(store) {
    setFrame(frameWith(this, store));
  }
  disable() {
    if (this.getStore() !== undefined) setFrame(frameWith(this, noStore));
  }
  get name() { return ""; }
  static bind(fn) {
    checkFunction(fn, "fn");
    const frame = getFrame();
    return function (...args) { return withFrame(frame, fn, this, args); };
  }
  static snapshot() {
    const frame = getFrame();
    return (fn, ...args) => {
      checkFunction(fn, "fn");
      return withFrame(frame, fn, undefined, args);
    };
  }
}

class AsyncResource {
  #frame;
  constructor(type, options) {
    if (typeof type !== "string") {
      const e = new TypeError(`The "type" argument must be of type string. Received ${type === null ? "null" : typeof type}`);
      e.code = "ERR_INVALID_ARG_TYPE";
      throw e;
    }
    this.#frame = getFrame();
    this._type = type;
  }
  runInAsyncScope(fn, thisArg, ...args) {
    checkFunction(fn, "fn");
    return withFrame(this.#frame, fn, thisArg, args);
  }
  bind(fn, thisArg) {
    checkFunction(fn, "fn");
    const resource = this;
    const bound = function (...args) { return resource.runInAsyncScope(fn, thisArg === undefined ? this : thisArg, ...args); };
    Object.defineProperty(bound, "length", { value: fn.length, configurable: true });
    Object.defineProperty(bound, "asyncResource", { value: this, configurable: true, enumerable: true, writable: true });
    return bound;
  }
  static bind(fn, type, thisArg) {
    return new AsyncResource(typeof type === "string" ? type : fn.name || "bound-anonymous-fn").bind(fn, thisArg);
  }
  emitDestroy() { return this; }
  asyncId() { return 0; }
  triggerAsyncId() { return 0; }
}

module.exports = {
  AsyncLocalStorage,
  AsyncResource,
  createHook() { return { enable() { return this; }, disable() { return this; } }; },
  executionAsyncId: () => 0,
  triggerAsyncId: () => 0,
  executionAsyncResource: () => ({}),
  asyncWrapProviders: Object.freeze({ __proto__: null }),
};
