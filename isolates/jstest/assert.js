// A tiny assertion library for the Web API tests; failures throw with the
// test's name so the Go side can report which case broke.
var __tests = [];
function test(name, fn) { __tests.push({ name, fn }); }
function eq(actual, expected, msg) {
  const a = JSON.stringify(actual), e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${msg || "eq"}: got ${a}, want ${e}`);
}
function ok(cond, msg) { if (!cond) throw new Error(msg || "not ok"); }
function throws(fn, ctor, msg) {
  try { fn(); } catch (e) {
    if (ctor && !(e instanceof ctor)) throw new Error(`${msg || "throws"}: threw ${e && e.name}: ${e && e.message}, want ${ctor.name}`);
    return e;
  }
  throw new Error(`${msg || "throws"}: did not throw`);
}
async function rejects(p, ctor, msg) {
  try { await p; } catch (e) {
    if (ctor && !(e instanceof ctor)) throw new Error(`${msg || "rejects"}: rejected with ${e && e.name}, want ${ctor.name}`);
    return e;
  }
  throw new Error(`${msg || "rejects"}: did not reject`);
}
async function __runTests() {
  const failures = [];
  for (const t of __tests) {
    try { await t.fn(); } catch (e) { failures.push(`${t.name}: ${e && e.message}`); }
  }
  return { count: __tests.length, failures };
}
