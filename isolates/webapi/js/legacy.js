// Where goja falls short of V8 in ways packages trip over: Annex B's legacy
// accessor methods, which goja lacks (pg's defaults use __defineSetter__),
// and %TypedArray%.from of a string. V8's Error.captureStackTrace and the
// newer built-ins are builtins.js's.

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

// goja's %TypedArray%.from refuses a string source ("Value is not an
// object"), which V8 iterates like any iterable: Uint8Array.from("abc", f).
{
  const TypedArray = Object.getPrototypeOf(Uint8Array);
  const typedFrom = TypedArray.from, arrayFrom = Array.from;
  const from = {
    from(source, ...rest) {
      return Reflect.apply(typedFrom, this, [typeof source === "string" ? Reflect.apply(arrayFrom, Array, [source]) : source, ...rest]);
    },
  }.from;
  Object.defineProperty(TypedArray, "from", { value: from, writable: true, configurable: true, enumerable: false });
}
