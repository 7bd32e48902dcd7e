// What Node's coded errors share across the node modules: describe, the
// " Received …" tail of ERR_INVALID_ARG_TYPE and its kin, as Node words it.
"use strict";

function describe(v) {
  if (v == null) return " Received " + v;
  if (typeof v === "function") return " Received function " + (v.name || "<anonymous>");
  if (typeof v === "object") {
    if (v.constructor && v.constructor.name) return " Received an instance of " + v.constructor.name;
    return " Received " + internal.inspect(v);
  }
  let s = typeof v === "string" ? "'" + v + "'" : typeof v === "bigint" ? v + "n" : String(v);
  if (s.length > 28) s = s.slice(0, 25) + "...";
  return " Received type " + typeof v + " (" + s + ")";
}

module.exports = { describe };
