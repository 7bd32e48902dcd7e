// What V8 has and goja lacks that packages rely on: Annex B's legacy
// accessor methods (pg's defaults use __defineSetter__), and V8's
// Error.captureStackTrace (postgres.js, depd, http-errors call it on their
// errors; without it their error paths throw instead of reporting).

for (const [name, impl] of [
  ["__defineGetter__", function (key, getter) {
    if (typeof getter !== "function") throw new TypeError("Object.prototype.__defineGetter__: Expecting function");
    Object.defineProperty(Object(this), key, { get: getter, enumerable: true, configurable: true });
  }],
  ["__defineSetter__", function (key, setter) {
    if (typeof setter !== "function") throw new TypeError("Object.prototype.__defineSetter__: Expecting function");
    Object.defineProperty(Object(this), key, { set: setter, enumerable: true, configurable: true });
  }],
  ["__lookupGetter__", function (key) {
    for (let o = Object(this); o !== null; o = Object.getPrototypeOf(o)) {
      const d = Object.getOwnPropertyDescriptor(o, key);
      if (d) return d.get;
    }
    return undefined;
  }],
  ["__lookupSetter__", function (key) {
    for (let o = Object(this); o !== null; o = Object.getPrototypeOf(o)) {
      const d = Object.getOwnPropertyDescriptor(o, key);
      if (d) return d.set;
    }
    return undefined;
  }],
]) {
  if (!(name in Object.prototype)) Object.defineProperty(Object.prototype, name, { value: impl, writable: true, configurable: true, enumerable: false });
}

if (typeof Error.captureStackTrace !== "function") {
  // V8's: obj.stack becomes the current stack, as if obj were an Error made
  // here (the frames above fn, when given, are left out).
  Object.defineProperty(Error, "captureStackTrace", {
    value: function captureStackTrace(obj, fn) {
      if (obj === null || (typeof obj !== "object" && typeof obj !== "function")) throw new TypeError("Invalid argument");
      const lines = String(new Error().stack || "").split("\n").slice(1);
      let frames = lines.slice(1); // not captureStackTrace itself
      if (typeof fn === "function" && fn.name) {
        const i = frames.findIndex((l) => l.includes("at " + fn.name + " ") || l.includes("." + fn.name + " "));
        if (i >= 0) frames = frames.slice(i + 1);
      }
      let head;
      try { head = Error.prototype.toString.call(obj); } catch { head = "Error"; }
      Object.defineProperty(obj, "stack", { value: [head, ...frames].join("\n"), writable: true, configurable: true, enumerable: false });
    },
    writable: true, configurable: true, enumerable: false,
  });
}
if (!("stackTraceLimit" in Error)) Error.stackTraceLimit = 10;
