// The ECMAScript built-ins V8 (and so workerd) has and goja lacks: WeakRef,
// FinalizationRegistry, Error.captureStackTrace / stackTraceLimit /
// prepareStackTrace, Promise.withResolvers, Object.groupBy / Map.groupBy,
// Array.fromAsync, String.prototype.isWellFormed / toWellFormed,
// ArrayBuffer.prototype.transfer / detached; and workerd's scheduler.wait.
// Each is added only where goja has none, so a goja that grows one keeps its
// own. Natives: builtins.go.

// builtin puts fn on obj as the spec's built-in methods are: writable,
// configurable, not enumerable.
const builtin = (obj, name, fn) => {
  if (!Object.prototype.hasOwnProperty.call(obj, name))
    Object.defineProperty(obj, name, { value: fn, writable: true, configurable: true, enumerable: false });
};
const isCallable = (f) => typeof f === "function";
const PromiseI = Promise, promiseResolve = Promise.resolve.bind(Promise), MapI = Map;

// WeakRef holds its target through a Go weak pointer (builtins.go), so the
// target is collected as it would be in V8. As the spec asks, a target
// created or dereferenced in a job stays alive until that job's microtasks
// have run (the kept list, emptied by a microtask).
const kDeref = Symbol("deref");
let keptObjects = null;
const keepDuringJob = (t) => {
  if (keptObjects === null) {
    keptObjects = [];
    promiseResolve().then(() => { keptObjects = null; });
  }
  keptObjects.push(t);
};
const canBeHeldWeakly = (v) =>
  (typeof v === "object" && v !== null) || typeof v === "function" || (typeof v === "symbol" && Symbol.keyFor(v) === undefined);
class WeakRef {
  constructor(target) {
    if (new.target === undefined) throw new TypeError("Constructor WeakRef requires 'new'");
    if (!canBeHeldWeakly(target)) throw new TypeError("WeakRef: invalid target");
    defineSlot(this, kDeref, { value: native.weakRef(target) });
    keepDuringJob(target);
  }
  deref() {
    if (!this || !this[kDeref]) throw new TypeError("WeakRef.prototype.deref: receiver is not a WeakRef");
    const t = this[kDeref]();
    if (t !== undefined) keepDuringJob(t);
    return t;
  }
}
tag(WeakRef, "WeakRef");

// FinalizationRegistry never calls its callback, which the spec's liveness
// rules allow (an implementation need not ever collect): calling back would
// mean running script from the garbage collector's goroutine into an isolate
// that may be idle, outside any request. It holds nothing strongly, so it
// costs no memory: only which unregister tokens have live registrations, in
// a WeakMap.
const kTokens = Symbol("tokens");
class FinalizationRegistry {
  constructor(cleanup) {
    if (new.target === undefined) throw new TypeError("Constructor FinalizationRegistry requires 'new'");
    if (!isCallable(cleanup)) throw new TypeError("FinalizationRegistry: cleanup must be callable");
    defineSlot(this, kTokens, { value: new WeakMap() });
  }
  register(target, heldValue, unregisterToken) {
    const tokens = this && this[kTokens];
    if (!tokens) throw new TypeError("FinalizationRegistry.prototype.register: receiver is not a FinalizationRegistry");
    if (!canBeHeldWeakly(target)) throw new TypeError("FinalizationRegistry.prototype.register: invalid target");
    if (target === heldValue) throw new TypeError("FinalizationRegistry.prototype.register: target and holdings must not be same");
    if (unregisterToken !== undefined) {
      if (!canBeHeldWeakly(unregisterToken)) throw new TypeError("FinalizationRegistry.prototype.register: invalid unregister token");
      tokens.set(unregisterToken, true);
    }
  }
  unregister(unregisterToken) {
    const tokens = this && this[kTokens];
    if (!tokens) throw new TypeError("FinalizationRegistry.prototype.unregister: receiver is not a FinalizationRegistry");
    if (!canBeHeldWeakly(unregisterToken)) throw new TypeError("Invalid unregisterToken ('" + String(unregisterToken) + "')");
    return tokens.delete(unregisterToken);
  }
}
tag(FinalizationRegistry, "FinalizationRegistry");
if (typeof global.WeakRef === "undefined") define("WeakRef", WeakRef);
if (typeof global.FinalizationRegistry === "undefined") define("FinalizationRegistry", FinalizationRegistry);

// Error.captureStackTrace(obj, fn) gives obj a `stack` as V8 does: an
// accessor, formatted on first read (with Error.prepareStackTrace when a
// library installed one: depd and others read V8's CallSite objects), of at
// most Error.stackTraceLimit frames, leaving out fn and the frames above it.
// CallSite is made the first time a stack is formatted: most isolates never
// format one, and the class is the file's largest part.
let CallSite = null;
const callSite = (row) => {
  if (CallSite === null) {
    CallSite = class CallSite {
      constructor(row) { defineSlot(this, kRow, { value: row }); }
      getFunctionName() { return this[kRow][0] || null; }
      getMethodName() { return null; }
      getTypeName() { return null; }
      getFileName() { return this[kRow][1] === "<native>" ? undefined : this[kRow][1]; }
      getScriptNameOrSourceURL() { return this.getFileName(); }
      getLineNumber() { return this[kRow][2] || null; }
      getColumnNumber() { return this[kRow][3] || null; }
      getEvalOrigin() { return undefined; }
      getThis() { return undefined; }
      getFunction() { return undefined; }
      isToplevel() { return !this[kRow][0]; }
      isEval() { return false; }
      isNative() { return this[kRow][1] === "<native>"; }
      isConstructor() { return false; }
      isAsync() { return false; }
      isPromiseAll() { return false; }
      getPromiseIndex() { return null; }
      toString() {
        const [fn, file, line, col] = this[kRow];
        const where = file === "<native>" ? "native" : `${file}:${line}:${col}`;
        return fn ? `${fn} (${where})` : where;
      }
    };
  }
  return new CallSite(row);
};
const kRow = Symbol("row");
const ErrorI = Error;
const errorHeader = (obj) => {
  let name, message;
  try { name = obj.name; message = obj.message; } catch { name = undefined; }
  name = name === undefined ? "Error" : String(name);
  message = message === undefined ? "" : String(message);
  return !name ? message : !message ? name : name + ": " + message;
};
function captureStackTrace(obj, fn) {
  if ((typeof obj !== "object" || obj === null) && typeof obj !== "function")
    throw new TypeError("Invalid argument: Error.captureStackTrace needs an object");
  const limit = ErrorI.stackTraceLimit;
  let rows = typeof limit === "number" && limit > 0 ? native.callFrames(Math.min(limit, 200) + (isCallable(fn) ? 200 : 0)) : [];
  if (isCallable(fn)) {
    const name = fn.name;
    const at = rows.findIndex((r) => r[0] === name && name !== "");
    rows = at < 0 ? [] : rows.slice(at + 1);
  }
  if (typeof limit === "number") rows = rows.slice(0, Math.max(0, limit));
  let stack, formatted = false;
  Object.defineProperty(obj, "stack", {
    get() {
      if (!formatted) {
        formatted = true;
        const prepare = ErrorI.prepareStackTrace;
        const sites = rows.map(callSite);
        if (isCallable(prepare)) stack = prepare(obj, sites);
        else stack = errorHeader(obj) + sites.map((s) => "\n    at " + s.toString()).join("");
      }
      return stack;
    },
    set(v) { formatted = true; stack = v; },
    enumerable: false,
    configurable: true,
  });
}
builtin(Error, "captureStackTrace", captureStackTrace);
if (!("stackTraceLimit" in Error)) Error.stackTraceLimit = 10;

builtin(Promise, "withResolvers", {
  withResolvers() {
    let resolve, reject;
    const promise = new this((a, b) => { resolve = a; reject = b; });
    return { promise, resolve, reject };
  },
}.withResolvers);

// Object.groupBy / Map.groupBy: for…of gives the TypeError a non-iterable
// needs; keys are property keys for the object, SameValueZero for the map.
const groupInto = (items, callback, add) => {
  if (items === null || items === undefined) throw new TypeError("groupBy called on null or undefined");
  if (!isCallable(callback)) throw new TypeError(`${typeof callback} is not a function`);
  let k = 0;
  for (const v of items) add(callback(v, k++), v);
};
builtin(Object, "groupBy", {
  groupBy(items, callback) {
    const out = Object.create(null);
    groupInto(items, callback, (key, v) => {
      key = typeof key === "symbol" ? key : String(key);
      if (Object.prototype.hasOwnProperty.call(out, key)) out[key].push(v);
      else out[key] = [v];
    });
    return out;
  },
}.groupBy);
builtin(Map, "groupBy", {
  groupBy(items, callback) {
    const out = new MapI();
    groupInto(items, callback, (key, v) => {
      if (key === 0) key = 0; // -0 → +0
      const list = out.get(key);
      if (list) list.push(v);
      else out.set(key, [v]);
    });
    return out;
  },
}.groupBy);

// Array.fromAsync, by hand (the prelude runs without for await): an async
// iterator is awaited step by step, a sync iterable's or array-like's
// values are awaited each, and a mapper's result is awaited.
builtin(Array, "fromAsync", {
  async fromAsync(items, ...rest) {
    const [mapfn, thisArg] = rest;
    if (mapfn !== undefined && !isCallable(mapfn)) throw new TypeError(`${typeof mapfn} is not a function`);
    if (items === null || items === undefined) throw new TypeError(`${items} is not iterable`);
    const out = [];
    const map = async (v, k) => (mapfn === undefined ? v : await mapfn.call(thisArg, v, k));
    const asyncMethod = items[Symbol.asyncIterator];
    const syncMethod = asyncMethod == null ? items[Symbol.iterator] : undefined;
    if (asyncMethod != null || syncMethod != null) {
      const it = (asyncMethod != null ? asyncMethod : syncMethod).call(items);
      const isAsync = asyncMethod != null;
      for (let k = 0; ; k++) {
        const r = isAsync ? await it.next() : it.next();
        if (typeof r !== "object" || r === null) throw new TypeError(`Iterator result ${r} is not an object`);
        if (r.done) return out;
        try {
          out.push(await map(isAsync ? r.value : await r.value, k));
        } catch (e) {
          if (typeof it.return === "function") try { await it.return(); } catch { /* the first error wins */ }
          throw e;
        }
      }
    }
    const like = Object(items);
    const len = Math.min(Math.max(Math.trunc(Number(like.length)) || 0, 0), Number.MAX_SAFE_INTEGER);
    for (let k = 0; k < len; k++) out.push(await map(await like[k], k));
    return out;
  },
}.fromAsync);

// String.prototype.isWellFormed / toWellFormed: lone surrogates.
const thisString = (v, what) => {
  if (v === null || v === undefined) throw new TypeError(`String.prototype.${what} called on null or undefined`);
  return String(v);
};
const loneSurrogate = (s, i) => {
  const c = s.charCodeAt(i);
  if (c < 0xd800 || c > 0xdfff) return 0;
  if (c <= 0xdbff) {
    const d = s.charCodeAt(i + 1);
    return d >= 0xdc00 && d <= 0xdfff ? 2 : 1;
  }
  return 1;
};
builtin(String.prototype, "isWellFormed", {
  isWellFormed() {
    const s = thisString(this, "isWellFormed");
    for (let i = 0; i < s.length; i++) {
      const n = loneSurrogate(s, i);
      if (n === 1) return false;
      if (n === 2) i++;
    }
    return true;
  },
}.isWellFormed);
builtin(String.prototype, "toWellFormed", {
  toWellFormed() {
    const s = thisString(this, "toWellFormed");
    let out = "", from = 0;
    for (let i = 0; i < s.length; i++) {
      const n = loneSurrogate(s, i);
      if (n === 1) { out += s.slice(from, i) + "\uFFFD"; from = i + 1; }
      else if (n === 2) i++;
    }
    return from === 0 ? s : out + s.slice(from);
  },
}.toWellFormed);

// ArrayBuffer.prototype.transfer / transferToFixedLength / detached (ES2024):
// the same length moves the memory (builtins.go), another length copies
// into a new buffer, allocated (and charged) as any ArrayBuffer.
const ArrayBufferI = ArrayBuffer, Uint8ArrayI = Uint8Array;
function transferBuffer(buf, newLength) {
  const detached = native.isDetached(buf);
  const len = newLength === undefined ? (detached ? 0 : buf.byteLength) : Math.trunc(Number(newLength)) || 0;
  if (len < 0 || len > Number.MAX_SAFE_INTEGER) throw new RangeError("Invalid array buffer length");
  if (detached) throw new TypeError("Cannot perform ArrayBuffer.prototype.transfer on a detached ArrayBuffer");
  let out;
  if (len === buf.byteLength) out = native.moveBuffer(buf);
  else {
    out = new ArrayBufferI(len);
    new Uint8ArrayI(out).set(new Uint8ArrayI(buf, 0, Math.min(len, buf.byteLength)));
  }
  native.detach(buf);
  return out;
}
builtin(ArrayBuffer.prototype, "transfer", { transfer(...a) { return transferBuffer(this, a[0]); } }.transfer);
builtin(ArrayBuffer.prototype, "transferToFixedLength", { transferToFixedLength(...a) { return transferBuffer(this, a[0]); } }.transferToFixedLength);
if (!("detached" in ArrayBuffer.prototype)) {
  Object.defineProperty(ArrayBuffer.prototype, "detached", {
    get: Object.getOwnPropertyDescriptor({ get detached() { return native.isDetached(this); } }, "detached").get,
    configurable: true,
    enumerable: false,
  });
}

// scheduler.wait(ms, { signal }): workerd's promise-returning setTimeout.
const setTimeoutI = global.setTimeout, clearTimeoutI = global.clearTimeout;
class Scheduler {
  constructor(token) { if (token !== schedulerToken) throw new TypeError("Illegal constructor"); }
  wait(...args) {
    if (args.length === 0 || args[0] === undefined) return PromiseI.reject(new TypeError("Failed to execute 'wait' on 'Scheduler': parameter 1 is not of type 'number'."));
    const delay = Number(args[0]);
    const signal = args[1] && args[1].signal;
    return new PromiseI((resolve, reject) => {
      if (signal && signal.aborted) return reject(signal.reason);
      const onAbort = () => { clearTimeoutI(id); reject(signal.reason); };
      const id = setTimeoutI(() => {
        if (signal) signal.removeEventListener("abort", onAbort);
        resolve();
      }, delay);
      if (signal) signal.addEventListener("abort", onAbort, { once: true });
    });
  }
}
const schedulerToken = Symbol("Scheduler");
tag(Scheduler, "Scheduler");
define("scheduler", new Scheduler(schedulerToken));
