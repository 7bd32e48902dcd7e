// An HTMLRewriter app. /page?blocks=N makes a large page itself, in
// odd-sized chunks cut anywhere (inside tags, comments, text), holding the
// rest back after the first chunks until /release; /rewrite?origin=URL
// fetches one. Both are streamed back rewritten: links moved to a CDN,
// items marked, comments dropped, paragraph text upper-cased, an async
// title handler, a note at the end. /generated tells how much of the page
// has been made so far (the test runs one isolate).
const enc = new TextEncoder();
let release, released, isReleased;
const gate = () => { isReleased = false; released = new Promise((r) => (release = r)); };
const stats = { generated: 0 };

const head = "<!DOCTYPE html>\n<html><head><title>Origin</title></head><body>\n";
// Each block has a few things to rewrite and a long run of plain text no
// handler looks at.
const filler = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(10);
const block = (i) => `<div class="item" id="i${i}"><a href="/p/${i}">link ${i}</a><!-- c${i} --><p>text ${i} &amp; more</p><span>${filler}</span></div>\n`;
const tail = "</body></html>\n";

function page(blocks) {
  let i = 0, sent = 0, carry = new Uint8Array(0), done = false;
  return new ReadableStream({
    async pull(c) {
      if (sent === 3 && !isReleased) await released; // the rest waits for /release
      let s = sent === 0 ? head : "";
      for (let k = 0; k < 17 && i < blocks; k++) s += block(i++);
      if (i === blocks && !done) { s += tail; done = true; }
      const bytes = enc.encode(s);
      const all = new Uint8Array(carry.length + bytes.length);
      all.set(carry);
      all.set(bytes, carry.length);
      const cut = done ? all.length : Math.max(0, all.length - 1237); // cut anywhere
      carry = all.slice(cut);
      if (cut > 0) c.enqueue(all.slice(0, cut));
      stats.generated += cut;
      sent++;
      if (done && carry.length === 0) c.close();
    },
  });
}

function rewriter() {
  return new HTMLRewriter()
    .on("title", {
      async element(e) {
        await new Promise((r) => setTimeout(r, 1)); // an async handler pauses the rewrite
        e.setInnerContent("Rewritten");
      },
    })
    .on("a[href^='/p/']", {
      element(e) { e.setAttribute("href", "https://cdn.example" + e.getAttribute("href")); },
    })
    .on("div.item", { element(e) { e.setAttribute("data-seen", "1"); } })
    .on("p", { text(t) { if (t.text) t.replace(t.text.toUpperCase(), { html: true }); } })
    .onDocument({
      comments(c) { c.remove(); },
      end(end) { end.append("<!-- rewritten -->", { html: true }); },
    });
}

export default {
  async fetch(request) {
    const url = new URL(request.url);
    switch (url.pathname) {
      case "/page":
        stats.generated = 0;
        gate();
        return rewriter().transform(new Response(page(Number(url.searchParams.get("blocks"))), { headers: { "content-type": "text/html" } }));
      case "/release":
        isReleased = true;
        if (release) release();
        return new Response("released");
      case "/generated":
        return new Response(String(stats.generated));
      case "/rewrite":
        return rewriter().transform(await fetch(url.searchParams.get("origin")));
    }
    return new Response("not found", { status: 404 });
  },
};
