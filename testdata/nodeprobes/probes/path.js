// node:path, node:path/posix and node:path/win32.
import path from "node:path";
import * as pathNS from "node:path";
import posixMod from "node:path/posix";
import win32Mod from "node:path/win32";

const { posix, win32 } = path;

// Each case list runs one function over many inputs; an error answers as
// its name and code.
function table(fn, inputs) {
  return inputs.map((args) => {
    try {
      return fn(...args);
    } catch (e) {
      return { throws: e.name, code: e.code };
    }
  });
}

const posixNormalize = ["", ".", "./", "/", "//", "///", "a", "a/", "a//b", "/a/b/../c", "a/../..", "../a/..", "/..", "/../a",
  "./a/./b/.", "a/b/c/../../..", "a/b/c/../../../..", "/a//b//../c/", ".../a", "a/.../b", "..", "../", "./..", "foo/bar/../../../baz"];
const winPaths = ["", ".", "\\", "/", "C:", "C:\\", "C:/", "c:\\a\\..\\b", "C:a\\b", "C:..\\a", "\\\\server\\share", "\\\\server\\share\\",
  "\\\\server\\share\\a\\..\\b", "//server/share/x", "\\\\server", "\\a\\b\\", "a/b\\c", "..\\..\\a", "C:\\..\\a", "\\\\?\\C:\\a", "a:b:c",
  "C:\\a\\b.txt", "file.tar.gz", ".profile", "C:\\a\\", "\\\\\\a"];

export const probes = {
  "path: shape": () => ({
    same: path === posix, posixSelf: posix.posix === posix, win: posix.win32 === win32, winPosix: win32.posix === posix,
    winSelf: win32.win32 === win32, sub: posixMod === posix && win32Mod === win32, sep: [posix.sep, win32.sep],
    delimiter: [posix.delimiter, win32.delimiter], ns: typeof pathNS.join === "function" && pathNS.sep === "/",
    keys: ["resolve", "normalize", "isAbsolute", "join", "relative", "toNamespacedPath", "dirname", "basename", "extname", "format", "parse"]
      .map((k) => [typeof posix[k], typeof win32[k]]),
  }),
  "path: normalize": () => table(posix.normalize, posixNormalize.map((p) => [p])),
  "path: join": () => table(posix.join, [[], [""], ["", ""], ["a", "b"], ["/a", "b", "../c"], ["a", "", "b"], ["/", "/a"], ["a/", "/b/"],
    ["..", "a"], [".", "."], ["/a", "..", ".."], ["a", "b/"], ["", "/a"], ["./", "a"]]),
  "path: join bad argument": () => table(posix.join, [["a", 1], [null], [undefined], [{}]]),
  "path: resolve absolute": () => table(posix.resolve, [["/a/b", "c"], ["/a", "/b", "c/../d"], ["/a/b/"], ["/", ".."], ["/a", "./b/"],
    ["/x", "", "y"], ["//a//b"], ["/a", "b", "..", "..", ".."]]),
  "path: resolve relative is absolute": () => [posix.isAbsolute(posix.resolve("a")), posix.isAbsolute(posix.resolve()), posix.resolve("a").endsWith("/a")],
  "path: resolve bad argument": () => table(posix.resolve, [["/a", 3], [null]]),
  "path: isAbsolute": () => table(posix.isAbsolute, [[""], ["/"], ["a"], ["./a"], ["//a"], ["C:\\"]]),
  "path: isAbsolute bad": () => table(posix.isAbsolute, [[1]]),
  "path: relative": () => table(posix.relative, [["/a/b", "/a/b"], ["/a/b", "/a/b/c/d"], ["/a/b/c", "/a/x"], ["/", "/a"], ["/a", "/"],
    ["/a/b", "/a/bc"], ["/a/bc", "/a/b"], ["/data/orandea/test/aaa", "/data/orandea/impl/bbb"], ["/a/", "/a"], ["/a/b/", "/a/b/c/"], ["/foo/bar", "/foo/bar/"]]),
  "path: relative bad": () => table(posix.relative, [[1, "a"], ["a", null]]),
  "path: dirname": () => table(posix.dirname, ["", "/", "//", "///", "a", "a/", "/a", "/a/", "/a/b", "/a/b/", "/a//b", "a/b", "//a", "//a/b", "./a", "../a", "a/b//"].map((p) => [p])),
  "path: dirname bad": () => table(posix.dirname, [[undefined], [5]]),
  "path: basename": () => table(posix.basename, [[""], ["/"], ["a"], ["/a/b"], ["/a/b/"], ["/a/b//"], ["a.js"], ["/a/b.js", ".js"],
    ["b.js", "b.js"], ["aaa/bbb", "bbb"], ["/aaa/bbb/", "bbb"], ["aaa/bbb", "a/bbb"], ["file.js", ".JS"], ["file.js", ""], ["a.js", "s"],
    ["C:\\a\\b"], ["/a/.js", ".js"], ["//x"]]),
  "path: basename bad": () => table(posix.basename, [[1], ["a", 1], [null, ".js"]]),
  "path: extname": () => table(posix.extname, ["", "a", "a.", "a.b", "a.b.c", ".a", ".a.b", "..", "...", "..a", "a..", "/a.b/c", "/a/b.c/",
    "a.b//", ".", "/.x", "a/.b.", "file.tar.gz"].map((p) => [p])),
  "path: extname bad": () => table(posix.extname, [[{}]]),
  "path: parse": () => table(posix.parse, ["", "/", "//", "/a", "/a/", "a", "a/b.c", "/home/user/dir/file.txt", "./a.b", "..", "/..", "a//b",
    "//a", ".profile", "a.", "/a/b/c.d.e/"].map((p) => [p])),
  "path: parse bad": () => table(posix.parse, [[null]]),
  "path: format": () => table(posix.format, [[{ root: "/ignored", dir: "/home/user/dir", base: "file.txt" }], [{ root: "/", base: "file.txt", ext: "ignored" }],
    [{ root: "/", name: "file", ext: ".txt" }], [{ name: "file", ext: "txt" }], [{}], [{ dir: "a" }], [{ root: "/" }], [{ dir: "/", base: "x" }],
    [{ dir: "a", name: "n" }]]),
  "path: format bad": () => table(posix.format, [[null], ["a/b"], [undefined]]),
  "path: parse format round trip": () => ["/a/b.c", "a/b", "/", "x.y.z"].map((p) => posix.format(posix.parse(p))),
  "path: toNamespacedPath": () => [posix.toNamespacedPath("/a/b"), posix.toNamespacedPath(""), posix.toNamespacedPath(1), posix._makeLong === posix.toNamespacedPath],
  "path: win32 normalize": () => table(win32.normalize, winPaths.map((p) => [p])),
  "path: win32 join": () => table(win32.join, [["C:\\", "a", "..", "b"], ["\\\\server", "share"], ["\\\\server\\share", "x"], ["//", "a"], ["\\", "\\a"],
    ["a", "b\\", "c/"], [""], ["C:", "a"], ["//server", "share"], ["///a"], ["\\\\\\a", "b"], ["a", "\\\\b"]]),
  "path: win32 basename": () => table(win32.basename, [["C:\\a\\b.txt"], ["C:\\a\\b.txt", ".txt"], ["C:"], ["C:\\"], ["C:a"], ["\\\\server\\share\\f"],
    ["a/b\\c/"], ["C:foo.js", ".js"], ["\\"], ["file.JS", ".js"]]),
  "path: win32 dirname": () => table(win32.dirname, winPaths.map((p) => [p])),
  "path: win32 extname": () => table(win32.extname, winPaths.map((p) => [p])),
  "path: win32 isAbsolute": () => table(win32.isAbsolute, winPaths.map((p) => [p])),
  "path: win32 parse": () => table(win32.parse, winPaths.map((p) => [p])),
  "path: win32 format": () => table(win32.format, [[{ dir: "C:\\a", base: "b.txt" }], [{ root: "C:\\", name: "x", ext: ".y" }], [{ dir: "C:\\", base: "x" }]]),
  "path: win32 resolve absolute": () => table(win32.resolve, [["C:\\a", "b"], ["C:\\a", "D:\\b", "c"], ["\\\\server\\share", "..", "x"], ["C:\\a", "..\\..\\b"],
    ["c:/ignore", "c:/some/file"], ["d:/ignore", "d:some/dir//"], ["C:\\a", "\\b"]]),
  "path: win32 relative": () => table(win32.relative, [["C:\\a\\b", "C:\\a\\c"], ["C:\\a", "C:\\A"], ["C:\\a", "D:\\a"], ["C:\\orandea\\test\\aaa", "C:\\orandea\\impl\\bbb"],
    ["\\\\server\\share\\a", "\\\\server\\share\\b\\c"], ["C:\\a\\b", "C:\\a"]]),
  "path: win32 toNamespacedPath": () => table(win32.toNamespacedPath, [["C:\\a"], ["\\\\server\\share\\x"], ["\\\\?\\C:\\a"], [""], [5]]),
};
