// node:querystring: Node's form-style query strings (not WHATWG
// URLSearchParams): "+" is a space when parsing, repeated keys become
// arrays, a malformed escape is kept as it is, and maxKeys bounds the pairs.
"use strict";

function hexValue(c) {
  if (c >= 48 && c <= 57) return c - 48;
  c |= 0x20; // lower case
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

// unescapeBuffer decodes the %XX escapes of s into bytes, keeping any
// other "%" as it is; "+" is a space when decodeSpaces. Other characters
// become the low byte of their code unit, as in Node (so a non-ASCII
// character next to a bad escape does not survive unescape()).
function unescapeBuffer(s, decodeSpaces) {
  s = String(s);
  const out = new Uint8Array(s.length);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let hi, lo;
    if (c === 43 /* + */ && decodeSpaces) {
      out[n++] = 32;
    } else if (c === 37 /* % */ && i + 2 < s.length && (hi = hexValue(s.charCodeAt(i + 1))) >= 0 && (lo = hexValue(s.charCodeAt(i + 2))) >= 0) {
      out[n++] = hi * 16 + lo;
      i += 2;
    } else {
      out[n++] = c & 0xff;
    }
  }
  const B = bufferClass();
  return B ? B.from(out.buffer, 0, n) : out.subarray(0, n);
}

// bufferClass is node:buffer's Buffer when this build has it (Node returns
// a Buffer from unescapeBuffer), else undefined: Uint8Array then.
let bufferCache;
function bufferClass() {
  if (bufferCache === undefined) {
    try {
      bufferCache = require("node:buffer").Buffer || null;
    } catch (e) {
      bufferCache = null;
    }
  }
  return bufferCache || undefined;
}

function unescape(s, decodeSpaces) {
  try {
    return decodeURIComponent(s);
  } catch (e) {
    return new TextDecoder().decode(unescapeBuffer(s, decodeSpaces));
  }
}

// escape percent-encodes all but Node's unreserved characters, which are
// exactly the ones encodeURIComponent leaves alone.
function escape(str) {
  if (typeof str !== "string") {
    if (typeof str === "object") str = String(str);
    else str += "";
  }
  try {
    return encodeURIComponent(str);
  } catch (e) {
    const err = new URIError("URI malformed");
    err.code = "ERR_INVALID_URI";
    throw err;
  }
}

function stringifyPrimitive(v) {
  switch (typeof v) {
    case "string": return v;
    case "number": return isFinite(v) ? "" + v : "";
    case "bigint": return "" + v;
    case "boolean": return v ? "true" : "false";
    default: return "";
  }
}

function stringify(obj, sep, eq, options) {
  sep = sep || "&";
  eq = eq || "=";
  let encode = escape;
  if (options && typeof options.encodeURIComponent === "function") encode = options.encodeURIComponent;
  if (obj === null || typeof obj !== "object") return "";
  const convert = (v) => encode(stringifyPrimitive(v));
  const fields = [];
  for (const k of Object.keys(obj)) {
    const v = obj[k];
    const ks = convert(k) + eq;
    if (Array.isArray(v)) {
      for (const item of v) fields.push(ks + convert(item));
    } else {
      fields.push(ks + convert(v));
    }
  }
  return fields.join(sep);
}

function parse(qs, sep, eq, options) {
  const obj = { __proto__: null };
  if (typeof qs !== "string" || qs.length === 0) return obj;
  sep = sep ? String(sep) : "&";
  eq = eq ? String(eq) : "=";
  let maxKeys = 1000;
  if (options && typeof options.maxKeys === "number") maxKeys = options.maxKeys;
  let decode = unescape;
  if (options && typeof options.decodeURIComponent === "function") decode = options.decodeURIComponent;
  const decodeStr = (s) => {
    try {
      return decode(s);
    } catch (e) {
      return unescape(s, true);
    }
  };
  let pieces = qs.split(sep);
  // maxKeys counts pieces, empty ones too, as Node's does.
  if (maxKeys > 0 && pieces.length > maxKeys) pieces = pieces.slice(0, maxKeys);
  for (const piece of pieces) {
    if (piece.length === 0) continue;
    const at = piece.indexOf(eq);
    let key = at < 0 ? piece : piece.slice(0, at);
    let value = at < 0 ? "" : piece.slice(at + eq.length);
    // "+" is a space; the decoder sees it as %20, as Node's does.
    key = decodeStr(key.replace(/\+/g, "%20"));
    value = decodeStr(value.replace(/\+/g, "%20"));
    if (key in obj) {
      const cur = obj[key];
      if (Array.isArray(cur)) cur.push(value);
      else obj[key] = [cur, value];
    } else {
      obj[key] = value;
    }
  }
  return obj;
}

module.exports = {
  unescapeBuffer,
  unescape,
  escape,
  stringify,
  encode: stringify,
  parse,
  decode: parse,
};
