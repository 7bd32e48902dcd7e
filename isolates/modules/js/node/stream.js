// node:stream: Readable, Writable, Duplex, Transform, PassThrough and the
// legacy Stream, with finished (end-of-stream), pipeline and
// addAbortSignal, following Node's state machines (the same _readableState
// and _writableState fields, event order and backpressure), since drivers
// and libraries written for Node read them. The parts live in
// node:internal/streams/* along Node's own lines (utils, destroy, legacy,
// readable, from, writable, duplex, transform, end-of-stream, pipeline,
// web); this module assembles them.
//
// Scheduling: Node defers with process.nextTick, which runs before promise
// callbacks; here nextTick is a microtask, FIFO among themselves but
// interleaved with other promise callbacks. Event order within a stream is
// the same as Node's.
//
// Non-objectMode chunks are Buffers; setEncoding decodes with
// node:string_decoder.
"use strict";

const utils = require("node:internal/streams/utils");
const { destroyer } = require("node:internal/streams/destroy");
const { Stream } = require("node:internal/streams/legacy");
const { Readable } = require("node:internal/streams/readable");
require("node:internal/streams/from"); // Readable.from, wrap and the async iterator
const { Writable } = require("node:internal/streams/writable");
const { Duplex } = require("node:internal/streams/duplex");
const { Transform, PassThrough } = require("node:internal/streams/transform");
const { eos, addAbortSignal } = require("node:internal/streams/end-of-stream");
const { pipeline } = require("node:internal/streams/pipeline");
require("node:internal/streams/web"); // Readable/Writable toWeb and fromWeb

// ---- exports: the module is Stream itself, as in Node ----

Stream.Stream = Stream;
Stream.Readable = Readable;
Stream.Writable = Writable;
Stream.Duplex = Duplex;
Stream.Transform = Transform;
Stream.PassThrough = PassThrough;
Stream.finished = eos;
Stream.pipeline = pipeline;
Stream.addAbortSignal = addAbortSignal;
Stream.destroy = destroyer;
Stream.isReadable = utils.isReadable;
Stream.isWritable = utils.isWritable;
Stream.isErrored = utils.isErrored;
Stream.isDisturbed = utils.isDisturbed;
Stream.getDefaultHighWaterMark = utils.getDefaultHighWaterMark;
Stream.setDefaultHighWaterMark = utils.setDefaultHighWaterMark;
Stream._isUint8Array = (v) => v instanceof Uint8Array;
Stream._uint8ArrayToBuffer = (v) => utils.toBuffer(v);
// node:stream/promises requires this module: resolved on first use.
Object.defineProperty(Stream, "promises", {
  enumerable: true,
  configurable: true,
  get() { return require("node:stream/promises"); },
});

module.exports = Stream;
