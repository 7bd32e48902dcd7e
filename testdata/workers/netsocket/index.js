// node:net's Socket as a stream, through real HTTP requests
// (runtime/net_socket_test.go passes the echo server's address as ECHO):
// the idioms Node code uses over a socket, compiled by esbuild as a
// project's own code is.
import net from "node:net";
import { pipeline } from "node:stream/promises";
import { Readable, Writable } from "node:stream";

function dial(env, options = {}) {
  const [host, port] = env.ECHO.split(":");
  return net.connect({ host, port: Number(port), ...options });
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    switch (url.pathname) {
      case "/iterate": {
        // for await over the socket: every chunk the server echoes, to its end.
        const body = await request.text();
        const socket = dial(env);
        socket.end(body);
        const chunks = [];
        for await (const chunk of socket) chunks.push(chunk);
        return Response.json({ length: Buffer.concat(chunks).length, chunks: chunks.length > 0, destroyed: socket.destroyed });
      }
      case "/pipeline": {
        // The request body through the socket and back, with an async
        // generator stage after it.
        const socket = dial(env);
        let out = "";
        await pipeline(
          Readable.from([await request.text()]),
          socket,
          async function* (source) { for await (const chunk of source) yield chunk.toString().toUpperCase(); },
          new Writable({ write(chunk, _enc, cb) { out += chunk; cb(); } }),
        );
        return new Response(out);
      }
      case "/pipe-response": {
        // A socket read as a web stream: the response body.
        const socket = dial(env);
        socket.end(await request.text());
        return new Response(Readable.toWeb(socket));
      }
    }
    return new Response("not found", { status: 404 });
  },
};
