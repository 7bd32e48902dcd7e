// node:buffer: Buffer's encodings, reads and writes, searches and errors.
import { Buffer, SlowBuffer, transcode, isUtf8, isAscii, kMaxLength, constants, INSPECT_MAX_BYTES, atob, btoa, Blob } from "node:buffer";
import bufferDefault from "node:buffer";
import * as util from "node:util";

const hex = (b) => Buffer.from(b).toString("hex");
const all = (f) => {
  const out = [];
  for (const x of f) {
    try {
      out.push(x());
    } catch (e) {
      out.push({ threw: e.name, code: e.code });
    }
  }
  return out;
};
const encs = ["utf8", "utf-8", "hex", "base64", "base64url", "latin1", "binary", "ascii", "utf16le", "ucs2", "ucs-2", "UTF8", "Hex"];
const sample = "héllo wörld €𝄞 \u0000\u007f\u0080\u00ff";

export const probes = {
  "buffer: exports": () => Object.keys(bufferDefault).sort(),
  "buffer: constants": () => ({ kMaxLength, constants, INSPECT_MAX_BYTES, poolSize: Buffer.poolSize }),
  "buffer: is a Uint8Array": () => {
    const b = Buffer.alloc(3);
    return [b instanceof Uint8Array, b instanceof Buffer, b.constructor.name, Buffer.name, Object.prototype.toString.call(b),
      Buffer.isBuffer(b), Buffer.isBuffer(new Uint8Array(2)), Buffer.isBuffer("x"), Object.getPrototypeOf(Buffer) === Uint8Array];
  },
  "buffer: from string, every encoding": () => encs.map((e) => [e, hex(Buffer.from(sample, e))]),
  "buffer: toString, every encoding": () => {
    const b = Buffer.from([0, 1, 0x7f, 0x80, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9d, 0x84, 0x9e, 0xff, 0xfe, 0x41]);
    return encs.map((e) => [e, b.toString(e)]);
  },
  "buffer: round trips": () => encs.map((e) => [e, Buffer.from(Buffer.from(sample, e).toString(e), e).toString("hex")]),
  "buffer: invalid utf8 replacement": () => [
    Buffer.from([0xff, 0xff]).toString(), Buffer.from([0xe2, 0x82]).toString(), Buffer.from([0xed, 0xa0, 0x80]).toString(),
    Buffer.from([0xf4, 0x90, 0x80, 0x80]).toString(), Buffer.from([0xc0, 0x80, 0x41]).toString(), Buffer.from([0xf0, 0x9f, 0x98]).toString("utf8"),
  ],
  "buffer: lone surrogates to utf8": () => [hex(Buffer.from("\ud800")), hex(Buffer.from("a\udc00b")), hex(Buffer.from("\ud83d\ude00")), Buffer.byteLength("\ud800"), Buffer.byteLength("\ud83d\ude00x")],
  "buffer: hex edge cases": () => ["abc", "zz12", "12zz34", "ABCDEF", "a", "", "0g"].map((s) => hex(Buffer.from(s, "hex"))),
  "buffer: base64 lenient": () => ["aGVsbG8=", "aGVsbG8", "aGVs bG8=", "aGVs\nbG8", "aGVsbG8==", "a-_b", "a+/b", "YQ==YQ==", "Y", "YQ", "YQ=", "!!!aGk", "aGk=x"].map((s) => [s, hex(Buffer.from(s, "base64")), hex(Buffer.from(s, "base64url"))]),
  "buffer: base64 output": () => [Buffer.from([0xfb, 0xff, 0xbf]).toString("base64"), Buffer.from([0xfb, 0xff, 0xbf]).toString("base64url"),
    Buffer.from("a").toString("base64"), Buffer.from("a").toString("base64url"), Buffer.from("ab").toString("base64")],
  "buffer: byteLength": () => [Buffer.byteLength("héllo"), Buffer.byteLength("héllo", "latin1"), Buffer.byteLength("abcd", "hex"), Buffer.byteLength("abc", "hex"),
    Buffer.byteLength("aGVsbG8=", "base64"), Buffer.byteLength("aGVsbG8", "base64"), Buffer.byteLength("aGk==", "base64url"), Buffer.byteLength("ab", "utf16le"),
    Buffer.byteLength(new Uint16Array(3)), Buffer.byteLength(new ArrayBuffer(7)), Buffer.byteLength(""), Buffer.byteLength("x", "bogus")],
  "buffer: byteLength bad arg": () => Buffer.byteLength(5),
  "buffer: from array-likes": () => [hex(Buffer.from([1, 256, -1, 1.7, "3", "x", null])), hex(Buffer.from(new Uint16Array([1, 256, 0x1234]))),
    hex(Buffer.from({ length: 2, 0: 5, 1: 6 })), hex(Buffer.from({ type: "Buffer", data: [7, 8] })), hex(Buffer.from(new Float32Array([1.5, -2]))),
    hex(Buffer.from(new String("ab"))), hex(Buffer.from(Buffer.from("xy"))), hex(Buffer.of(1, 2, 3))],
  "buffer: from a Uint8Array copies it": () => {
    const u = new Uint8Array([1, 2, 3, 4, 5]).subarray(1, 4), b = Buffer.from(u);
    u[0] = 9;
    const own = new Uint8Array([1, 2]);
    own.valueOf = () => "ab";
    return [hex(b), b.length, Buffer.isBuffer(b), b.buffer === u.buffer, hex(Buffer.from(own)), hex(Buffer.from(Buffer.from([7, 8]).subarray(1)))];
  },
  "buffer: from ArrayBuffer shares memory": () => {
    const ab = new ArrayBuffer(8);
    const b = Buffer.from(ab, 2, 4);
    new Uint8Array(ab)[3] = 9;
    return [b.length, b.byteOffset, b[1], Buffer.from(ab).length, Buffer.from(ab, 8).length, Buffer.from(ab, 1, 0).length];
  },
  "buffer: from ArrayBuffer out of bounds": () => all([() => Buffer.from(new ArrayBuffer(4), 5), () => Buffer.from(new ArrayBuffer(4), 1, 4)]),
  "buffer: from copies views": () => {
    const u = new Uint8Array([1, 2]);
    const b = Buffer.from(u);
    u[0] = 9;
    return hex(b);
  },
  "buffer: from bad args": () => all([() => Buffer.from(5), () => Buffer.from(null), () => Buffer.from(undefined), () => Buffer.from({}), () => Buffer.from(Symbol("s")), () => Buffer.from("x", "bogus")]),
  "buffer: alloc": () => [hex(Buffer.alloc(4)), hex(Buffer.alloc(5, "ab")), hex(Buffer.alloc(4, 257)), hex(Buffer.alloc(6, "aGk=", "base64")), hex(Buffer.alloc(3, Buffer.from([1, 2]))),
    hex(Buffer.alloc(3, "")), hex(Buffer.alloc(2, true)), Buffer.allocUnsafe(3).length, Buffer.allocUnsafeSlow(2).length, Buffer.alloc(0).length, hex(Buffer.alloc(5, "é")), hex(Buffer.alloc(4, "€", "utf16le"))],
  "buffer: alloc bad sizes": () => all([() => Buffer.alloc(-1), () => Buffer.alloc("5"), () => Buffer.alloc(NaN), () => Buffer.alloc(2 ** 33), () => Buffer.allocUnsafe(-1), () => Buffer.alloc(2, "zz", "hex"), () => Buffer.alloc(2, "x", "bogus")]),
  "buffer: concat": () => [hex(Buffer.concat([Buffer.from("ab"), new Uint8Array([1]), Buffer.alloc(0)])), hex(Buffer.concat([Buffer.from("abc"), Buffer.from("de")], 4)),
    hex(Buffer.concat([Buffer.from("a")], 3)), Buffer.concat([]).length, Buffer.concat([Buffer.from("ab")], 0).length],
  "buffer: concat bad args": () => all([() => Buffer.concat("x"), () => Buffer.concat([Buffer.from("a"), "b"]), () => Buffer.concat([[1]]), () => Buffer.concat([Buffer.from("a")], -1)]),
  "buffer: compare and equals": () => {
    const a = Buffer.from("abc"), b = Buffer.from("abd"), c = Buffer.from("ab");
    return [Buffer.compare(a, b), Buffer.compare(b, a), Buffer.compare(a, a), Buffer.compare(c, a), a.equals(Buffer.from("abc")), a.equals(b), a.equals(new Uint8Array([97, 98, 99])),
      a.compare(b), a.compare(b, 0, 2, 0, 2), a.compare(b, 2), a.compare(b, 0, 0), a.compare(b, 1, 3, 1, 1), [b, a, c].sort(Buffer.compare).map(String)];
  },
  "buffer: compare bad args": () => all([() => Buffer.compare("a", Buffer.alloc(1)), () => Buffer.alloc(1).equals("a"), () => Buffer.alloc(1).compare(Buffer.alloc(1), 0, 5), () => Buffer.alloc(1).compare(Buffer.alloc(1), -1)]),
  "buffer: indexOf": () => {
    const b = Buffer.from("this is a buffer buffer");
    return [b.indexOf("is"), b.indexOf("is", 3), b.indexOf("buffer", -6), b.indexOf(Buffer.from("a b")), b.indexOf(97), b.indexOf(97 + 256), b.indexOf("zz"), b.indexOf(""), b.indexOf("", 100),
      b.indexOf("", -3), b.indexOf("is", 100), b.indexOf("is", -100), b.indexOf("6275", "hex"), b.indexOf("6275", 0, "hex"), b.indexOf("is", "latin1"), b.indexOf(new Uint8Array([115, 32])), b.indexOf("s", 3.7)];
  },
  "buffer: lastIndexOf": () => {
    const b = Buffer.from("this is a buffer buffer");
    return [b.lastIndexOf("buffer"), b.lastIndexOf("buffer", 16), b.lastIndexOf("buffer", -8), b.lastIndexOf("is", 1), b.lastIndexOf("is", -100), b.lastIndexOf(""), b.lastIndexOf("", 4),
      b.lastIndexOf(115), b.lastIndexOf("r", 1000), b.lastIndexOf("zz"), b.lastIndexOf("t", 0)];
  },
  "buffer: includes": () => {
    const b = Buffer.from("hello");
    return [b.includes("ell"), b.includes("ell", 2), b.includes(104), b.includes(Buffer.from("lo")), b.includes("x")];
  },
  "buffer: indexOf bad args": () => all([() => Buffer.from("a").indexOf({}), () => Buffer.from("a").indexOf("a", 0, "bogus")]),
  "buffer: fill": () => {
    const out = [];
    out.push(hex(Buffer.alloc(5).fill("abc")));
    out.push(hex(Buffer.alloc(5).fill("abc", 1)));
    out.push(hex(Buffer.alloc(5).fill("abc", 1, 3)));
    out.push(hex(Buffer.alloc(5).fill(0x101)));
    out.push(hex(Buffer.alloc(5).fill("6162", "hex")));
    out.push(hex(Buffer.alloc(5).fill("6162", 1, "hex")));
    out.push(hex(Buffer.alloc(5).fill(Buffer.from([1, 2]), 1)));
    out.push(hex(Buffer.alloc(5).fill("€")));
    out.push(hex(Buffer.alloc(4).fill(-1)));
    out.push(hex(Buffer.alloc(4).fill("x", 2, 2)));
    out.push(Buffer.alloc(3).fill(1) instanceof Buffer);
    return out;
  },
  "buffer: fill bad args": () => all([() => Buffer.alloc(4).fill("a", -1), () => Buffer.alloc(4).fill("a", 0, 5), () => Buffer.alloc(4).fill("zz", "hex"), () => Buffer.alloc(4).fill("a", "1"), () => Buffer.alloc(4).fill("a", 0, 4, "bogus")]),
  "buffer: write": () => {
    const out = [];
    const b = Buffer.alloc(8);
    out.push(b.write("héllo"), hex(b));
    out.push(b.write("ab", 6), hex(b));
    out.push(b.write("abcdef", 6), hex(b));
    out.push(b.write("€", 6), hex(b));
    out.push(b.write("ffee", 1, "hex"), hex(b));
    out.push(b.write("ffee", 0, 1, "hex"), hex(b));
    out.push(b.write("aGk=", "base64"), hex(b));
    out.push(b.write("abc", 5, "utf16le"), hex(b));
    out.push(b.write("xyz", 0, 2, "latin1"), hex(b));
    out.push(Buffer.alloc(3).write("a€"), Buffer.alloc(4).write("a€b"), Buffer.alloc(3).write("ab", 3));
    return out;
  },
  "buffer: write bad args": () => all([() => Buffer.alloc(2).write(5), () => Buffer.alloc(2).write("a", 3), () => Buffer.alloc(2).write("a", -1), () => Buffer.alloc(2).write("a", 0, 1, "bogus"), () => Buffer.alloc(2).write("a", 0.5)]),
  "buffer: toString ranges": () => {
    const b = Buffer.from("hello world");
    return [b.toString("utf8", 6), b.toString("utf8", 0, 5), b.toString(undefined, 2, 4), b.toString("utf8", -3, 2), b.toString("utf8", 4, 2), b.toString("hex", 0, 100),
      b.toString("utf8", 20), b.toString("utf8", 1.7, 3.2), b.toString("utf8", "1", "3"), b.toString("latin1", NaN, 3), Buffer.from([0xc3, 0xa9]).toString("utf8", 1)];
  },
  "buffer: toString bad encoding": () => Buffer.from("a").toString("bogus"),
  "buffer: toString bounds and encodings": () => {
    const b = Buffer.from("hello");
    return all([() => b.toString("bogus", 5), () => b.toString("bogus", 2, 2), () => b.toString("UTF-8", 1), () => b.toString("utf8", -Infinity, Infinity),
      () => b.toString("utf8", Infinity), () => b.toString("utf8", 1, -Infinity), () => b.toString("utf8", null, null), () => b.toString("utf8", 0, null),
      () => b.toString(null), () => b.toString(undefined, undefined, 3), () => b.toString("bogus", 0, 1)]);
  },
  "buffer: read offsets at the edges": () => {
    const b = Buffer.from([1, 2, 3, 4, 5]);
    return all([() => b.readInt32BE(-0), () => b.readInt32BE(1), () => b.readInt32BE(2), () => b.readInt32BE(NaN), () => b.readInt16LE(3.5), () => b.readUInt16BE(Infinity),
      () => b.readUInt8(4), () => b.readUInt8(5), () => b.readUInt8(-0.5), () => Buffer.alloc(0).readUInt8(), () => b.subarray(1).readInt32BE(0), () => b.subarray(1).readInt32BE(1)]);
  },
  "buffer: slice and subarray share memory": () => {
    const b = Buffer.from("abcdef");
    const s = b.slice(1, 3), u = b.subarray(2), n = b.slice(-2), m = b.slice(4, 2), o = b.subarray(-3, -1);
    b[2] = 0x5a;
    return [s.toString(), u.toString(), n.toString(), m.length, o.toString(), s instanceof Buffer, u instanceof Buffer, u.constructor.name, b.slice().length, b.slice(1.5, 3.5).toString(), b.slice("1", "3").toString()];
  },
  "buffer: copy": () => {
    const src = Buffer.from("abcdef"), dst = Buffer.alloc(4);
    const out = [src.copy(dst), hex(dst)];
    out.push(src.copy(dst, 1, 4), hex(dst));
    out.push(src.copy(dst, 2, 1, 2), hex(dst));
    out.push(src.copy(dst, 10), src.copy(dst, 0, 3, 3));
    out.push(src.copy(src, 2, 0, 3), src.toString());
    const u = new Uint8Array(3);
    out.push(Buffer.from("xyz").copy(u, 1), hex(u));
    return out;
  },
  "buffer: copy bad args": () => all([() => Buffer.from("a").copy("x"), () => Buffer.from("a").copy(Buffer.alloc(1), -1), () => Buffer.from("a").copy(Buffer.alloc(1), 0, 5), () => Buffer.from("a").copy(Buffer.alloc(1), 0, 0, -1)]),
  "buffer: read ints": () => {
    const b = Buffer.from([0x01, 0x82, 0xff, 0x7f, 0x80, 0x00, 0xfe, 0xff, 0x12]);
    return [b.readUInt8(0), b.readUInt8(1), b.readInt8(1), b.readInt8(3), b.readUInt16LE(1), b.readUInt16BE(1), b.readInt16LE(1), b.readInt16BE(1),
      b.readUInt32LE(0), b.readUInt32BE(0), b.readInt32LE(0), b.readInt32BE(1), b.readInt32LE(5), b.readUint32BE(2), b.readUint16LE(), b.readUint8(8),
      b.readUIntLE(0, 3), b.readUIntBE(0, 3), b.readIntLE(1, 3), b.readIntBE(1, 3), b.readUIntBE(0, 6), b.readIntLE(3, 6), b.readIntBE(0, 1), b.readUIntLE(2, 5)];
  },
  "buffer: read bad offsets": () => {
    const b = Buffer.alloc(4);
    return all([() => b.readUInt8(4), () => b.readUInt16LE(3), () => b.readInt32BE(1), () => b.readUInt8(-1), () => b.readUInt8(1.5), () => b.readUInt8("1"), () => b.readDoubleLE(0),
      () => Buffer.alloc(0).readUInt8(), () => b.readUIntLE(0, 7), () => b.readUIntLE(0), () => b.readUIntLE(), () => b.readIntBE(1, 4), () => b.readBigInt64LE()]);
  },
  "buffer: write ints": () => {
    const b = Buffer.alloc(12);
    const out = [];
    out.push(b.writeUInt8(255, 0), b.writeInt8(-2, 1), b.writeUInt16LE(0x1234, 2), b.writeUInt16BE(0x1234, 4), b.writeInt16LE(-2, 6), b.writeInt32BE(-123456789, 8), hex(b));
    out.push(b.writeUInt32LE(0xdeadbeef, 0), b.writeUInt32BE(0xdeadbeef, 4), b.writeInt32LE(-1, 8), hex(b));
    out.push(b.writeUIntLE(0x123456, 0, 3), b.writeUIntBE(0x123456789a, 3, 5), b.writeIntLE(-2, 8, 2), b.writeIntBE(-0x800000000000, 6, 6), hex(b));
    out.push(b.writeUint16BE(1), b.writeUint32LE(2, 4), b.writeUint8(3, 11), hex(b));
    out.push(b.writeUInt8(1.9, 0), b.writeInt16BE(NaN, 1), hex(b));
    return out;
  },
  "buffer: write bad values": () => {
    const b = Buffer.alloc(8);
    return all([() => b.writeUInt8(256), () => b.writeInt8(-129), () => b.writeUInt16LE(-1), () => b.writeInt32BE(2 ** 31), () => b.writeUInt32LE(2 ** 32), () => b.writeUInt8(1, 8),
      () => b.writeUInt16BE(1, 7), () => b.writeUIntLE(2 ** 40, 0, 5), () => b.writeIntBE(1, 0, 0), () => b.writeUInt8(1, "0"), () => b.writeBigInt64LE(1), () => b.writeBigUInt64BE(-1n), () => b.writeBigInt64BE(2n ** 63n), () => b.writeDoubleLE(1, 1)]);
  },
  "buffer: floats and doubles": () => {
    const b = Buffer.alloc(8);
    const out = [b.writeFloatLE(1.5, 0), b.writeFloatBE(-0.1, 4), hex(b), b.readFloatLE(0), b.readFloatBE(4)];
    out.push(b.writeDoubleLE(Math.PI), hex(b), b.readDoubleLE(), b.writeDoubleBE(-1e300), hex(b), b.readDoubleBE(0), b.writeFloatLE(NaN), b.readFloatLE(), b.writeDoubleBE(Infinity), b.readDoubleBE());
    return out;
  },
  "buffer: bigints": () => {
    const b = Buffer.alloc(16);
    return [b.writeBigInt64LE(-2n), b.writeBigUInt64BE(2n ** 64n - 3n, 8), hex(b), b.readBigInt64LE(), b.readBigUInt64LE(), b.readBigUInt64BE(8), b.readBigInt64BE(8), b.readBigUint64LE(8), b.writeBigUint64LE(5n)];
  },
  "buffer: swap": () => {
    const b = Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]);
    return [hex(Buffer.from(b).swap16()), hex(Buffer.from(b).swap32()), hex(Buffer.from(b).swap64()), ...all([() => Buffer.alloc(3).swap16(), () => Buffer.alloc(6).swap32(), () => Buffer.alloc(4).swap64()])];
  },
  "buffer: toJSON": () => [Buffer.from([1, 2, 250]).toJSON(), JSON.stringify(Buffer.from("hi")), JSON.stringify({ b: Buffer.alloc(0) })],
  "buffer: inspect": () => [util.inspect(Buffer.from("hi")), util.inspect(Buffer.alloc(0)), util.inspect(Buffer.alloc(51)), util.inspect(Buffer.alloc(52, 1))],
  "buffer: iteration and typed array methods": () => {
    const b = Buffer.from("abc");
    return [[...b], [...b.keys()], [...b.entries()].length, b.map((x) => x + 1).toString(), b.map((x) => x + 1) instanceof Buffer, b.filter((x) => x > 97).toString(), b.reverse().toString(), Array.from(b.values()), b.at(-1)];
  },
  "buffer: transcode": () => [hex(transcode(Buffer.from("héllo€"), "utf8", "latin1")), hex(transcode(Buffer.from("hé"), "utf8", "ucs2")), hex(transcode(Buffer.from("hé", "utf16le"), "utf16le", "utf8")),
    hex(transcode(Buffer.from("hé"), "utf8", "ascii")), ...all([() => transcode(Buffer.from("a"), "utf8", "hex"), () => transcode("a", "utf8", "latin1")])],
  "buffer: isUtf8 and isAscii": () => [isUtf8(Buffer.from("héllo")), isUtf8(Buffer.from([0xff])), isUtf8(new ArrayBuffer(2)), isAscii(Buffer.from("abc")), isAscii(Buffer.from("é")), ...all([() => isUtf8("x"), () => isAscii(1)])],
  "buffer: atob and btoa": () => [atob("aGk="), btoa("hi"), ...all([() => atob("*"), () => btoa("€")])],
  "buffer: SlowBuffer": () => [SlowBuffer(3).length, SlowBuffer(2) instanceof Buffer],
  "buffer: Blob": () => new Blob(["ab", Buffer.from("cd")]).text(),
  "buffer: Buffer() call form": () => [hex(Buffer("ab")), Buffer(3).length, hex(new Buffer([1, 2])), hex(Buffer("6162", "hex"))],
  "buffer: copyBytesFrom": () => [hex(Buffer.copyBytesFrom(new Uint16Array([1, 2, 3]), 1)), hex(Buffer.copyBytesFrom(new Uint8Array([1, 2, 3]), 1, 1)), ...all([() => Buffer.copyBytesFrom([1])])],
  "buffer: isEncoding": () => [...encs, "", "bogus", undefined, 1, "BASE64", "Latin1"].map((e) => Buffer.isEncoding(e)),
  "buffer: parent and offset": () => {
    const ab = new ArrayBuffer(4);
    const b = Buffer.from(ab, 1);
    return [b.parent === ab, b.offset];
  },
  "buffer: large round trip": () => {
    const s = "aé€𝄞".repeat(50000);
    const b = Buffer.from(s);
    return [b.length, b.toString() === s, Buffer.from(b.toString("base64"), "base64").equals(b), Buffer.from(b.toString("hex"), "hex").equals(b), Buffer.byteLength(s)];
  },
  "buffer: pg style protocol": () => {
    const b = Buffer.allocUnsafe(9);
    b[0] = 0x51;
    b.writeInt32BE(8, 1);
    b.write("abcd", 5, "utf8");
    const parts = [b.readInt32BE(1), b.toString("utf8", 5, 9), Buffer.concat([b, Buffer.from([0])]).length];
    const nonce = Buffer.from("r=abc,s=" + Buffer.from("salt").toString("base64") + ",i=4096").toString("base64");
    parts.push(nonce, Buffer.from(nonce, "base64").toString());
    return parts;
  },
  "buffer: global Buffer": () => [typeof globalThis.Buffer, globalThis.Buffer === Buffer, Object.keys(globalThis).includes("Buffer"), typeof global],
};
