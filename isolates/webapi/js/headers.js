// Headers (Fetch), with host headers split only when read.

const tokenRe = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Names and values that passed are remembered: a worker sets the same few
// headers on every response, and goja's regular expressions cost far more
// than a Map lookup (bench: BenchmarkHandlerCost/headers). Both are pure
// functions of the string, and the maps are bounded.
const normCacheMax = 256, normValueCacheLen = 128;
const normNames = new Map(), normValues = new Map();
function normName(name) {
  name = String(name);
  const known = normNames.get(name);
  if (known !== undefined) return known;
  if (!tokenRe.test(name)) throw new TypeError(`Invalid header name: "${name}"`);
  const lower = name.toLowerCase();
  if (normNames.size < normCacheMax) normNames.set(name, lower);
  return lower;
}
// The patterns are made once: a literal inside a function is a new RegExp
// object at every call, and goja's are costly to make.
const trimRe = /^[\t\n\r ]+|[\t\n\r ]+$/g, badValueRe = /[\0\r\n]/;
function normValue(value) {
  const raw = String(value);
  const known = normValues.get(raw);
  if (known !== undefined) return known;
  value = raw.replace(trimRe, "");
  if (badValueRe.test(value)) throw new TypeError(`Invalid header value: "${value}"`);
  if (raw.length <= normValueCacheLen && normValues.size < normCacheMax) normValues.set(raw, value);
  return value;
}
class Headers {
  constructor(init) { fill(this, init); }
  append(name, value) {
    checkMutable(this);
    const k = normName(name), v = normValue(value);
    const m = materialize(this);
    const vs = m.get(k);
    if (vs) vs.push(v); else m.set(k, [v]);
  }
  set(name, value) {
    checkMutable(this);
    materialize(this).set(normName(name), [normValue(value)]);
  }
  delete(name) {
    checkMutable(this);
    materialize(this).delete(normName(name));
  }
  get(name) {
    const vs = materialize(this).get(normName(name));
    return vs === undefined ? null : vs.join(", ");
  }
  getAll(name) {
    const k = normName(name);
    if (k !== "set-cookie") throw new TypeError('getAll() can only be used with the header name "Set-Cookie".');
    return this.getSetCookie();
  }
  getSetCookie() {
    const vs = materialize(this).get("set-cookie");
    return vs ? vs.slice() : [];
  }
  has(name) { return materialize(this).has(normName(name)); }
  forEach(cb, thisArg) { for (const [k, v] of this) cb.call(thisArg, v, k, this); }
  *entries() {
    const m = materialize(this);
    for (const k of [...m.keys()].sort()) {
      const vs = m.get(k);
      if (vs === undefined) continue;
      if (k === "set-cookie") for (const v of vs) yield [k, v];
      else yield [k, vs.join(", ")];
    }
  }
  *keys() { for (const [k] of this.entries()) yield k; }
  *values() { for (const [, v] of this.entries()) yield v; }
  [Symbol.iterator]() { return this.entries(); }
}
tag(Headers, "Headers");
const append = Headers.prototype.append;
// fill is the Headers constructor's work on h, or, with h null, on a new
// Headers made only if needed: a Response's headers init (headersInit).
// A Headers has no guard slot unless it is immutable (checkMutable), and
// one filled from a record has no Map until it is read (fromRecord).
function fill(h, init, defaultType) {
  if (init === undefined || init === null) {
    if (h === null) h = objectCreate(Headers.prototype);
    h[kMap] = new Map();
  } else if (init instanceof Headers) {
    if (h === null) h = objectCreate(Headers.prototype);
    const m = h[kMap] = new Map();
    for (const [k, vs] of materialize(init)) m.set(k, vs.slice());
  } else if (typeof init === "object" && typeof init[symIterator] === "function") {
    if (h === null) h = objectCreate(Headers.prototype);
    h[kMap] = new Map();
    for (const pair of init) {
      const p = Array.from(pair);
      if (p.length !== 2) throw new TypeError("Headers constructor: expected name/value pair to be length 2, found " + p.length + ".");
      h.append(p[0], p[1]);
    }
  } else if (typeof init === "object") {
    if ((h === null ? Headers.prototype.append : h.append) === append) {
      const flat = fromRecord(init, h === null ? defaultType : null);
      if (h === null && !recordFolded) return flat;
      if (h === null) h = objectCreate(Headers.prototype);
      h[kFlat] = flat;
      if (recordFolded) materialize(h);
      return h;
    }
    if (h === null) h = objectCreate(Headers.prototype);
    h[kMap] = new Map();
    for (const k of Object.keys(init)) h.append(k, init[k]);
  } else {
    throw new TypeError("Failed to construct 'Headers': The provided value is not of type '(record<ByteString, ByteString> or sequence<sequence<ByteString>>)'.");
  }
  return h;
}
// headersInit is new Headers(init) for a Response, except that a record
// init comes back as its flat string (below), which the Response keeps in
// its headers slot until the script reads its headers (headersOf).
const headersInit = (init, defaultType) => fill(null, init, defaultType);
// fromRecord reads and checks a plain-object init ({ "content-type":
// "text/plain" }, what most handlers pass) as append() would, every name
// and value now, in the same order, with the same errors, and returns them
// as the flat "name\0value\0…" string the host reads instead of building
// the Map: a response whose headers the script never reads again hands
// that string to the host as is (flatten). recordFolded says two names
// differed only in case: the Map is then built at once, so that flatten
// keeps append()'s grouping; recordHasType says whether a content-type was
// named (the Response constructor asks).
//
// The loop runs in Go (headers.go's headersRecord) when defaultType is a
// string, a Response's string body's type, which Go appends when no
// content-type was named, as withType would (recordHasType is then true),
// or null, a Headers' init, which needs no type. It answers undefined,
// having run no script code, for what only this loop does exactly (a
// proxy, an invalid name, names folded by case); so does a Response
// whose body's type is not known yet (undefined), which needs
// recordHasType.
let recordHasType = false, recordFolded = false;
function fromRecord(init, defaultType) {
  const done = defaultType === undefined ? undefined : native.headersRecord(init, defaultType, normValue);
  if (done !== undefined) {
    recordHasType = defaultType !== null;
    recordFolded = false;
    return done;
  }
  const keys = objectKeys(init);
  let flat = "", folded = false, hasType = false;
  for (let i = 0; i < keys.length; i++) {
    // normName and normValue's caches are asked here first: a name from
    // Object.keys is a string already, and a string value is its own
    // String(); a call costs goja more than the lookup.
    const k = keys[i], v = init[k];
    let name = normNames.get(k);
    if (name === undefined) name = normName(k);
    let value = typeof v === "string" ? normValues.get(v) : undefined;
    if (value === undefined) value = normValue(v);
    if (name !== k) folded = true;
    if (name === "content-type") hasType = true;
    flat = i === 0 ? name + "\0" + value : flat + "\0" + name + "\0" + value;
  }
  recordHasType = hasType;
  recordFolded = folded && keys.length > 1;
  return flat;
}
function checkMutable(h) {
  if (h[kGuard] === "immutable") throw new TypeError("Can't modify immutable headers.");
}
// Headers that came from the host arrive as one "name\0value\0…" string and
// are split only if the script looks at them.
function materialize(h) {
  const flat = h[kFlat];
  if (flat !== undefined) {
    h[kFlat] = undefined;
    let m = h[kMap];
    if (m === undefined) m = h[kMap] = new Map();
    if (flat.length > 0) {
      const parts = flat.split("\0");
      for (let i = 0; i + 1 < parts.length; i += 2) {
        const k = parts[i].toLowerCase();
        const vs = m.get(k);
        if (vs) vs.push(parts[i + 1]); else m.set(k, [parts[i + 1]]);
      }
    }
  }
  return h[kMap];
}
function hostHeaders(flat, guard) {
  const h = Object.create(Headers.prototype);
  if (guard !== "none") h[kGuard] = guard;
  h[kFlat] = flat;
  return h;
}
define("Headers", Headers);
