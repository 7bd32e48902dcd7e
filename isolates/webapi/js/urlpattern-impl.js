// URLPattern (the WHATWG URL Pattern Standard) as workerd has it (ada-url's implementation,
// compatibility dates from 2025-05-01): the tokenizer, the pattern parser, the constructor
// string parser, each component canonicalized by the URL parser (urlpattern.go, the url
// package) and compiled to an ECMAScript RegExp that goja runs. workerd compiles with the v
// flag, which goja lacks: upRegExpGroup (urlpattern-regexp.js) checks a regexp group against
// v's rules and rewrites its classes for the u flag. Every failure is workerd's TypeError.
// Here: component canonicalization, URLPatternInit processing, the constructor string
// parser, WebIDL's conversions, and the URLPattern class; the tokenizer, pattern parser and
// RegExp generation are urlpattern-parser.js's (upMakeParser).

const upComponents = ["protocol", "username", "password", "hostname", "port", "pathname", "search", "hash"];
let upState; // URLPattern → its eight compiled components (a WeakMap, made with the class)
// upFail is what every internal failure throws; the methods turn it into workerd's message.
const upFail = Symbol("urlpattern failure");

// This file, urlpattern-parser.js and urlpattern-regexp.js are compiled on a process's
// first URLPattern (lazyAPIs in apis.go) and run on an isolate's first: urlpattern.js
// defines the global that builds it (upBuild). The machinery is made on its first pattern
// (upImpl).
let upImplemented = null;
const upImpl = () => upImplemented || (upImplemented = upMakeImpl());
function upMakeImpl() {
  const upNative = native.urlpattern();
  const { upTokenize, upOptions, upEscapePattern, upCompile, upMatch, upMatchesSpecialScheme } = upMakeParser(upNative);
  const upDefaultPorts = { http: "80", https: "443", ws: "80", wss: "443", ftp: "21", file: "" };
  const upCheck = (v) => { if (v === null) throw upFail; return v; };

  // Canonicalization: the encoding callbacks, and the URLPatternInit processing of type "url".
  function upCanonProtocol(v) {
    if (v === "") return v;
    if (v.endsWith(":")) v = v.slice(0, -1);
    if (!/^[A-Za-z][A-Za-z0-9+\-.]*$/.test(v)) throw upFail;
    return v.toLowerCase();
  }
  const upCanon = (component) => (v) => v === "" ? v : upCheck(upNative.canon(component, v, ""));
  const upCanonUsername = upCanon("username"), upCanonPassword = upCanon("password"), upCanonPort = upCanon("port");
  const upCanonPathname = upCanon("pathname"), upCanonOpaquePathname = upCanon("opaque-pathname");
  const upCanonSearch = upCanon("search"), upCanonHash = upCanon("hash"), upCanonHostnameSlow = upCanon("hostname");
  const upCanonHostname = (v) => /^[a-z0-9.-]*$/.test(v) && !/(^|\.)(\d+|0x[0-9a-f]*)\.?$/.test(v) ? v : upCanonHostnameSlow(v);
  function upCanonIPv6(v) {
    if (!/^[0-9A-Fa-f:[\]]*$/.test(v)) throw upFail;
    return v.toLowerCase();
  }
  const upIsIPv6 = (v) => v.length >= 2 && (v[0] === "[" || v.startsWith("{[") || v.startsWith("\\["));
  function upIsAbsolutePathname(v, pattern) {
    if (v === "") return false;
    if (v[0] === "/") return true;
    return pattern && v.length >= 2 && v[1] === "/" && (v[0] === "\\" || v[0] === "{");
  }

  // upProcessInit is the standard's "process a URLPatternInit"; defaults holds the
  // components it starts from ("" for each when matching, none when constructing).
  function upProcessInit(init, pattern, defaults) {
    const r = defaults ? { ...defaults } : {};
    const baseString = (s) => pattern ? upEscapePattern(s) : s;
    let base = null;
    if (init.baseURL !== undefined) {
      base = upCheck(upNative.parse(init.baseURL, undefined, true));
      const has = (...ks) => ks.some((k) => init[k] !== undefined);
      if (!has("protocol")) r.protocol = baseString(base[0]);
      if (!pattern && !has("protocol", "hostname", "port", "username")) r.username = baseString(base[1]);
      if (!pattern && !has("protocol", "hostname", "port", "username", "password")) r.password = baseString(base[2]);
      if (!has("protocol", "hostname")) r.hostname = baseString(base[3]);
      if (!has("protocol", "hostname", "port")) r.port = base[4];
      if (!has("protocol", "hostname", "port", "pathname")) r.pathname = baseString(base[5]);
      if (!has("protocol", "hostname", "port", "pathname", "search")) r.search = baseString(base[6]);
      if (!has("protocol", "hostname", "port", "pathname", "search", "hash")) r.hash = baseString(base[7]);
    }
    if (init.protocol !== undefined) {
      const v = init.protocol.endsWith(":") ? init.protocol.slice(0, -1) : init.protocol;
      r.protocol = pattern ? v : upCanonProtocol(v);
    }
    if (init.username !== undefined) r.username = pattern ? init.username : upCanonUsername(init.username);
    if (init.password !== undefined) r.password = pattern ? init.password : upCanonPassword(init.password);
    if (init.hostname !== undefined) r.hostname = pattern ? init.hostname : upCanonHostname(init.hostname);
    if (init.port !== undefined) {
      r.port = pattern || init.port === "" ? init.port : upCheck(upNative.canon("port", init.port, r.protocol === undefined ? "fake" : r.protocol));
    }
    if (init.pathname !== undefined) {
      let p = init.pathname;
      if (base !== null && !base[8] && !upIsAbsolutePathname(p, pattern)) {
        const b = baseString(base[5]), slash = b.lastIndexOf("/");
        if (slash !== -1) p = b.slice(0, slash + 1) + p;
      }
      if (!pattern) {
        const proto = r.protocol === undefined ? "" : r.protocol;
        p = proto === "" || proto in upDefaultPorts ? upCanonPathname(p) : upCanonOpaquePathname(p);
      }
      r.pathname = p;
    }
    if (init.search !== undefined) {
      const v = init.search.startsWith("?") ? init.search.slice(1) : init.search;
      r.search = pattern ? v : upCanonSearch(v);
    }
    if (init.hash !== undefined) {
      const v = init.hash.startsWith("#") ? init.hash.slice(1) : init.hash;
      r.hash = pattern ? v : upCanonHash(v);
    }
    return r;
  }

  // upParseConstructorString is the standard's "parse a constructor string": a URLPatternInit
  // of pattern strings.
  const S_INIT = 0, S_PROTOCOL = 1, S_AUTHORITY = 2, S_USERNAME = 3, S_PASSWORD = 4, S_HOSTNAME = 5, S_PORT = 6, S_PATHNAME = 7, S_SEARCH = 8, S_HASH = 9, S_DONE = 10;
  const upStateNames = [null, "protocol", null, "username", "password", "hostname", "port", "pathname", "search", "hash"];
  function upParseConstructorString(input) {
    const tokens = upTokenize(input, false), cp = Array.from(input), result = {};
    let state = S_INIT, index = 0, start = 0, increment = 0, groupDepth = 0, ipv6Depth = 0, special = false;
    const safe = (i) => tokens[i < tokens.length ? i : tokens.length - 1];
    const plain = (i, v) => { const t = safe(i); return t.value === v && (t.type === T_CHAR || t.type === T_ESCAPED || t.type === T_INVALID); };
    const isSearchPrefix = () => {
      if (plain(index, "?")) return true;
      if (tokens[index].value !== "?") return false;
      if (index === 0) return true;
      const t = safe(index - 1).type;
      return !(t === T_NAME || t === T_REGEXP || t === T_CLOSE || t === T_ASTERISK);
    };
    const componentString = () => cp.slice(safe(start).index, tokens[index].index).join("");
    const rewind = () => { index = start; increment = 0; };
    const change = (next, skip) => {
      const name = upStateNames[state];
      if (name !== null && state !== S_DONE) result[name] = componentString();
      if (state !== S_INIT && next !== S_DONE) {
        if (state <= S_PASSWORD && next >= S_PORT && result.hostname === undefined) result.hostname = "";
        if (state <= S_PORT && next >= S_SEARCH && result.pathname === undefined) result.pathname = special ? "/" : "";
        if (state <= S_PATHNAME && next === S_HASH && result.search === undefined) result.search = "";
      }
      state = next; index += skip; start = index; increment = 0;
    };
    while (index < tokens.length) {
      increment = 1;
      const t = tokens[index];
      if (t.type === T_END) {
        if (state === S_INIT) {
          rewind();
          if (plain(index, "#")) change(S_HASH, 1);
          else if (isSearchPrefix()) change(S_SEARCH, 1);
          else change(S_PATHNAME, 0);
          index += increment;
          continue;
        }
        if (state === S_AUTHORITY) { rewind(); change(S_HOSTNAME, 0); index += increment; continue; }
        change(S_DONE, 0);
        break;
      }
      if (t.type === T_OPEN) { groupDepth++; index += increment; continue; }
      if (groupDepth > 0) {
        if (t.type === T_CLOSE) groupDepth--;
        else { index += increment; continue; }
      }
      switch (state) {
        case S_INIT:
          if (plain(index, ":")) { rewind(); change(S_PROTOCOL, 0); }
          break;
        case S_PROTOCOL:
          if (plain(index, ":")) {
            special = upMatchesSpecialScheme(upCompile(componentString(), upCanonProtocol, upOptions("", "", false)));
            if (plain(index + 1, "/") && plain(index + 2, "/")) change(S_AUTHORITY, 3);
            else change(special ? S_AUTHORITY : S_PATHNAME, 1);
          }
          break;
        case S_AUTHORITY:
          if (plain(index, "@")) { rewind(); change(S_USERNAME, 0); }
          else if (plain(index, "/") || isSearchPrefix() || plain(index, "#")) { rewind(); change(S_HOSTNAME, 0); }
          break;
        case S_USERNAME:
          if (plain(index, ":")) change(S_PASSWORD, 1);
          else if (plain(index, "@")) change(S_HOSTNAME, 1);
          break;
        case S_PASSWORD:
          if (plain(index, "@")) change(S_HOSTNAME, 1);
          break;
        case S_HOSTNAME:
          if (plain(index, "[")) ipv6Depth++;
          else if (plain(index, "]")) ipv6Depth--;
          else if (plain(index, ":") && ipv6Depth === 0) change(S_PORT, 1);
          else if (plain(index, "/")) change(S_PATHNAME, 0);
          else if (isSearchPrefix()) change(S_SEARCH, 1);
          else if (plain(index, "#")) change(S_HASH, 1);
          break;
        case S_PORT:
          if (plain(index, "/")) change(S_PATHNAME, 0);
          else if (isSearchPrefix()) change(S_SEARCH, 1);
          else if (plain(index, "#")) change(S_HASH, 1);
          break;
        case S_PATHNAME:
          if (isSearchPrefix()) change(S_SEARCH, 1);
          else if (plain(index, "#")) change(S_HASH, 1);
          break;
        case S_SEARCH:
          if (plain(index, "#")) change(S_HASH, 1);
          break;
      }
      index += increment;
    }
    if (result.hostname !== undefined && result.port === undefined) result.port = "";
    return result;
  }

  // WebIDL's conversions, as workerd's: a URLPatternInit is read in declaration order, each
  // member a USVString unless undefined; a string argument or an init (undefined, null or an
  // object); options.
  const upToWellFormed = String.prototype.toWellFormed;
  const upUSV = (v) => upToWellFormed.call(`${v}`);
  const upInitKeys = [...upComponents, "baseURL"];
  function upInit(v) {
    const init = {};
    if (v === undefined || v === null) return init;
    for (const k of upInitKeys) {
      const x = v[k];
      if (x !== undefined) init[k] = upUSV(x);
    }
    return init;
  }
  const upIsInit = (v) => v === undefined || v === null || typeof v === "object" || typeof v === "function";
  const upInput = (v) => upIsInit(v) ? upInit(v) : upUSV(v);
  const upIgnoreCase = (o) => o !== undefined && o !== null && o.ignoreCase !== undefined && Boolean(o.ignoreCase);

  function upConstruct(input, base, ignoreCase) {
    let init = input;
    if (typeof input === "string") {
      init = upParseConstructorString(input);
      if (base === undefined && init.protocol === undefined) throw upFail;
      if (base !== undefined) init.baseURL = base;
    } else if (base !== undefined) throw upFail;
    const p = upProcessInit(init, true, null);
    for (const k of upComponents) if (p[k] === undefined) p[k] = "*";
    if (p.protocol in upDefaultPorts && upDefaultPorts[p.protocol] === p.port) p.port = "";
    const plainOptions = upOptions("", "", false), caseOptions = upOptions("", "", ignoreCase);
    const c = [
      upCompile(p.protocol, upCanonProtocol, plainOptions),
      upCompile(p.username, upCanonUsername, plainOptions),
      upCompile(p.password, upCanonPassword, plainOptions),
      upIsIPv6(p.hostname) ? upCompile(p.hostname, upCanonIPv6, plainOptions) : upCompile(p.hostname, upCanonHostname, upOptions(".", "", false)),
      upCompile(p.port, upCanonPort, plainOptions),
    ];
    c.push(upMatchesSpecialScheme(c[0])
      ? upCompile(p.pathname, upCanonPathname, upOptions("/", "/", ignoreCase))
      : upCompile(p.pathname, upCanonOpaquePathname, caseOptions));
    c.push(upCompile(p.search, upCanonSearch, caseOptions), upCompile(p.hash, upCanonHash, caseOptions));
    return c;
  }

  // upRun is exec's result, or null; it throws upFail for an init given with a baseURL.
  function upRun(components, input, base) {
    let values;
    const inputs = [input];
    if (typeof input !== "string") {
      if (base !== undefined) throw upFail;
      let r;
      try { r = upProcessInit(input, false, { protocol: "", username: "", password: "", hostname: "", port: "", pathname: "", search: "", hash: "" }); } catch (e) {
        if (e === upFail) return null;
        throw e;
      }
      values = upComponents.map((k) => r[k]);
      if (values[6].startsWith("?")) values[6] = values[6].slice(1);
    } else {
      values = upNative.parse(input, base);
      if (values === null) return null;
      if (base !== undefined) inputs.push(base);
    }
    const groups = [];
    for (let i = 0; i < 8; i++) {
      const m = upMatch(components[i], values[i]);
      if (m === null) return null;
      groups.push(m);
    }
    return { inputs, groups, values };
  }
  return { construct: upConstruct, run: upRun, input: upInput, usv: upUSV, isInit: upIsInit, ignoreCase: upIgnoreCase };
}

function upComponentsOf(p) {
  const c = upState.get(p);
  if (c === undefined) throw new TypeError("Illegal invocation: function called with incorrect `this` reference. See https://developers.cloudflare.com/workers/observability/errors/#illegal-invocation-errors for details.");
  return c;
}

function upBuild() {
  upState = new WeakMap();
  function URLPattern(...args) {
    let [input, baseURL, options] = args;
    if (new.target === undefined) throw new TypeError("Failed to construct 'URLPattern': Please use the 'new' operator, this object constructor cannot be called as a function.");
    const impl = upImpl();
    input = impl.input(input);
    let base, ignoreCase = false;
    if (baseURL !== undefined && impl.isInit(baseURL)) ignoreCase = impl.ignoreCase(baseURL);
    else {
      if (baseURL !== undefined) base = impl.usv(baseURL);
      ignoreCase = impl.ignoreCase(options);
    }
    let c;
    try { c = impl.construct(input, base, ignoreCase); } catch (e) {
      if (e === upFail) throw new TypeError("Failed to construct URLPattern");
      throw e;
    }
    upState.set(this, c);
  }
  // workerd's shapes: every member enumerable, accessors without names, lengths 0.
  const upProto = URLPattern.prototype;
  const upAccessor = (name, get) => {
    Object.defineProperty(get, "name", { value: "" });
    Object.defineProperty(upProto, name, { get, enumerable: true, configurable: true });
  };
  upComponents.forEach((name, i) => upAccessor(name, function () { return upComponentsOf(this)[i].pattern; }));
  upAccessor("hasRegExpGroups", function () { return upComponentsOf(this).some((c) => c.regexpGroups); });
  const upMethods = {
    test(...args) {
      let [input, baseURL] = args;
      const c = upComponentsOf(this), impl = upImpl();
      input = impl.input(input);
      if (baseURL !== undefined) baseURL = impl.usv(baseURL);
      try { return impl.run(c, input, baseURL) !== null; } catch (e) {
        if (e === upFail) throw new TypeError("Failed to test URLPattern");
        throw e;
      }
    },
    exec(...args) {
      let [input, baseURL] = args;
      const c = upComponentsOf(this), impl = upImpl();
      input = impl.input(input);
      if (baseURL !== undefined) baseURL = impl.usv(baseURL);
      let m;
      try { m = impl.run(c, input, baseURL); } catch (e) {
        if (e === upFail) throw new TypeError("Failed to exec URLPattern");
        throw e;
      }
      if (m === null) return null;
      const result = { inputs: m.inputs };
      upComponents.forEach((name, i) => {
        const g = {}, names = c[i].names, values = m.groups[i];
        for (let j = 0; j < names.length && j < values.length; j++) g[names[j]] = values[j];
        result[name] = { input: m.values[i], groups: g };
      });
      return result;
    },
  };
  for (const k of ["test", "exec"]) Object.defineProperty(upProto, k, { value: upMethods[k], writable: true, enumerable: true, configurable: true });
  tag(URLPattern, "URLPattern");
  return URLPattern;
}
