// node:url: the WHATWG URL and URLSearchParams (the globals), the file URL
// and domain helpers, urlToHttpOptions, and Node's legacy API (parse,
// format, resolve with Url objects), which old drivers and frameworks
// still call.
"use strict";

const querystring = require("node:querystring");
const punycode = require("node:punycode");
const path = require("node:path");

const { describe } = require("node:internal/errors");

function nodeError(Ctor, code, msg) {
  const e = new Ctor(msg);
  e.code = code;
  return e;
}

function missingArgs(name) {
  return nodeError(TypeError, "ERR_MISSING_ARGS", `The "${name}" argument must be specified`);
}

// domainToASCII is the host a ws: URL gets when its hostname is set to
// domain ("" when that fails), as Node computes it; two bases tell a
// refused setter from a domain equal to the base's host.
function hostnameFor(domain) {
  const a = new URL("ws://a");
  const b = new URL("ws://b");
  a.hostname = domain;
  b.hostname = domain;
  if (a.hostname === "a" && b.hostname === "b") return "";
  return a.hostname;
}

function domainToASCII(domain) {
  if (arguments.length < 1) throw missingArgs("domain");
  domain = `${domain}`;
  if (domain === "") return "";
  return hostnameFor(domain);
}

function domainToUnicode(domain) {
  if (arguments.length < 1) throw missingArgs("domain");
  const ascii = domainToASCII(domain);
  return ascii.split(".").map((label) => {
    if (!/^xn--/i.test(label)) return label;
    try {
      return punycode.decode(label.slice(4).toLowerCase());
    } catch (e) {
      return label;
    }
  }).join(".");
}

function fileURLToPath(url) {
  if (typeof url === "string") url = new URL(url);
  else if (!(url instanceof URL)) {
    throw nodeError(TypeError, "ERR_INVALID_ARG_TYPE", 'The "path" argument must be of type string or an instance of URL.' + describe(url));
  }
  if (url.protocol !== "file:") throw nodeError(TypeError, "ERR_INVALID_URL_SCHEME", "The URL must be of scheme file");
  if (url.hostname !== "") throw nodeError(TypeError, "ERR_INVALID_FILE_URL_HOST", 'File URL host must be "localhost" or empty on linux');
  const pathname = url.pathname;
  if (/%2f/i.test(pathname)) throw nodeError(TypeError, "ERR_INVALID_FILE_URL_PATH", "File URL path must not include encoded / characters");
  return decodeURIComponent(pathname);
}

function pathToFileURL(filepath) {
  if (typeof filepath !== "string") {
    throw nodeError(TypeError, "ERR_INVALID_ARG_TYPE", 'The "path" argument must be of type string.' + describe(filepath));
  }
  let resolved = path.resolve(filepath);
  // resolve() drops a trailing slash the caller meant
  if (filepath.endsWith("/") && !resolved.endsWith("/")) resolved += "/";
  const u = new URL("file://");
  // what the pathname setter would not encode (or would take as a
  // separator), encoded first
  u.pathname = resolved.replace(/%/g, "%25").replace(/\\/g, "%5C").replace(/\n/g, "%0A").replace(/\r/g, "%0D").replace(/\t/g, "%09");
  return u;
}

function urlToHttpOptions(url) {
  const options = { __proto__: null, ...url };
  const { hostname, pathname, port, username, password, search } = url;
  options.protocol = url.protocol;
  options.hostname = hostname && hostname.startsWith("[") ? hostname.slice(1, -1) : hostname;
  options.hash = url.hash;
  options.search = search;
  options.pathname = pathname;
  options.path = `${pathname || ""}${search || ""}`;
  options.href = url.href;
  if (port !== "") options.port = Number(port);
  if (username || password) options.auth = `${decodeURIComponent(username)}:${decodeURIComponent(password)}`;
  return options;
}

// The legacy API.
const legacy = legacyAPI();

function legacyAPI() {
  // Protocols that never have a host, and those whose URLs always start
  // with "//" (a host), as Node's legacy parser knows them.
  const hostless = new Set(["javascript", "javascript:"]);
  const slashed = new Set(["http", "http:", "https", "https:", "ftp", "ftp:", "gopher", "gopher:", "file", "file:", "ws", "ws:", "wss", "wss:"]);
  // characters escaped in a parsed URL's path, query and hash
  const autoEscape = /[<>"` \r\n\t{}|\\^']/g;
  const escapeChar = (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0");

  class Url {
    constructor() {
      this.protocol = null;
      this.slashes = null;
      this.auth = null;
      this.host = null;
      this.port = null;
      this.hostname = null;
      this.hash = null;
      this.search = null;
      this.query = null;
      this.pathname = null;
      this.path = null;
      this.href = null;
    }
  }

  Url.prototype.parse = function (url, parseQueryString, slashesDenoteHost) {
    if (typeof url !== "string") {
      throw nodeError(TypeError, "ERR_INVALID_ARG_TYPE", 'The "url" argument must be of type string.' + describe(url));
    }
    let rest = url.trim();
    // backslashes before the query are slashes, as browsers take them
    const q = rest.search(/[?#]/);
    rest = q < 0 ? rest.replace(/\\/g, "/") : rest.slice(0, q).replace(/\\/g, "/") + rest.slice(q);

    const proto = /^[a-z0-9.+-]+:/i.exec(rest);
    let lowerProto = "";
    if (proto) {
      lowerProto = proto[0].toLowerCase();
      this.protocol = lowerProto;
      rest = rest.slice(proto[0].length);
    }
    let slashes = false;
    if (slashesDenoteHost || proto || /^\/\/[^@/]+@[^@/]+/.test(rest)) {
      slashes = rest.startsWith("//");
      if (slashes && !(proto && hostless.has(lowerProto))) {
        rest = rest.slice(2);
        this.slashes = true;
      } else slashes = false;
    }
    if (!hostless.has(lowerProto) && (slashes || (proto && !slashed.has(lowerProto)))) {
      // the host ends at the first of / ? #; an auth ends at the last @
      // before that
      let hostEnd = rest.search(/[/?#]/);
      const at = rest.lastIndexOf("@", hostEnd < 0 ? rest.length : hostEnd);
      if (at >= 0) {
        this.auth = decodeURIComponent(rest.slice(0, at));
        rest = rest.slice(at + 1);
      }
      hostEnd = rest.search(/[/?#%;<>"` \r\n\t{}|\\^']/);
      if (hostEnd < 0) hostEnd = rest.length;
      let host = rest.slice(0, hostEnd);
      rest = rest.slice(hostEnd);
      const port = /:[0-9]*$/.exec(host);
      if (port) {
        if (port[0] !== ":") this.port = port[0].slice(1);
        host = host.slice(0, host.length - port[0].length);
      }
      let hostname = host;
      const ipv6 = hostname.startsWith("[") && hostname.endsWith("]");
      if (!ipv6) {
        // a label with other characters ends the host there
        const parts = hostname.split(".");
        for (let i = 0; i < parts.length; i++) {
          if (parts[i] && !/^[+a-z0-9A-Z_-]{0,63}$/.test(parts[i]) && /^[\x00-\x7f]*$/.test(parts[i])) {
            const m = /^([+a-z0-9A-Z_-]+)(.*)$/.exec(parts[i]);
            hostname = parts.slice(0, i).concat(m ? [m[1]] : []).join(".");
            rest = "/" + (m ? m[2] : parts[i]) + parts.slice(i + 1).map((p) => "." + p).join("") + rest;
            break;
          }
        }
      }
      hostname = hostname.length > 255 ? "" : hostname.toLowerCase();
      if (!ipv6) hostname = punycode.toASCII(hostname);
      else hostname = hostname.slice(1, -1);
      this.hostname = hostname;
      const p = this.port ? ":" + this.port : "";
      this.host = (ipv6 ? "[" + hostname + "]" : hostname) + p;
      if (ipv6 && rest[0] !== "/" && rest !== "") rest = "/" + rest;
    }
    if (!hostless.has(lowerProto)) rest = rest.replace(autoEscape, escapeChar);
    const hash = rest.indexOf("#");
    if (hash >= 0) {
      this.hash = rest.slice(hash);
      rest = rest.slice(0, hash);
    }
    const qm = rest.indexOf("?");
    if (qm >= 0) {
      this.search = rest.slice(qm);
      this.query = rest.slice(qm + 1);
      if (parseQueryString) this.query = querystring.parse(this.query);
      rest = rest.slice(0, qm);
    } else if (parseQueryString) {
      this.query = { __proto__: null };
    }
    if (rest) this.pathname = rest;
    if (slashed.has(lowerProto) && this.hostname && !this.pathname) this.pathname = "/";
    if (this.pathname || this.search) this.path = (this.pathname || "") + (this.search || "");
    this.href = this.format();
    return this;
  };

  Url.prototype.format = function () {
    let auth = this.auth || "";
    if (auth) auth = encodeURIComponent(auth).replace(/%3A/i, ":") + "@";
    let protocol = this.protocol || "";
    let pathname = this.pathname || "";
    let hash = this.hash || "";
    let host = "";
    let query = "";
    if (this.host) host = auth + this.host;
    else if (this.hostname) {
      host = auth + (this.hostname.includes(":") && !this.hostname.startsWith("[") ? "[" + this.hostname + "]" : this.hostname);
      if (this.port) host += ":" + this.port;
    }
    if (this.query !== null && typeof this.query === "object") query = querystring.stringify(this.query);
    let search = this.search || (query && "?" + query) || "";
    if (protocol && !protocol.endsWith(":")) protocol += ":";
    pathname = pathname.replace(/[?#]/g, (c) => encodeURIComponent(c));
    search = search.replace("#", "%23");
    if (this.slashes || slashed.has(protocol)) {
      if (this.slashes || host) {
        if (pathname && pathname[0] !== "/") pathname = "/" + pathname;
        host = "//" + host;
      } else if (protocol === "file:") host = "//";
    }
    if (hash && hash[0] !== "#") hash = "#" + hash;
    if (search && search[0] !== "?") search = "?" + search;
    return protocol + host + pathname + search + hash;
  };

  // resolve: against an absolute base the WHATWG resolution; against a
  // path-only base the same, on a placeholder origin taken off again.
  Url.prototype.resolve = function (relative) {
    const base = this.format();
    try {
      if (this.protocol) return new URL(relative, base).href;
      const origin = "http://edgerun.invalid";
      const out = new URL(relative, origin + (base.startsWith("/") ? base : "/" + base)).href;
      if (!out.startsWith(origin + "/")) return out;
      const rel = out.slice(origin.length);
      return base.startsWith("/") ? rel : rel.slice(1);
    } catch (e) {
      return relative;
    }
  };

  function parse(url, parseQueryString, slashesDenoteHost) {
    if (url instanceof Url) return url;
    return new Url().parse(url, parseQueryString, slashesDenoteHost);
  }

  function format(obj, options) {
    if (typeof obj === "string") return parse(obj).format();
    if (obj instanceof URL) {
      const o = options || {};
      const u = new URL(obj.href);
      if (o.auth === false) {
        u.username = "";
        u.password = "";
      }
      if (o.fragment === false) u.hash = "";
      if (o.search === false) u.search = "";
      let href = u.href;
      if (o.unicode) href = href.replace(u.host, domainToUnicode(u.hostname) + (u.port ? ":" + u.port : ""));
      return href;
    }
    if (obj === null || typeof obj !== "object") {
      throw nodeError(TypeError, "ERR_INVALID_ARG_TYPE", 'The "urlObject" argument must be one of type object or string.' + describe(obj));
    }
    return Url.prototype.format.call(obj);
  }

  function resolve(source, relative) {
    return parse(source, false, true).resolve(relative);
  }

  return { Url, parse, format, resolve };
}

module.exports = {
  URL,
  URLSearchParams,
  domainToASCII,
  domainToUnicode,
  fileURLToPath,
  pathToFileURL,
  urlToHttpOptions,
  Url: legacy.Url,
  parse: legacy.parse,
  format: legacy.format,
  resolve: legacy.resolve,
  resolveObject: (source, relative) => legacy.parse(legacy.resolve(source, relative)),
};
