// node:util: inspect and format with Node's layout (what logs and test
// assertions compare), promisify/callbackify, inherits, deprecate,
// debuglog, isDeepStrictEqual, the types (node:util/types) and the legacy
// is* checks. Natives: node_util.go (a promise's state, coded errors).
"use strict";

const types = require("node:util/types");

const customInspect = Symbol.for("nodejs.util.inspect.custom");
const customPromisify = Symbol.for("nodejs.util.promisify.custom");
const deepEqualKey = Symbol.for("edgerun.util.isDeepEqual");

const argType = (name, expected, value) => native.argTypeError(name, expected, value);
const validateFunction = (fn, name) => {
  if (typeof fn !== "function") throw argType(name, "of type function", fn);
};

const inspectDefaults = {
  showHidden: false, depth: 2, colors: false, customInspect: true, showProxy: false, maxArrayLength: 100,
  maxStringLength: 10000, breakLength: 80, compact: 3, sorted: false, getters: false, numericSeparator: false,
};

// ---- inspect ----

function inspect(value, opts) {
  const ctx = Object.assign({}, inspectDefaults, { seen: [], circular: new Map(), indentationLvl: 0, currentDepth: 0 });
  if (arguments.length > 1 && typeof opts !== "object") {
    // The legacy signature: inspect(value, showHidden, depth, colors).
    ctx.showHidden = !!opts;
    if (arguments.length > 2 && arguments[2] !== undefined) ctx.depth = arguments[2];
    if (arguments.length > 3) ctx.colors = !!arguments[3];
  } else if (opts) {
    for (const k of Object.keys(opts)) if (k in inspectDefaults || k === "stylize") ctx[k] = opts[k];
  }
  if (ctx.depth === null) ctx.depth = Infinity;
  if (ctx.maxArrayLength === null) ctx.maxArrayLength = Infinity;
  if (ctx.maxStringLength === null) ctx.maxStringLength = Infinity;
  return formatValue(ctx, value, 0, true);
}
inspect.custom = customInspect;
Object.defineProperty(inspect, "defaultOptions", {
  get: () => inspectDefaults,
  set: (o) => {
    if (o === null || typeof o !== "object") throw argType("options", "of type object", o);
    Object.assign(inspectDefaults, o);
  },
});
inspect.colors = Object.assign(Object.create(null), {
  reset: [0, 0], bold: [1, 22], dim: [2, 22], italic: [3, 23], underline: [4, 24], inverse: [7, 27], hidden: [8, 28],
  strikethrough: [9, 29], black: [30, 39], red: [31, 39], green: [32, 39], yellow: [33, 39], blue: [34, 39],
  magenta: [35, 39], cyan: [36, 39], white: [37, 39], gray: [90, 39],
});
inspect.styles = Object.assign(Object.create(null), {
  special: "cyan", number: "yellow", bigint: "yellow", boolean: "yellow", undefined: "grey", null: "bold",
  string: "green", symbol: "green", date: "magenta", regexp: "red", module: "underline",
});

const identifier = /^[a-zA-Z_][a-zA-Z_0-9]*$/;

// quote is a string as Node prints it: single quotes unless the string
// holds some and no double quotes (then double), or both (then backticks).
function quote(s) {
  let q = "'";
  if (s.includes("'")) {
    if (!s.includes('"')) q = '"';
    else if (!s.includes("`") && !s.includes("${")) q = "`";
  }
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i];
    if (ch === q || ch === "\\") out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    else if (ch === "\v") out += "\\v";
    else if (c < 0x20 || c === 0x7f) out += "\\x" + c.toString(16).toUpperCase().padStart(2, "0");
    else if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        out += ch + s[i + 1];
        i++;
      } else {
        out += "\\u" + c.toString(16).toUpperCase();
      }
    } else out += ch;
  }
  return q + out + q;
}

function formatNumber(n) {
  return Object.is(n, -0) ? "-0" : String(n);
}

function formatPrimitive(ctx, v) {
  switch (typeof v) {
    case "string": {
      let trailer = "";
      if (v.length > ctx.maxStringLength) {
        const remaining = v.length - ctx.maxStringLength;
        v = v.slice(0, ctx.maxStringLength);
        trailer = `... ${remaining} more character${remaining > 1 ? "s" : ""}`;
      }
      return quote(v) + trailer;
    }
    case "number": return formatNumber(v);
    case "bigint": return `${v}n`;
    case "boolean": return String(v);
    case "undefined": return "undefined";
    case "symbol": return v.toString();
  }
  return String(v);
}

function getConstructorName(obj) {
  let o = obj;
  while (o !== null && o !== undefined) {
    const d = Object.getOwnPropertyDescriptor(o, "constructor");
    if (d !== undefined && typeof d.value === "function" && d.value.name !== "") return d.value.name;
    o = Object.getPrototypeOf(o);
  }
  return null;
}

function prefixOf(constructor, tag, fallback, size) {
  const sz = size === undefined ? "" : `(${size})`;
  if (constructor === null) {
    if (tag !== "" && fallback !== tag) return `[${fallback}${sz}: null prototype] [${tag}] `;
    return `[${fallback}${sz}: null prototype] `;
  }
  if (tag !== "" && constructor !== tag) return `${constructor}${sz} [${tag}] `;
  return `${constructor}${sz} `;
}

function formatKey(ctx, key, desc) {
  if (typeof key === "symbol") return `[${key.toString()}]`;
  if (desc && desc.enumerable === false) return `[${key}]`;
  if (identifier.test(key)) return key;
  return quote(key);
}

function formatProperty(ctx, obj, key, depth, arrayItem) {
  const desc = Object.getOwnPropertyDescriptor(obj, key) || { value: obj[key], enumerable: true };
  let str;
  if (desc.value !== undefined || !("get" in desc || "set" in desc)) {
    ctx.indentationLvl += arrayItem ? 2 : 2;
    str = formatValue(ctx, desc.value, depth);
    ctx.indentationLvl -= 2;
  } else if (desc.get !== undefined) {
    str = desc.set !== undefined ? "[Getter/Setter]" : "[Getter]";
  } else {
    str = desc.set !== undefined ? "[Setter]" : "undefined";
  }
  if (arrayItem) return str;
  return `${formatKey(ctx, key, desc)}: ${str}`;
}

function ownKeys(ctx, obj, skipIndices) {
  let keys = ctx.showHidden ? Object.getOwnPropertyNames(obj) : Object.keys(obj);
  if (skipIndices) keys = keys.filter((k) => !(String(k >>> 0) === k && (k >>> 0) !== 4294967295));
  const symbols = Object.getOwnPropertySymbols(obj).filter((s) => ctx.showHidden || Object.prototype.propertyIsEnumerable.call(obj, s));
  return keys.concat(symbols);
}

function formatValue(ctx, value, depth, top) {
  if (typeof value !== "object" && typeof value !== "function") return formatPrimitive(ctx, value);
  if (value === null) return "null";
  if (types.isProxy(value) && ctx.showProxy) {
    const [target, handler] = native.proxyParts(value);
    return `Proxy [ ${formatValue(ctx, target, depth + 1)}, ${formatValue(ctx, handler, depth + 1)} ]`;
  }
  if (ctx.customInspect) {
    const fn = value[customInspect];
    if (typeof fn === "function" && fn !== inspect) {
      const opts = Object.assign({}, ctx, { depth: ctx.depth - depth, stylize: (s) => s });
      delete opts.seen;
      delete opts.circular;
      const ret = fn.call(value, ctx.depth - depth, opts, inspect);
      if (ret !== value) {
        if (typeof ret !== "string") return formatValue(ctx, ret, depth);
        return ret.replace(/\n/g, `\n${" ".repeat(ctx.indentationLvl)}`);
      }
    }
  }
  if (ctx.seen.includes(value)) {
    let index = ctx.circular.get(value);
    if (index === undefined) {
      index = ctx.circular.size + 1;
      ctx.circular.set(value, index);
    }
    return `[Circular *${index}]`;
  }
  return formatRaw(ctx, value, depth);
}

function functionBase(value, constructor, tag) {
  const src = Function.prototype.toString.call(value);
  if (src.startsWith("class") && /^class\b/.test(src)) {
    let base = `[class ${value.name || "(anonymous)"}`;
    const sup = Object.getPrototypeOf(value);
    if (sup && sup !== Function.prototype && sup.name) base += ` extends ${sup.name}`;
    return base + "]";
  }
  let type = "Function";
  if (types.isGeneratorFunction(value)) type = "GeneratorFunction";
  if (types.isAsyncFunction(value)) type = "AsyncFunction";
  let base = `[${type}`;
  if (constructor === null) base += " (null prototype)";
  base += value.name === "" ? " (anonymous)" : `: ${value.name}`;
  base += "]";
  if (constructor !== type && constructor !== null) base += ` ${constructor}`;
  if (tag !== "" && constructor !== tag) base += ` [${tag}]`;
  return base;
}

function formatError(err) {
  const name = err.name != null ? String(err.name) : "Error";
  const message = err.message != null ? String(err.message) : "";
  let stack = typeof err.stack === "string" && err.stack ? err.stack : "";
  if (!stack) return message ? `[${name}: ${message}]` : `[${name}]`;
  if (!stack.includes(message) || !stack.startsWith(name)) {
    // goja's stack holds only the frames: put Node's first line before it.
    const head = message ? `${name}: ${message}` : name;
    stack = stack.startsWith(head) ? stack : `${head}\n${stack}`;
  }
  return stack;
}

function formatRaw(ctx, value, depth) {
  const constructor = getConstructorName(value);
  let tag = value[Symbol.toStringTag];
  if (typeof tag !== "string" || (tag !== "" && (ctx.showHidden ? Object.prototype.hasOwnProperty : Object.prototype.propertyIsEnumerable).call(value, Symbol.toStringTag))) tag = "";
  let keys;
  let base = "";
  let braces;
  let formatter = () => [];
  let arrayLike = false;
  let noEntries = false;
  if (Array.isArray(value)) {
    const prefix = constructor !== "Array" || tag !== "" ? prefixOf(constructor, tag, "Array", value.length) : "";
    keys = ownKeys(ctx, value, true);
    braces = [`${prefix}[`, "]"];
    arrayLike = true;
    formatter = () => formatList(ctx, value, depth);
    noEntries = value.length === 0;
  } else if (types.isSet(value)) {
    keys = ownKeys(ctx, value);
    const prefix = prefixOf(constructor, tag, "Set", value.size);
    braces = [`${prefix}{`, "}"];
    formatter = () => Array.from(value, (v) => {
      ctx.indentationLvl += 2;
      const s = formatValue(ctx, v, depth + 1);
      ctx.indentationLvl -= 2;
      return s;
    });
    noEntries = value.size === 0;
  } else if (types.isMap(value)) {
    keys = ownKeys(ctx, value);
    const prefix = prefixOf(constructor, tag, "Map", value.size);
    braces = [`${prefix}{`, "}"];
    formatter = () => Array.from(value, ([k, v]) => {
      ctx.indentationLvl += 2;
      const s = `${formatValue(ctx, k, depth + 1)} => ${formatValue(ctx, v, depth + 1)}`;
      ctx.indentationLvl -= 2;
      return s;
    });
    noEntries = value.size === 0;
  } else if (types.isTypedArray(value)) {
    keys = ownKeys(ctx, value, true);
    const name = constructor || tag;
    braces = [`${prefixOf(constructor, tag === name ? "" : tag, name, value.length)}[`, "]"];
    arrayLike = true;
    formatter = () => formatList(ctx, value, depth, true);
    noEntries = value.length === 0;
  } else if (types.isMapIterator(value) || types.isSetIterator(value)) {
    keys = ownKeys(ctx, value);
    braces = [`[${tag}] {`, "}"];
    formatter = () => [];
  } else {
    keys = ownKeys(ctx, value);
    noEntries = true;
    if (typeof value === "function") {
      base = functionBase(value, constructor, tag);
      if (keys.length === 0) return base;
      braces = ["{", "}"];
    } else if (types.isRegExp(value)) {
      base = RegExp.prototype.toString.call(value);
      const prefix = prefixOf(constructor, tag, "RegExp");
      if (prefix !== "RegExp ") base = prefix + base;
      if (keys.length === 0) return base;
      braces = ["{", "}"];
    } else if (types.isDate(value)) {
      base = Number.isNaN(Date.prototype.getTime.call(value)) ? "Invalid Date" : Date.prototype.toISOString.call(value);
      const prefix = prefixOf(constructor, tag, "Date");
      if (prefix !== "Date ") base = prefix + base;
      if (keys.length === 0) return base;
      braces = ["{", "}"];
    } else if (types.isNativeError(value) || value instanceof Error) {
      base = formatError(value);
      if (ctx.indentationLvl !== 0) base = base.replace(/\n/g, `\n${" ".repeat(ctx.indentationLvl)}`);
      keys = keys.filter((k) => k !== "stack" && k !== "message");
      if (keys.length === 0) return base;
      braces = ["{", "}"];
    } else if (types.isArgumentsObject(value)) {
      keys = ownKeys(ctx, value, true);
      braces = ["[Arguments] [", "]"];
      arrayLike = true;
      formatter = () => formatList(ctx, value, depth);
      noEntries = value.length === 0;
    } else if (types.isBoxedPrimitive(value)) {
      let inner, type;
      if (types.isNumberObject(value)) [inner, type] = [formatNumber(Number.prototype.valueOf.call(value)), "Number"];
      else if (types.isStringObject(value)) {
        const s = String.prototype.valueOf.call(value);
        [inner, type] = [quote(s), "String"];
        keys = keys.filter((k) => !(String(k >>> 0) === k && k < s.length));
      } else if (types.isBooleanObject(value)) [inner, type] = [String(Boolean.prototype.valueOf.call(value)), "Boolean"];
      else if (types.isBigIntObject(value)) [inner, type] = [`${BigInt.prototype.valueOf.call(value)}n`, "BigInt"];
      else [inner, type] = [Symbol.prototype.toString.call(Symbol.prototype.valueOf.call(value)), "Symbol"];
      base = `[${type}`;
      if (type !== constructor) base += constructor === null ? " (null prototype)" : ` (${constructor})`;
      base += `: ${inner}]`;
      if (tag !== "" && tag !== constructor) base += ` [${tag}]`;
      if (keys.length === 0) return base;
      braces = ["{", "}"];
    } else if (types.isPromise(value)) {
      const [state, result] = native.promiseState(value);
      braces = [`${prefixOf(constructor, tag, "Promise")}{`, "}"];
      noEntries = false;
      formatter = () => {
        if (state === "pending") return ["<pending>"];
        ctx.indentationLvl += 2;
        const s = formatValue(ctx, result, depth + 1);
        ctx.indentationLvl -= 2;
        return [state === "rejected" ? `<rejected> ${s}` : s];
      };
    } else if (types.isWeakMap(value) || types.isWeakSet(value)) {
      braces = [`${prefixOf(constructor, tag, types.isWeakMap(value) ? "WeakMap" : "WeakSet")}{`, "}"];
      noEntries = false;
      formatter = () => ["<items unknown>"];
    } else if (types.isArrayBuffer(value)) {
      braces = [`${prefixOf(constructor, tag, "ArrayBuffer")}{`, "}"];
      noEntries = false;
      formatter = () => {
        const bytes = new Uint8Array(value);
        let hex = Array.from(bytes.subarray(0, Math.min(ctx.maxArrayLength, bytes.length)), (b) => b.toString(16).padStart(2, "0")).join(" ");
        if (bytes.length > ctx.maxArrayLength) hex += ` ... ${bytes.length - ctx.maxArrayLength} more byte${bytes.length - ctx.maxArrayLength > 1 ? "s" : ""}`;
        return [`[Uint8Contents]: <${hex}>`, `byteLength: ${formatNumber(value.byteLength)}`];
      };
    } else {
      if (constructor === "Object") {
        if (tag !== "") braces = [`${prefixOf(constructor, tag, "Object")}{`, "}"];
        else braces = ["{", "}"];
      } else {
        braces = [`${prefixOf(constructor, tag, "Object")}{`, "}"];
      }
    }
  }
  if (noEntries && keys.length === 0 && !base) {
    return `${braces[0]}${braces[1]}`;
  }
  if (depth > ctx.depth) {
    const name = (constructor || tag || "Object").replace(/^\[|\]$/g, "");
    return arrayLike && constructor === "Array" ? "[Array]" : `[${name}]`;
  }
  ctx.seen.push(value);
  ctx.currentDepth = depth;
  let output;
  try {
    output = formatter();
    for (const k of keys) output.push(formatProperty(ctx, value, k, depth + 1, false));
  } finally {
    ctx.seen.pop();
  }
  if (ctx.sorted) {
    const cmp = ctx.sorted === true ? undefined : ctx.sorted;
    if (!arrayLike) output.sort(cmp);
  }
  let res = reduceToSingleString(ctx, output, base, braces, arrayLike, depth, value);
  const index = ctx.circular.get(value);
  if (index !== undefined) {
    const ref = `<ref *${index}>`;
    res = `${ref} ${res}`;
  }
  return res;
}

// formatList is the items of an array-like: holes counted, past
// maxArrayLength summarized.
function formatList(ctx, value, depth, typed) {
  const out = [];
  const len = value.length;
  const max = Math.min(ctx.maxArrayLength, len);
  let holes = 0;
  const flushHoles = () => {
    if (holes) out.push(`<${holes} empty item${holes > 1 ? "s" : ""}>`);
    holes = 0;
  };
  for (let i = 0; i < max; i++) {
    if (!typed && !Object.prototype.hasOwnProperty.call(value, i)) {
      holes++;
      continue;
    }
    flushHoles();
    if (typed) out.push(formatPrimitive(ctx, value[i]));
    else out.push(formatProperty(ctx, value, String(i), depth + 1, true));
  }
  flushHoles();
  if (len > max) out.push(`... ${len - max} more item${len - max > 1 ? "s" : ""}`);
  return out;
}

// groupItems lays a long array of short items out in aligned columns,
// as Node does for arrays of more than six items.
function groupItems(ctx, output, value) {
  let count = output.length;
  if (ctx.maxArrayLength < (value ? value.length : 0) && count > 0) count--;
  const lengths = output.slice(0, count).map((s) => s.length);
  const total = lengths.reduce((a, l) => a + l + 2, 0);
  const widest = Math.max(0, ...lengths) + 2;
  if (!(widest * 3 + ctx.indentationLvl < ctx.breakLength && (total / widest > 5 || widest - 2 <= 6))) return output;
  const bias = Math.sqrt(widest - total / output.length);
  const biased = Math.max(widest - 3 - bias, 1);
  const columns = Math.min(Math.round(Math.sqrt(2.5 * biased * count) / biased), Math.floor((ctx.breakLength - ctx.indentationLvl) / widest), ctx.compact * 4, 15);
  if (columns <= 1) return output;
  const colWidth = [];
  for (let c = 0; c < columns; c++) {
    let w = 0;
    for (let j = c; j < output.length; j += columns) if (lengths[j] > w) w = lengths[j];
    colWidth.push(w + 2);
  }
  let numeric = true;
  if (value !== undefined) {
    for (let i = 0; i < output.length; i++) {
      if (typeof value[i] !== "number" && typeof value[i] !== "bigint") {
        numeric = false;
        break;
      }
    }
  }
  const rows = [];
  for (let i = 0; i < count; i += columns) {
    const end = Math.min(i + columns, count);
    let line = "";
    for (let j = i; j < end - 1; j++) {
      const cell = `${output[j]}, `;
      line += numeric ? cell.padStart(colWidth[j - i]) : cell.padEnd(colWidth[j - i]);
    }
    const last = end - 1;
    line += numeric ? output[last].padStart(colWidth[last - i] - 2) : output[last];
    rows.push(line);
  }
  if (count < output.length) rows.push(output[count]);
  return rows;
}

function reduceToSingleString(ctx, output, base, braces, arrayLike, depth, value) {
  const prefix = base ? `${base} ` : "";
  if (ctx.compact !== true) {
    if (typeof ctx.compact === "number" && ctx.compact >= 1) {
      const entries = output.length;
      if (arrayLike && entries > 6) output = groupItems(ctx, output, value);
      if (ctx.currentDepth - depth < ctx.compact && entries === output.length) {
        const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
        let total = output.length + start;
        let fits = total + output.length <= ctx.breakLength;
        for (let i = 0; fits && i < output.length; i++) {
          total += output[i].length;
          if (total > ctx.breakLength) fits = false;
        }
        if (fits && !base.includes("\n")) {
          const joined = output.join(", ");
          if (!joined.includes("\n")) return `${prefix}${braces[0]} ${joined} ${braces[1]}`;
        }
      }
    }
    const indent = `\n${" ".repeat(ctx.indentationLvl)}`;
    return `${prefix}${braces[0]}${indent}  ${output.join(`,${indent}  `)}${indent}${braces[1]}`;
  }
  const one = `${prefix}${braces[0]} ${output.join(", ")} ${braces[1]}`;
  if (one.length + ctx.indentationLvl <= ctx.breakLength && !one.includes("\n")) return one;
  const indent = `\n${" ".repeat(ctx.indentationLvl)}`;
  return `${prefix}${braces[0]}${indent}  ${output.join(`,${indent}  `)}${indent}${braces[1]}`;
}

// ---- format ----

const builtinCtors = new Set(["Object", "Array", "Date", "RegExp", "Error", "TypeError", "RangeError", "SyntaxError", "Map", "Set",
  "WeakMap", "WeakSet", "Promise", "Function", "Number", "String", "Boolean", "Symbol", "BigInt", "ArrayBuffer", "DataView",
  "Uint8Array", "Int8Array", "Uint16Array", "Int16Array", "Uint32Array", "Int32Array", "Float32Array", "Float64Array",
  "BigInt64Array", "BigUint64Array", "Uint8ClampedArray"]);

function hasBuiltinToString(v) {
  if (types.isProxy(v)) return true;
  if (typeof v.toString !== "function") return true;
  if (Object.prototype.hasOwnProperty.call(v, "toString")) return false;
  let p = v;
  do {
    p = Object.getPrototypeOf(p);
  } while (p !== null && !Object.prototype.hasOwnProperty.call(p, "toString"));
  if (p === null) return true;
  const d = Object.getOwnPropertyDescriptor(p, "constructor");
  return d !== undefined && typeof d.value === "function" && builtinCtors.has(d.value.name);
}

function formatWithOptions(inspectOptions, ...args) {
  if (inspectOptions === null || typeof inspectOptions !== "object") throw argType("inspectOptions", "of type object", inspectOptions);
  return formatArgs(inspectOptions, args);
}

function format(...args) {
  return formatArgs(undefined, args);
}

function formatArgs(opts, args) {
  const first = args[0];
  let a = 0;
  let str = "";
  let join = "";
  const ins = (v, extra) => inspect(v, Object.assign({}, opts, extra));
  if (typeof first === "string") {
    if (args.length === 1) return first;
    let last = 0;
    for (let i = 0; i < first.length - 1; i++) {
      if (first.charCodeAt(i) !== 37) continue; // '%'
      const c = first[i + 1];
      if (a + 1 !== args.length) {
        let out;
        switch (c) {
          case "s": {
            const v = args[++a];
            if (typeof v === "number") out = formatNumber(v);
            else if (typeof v === "bigint") out = `${v}n`;
            else if (typeof v !== "object" || v === null || !hasBuiltinToString(v)) out = String(v);
            else out = ins(v, { depth: 0, colors: false, compact: 3 });
            break;
          }
          case "j": {
            const v = args[++a];
            try {
              out = JSON.stringify(v);
            } catch (e) {
              if (!(e instanceof TypeError) || !/circular|cyclic/i.test(e.message)) throw e;
              out = "[Circular]";
            }
            break;
          }
          case "d": {
            const v = args[++a];
            if (typeof v === "bigint") out = `${v}n`;
            else if (typeof v === "symbol") out = "NaN";
            else out = formatNumber(Number(v));
            break;
          }
          case "O":
            out = ins(args[++a]);
            break;
          case "o":
            out = ins(args[++a], { showHidden: true, showProxy: true, depth: 4 });
            break;
          case "i": {
            const v = args[++a];
            if (typeof v === "bigint") out = `${v}n`;
            else if (typeof v === "symbol") out = "NaN";
            else out = formatNumber(parseInt(v));
            break;
          }
          case "f": {
            const v = args[++a];
            out = typeof v === "symbol" ? "NaN" : formatNumber(parseFloat(v));
            break;
          }
          case "c":
            a++;
            out = "";
            break;
          case "%":
            str += first.slice(last, i);
            last = i + 1;
            i++;
            continue;
          default:
            continue;
        }
        if (last !== i) str += first.slice(last, i);
        str += out;
        last = i + 2;
        i++;
      } else if (c === "%") {
        str += first.slice(last, i);
        last = i + 1;
        i++;
      }
    }
    if (last !== 0) {
      a++;
      join = " ";
      if (last < first.length) str += first.slice(last);
    }
  }
  while (a < args.length) {
    const v = args[a];
    str += join;
    str += typeof v !== "string" ? ins(v) : v;
    join = " ";
    a++;
  }
  return str;
}

// ---- comparisons (util.isDeepStrictEqual and node:assert's deep checks) ----

function isDeepEqual(a, b, strict, memo) {
  if (a === b) return a !== 0 || !strict || Object.is(a, b);
  if (strict) {
    if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
      return typeof a === "number" && typeof b === "number" && Number.isNaN(a) && Number.isNaN(b);
    }
    if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  } else {
    if (a === null || typeof a !== "object") {
      if (b === null || typeof b !== "object") return a == b || (Number.isNaN(a) && Number.isNaN(b));
      return false;
    }
    if (b === null || typeof b !== "object") return false;
  }
  const tagA = Object.prototype.toString.call(a), tagB = Object.prototype.toString.call(b);
  if (tagA !== tagB) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (types.isDate(a)) {
    if (!types.isDate(b) || Date.prototype.getTime.call(a) !== Date.prototype.getTime.call(b)) return false;
  } else if (types.isRegExp(a)) {
    if (!types.isRegExp(b) || a.source !== b.source || a.flags !== b.flags || a.lastIndex !== b.lastIndex) return false;
  } else if (types.isNativeError(a) || a instanceof Error) {
    if (!(types.isNativeError(b) || b instanceof Error) || a.message !== b.message || a.name !== b.name) return false;
  } else if (ArrayBuffer.isView(a)) {
    if (!ArrayBuffer.isView(b)) return false;
    if (!strict && (types.isFloat32Array(a) || types.isFloat64Array(a))) {
      if (a.length !== b.length) return false;
      for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    } else {
      const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength), y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      if (x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
    }
  } else if (types.isBoxedPrimitive(a)) {
    if (!types.isBoxedPrimitive(b) || !Object.is(a.valueOf(), b.valueOf())) return false;
  } else if (types.isBoxedPrimitive(b)) {
    return false;
  } else if (types.isArrayBuffer(a)) {
    if (!types.isArrayBuffer(b)) return false;
    return isDeepEqual(new Uint8Array(a), new Uint8Array(b), strict, memo);
  }
  memo = memo || { a: [], b: [] };
  const i = memo.a.indexOf(a);
  if (i >= 0 && memo.b[i] === b) return true;
  memo.a.push(a);
  memo.b.push(b);
  try {
    return compareEntries(a, b, strict, memo);
  } finally {
    memo.a.pop();
    memo.b.pop();
  }
}

function compareEntries(a, b, strict, memo) {
  const keysOf = (o) => {
    let k = Object.keys(o);
    if (ArrayBuffer.isView(o)) k = k.filter((x) => String(x >>> 0) !== x);
    return k;
  };
  const ka = keysOf(a), kb = keysOf(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!Object.prototype.propertyIsEnumerable.call(b, k)) return false;
  if (strict) {
    const sa = Object.getOwnPropertySymbols(a).filter((s) => Object.prototype.propertyIsEnumerable.call(a, s));
    const sb = Object.getOwnPropertySymbols(b).filter((s) => Object.prototype.propertyIsEnumerable.call(b, s));
    if (sa.length !== sb.length) return false;
    for (const s of sa) if (!Object.prototype.propertyIsEnumerable.call(b, s) || !isDeepEqual(a[s], b[s], strict, memo)) return false;
  }
  if (Array.isArray(a) && a.length !== b.length) return false;
  if (types.isSet(a)) {
    if (!types.isSet(b) || a.size !== b.size) return false;
    outer: for (const x of a) {
      if (b.has(x)) continue;
      if (typeof x !== "object" || x === null) {
        if (strict) return false;
        for (const y of b) if (!(typeof y === "object" && y !== null) && isDeepEqual(x, y, strict, memo)) continue outer;
        return false;
      }
      for (const y of b) if (isDeepEqual(x, y, strict, memo)) continue outer;
      return false;
    }
  } else if (types.isSet(b)) {
    return false;
  } else if (types.isMap(a)) {
    if (!types.isMap(b) || a.size !== b.size) return false;
    outer: for (const [k, v] of a) {
      if (b.has(k)) {
        if (!isDeepEqual(v, b.get(k), strict, memo)) return false;
        continue;
      }
      for (const [k2, v2] of b) if (isDeepEqual(k, k2, strict, memo) && isDeepEqual(v, v2, strict, memo)) continue outer;
      return false;
    }
  } else if (types.isMap(b)) {
    return false;
  }
  for (const k of ka) if (!isDeepEqual(a[k], b[k], strict, memo)) return false;
  return true;
}

function isDeepStrictEqual(a, b) {
  return isDeepEqual(a, b, true);
}

// ---- functions ----

function inherits(ctor, superCtor) {
  if (ctor === undefined || ctor === null) throw argType("ctor", "of type function", ctor);
  if (superCtor === undefined || superCtor === null) throw argType("superCtor", "of type function", superCtor);
  if (superCtor.prototype === undefined) throw argType("superCtor.prototype", "of type object", superCtor.prototype);
  Object.defineProperty(ctor, "super_", { value: superCtor, writable: true, configurable: true });
  Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
}

function promisify(original) {
  validateFunction(original, "original");
  if (original[customPromisify]) {
    const fn = original[customPromisify];
    validateFunction(fn, "util.promisify.custom");
    return Object.defineProperty(fn, customPromisify, { value: fn, enumerable: false, writable: false, configurable: true });
  }
  function fn(...args) {
    return new Promise((resolve, reject) => {
      Reflect.apply(original, this, [...args, (err, ...values) => {
        if (err) return reject(err);
        resolve(values[0]);
      }]);
    });
  }
  Object.setPrototypeOf(fn, Object.getPrototypeOf(original));
  Object.defineProperty(fn, customPromisify, { value: fn, enumerable: false, writable: false, configurable: true });
  const descriptors = Object.getOwnPropertyDescriptors(original);
  for (const k of Reflect.ownKeys(descriptors)) {
    try {
      Object.defineProperty(fn, k, descriptors[k]);
    } catch (e) {
      // length and name of the wrapper are not configurable in every engine
    }
  }
  return fn;
}
promisify.custom = customPromisify;

function callbackify(original) {
  validateFunction(original, "original");
  function callbackified(...args) {
    const cb = args.pop();
    validateFunction(cb, "last argument");
    Reflect.apply(original, this, args).then(
      (ret) => queueMicrotask(() => cb(null, ret)),
      (rej) => {
        if (!rej) {
          const e = native.codedError("Error", "ERR_FALSY_VALUE_REJECTION", "Promise was rejected with falsy value");
          e.reason = rej;
          rej = e;
        }
        queueMicrotask(() => cb(rej));
      });
  }
  const descriptors = Object.getOwnPropertyDescriptors(original);
  if (typeof descriptors.length.value === "number") descriptors.length.value++;
  if (typeof descriptors.name.value === "string") descriptors.name.value += "Callbackified";
  for (const k of ["length", "name"]) {
    try {
      Object.defineProperty(callbackified, k, descriptors[k]);
    } catch (e) {
      // as in promisify
    }
  }
  return callbackified;
}

const warned = new Set();
function deprecate(fn, msg, code) {
  validateFunction(fn, "fn");
  let done = false;
  function deprecated(...args) {
    if (!done && !(code !== undefined && warned.has(code))) {
      done = true;
      if (code !== undefined) warned.add(code);
      console.warn(`${code ? `[${code}] ` : ""}DeprecationWarning: ${msg}`);
    }
    return new.target ? Reflect.construct(fn, args, new.target) : Reflect.apply(fn, this, args);
  }
  Object.setPrototypeOf(deprecated, fn);
  if (fn.prototype) deprecated.prototype = fn.prototype;
  return deprecated;
}

// debuglog: Workers have no NODE_DEBUG, so every section is off.
function debuglog(section, cb) {
  const log = () => {};
  Object.defineProperty(log, "enabled", { get: () => false, configurable: true, enumerable: true });
  return log;
}

function toUSVString(s) {
  s = `${s}`;
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
      out += s[i] + s[i + 1];
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      out += "\ufffd";
    } else {
      out += s[i];
    }
  }
  return out;
}

const ansi = /[\u001B\u009B][[\]()#;?]*(?:(?:(?:(?:;[-a-zA-Z\d\/#&.:=?%@~_]+)*|[a-zA-Z\d]+(?:;[-a-zA-Z\d\/#&.:=?%@~_]*)*)?\u0007)|(?:(?:\d{1,4}(?:;\d{0,4})*)?[\dA-PR-TZcf-ntqry=><~]))/g;
function stripVTControlCharacters(str) {
  if (typeof str !== "string") throw argType("str", "of type string", str);
  return str.replace(ansi, "");
}

function isError(e) {
  return types.isNativeError(e) || e instanceof Error;
}

function _extend(target, source) {
  if (source === null || typeof source !== "object") return target;
  for (const k of Object.keys(source)) target[k] = source[k];
  return target;
}

function aborted(signal, resource) {
  if (!(signal instanceof AbortSignal)) throw argType("signal", "an instance of AbortSignal", signal);
  if (resource === null || (typeof resource !== "object" && typeof resource !== "function")) throw argType("resource", "of type object", resource);
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}

const util = {
  format,
  formatWithOptions,
  inspect,
  inherits,
  promisify,
  callbackify,
  deprecate,
  debuglog,
  debug: debuglog,
  isDeepStrictEqual,
  toUSVString,
  stripVTControlCharacters,
  types,
  TextEncoder: globalThis.TextEncoder,
  TextDecoder: globalThis.TextDecoder,
  aborted,
  isArray: Array.isArray,
  isBoolean: (v) => typeof v === "boolean",
  isBuffer: (v) => require("node:buffer").Buffer.isBuffer(v),
  isNull: (v) => v === null,
  isNullOrUndefined: (v) => v === null || v === undefined,
  isNumber: (v) => typeof v === "number",
  isString: (v) => typeof v === "string",
  isSymbol: (v) => typeof v === "symbol",
  isUndefined: (v) => v === undefined,
  isRegExp: types.isRegExp,
  isObject: (v) => v !== null && typeof v === "object",
  isDate: types.isDate,
  isError,
  isFunction: (v) => typeof v === "function",
  isPrimitive: (v) => v === null || (typeof v !== "object" && typeof v !== "function"),
  _extend,
};
Object.defineProperty(util, deepEqualKey, { value: isDeepEqual });

module.exports = util;
