// node:string_decoder: characters split across writes.
import { StringDecoder } from "node:string_decoder";
import { Buffer } from "node:buffer";

const feed = (enc, chunks, endChunk) => {
  const d = new StringDecoder(enc);
  const out = chunks.map((c) => d.write(Buffer.from(c)));
  out.push(endChunk === undefined ? d.end() : d.end(Buffer.from(endChunk)));
  return out;
};
const euro = [0xe2, 0x82, 0xac], clef = [0xf0, 0x9d, 0x84, 0x9e];

export const probes = {
  "string_decoder: encodings": () => [undefined, "utf8", "UTF-8", "ucs2", "utf16le", "latin1", "binary", "base64", "base64url", "hex", "ascii"].map((e) => new StringDecoder(e).encoding),
  "string_decoder: unknown encoding": () => new StringDecoder("bogus"),
  "string_decoder: utf8 split": () => [feed("utf8", [[0x61, euro[0]], [euro[1]], [euro[2], 0x62]]), feed("utf8", [clef.slice(0, 1), clef.slice(1, 3), clef.slice(3)]), feed("utf8", [[0x61, 0xe2, 0x82]])],
  "string_decoder: utf8 invalid": () => [feed("utf8", [[0xff, 0x61]]), feed("utf8", [[0xe2, 0x41]]), feed("utf8", [[0xc3]], [0xa9]), feed("utf8", [[0x80, 0x80]])],
  "string_decoder: utf8 lastNeed": () => {
    const d = new StringDecoder("utf8");
    d.write(Buffer.from([0xe2]));
    return [d.lastNeed, d.lastTotal];
  },
  "string_decoder: utf16le split": () => [feed("utf16le", [[0x61], [0x00, 0x62], [0x00]]), feed("utf16le", [[0x3d, 0xd8], [0x00, 0xde]]), feed("utf16le", [[0x3d, 0xd8]]), feed("utf16le", [[0x61, 0x00, 0x62]])],
  "string_decoder: base64 split": () => [feed("base64", [[0x61], [0x62], [0x63, 0x64]]), feed("base64", [[0x61, 0x62]]), feed("base64url", [[0xfb], [0xff]])],
  "string_decoder: hex and latin1": () => [feed("hex", [[0x01, 0xab], [0xff]]), feed("latin1", [[0xe9, 0x41]]), feed("ascii", [[0x41, 0xc3]])],
  "string_decoder: strings and views": () => {
    const d = new StringDecoder();
    return [d.write("abc"), d.write(new Uint8Array([0x68, 0x69])), d.write(new DataView(new Uint8Array([0x21]).buffer)), d.write(Buffer.alloc(0)), d.end()];
  },
  "string_decoder: bad write": () => new StringDecoder().write(5),
  "string_decoder: end resets": () => {
    const d = new StringDecoder("utf8");
    return [d.write(Buffer.from([0xe2, 0x82])), d.end(), d.write(Buffer.from("x")), d.end()];
  },
};
