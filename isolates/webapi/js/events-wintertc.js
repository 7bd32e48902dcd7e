// The events of the WinterTC Minimum Common API that workerd exposes beyond
// Event and EventTarget: CustomEvent, ErrorEvent, PromiseRejectionEvent
// (workerd's cannot be constructed by scripts), MessageEvent,
// MessageChannel / MessagePort, and reportError. MessagePort follows
// workerd's messagechannel.c++: a message is structured-cloned when posted
// and delivered in a microtask; a port buffers until it is started, which
// start(), setting onmessage or adding a "message" listener does (Node's
// rule, which workerd keeps); transfer lists are refused; closing either
// port closes both and fires "close" on each.

const needType = (name, n) => {
  if (n === 0) throw new TypeError(`Failed to construct '${name}': 1 argument required, but only 0 present.`);
};

const kDetail = Symbol("detail");
class CustomEvent extends Event {
  constructor(...args) {
    needType("CustomEvent", args.length);
    super(args[0], args[1] || {});
    defineSlot(this, kDetail, { value: args[1] ? args[1].detail : undefined });
  }
  get detail() { return this[kDetail]; }
}
tag(CustomEvent, "CustomEvent");

const kErrorInit = Symbol("errorInit");
class ErrorEvent extends Event {
  constructor(...args) {
    needType("ErrorEvent", args.length);
    const init = args[1] || {};
    super(args[0], init);
    defineSlot(this, kErrorInit, {
      value: {
        message: init.message === undefined ? "" : String(init.message),
        filename: init.filename === undefined ? "" : String(init.filename),
        lineno: init.lineno === undefined ? 0 : init.lineno >>> 0,
        colno: init.colno === undefined ? 0 : init.colno >>> 0,
        error: init.error,
      },
    });
  }
  get message() { return this[kErrorInit].message; }
  get filename() { return this[kErrorInit].filename; }
  get lineno() { return this[kErrorInit].lineno; }
  get colno() { return this[kErrorInit].colno; }
  get error() { return this[kErrorInit].error; }
}
tag(ErrorEvent, "ErrorEvent");

// workerd fires these itself and deletes the constructor.
class PromiseRejectionEvent extends Event {
  constructor() {
    throw new TypeError("Illegal constructor");
    super(); // eslint-disable-line no-unreachable
  }
}
tag(PromiseRejectionEvent, "PromiseRejectionEvent");

class MessageEvent extends Event {
  constructor(...args) {
    needType("MessageEvent", args.length);
    const init = args[1] || {};
    super(args[0], init);
    const data = init.data === undefined ? null : init.data;
    const ro = (name, value) => defineSlot(this, name, { value, enumerable: true, configurable: false });
    ro("data", data);
    ro("origin", "");
    ro("lastEventId", "");
    ro("source", init[kSource] || null);
    ro("ports", []);
  }
}
const kSource = Symbol("source");
tag(MessageEvent, "MessageEvent");

// A port is "pending" (buffering), "started" or "closed".
const kPort = Symbol("port");
const portToken = Symbol("MessagePort");
// PortTarget starts a port when a "message" listener is added (and puts it
// back to buffering when the last goes); it sits between MessagePort and
// EventTarget so that MessagePort.prototype has only workerd's names.
class PortTarget extends EventTarget {
  addEventListener(type, listener, options) {
    super.addEventListener(type, listener, options);
    if (String(type) === "message" && listener != null) startPort(this);
  }
  removeEventListener(type, listener, options) {
    super.removeEventListener(type, listener, options);
    const p = portOf(this);
    const list = this[kListeners].get("message");
    if (String(type) === "message" && p.state === "started" && p.onmessage === null && (!list || list.length === 0)) p.state = "pending";
  }
}
class MessagePort extends PortTarget {
  constructor(token) {
    if (token !== portToken) throw new TypeError("Illegal constructor");
    super();
    defineSlot(this, kPort, { value: { state: "pending", pending: [], other: null, onmessage: null, wrapper: null } });
  }
  postMessage(...args) {
    const p = portOf(this);
    const opts = args[1];
    const list = Array.isArray(opts) ? opts : opts && typeof opts === "object" ? opts.transfer : undefined;
    if (list !== undefined && list !== null && list.length > 0) throw new Error("Transfer list is not supported");
    // Cloned whether or not the peer still listens: an uncloneable value
    // throws either way.
    const data = structuredClone(args[0]);
    if (p.other && p.state !== "closed") deliver(p.other, data);
  }
  start() { startPort(this); }
  close() {
    const p = portOf(this);
    if (p.state === "closed") return;
    p.state = "closed";
    p.pending = [];
    const other = p.other;
    p.other = null;
    if (other) other.close();
    this.dispatchEvent(new Event("close"));
  }
  get onmessage() { return portOf(this).onmessage; }
  set onmessage(v) {
    const p = portOf(this);
    if (p.wrapper) EventTarget.prototype.removeEventListener.call(this, "message", p.wrapper);
    p.onmessage = p.wrapper = null;
    if (typeof v === "function" || (typeof v === "object" && v !== null)) {
      p.onmessage = v;
      p.wrapper = (e) => (typeof v === "function" ? v.call(this, e) : v.handleEvent(e));
      EventTarget.prototype.addEventListener.call(this, "message", p.wrapper);
      startPort(this);
    } else if (!this[kListeners].get("message") || this[kListeners].get("message").length === 0) {
      if (p.state === "started") p.state = "pending";
    }
  }
}
tag(MessagePort, "MessagePort");

function portOf(port) {
  const p = port && port[kPort];
  if (!p) throw new TypeError("Illegal invocation");
  return p;
}
function startPort(port) {
  const p = portOf(port);
  if (p.state !== "pending") return;
  p.state = "started";
  const list = p.pending;
  p.pending = [];
  if (list.length > 0) promiseResolve().then(() => { for (const v of list) dispatchMessage(port, v); });
}
function deliver(port, data) {
  const p = port[kPort];
  if (p.state === "pending") p.pending.push(data);
  else if (p.state === "started") promiseResolve().then(() => dispatchMessage(port, data));
}
function dispatchMessage(port, data) {
  try {
    port.dispatchEvent(new MessageEvent("message", { data, [kSource]: port }));
  } catch (e) {
    reportError(e);
  }
}

class MessageChannel {
  constructor() {
    const port1 = new MessagePort(portToken), port2 = new MessagePort(portToken);
    port1[kPort].other = port2;
    port2[kPort].other = port1;
    defineSlot(this, "port1", { value: port1, enumerable: true });
    defineSlot(this, "port2", { value: port2, enumerable: true });
  }
}
tag(MessageChannel, "MessageChannel");

// reportError(e): workerd dispatches an "error" ErrorEvent on the global
// scope (which has no such listeners here) and logs e's stack, or e.
function reportError(...args) {
  if (args.length === 0) throw new TypeError("Failed to execute 'reportError': 1 argument required, but only 0 present.");
  const e = args[0];
  let text;
  try {
    const stack = typeof e === "object" && e !== null ? e.stack : undefined;
    text = stack !== undefined ? String(stack) : inspect(e, 0, [], true);
  } catch {
    text = "(an error that could not be described)";
  }
  native.print("error", "Uncaught " + text);
}

define("CustomEvent", CustomEvent);
define("ErrorEvent", ErrorEvent);
define("PromiseRejectionEvent", PromiseRejectionEvent);
define("MessageEvent", MessageEvent);
define("MessagePort", MessagePort);
define("MessageChannel", MessageChannel);
define("reportError", reportError);
