// WebAssembly (the JS API), on wazero (wasm*.go). As on Workers, bytes
// compile only while the script's top-level code runs; in a handler
// WebAssembly.Module(bytes), compile and instantiate(bytes) throw a
// CompileError, and the modules the bundle imports (import m from
// "./x.wasm", each a WebAssembly.Module) are what a handler instantiates.
// Importing memories, tables or globals from JavaScript is not supported
// (a LinkError); exported tables exist as WebAssembly.Table objects
// without their methods (wazero does not expose tables).
const kWasm = Symbol("wasm"); // the token only these classes pass each other
const wasmFreeze = Object.freeze, wasmIsPrototypeOf = Object.prototype.isPrototypeOf;
let wasmReady = false;
function wasmInit() {
  if (!wasmReady) {
    wasmReady = true;
    native.wasmSetup({
      CompileError, LinkError, RuntimeError, RangeError, SyntaxError,
      module: (h) => new WasmModule(kWasm, h),
      memory: (h) => new WasmMemory(kWasm, h),
      global: (h) => new WasmGlobal(kWasm, undefined, h),
      table: (h) => new WasmTable(kWasm, h),
      instance: (e) => new WasmInstance(kWasm, e),
    });
  }
}

function wasmError(name) {
  const E = class extends Error {
    constructor(message) {
      super(message);
    }
  };
  Object.defineProperty(E, "name", { value: name });
  Object.defineProperty(E.prototype, "name", { value: name, writable: true, configurable: true, enumerable: false });
  return E;
}
const CompileError = wasmError("CompileError");
const LinkError = wasmError("LinkError");
const RuntimeError = wasmError("RuntimeError");

const isBufferSource = (b) => b instanceof ArrayBuffer || ArrayBuffer.isView(b);

class WasmModule {
  #h;
  constructor(bytes, h) {
    if (bytes === kWasm) {
      this.#h = h;
      return;
    }
    wasmInit();
    this.#h = native.wasmCompile(bytes, "WebAssembly.Module()");
  }
  static handle(m, who) {
    wasmInit();
    try {
      return m.#h;
    } catch {
      throw new TypeError(`${who}: Argument 0 must be a WebAssembly.Module`);
    }
  }
  static exports(m) {
    return native.wasmModuleExports(WasmModule.handle(m, "WebAssembly.Module.exports()"));
  }
  static imports(m) {
    return native.wasmModuleImports(WasmModule.handle(m, "WebAssembly.Module.imports()"));
  }
  static customSections(m, name) {
    const h = WasmModule.handle(m, "WebAssembly.Module.customSections()");
    if (name === undefined) throw new TypeError("WebAssembly.Module.customSections(): Argument 1 is required");
    return native.wasmCustomSections(h, String(name));
  }
}

class WasmInstance {
  #exports;
  constructor(module, importObject) {
    if (module === kWasm) {
      this.#exports = importObject;
      return;
    }
    this.#exports = wasmInstantiate(module, importObject, "WebAssembly.Instance()");
  }
  get exports() {
    return this.#exports;
  }
}

function wasmInstantiate(module, importObject, who) {
  const h = WasmModule.handle(module, who);
  if (importObject !== undefined && (importObject === null || (typeof importObject !== "object" && typeof importObject !== "function")))
    throw new TypeError(`${who}: Argument 1 must be an object`);
  return wasmFreeze(native.wasmInstantiate(h, importObject, who));
}

class WasmMemory {
  #h;
  constructor(desc, h) {
    if (desc === kWasm) {
      this.#h = h;
      return;
    }
    if (desc === null || typeof desc !== "object") throw new TypeError("WebAssembly.Memory(): Argument 0 must be a memory descriptor");
    const initial = wasmIndex(desc.initial, "WebAssembly.Memory(): Property 'initial'", 65536, true);
    const maximum = wasmIndex(desc.maximum, "WebAssembly.Memory(): Property 'maximum'", 65536, false);
    if (maximum !== undefined && maximum < initial)
      throw new RangeError("WebAssembly.Memory(): Property 'maximum': value " + maximum + " is below the lower bound " + initial);
    wasmInit();
    this.#h = native.wasmMemoryNew(initial, maximum);
  }
  static #of(m, who) {
    try {
      return m.#h;
    } catch {
      throw new TypeError(`${who}: Receiver is not a WebAssembly.Memory`);
    }
  }
  get buffer() {
    return native.wasmMemoryBuffer(WasmMemory.#of(this, "WebAssembly.Memory.buffer"));
  }
  grow(delta) {
    const h = WasmMemory.#of(this, "WebAssembly.Memory.grow()");
    return native.wasmMemoryGrow(h, wasmIndex(delta, "WebAssembly.Memory.grow(): Argument 0", 65536, true));
  }
}

// wasmIndex is the JS API's [EnforceRange] unsigned long for a descriptor
// property or argument, bounded by limit.
function wasmIndex(v, what, limit, required) {
  if (v === undefined) {
    if (required) throw new TypeError(`${what} is required`);
    return undefined;
  }
  const n = Number(v);
  if (!Number.isFinite(n)) throw new TypeError(`${what} must be convertible to a valid number`);
  const i = Math.trunc(n);
  if (i < 0) throw new TypeError(`${what} must be non-negative`);
  if (i > 0xffffffff) throw new TypeError(`${what} must be in the unsigned long range`);
  if (i > limit) throw new RangeError(`${what}: value ${i} is above the upper bound ${limit}`);
  return i;
}

class WasmGlobal {
  #h;
  constructor(desc, value, h) {
    if (desc === kWasm) {
      this.#h = h;
      return;
    }
    if (desc === null || typeof desc !== "object") throw new TypeError("WebAssembly.Global(): Argument 0 must be a global descriptor");
    const mutable = !!desc.mutable;
    const type = String(desc.value);
    wasmInit();
    this.#h = native.wasmGlobalNew(type, mutable, value);
  }
  static #of(g, who) {
    try {
      return g.#h;
    } catch {
      throw new TypeError(`${who}: Receiver is not a WebAssembly.Global`);
    }
  }
  get value() {
    return native.wasmGlobalGet(WasmGlobal.#of(this, "get WebAssembly.Global.value"));
  }
  set value(v) {
    native.wasmGlobalSet(WasmGlobal.#of(this, "set WebAssembly.Global.value"), v);
  }
  valueOf() {
    return native.wasmGlobalGet(WasmGlobal.#of(this, "WebAssembly.Global.valueOf()"));
  }
}

class WasmTable {
  #h;
  constructor(desc, h) {
    if (desc === kWasm) {
      this.#h = h;
      return;
    }
    throw new TypeError("WebAssembly.Table(): tables are not supported by edgerun");
  }
  get length() {
    throw new TypeError("WebAssembly.Table: tables are not supported by edgerun");
  }
  get(i) {
    throw new TypeError("WebAssembly.Table.get(): tables are not supported by edgerun");
  }
  set(i, v) {
    throw new TypeError("WebAssembly.Table.set(): tables are not supported by edgerun");
  }
  grow(n) {
    throw new TypeError("WebAssembly.Table.grow(): tables are not supported by edgerun");
  }
}

const WebAssembly = {};
for (const [name, cls] of [["Module", WasmModule], ["Instance", WasmInstance], ["Memory", WasmMemory], ["Global", WasmGlobal], ["Table", WasmTable]]) {
  Object.defineProperty(cls, "name", { value: name });
  tag(cls, "WebAssembly." + name);
  // Called without new: V8's TypeError (a class's own names the engine).
  const ctor = new Proxy(cls, {
    apply() {
      throw new TypeError(`WebAssembly.${name}(): WebAssembly.${name} must be invoked with 'new'`);
    },
  });
  Object.defineProperty(cls.prototype, "constructor", { value: ctor, writable: true, configurable: true, enumerable: false });
  // goja's instanceof refuses a Proxy as its right-hand side unless the
  // check is the constructor's own.
  const proto = cls.prototype;
  Object.defineProperty(cls, Symbol.hasInstance, { value: (o) => wasmIsPrototypeOf.call(proto, o) });
  WebAssembly[name] = ctor;
}
for (const [name, E] of [["CompileError", CompileError], ["LinkError", LinkError], ["RuntimeError", RuntimeError]]) WebAssembly[name] = E;
WebAssembly.validate = function validate(bytes) {
  if (!isBufferSource(bytes)) throw new TypeError("WebAssembly.validate(): Argument 0 must be a buffer source");
  wasmInit();
  return native.wasmValidate(bytes);
};
WebAssembly.compile = function compile(bytes) {
  try {
    if (!isBufferSource(bytes)) throw new TypeError("WebAssembly.compile(): Argument 0 must be a buffer source");
    wasmInit();
    return Promise.resolve(new WasmModule(kWasm, native.wasmCompile(bytes, "WebAssembly.compile()")));
  } catch (e) {
    return Promise.reject(e);
  }
};
WebAssembly.instantiate = function instantiate(source, importObject) {
  try {
    if (source instanceof WasmModule) {
      const instance = new WasmInstance(kWasm, wasmInstantiate(source, importObject, "WebAssembly.instantiate()"));
      return Promise.resolve(instance);
    }
    if (!isBufferSource(source))
      throw new TypeError("WebAssembly.instantiate(): Argument 0 must be a buffer source or a WebAssembly.Module object");
    wasmInit();
    const module = new WasmModule(kWasm, native.wasmCompile(source, "WebAssembly.instantiate()"));
    return Promise.resolve().then(() => ({ module, instance: new WasmInstance(kWasm, wasmInstantiate(module, importObject, "WebAssembly.instantiate()")) }));
  } catch (e) {
    return Promise.reject(e);
  }
};
// As V8: the classes are not enumerable, the functions are.
for (const k of Object.keys(WebAssembly)) Object.defineProperty(WebAssembly, k, { enumerable: false });
for (const k of ["compile", "validate", "instantiate"]) {
  const f = WebAssembly[k];
  delete WebAssembly[k];
  WebAssembly[k] = f;
}
Object.defineProperty(WebAssembly, Symbol.toStringTag, { value: "WebAssembly", configurable: true });
// The bundle's .wasm imports (runtime/bundle): a module from the base64
// text the bundle carries, compiled once per process.
Object.defineProperty(WebAssembly, Symbol.for("edgerun.wasm.bundled"), {
  value: (text) => {
    wasmInit();
    return new WasmModule(kWasm, native.wasmBundled(text));
  },
});
define("WebAssembly", WebAssembly);
