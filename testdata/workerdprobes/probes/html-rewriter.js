// HTMLRewriter (workerd's, over lol-html): small rewrites whose output and
// handler calls are compared with workerd's.
const enc = new TextEncoder();

// rewrite runs html (a string, or an array of chunks fed one by one)
// through a rewriter that build sets up, and returns the output text.
async function rewrite(html, build) {
  const rw = new HTMLRewriter();
  build(rw);
  let body = html;
  if (Array.isArray(html)) {
    body = new ReadableStream({
      start(c) {
        for (const chunk of html) c.enqueue(enc.encode(chunk));
        c.close();
      },
    });
  }
  return await rw.transform(new Response(body)).text();
}
const errorOf = (e) => ({ name: e && e.name, message: e && e.message });
async function rejection(p) {
  try {
    await p;
    return "resolved";
  } catch (e) {
    return errorOf(e);
  }
}
function thrown(f) {
  try {
    f();
    return "returned";
  } catch (e) {
    return errorOf(e);
  }
}

const odd = "<!DOCTYPE html>\n<HTML lang=en><Head><TITLE>T &amp; t</TITLE>\n<META charset='utf-8'></Head>\r\n" +
  "<BODY class='a  b' data-x=y   ID=\"z\" hidden>text &amp; <!-- c --> more<br/><img src=a.png ><p>un<b>closed\n" +
  "<script>if (a < b && c > d) document.write('</p>')</script><style>p > a { }</style>" +
  "<textarea><b>not a tag</b></textarea><svg viewBox='0 0 1 1'><path d=\"M0\"/></svg>\t</BODY></HTML>\n";

// The selectors document: every element has an id, the probe lists the ids matched.
const doc = "<div id=d1 class='a b' lang=en-US data-k='Val'>" +
  "<p id=p1 class=a>one</p><p id=p2 title='x y z'>two<span id=s1 class=b>s</span></p>" +
  "<ul id=u1><li id=l1>1</li><li id=l2 class=odd>2</li><li id=l3>3</li><li id=l4>4</li><li id=l5>5</li></ul>" +
  "<section id=x1><p id=p3>three</p><div id=d2><p id=p4 data-k=val>four</p></div></section>" +
  "<a id=a1 href='https://example.com/page.html' hreflang=en>a</a><a id=a2 href='/local' hreflang=en-GB>b</a>" +
  "<a id=a3 href=''>c</a></div>";
async function matched(selector) {
  const ids = [];
  await rewrite(doc, (rw) => rw.on(selector, { element(e) { ids.push(e.getAttribute("id")); } }));
  return ids;
}
const selectors = [
  "p", "P", "*", ".a", ".b", "#p2", "div.a", "p.a", "[title]", "[title='x y z']", "[title~=y]", "[title~=x]",
  "[lang|=en]", "[hreflang|=en]", "[href^=https]", "[href$='.html']", "[href*=local]", "[href='']", "[href^='']",
  "[data-k=val]", "[data-k=val i]", "[data-k='VAL' i]", "[class~=a]", "li:nth-child(2)", "li:nth-child(odd)",
  "li:nth-child(2n+1)", "li:nth-child(-n+2)", "li:nth-child(even)", "li:first-child", "p:first-child",
  "p:nth-of-type(2)", "p:first-of-type", "span:first-of-type", ":not(p)", "p:not(.a)", "li:not(:first-child)",
  "div p", "div > p", "section p", "section > p", "div div p", "ul > li.odd", "p, li:first-child", "div#d1 > ul > li",
  "div *", "[id]", "a[href][hreflang]", "p span", "#d1 > section > div > p",
];
const badSelectors = [
  "", " ", "div >", "p:last-child", "a + b", "a ~ b", "[", "[=a]", ".", "#", "ns|a", ":not(a b)", "p::before",
  ":hover", "li:nth-last-child(1)", "li:only-child", "p:nth-child(n of .a)", ":root", ":empty", "a[href=]", "a,",
  "div >> p", ":is(p)", ":has(p)", "!", "p:first-letter", "[a=b x]",
];

const probes = {
  "html-rewriter: identity is byte for byte": () => rewrite(odd, (rw) => rw.on("*", { element() {}, text() {}, comments() {} })
    .onDocument({ doctype() {}, text() {}, comments() {}, end() {} })),
  "html-rewriter: identity in one-byte chunks": () => rewrite(odd.split(""), (rw) => rw.on("*", { element() {}, text() {} })),
  "html-rewriter: no handlers": () => rewrite(odd, () => {}),
  "html-rewriter: element visits": async () => {
    const seen = [];
    await rewrite(odd, (rw) => rw.on("*", {
      element(e) { seen.push([e.tagName, e.namespaceURI, e.selfClosing, e.canHaveContent, e.removed]); },
    }));
    return seen;
  },
  "html-rewriter: attributes": async () => {
    const out = [];
    await rewrite("<A HREF=\"x&amp;y\" Title='T' data-e=\"&quot;q&quot;\" bare>l</A>", (rw) => rw.on("a", {
      element(e) {
        out.push([...e.attributes], e.getAttribute("href"), e.getAttribute("HREF"), e.getAttribute("nope"),
          e.hasAttribute("title"), e.hasAttribute("TITLE"), e.hasAttribute("nope"), e.getAttribute("bare"));
        const it = e.attributes;
        out.push(typeof it.next, it[Symbol.iterator]() === it, Object.prototype.toString.call(it));
      },
    }));
    return out;
  },
  "html-rewriter: setAttribute and removeAttribute": () => rewrite("<DIV  Class=x ID='a'   data-z=\"1\">t</DIV><p>", (rw) => rw.on("div", {
    element(e) {
      e.setAttribute("class", "y");
      e.setAttribute("title", "a\"b<c>&d'e");
      e.removeAttribute("id");
      e.removeAttribute("nope");
      e.setAttribute("DATA-Z", "2");
    },
  })),
  "html-rewriter: attributes after changes": async () => {
    let out;
    await rewrite("<div a=1 b=2>", (rw) => rw.on("div", {
      element(e) { e.setAttribute("c", "3"); e.removeAttribute("a"); e.setAttribute("b", "x"); out = [...e.attributes]; },
    }));
    return out;
  },
  "html-rewriter: bad attribute names": async () => {
    const out = [];
    await rewrite("<div>", (rw) => rw.on("div", {
      element(e) {
        out.push(thrown(() => e.setAttribute("a b", "1")), thrown(() => e.setAttribute("", "1")),
          thrown(() => e.setAttribute("a=", "1")), thrown(() => e.setAttribute("a\"", "1")));
      },
    }));
    return out;
  },
  "html-rewriter: tagName set": () => rewrite("<P class=a>x<b>y</b></P><p>z</p>", (rw) => rw.on("p.a", {
    element(e) { e.tagName = "SECTION"; },
  })),
  "html-rewriter: tagName set read back": async () => {
    let out;
    await rewrite("<p>x</p>", (rw) => rw.on("p", { element(e) { e.tagName = "DIV"; out = e.tagName; } }));
    return out;
  },
  "html-rewriter: insertions order": () => rewrite("<div>in</div>", (rw) => rw.on("div", {
    element(e) {
      e.before("b1"); e.before("b2");
      e.after("a1"); e.after("a2");
      e.prepend("p1"); e.prepend("p2");
      e.append("e1"); e.append("e2");
    },
  })),
  "html-rewriter: content escaping": () => rewrite("<div>in</div>", (rw) => rw.on("div", {
    element(e) {
      e.before("<b>&amp;\"'</b>");
      e.after("<i>x</i>", { html: true });
      e.prepend("<u>&</u>", { html: false });
      e.append("<s>&amp;</s>", { html: true });
    },
  })),
  "html-rewriter: replace": () => rewrite("<p>a<div>in<b>x</b></div>b</p>", (rw) => rw.on("div", {
    element(e) { e.replace("<hr>", { html: true }); },
  })),
  "html-rewriter: replace as text": () => rewrite("<div>in</div>", (rw) => rw.on("div", { element(e) { e.replace("<hr>"); } })),
  "html-rewriter: setInnerContent": () => rewrite("<div>in<b>x</b></div><div>two</div>", (rw) => rw.on("div", {
    element(e) { e.setInnerContent("<i>new</i>", { html: e.getAttribute("x") === null }); },
  })),
  "html-rewriter: remove": () => rewrite("<p>a<div>in<b>x</b></div>b</p>", (rw) => rw.on("div", { element(e) { e.remove(); } })),
  "html-rewriter: removeAndKeepContent": () => rewrite("<p>a<div class=x>in<b>x</b></div>b</p>", (rw) => rw.on("div", {
    element(e) { e.removeAndKeepContent(); },
  })),
  "html-rewriter: removed flag": async () => {
    const out = [];
    await rewrite("<div>a</div><span>b</span><i>c</i>", (rw) => rw.on("*", {
      element(e) {
        out.push(e.removed);
        if (e.tagName === "div") e.remove();
        if (e.tagName === "span") e.removeAndKeepContent();
        if (e.tagName === "i") e.replace("x");
        out.push(e.removed);
      },
    }));
    return out;
  },
  "html-rewriter: handlers inside a removed element": async () => {
    const seen = [];
    const out = await rewrite("<div><span>a</span><!--c-->t</div><span>b</span>", (rw) => rw
      .on("div", { element(e) { e.remove(); } })
      .on("span", { element(e) { seen.push("span"); e.setAttribute("seen", ""); }, text(t) { seen.push("text:" + t.text); } })
      .onDocument({ comments(c) { seen.push("comment:" + c.text); } }));
    return [out, seen];
  },
  "html-rewriter: handlers inside setInnerContent": async () => {
    const seen = [];
    const out = await rewrite("<div><span>a</span></div>", (rw) => rw
      .on("div", { element(e) { e.setInnerContent("new"); } })
      .on("span", { element() { seen.push("span"); } }));
    return [out, seen];
  },
  "html-rewriter: inserted html is not rewritten": async () => {
    const seen = [];
    const out = await rewrite("<div></div>", (rw) => rw
      .on("div", { element(e) { e.append("<span>x</span>", { html: true }); } })
      .on("span", { element() { seen.push("span"); } }));
    return [out, seen];
  },
  "html-rewriter: onEndTag": async () => {
    const seen = [];
    const out = await rewrite("<div>a</DIV><div>b</div><p>c</p>", (rw) => rw.on("div, p", {
      element(e) {
        e.onEndTag((end) => {
          seen.push(end.name);
          end.before("[b]");
          end.after("<i>a</i>", { html: true });
          if (e.tagName === "p") end.name = "section";
        });
      },
    }));
    return [out, seen];
  },
  "html-rewriter: onEndTag name": async () => {
    const seen = [];
    const out = await rewrite("<div>a</DIV><p>c</p>", (rw) => rw.on("div, p", {
      element(e) { e.onEndTag((end) => { seen.push(end.name); if (end.name === "p") end.name = "SECTION"; }); },
    }));
    return [out, seen];
  },
  "html-rewriter: onEndTag before and after": () => rewrite("<div>a</div>", (rw) => rw.on("div", {
    element(e) { e.onEndTag((end) => { end.before("[b1]"); end.before("<b2>", { html: true }); end.after("[a1]"); end.after("<a2>", { html: true }); }); },
  })),
  "html-rewriter: onEndTag async": () => rewrite("<div>a</div>", (rw) => rw.on("div", {
    element(e) { e.onEndTag(async (end) => { await new Promise((r) => setTimeout(r, 2)); end.after("late"); }); },
  })),
  "html-rewriter: onEndTag keys": async () => {
    let keys;
    await rewrite("<div>a</div>", (rw) => rw.on("div", { element(e) { e.onEndTag((end) => { keys = [typeof end.before, typeof end.after, typeof end.remove, Object.prototype.toString.call(end)]; }); } }));
    return keys;
  },
  "html-rewriter: text with a stray less-than": async () => {
    const out = [];
    await rewrite("<p>a < b <3 c</p>x<", (rw) => rw.onDocument({ text(t) { out.push(t.text); } }));
    return out;
  },
  "html-rewriter: self-closing tag changed": () => rewrite("<img src=x /><br/><input a=b>", (rw) => rw.on("*", {
    element(e) { e.setAttribute("k", "v"); },
  })),
  "html-rewriter: self-closing tag renamed": () => rewrite("<img src=x /><div/>", (rw) => rw.on("*", {
    element(e) { e.tagName = "span"; },
  })),
  "html-rewriter: tag with odd spacing changed": () => rewrite("<div\n  a=1\tb = \"2\"  c >x</div  >", (rw) => rw.on("div", {
    element(e) { e.setAttribute("a", "9"); },
  })),
  "html-rewriter: getAttribute of spaced value": async () => {
    let out;
    await rewrite("<div a = \"x\" B=y>", (rw) => rw.on("div", { element(e) { out = [...e.attributes]; } }));
    return out;
  },
  "html-rewriter: duplicate attributes": async () => {
    let out;
    const html = await rewrite("<div a=1 a=2>", (rw) => rw.on("div", { element(e) { out = [e.getAttribute("a"), [...e.attributes]]; e.setAttribute("a", "3"); } }));
    return [html, out];
  },
  "html-rewriter: element type keys": async () => {
    let keys;
    await rewrite("<div>", (rw) => rw.on("div", { element(e) { keys = [Object.prototype.toString.call(e), typeof e.before, typeof e.onEndTag, typeof e.removeAndKeepContent, "selfClosing" in e, "canHaveContent" in e]; } }));
    return keys;
  },
  "html-rewriter: comment and text type keys": async () => {
    const keys = [];
    await rewrite("<p>t<!--c--></p>", (rw) => rw.onDocument({
      text(t) { keys.push(Object.prototype.toString.call(t)); },
      comments(c) { keys.push(Object.prototype.toString.call(c)); },
      end(e) { keys.push(Object.prototype.toString.call(e), typeof e.append); },
    }));
    return keys;
  },
  "html-rewriter: doctype keys": async () => {
    let keys;
    await rewrite("<!doctype html>", (rw) => rw.onDocument({ doctype(d) { keys = [Object.prototype.toString.call(d), typeof d.remove]; } }));
    return keys;
  },
  "html-rewriter: cdata in svg": async () => {
    const out = [];
    const html = await rewrite("<svg><![CDATA[a<b]]></svg><p><![CDATA[x]]></p>", (rw) => rw.onDocument({ text(t) { out.push(t.text); }, comments(c) { out.push("c:" + c.text); } }));
    return [html, out];
  },
  "html-rewriter: removed element end tag": () => rewrite("<div>a</div><div>b</div>", (rw) => rw.on("div", {
    element(e) { e.onEndTag((end) => end.after("!")); e.remove(); },
  })),
  "html-rewriter: replace then append": () => rewrite("<div>a</div>", (rw) => rw.on("div", {
    element(e) { e.replace("R"); e.append("A"); e.before("B"); e.after("F"); },
  })),
  "html-rewriter: setInnerContent twice and append": () => rewrite("<div>a</div>", (rw) => rw.on("div", {
    element(e) { e.setInnerContent("1"); e.setInnerContent("2"); e.append("A"); e.prepend("P"); },
  })),
  "html-rewriter: unclosed at end": () => rewrite("<div><p>a", (rw) => rw.on("p", { element(e) { e.append("!"); e.onEndTag((t) => t.after("?")); } })),
  "html-rewriter: onEndTag remove": () => rewrite("<div>a</div>b", (rw) => rw.on("div", {
    element(e) { e.onEndTag((end) => end.remove()); },
  })),
  "html-rewriter: onEndTag on a void element": async () => {
    const out = [];
    await rewrite("<br><img/>", (rw) => rw.on("*", { element(e) { out.push(thrown(() => e.onEndTag(() => {}))); } }));
    return out;
  },
  "html-rewriter: onEndTag replaces the last": async () => {
    const seen = [];
    await rewrite("<div>a</div>", (rw) => rw.on("div", {
      element(e) { e.onEndTag(() => seen.push(1)); e.onEndTag(() => seen.push(2)); },
    }));
    return seen;
  },
  "html-rewriter: onEndTag after tagName set": async () => {
    const seen = [];
    const out = await rewrite("<div>a</div>", (rw) => rw.on("div", {
      element(e) { e.tagName = "span"; e.onEndTag((end) => seen.push(end.name)); },
    }));
    return [out, seen];
  },
  "html-rewriter: selfClosing and canHaveContent": async () => {
    const out = [];
    await rewrite("<br><br/><div/><img src=x /><svg><path/><g></g></svg><math><mi/></math><input>", (rw) => rw.on("*", {
      element(e) { out.push([e.tagName, e.selfClosing, e.canHaveContent, e.namespaceURI]); },
    }));
    return out;
  },
  "html-rewriter: append to a void element": () => rewrite("<br><div/>x", (rw) => rw.on("*", {
    element(e) { e.append("[a]"); e.prepend("[p]"); },
  })),
  "html-rewriter: text chunks in one piece": async () => {
    const out = [];
    await rewrite("<p>hello <b>big</b> world</p>", (rw) => rw.onDocument({ text(t) { out.push([t.text, t.lastInTextNode]); } }));
    return out;
  },
  "html-rewriter: text chunks across input chunks": async () => {
    const out = [];
    await rewrite(["<p>hel", "lo wo", "rld</p><p>", "x", "</p>tail"], (rw) => rw.onDocument({
      text(t) { out.push([t.text, t.lastInTextNode]); },
    }));
    return out;
  },
  "html-rewriter: text of a selector": async () => {
    const out = [];
    await rewrite("<p>a<b>b</b>c</p>d<p>e</p>", (rw) => rw.on("p", { text(t) { out.push([t.text, t.lastInTextNode]); } }));
    return out;
  },
  "html-rewriter: text in script, style, textarea, title": async () => {
    const out = [];
    await rewrite("<title>a&amp;b</title><script>x<y</script><style>p>q{}</style><textarea><b></textarea>", (rw) => rw.on("*", {
      text(t) { if (t.text) out.push(t.text); },
    }));
    return out;
  },
  "html-rewriter: text mutations": () => rewrite("<p>one</p><p>two</p><p>three</p><p>four</p>", (rw) => {
    let n = 0;
    rw.on("p", {
      text(t) {
        if (t.lastInTextNode) return;
        n++;
        if (n === 1) t.replace("<b>1</b>", { html: true });
        if (n === 2) { t.before("<"); t.after(">", { html: true }); }
        if (n === 3) t.remove();
        if (n === 4) t.replace("<4>");
      },
    });
  }),
  "html-rewriter: text removed flag": async () => {
    const out = [];
    await rewrite("<p>one</p>", (rw) => rw.on("p", { text(t) { out.push(t.removed); t.remove(); out.push(t.removed); } }));
    return out;
  },
  "html-rewriter: entity text is raw": async () => {
    const out = [];
    await rewrite("<p>a &amp; b &lt; &#99;</p>", (rw) => rw.on("p", { text(t) { out.push(t.text); } }));
    return out;
  },
  "html-rewriter: comments": async () => {
    const seen = [];
    const out = await rewrite("<!--top--><div><!-- in --><!--x--><!--y--><!--z--></div>", (rw) => rw.on("div", {
      comments(c) {
        seen.push([c.text, c.removed]);
        if (c.text === "x") c.text = "changed";
        if (c.text === "y") c.replace("<b>y</b>", { html: true });
        if (c.text === "z") { c.before("<"); c.after(">"); c.remove(); seen.push(c.removed); }
      },
    }));
    return [out, seen];
  },
  "html-rewriter: document comments": async () => {
    const seen = [];
    await rewrite("<!--a--><p><!--b--></p><!---->", (rw) => rw.onDocument({ comments(c) { seen.push(c.text); } }));
    return seen;
  },
  "html-rewriter: doctype": async () => {
    const out = [];
    for (const d of ["<!DOCTYPE html>", "<!doctype HTML>", "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">",
      "<!DOCTYPE html SYSTEM 'about:legacy-compat'>", "<!DOCTYPE>"]) {
      await rewrite(d + "<p>", (rw) => rw.onDocument({ doctype(t) { out.push([t.name, t.publicId, t.systemId]); } }));
    }
    return out;
  },
  "html-rewriter: doctype remove": () => rewrite("<!DOCTYPE html><p>", (rw) => rw.onDocument({ doctype(d) { d.remove(); } })),
  "html-rewriter: document end": () => rewrite("<p>x</p>", (rw) => rw.onDocument({
    end(end) { end.append("<!-- end -->", { html: true }); end.append("<&>"); },
  })),
  "html-rewriter: document end on empty": () => rewrite("", (rw) => rw.onDocument({ end(end) { end.append("only"); } })),
  "html-rewriter: handler order": async () => {
    const seen = [];
    await rewrite("<div><p>t<!--c--></p></div>", (rw) => rw
      .on("p", { element() { seen.push("p1"); }, text(t) { seen.push("p1 text " + t.text); }, comments() { seen.push("p1 comment"); } })
      .onDocument({ text(t) { seen.push("doc text " + t.text); }, comments() { seen.push("doc comment"); } })
      .on("div p", { element() { seen.push("p2"); }, text(t) { seen.push("p2 text " + t.text); } })
      .on("div", { element() { seen.push("div"); }, text(t) { seen.push("div text " + t.text); } }));
    return seen;
  },
  "html-rewriter: handler this": async () => {
    const seen = [];
    class H {
      constructor() { this.n = 0; }
      element(e) { this.n++; seen.push(this instanceof H, this.n); }
    }
    await rewrite("<p></p><p></p>", (rw) => rw.on("p", new H()));
    return seen;
  },
  "html-rewriter: async element handler": () => rewrite("<p>a</p><p>b</p>", (rw) => rw.on("p", {
    async element(e) {
      await new Promise((r) => setTimeout(r, 5));
      e.setAttribute("late", "1");
      await null;
      e.after("!");
    },
  })),
  "html-rewriter: async handlers run in order": async () => {
    const seen = [];
    await rewrite("<p>a</p><p>b</p>", (rw) => rw.on("p", {
      async element(e) { seen.push("start"); await new Promise((r) => setTimeout(r, 5)); seen.push("end"); },
      async text(t) { if (t.text) seen.push(t.text); },
    }));
    return seen;
  },
  "html-rewriter: async text and end handlers": () => rewrite("<p>a</p>", (rw) => rw
    .on("p", { async text(t) { await null; if (t.text) t.replace("B"); } })
    .onDocument({ async end(e) { await new Promise((r) => setTimeout(r, 1)); e.append("done"); } })),
  "html-rewriter: element used after its handler": async () => {
    let saved;
    const out = await rewrite("<p>a</p>", (rw) => rw.on("p", { element(e) { saved = e; } }));
    return [out, thrown(() => saved.setAttribute("a", "b")), thrown(() => saved.tagName), thrown(() => saved.getAttribute("a"))];
  },
  "html-rewriter: text used after its handler": async () => {
    let saved;
    await rewrite("<p>a</p>", (rw) => rw.on("p", { text(t) { saved = t; } }));
    return [thrown(() => saved.text), thrown(() => saved.remove())];
  },
  "html-rewriter: handler throws": () => rejection(rewrite("<p>a</p>", (rw) => rw.on("p", { element() { throw new RangeError("boom"); } }))),
  "html-rewriter: async handler rejects": () => rejection(rewrite("<p>a</p>", (rw) => rw.on("p", { async element() { throw new TypeError("late boom"); } }))),
  "html-rewriter: on returns the rewriter": () => {
    const rw = new HTMLRewriter();
    return [rw.on("p", {}) === rw, rw.onDocument({}) === rw, Object.prototype.toString.call(rw), typeof HTMLRewriter];
  },
  "html-rewriter: transform keeps the head": () => {
    const res = new Response("<p>x</p>", { status: 201, statusText: "Made", headers: { "content-type": "text/html", "content-length": "8", "x-a": "b" } });
    const out = new HTMLRewriter().on("p", { element() {} }).transform(res);
    return [out.status, out.statusText, out.headers.get("content-type"), out.headers.get("content-length"), out.headers.get("x-a"), out instanceof Response, res.bodyUsed];
  },
  "html-rewriter: transform of no body": async () => {
    const out = new HTMLRewriter().onDocument({ end(e) { e.append("x"); } }).transform(new Response(null));
    return [out.body === null, await out.text()];
  },
  "html-rewriter: transform a non-response": () => thrown(() => new HTMLRewriter().transform("<p>")),
  "html-rewriter: on with bad handlers": () => [
    thrown(() => new HTMLRewriter().on("p")),
    thrown(() => new HTMLRewriter().on("p", { element: 1 })),
    thrown(() => new HTMLRewriter().on(5, {})),
  ],
  "html-rewriter: unclosed p nesting": () => Promise.all(["p p", "div > p", "p b"].map((s) => rewrite("<div><p>a<p>b<b>x</div><p>c", (rw) => rw.on(s, {
    element(e) { e.setAttribute("m", s); },
  })))),
  "html-rewriter: unmatched end tags": () => matchedIn("<div><span>a</p></span><i>b</i></div>", "div > i"),
  "html-rewriter: nth-child counts elements only": () => matchedIn("<ul>text<li id=1></li><!--c--><li id=2></li>t<li id=3></li></ul>", "li:nth-child(2)"),
  "html-rewriter: nth-child after a void element": () => matchedIn("<div><br><img><i id=3></i><b id=4></b></div>", "div > :nth-child(3)"),
  "html-rewriter: non-utf8 bytes pass through": async () => {
    const bytes = new Uint8Array([0x3c, 0x70, 0x3e, 0xe9, 0xff, 0x3c, 0x2f, 0x70, 0x3e]);
    const out = await new HTMLRewriter().on("p", { element(e) { e.setAttribute("a", "é"); } }).transform(new Response(bytes)).arrayBuffer();
    return new Uint8Array(out);
  },
  "html-rewriter: multibyte text split across chunks": async () => {
    const out = [];
    const b = enc.encode("<p>héllo wörld</p>");
    const rw = new HTMLRewriter().on("p", { text(t) { out.push(t.text); } });
    const body = new ReadableStream({ start(c) { c.enqueue(b.slice(0, 5)); c.enqueue(b.slice(5, 13)); c.enqueue(b.slice(13)); c.close(); } });
    const text = await rw.transform(new Response(body)).text();
    return [text, out.join("|")];
  },
  "html-rewriter: tag split across chunks": () => rewrite(["<di", "v cla", "ss=\"a", "\" id=x", ">t</d", "iv><!-", "- c --", "><p"], (rw) => rw.on("div.a", {
    element(e) { e.setAttribute("seen", "1"); },
  })),
};
async function matchedIn(html, selector) {
  const out = [];
  await rewrite(html, (rw) => rw.on(selector, { element(e) { out.push(e.tagName + (e.getAttribute("id") || "")); } }));
  return out;
}
for (const s of selectors) probes["html-rewriter: selector " + s] = () => matched(s);
for (const s of badSelectors) probes["html-rewriter: bad selector " + JSON.stringify(s)] = () => thrown(() => new HTMLRewriter().on(s, {}));
export { probes };
