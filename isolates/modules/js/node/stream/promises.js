// node:stream/promises: pipeline and finished returning promises.
"use strict";

const stream = require("node:stream");
const { pipelineImpl } = require("node:internal/streams/pipeline");

function pipeline(...streams) {
  return new Promise((resolve, reject) => {
    let opts;
    const last = streams[streams.length - 1];
    if (last && typeof last === "object" && !isStreamLike(last) && !Array.isArray(last)) {
      opts = streams.pop();
    }
    pipelineImpl(streams, (err, value) => (err ? reject(err) : resolve(value)), opts);
  });
}

function isStreamLike(v) {
  return typeof v.pipe === "function" || typeof v.write === "function" || typeof v.on === "function" ||
    typeof v[Symbol.asyncIterator] === "function" || typeof v[Symbol.iterator] === "function";
}

function finished(s, opts) {
  return new Promise((resolve, reject) => {
    stream.finished(s, opts, (err) => (err ? reject(err) : resolve()));
  });
}

module.exports = { pipeline, finished };
