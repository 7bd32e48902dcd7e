// node:diagnostics_channel: named channels that libraries publish to and
// observers subscribe to, store bindings (AsyncLocalStorage-style objects
// with run()) and tracing channels. A subscriber that throws does not stop
// the publisher: the error is reported as uncaught, as in Node.
"use strict";

const { describe } = require("node:internal/errors");

function argTypeError(name, type, v) {
  const e = new TypeError(`The "${name}" argument must be ${type}.` + describe(v));
  e.code = "ERR_INVALID_ARG_TYPE";
  return e;
}

function checkFunction(fn, name) {
  if (typeof fn !== "function") throw argTypeError(name, "of type function", fn);
}

function reportLater(err) {
  queueMicrotask(() => { throw err; });
}

class Channel {
  #subscribers;
  #stores;
  constructor(name) {
    this.#subscribers = [];
    this.#stores = new Map();
    this.name = name;
  }
  get hasSubscribers() { return this.#subscribers.length > 0 || this.#stores.size > 0; }
  subscribe(fn) {
    checkFunction(fn, "subscription");
    this.#subscribers = [...this.#subscribers, fn]; // a copy: publish() may be iterating
  }
  unsubscribe(fn) {
    const i = this.#subscribers.indexOf(fn);
    if (i < 0) return false;
    this.#subscribers = this.#subscribers.filter((_, j) => j !== i);
    return true;
  }
  publish(data) {
    for (const fn of this.#subscribers) {
      try {
        fn(data, this.name);
      } catch (err) {
        reportLater(err);
      }
    }
  }
  bindStore(store, transform) {
    if (transform !== undefined) checkFunction(transform, "transform");
    this.#stores.set(store, transform);
  }
  unbindStore(store) {
    return this.#stores.delete(store);
  }
  // runStores runs fn inside every bound store's run() (with the store's
  // transform of data) after publishing data.
  runStores(data, fn, thisArg, ...args) {
    checkFunction(fn, "fn");
    let run = () => {
      this.publish(data);
      return fn.apply(thisArg, args);
    };
    for (const [store, transform] of this.#stores) {
      const next = run;
      run = () => {
        let ctx;
        try {
          ctx = transform ? transform(data) : data;
        } catch (err) {
          reportLater(err);
          return next();
        }
        return store.run(ctx, next);
      };
    }
    return run();
  }
}

const channels = new Map();

function channel(name) {
  if (typeof name !== "string" && typeof name !== "symbol") throw argTypeError("channel", "of type string or symbol", name);
  let ch = channels.get(name);
  if (!ch) {
    ch = new Channel(name);
    channels.set(name, ch);
  }
  return ch;
}

function hasSubscribers(name) {
  const ch = channels.get(name);
  return ch ? ch.hasSubscribers : false;
}

function subscribe(name, fn) {
  channel(name).subscribe(fn);
}

function unsubscribe(name, fn) {
  const ch = channels.get(name);
  return ch ? ch.unsubscribe(fn) : false;
}

const traceEvents = ["start", "end", "asyncStart", "asyncEnd", "error"];

class TracingChannel {
  constructor(nameOrChannels) {
    if (typeof nameOrChannels === "string") {
      for (const ev of traceEvents) this[ev] = channel(`tracing:${nameOrChannels}:${ev}`);
    } else if (nameOrChannels !== null && typeof nameOrChannels === "object") {
      for (const ev of traceEvents) {
        const ch = nameOrChannels[ev];
        if (!(ch instanceof Channel)) throw argTypeError(`nameOrChannels.${ev}`, "an instance of Channel", ch);
        this[ev] = ch;
      }
    } else {
      throw argTypeError("nameOrChannels", "of type string or an instance of TracingChannel or Object", nameOrChannels);
    }
  }
  get hasSubscribers() { return traceEvents.some((ev) => this[ev].hasSubscribers); }
  subscribe(handlers) {
    for (const ev of traceEvents) if (handlers[ev]) this[ev].subscribe(handlers[ev]);
  }
  unsubscribe(handlers) {
    let all = true;
    for (const ev of traceEvents) if (handlers[ev] && !this[ev].unsubscribe(handlers[ev])) all = false;
    return all;
  }
  traceSync(fn, context = {}, thisArg, ...args) {
    if (!this.hasSubscribers) return fn.apply(thisArg, args);
    const { start, end, error } = this;
    return start.runStores(context, () => {
      try {
        const result = fn.apply(thisArg, args);
        context.result = result;
        return result;
      } catch (err) {
        context.error = err;
        error.publish(context);
        throw err;
      } finally {
        end.publish(context);
      }
    });
  }
  tracePromise(fn, context = {}, thisArg, ...args) {
    if (!this.hasSubscribers) return fn.apply(thisArg, args);
    const { start, end, asyncStart, asyncEnd, error } = this;
    const settled = (result) => {
      context.result = result;
      asyncStart.publish(context);
      asyncEnd.publish(context);
      return result;
    };
    const failed = (err) => {
      context.error = err;
      error.publish(context);
      asyncStart.publish(context);
      asyncEnd.publish(context);
      throw err;
    };
    return start.runStores(context, () => {
      try {
        let promise = fn.apply(thisArg, args);
        if (!(promise instanceof Promise)) promise = Promise.resolve(promise);
        return promise.then(settled, failed);
      } catch (err) {
        context.error = err;
        error.publish(context);
        throw err;
      } finally {
        end.publish(context);
      }
    });
  }
  traceCallback(fn, position = -1, context = {}, thisArg, ...args) {
    if (!this.hasSubscribers) return fn.apply(thisArg, args);
    const { start, end, asyncStart, asyncEnd, error } = this;
    const at = position < 0 ? args.length + position : position;
    const callback = args[at];
    checkFunction(callback, "callback");
    args[at] = function (...cbArgs) {
      const [err, res] = cbArgs;
      if (err) {
        context.error = err;
        error.publish(context);
      } else {
        context.result = res;
      }
      return asyncStart.runStores(context, () => {
        try {
          return callback.apply(this, cbArgs);
        } finally {
          asyncEnd.publish(context);
        }
      });
    };
    return start.runStores(context, () => {
      try {
        return fn.apply(thisArg, args);
      } catch (err) {
        context.error = err;
        error.publish(context);
        throw err;
      } finally {
        end.publish(context);
      }
    });
  }
}

function tracingChannel(nameOrChannels) {
  return new TracingChannel(nameOrChannels);
}

module.exports = { channel, hasSubscribers, subscribe, unsubscribe, tracingChannel, Channel };
