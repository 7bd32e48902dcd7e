// node:assert/strict: node:assert's strict mode (equal is strictEqual,
// deepEqual is deepStrictEqual, …).
"use strict";

module.exports = require("node:assert").strict;
