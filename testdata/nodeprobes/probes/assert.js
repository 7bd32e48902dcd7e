// node:assert and node:assert/strict.
import assert from "node:assert";
import strict from "node:assert/strict";
import { AssertionError } from "node:assert";

const outcome = (f) => {
  try {
    f();
    return "ok";
  } catch (e) {
    return { name: e.name, code: e.code, generated: e.generatedMessage, operator: e.operator, isAE: e instanceof AssertionError };
  }
};
const outcomeAsync = async (f) => {
  try {
    await f();
    return "ok";
  } catch (e) {
    return { name: e.name, code: e.code, operator: e.operator };
  }
};

export const probes = {
  "assert: ok": () => [outcome(() => assert(true)), outcome(() => assert(0)), outcome(() => assert.ok("")), outcome(() => assert.ok()), outcome(() => assert.ok(false, "msg")),
    outcome(() => assert.ok(false, new RangeError("mine"))), outcome(() => assert(1, "x"))],
  "assert: message": () => {
    try {
      assert.ok(false, "custom message");
    } catch (e) {
      return [e.message, e.actual, e.expected, e.operator, String(e).startsWith("AssertionError [ERR_ASSERTION]: custom message")];
    }
  },
  "assert: equal family": () => [outcome(() => assert.equal(1, "1")), outcome(() => assert.equal(1, 2)), outcome(() => assert.equal(NaN, NaN)), outcome(() => assert.notEqual(1, "1")),
    outcome(() => assert.notEqual(1, 2)), outcome(() => assert.strictEqual(1, "1")), outcome(() => assert.strictEqual(NaN, NaN)), outcome(() => assert.strictEqual(0, -0)),
    outcome(() => assert.notStrictEqual(1, "1")), outcome(() => assert.notStrictEqual(1, 1)), outcome(() => assert.strictEqual(1)), outcome(() => assert.equal(null, undefined))],
  "assert: deep family": () => [outcome(() => assert.deepEqual({ a: 1 }, { a: "1" })), outcome(() => assert.deepStrictEqual({ a: 1 }, { a: "1" })), outcome(() => assert.deepStrictEqual([1, { b: [2] }], [1, { b: [2] }])),
    outcome(() => assert.notDeepStrictEqual({ a: 1 }, { a: 1 })), outcome(() => assert.notDeepStrictEqual({ a: 1 }, { a: 2 })), outcome(() => assert.deepEqual(new Set([1]), new Set(["1"]))),
    outcome(() => assert.deepStrictEqual(new Map([[1, 2]]), new Map([[1, 3]]))), outcome(() => assert.notDeepEqual([1], ["1"])), outcome(() => assert.deepEqual(1, "1")),
    outcome(() => assert.deepStrictEqual(Buffer.from("a"), Buffer.from("a"))), outcome(() => assert.deepEqual({ a: undefined }, {})), outcome(() => assert.deepEqual([1, 2], { 0: 1, 1: 2 }))],
  "assert: strict mode": () => [outcome(() => strict.equal(1, "1")), outcome(() => strict.deepEqual({ a: 1 }, { a: "1" })), outcome(() => strict.notEqual(1, "1")), strict === assert.strict,
    outcome(() => strict(false)), strict.strict === strict, strict.AssertionError === AssertionError],
  "assert: throws": () => [
    outcome(() => assert.throws(() => { throw new TypeError("x"); })),
    outcome(() => assert.throws(() => {})),
    outcome(() => assert.throws(() => { throw new TypeError("x"); }, TypeError)),
    outcome(() => assert.throws(() => { throw new TypeError("x"); }, RangeError)),
    outcome(() => assert.throws(() => { throw new Error("hello world"); }, /world/)),
    outcome(() => assert.throws(() => { throw new Error("hello"); }, /world/)),
    outcome(() => assert.throws(() => { throw new Error("hello"); }, { message: "hello", name: "Error" })),
    outcome(() => assert.throws(() => { throw new Error("hello"); }, { message: /hel/ })),
    outcome(() => assert.throws(() => { throw new Error("hello"); }, { message: "nope" })),
    outcome(() => assert.throws(() => { throw new Error("hello"); }, (e) => e.message === "hello")),
    outcome(() => assert.throws(() => { throw Object.assign(new Error("x"), { code: "E1" }); }, { code: "E1" })),
    outcome(() => assert.throws("notfn")),
    outcome(() => assert.throws(() => {}, "message text")),
    outcome(() => assert.throws(() => { throw new Error("x"); }, 5)),
  ],
  "assert: doesNotThrow": () => [outcome(() => assert.doesNotThrow(() => {})), outcome(() => assert.doesNotThrow(() => { throw new Error("x"); })),
    outcome(() => assert.doesNotThrow(() => { throw new TypeError("x"); }, RangeError)), outcome(() => assert.doesNotThrow(() => { throw new TypeError("x"); }, TypeError))],
  "assert: rejects": async () => [
    await outcomeAsync(() => assert.rejects(Promise.reject(new TypeError("x")), TypeError)),
    await outcomeAsync(() => assert.rejects(Promise.resolve(1))),
    await outcomeAsync(() => assert.rejects(async () => { throw new Error("boom"); }, /boom/)),
    await outcomeAsync(() => assert.rejects(() => 5)),
    await outcomeAsync(() => assert.rejects(5)),
    await outcomeAsync(() => assert.doesNotReject(Promise.resolve(1))),
    await outcomeAsync(() => assert.doesNotReject(Promise.reject(new Error("x")))),
  ],
  "assert: match": () => [outcome(() => assert.match("abc", /b/)), outcome(() => assert.match("abc", /x/)), outcome(() => assert.match(1, /x/)), outcome(() => assert.match("abc", "b")),
    outcome(() => assert.doesNotMatch("abc", /x/)), outcome(() => assert.doesNotMatch("abc", /b/))],
  "assert: fail and ifError": () => [outcome(() => assert.fail()), outcome(() => assert.fail("boom")), outcome(() => assert.fail(new TypeError("t"))), outcome(() => assert.ifError(null)),
    outcome(() => assert.ifError(undefined)), outcome(() => assert.ifError(new Error("e"))), outcome(() => assert.ifError("s"))],
  "assert: fail message": () => {
    try {
      assert.fail("boom");
    } catch (e) {
      return [e.message, e.operator, e.generatedMessage];
    }
  },
  "assert: AssertionError": () => {
    const e = new AssertionError({ message: "m", actual: 1, expected: 2, operator: "strictEqual" });
    return [e.name, e.code, e.message, e.actual, e.expected, e.operator, e.generatedMessage, e instanceof Error, outcome(() => new AssertionError())];
  },
  "assert: exports": () => Object.keys(assert).sort(),
};
