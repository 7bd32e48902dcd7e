// WebAssembly (the JS API), as workerd answers it. wasm-probe.wasm (imported from the bundle, as
// a WebAssembly.Module) is the module below, compiled with wabt's wat2wasm (1.0.39) plus a custom
// section "edgerun" holding "hello"; probeBase64 is the same bytes, for the probes that compile
// from bytes (allowed only at top level on Workers: "Wasm code generation disallowed by embedder").
//
// (module
//   (import "env" "double" (func $double (param i32) (result i32)))
//   (import "env" "log64" (func $log64 (param i64 f64) (result f64)))
//   (memory (export "memory") 1 4)
//   (global $counter (export "counter") (mut i32) (i32.const 7))
//   (global (export "pi") f64 (f64.const 3.5))
//   (global (export "big") i64 (i64.const -9007199254740993))
//   (table (export "table") 2 funcref)
//   (elem (i32.const 0) $add $sub)
//   (type $bin (func (param i32 i32) (result i32)))
//   (func $add (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
//   (func $sub (param i32 i32) (result i32) local.get 0 local.get 1 i32.sub)
//   (func (export "add64") (param i64 i64) (result i64) local.get 0 local.get 1 i64.add)
//   (func (export "mulf32") (param f32 f32) (result f32) local.get 0 local.get 1 f32.mul)
//   (func (export "divf64") (param f64 f64) (result f64) local.get 0 local.get 1 f64.div)
//   (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
//   (func (export "trunc") (param f64) (result i32) local.get 0 i32.trunc_f64_s)
//   (func (export "trap") unreachable)
//   (func (export "load") (param i32) (result i32) local.get 0 i32.load)
//   (func (export "store") (param i32 i32) local.get 0 local.get 1 i32.store)
//   (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)
//   (func (export "size") (result i32) memory.size)
//   (func (export "callDouble") (param i32) (result i32) local.get 0 call $double)
//   (func (export "callLog") (param i64 f64) (result f64) local.get 0 local.get 1 call $log64)
//   (func (export "inc") (result i32) global.get $counter i32.const 1 i32.add global.set $counter global.get $counter)
//   (func $fib (export "fib") (param i32) (result i32)
//     local.get 0 i32.const 2 i32.lt_s
//     if (result i32) local.get 0
//     else local.get 0 i32.const 1 i32.sub call $fib local.get 0 i32.const 2 i32.sub call $fib i32.add end)
//   (func (export "spin") (loop $l br $l))
//   (func $recurse (export "recurse") (result i32) call $recurse)
//   (func (export "callIndirect") (param i32 i32 i32) (result i32) local.get 0 local.get 1 local.get 2 call_indirect (type $bin))
//   (func (export "pair") (param i32) (result i32 i64) local.get 0 local.get 0 i64.extend_i32_s)
//   (func (export "sum") (param i32 i32) (result i32) (local $s i32)
//     block $done loop $l
//       local.get 1 i32.eqz br_if $done
//       local.get $s local.get 0 i32.load8_u i32.add local.set $s
//       local.get 0 i32.const 1 i32.add local.set 0
//       local.get 1 i32.const 1 i32.sub local.set 1
//       br $l end end local.get $s))
import probeModule from "./wasm-probe.wasm";

const probeBase64 = "AGFzbQEAAAABQgxgAn9/AX9gAX8Bf2ACfnwBfGACfn4BfmACfX0BfWACfHwBfGABfAF/YAAAYAJ/fwBgAAF/YAN/f38Bf2ABfwJ/fgIaAgNlbnYGZG91YmxlAAEDZW52BWxvZzY0AAIDFhUAAAMEBQAGBwEIAQkBAgkBBwkKCwAEBAFwAAIFBAEBAQQGHgN/AUEHC3wARAAAAAAAAAxAC34AQv////////9vCwfJARkGbWVtb3J5AgAHY291bnRlcgMAAnBpAwEDYmlnAwIFdGFibGUBAANhZGQAAgVhZGQ2NAAEBm11bGYzMgAFBmRpdmY2NAAGA2RpdgAHBXRydW5jAAgEdHJhcAAJBGxvYWQACgVzdG9yZQALBGdyb3cADARzaXplAA0KY2FsbERvdWJsZQAOB2NhbGxMb2cADwNpbmMAEANmaWIAEQRzcGluABIHcmVjdXJzZQATDGNhbGxJbmRpcmVjdAAUBHBhaXIAFQNzdW0AFgkIAQBBAAsCAgMK3wEVBwAgACABagsHACAAIAFrCwcAIAAgAXwLBwAgACABlAsHACAAIAGjCwcAIAAgAW0LBQAgAKoLAwAACwcAIAAoAgALCQAgACABNgIACwYAIABAAAsEAD8ACwYAIAAQAAsIACAAIAEQAQsLACMAQQFqJAAjAAscACAAQQJIBH8gAAUgAEEBaxARIABBAmsQEWoLCwcAA0AMAAsLBAAQEwsLACAAIAEgAhEAAAsHACAAIACsCysBAX8CQANAIAFFDQEgAiAALQAAaiECIABBAWohACABQQFrIQEMAAsLIAILAA0HZWRnZXJ1bmhlbGxv";
const probeBytes = new Uint8Array(atob(probeBase64).split("").map((c) => c.charCodeAt(0)));
const message = (f) => { try { const v = f(); return v instanceof Promise ? v.then(() => "no error", (e) => `${e.name}: ${e.message}`) : "no error"; } catch (e) { return `${e.name}: ${e.message}`; } };
const imports = (over) => ({ env: { double: (x) => x * 2, log64: (a, b) => Number(a) + b, ...over } });
const fresh = (over) => new WebAssembly.Instance(probeModule, imports(over)).exports;

// At top level compiling from bytes is allowed.
const topLevel = {};
try {
  const m = new WebAssembly.Module(probeBytes);
  topLevel.module = Object.prototype.toString.call(m);
  topLevel.add = new WebAssembly.Instance(m, imports()).exports.add(20, 22);
} catch (e) {
  topLevel.error = `${e.name}: ${e.message}`;
}
topLevel.validate = WebAssembly.validate(probeBytes);
export const probes = {
  "wasm: namespace": () => [typeof WebAssembly, Object.prototype.toString.call(WebAssembly),
    ["Module", "Instance", "Memory", "Global", "Table", "CompileError", "LinkError", "RuntimeError", "compile", "instantiate", "validate"].map((k) => typeof WebAssembly[k])],
  "wasm: namespace not enumerable": () => Object.keys(WebAssembly),
  "wasm: no streaming": () => [typeof WebAssembly.instantiateStreaming, typeof WebAssembly.compileStreaming],
  "wasm: top level compiles from bytes": () => topLevel,
  "wasm: bundled module": () => [Object.prototype.toString.call(probeModule), probeModule instanceof WebAssembly.Module],
  "wasm: Module.exports": () => WebAssembly.Module.exports(probeModule),
  "wasm: Module.imports": () => WebAssembly.Module.imports(probeModule),
  "wasm: Module.customSections": () => WebAssembly.Module.customSections(probeModule, "edgerun").map((b) => [Object.prototype.toString.call(b), new TextDecoder().decode(b)]),
  "wasm: Module.customSections none": () => WebAssembly.Module.customSections(probeModule, "nothing"),
  "wasm: Module.exports of a non-module": () => message(() => WebAssembly.Module.exports({})),
  "wasm: Module from bytes in a handler": () => message(() => new WebAssembly.Module(probeBytes)),
  "wasm: compile in a handler": () => message(() => WebAssembly.compile(probeBytes)),
  "wasm: instantiate bytes in a handler": () => message(() => WebAssembly.instantiate(probeBytes, imports())),
  "wasm: Module without new": () => message(() => WebAssembly.Module(probeBytes)),
  "wasm: Module of a string": () => message(() => new WebAssembly.Module("abc")),
  "wasm: validate": () => [WebAssembly.validate(probeBytes), WebAssembly.validate(new Uint8Array([0, 97, 115, 109])), WebAssembly.validate(new Uint8Array(0)), WebAssembly.validate(probeBytes.buffer)],
  "wasm: validate non-buffer": () => message(() => WebAssembly.validate("x")),
  "wasm: instance": () => { const i = new WebAssembly.Instance(probeModule, imports()); return [Object.prototype.toString.call(i), i instanceof WebAssembly.Instance, typeof i.exports]; },
  "wasm: exports object": () => { const e = fresh(); return [Object.keys(e), Object.getPrototypeOf(e) === null, Object.isFrozen(e), Object.isExtensible(e)]; },
  "wasm: exports accessor": () => { const d = Object.getOwnPropertyDescriptor(WebAssembly.Instance.prototype, "exports"); return [typeof d.get, d.set, Object.hasOwn(new WebAssembly.Instance(probeModule, imports()), "exports")]; },
  "wasm: exported function": () => { const f = fresh().add; return [typeof f, f.name, f.length, f === fresh().add]; },
  "wasm: same export twice": () => { const e = fresh(); return e.add === e.add; },
  "wasm: i32": () => { const { add } = fresh(); return [add(1, 2), add(2 ** 31 - 1, 1), add(-1, 0), add(2 ** 32 + 5, 0), add(1.9, 1.9), add(-1.9, 0), add("7", "8"), add(undefined, null), add(true, NaN), add(Infinity, 1)]; },
  "wasm: i32 valueOf": () => fresh().add({ valueOf: () => 40 }, 2),
  "wasm: missing arguments": () => fresh().add(),
  "wasm: extra arguments": () => fresh().add(1, 2, 3),
  "wasm: i64": () => { const { add64 } = fresh(); return [add64(1n, 2n), add64(2n ** 63n - 1n, 1n), add64(-5n, 2n), add64(2n ** 64n + 3n, 0n), add64("10", true), typeof add64(0n, 0n)]; },
  "wasm: i64 from a number": () => message(() => fresh().add64(1, 2n)),
  "wasm: i64 from a bad string": () => message(() => fresh().add64("1.5", 2n)),
  "wasm: i64 from undefined": () => message(() => fresh().add64(undefined, 2n)),
  "wasm: f32": () => { const { mulf32 } = fresh(); return [mulf32(1.1, 1), mulf32(3, 0.5), mulf32(2 ** 128, 1) === Infinity]; },
  "wasm: f64": () => { const { divf64 } = fresh(); return [divf64(1, 3), divf64(1, 0) === Infinity, Number.isNaN(divf64(0, 0)), Object.is(divf64(-0, 1), -0)]; },
  "wasm: multi-value": () => fresh().pair(5),
  "wasm: fib": () => fresh().fib(20),
  "wasm: trap unreachable": () => message(() => fresh().trap()),
  "wasm: trap divide by zero": () => message(() => fresh().div(1, 0)),
  "wasm: trap divide overflow": () => message(() => fresh().div(-(2 ** 31), -1)),
  "wasm: trap trunc NaN": () => message(() => fresh().trunc(NaN)),
  "wasm: trap out of bounds": () => message(() => fresh().load(65536)),
  "wasm: trap is a RuntimeError": () => { try { fresh().trap(); } catch (e) { return [e instanceof WebAssembly.RuntimeError, e instanceof Error, e.constructor === WebAssembly.RuntimeError]; } },
  "wasm: stack overflow": () => message(() => fresh().recurse()),
  "wasm: call_indirect": () => { const e = fresh(); return [e.callIndirect(5, 3, 0), e.callIndirect(5, 3, 1)]; },
  "wasm: call_indirect out of range": () => message(() => fresh().callIndirect(1, 2, 7)),
  "wasm: instance usable after a trap": () => { const e = fresh(); try { e.trap(); } catch {} return e.add(2, 2); },
  "wasm: import called": () => fresh({ double: (x) => x * 3 }).callDouble(5),
  "wasm: import args": () => { let seen; const e = fresh({ log64: (...a) => { seen = a.map((x) => typeof x); return 1.5; } }); return [e.callLog(3n, 0.25), seen]; },
  "wasm: import result converted": () => [fresh({ double: () => "12" }).callDouble(1), fresh({ double: () => undefined }).callDouble(1), fresh({ double: () => 2 ** 32 + 1 }).callDouble(1)],
  "wasm: import throws": () => { const err = new Error("from js"); try { fresh({ double: () => { throw err; } }).callDouble(1); } catch (e) { return [e === err, e.message]; } },
  "wasm: import re-enters": () => { let e; e = fresh({ double: (x) => (x > 0 ? e.callDouble(x - 1) + 1 : 100) }); return e.callDouble(3); },
  "wasm: missing import object": () => message(() => new WebAssembly.Instance(probeModule)),
  "wasm: missing import module": () => message(() => new WebAssembly.Instance(probeModule, {})),
  "wasm: missing import function": () => message(() => new WebAssembly.Instance(probeModule, { env: { double: () => 1 } })),
  "wasm: import not callable": () => message(() => new WebAssembly.Instance(probeModule, { env: { double: 5, log64: () => 1 } })),
  "wasm: Instance of a non-module": () => message(() => new WebAssembly.Instance({}, {})),
  "wasm: instantiate a module": async () => { const i = await WebAssembly.instantiate(probeModule, imports()); return [Object.prototype.toString.call(i), i.exports.add(1, 1)]; },
  "wasm: instantiate a bad argument": () => message(() => WebAssembly.instantiate(5)),
  "wasm: instantiate link error": () => message(() => WebAssembly.instantiate(probeModule, {})),
  "wasm: exported memory": () => { const { memory } = fresh(); return [Object.prototype.toString.call(memory), memory instanceof WebAssembly.Memory, Object.prototype.toString.call(memory.buffer), memory.buffer.byteLength]; },
  "wasm: memory shared with JS": () => { const e = fresh(); new Uint8Array(e.memory.buffer).set([1, 2, 3, 250], 100); e.store(200, 0x01020304); return [e.sum(100, 4), e.load(100), Array.from(new Uint8Array(e.memory.buffer, 200, 4))]; },
  "wasm: memory buffer is the same until it grows": () => { const { memory } = fresh(); return memory.buffer === memory.buffer; },
  "wasm: memory grow from JS": () => { const { memory, size } = fresh(); const old = memory.buffer; const r = memory.grow(1); return [r, old.byteLength, memory.buffer.byteLength, size(), old === memory.buffer]; },
  "wasm: memory grow from wasm": () => { const e = fresh(); const old = e.memory.buffer; const r = e.grow(2); return [r, old.byteLength, e.memory.buffer.byteLength, e.grow(5)]; },
  "wasm: memory grow past maximum": () => message(() => fresh().memory.grow(4)),
  "wasm: memory data kept across grow": () => { const e = fresh(); e.store(8, 77); e.memory.grow(1); return e.load(8); },
  "wasm: new Memory": () => { const m = new WebAssembly.Memory({ initial: 1, maximum: 3 }); const a = m.buffer.byteLength; new Uint8Array(m.buffer)[10] = 9; const g = m.grow(2); return [a, g, m.buffer.byteLength, new Uint8Array(m.buffer)[10]]; },
  "wasm: new Memory no maximum": () => { const m = new WebAssembly.Memory({ initial: 0 }); return [m.buffer.byteLength, m.grow(1), m.buffer.byteLength]; },
  "wasm: new Memory grow past maximum": () => message(() => new WebAssembly.Memory({ initial: 1, maximum: 1 }).grow(1)),
  "wasm: new Memory without descriptor": () => message(() => new WebAssembly.Memory()),
  "wasm: new Memory without initial": () => message(() => new WebAssembly.Memory({})),
  "wasm: new Memory maximum below initial": () => message(() => new WebAssembly.Memory({ initial: 2, maximum: 1 })),
  "wasm: new Memory too large": () => message(() => new WebAssembly.Memory({ initial: 70000 })),
  "wasm: exported global": () => { const e = fresh(); const c = e.counter; const before = c.value; e.inc(); return [Object.prototype.toString.call(c), c instanceof WebAssembly.Global, before, c.value, c.valueOf()]; },
  "wasm: global set from JS": () => { const e = fresh(); e.counter.value = 41; return e.inc(); },
  "wasm: immutable global": () => { const e = fresh(); return [e.pi.value, message(() => { e.pi.value = 1; })]; },
  "wasm: i64 global": () => fresh().big.value,
  "wasm: new Global": () => { const g = new WebAssembly.Global({ value: "i32", mutable: true }, 42); g.value = g.value + 1; return [g.value, new WebAssembly.Global({ value: "f64" }, 1.5).value, new WebAssembly.Global({ value: "i64" }, 5n).value, new WebAssembly.Global({ value: "i32" }).value]; },
  "wasm: new Global bad type": () => message(() => new WebAssembly.Global({ value: "x" }, 1)),
  "wasm: exported table": () => { const { table } = fresh(); return [Object.prototype.toString.call(table), table instanceof WebAssembly.Table]; },
  "wasm: error classes": () => [WebAssembly.CompileError, WebAssembly.LinkError, WebAssembly.RuntimeError].map((E) => { const e = new E("m"); return [E.name, e.name, e.message, e instanceof Error, String(e), Object.prototype.toString.call(e)]; }),
  "wasm: error classes are distinct from globals": () => [typeof globalThis.CompileError, typeof globalThis.RuntimeError],
};
