// FormData (its multipart encoding and parsing are Body's: body.js).
// Natives: formdata.go.

class FormData {
  constructor() { this._entries = []; }
  append(name, value, filename) { this._entries.push([String(name), formValue(value, filename)]); }
  set(name, value, filename) {
    name = String(name);
    const v = formValue(value, filename);
    const i = this._entries.findIndex((e) => e[0] === name);
    this._entries = this._entries.filter((e, j) => e[0] !== name || j === i);
    if (i >= 0) this._entries[this._entries.findIndex((e) => e[0] === name)][1] = v; else this._entries.push([name, v]);
  }
  get(name) { const e = this._entries.find((e) => e[0] === String(name)); return e ? e[1] : null; }
  getAll(name) { return this._entries.filter((e) => e[0] === String(name)).map((e) => e[1]); }
  has(name) { return this._entries.some((e) => e[0] === String(name)); }
  delete(name) { this._entries = this._entries.filter((e) => e[0] !== String(name)); }
  forEach(cb, thisArg) { for (const [k, v] of this._entries) cb.call(thisArg, v, k, this); }
  *entries() { yield* this._entries.map((e) => [e[0], e[1]]); }
  *keys() { for (const e of this._entries) yield e[0]; }
  *values() { for (const e of this._entries) yield e[1]; }
  [Symbol.iterator]() { return this.entries(); }
}
tag(FormData, "FormData");
function formValue(value, filename) {
  if (value instanceof Blob) {
    if (value instanceof File && filename === undefined) return value;
    return new File([value], filename !== undefined ? filename : "blob", { type: value.type });
  }
  return String(value);
}
define("FormData", FormData);
