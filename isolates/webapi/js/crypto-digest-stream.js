// crypto.DigestStream (workerd's): a WritableStream that hashes what is
// written to it; its digest promise resolves with the hash (an ArrayBuffer)
// when the stream closes and rejects when it is aborted. Chunks are
// BufferSources or strings (as UTF-8); bytesWritten is a BigInt, as
// workerd's. Natives: crypto_digest_stream.go.

const kDigest = Symbol("digest");
class DigestStream extends WritableStream {
  constructor(algorithm) {
    const alg = normalizeAlgorithm(algorithm, "digest");
    const [update, finish] = native.digestStream(alg.name);
    let resolve, reject;
    const digest = new Promise((a, b) => { resolve = a; reject = b; });
    const state = { digest, written: 0 };
    super({
      write(chunk) {
        let bytes;
        if (typeof chunk === "string") bytes = native.utf8Encode(chunk);
        else if (chunk instanceof ArrayBuffer || ArrayBuffer.isView(chunk)) bytes = toBytes(chunk, "DigestStream");
        else throw new TypeError("DigestStream: a chunk must be an ArrayBuffer, an ArrayBufferView or a string");
        update(bytes);
        state.written += bytes.length;
      },
      close() { resolve(finish().buffer); },
      abort(reason) { reject(reason); },
    });
    defineSlot(this, kDigest, { value: state });
  }
  get digest() { return digestState(this).digest; }
  get bytesWritten() { return BigInt(digestState(this).written); }
}
function digestState(s) {
  const st = s && s[kDigest];
  if (!st) throw new TypeError("Illegal invocation");
  return st;
}
tag(DigestStream, "DigestStream");
Object.defineProperty(Crypto.prototype, "DigestStream", { value: DigestStream, writable: true, configurable: true, enumerable: false });
