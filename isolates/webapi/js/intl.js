// Intl (ECMA-402), which goja lacks, over the Go formatters of
// isolates/webapi/intl (CLDR data, x/text collation, UAX #29
// segmentation); and the locale-sensitive methods of Number, BigInt,
// Date, String and Array on top of it. Option handling follows the
// spec's order and errors; formatting is one native call.
// Intl is built the first time a script reaches it (or a toLocale*
// method runs): an isolate that never formats pays nothing for it, and
// its machinery (buildIntl, intl-impl.js) is compiled on a process's first
// use (lazyAPIs in apis.go), not with the prelude.
let intlBuilt, intlNatives;
// The natives too are made on first use (native.intl builds them).
const intlNative = () => intlNatives || (intlNatives = native.intl());
const intlParts = () => intlBuilt || (intlBuilt = lazyAPI("intl").buildIntl());
Object.defineProperty(global, "Intl", {
  configurable: true, enumerable: false,
  get() { const v = intlParts().ns; define("Intl", v); return v; },
  set(v) { define("Intl", v); },
});

// The locale-sensitive built-ins, with one cached formatter per locale
// and options seen (the common calls pass neither).
const intlCache = new Map();
function cachedFormat(kind, locales, options, make) {
  if (options !== undefined || (locales !== undefined && typeof locales !== "string")) return make();
  const key = kind + "\0" + (locales === undefined ? "" : locales);
  let f = intlCache.get(key);
  if (!f) {
    f = make();
    if (intlCache.size > 100) intlCache.clear();
    intlCache.set(key, f);
  }
  return f;
}
const intlMethods = (proto, defs) => {
  for (const [name, fn] of Object.entries(defs)) {
    Object.defineProperty(fn, "name", { value: name });
    Object.defineProperty(proto, name, { value: fn, writable: true, configurable: true, enumerable: false });
  }
};
const thisNumber = Number.prototype.valueOf, thisBigInt = BigInt.prototype.valueOf, thisTime = Date.prototype.getTime;
intlMethods(Number.prototype, {
  toLocaleString(locales, options) { const x = thisNumber.call(this); return cachedFormat("n", locales, options, () => new (intlParts().NumberFormat)(locales, options)).format(x); },
});
intlMethods(BigInt.prototype, {
  toLocaleString(locales, options) { const x = thisBigInt.call(this); return cachedFormat("n", locales, options, () => new (intlParts().NumberFormat)(locales, options)).format(x); },
});
function dateLocale(self, locales, options, required, defaults, kind) {
  const t = thisTime.call(self);
  if (Number.isNaN(t)) return "Invalid Date";
  return cachedFormat(kind, locales, options, () => new (intlParts().DateTimeFormat)(locales, options, required, defaults)).format(t);
}
// DateTimeFormat's extra parameters are internal: scripts see length 0 and 2.
intlMethods(Date.prototype, {
  toLocaleString(locales, options) { return dateLocale(this, locales, options, "any", "all", "d"); },
  toLocaleDateString(locales, options) { return dateLocale(this, locales, options, "date", "date", "dd"); },
  toLocaleTimeString(locales, options) { return dateLocale(this, locales, options, "time", "time", "dt"); },
});
intlMethods(String.prototype, {
  localeCompare(that, locales, options) {
    if (this === undefined || this === null) throw new TypeError("String.prototype.localeCompare called on null or undefined");
    return cachedFormat("c", locales, options, () => new (intlParts().Collator)(locales, options)).compare(String(this), String(that));
  },
});
Object.defineProperty(String.prototype.localeCompare, "length", { value: 1 });
const arrayJoinLocale = function toLocaleString(locales, options) {
  const o = Object(this), n = Math.min(Number(o.length) || 0, 2 ** 32 - 1);
  let s = "";
  for (let i = 0; i < n; i++) {
    if (i > 0) s += ",";
    const x = o[i];
    if (x !== undefined && x !== null) s += String(Object(x).toLocaleString(locales, options));
  }
  return s;
};
Object.defineProperty(Array.prototype, "toLocaleString", { value: arrayJoinLocale, writable: true, configurable: true });
