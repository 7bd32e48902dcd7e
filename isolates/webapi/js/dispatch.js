// The worker's global scope and the host's entry points: addEventListener,
// self, navigator, ExecutionContext, FetchEvent, and dispatch/scheduled,
// which run a request or a cron event through the script's handler.
// Natives: dispatch.go (respond, fail, finished), stream_out.go (respondStream, streamChunk, streamEnd).

// The host calls dispatch(id, method, url, headers, body, cf, env) per
// request and hears back through native.respond / native.fail /
// native.finished.
let handlerMode = null; // "module" | "service-worker"
let moduleHandler = null;
const fetchListeners = [];
const addEventListener = (type, listener) => {
  if (type === "fetch" || type === "scheduled") {
    if (typeof listener !== "function" && !(listener && typeof listener.handleEvent === "function"))
      throw new TypeError("addEventListener: listener must be a function");
    fetchListeners.push({ type, listener });
  }
};
define("addEventListener", addEventListener);
define("removeEventListener", (type, listener) => {
  const i = fetchListeners.findIndex((l) => l.type === type && l.listener === listener);
  if (i >= 0) fetchListeners.splice(i, 1);
});
define("self", global);
define("navigator", Object.freeze({ userAgent: "Cloudflare-Workers", hardwareConcurrency: 1, language: "en" }));

// The host's record of one request (its id, pending waitUntil work,
// whether it has answered) is a plain object the script never sees. The
// handler gets an ExecutionContext that keeps it in a private field: no
// property, symbol or proxy reaches it, and a context cannot be made for
// another request (the constructor wants a token only the prelude has).
const ctxToken = Symbol("ExecutionContext");
// Its fields start on a shared prototype (a property costs goja a map
// insert per object): a record gets its id at once and its own copy of a
// field only when one is written. The prototype's own data properties are
// what a write finds first, so no setter on Object.prototype sees one.
const stateDefaults = { waits: 0, responded: false, passThrough: false, props: undefined, result: undefined };
const newState = (id) => ({ __proto__: stateDefaults, id });
class ExecutionContext {
  #s;
  constructor(token, state) {
    if (token !== ctxToken) throw new TypeError("Illegal constructor");
    this.#s = state;
  }
  waitUntil(p) { waitUntil(this.#s, p); }
  passThroughOnException() { this.#s.passThrough = true; }
  get props() { const s = this.#s; return s.props || (s.props = {}); }
}
// dispatching is the request whose handler is running synchronously, before
// the host has its record (cloudflare:workers' waitUntil called at once).
let dispatching = null;
function waitUntilFor(state, p) {
  if (state === undefined || state === null) state = dispatching;
  if (state === null) throw new Error("waitUntil() was called outside a request: there is no request whose lifetime it could extend");
  waitUntil(state, p);
}
function waitUntil(state, p) {
  state.waits++;
  Promise.resolve(p).then(undefined, (e) => native.print("error", "Uncaught (in promise) " + inspect(e, 0, [], true))).then(() => {
    if (--state.waits === 0 && state.responded) native.finished(state.id);
  });
}
class FetchEvent extends Event {
  #s;
  #response = undefined;
  constructor(token, request, state) {
    if (token !== ctxToken) throw new TypeError("Illegal constructor");
    super("fetch");
    this.request = request;
    this.#s = state;
  }
  respondWith(p) {
    if (this.#response !== undefined) throw new DOMException("FetchEvent.respondWith() has already been called; it can only be called once.", "InvalidStateError");
    this.#response = Promise.resolve(p);
  }
  waitUntil(p) { waitUntil(this.#s, p); }
  passThroughOnException() { this.#s.passThrough = true; }
  static responseOf(event) { return event.#response; }
}
const responseOf = FetchEvent.responseOf;
delete FetchEvent.responseOf;

function setHandler(exportsObj) {
  const def = exportsObj && exportsObj.default;
  if (def && typeof def === "object" && typeof def.fetch === "function") {
    handlerMode = "module";
    moduleHandler = def;
  } else if (typeof def === "function" && def.prototype && typeof def.prototype.fetch === "function") {
    handlerMode = "class";
    moduleHandler = def;
  } else if (fetchListeners.some((l) => l.type === "fetch")) {
    handlerMode = "service-worker";
  } else if (def && typeof def === "object") {
    handlerMode = "module";
    moduleHandler = def;
  } else {
    throw new TypeError("No fetch handler: the script must `export default { fetch(request, env, ctx) { … } }` or call addEventListener(\"fetch\", …)");
  }
  return handlerMode;
}

function respond(state, res) {
  if (res === null || typeof res !== "object" || res[kIsResponse] !== true) {
    fail(state, new TypeError("Incorrect type for Promise: the Promise did not resolve to 'Response'."));
    return;
  }
  // Reading the response runs the script's code (its slots may hold
  // anything): what throws fails the request, never leaves it unanswered.
  try {
    if (res[kStatus] === 101 && res.webSocket !== null) { coupleResponse(state, res); return; } // websocket.js
    const b = res[kBody];
    if (b instanceof ReadableStream) {
      if (res[kUsed]) { fail(state, new TypeError("The Response body has already been used.")); return; }
      res[kUsed] = true;
      streamOut(state, res, b);
      return;
    }
    send(state, res, b);
  } catch (e) {
    if (!state.responded) fail(state, e);
    else throw e;
  }
}
// streamOut sends the headers now and each chunk as the stream yields
// it (server-sent events, token streams). The body counts as the
// request's pending work: the request finishes when it ends.
function streamOut(state, res, stream) {
  const h = res[kHeaders];
  state.responded = true;
  state.waits++;
  const reader = stream.getReader();
  let ended = false;
  const end = (err) => {
    if (ended) return;
    ended = true;
    native.streamEnd(state.id, err);
    if (--state.waits === 0) native.finished(state.id);
  };
  // The client went away: stop the stream even if the script is not
  // writing to it, so that the request can finish.
  const stop = () => {
    reader.cancel(new DOMException("The client disconnected.", "AbortError")).catch(() => {});
    end(null);
  };
  const taken = h === undefined
    ? native.respondStream(state.id, res[kStatus], res[kStatusText], "", res[kType], stop)
    : native.respondStream(state.id, res[kStatus], res[kStatusText], flatten(h), null, stop, res[kEncodeBody] === "manual");
  if (taken === false) return stop(); // the request was ended meanwhile (its client left)
  pumpBytes(reader, (bytes) => native.streamChunk(state.id, bytes), end, stop); // body.js
}
// send hands the response to the host in one call: headers as one
// string (or just the default content type), and whether the request is
// also finished (no waitUntil work pending).
function send(state, res, body) {
  const h = res[kHeaders];
  state.responded = true;
  if (h === undefined) native.respond(state.id, res[kStatus], res[kStatusText], "", res[kType], body, state.waits === 0);
  else native.respond(state.id, res[kStatus], res[kStatusText], flatten(h), null, body, state.waits === 0, res[kEncodeBody] === "manual");
}
function fail(state, err) {
  state.responded = true;
  native.fail(state.id, err, state.waits === 0);
}

// Requests from the host share a prototype carrying what is the same for
// all of them, so each sets two or three own properties.
let hostProto = null, hostCF;
function hostRequest(method, url, headers, body, cf) {
  if (hostProto === null || cf !== hostCF) {
    hostProto = objectCreate(Request.prototype);
    // Every slot a request's own properties live in is a data property
    // here that cannot be redefined: writing one on a request makes an
    // own property, so a setter a script puts on a prototype never sees
    // a later request's URL, headers or body.
    for (const k of [kMethod, kURL, kFlatHeaders, kBody, kHeaders, kSignal, kType, kUsed, kStream]) {
      defineSlot(hostProto, k, { value: Request.prototype[k], writable: true, configurable: false });
    }
    defineSlot(hostProto, kRedirect, { value: "manual", writable: false, configurable: false });
    defineSlot(hostProto, kCF, { value: hostCF = cf, writable: false, configurable: false });
  }
  const r = objectCreate(hostProto);
  if (method !== "GET") r[kMethod] = method;
  r[kURL] = url;
  r[kFlatHeaders] = headers;
  if (body !== null) r[kBody] = new Uint8Array(body);
  return r;
}

function dispatch(id, method, url, headers, body, cf, env) {
  const state = newState(id);
  const ctx = new ExecutionContext(ctxToken, state);
  const request = hostRequest(method, url, headers, body, cf);
  let result;
  dispatching = state;
  try {
    if (handlerMode === "module") {
      if (typeof moduleHandler.fetch !== "function") throw new TypeError("Handler does not export a fetch() function.");
      result = moduleHandler.fetch(request, env, ctx);
    } else if (handlerMode === "class") {
      const inst = new moduleHandler(ctx, env);
      inst.env = env; inst.ctx = ctx;
      result = inst.fetch(request);
    } else {
      const event = new FetchEvent(ctxToken, request, state);
      for (const l of fetchListeners) {
        if (l.type !== "fetch") continue;
        if (typeof l.listener === "function") l.listener.call(global, event); else l.listener.handleEvent(event);
        if (responseOf(event) !== undefined) break;
      }
      if (responseOf(event) === undefined) throw new Error("No response! The script did not call event.respondWith() in its \"fetch\" event listener.");
      result = responseOf(event);
    }
  } catch (e) {
    dispatching = null;
    fail(state, e);
    return state;
  }
  dispatching = null;
  if (result !== null && typeof result === "object" && result[kIsResponse] === true) respond(state, result);
  else if (result && typeof result.then === "function") {
    // Hand the promise to the host: once this call returns and the
    // microtasks have run, an async handler that never really waited has
    // settled already, and the host answers without a then() (costly in
    // goja); otherwise it calls attach().
    state.result = result;
  } else respond(state, result);
  return state; // the host keeps it for cloudflare:workers' waitUntil
}
// attach waits for a handler's pending promise. An await costs goja less
// than a then(): it adds reactions to the promise without deriving a new
// one, and no closures are made.
async function attach(state) {
  let r;
  try {
    r = await state.result;
  } catch (e) {
    fail(state, e);
    return;
  }
  respond(state, r);
}
function settled(state, ok, value) {
  if (ok) respond(state, value);
  else fail(state, value);
}

function scheduled(id, cron, scheduledTime, env) {
  const state = newState(id);
  const ctx = new ExecutionContext(ctxToken, state);
  const controller = { cron, scheduledTime, type: "scheduled", noRetry() {} };
  let result;
  dispatching = state;
  try {
    if (handlerMode === "module" && typeof moduleHandler.scheduled === "function") {
      result = moduleHandler.scheduled(controller, env, ctx);
    } else if (handlerMode === "class") {
      const inst = new moduleHandler(ctx, env);
      inst.env = env; inst.ctx = ctx;
      if (typeof inst.scheduled !== "function") throw new Error("Handler does not export a scheduled() function.");
      result = inst.scheduled(controller);
    } else {
      const event = new Event("scheduled");
      event.cron = cron; event.scheduledTime = scheduledTime; event.noRetry = () => {};
      event.waitUntil = (p) => waitUntil(state, p);
      let any = false;
      for (const l of fetchListeners) if (l.type === "scheduled") { any = true; l.listener.call(global, event); }
      if (!any) throw new Error("Handler does not export a scheduled() function.");
    }
  } catch (e) {
    dispatching = null;
    fail(state, e);
    return state;
  }
  dispatching = null;
  Promise.resolve(result).then(() => { state.responded = true; native.respond(id, 200, "", "", null, null, state.waits === 0); }, (e) => fail(state, e));
  return state;
}
