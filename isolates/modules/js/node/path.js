// node:path: POSIX paths (what node:path is on Linux, and in workerd) and
// Windows paths (path.win32), as Node gives them. There is no file system:
// resolve() works against the working directory "/", as workerd's does.
//
// Both flavours share one implementation, parameterised by what a
// separator is and where a path's root ends.
"use strict";

const SLASH = 47, BACKSLASH = 92, DOT = 46, COLON = 58;

const { describe } = require("node:internal/errors");

function argTypeError(name, type, v) {
  const e = new TypeError(`The "${name}" argument must be of type ${type}.` + describe(v));
  e.code = "ERR_INVALID_ARG_TYPE";
  return e;
}

function checkString(v, name) {
  if (typeof v !== "string") throw argTypeError(name, "string", v);
}

function isLetter(c) { return (c >= 65 && c <= 90) || (c >= 97 && c <= 122); }

// normalizeTail resolves "." and ".." in the part of a path after its root:
// the segments, without the empty ones; ".." climbs, and is kept only
// where the path may go above its start (a relative path).
function normalizeTail(tail, relative, isSep) {
  const out = [];
  let start = 0;
  for (let i = 0; i <= tail.length; i++) {
    if (i < tail.length && !isSep(tail.charCodeAt(i))) continue;
    const seg = tail.slice(start, i);
    start = i + 1;
    if (seg === "" || seg === ".") continue;
    if (seg === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (relative) out.push("..");
      continue;
    }
    out.push(seg);
  }
  return out;
}

function makePath(flavour) {
  const win = flavour === "win32";
  const sep = win ? "\\" : "/";
  const isSep = win ? (c) => c === SLASH || c === BACKSLASH : (c) => c === SLASH;

  // rootOf: where p's root ends, whether p is absolute, and its device
  // (win32: "C:" or "\\server\share"; "" for none). A complete UNC root
  // ends after the separator that follows the share.
  function rootOf(p) {
    const len = p.length;
    if (len === 0) return { end: 0, abs: false, device: "" };
    const c0 = p.charCodeAt(0);
    if (!win) return { end: c0 === SLASH ? 1 : 0, abs: c0 === SLASH, device: "" };
    if (isSep(c0)) {
      if (len > 1 && isSep(p.charCodeAt(1))) {
        // \\server\share
        let j = 2;
        while (j < len && !isSep(p.charCodeAt(j))) j++;
        if (j < len && j !== 2) {
          const server = p.slice(2, j);
          while (j < len && isSep(p.charCodeAt(j))) j++;
          const shareStart = j;
          if (j < len) {
            while (j < len && !isSep(p.charCodeAt(j))) j++;
            const device = "\\\\" + server + "\\" + p.slice(shareStart, j);
            return { end: j === len ? j : j + 1, abs: true, device, unc: true };
          }
        }
      }
      return { end: 1, abs: true, device: "" };
    }
    if (len > 1 && isLetter(c0) && p.charCodeAt(1) === COLON) {
      if (len > 2 && isSep(p.charCodeAt(2))) return { end: 3, abs: true, device: p.slice(0, 2) };
      return { end: 2, abs: false, device: p.slice(0, 2) };
    }
    return { end: 0, abs: false, device: "" };
  }

  function normalize(p) {
    checkString(p, "path");
    if (p.length === 0) return ".";
    if (win && p.length === 1) return isSep(p.charCodeAt(0)) ? "\\" : p;
    const r = rootOf(p);
    if (r.unc && r.end === p.length && !isSep(p.charCodeAt(p.length - 1))) return r.device + "\\";
    let tail = normalizeTail(p.slice(r.end), !r.abs, isSep).join(sep);
    if (tail === "" && !r.abs) tail = ".";
    if (tail !== "" && isSep(p.charCodeAt(p.length - 1))) tail += sep;
    if (!win) return r.abs ? "/" + tail : tail;
    return r.abs ? r.device + "\\" + tail : r.device + tail;
  }

  function join(...parts) {
    let joined = "";
    let first = "";
    for (const part of parts) {
      checkString(part, "path");
      if (part.length === 0) continue;
      if (joined === "") { joined = first = part; } else joined += sep + part;
    }
    if (joined === "") return ".";
    if (win) {
      // Only a first part that itself begins like a UNC path ("\\x") keeps
      // its two leading separators; any other run of them becomes one.
      const unc = first.length > 2 && isSep(first.charCodeAt(0)) && isSep(first.charCodeAt(1)) && !isSep(first.charCodeAt(2));
      if (!unc) {
        let n = 0;
        while (n < joined.length && isSep(joined.charCodeAt(n))) n++;
        if (n >= 2) joined = "\\" + joined.slice(n);
      }
    }
    return normalize(joined);
  }

  function resolve(...args) {
    let device = "", tail = "", abs = false;
    for (let i = args.length - 1; i >= -1; i--) {
      let p;
      if (i >= 0) {
        p = args[i];
        checkString(p, `paths[${i}]`);
        if (p.length === 0) continue;
      } else {
        p = win ? (device ? device + "\\" : "\\") : "/"; // the working directory
      }
      const r = rootOf(p);
      if (win && r.device) {
        if (device && r.device.toLowerCase() !== device.toLowerCase()) continue; // another drive's path
        if (!device) device = r.device;
      }
      if (abs) {
        if (device) break;
        continue;
      }
      tail = p.slice(r.end) + (tail ? sep + tail : "");
      abs = r.abs;
      if (abs && (!win || device)) break;
    }
    const t = normalizeTail(tail, !abs, isSep).join(sep);
    if (!win) return "/" + t;
    return abs ? device + "\\" + t : device + t || ".";
  }

  function isAbsolute(p) {
    checkString(p, "path");
    return rootOf(p).abs;
  }

  function relative(from, to) {
    checkString(from, "from");
    checkString(to, "to");
    if (from === to) return "";
    from = resolve(from);
    to = resolve(to);
    const same = win ? (a, b) => a.toLowerCase() === b.toLowerCase() : (a, b) => a === b;
    if (same(from, to)) return "";
    const rf = rootOf(from), rt = rootOf(to);
    if (win && !same(from.slice(0, rf.end), to.slice(0, rt.end))) return to;
    const fs = from.slice(rf.end).split(sep).filter((s) => s !== "");
    const ts = to.slice(rt.end).split(sep).filter((s) => s !== "");
    let common = 0;
    while (common < fs.length && common < ts.length && same(fs[common], ts[common])) common++;
    const up = fs.slice(common).map(() => "..");
    return up.concat(ts.slice(common)).join(sep);
  }

  function toNamespacedPath(p) {
    if (!win || typeof p !== "string" || p.length === 0) return p;
    const resolved = resolve(p);
    if (resolved.length <= 2) return p;
    if (resolved.charCodeAt(0) === BACKSLASH) {
      if (resolved.charCodeAt(1) === BACKSLASH) {
        const c = resolved.charCodeAt(2);
        if (c !== 63 && c !== DOT) return "\\\\?\\UNC\\" + resolved.slice(2);
      }
      return p;
    }
    if (isLetter(resolved.charCodeAt(0)) && resolved.charCodeAt(1) === COLON && resolved.charCodeAt(2) === BACKSLASH) {
      return "\\\\?\\" + resolved;
    }
    return p;
  }

  // lastPart finds p's last segment from index start on: [begin, end) with
  // the trailing separators left out.
  function lastPart(p, start) {
    let end = p.length;
    while (end > start && isSep(p.charCodeAt(end - 1))) end--;
    let begin = end;
    while (begin > start && !isSep(p.charCodeAt(begin - 1))) begin--;
    return [begin, end];
  }

  function driveOffset(p) {
    return win && p.length >= 2 && isLetter(p.charCodeAt(0)) && p.charCodeAt(1) === COLON ? 2 : 0;
  }

  function dirname(p) {
    checkString(p, "path");
    if (p.length === 0) return ".";
    if (win && p.length === 1) return isSep(p.charCodeAt(0)) ? p : ".";
    const r = rootOf(p);
    if (r.unc && r.end === p.length) return p;
    let end = -1;
    let seenName = false;
    for (let i = p.length - 1; i >= Math.max(r.end, 1); i--) {
      if (isSep(p.charCodeAt(i))) {
        if (seenName) { end = i; break; }
      } else seenName = true;
    }
    if (end === -1) {
      if (r.end === 0) return ".";
      return win ? p.slice(0, r.end) : "/";
    }
    if (!win && r.abs && end === 1) return "//";
    return p.slice(0, end);
  }

  function basename(p, suffix) {
    if (suffix !== undefined) checkString(suffix, "suffix");
    checkString(p, "path");
    if (suffix !== undefined && suffix.length > 0 && suffix === p) return ""; // as Node does
    const [begin, end] = lastPart(p, driveOffset(p));
    const base = p.slice(begin, end);
    if (suffix !== undefined && suffix.length > 0 && base !== suffix && base.endsWith(suffix)) {
      return base.slice(0, base.length - suffix.length);
    }
    return base;
  }

  // extOf is the extension of a last segment: from its last dot, unless
  // the dot starts it (".profile") or the segment is "..".
  function extOf(base) {
    const dot = base.lastIndexOf(".");
    if (dot <= 0 || base === "..") return "";
    return base.slice(dot);
  }

  function extname(p) {
    checkString(p, "path");
    const [begin, end] = lastPart(p, driveOffset(p));
    return extOf(p.slice(begin, end));
  }

  function parse(p) {
    checkString(p, "path");
    const ret = { root: "", dir: "", base: "", ext: "", name: "" };
    if (p.length === 0) return ret;
    const r = rootOf(p);
    ret.root = p.slice(0, r.end);
    if (r.end === p.length) {
      ret.dir = ret.root;
      return ret;
    }
    const [begin, end] = lastPart(p, r.end);
    if (begin === end) {
      // only separators after the root
      ret.dir = ret.root;
      return ret;
    }
    ret.base = p.slice(begin, end);
    ret.ext = extOf(ret.base);
    if (!win && r.abs && begin === 1 && ret.base === "..") ret.ext = "."; // Node's answer for "/.."
    ret.name = ret.base.slice(0, ret.base.length - ret.ext.length);
    ret.dir = begin > r.end ? p.slice(0, begin - 1) : ret.root;
    return ret;
  }

  function format(obj) {
    if (obj === null || typeof obj !== "object") throw argTypeError("pathObject", "object", obj);
    const dir = obj.dir || obj.root;
    let ext = obj.ext || "";
    if (ext && ext[0] !== ".") ext = "." + ext;
    const base = obj.base || (obj.name || "") + ext;
    if (!dir) return base;
    return dir === obj.root ? dir + base : dir + sep + base;
  }

  return {
    resolve, normalize, isAbsolute, join, relative, toNamespacedPath, dirname, basename, extname, format, parse,
    sep, delimiter: win ? ";" : ":", win32: null, posix: null, _makeLong: toNamespacedPath,
  };
}

const posix = makePath("posix");
const win32 = makePath("win32");
posix.posix = win32.posix = posix;
posix.win32 = win32.win32 = win32;

module.exports = posix;
