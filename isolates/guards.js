// Guards on the engine's own built-ins: goja runs them in Go, where neither
// the CPU limit's interrupt nor the memory watchdog can stop them, so a
// script could ask one call for more than the machine has (new
// ArrayBuffer(2**36), "x".repeat(2**36)) or for billions of iterations over
// a sparse array (a = []; a.length = 4e9; a.indexOf(1)). Each guard checks
// the size a call implies before the built-in runs, against the isolate's
// memory limit, and throws the RangeError V8 throws for the same call.
// ArrayBuffers of a size worth counting are allocated by the host and
// charged to the isolate until they are collected (see guards.go).
// Evaluated once per isolate, before anything else runs.
(function (native, maxBytes) {
  "use strict";
  const apply = Reflect.apply, construct = Reflect.construct, defineProperty = Object.defineProperty;
  const getPrototypeOf = Object.getPrototypeOf, setPrototypeOf = Object.setPrototypeOf;
  const OrigArrayBuffer = ArrayBuffer, isView = ArrayBuffer.isView;
  const isArrayBuffer = (v) => v instanceof OrigArrayBuffer;
  // The longest string V8 makes, or the memory limit when that is smaller.
  const maxString = Math.min(maxBytes, 2 ** 29 - 24);
  // An element takes at least 16 bytes: more would not fit in the limit,
  // and a sparse array this long is only a way to loop in Go.
  const maxElements = Math.max(Math.floor(maxBytes / 16), 1 << 20);
  const limitText = `${Math.round(maxBytes / 1048576)} MiB`;
  const tooLong = (what, n) => new RangeError(`${what}: ${n} is more than the worker's memory limit (${limitText}) allows`);

  const replace = (obj, name, make) => {
    const orig = obj[name];
    if (typeof orig !== "function") return;
    const fn = make(orig);
    defineProperty(fn, "name", { value: name, configurable: true });
    defineProperty(fn, "length", { value: orig.length, configurable: true });
    defineProperty(obj, name, { value: fn, writable: true, configurable: true, enumerable: false });
  };
  const lengthOf = (o) => {
    if (o === null || o === undefined) return 0;
    const n = o.length;
    return typeof n === "number" ? n : 0;
  };

  // Array methods whose work grows with the length, present elements or not.
  const arrayProto = Array.prototype;
  for (const name of ["fill", "join", "toString", "toLocaleString", "indexOf", "lastIndexOf", "includes",
    "reverse", "sort", "copyWithin", "slice", "splice", "flat", "flatMap", "forEach", "map", "filter",
    "some", "every", "reduce", "reduceRight", "find", "findIndex", "findLast", "findLastIndex",
    "toReversed", "toSorted", "toSpliced", "with"]) {
    replace(arrayProto, name, (orig) => function () {
      const n = lengthOf(this);
      if (n > maxElements) throw tooLong(`Invalid array length (Array.prototype.${name})`, n);
      return apply(orig, this, arguments);
    });
  }
  replace(arrayProto, "concat", (orig) => function () {
    let n = lengthOf(this);
    for (let i = 0; i < arguments.length; i++) n += lengthOf(arguments[i]);
    if (n > maxElements) throw tooLong("Invalid array length (Array.prototype.concat)", n);
    return apply(orig, this, arguments);
  });
  // join builds one string: its length is the elements' and separators'.
  const join = arrayProto.join;
  replace(arrayProto, "join", () => function (sep) {
    const n = lengthOf(this);
    if (n > maxElements) throw tooLong("Invalid array length (Array.prototype.join)", n);
    const s = sep === undefined ? 1 : String(sep).length;
    let total = n > 0 ? (n - 1) * s : 0;
    for (let i = 0; i < n && total <= maxString; i++) {
      const v = this[i];
      if (typeof v === "string") total += v.length;
    }
    if (total > maxString) throw tooLong("Invalid string length (Array.prototype.join)", total);
    return apply(join, this, arguments);
  });
  replace(Array, "from", (orig) => function (items) {
    if (items !== null && typeof items === "object" && typeof items[Symbol.iterator] !== "function") {
      const n = lengthOf(items);
      if (n > maxElements) throw tooLong("Invalid array length (Array.from)", n);
    }
    return apply(orig, this, arguments);
  });

  // Strings whose length a call names.
  const stringProto = String.prototype;
  replace(stringProto, "repeat", (orig) => function (count) {
    const n = String(this).length * Number(count);
    if (n > maxString) throw tooLong("Invalid string length (String.prototype.repeat)", n);
    return apply(orig, this, arguments);
  });
  for (const name of ["padStart", "padEnd"]) {
    replace(stringProto, name, (orig) => function (targetLength) {
      const n = Number(targetLength);
      if (n > maxString) throw tooLong(`Invalid string length (String.prototype.${name})`, n);
      return apply(orig, this, arguments);
    });
  }
  replace(stringProto, "concat", (orig) => function () {
    let n = String(this).length;
    for (let i = 0; i < arguments.length; i++) n += String(arguments[i]).length;
    if (n > maxString) throw tooLong("Invalid string length (String.prototype.concat)", n);
    return apply(orig, this, arguments);
  });

  // ArrayBuffers: counted ones come from the host (native.buffer), which
  // refuses what would take the isolate's live buffers past the limit.
  const byteLength = (n) => {
    const len = n === undefined ? 0 : Math.trunc(Number(n));
    return len !== len ? 0 : len;
  };
  // wrapConstructor puts make in place of a built-in constructor: the same
  // prototype (instanceof and subclasses keep working), the same statics.
  // (goja's instanceof does not take a Proxy, so this is a function.)
  const getOwnPropertyDescriptors = Object.getOwnPropertyDescriptors;
  const wrapConstructor = (name, Orig, make) => {
    const Wrapped = { [name]: function () {
      if (new.target === undefined) throw new TypeError(`Constructor ${name} requires 'new'`);
      return make(arguments, new.target === Wrapped ? Orig : new.target);
    } }[name];
    const statics = getOwnPropertyDescriptors(Orig);
    delete statics.prototype; delete statics.name;
    for (const k of Reflect.ownKeys(statics)) defineProperty(Wrapped, k, statics[k]);
    defineProperty(Wrapped, "prototype", { value: Orig.prototype, writable: false, configurable: false, enumerable: false });
    setPrototypeOf(Wrapped, getPrototypeOf(Orig));
    defineProperty(Orig.prototype, "constructor", { value: Wrapped, writable: true, configurable: true });
    defineProperty(globalThis, name, { value: Wrapped, writable: true, configurable: true, enumerable: false });
  };

  wrapConstructor("ArrayBuffer", OrigArrayBuffer, (args, newTarget) => {
    const n = byteLength(args[0]);
    if (n < native.counted || args.length > 1) {
      if (n > maxBytes) throw tooLong("Array buffer allocation failed", n);
      return construct(OrigArrayBuffer, args, newTarget);
    }
    const buf = native.buffer(n);
    if (newTarget !== OrigArrayBuffer) setPrototypeOf(buf, newTarget.prototype);
    return buf;
  });

  // Typed arrays: a length is a buffer of length × element size; an
  // array-like names its length.
  const TypedArray = getPrototypeOf(Uint8Array);
  replace(TypedArray, "from", (orig) => function (items) {
    if (items !== null && typeof items === "object" && typeof items[Symbol.iterator] !== "function") {
      const n = lengthOf(items);
      if (n > maxElements) throw tooLong("Invalid typed array length", n);
    }
    return apply(orig, this, arguments);
  });
  for (const name of ["Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array",
    "Uint32Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array"]) {
    const Orig = globalThis[name];
    if (typeof Orig !== "function") continue;
    const size = Orig.BYTES_PER_ELEMENT;
    wrapConstructor(name, Orig, (args, newTarget) => {
      const a = args[0];
      if (a === null || typeof a !== "object") {
        const n = byteLength(a) * size;
        if (n >= native.counted) return construct(Orig, [native.buffer(n)], newTarget);
      } else if (!isArrayBuffer(a) && !isView(a) && typeof a[Symbol.iterator] !== "function") {
        const n = lengthOf(a);
        if (n * size > maxBytes || n > maxElements) throw tooLong("Invalid typed array length", n);
      }
      return construct(Orig, args, newTarget);
    });
  }
});
