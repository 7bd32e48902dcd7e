// node:internal/streams/from: iterables and streams (Node's
// internal/streams/from, and Readable's async iterator and wrap).
"use strict";

const { Buffer, aggregateTwoErrors, errors, highWaterMark, nextTick, nop } = require("node:internal/streams/utils");
const { destroyer, errorOrDestroy } = require("node:internal/streams/destroy");
const { Readable } = require("node:internal/streams/readable");
const { eos } = require("node:internal/streams/end-of-stream");

// The async iterator, by hand (goja has no async generators): each next()
// reads a chunk, or waits for 'readable' or the end of the stream.
Readable.prototype[Symbol.asyncIterator] = function () {
  return createAsyncIterator(this, undefined);
};
Readable.prototype.iterator = function (options) {
  if (options !== undefined && (options === null || typeof options !== "object")) {
    throw errors.invalidArgType("options", "of type object", options);
  }
  return createAsyncIterator(this, options);
};
function createAsyncIterator(stream, options) {
  if (typeof stream.read !== "function") stream = Readable.wrap(stream, { objectMode: true });
  let callback = nop;
  let error; // undefined: running; null: ended cleanly; else the error
  let done = false;
  const wake = () => {
    const cb = callback;
    callback = nop;
    cb();
  };
  stream.on("readable", wake);
  const cleanup = eos(stream, { writable: false }, (err) => {
    error = err ? aggregateTwoErrors(error, err) : null;
    wake();
  });
  const finish = () => {
    if (done) return;
    done = true;
    if ((error || !options || options.destroyOnReturn !== false) && (error === undefined || stream._readableState.autoDestroy)) {
      destroyer(stream, null);
    } else {
      stream.off("readable", wake);
      cleanup();
    }
  };
  let chain = Promise.resolve();
  const step = () => new Promise((resolve, reject) => {
    const attempt = () => {
      if (done) return resolve({ value: undefined, done: true });
      let chunk;
      try {
        chunk = stream.destroyed ? null : stream.read();
      } catch (err) {
        error = err;
        finish();
        return reject(err);
      }
      if (chunk !== null) return resolve({ value: chunk, done: false });
      if (error) {
        finish();
        return reject(error);
      }
      if (error === null) {
        finish();
        return resolve({ value: undefined, done: true });
      }
      callback = attempt;
    };
    attempt();
  });
  return {
    next() {
      const p = chain.then(step);
      chain = p.catch(nop);
      return p;
    },
    return(value) {
      const p = chain.then(() => {
        finish();
        return { value, done: true };
      });
      chain = p.catch(nop);
      return p;
    },
    throw(err) {
      error = err;
      finish();
      return Promise.reject(err);
    },
    [Symbol.asyncIterator]() { return this; },
  };
}

// Readable.wrap turns an old-style stream (data/end events) into a Readable.
Readable.wrap = function (src, options) {
  return new Readable({ objectMode: src.readableObjectMode ?? src.objectMode ?? true, ...options,
    destroy(err, cb) { destroyer(src, err); cb(err); } }).wrap(src);
};
Readable.prototype.wrap = function (stream) {
  let paused = false;
  stream.on("data", (chunk) => {
    if (!this.push(chunk) && stream.pause) {
      paused = true;
      stream.pause();
    }
  });
  stream.on("end", () => this.push(null));
  stream.on("error", (err) => errorOrDestroy(this, err));
  stream.on("close", () => this.destroy());
  stream.on("destroy", () => this.destroy());
  this._read = () => {
    if (paused && stream.resume) {
      paused = false;
      stream.resume();
    }
  };
  return this;
};

// Readable.from(iterable or async iterable): an objectMode Readable (by
// default) that pulls the next value when read.
Readable.from = function (iterable, opts) {
  if (typeof iterable === "string" || iterable instanceof Buffer) {
    return new Readable({ objectMode: true, ...opts, read() { this.push(iterable); this.push(null); } });
  }
  let isAsync;
  let iterator;
  if (iterable && typeof iterable[Symbol.asyncIterator] === "function") {
    isAsync = true;
    iterator = iterable[Symbol.asyncIterator]();
  } else if (iterable && typeof iterable[Symbol.iterator] === "function") {
    isAsync = false;
    iterator = iterable[Symbol.iterator]();
  } else {
    throw errors.invalidArgType("iterable", "an instance of Iterable", iterable);
  }
  const readable = new Readable({ objectMode: true, highWaterMark: 1, ...opts });
  let reading = false;
  readable._read = function () {
    if (!reading) {
      reading = true;
      next();
    }
  };
  readable._destroy = function (error, cb) {
    close(error).then(() => nextTick(cb, error), (e) => nextTick(cb, e || error));
  };
  async function close(error) {
    const hadError = error !== undefined && error !== null;
    if (hadError && typeof iterator.throw === "function") {
      const { value, done } = await iterator.throw(error);
      await value;
      if (done) return;
    }
    if (typeof iterator.return === "function") {
      const { value } = await iterator.return();
      await value;
    }
  }
  async function next() {
    for (;;) {
      try {
        const { value, done } = isAsync ? await iterator.next() : iterator.next();
        if (done) {
          readable.push(null);
        } else {
          const res = value && typeof value.then === "function" ? await value : value;
          if (res === null) {
            reading = false;
            throw errors.nullValues();
          } else if (readable.push(res)) {
            continue;
          } else {
            reading = false;
          }
        }
      } catch (err) {
        readable.destroy(err);
      }
      break;
    }
  }
  return readable;
};

// It adds to Readable (from, wrap, the async iterator); it exports nothing.
