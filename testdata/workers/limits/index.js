// Routes that misbehave on purpose, next to a well-behaved one.
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const keep = []; // module state: /leak grows it across requests

function recurse(n) {
  return recurse(n + 1) + 1;
}

export default {
  async fetch(request) {
    const url = new URL(request.url);
    const id = url.searchParams.get("id");
    switch (url.pathname) {
      case "/":
        return new Response(`ok ${id}`);
      case "/spin": // never yields: only the CPU limit stops it
        while (true) {}
      case "/wait": // in flight at an await point for a while
        await sleep(Number(url.searchParams.get("ms") || 2000));
        return new Response(`waited ${id}`);
      case "/recurse":
        return new Response(String(recurse(0)));
      case "/recurse-caught":
        try {
          recurse(0);
        } catch (e) {
          return new Response(`caught ${e}`);
        }
        return new Response("unreachable");
      case "/bomb": {
        const a = [];
        while (true) a.push(new Array(1e5).fill(1));
      }
      case "/leak":
        keep.push(new Array(1e5).fill(1));
        return new Response(`kept ${keep.length}`);
      case "/echo": {
        const body = await request.text();
        return new Response(`${body.length}:${body.slice(0, 16)}`);
      }
      case "/finally": {
        // An interrupt skips finally (see DESIGN.md): the flag stays set in
        // this isolate, which is why an interrupted isolate is never reused.
        globalThis.inside = true;
        try {
          while (true) {}
        } finally {
          globalThis.inside = false;
        }
      }
      case "/inside":
        return new Response(String(globalThis.inside === true));
    }
    return new Response("not found", { status: 404 });
  },
};
