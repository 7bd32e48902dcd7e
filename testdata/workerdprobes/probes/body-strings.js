// A body stream that yields strings (not bytes): Workers' bodies are byte
// streams, so reading one fails with a TypeError.
const strings = () => new ReadableStream({ start(c) { c.enqueue("hello "); c.enqueue("world"); c.close(); } });
const decoded = () => new Response("hello world").body.pipeThrough(new TextDecoderStream());
export const probes = {
  "body-strings: text": () => new Response(strings()).text(),
  "body-strings: arrayBuffer": () => new Response(strings()).arrayBuffer(),
  "body-strings: json": () => new Response(new ReadableStream({ start(c) { c.enqueue("{}"); c.close(); } })).json(),
  "body-strings: through TextDecoderStream": () => new Response(decoded()).text(),
  "body-strings: request text": () => new Request("http://x/", { method: "POST", body: strings() }).text(),
  "body-strings: reading the stream itself": async () => { const r = new Response(strings()).body.getReader(); return (await r.read()).value; },
  "body-strings: blob": () => new Response(strings()).blob(),
  "body-strings: bytes are fine": () => new Response(new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("ok")); c.close(); } })).text(),
  "body-strings: mixed": () => new Response(new ReadableStream({ start(c) { c.enqueue(new Uint8Array([65])); c.enqueue("B"); c.close(); } })).text(),
};
