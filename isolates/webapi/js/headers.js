// Headers (Fetch), with host headers split only when read.

const tokenRe = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
function normName(name) {
  name = String(name);
  if (!tokenRe.test(name)) throw new TypeError(`Invalid header name: "${name}"`);
  return name.toLowerCase();
}
function normValue(value) {
  value = String(value).replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, "");
  if (/[\0\r\n]/.test(value)) throw new TypeError(`Invalid header value: "${value}"`);
  return value;
}
class Headers {
  constructor(init) {
    this[kMap] = new Map();
    this[kGuard] = "none";
    if (init === undefined || init === null) return;
    if (init instanceof Headers) {
      for (const [k, vs] of materialize(init)) this[kMap].set(k, vs.slice());
    } else if (typeof init === "object" && typeof init[Symbol.iterator] === "function") {
      for (const pair of init) {
        const p = Array.from(pair);
        if (p.length !== 2) throw new TypeError("Headers constructor: expected name/value pair to be length 2, found " + p.length + ".");
        this.append(p[0], p[1]);
      }
    } else if (typeof init === "object") {
      for (const k of Object.keys(init)) this.append(k, init[k]);
    } else {
      throw new TypeError("Failed to construct 'Headers': The provided value is not of type '(record<ByteString, ByteString> or sequence<sequence<ByteString>>)'.");
    }
  }
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
function checkMutable(h) {
  if (h[kGuard] === "immutable") throw new TypeError("Can't modify immutable headers.");
}
// Headers that came from the host arrive as one "name\0value\0…" string and
// are split only if the script looks at them.
function materialize(h) {
  const flat = h[kFlat];
  if (flat !== undefined) {
    h[kFlat] = undefined;
    const m = h[kMap];
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
  h[kMap] = new Map();
  h[kGuard] = guard;
  h[kFlat] = flat;
  return h;
}
define("Headers", Headers);
