// TextEncoderStream and TextDecoderStream (Encoding API over Streams).

class TextEncoderStream extends TransformStream {
  constructor() {
    const encoder = new TextEncoder();
    let high = ""; // a high surrogate ending the last chunk waits for its pair
    super({
      transform(chunk, c) {
        let text = high + String(chunk);
        high = "";
        const last = text.charCodeAt(text.length - 1);
        if (last >= 0xd800 && last <= 0xdbff) {
          high = text[text.length - 1];
          text = text.slice(0, -1);
        }
        const b = encoder.encode(text);
        if (b.length) c.enqueue(b);
      },
      flush(c) { if (high) c.enqueue(encoder.encode("\ufffd")); },
    });
  }
  get encoding() { return "utf-8"; }
}
class TextDecoderStream extends TransformStream {
  constructor(label = "utf-8", options = {}) {
    const decoder = new TextDecoder(label, options);
    super({
      transform(chunk, c) { const s = decoder.decode(chunk, { stream: true }); if (s) c.enqueue(s); },
      flush(c) { const s = decoder.decode(); if (s) c.enqueue(s); },
    });
    this._decoder = decoder;
  }
  get encoding() { return this._decoder.encoding; }
  get fatal() { return this._decoder.fatal; }
  get ignoreBOM() { return this._decoder.ignoreBOM; }
}
define("TextEncoderStream", TextEncoderStream);
define("TextDecoderStream", TextDecoderStream);
