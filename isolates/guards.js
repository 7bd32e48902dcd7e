// Guards on the engine's own constructors: goja runs them in Go, where
// neither the CPU limit's interrupt nor the memory watchdog can stop them,
// so a script could ask one call for more than the machine has
// (new ArrayBuffer(2**36)). The constructors are replaced by host functions
// (guards.go) that check the size a call implies against the isolate's
// memory limit and throw the RangeError V8 throws; ArrayBuffers of a size
// worth counting are allocated by the host and charged to the isolate until
// they are collected. This file only wires the replacements in so that
// JavaScript sees the same constructors: same prototype (instanceof and
// subclasses keep working), same statics. (goja's instanceof does not take
// a Proxy, so the replacements are functions.) The methods whose work grows
// with a length are guarded in Go alone (guards.go). Evaluated once per
// isolate, before anything else runs.
(function (guarded) {
  "use strict";
  const defineProperty = Object.defineProperty, getOwnPropertyDescriptors = Object.getOwnPropertyDescriptors;
  const getPrototypeOf = Object.getPrototypeOf, setPrototypeOf = Object.setPrototypeOf, ownKeys = Reflect.ownKeys;
  for (const name of ownKeys(guarded)) {
    const Orig = globalThis[name], Wrapped = guarded[name];
    const statics = getOwnPropertyDescriptors(Orig);
    delete statics.prototype;
    for (const k of ownKeys(statics)) defineProperty(Wrapped, k, statics[k]);
    defineProperty(Wrapped, "prototype", { value: Orig.prototype, writable: false, configurable: false, enumerable: false });
    setPrototypeOf(Wrapped, getPrototypeOf(Orig));
    defineProperty(Orig.prototype, "constructor", { value: Wrapped, writable: true, configurable: true });
    defineProperty(globalThis, name, { value: Wrapped, writable: true, configurable: true, enumerable: false });
  }
});
