// Runs a probes object and returns every answer as JSON-ready values, the
// same way under Node and under edgerun.
export async function run(probes) {
  const out = {};
  for (const name of Object.keys(probes)) {
    try {
      out[name] = { value: normalize(await probes[name]()) };
    } catch (e) {
      out[name] = { throws: { name: e && e.name, code: e && e.code !== undefined ? String(e.code) : undefined } };
    }
  }
  return out;
}

function normalize(v, depth = 0) {
  if (depth > 8) return "<deep>";
  if (v === undefined) return "<undefined>";
  if (v === null || typeof v === "boolean" || typeof v === "string") return v;
  if (typeof v === "number") return Number.isFinite(v) ? v : "<number " + String(v) + ">";
  if (typeof v === "bigint") return "<bigint " + v.toString() + ">";
  if (typeof v === "function") return "<function " + (v.name || "") + ">";
  if (typeof v === "symbol") return "<symbol " + (v.description || "") + ">";
  if (v instanceof Error) return { error: { name: v.name, code: v.code !== undefined ? String(v.code) : undefined } };
  if (v instanceof ArrayBuffer) v = new Uint8Array(v);
  if (ArrayBuffer.isView(v)) {
    const b = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    let hex = "";
    for (const x of b) hex += (x < 16 ? "0" : "") + x.toString(16);
    return { bytes: hex, type: v.constructor && v.constructor.name };
  }
  if (Array.isArray(v)) return v.map((x) => normalize(x, depth + 1));
  if (v instanceof Map) return { map: [...v.entries()].map(([k, x]) => [normalize(k, depth + 1), normalize(x, depth + 1)]) };
  if (v instanceof Set) return { set: [...v].map((x) => normalize(x, depth + 1)) };
  const o = {};
  for (const k of Object.keys(v).sort()) o[k] = normalize(v[k], depth + 1);
  return o;
}
