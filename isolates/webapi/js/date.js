// Date in UTC whatever the host's time zone: Workers always run in UTC,
// and goja's Date reads Go's time.Local, the host's zone. Setting
// time.Local would move the host's own log times too, so the isolate's
// Date does it instead: local getters and setters are their UTC twins,
// the constructor and Date.parse read local date-time forms as UTC, and
// toString prints the zone as V8 does in UTC. On a UTC host goja's own
// methods already answer so, and only toString's zone name is replaced
// (no per-isolate cost for the rest).
const NativeDate = Date;
(() => {
  const P = NativeDate.prototype, nativeParse = NativeDate.parse, nativeUTC = NativeDate.UTC;
  const getTime = P.getTime, construct = Reflect.construct;
  const method = (name, fn) => {
    Object.defineProperty(fn, "name", { value: name });
    defineSlot(P, name, { value: fn, writable: true, configurable: true, enumerable: false });
  };
  const g = (utc) => function () { return utc.apply(this, arguments); };
  const hostUTC = native.hostZoneIsUTC();
  if (!hostUTC) for (const n of ["FullYear", "Month", "Date", "Day", "Hours", "Minutes", "Seconds", "Milliseconds"]) {
    method("get" + n, g(P["getUTC" + n]));
    if (n !== "Day") {
      const set = g(P["setUTC" + n]);
      method("set" + n, set);
      Object.defineProperty(set, "length", { value: P["setUTC" + n].length });
    }
  }
  const getUTCFullYear = P.getUTCFullYear, setUTCFullYear = P.setUTCFullYear;
  if (!hostUTC && P.getYear) method("getYear", function () { const y = getUTCFullYear.call(this); return y !== y ? y : y - 1900; });
  if (!hostUTC && P.setYear) {
    method("setYear", function (year) {
      let y = Number(year);
      if (y === y && y >= 0 && y <= 99) y = 1900 + Math.trunc(y);
      const t = getTime.call(this), d = new NativeDate(t !== t ? 0 : t);
      setUTCFullYear.call(d, y);
      return this.setTime(getTime.call(d));
    });
  }
  if (!hostUTC) method("getTimezoneOffset", function () { const t = getTime.call(this); return t !== t ? t : 0; });

  const days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const p2 = (n) => (n < 10 ? "0" : "") + n;
  const year = (y) => (y < 0 ? "-" + String(-y).padStart(6, "0") : String(y).padStart(4, "0"));
  const datePart = (d) => `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${p2(d.getUTCDate())} ${year(d.getUTCFullYear())}`;
  const timePart = (d) => `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} GMT+0000 (Coordinated Universal Time)`;
  const valid = (d) => { const t = getTime.call(d); return t === t; };
  method("toString", function () { return valid(this) ? datePart(this) + " " + timePart(this) : "Invalid Date"; });
  method("toDateString", function () { return valid(this) ? datePart(this) : "Invalid Date"; });
  method("toTimeString", function () { return valid(this) ? timePart(this) : "Invalid Date"; });

  if (hostUTC) return;
  // A form without an offset (ISO date-time, or the legacy forms) is
  // local time: read it as UTC. Forms with an offset fail with one more.
  const parse = function parse(s) {
    s = String(s);
    const t = nativeParse(s);
    if (t !== t) return t;
    const z = nativeParse(/^[+-]?\d{4,6}-\d\d-\d\dT[^Z+]*$/.test(s) && !/T.*-\d\d:?\d\d$/.test(s) ? s + "Z" : s + " GMT");
    return z === z ? z : t;
  };
  const UTCDate = function Date(...args) {
    if (new.target === undefined) return P.toString.call(new NativeDate());
    let t;
    if (args.length === 0) t = NativeDate.now();
    else if (args.length === 1) {
      const v = args[0];
      if (v instanceof NativeDate) t = getTime.call(v);
      else {
        const prim = typeof v === "object" && v !== null ? v[Symbol.toPrimitive] ? v[Symbol.toPrimitive]("default") : v.valueOf() : v;
        t = typeof prim === "string" ? parse(prim) : Number(prim);
      }
    } else t = nativeUTC(...args);
    return construct(NativeDate, [t], new.target);
  };
  Object.defineProperty(UTCDate, "length", { value: 7 });
  UTCDate.prototype = P;
  defineSlot(P, "constructor", { value: UTCDate, writable: true, configurable: true, enumerable: false });
  for (const k of ["now", "UTC"]) defineSlot(UTCDate, k, { value: NativeDate[k], writable: true, configurable: true });
  defineSlot(UTCDate, "parse", { value: parse, writable: true, configurable: true });
  define("Date", UTCDate);
})();
