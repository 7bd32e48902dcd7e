// node:internal/streams/duplex: Duplex: a Readable that is also a Writable
// (Node's internal/streams/duplex).
"use strict";

const { defineGetters, kinds, takeOptions } = require("node:internal/streams/utils");
const { construct } = require("node:internal/streams/destroy");
const { Stream } = require("node:internal/streams/legacy");
const { Readable, ReadableState, maybeReadMore } = require("node:internal/streams/readable");
const { Writable, WritableState, clearBuffer, finishMaybe, writableGetters } = require("node:internal/streams/writable");
const { addAbortSignal } = require("node:internal/streams/end-of-stream");

// ---- Duplex ----

function Duplex(options) {
  if (!(this instanceof Duplex)) return new Duplex(options);
  this._readableState = new ReadableState(options, this, true);
  this._writableState = new WritableState(options, this, true);
  takeOptions(this, options, [["read", "_read"], ["write", "_write"], ["writev", "_writev"], ["destroy", "_destroy"],
    ["final", "_final"], ["construct", "_construct"]]);
  if (options) {
    this.allowHalfOpen = options.allowHalfOpen !== false;
    if (options.readable === false) {
      this._readableState.readable = false;
      this._readableState.ended = true;
      this._readableState.endEmitted = true;
    }
    if (options.writable === false) {
      this._writableState.writable = false;
      this._writableState.ending = true;
      this._writableState.ended = true;
      this._writableState.finished = true;
    }
    if (options.signal) addAbortSignal(options.signal, this);
  } else {
    this.allowHalfOpen = true;
  }
  Stream.call(this, options);
  construct(this, () => {
    const r = this._readableState;
    const w = this._writableState;
    if (r.needReadable) maybeReadMore(this, r);
    if (!w.writing) clearBuffer(this, w);
    finishMaybe(this, w);
  });
}
Object.setPrototypeOf(Duplex.prototype, Readable.prototype);
Object.setPrototypeOf(Duplex, Readable);
for (const name of ["write", "cork", "uncork", "setDefaultEncoding", "end", "_write", "_writev"]) {
  Duplex.prototype[name] = Writable.prototype[name];
}
Duplex.prototype.destroy = Writable.prototype.destroy;
defineGetters(Duplex.prototype, "_writableState", writableGetters.filter(([n]) => n.startsWith("writable")));
Object.defineProperty(Duplex.prototype, "destroyed", {
  configurable: true,
  get() {
    if (this._readableState === undefined || this._writableState === undefined) return false;
    return this._readableState.destroyed && this._writableState.destroyed;
  },
  set(v) {
    if (this._readableState && this._writableState) {
      this._readableState.destroyed = v;
      this._writableState.destroyed = v;
    }
  },
});

kinds.Duplex = Duplex;

module.exports = { Duplex };
