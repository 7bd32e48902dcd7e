// A small assert helper in the style of goja_nodejs's tests. Each
// testdata/*.js file runs in a fresh runtime after this one.
"use strict";

function fail(msg, detail) {
	throw new Error((msg ? msg + ": " : "") + detail);
}

function show(v) {
	if (typeof v === "string") return JSON.stringify(v);
	if (Array.isArray(v)) return JSON.stringify(v);
	return String(v);
}

function assert(cond, msg) {
	if (!cond) fail(msg, "assertion failed");
}

assert.sameValue = function (actual, expected, msg) {
	if (!Object.is(actual, expected)) fail(msg, "expected " + show(expected) + ", got " + show(actual));
};

assert.deepEqual = function (actual, expected, msg) {
	const a = JSON.stringify(actual), e = JSON.stringify(expected);
	if (a !== e) fail(msg, "expected " + e + ", got " + a);
};

// assert.throws calls fn and checks that it throws an instance of
// ErrorType, and that the message is `message` when given.
assert.throws = function (ErrorType, fn, msg, message) {
	let threw = false, err;
	try {
		fn();
	} catch (e) {
		threw = true;
		err = e;
	}
	if (!threw) fail(msg, "expected " + ErrorType.name + ", nothing was thrown");
	if (!(err instanceof ErrorType)) fail(msg, "expected " + ErrorType.name + ", got " + err);
	if (message !== undefined && err.message !== message) fail(msg, "expected message " + show(message) + ", got " + show(err.message));
	return err;
};
