// node:path/posix: the POSIX half of node:path.
"use strict";

module.exports = require("node:path").posix;
