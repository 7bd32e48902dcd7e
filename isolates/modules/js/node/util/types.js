// node:util/types: brand checks. Each uses what cannot be faked from a
// script: a built-in getter or method that throws on a foreign receiver,
// the typed arrays' own toStringTag getter, or the engine's class of the
// value (native.kind, node_util.go).
"use strict";

const kind = (v) => native.kind(v);
const isObject = (v) => (typeof v === "object" && v !== null) || typeof v === "function";

// brand(fn) is a check that holds when fn accepts v as its receiver.
function brand(fn) {
  return (v) => {
    if (!isObject(v) || kind(v) === "Proxy") return false;
    try {
      fn.call(v);
      return true;
    } catch (e) {
      return false;
    }
  };
}
const getter = (proto, name) => Object.getOwnPropertyDescriptor(proto, name).get;

const typedArrayTag = getter(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag);
const tagOf = (v) => (isObject(v) ? typedArrayTag.call(v) : undefined);
const isTypedArray = (v) => tagOf(v) !== undefined;

const AsyncFunction = Object.getPrototypeOf(async function () {});
const GeneratorFunction = Object.getPrototypeOf(function* () {});
const Generator = Object.getPrototypeOf(GeneratorFunction.prototype);
const toString = Object.prototype.toString;
const mapSize = getter(Map.prototype, "size"), setSize = getter(Set.prototype, "size");
const weakMapHas = WeakMap.prototype.has, weakSetHas = WeakSet.prototype.has;
const symbolValueOf = Symbol.prototype.valueOf;

const types = {
  isExternal: () => false,
  isDate: brand(Date.prototype.getTime),
  isArgumentsObject: (v) => kind(v) === "Arguments",
  isBigIntObject: (v) => kind(v) === "BigInt",
  isBooleanObject: (v) => typeof v === "object" && kind(v) === "Boolean",
  isNumberObject: (v) => typeof v === "object" && kind(v) === "Number",
  isStringObject: (v) => typeof v === "object" && kind(v) === "String",
  isSymbolObject: (v) => typeof v === "object" && brand(symbolValueOf)(v),
  isBoxedPrimitive: (v) => types.isNumberObject(v) || types.isStringObject(v) || types.isBooleanObject(v) || types.isBigIntObject(v) || types.isSymbolObject(v),
  isNativeError: (v) => kind(v) === "Error",
  isRegExp: (v) => kind(v) === "RegExp",
  isAsyncFunction: (v) => typeof v === "function" && Object.getPrototypeOf(v) === AsyncFunction,
  isGeneratorFunction: (v) => typeof v === "function" && Object.getPrototypeOf(v) === GeneratorFunction,
  isGeneratorObject: (v) => isObject(v) && typeof v !== "function" && Generator.isPrototypeOf(v) && toString.call(v) === "[object Generator]",
  isPromise: (v) => kind(v) === "Promise",
  isMap: brand(function () { mapSize.call(this); }),
  isSet: brand(function () { setSize.call(this); }),
  isMapIterator: (v) => isObject(v) && kind(v) !== "Proxy" && toString.call(v) === "[object Map Iterator]",
  isSetIterator: (v) => isObject(v) && kind(v) !== "Proxy" && toString.call(v) === "[object Set Iterator]",
  isWeakMap: brand(function () { weakMapHas.call(this, {}); }),
  isWeakSet: brand(function () { weakSetHas.call(this, {}); }),
  isArrayBuffer: (v) => kind(v) === "ArrayBuffer",
  isDataView: brand(getter(DataView.prototype, "byteLength")),
  isSharedArrayBuffer: () => false,
  isProxy: (v) => kind(v) === "Proxy",
  isModuleNamespaceObject: (v) => isObject(v) && Object.getPrototypeOf(v) === null && v[Symbol.toStringTag] === "Module",
  isAnyArrayBuffer: (v) => kind(v) === "ArrayBuffer",
  isCryptoKey: (v) => typeof CryptoKey === "function" && v instanceof CryptoKey,
  isKeyObject: () => false,
  isArrayBufferView: (v) => ArrayBuffer.isView(v),
  isTypedArray,
};
for (const name of ["Uint8Array", "Uint8ClampedArray", "Uint16Array", "Uint32Array", "Int8Array", "Int16Array", "Int32Array",
  "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array"]) {
  types["is" + name] = (v) => tagOf(v) === name;
}

module.exports = types;
