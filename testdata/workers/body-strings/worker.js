// Body streams that yield strings. workerd (checked by hand: workerd serve
// with this script) sends a served one as UTF-8, but reading one with
// text()/arrayBuffer()/… fails with a TypeError.
const decoded = () => new Response("hello").body.pipeThrough(new TextDecoderStream());
export default {
  async fetch(req) {
    const { pathname } = new URL(req.url);
    if (pathname === "/plain")
      return new Response(new ReadableStream({ start(c) { c.enqueue("hello "); c.enqueue("wörld"); c.close(); } }));
    if (pathname === "/mixed")
      return new Response(new ReadableStream({ start(c) { c.enqueue(new Uint8Array([97])); c.enqueue("b"); c.close(); } }));
    if (pathname === "/text") {
      try {
        return new Response(await new Response(decoded()).text());
      } catch (e) {
        return new Response(`${e.name}: ${e.message}`, { status: 500 });
      }
    }
    return new Response(decoded());
  },
};
