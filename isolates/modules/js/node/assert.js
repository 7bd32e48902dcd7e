// node:assert: the classic assertions (loose and strict), throws/rejects
// with Node's error matching, and AssertionError (code ERR_ASSERTION).
// The deep comparisons are util's (isDeepStrictEqual's algorithm, with a
// loose mode for deepEqual).
"use strict";

const util = require("node:util");

const isDeepEqual = util[Symbol.for("edgerun.util.isDeepEqual")];
const inspect = (v) => util.inspect(v, { depth: 1000, compact: false, breakLength: Infinity, sorted: true, getters: true, customInspect: false });
const argType = (name, expected, value) => native.argTypeError(name, expected, value);

const messages = {
  deepStrictEqual: "Expected values to be strictly deep-equal:",
  strictEqual: "Expected values to be strictly equal:",
  deepEqual: "Expected values to be loosely deep-equal:",
  equal: "Expected values to be loosely equal:",
  notDeepStrictEqual: 'Expected "actual" not to be strictly deep-equal to:',
  notStrictEqual: 'Expected "actual" to be strictly unequal to:',
  notDeepEqual: 'Expected "actual" not to be loosely deep-equal to:',
  notEqual: 'Expected "actual" to be loosely unequal to:',
};

class AssertionError extends Error {
  constructor(options) {
    if (options === null || typeof options !== "object") throw argType("options", "of type object", options);
    const { message, operator, actual, expected } = options;
    let text;
    if (message != null) {
      text = String(message);
      // Node follows a message of its own with the values' difference
      // for the strict comparisons.
      if (operator === "strictEqual" || operator === "deepStrictEqual") text += `\n\n${inspect(actual)} !== ${inspect(expected)}\n`;
    } else if (messages[operator] && operator.startsWith("not")) {
      text = `${messages[operator]}\n\n${inspect(expected)}\n`;
    } else if (messages[operator]) {
      text = `${messages[operator]}\n\n${inspect(actual)} ${operator.includes("trict") ? "!==" : "!="} ${inspect(expected)}\n`;
    } else {
      text = `${inspect(actual)} ${operator} ${inspect(expected)}`;
    }
    super(text);
    this.generatedMessage = message == null;
    Object.defineProperty(this, "name", { value: "AssertionError", enumerable: false, writable: true, configurable: true });
    this.code = "ERR_ASSERTION";
    this.actual = actual;
    this.expected = expected;
    this.operator = operator;
  }
  toString() {
    return `${this.name} [${this.code}]: ${this.message}`;
  }
}

function fail(actual, expected, message, operator) {
  if (arguments.length === 0) message = "Failed";
  else if (arguments.length === 1) {
    message = actual;
    actual = undefined;
  } else if (arguments.length === 2) operator = "!=";
  if (message instanceof Error) throw message;
  const e = new AssertionError({ actual, expected, operator: operator === undefined ? "fail" : operator, message });
  if (arguments.length < 2) e.generatedMessage = arguments.length === 0;
  throw e;
}

function innerOk(argsLength, value, message, operator) {
  if (value) return;
  let generated = false;
  if (argsLength === 0) {
    message = "No value argument passed to `assert.ok()`";
    generated = true;
  } else if (message == null) {
    message = "The expression evaluated to a falsy value:\n\n  assert.ok(" + inspect(value) + ")\n";
    generated = true;
  } else if (message instanceof Error) {
    throw message;
  }
  const e = new AssertionError({ actual: value, expected: true, message, operator: "==" });
  e.generatedMessage = generated;
  throw e;
}

function raise(message, props) {
  if (message instanceof Error) throw message;
  throw new AssertionError(Object.assign({ message }, props));
}

// raiseGenerated is raise with Node's own text when the caller gave none.
function raiseGenerated(message, generated, props) {
  if (message instanceof Error) throw message;
  const e = new AssertionError(Object.assign({ message: message || generated }, props));
  e.generatedMessage = !message;
  throw e;
}

function ok(...args) {
  innerOk(args.length, args[0], args[1]);
}

function requireTwo(n) {
  if (n < 2) throw native.codedError("TypeError", "ERR_MISSING_ARGS", 'The "actual" and "expected" arguments must be specified');
}

const assert = function assert(...args) {
  innerOk(args.length, args[0], args[1]);
};

// compare is an assertion by test; operator is what Node reports (its
// loose equal and notEqual say == and !=).
function compare(name, test, operator = name) {
  return function (actual, expected, message) {
    requireTwo(arguments.length);
    if (!test(actual, expected)) raise(message, { actual, expected, operator });
  };
}

const looseEqual = (a, b) => a == b || (a !== a && b !== b);
const checks = {
  equal: compare("equal", looseEqual, "=="),
  notEqual: compare("notEqual", (a, b) => !looseEqual(a, b), "!="),
  strictEqual: compare("strictEqual", Object.is),
  notStrictEqual: compare("notStrictEqual", (a, b) => !Object.is(a, b)),
  deepEqual: compare("deepEqual", (a, b) => isDeepEqual(a, b, false)),
  notDeepEqual: compare("notDeepEqual", (a, b) => !isDeepEqual(a, b, false)),
  deepStrictEqual: compare("deepStrictEqual", (a, b) => isDeepEqual(a, b, true)),
  notDeepStrictEqual: compare("notDeepStrictEqual", (a, b) => !isDeepEqual(a, b, true)),
};

const NO_EXCEPTION = Symbol("no exception");

function checkIsFunction(fn) {
  if (typeof fn !== "function") throw argType("fn", "of type function", fn);
}

// expectedMatches is whether the thrown value satisfies the expected
// argument of throws/rejects (a class, a RegExp, a validation function
// or an object whose properties must match); false to fail with
// the default message, or it throws the AssertionError itself.
function expectedException(actual, expected, message, fnName) {
  if (typeof expected !== "function") {
    if (expected instanceof RegExp) {
      if (expected.test(String(actual))) return;
      raiseGenerated(message, `The input did not match the regular expression ${inspect(expected)}. Input:\n\n${inspect(String(actual))}\n`,
        { actual, expected, operator: fnName });
    }
    if (typeof actual !== "object" || actual === null) {
      raise(message, { actual, expected, operator: "deepStrictEqual" });
    }
    const keys = Object.keys(expected);
    if (expected instanceof Error) keys.push("name", "message");
    else if (keys.length === 0) throw native.codedError("TypeError", "ERR_INVALID_ARG_VALUE", "The argument 'error' may not be an empty object. Received {}");
    for (const k of keys) {
      if (typeof actual[k] === "string" && expected[k] instanceof RegExp && expected[k].test(actual[k])) continue;
      if (!(k in actual) || !isDeepEqual(actual[k], expected[k], true)) {
        raise(message, { actual, expected, operator: fnName });
      }
    }
    return;
  }
  if (expected.prototype !== undefined && actual instanceof expected) return;
  if (Error.isPrototypeOf(expected) || expected === Error) {
    if (actual instanceof Error) {
      raiseGenerated(message, `The error is expected to be an instance of "${expected.name}". Received "${actual && actual.constructor && actual.constructor.name}"`,
        { actual, expected, operator: fnName });
    }
    throw actual;
  }
  const res = expected.call({}, actual);
  if (res !== true) {
    if (message) raise(message, { actual, expected, operator: fnName });
    throw actual;
  }
}

function getActual(fn) {
  checkIsFunction(fn);
  try {
    fn();
  } catch (e) {
    return e;
  }
  return NO_EXCEPTION;
}

async function waitForActual(promiseFn) {
  let resultPromise;
  if (typeof promiseFn === "function") {
    resultPromise = promiseFn();
    if (!resultPromise || typeof resultPromise.then !== "function") {
      throw native.codedError("TypeError", "ERR_INVALID_RETURN_VALUE", 'Expected instance of Promise to be returned from the "promiseFn" function but got ' + typeof resultPromise + ".");
    }
  } else if (promiseFn && typeof promiseFn.then === "function") {
    resultPromise = promiseFn;
  } else {
    throw argType("promiseFn", "of type function or an instance of Promise", promiseFn);
  }
  try {
    await resultPromise;
  } catch (e) {
    return e;
  }
  return NO_EXCEPTION;
}

function expectsError(fnName, actual, error, message) {
  if (typeof error === "string") {
    if (arguments.length === 4) throw argType("error", "of type function or an instance of Error, RegExp, or Object", error);
    message = error;
    error = undefined;
  } else if (error != null && typeof error !== "object" && typeof error !== "function") {
    throw argType("error", "of type function or an instance of Error, RegExp, or Object", error);
  }
  if (actual === NO_EXCEPTION) {
    let details = "";
    if (error && error.name) details += ` (${error.name})`;
    details += message ? `: ${message}` : ".";
    const e = new AssertionError({ actual: undefined, expected: error, operator: fnName,
      message: `Missing expected ${fnName === "rejects" ? "rejection" : "exception"}${details}` });
    e.generatedMessage = false; // as Node reports it, message or not
    throw e;
  }
  if (error !== undefined) expectedException(actual, error, message, fnName);
}

function expectsNoError(fnName, actual, error, message) {
  if (actual === NO_EXCEPTION) return;
  if (typeof error === "string") {
    message = error;
    error = undefined;
  }
  if (!error || (typeof error === "function" && (actual instanceof error || (error.prototype === undefined && error.call({}, actual) === true)))) {
    const details = message ? `: ${message}` : ".";
    const kind = fnName === "doesNotReject" ? "rejection" : "exception";
    const e = new AssertionError({ actual, expected: error, operator: fnName,
      message: `Got unwanted ${kind}${details}\nActual message: "${actual && actual.message}"` });
    e.generatedMessage = false;
    throw e;
  }
  throw actual;
}

function throws(fn, ...args) {
  expectsError("throws", getActual(fn), ...args);
}
async function rejects(promiseFn, ...args) {
  expectsError("rejects", await waitForActual(promiseFn), ...args);
}
function doesNotThrow(fn, ...args) {
  expectsNoError("doesNotThrow", getActual(fn), ...args);
}
async function doesNotReject(fn, ...args) {
  expectsNoError("doesNotReject", await waitForActual(fn), ...args);
}

function ifError(err) {
  if (err === null || err === undefined) return;
  let message = "ifError got unwanted exception: ";
  message += typeof err === "object" && typeof err.message === "string" ? (err.message.length === 0 && err.constructor ? err.constructor.name : err.message) : inspect(err);
  const e = new AssertionError({ actual: err, expected: null, operator: "ifError", message });
  e.generatedMessage = false;
  throw e;
}

function matches(fnName, doesMatch) {
  return function (string, regexp, message) {
    if (!(regexp instanceof RegExp)) throw argType("regexp", "an instance of RegExp", regexp);
    if (typeof string !== "string" || regexp.test(string) !== doesMatch) {
      if (message instanceof Error) throw message;
      const generated = !message;
      message = message || (typeof string !== "string"
        ? `The "string" argument must be of type string. Received type ${typeof string} (${inspect(string)})`
        : (doesMatch ? `The input did not match the regular expression ${inspect(regexp)}. Input:\n\n${inspect(string)}\n`
          : `The input was expected to not match the regular expression ${inspect(regexp)}. Input:\n\n${inspect(string)}\n`));
      const e = new AssertionError({ actual: string, expected: regexp, message, operator: fnName });
      e.generatedMessage = generated;
      throw e;
    }
  };
}

// CallTracker (deprecated in Node, still exported): counts the calls of
// wrapped functions so verify() can check them.
class CallTracker {
  #calls;
  constructor() {
    this.#calls = [];
  }
  calls(fn = () => {}, exact = 1) {
    if (typeof fn === "number") [fn, exact] = [() => {}, fn];
    const entry = { fn, exact, actual: 0, calls: [] };
    this.#calls.push(entry);
    const tracked = function (...args) {
      entry.actual++;
      entry.calls.push({ thisArg: this, arguments: args });
      return Reflect.apply(fn, this, args);
    };
    entry.tracked = tracked;
    return tracked;
  }
  getCalls(tracked) {
    const e = this.#calls.find((c) => c.tracked === tracked);
    return e ? e.calls.slice() : [];
  }
  reset(tracked) {
    for (const e of this.#calls) {
      if (tracked === undefined || e.tracked === tracked) {
        e.actual = 0;
        e.calls = [];
      }
    }
  }
  report() {
    return this.#calls.filter((e) => e.actual !== e.exact).map((e) => ({
      message: `Expected the ${e.fn.name || "anonymous"} function to be executed ${e.exact} time(s) but was executed ${e.actual} time(s).`,
      actual: e.actual, expected: e.exact, operator: e.fn.name || "anonymous", stack: new Error(),
    }));
  }
  verify() {
    const errors = this.report();
    if (errors.length === 0) return;
    const message = errors.length === 1 ? errors[0].message : "Functions were not called the expected number of times";
    throw new AssertionError({ message, details: errors });
  }
}

Object.assign(assert, checks, {
  CallTracker,
  ok, fail, throws, rejects, doesNotThrow, doesNotReject, ifError, AssertionError,
  match: matches("match", true),
  doesNotMatch: matches("doesNotMatch", false),
});

function strict(...args) {
  innerOk(args.length, args[0], args[1]);
}
Object.assign(strict, assert, {
  equal: checks.strictEqual,
  deepEqual: checks.deepStrictEqual,
  notEqual: checks.notStrictEqual,
  notDeepEqual: checks.notDeepStrictEqual,
});
assert.strict = strict;
strict.strict = strict;

module.exports = assert;
