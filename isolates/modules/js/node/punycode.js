// node:punycode: RFC 3492 Punycode and the IDNA label mapping Node's
// (deprecated, but still required by old packages) punycode module gives:
// toASCII/toUnicode convert only the labels that need it and keep the
// local part of an e-mail address.
"use strict";

const BASE = 36, TMIN = 1, TMAX = 26, SKEW = 38, DAMP = 700, INITIAL_BIAS = 72, INITIAL_N = 128;
const MAX_INT = 0x7fffffff;

function fail(kind) {
  const messages = {
    overflow: "Overflow: input needs wider integers to process",
    "not-basic": "Illegal input >= 0x80 (not a basic code point)",
    "invalid-input": "Invalid input",
  };
  throw new RangeError(messages[kind]);
}

// ucs2Decode: the code points of a string, a surrogate pair as one and a
// lone surrogate as itself.
function ucs2Decode(s) {
  const out = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out.push(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
        i++;
        continue;
      }
    }
    out.push(c);
  }
  return out;
}

function ucs2Encode(points) {
  return String.fromCodePoint(...points);
}

function adapt(delta, numPoints, first) {
  delta = first ? Math.floor(delta / DAMP) : delta >> 1;
  delta += Math.floor(delta / numPoints);
  let k = 0;
  while (delta > ((BASE - TMIN) * TMAX) >> 1) {
    delta = Math.floor(delta / (BASE - TMIN));
    k += BASE;
  }
  return k + Math.floor(((BASE - TMIN + 1) * delta) / (delta + SKEW));
}

// digitOf is a basic code point's digit value, BASE for none.
function digitOf(c) {
  if (c >= 0x30 && c < 0x3a) return 26 + (c - 0x30);
  if (c >= 0x41 && c < 0x5b) return c - 0x41;
  if (c >= 0x61 && c < 0x7b) return c - 0x61;
  return BASE;
}

function digitChar(d) {
  // 0..25 are a..z, 26..35 are 0..9
  return String.fromCharCode(d < 26 ? d + 97 : d + 22);
}

function threshold(k, bias) {
  if (k <= bias) return TMIN;
  if (k >= bias + TMAX) return TMAX;
  return k - bias;
}

function decode(input) {
  input = String(input);
  const output = [];
  let basic = input.lastIndexOf("-");
  if (basic < 0) basic = 0;
  for (let j = 0; j < basic; j++) {
    const c = input.charCodeAt(j);
    if (c >= 0x80) fail("not-basic");
    output.push(c);
  }
  let n = INITIAL_N, bias = INITIAL_BIAS, i = 0;
  for (let at = basic > 0 ? basic + 1 : 0; at < input.length;) {
    const oldI = i;
    for (let w = 1, k = BASE; ; k += BASE) {
      if (at >= input.length) fail("invalid-input");
      const digit = digitOf(input.charCodeAt(at++));
      if (digit >= BASE) fail("invalid-input");
      if (digit > Math.floor((MAX_INT - i) / w)) fail("overflow");
      i += digit * w;
      const t = threshold(k, bias);
      if (digit < t) break;
      if (w > Math.floor(MAX_INT / (BASE - t))) fail("overflow");
      w *= BASE - t;
    }
    const size = output.length + 1;
    bias = adapt(i - oldI, size, oldI === 0);
    if (Math.floor(i / size) > MAX_INT - n) fail("overflow");
    n += Math.floor(i / size);
    i %= size;
    output.splice(i++, 0, n);
  }
  return String.fromCodePoint(...output);
}

function encode(input) {
  const points = ucs2Decode(String(input));
  let out = "";
  for (const c of points) if (c < 0x80) out += String.fromCharCode(c);
  const basic = out.length;
  let handled = basic;
  if (basic > 0) out += "-";
  let n = INITIAL_N, delta = 0, bias = INITIAL_BIAS;
  while (handled < points.length) {
    // the smallest code point not handled yet
    let m = MAX_INT;
    for (const c of points) if (c >= n && c < m) m = c;
    if (m - n > Math.floor((MAX_INT - delta) / (handled + 1))) fail("overflow");
    delta += (m - n) * (handled + 1);
    n = m;
    for (const c of points) {
      if (c < n && ++delta > MAX_INT) fail("overflow");
      if (c !== n) continue;
      let q = delta;
      for (let k = BASE; ; k += BASE) {
        const t = threshold(k, bias);
        if (q < t) break;
        out += digitChar(t + ((q - t) % (BASE - t)));
        q = Math.floor((q - t) / (BASE - t));
      }
      out += digitChar(q);
      bias = adapt(delta, handled + 1, handled === basic);
      delta = 0;
      handled++;
    }
    delta++;
    n++;
  }
  return out;
}

// mapDomain applies fn to each label of a domain (any IDNA full stop
// separates labels); of an e-mail address only the part after the first
// "@" is a domain (and, as in Node, anything after a second "@" is lost).
function mapDomain(domain, fn) {
  const parts = String(domain).split("@");
  let prefix = "";
  if (parts.length > 1) {
    prefix = parts[0] + "@";
    domain = parts[1];
  } else {
    domain = parts[0];
  }
  return prefix + domain.replace(/[\x2E\u3002\uFF0E\uFF61]/g, ".").split(".").map(fn).join(".");
}

function toASCII(domain) {
  return mapDomain(domain, (label) => (/[^\0-\x7F]/.test(label) ? "xn--" + encode(label) : label));
}

function toUnicode(domain) {
  return mapDomain(domain, (label) => (/^xn--/.test(label) ? decode(label.slice(4).toLowerCase()) : label));
}

module.exports = {
  version: "2.1.0",
  ucs2: { decode: ucs2Decode, encode: ucs2Encode },
  decode,
  encode,
  toASCII,
  toUnicode,
};
