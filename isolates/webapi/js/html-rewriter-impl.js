// HTMLRewriter (Workers): on(selector, handlers), onDocument(handlers),
// transform(response). The Go rewriter (html_rewriter*.go) tokenizes the
// body as it arrives and stops at each token a handler wants; this file
// hands the token to the handlers (waiting for a handler's promise before
// going on) and writes the output as a stream, chunk by chunk, reading the
// input only as fast as the output is read.
// Natives: html_rewriter.go.

const kOn = Symbol("on"), kDoc = Symbol("onDocument");
const kRW = Symbol("rewriter"), kLive = Symbol("live"), kList = Symbol("list"), kPos = Symbol("pos");
const invalidToken = "This content token is no longer valid. Content tokens are only valid during the execution of the relevant content handler.";

function hrHandlerFields(handlers, dict, fields, method) {
  if (handlers === null || (typeof handlers !== "object" && typeof handlers !== "function"))
    throw new TypeError(`Failed to execute '${method}' on 'HTMLRewriter': parameter ${method === "on" ? 2 : 1} is not of type '${dict}'.`);
  const out = { self: handlers };
  for (const f of fields) {
    const fn = handlers[f];
    if (fn === undefined) continue;
    if (typeof fn !== "function")
      throw new TypeError(`Incorrect type for the '${f}' field on '${dict}': the provided value is not of type 'function'.`);
    out[f] = fn;
  }
  return out;
}

class HTMLRewriter {
  constructor() {
    this[kOn] = [];
    this[kDoc] = [];
  }
  on(selector, handlers) {
    const h = hrHandlerFields(handlers, "ElementContentHandlers", ["element", "comments", "text"], "on");
    h.sel = native.hrParse(String(selector));
    this[kOn].push(h);
    return this;
  }
  onDocument(handlers) {
    this[kDoc].push(hrHandlerFields(handlers, "DocumentContentHandlers", ["doctype", "comments", "text", "end"], "onDocument"));
    return this;
  }
  transform(response) {
    if (!(response instanceof Response))
      throw new TypeError("Failed to execute 'transform' on 'HTMLRewriter': parameter 1 is not of type 'Response'.");
    const out = Object.create(Response.prototype);
    out[kStatus] = response.status;
    out[kStatusText] = response.statusText;
    out[kHeaders] = new Headers(response.headers);
    if (response.webSocket) out.webSocket = response.webSocket;
    if (response.cf !== undefined) out.cf = response.cf;
    const body = response.body;
    if (body === null) return out;
    if (response[kUsed] || body.locked) throw new TypeError("Body has already been used. It can only be used once. Use tee() first if you need to read it twice.");
    const reader = body.getReader();
    response[kUsed] = true;
    out[kBody] = hrStream(reader, this[kOn].slice(), this[kDoc].slice());
    return out;
  }
}
tag(HTMLRewriter, "HTMLRewriter");

function hrStream(reader, on, doc) {
  let docFlags = 0;
  for (const d of doc) docFlags |= (d.doctype ? 8 : 0) | (d.comments ? 2 : 0) | (d.text ? 4 : 0) | (d.end ? 16 : 0);
  const entries = on.map((h) => [h.sel, (h.element ? 1 : 0) | (h.comments ? 2 : 0) | (h.text ? 4 : 0)]);
  const st = { rw: null, on, doc, endHandlers: new Map(), nextEndId: 1 };
  if (on.length === 0 && docFlags === 0) {
    // Nothing to rewrite: the bytes pass through.
    return new ReadableStream({
      async pull(c) {
        const { value, done } = await reader.read();
        if (done) c.close();
        else c.enqueue(hrChunk(value));
      },
      cancel(reason) { return reader.cancel(reason); },
    });
  }
  st.rw = native.hrNew(entries, docFlags);
  let finished = false;
  return new ReadableStream({
    async pull(c) {
      try {
        while (!finished) {
          const { value, done } = await reader.read();
          native.hrFeed(st.rw, done ? null : hrChunk(value));
          const waiting = hrDrive(st);
          if (waiting !== undefined) await waiting;
          const bytes = native.hrTake(st.rw);
          if (bytes !== null) c.enqueue(bytes);
          if (done) {
            finished = true;
            c.close();
            return;
          }
          if (bytes !== null) return;
        }
      } catch (e) {
        finished = true;
        reader.cancel(e).catch(() => {});
        throw e;
      }
    },
    cancel(reason) {
      finished = true;
      return reader.cancel(reason);
    },
  });
}

function hrChunk(value) {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return toBytes(value, "HTMLRewriter");
  throw new TypeError("This TransformStream is being used as a byte stream, but received an object of non-ArrayBuffer/ArrayBufferView type on its writable side.");
}

// drive hands the events of the input fed so far to the handlers; a
// promise when a handler is waiting on one (the rest follows it).
function hrDrive(st) {
  for (;;) {
    const ev = native.hrNext(st.rw);
    if (ev === null) return undefined;
    const waiting = hrDispatch(st, ev);
    if (waiting !== undefined) return waiting.then(() => hrDrive(st));
  }
}

// hrDispatch calls the handlers of one event in order: the matching on()
// entries' (in the order they were added), then onDocument's.
function hrDispatch(st, ev) {
  const kind = ev[0];
  let token, field;
  switch (kind) {
    case 1: token = new Element(st); field = "element"; break;
    case 2: token = new Text(st, ev[2], ev[3]); field = "text"; break;
    case 3: token = new Comment(st); field = "comments"; break;
    case 4: token = new Doctype(st); field = "doctype"; break;
    case 5: token = new EndTag(st); return hrCallEach(token, [st.endHandlers.get(ev[1]), undefined], 0);
    case 6: token = new DocumentEnd(st); field = "end"; break;
  }
  // calls holds function, receiver pairs.
  const calls = [];
  if (kind !== 4 && kind !== 6) {
    const sels = ev[1];
    for (let i = 0; i < sels.length; i++) {
      const h = st.on[sels[i]];
      calls.push(h[field], h.self);
    }
  }
  if (kind !== 1) {
    const doc = st.doc;
    for (let i = 0; i < doc.length; i++) if (doc[i][field]) calls.push(doc[i][field], doc[i].self);
  }
  return hrCallEach(token, calls, 0);
}

function hrCallEach(token, calls, i) {
  for (; i < calls.length; i += 2) {
    let r;
    try {
      r = calls[i].call(calls[i + 1], token);
    } catch (e) {
      token[kLive] = false;
      throw e;
    }
    if (r !== null && (typeof r === "object" || typeof r === "function") && typeof r.then === "function") {
      const next = i + 2;
      return Promise.resolve(r).then(() => hrCallEach(token, calls, next), (e) => { token[kLive] = false; throw e; });
    }
  }
  token[kLive] = false;
  return undefined;
}

// The tokens handlers get: valid while their handler runs.
class Token {
  constructor(st) {
    this[kRW] = st;
    this[kLive] = true;
  }
}
function hrLive(t) {
  if (!t[kLive]) throw new TypeError(invalidToken);
  return t[kRW].rw;
}
function hrContent(t, where, content, options) {
  native.hrInsert(hrLive(t), where, String(content), !!(options && options.html));
  return t;
}

class Element extends Token {
  get tagName() { return native.hrTagName(hrLive(this)); }
  set tagName(name) { native.hrSetTagName(hrLive(this), String(name)); }
  get namespaceURI() { return native.hrNamespace(hrLive(this)); }
  get removed() { return native.hrRemoved(hrLive(this)); }
  get attributes() { return new AttributesIterator(native.hrAttributes(hrLive(this))); }
  getAttribute(name) { return native.hrGetAttribute(hrLive(this), String(name)); }
  hasAttribute(name) { return native.hrHasAttribute(hrLive(this), String(name)); }
  setAttribute(name, value) { native.hrSetAttribute(hrLive(this), String(name), String(value)); return this; }
  removeAttribute(name) { native.hrRemoveAttribute(hrLive(this), String(name)); return this; }
  before(content, options) { return hrContent(this, "before", content, options); }
  after(content, options) { return hrContent(this, "after", content, options); }
  prepend(content, options) { return hrContent(this, "prepend", content, options); }
  append(content, options) { return hrContent(this, "append", content, options); }
  replace(content, options) { return hrContent(this, "replace", content, options); }
  setInnerContent(content, options) { return hrContent(this, "inner", content, options); }
  remove() { native.hrRemove(hrLive(this), false); return this; }
  removeAndKeepContent() { native.hrRemove(hrLive(this), true); return this; }
  onEndTag(handler) {
    const rw = hrLive(this);
    if (typeof handler !== "function")
      throw new TypeError("Failed to execute 'onEndTag' on 'Element': parameter 1 is not of type 'Function'.");
    const st = this[kRW];
    const id = st.nextEndId++;
    native.hrOnEndTag(rw, id);
    st.endHandlers.set(id, handler);
  }
}
tag(Element, "Element");

class AttributesIterator {
  constructor(list) {
    this[kList] = list;
    this[kPos] = 0;
  }
  next() {
    const list = this[kList];
    if (this[kPos] >= list.length) return { value: undefined, done: true };
    return { value: list[this[kPos]++], done: false };
  }
  [Symbol.iterator]() { return this; }
}
tag(AttributesIterator, "AttributesIterator");

class EndTag extends Token {
  get name() { return native.hrEndTagName(hrLive(this)); }
  set name(name) { native.hrSetEndTagName(hrLive(this), String(name)); }
  before(content, options) { return hrContent(this, "before", content, options); }
  after(content, options) { return hrContent(this, "after", content, options); }
  remove() { native.hrRemove(hrLive(this), false); return this; }
}
tag(EndTag, "EndTag");

class Text extends Token {
  constructor(st, text, last) {
    super(st);
    this[kList] = text;
    this[kPos] = last;
  }
  get text() { hrLive(this); return this[kList]; }
  get lastInTextNode() { hrLive(this); return this[kPos]; }
  get removed() { return native.hrRemoved(hrLive(this)); }
  before(content, options) { return hrContent(this, "before", content, options); }
  after(content, options) { return hrContent(this, "after", content, options); }
  replace(content, options) { return hrContent(this, "replace", content, options); }
  remove() { native.hrRemove(hrLive(this), false); return this; }
}
tag(Text, "Text");

class Comment extends Token {
  get text() { return native.hrText(hrLive(this)); }
  set text(s) { native.hrSetText(hrLive(this), String(s)); }
  get removed() { return native.hrRemoved(hrLive(this)); }
  before(content, options) { return hrContent(this, "before", content, options); }
  after(content, options) { return hrContent(this, "after", content, options); }
  replace(content, options) { return hrContent(this, "replace", content, options); }
  remove() { native.hrRemove(hrLive(this), false); return this; }
}
tag(Comment, "Comment");

class Doctype extends Token {
  get name() { return native.hrDoctype(hrLive(this))[0]; }
  get publicId() { return native.hrDoctype(hrLive(this))[1]; }
  get systemId() { return native.hrDoctype(hrLive(this))[2]; }
}
tag(Doctype, "Doctype");

class DocumentEnd extends Token {
  append(content, options) { return hrContent(this, "append", content, options); }
}
tag(DocumentEnd, "DocumentEnd");

define("HTMLRewriter", HTMLRewriter);
