// structuredClone, with transfer: each transferred ArrayBuffer's memory
// moves to the clone (builtins.go's moveBuffer) and the original is detached
// once the clone has succeeded. As workerd: a transfer list that is not
// iterable or names anything but an ArrayBuffer is a TypeError; a buffer
// named twice, or already detached, is not an error.

function structuredClone(value, options) {
  const memo = new Map();
  const transfer = [];
  if (options !== undefined && options !== null && options.transfer !== undefined) {
    const list = options.transfer;
    if (list === null || typeof list[Symbol.iterator] !== "function") throw new TypeError("Failed to execute 'structuredClone': transfer is not iterable.");
    for (const b of list) {
      if (!(b instanceof ArrayBuffer)) throw new TypeError("Failed to execute 'structuredClone': the transfer list may only hold ArrayBuffers.");
      if (memo.has(b)) continue;
      memo.set(b, native.moveBuffer(b));
      transfer.push(b);
    }
  }
  const clone = (v) => {
    if (v === null || (typeof v !== "object" && typeof v !== "function")) {
      if (typeof v === "symbol") throw new DOMException(`${String(v)} could not be cloned.`, "DataCloneError");
      return v;
    }
    if (typeof v === "function") throw new DOMException(`${v.name || "function"} could not be cloned.`, "DataCloneError");
    if (memo.has(v)) return memo.get(v);
    let out;
    if (Array.isArray(v)) {
      out = new Array(v.length);
      memo.set(v, out);
      for (let i = 0; i < v.length; i++) if (i in v) out[i] = clone(v[i]);
      return out;
    }
    if (v instanceof Date) out = new Date(v.getTime());
    else if (v instanceof RegExp) out = new RegExp(v.source, v.flags);
    else if (v instanceof ArrayBuffer) out = v.slice(0);
    else if (ArrayBuffer.isView(v)) {
      const buf = clone(v.buffer);
      out = v instanceof DataView ? new DataView(buf, v.byteOffset, v.byteLength) : new v.constructor(buf, v.byteOffset, v.length);
    } else if (v instanceof Map) { out = new Map(); memo.set(v, out); for (const [k, x] of v) out.set(clone(k), clone(x)); return out; }
    else if (v instanceof Set) { out = new Set(); memo.set(v, out); for (const x of v) out.add(clone(x)); return out; }
    else if (v instanceof Error) { const E = global[v.name] && global[v.name].prototype instanceof Error ? global[v.name] : Error; out = new E(v.message); if (v.stack) out.stack = v.stack; }
    else if (v instanceof Boolean || v instanceof Number || v instanceof String) out = Object(v.valueOf());
    else if (v instanceof Promise || v instanceof WeakMap || v instanceof WeakSet || (typeof Request !== "undefined" && (v instanceof Request || v instanceof Response)))
      throw new DOMException(`${Object.prototype.toString.call(v)} could not be cloned.`, "DataCloneError");
    else {
      out = {};
      memo.set(v, out);
      for (const k of Object.keys(v)) out[k] = clone(v[k]);
      return out;
    }
    memo.set(v, out);
    return out;
  };
  if (arguments.length === 0) throw new TypeError("Failed to execute 'structuredClone': 1 argument required, but only 0 present.");
  const out = clone(value);
  for (const b of transfer) native.detach(b);
  return out;
}
define("structuredClone", structuredClone);
