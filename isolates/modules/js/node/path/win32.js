// node:path/win32: the Windows half of node:path.
"use strict";

module.exports = require("node:path").win32;
