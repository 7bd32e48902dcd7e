// console, and inspect: how values are printed (also for the host: Worker.Inspect).
// Natives: console.go.

function inspect(v, depth, seen, top) {
  if (typeof v === "string") return top ? v : JSON.stringify(v).replace(/^"|"$/g, "'").replace(/\\"/g, '"');
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "symbol") return v.toString();
  if (typeof v === "function") return v.name ? `[Function: ${v.name}]` : "[Function (anonymous)]";
  if (v === null || typeof v !== "object") return String(v);
  if (seen.includes(v)) return "[Circular]";
  if (v instanceof Error) return v.stack && v.stack.indexOf(v.message) >= 0 ? v.stack : `${v.name}: ${v.message}${v.stack ? "\n" + v.stack : ""}`;
  if (v instanceof Date) return isNaN(v) ? "Invalid Date" : v.toISOString();
  if (v instanceof RegExp) return String(v);
  if (depth > 2) return Array.isArray(v) ? "[Array]" : "[Object]";
  seen = seen.concat([v]);
  const inner = (x) => inspect(x, depth + 1, seen, false);
  const wrap = (open, parts, close) => {
    if (parts.length === 0) return open + close;
    const one = `${open} ${parts.join(", ")} ${close}`;
    return one.length <= 72 ? one : `${open}\n${parts.map((p) => "  " + p.replace(/\n/g, "\n  ")).join(",\n")}\n${close}`;
  };
  if (Array.isArray(v)) return wrap("[", v.map(inner), "]");
  if (v instanceof Map) return wrap(`Map(${v.size}) {`, [...v].map(([k, x]) => `${inner(k)} => ${inner(x)}`), "}");
  if (v instanceof Set) return wrap(`Set(${v.size}) {`, [...v].map(inner), "}");
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return wrap(`${v.constructor.name}(${v.length}) [`, Array.from(v, String), "]");
  if (v instanceof ArrayBuffer) return `ArrayBuffer { byteLength: ${v.byteLength} }`;
  if (typeof v.then === "function" && v instanceof Promise) return "Promise { <pending> }";
  const ctor = v.constructor && v.constructor !== Object ? v.constructor.name + " " : "";
  if (v instanceof Headers || v instanceof URLSearchParams) return wrap(`${ctor}{`, [...v].map(([k, x]) => `${inner(k)} => ${inner(x)}`), "}");
  if (typeof URL !== "undefined" && v instanceof URL) return `URL ${inner(v.href)}`;
  const keys = Object.keys(v);
  const key = (k) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : inner(k));
  return wrap(`${ctor}{`, keys.map((k) => `${key(k)}: ${inner(v[k])}`), "}");
}
function format(args) {
  let out = [];
  let i = 0;
  if (typeof args[0] === "string" && args[0].indexOf("%") >= 0 && args.length > 1) {
    i = 1;
    out.push(args[0].replace(/%[sdifjoOc%]/g, (m) => {
      if (m === "%%") return "%";
      if (i >= args.length) return m;
      const a = args[i++];
      switch (m) {
        case "%s": return typeof a === "string" ? a : inspect(a, 1, [], false);
        case "%d": case "%i": return typeof a === "object" ? "NaN" : String(m === "%i" ? parseInt(a) : Number(a));
        case "%f": return String(parseFloat(a));
        case "%j": try { return JSON.stringify(a); } catch (e) { return "[Circular]"; }
        case "%c": return "";
        default: return inspect(a, 0, [], false);
      }
    }));
  }
  for (; i < args.length; i++) out.push(inspect(args[i], 0, [], true));
  return out.join(" ");
}
const counts = new Map();
const timersByLabel = new Map();
const log = (level) => (...args) => native.print(level, format(args));
const console = {
  log: log("log"), info: log("info"), debug: log("debug"), warn: log("warn"), error: log("error"), trace: log("debug"),
  dir: (v) => native.print("log", inspect(v, 0, [], false)),
  table: log("log"),
  assert: (cond, ...args) => { if (!cond) native.print("error", "Assertion failed" + (args.length ? ": " + format(args) : "")); },
  count: (label = "default") => { const n = (counts.get(label) || 0) + 1; counts.set(label, n); native.print("log", `${label}: ${n}`); },
  countReset: (label = "default") => counts.delete(label),
  time: (label = "default") => timersByLabel.set(label, Date.now()),
  timeLog: (label = "default", ...rest) => native.print("log", `${label}: ${Date.now() - (timersByLabel.get(label) || Date.now())}ms ${format(rest)}`.trim()),
  timeEnd: (label = "default") => { native.print("log", `${label}: ${Date.now() - (timersByLabel.get(label) || Date.now())}ms`); timersByLabel.delete(label); },
  group: log("log"), groupCollapsed: log("log"), groupEnd: () => {},
};
define("console", console);
