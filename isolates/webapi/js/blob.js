// Blob and File.

class Blob {
  constructor(parts = [], options = {}) {
    const chunks = [];
    for (const p of parts) {
      if (p instanceof Blob) chunks.push(p[kBytes]);
      else if (p instanceof ArrayBuffer || ArrayBuffer.isView(p)) chunks.push(new Uint8Array(toBytes(p, "Blob")));
      else chunks.push(native.utf8Encode(String(p)));
    }
    this[kBytes] = concatBytes(chunks);
    this._type = options.type ? String(options.type).toLowerCase() : "";
  }
  get size() { return this[kBytes].length; }
  get type() { return this._type; }
  async text() { return native.utf8Decode(this[kBytes], false, false); }
  async arrayBuffer() { return this[kBytes].slice().buffer; }
  async bytes() { return this[kBytes].slice(); }
  slice(start = 0, end = this.size, type = "") {
    const b = new Blob([], { type });
    b[kBytes] = this[kBytes].slice(start, end);
    return b;
  }
  stream() { return bytesStream(this[kBytes]); }
}
tag(Blob, "Blob");
class File extends Blob {
  constructor(parts, name, options = {}) {
    super(parts, options);
    this._name = String(name);
    this.lastModified = options.lastModified || Date.now();
  }
  get name() { return this._name; }
}
tag(File, "File");
define("Blob", Blob);
define("File", File);
