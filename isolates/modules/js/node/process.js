// node:process: the process object as workerd gives it to a worker: no real
// process behind it (cwd is "/", pid 1, argv ["workerd"], version workerd's
// Node version), env filled from the worker's text bindings under
// nodejs_compat_populate_process_env, an event emitter, nextTick, and
// stdout/stderr that write to the console.
"use strict";

const { describe } = require("node:internal/errors");

function nodeError(Ctor, code, msg) {
  const e = new Ctor(msg);
  e.code = code;
  return e;
}

function notImplemented(name) {
  return nodeError(Error, "ERR_METHOD_NOT_IMPLEMENTED", `The ${name} method is not implemented`);
}

// The emitter process is: node:events' EventEmitter once it exists in this
// build (and is not half-loaded because it requires node:process itself),
// else the small one below with the methods code calls on process.
function emitterClass() {
  try {
    const ev = require("node:events");
    if (typeof ev === "function") return ev;
    if (ev && typeof ev.EventEmitter === "function") return ev.EventEmitter;
  } catch (e) {
    // not in this build
  }
  return TinyEmitter;
}

class TinyEmitter {
  constructor() {
    Object.defineProperty(this, "_events", { value: Object.create(null), writable: true, configurable: true });
  }
  on(name, fn) { return this.addListener(name, fn); }
  addListener(name, fn) {
    if (typeof fn !== "function") throw nodeError(TypeError, "ERR_INVALID_ARG_TYPE", 'The "listener" argument must be of type function.' + describe(fn));
    if (name !== "newListener" && this._events.newListener) this.emit("newListener", name, fn.listener || fn);
    (this._events[name] || (this._events[name] = [])).push(fn);
    return this;
  }
  prependListener(name, fn) {
    this.addListener(name, fn);
    const list = this._events[name];
    list.unshift(list.pop());
    return this;
  }
  once(name, fn) {
    if (typeof fn !== "function") throw nodeError(TypeError, "ERR_INVALID_ARG_TYPE", 'The "listener" argument must be of type function.' + describe(fn));
    const self = this;
    function wrapper(...args) {
      self.removeListener(name, wrapper);
      return fn.apply(this, args);
    }
    wrapper.listener = fn;
    return this.addListener(name, wrapper);
  }
  off(name, fn) { return this.removeListener(name, fn); }
  removeListener(name, fn) {
    const list = this._events[name];
    if (!list) return this;
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i] === fn || list[i].listener === fn) {
        list.splice(i, 1);
        if (list.length === 0) delete this._events[name];
        if (this._events.removeListener) this.emit("removeListener", name, fn);
        break;
      }
    }
    return this;
  }
  removeAllListeners(name) {
    if (name === undefined) this._events = Object.create(null);
    else delete this._events[name];
    return this;
  }
  emit(name, ...args) {
    const list = this._events[name];
    if (!list) {
      if (name === "error") throw args[0] instanceof Error ? args[0] : new Error("Unhandled error. (" + String(args[0]) + ")");
      return false;
    }
    for (const fn of list.slice()) fn.apply(this, args);
    return true;
  }
  listeners(name) { return (this._events[name] || []).map((fn) => fn.listener || fn); }
  rawListeners(name) { return (this._events[name] || []).slice(); }
  listenerCount(name) { return (this._events[name] || []).length; }
  eventNames() { return Reflect.ownKeys(this._events); }
  setMaxListeners() { return this; }
  getMaxListeners() { return 10; }
}

const EventEmitter = emitterClass();
const process = new EventEmitter();

// nextTick: Node runs the tick queue before promise continuations; here it
// is drained by one microtask, so ticks run in order (those queued by a
// tick in the same drain), but after microtasks queued before the first
// of them. workerd's is plain queueMicrotask, which differs the same way.
const ticks = [];
let draining = false;
function drainTicks() {
  while (ticks.length > 0) {
    const [fn, args] = ticks.shift();
    try {
      fn(...args);
    } catch (e) {
      // an uncaught exception: for the process's listeners, else reported;
      // the other ticks still run
      if (process.listenerCount("uncaughtException") > 0) process.emit("uncaughtException", e, "uncaughtException");
      else queueMicrotask(() => { throw e; });
    }
  }
  draining = false;
}
function nextTick(callback, ...args) {
  if (typeof callback !== "function") {
    throw nodeError(TypeError, "ERR_INVALID_ARG_TYPE", 'The "callback" argument must be of type function.' + describe(callback));
  }
  ticks.push([callback, args]);
  if (!draining) {
    draining = true;
    queueMicrotask(drainTicks);
  }
}

// initialEnv is process.env's content under populateProcessEnv, as
// workerd fills it: text bindings as they are, values JSON can carry
// without loss (plain objects and arrays of such) as JSON, nothing else.
function jsonSafe(v, seen) {
  switch (typeof v) {
    case "boolean": case "number": case "string": return true;
    case "object": {
      if (v === null) return true;
      if (seen.has(v)) return false;
      seen.add(v);
      const proto = Object.getPrototypeOf(v);
      if (proto === Object.prototype) return Object.values(v).every((x) => jsonSafe(x, seen));
      if (proto === Array.prototype) return v.every((x) => jsonSafe(x, seen));
      return false;
    }
    default: return false;
  }
}
function initialEnv() {
  const env = {};
  if (!internal.populateProcessEnv) return env;
  const src = internal.env;
  for (const key of Object.keys(src)) {
    let v;
    try {
      v = src[key];
    } catch (e) {
      continue;
    }
    if (typeof v === "string") env[key] = v;
    else if (jsonSafe(v, new Set())) env[key] = JSON.stringify(v);
  }
  return env;
}
// Values set on process.env become strings, as in Node.
const env = new Proxy(initialEnv(), {
  set(obj, prop, value) {
    if (typeof prop === "symbol" || typeof value === "symbol") throw new TypeError("Cannot convert a symbol value to a string");
    return Reflect.set(obj, prop, `${value}`);
  },
  defineProperty(obj, prop, d) {
    if (d.get || d.set) throw nodeError(TypeError, "ERR_INVALID_ARG_VALUE", "process.env value must not have getter/setter");
    return Reflect.defineProperty(obj, prop, { value: `${d.value}`, writable: true, enumerable: true, configurable: true });
  },
});

function hrtime(time) {
  if (time !== undefined) {
    if (!Array.isArray(time)) throw nodeError(TypeError, "ERR_INVALID_ARG_TYPE", 'The "time" argument must be an instance of Array.' + describe(time));
    if (time.length !== 2) throw nodeError(RangeError, "ERR_OUT_OF_RANGE", `The value of "time" is out of range. It must be 2. Received ${time.length}`);
  }
  // Workers' clock advances only on I/O (Date.now), as workerd's hrtime does.
  const ms = Date.now();
  let s = Math.floor(ms / 1000);
  let ns = (ms % 1000) * 1e6;
  if (time) {
    s -= time[0];
    ns -= time[1];
    if (ns < 0) {
      s--;
      ns += 1e9;
    }
  }
  return [s, ns];
}
hrtime.bigint = () => BigInt(Date.now()) * 1000000n;

function emitWarning(warning, type, code) {
  let detail;
  if (type !== null && typeof type === "object" && !Array.isArray(type)) {
    ({ type, code, detail } = type);
  } else if (typeof type === "function") {
    type = undefined;
  }
  if (typeof code === "function") code = undefined;
  let w;
  if (typeof warning === "string") {
    w = new Error(warning);
    w.name = String(type || "Warning");
  } else if (warning instanceof Error) {
    w = warning;
  } else {
    throw nodeError(TypeError, "ERR_INVALID_ARG_TYPE", 'The "warning" argument must be of type string or an instance of Error.' + describe(warning));
  }
  if (code !== undefined) w.code = code;
  if (typeof detail === "string") w.detail = detail;
  queueMicrotask(() => {
    // Node prints a warning nobody listens for.
    if (!process.emit("warning", w)) console.warn(`(node:1) ${w.code ? "[" + w.code + "] " : ""}${w.name}: ${w.message}`);
  });
}

// A console stream: write() collects text and prints it at the end of the
// current microtask (whole lines; a line split over writes in one turn
// prints once).
function consoleStream(fd, print) {
  let pending = "";
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const text = pending.endsWith("\n") ? pending.slice(0, -1) : pending;
    pending = "";
    if (text !== "") print(text);
  };
  return {
    fd,
    isTTY: false,
    writable: true,
    write(chunk, encoding, cb) {
      if (typeof encoding === "function") cb = encoding;
      pending += typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk);
      if (!scheduled) {
        scheduled = true;
        queueMicrotask(flush);
      }
      if (typeof cb === "function") queueMicrotask(() => cb(null));
      return true;
    },
    end(chunk, encoding, cb) {
      if (chunk !== undefined && chunk !== null && typeof chunk !== "function") this.write(chunk, encoding);
      const done = [chunk, encoding, cb].find((x) => typeof x === "function");
      if (done) queueMicrotask(done);
      return this;
    },
    on() { return this; },
    once() { return this; },
    off() { return this; },
    removeListener() { return this; },
    emit() { return false; },
  };
}

const versions = { node: "22.19.0" };
for (const k of ["v8", "uv", "zlib", "brotli", "ares", "modules", "nghttp2", "napi", "llhttp", "openssl", "cldr", "icu", "tz", "unicode"]) versions[k] = "";

const features = Object.freeze({
  cached_builtins: true, debug: false, inspector: false, ipv6: true, openssl_is_boringssl: true, require_module: false,
  tls: true, tls_alpn: true, tls_ocsp: true, tls_sni: true, typescript: false, uv: true,
});

function exit(code) {
  // workerd cancels the request; an exception is how edgerun stops the
  // script where it is.
  throw new Error(`The Node.js process.exit(${code === undefined ? "" : code}) API was called. Canceling the request.`);
}

const props = {
  version: "v" + versions.node,
  versions,
  title: "workerd",
  argv: ["workerd"],
  argv0: "workerd",
  execArgv: [],
  execPath: "",
  arch: "x64",
  platform: "linux",
  pid: 1,
  ppid: 0,
  env,
  features,
  release: { name: "node", lts: true, sourceUrl: "", headersUrl: "" },
  config: { target_defaults: {}, variables: {} },
  exitCode: undefined,
  allowedNodeEnvironmentFlags: new Set(),
  nextTick,
  emitWarning,
  hrtime,
  cwd: () => "/",
  chdir(dir) {
    if (typeof dir !== "string") throw nodeError(TypeError, "ERR_INVALID_ARG_TYPE", 'The "directory" argument must be of type string.' + describe(dir));
    throw notImplemented("process.chdir()");
  },
  umask: () => 0o22,
  uptime: () => 0,
  memoryUsage: Object.assign(() => ({ rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 }), { rss: () => 0 }),
  resourceUsage: () => ({ userCPUTime: 0, systemCPUTime: 0, maxRSS: 0, sharedMemorySize: 0, unsharedDataSize: 0, unsharedStackSize: 0,
    minorPageFault: 0, majorPageFault: 0, swappedOut: 0, fsRead: 0, fsWrite: 0, ipcSent: 0, ipcReceived: 0, signalsCount: 0,
    voluntaryContextSwitches: 0, involuntaryContextSwitches: 0 }),
  cpuUsage: () => ({ user: 0, system: 0 }),
  exit,
  abort: () => exit(1),
  reallyExit: (code) => exit(code || 0),
  kill() { throw notImplemented("process.kill()"); },
  binding() { throw notImplemented("process.binding()"); },
  dlopen() { throw notImplemented("process.dlopen()"); },
  getuid: () => 0, geteuid: () => 0, getgid: () => 0, getegid: () => 0, getgroups: () => [],
  ref() {}, unref() {},
  getActiveResourcesInfo: () => [],
  hasUncaughtExceptionCaptureCallback: () => false,
  setUncaughtExceptionCaptureCallback() { throw notImplemented("process.setUncaughtExceptionCaptureCallback()"); },
  getBuiltinModule(id) {
    if (typeof id !== "string") throw nodeError(TypeError, "ERR_INVALID_ARG_TYPE", 'The "id" argument must be of type string.' + describe(id));
    try {
      return require(id.startsWith("node:") ? id : "node:" + id);
    } catch (e) {
      return undefined;
    }
  },
  stdout: consoleStream(1, (s) => console.log(s)),
  stderr: consoleStream(2, (s) => console.error(s)),
  stdin: { fd: 0, isTTY: false, readable: false, on() { return this; }, once() { return this; }, read: () => null },
};
for (const k of Object.keys(props)) {
  Object.defineProperty(process, k, { value: props[k], writable: true, enumerable: true, configurable: true });
}
Object.defineProperty(process, Symbol.toStringTag, { value: "process", configurable: true });

module.exports = process;
