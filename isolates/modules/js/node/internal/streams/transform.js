// node:internal/streams/transform: Transform and PassThrough (Node's
// internal/streams/transform and passthrough).
"use strict";

const { errors, highWaterMark, kCallback, nextTick, takeOptions } = require("node:internal/streams/utils");
const { Duplex } = require("node:internal/streams/duplex");

function Transform(options) {
  if (!(this instanceof Transform)) return new Transform(options);
  const rhwm = options ? highWaterMark(options, "readableHighWaterMark", true, !!(options.objectMode || options.readableObjectMode)) : null;
  if (rhwm === 0) {
    options = { ...options, highWaterMark: null, readableHighWaterMark: rhwm, writableHighWaterMark: options.writableHighWaterMark || 0 };
  }
  Duplex.call(this, options);
  this._readableState.sync = false;
  this[kCallback] = null;
  takeOptions(this, options, [["transform", "_transform"], ["flush", "_flush"]]);
  this.on("prefinish", transformPrefinish);
}
Object.setPrototypeOf(Transform.prototype, Duplex.prototype);
Object.setPrototypeOf(Transform, Duplex);

function transformFinal(cb) {
  if (typeof this._flush === "function" && !this.destroyed) {
    this._flush((er, data) => {
      if (er) {
        if (cb) cb(er);
        else this.destroy(er);
        return;
      }
      if (data != null) this.push(data);
      this.push(null);
      if (cb) cb();
    });
  } else {
    this.push(null);
    if (cb) cb();
  }
}
function transformPrefinish() {
  if (this._final !== transformFinal) transformFinal.call(this);
}
Transform.prototype._final = transformFinal;
Transform.prototype._transform = function () {
  throw errors.notImplemented("_transform()");
};
Transform.prototype._write = function (chunk, encoding, callback) {
  const r = this._readableState;
  const w = this._writableState;
  const length = r.length;
  this._transform(chunk, encoding, (err, val) => {
    if (err) {
      callback(err);
      return;
    }
    if (val != null) this.push(val);
    if (r.ended) nextTick(callback);
    else if (w.ended || length === r.length || r.length < r.highWaterMark) callback();
    else this[kCallback] = callback;
  });
};
Transform.prototype._read = function () {
  if (this[kCallback]) {
    const callback = this[kCallback];
    this[kCallback] = null;
    callback();
  }
};

function PassThrough(options) {
  if (!(this instanceof PassThrough)) return new PassThrough(options);
  Transform.call(this, options);
}
Object.setPrototypeOf(PassThrough.prototype, Transform.prototype);
Object.setPrototypeOf(PassThrough, Transform);
PassThrough.prototype._transform = function (chunk, encoding, cb) { cb(null, chunk); };

module.exports = { PassThrough, Transform };
