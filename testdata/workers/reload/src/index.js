import { VERSION } from "./version.js";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/wait") {
      await sleep(Number(url.searchParams.get("ms")));
      return new Response(`${VERSION} waited`);
    }
    return new Response(VERSION);
  },
};
