// node:internal/streams/legacy: the legacy Stream (an EventEmitter with
// pipe), Node's internal/streams/legacy.
"use strict";

const { EE } = require("node:internal/streams/utils");

// ---- Stream (legacy) ----

function Stream(opts) {
  EE.call(this, opts);
}
Object.setPrototypeOf(Stream.prototype, EE.prototype);
Object.setPrototypeOf(Stream, EE);

function prependListener(emitter, event, fn) {
  if (typeof emitter.prependListener === "function") return emitter.prependListener(event, fn);
  if (!emitter._events || !emitter._events[event]) emitter.on(event, fn);
  else if (Array.isArray(emitter._events[event])) emitter._events[event].unshift(fn);
  else emitter._events[event] = [fn, emitter._events[event]];
}

Stream.prototype.pipe = function (dest, options) {
  const source = this;
  const ondata = (chunk) => {
    if (dest.writable && dest.write(chunk) === false && source.pause) source.pause();
  };
  const ondrain = () => {
    if (source.readable && source.resume) source.resume();
  };
  source.on("data", ondata);
  dest.on("drain", ondrain);
  let didOnEnd = false;
  const onend = () => {
    if (didOnEnd) return;
    didOnEnd = true;
    dest.end();
  };
  const onclose = () => {
    if (didOnEnd) return;
    didOnEnd = true;
    if (typeof dest.destroy === "function") dest.destroy();
  };
  if (!options || options.end !== false) {
    source.on("end", onend);
    source.on("close", onclose);
  }
  function onerror(er) {
    cleanup();
    if (this.listenerCount("error") === 0) this.emit("error", er);
  }
  const cleanup = () => {
    source.removeListener("data", ondata);
    dest.removeListener("drain", ondrain);
    source.removeListener("end", onend);
    source.removeListener("close", onclose);
    source.removeListener("error", onerror);
    dest.removeListener("error", onerror);
    source.removeListener("end", cleanup);
    source.removeListener("close", cleanup);
    dest.removeListener("close", cleanup);
  };
  prependListener(source, "error", onerror);
  prependListener(dest, "error", onerror);
  source.on("end", cleanup);
  source.on("close", cleanup);
  dest.on("close", cleanup);
  dest.emit("pipe", source);
  return dest;
};

module.exports = { Stream, prependListener };
