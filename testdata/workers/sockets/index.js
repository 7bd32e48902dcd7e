// cloudflare:sockets through real HTTP requests (runtime/sockets_test.go
// passes the servers' addresses as vars).
import { connect } from "cloudflare:sockets";

const enc = new TextEncoder(), dec = new TextDecoder();

async function readText(reader, want) {
  let s = "";
  while (s.length < want) {
    const { value, done } = await reader.read();
    if (done) break;
    s += dec.decode(value);
  }
  return s;
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const msg = url.searchParams.get("msg") || "ping";
    switch (url.pathname) {
      case "/echo": {
        const socket = connect(env.ECHO);
        const info = await socket.opened;
        const writer = socket.writable.getWriter();
        await writer.write(enc.encode(msg));
        const got = await readText(socket.readable.getReader(), msg.length);
        await socket.close();
        return Response.json({ got, info });
      }
      case "/leak": {
        // Left open: the request's end closes it.
        const socket = connect(env.ECHO);
        await socket.writable.getWriter().write(enc.encode(msg));
        return new Response(await readText(socket.readable.getReader(), msg.length));
      }
      case "/pipe": {
        // The socket's readable is the response body (Workers' gopher example).
        const socket = connect({ hostname: env.ECHO.split(":")[0], port: Number(env.ECHO.split(":")[1]) });
        const writer = socket.writable.getWriter();
        await writer.write(new Uint8Array(await request.arrayBuffer()));
        await writer.close();
        return new Response(socket.readable, { headers: { "content-type": "text/plain" } });
      }
      case "/refused": {
        const socket = connect(env.REFUSED);
        try {
          await socket.opened;
          return new Response("opened?", { status: 500 });
        } catch (e) {
          return new Response(`${e.name}: ${e.message}`);
        }
      }
    }
    return new Response("not found", { status: 404 });
  },
};
