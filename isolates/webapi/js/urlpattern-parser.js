// URLPattern's pattern strings (urlpattern-impl.js): the standard's tokenizer, "parse a
// pattern string" into parts, the RegExp and pattern string generated from the parts, and
// a component compiled and matched. urlpattern-impl.js's constructor string parser reads
// the tokenizer's tokens (T_*). Made with the rest of the machinery, on an isolate's first
// pattern (upMakeImpl), as upMakeRegExpGroup is (urlpattern-regexp.js).

// Token types.
const T_INVALID = 0, T_OPEN = 1, T_CLOSE = 2, T_REGEXP = 3, T_NAME = 4, T_CHAR = 5, T_ESCAPED = 6, T_MOD = 7, T_ASTERISK = 8, T_END = 9;

function upMakeParser(upNative) {
  const upSpecialSchemes = ["http", "https", "ws", "wss", "ftp"];
  const upRegExp = RegExp;
  const upRegExpGroup = upMakeRegExpGroup();

  // Part types and modifiers.
  const P_FIXED = 0, P_REGEXP = 1, P_SEGMENT = 2, P_FULL = 3;
  const M_NONE = "", M_OPTIONAL = "?", M_ZERO_OR_MORE = "*", M_ONE_OR_MORE = "+";

  const upIsASCII = (c) => c.charCodeAt(0) < 0x80;
  function upIsNameCodePoint(c, first) {
    const n = c.codePointAt(0);
    if (n >= 0x80) return upNative.nameChar(n, first);
    return (n >= 0x61 && n <= 0x7a) || (n >= 0x41 && n <= 0x5a) || n === 0x24 || n === 0x5f || (!first && n >= 0x30 && n <= 0x39);
  }

  // upTokenize is the standard's tokenizer; strict throws where lenient adds an invalid-char.
  function upTokenize(input, strict) {
    const cp = Array.from(input), n = cp.length, tokens = [];
    let index = 0;
    const add = (type, next, at, len) => { tokens.push({ type, index, value: cp.slice(at, at + len).join("") }); index = next; };
    const addTo = (type, next, at) => add(type, next, at, next - at);
    const error = (next, at) => { if (strict) throw upFail; addTo(T_INVALID, next, at); };
    while (index < n) {
      const c = cp[index], next = index + 1;
      if (c === "*") { addTo(T_ASTERISK, next, index); continue; }
      if (c === "+" || c === "?") { addTo(T_MOD, next, index); continue; }
      if (c === "\\") {
        if (index === n - 1) error(next, index);
        else addTo(T_ESCAPED, next + 1, next);
        continue;
      }
      if (c === "{") { addTo(T_OPEN, next, index); continue; }
      if (c === "}") { addTo(T_CLOSE, next, index); continue; }
      if (c === ":") {
        let pos = next;
        while (pos < n && upIsNameCodePoint(cp[pos], pos === next)) pos++;
        if (pos === next) error(next, index);
        else addTo(T_NAME, pos, next);
        continue;
      }
      if (c === "(") {
        let depth = 1, pos = next, bad = false;
        while (pos < n) {
          const ch = cp[pos];
          if (!upIsASCII(ch) || (pos === next && ch === "?")) { bad = true; break; }
          if (ch === "\\") {
            if (pos === n - 1 || !upIsASCII(cp[pos + 1])) { bad = true; break; }
            pos += 2;
            continue;
          }
          if (ch === ")") {
            if (--depth === 0) { pos++; break; }
          } else if (ch === "(") {
            depth++;
            if (pos === n - 1 || cp[pos + 1] !== "?") { bad = true; break; }
          }
          pos++;
        }
        if (bad || depth !== 0 || pos - next - 1 === 0) { error(next, index); continue; }
        add(T_REGEXP, pos, next, pos - next - 1);
        continue;
      }
      addTo(T_CHAR, next, index);
    }
    addTo(T_END, index, index);
    return tokens;
  }

  // Options: the delimiter and prefix code points, and ignoreCase.
  const upOptions = (delimiter, prefix, ignoreCase) => ({ delimiter, prefix, ignoreCase });
  const upEscapeRegExp = (s) => s.replace(/[.+*?^${}()[\]|/\\]/g, "\\$&");
  const upEscapePattern = (s) => s.replace(/[+*?:{}()\\]/g, "\\$&");
  const upSegmentWildcard = (o) => "[^" + upEscapeRegExp(o.delimiter) + "]+?";

  // upParsePattern is the standard's "parse a pattern string": a part list.
  function upParsePattern(input, o, encode) {
    const tokens = upTokenize(input, true), segmentWildcard = upSegmentWildcard(o), parts = [];
    let i = 0, pending = "", nextNumeric = 0;
    const take = (type) => { const t = tokens[i]; if (t.type !== type) return null; i++; return t; };
    const takeRegexpOrWildcard = (name) => { const t = take(T_REGEXP); return !name && !t ? take(T_ASTERISK) : t; };
    const takeModifier = () => take(T_MOD) || take(T_ASTERISK);
    const text = () => { let r = "", t; while ((t = take(T_CHAR) || take(T_ESCAPED))) r += t.value; return r; };
    const fixed = (value, modifier) => parts.push({ type: P_FIXED, value: encode(value), modifier, name: "", prefix: "", suffix: "" });
    const flush = () => { if (pending !== "") { const v = pending; pending = ""; fixed(v, M_NONE); } };
    const addPart = (prefix, nameToken, regexpToken, suffix, modifierToken) => {
      const modifier = modifierToken ? modifierToken.value : M_NONE;
      if (!nameToken && !regexpToken && modifier === M_NONE) { pending += prefix; return; }
      flush();
      if (!nameToken && !regexpToken) { if (prefix !== "") fixed(prefix, modifier); return; }
      let value = !regexpToken ? segmentWildcard : regexpToken.type === T_ASTERISK ? ".*" : regexpToken.value;
      let type = P_REGEXP;
      if (value === segmentWildcard) { type = P_SEGMENT; value = ""; } else if (value === ".*") { type = P_FULL; value = ""; }
      const name = nameToken ? nameToken.value : String(nextNumeric++);
      for (const p of parts) if (p.name === name) throw upFail;
      parts.push({ type, value, modifier, name, prefix: encode(prefix), suffix: encode(suffix) });
    };
    while (i < tokens.length) {
      const charToken = take(T_CHAR);
      let nameToken = take(T_NAME), regexpToken = takeRegexpOrWildcard(nameToken);
      if (nameToken || regexpToken) {
        let prefix = charToken ? charToken.value : "";
        if (prefix !== "" && prefix !== o.prefix) { pending += prefix; prefix = ""; }
        flush();
        addPart(prefix, nameToken, regexpToken, "", takeModifier());
        continue;
      }
      const fixedToken = charToken || take(T_ESCAPED);
      if (fixedToken) { pending += fixedToken.value; continue; }
      if (take(T_OPEN)) {
        const prefix = text();
        nameToken = take(T_NAME);
        regexpToken = takeRegexpOrWildcard(nameToken);
        const suffix = text();
        if (!take(T_CLOSE)) throw upFail;
        addPart(prefix, nameToken, regexpToken, suffix, takeModifier());
        continue;
      }
      flush();
      if (!take(T_END)) throw upFail;
    }
    return parts;
  }

  // upRegExpSource is the standard's "generate a regular expression and name list".
  function upRegExpSource(parts, o) {
    let r = "^";
    const names = [], optional = [];
    for (const p of parts) {
      if (p.type === P_FIXED) {
        r += p.modifier === M_NONE ? upEscapeRegExp(p.value) : "(?:" + upEscapeRegExp(p.value) + ")" + p.modifier;
        continue;
      }
      names.push(p.name);
      // ECMAScript refuses an empty iteration of "(…)?", leaving the group undefined; goja's
      // engines capture "": upMatch puts the undefined back.
      optional.push(p.modifier === M_OPTIONAL && p.prefix === "" && p.suffix === "");
      const v = p.type === P_SEGMENT ? upSegmentWildcard(o) : p.type === P_FULL ? ".*" : upRegExpGroup(p.value);
      const pre = upEscapeRegExp(p.prefix), suf = upEscapeRegExp(p.suffix);
      const single = p.modifier === M_NONE || p.modifier === M_OPTIONAL;
      if (pre === "" && suf === "") r += single ? "(" + v + ")" + p.modifier : "((?:" + v + ")" + p.modifier + ")";
      else if (single) r += "(?:" + pre + "(" + v + ")" + suf + ")" + p.modifier;
      else r += "(?:" + pre + "((?:" + v + ")(?:" + suf + pre + "(?:" + v + "))*)" + suf + ")" + (p.modifier === M_ZERO_OR_MORE ? "?" : "");
    }
    return [r + "$", names, optional];
  }

  // upPatternString is the standard's "generate a pattern string".
  function upPatternString(parts, o) {
    let r = "";
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i], prev = i > 0 ? parts[i - 1] : null, next = i < parts.length - 1 ? parts[i + 1] : null;
      if (p.type === P_FIXED) {
        r += p.modifier === M_NONE ? upEscapePattern(p.value) : "{" + upEscapePattern(p.value) + "}" + p.modifier;
        continue;
      }
      const c0 = p.name.charCodeAt(0), custom = !(c0 >= 0x30 && c0 <= 0x39);
      let group = p.suffix !== "" || (p.prefix !== "" && p.prefix !== o.prefix);
      if (!group && custom && p.type === P_SEGMENT && p.modifier === M_NONE && next && next.prefix === "" && next.suffix === "") {
        if (next.type === P_FIXED) group = next.value !== "" && upIsNameCodePoint(String.fromCodePoint(next.value.codePointAt(0)), false);
        else { const n0 = next.name.charCodeAt(0); group = n0 >= 0x30 && n0 <= 0x39; }
      }
      if (!group && p.prefix === "" && prev && prev.type === P_FIXED && prev.value !== "" && o.prefix !== "" && prev.value.endsWith(o.prefix)) group = true;
      if (group) r += "{";
      r += upEscapePattern(p.prefix);
      if (custom) r += ":" + p.name;
      if (p.type === P_REGEXP) r += "(" + p.value + ")";
      else if (p.type === P_SEGMENT && !custom) r += "(" + upSegmentWildcard(o) + ")";
      else if (p.type === P_FULL) {
        r += !custom && (!prev || prev.type === P_FIXED || prev.modifier !== M_NONE || group || p.prefix !== "") ? "*" : "(.*)";
      }
      if (p.type === P_SEGMENT && custom && p.suffix !== "" && upIsNameCodePoint(String.fromCodePoint(p.suffix.codePointAt(0)), false)) r += "\\";
      r += upEscapePattern(p.suffix);
      if (group) r += "}";
      r += p.modifier;
    }
    return r;
  }

  // A compiled component: its pattern string, RegExp (null when a simpler kind decides),
  // group names, and whether it has regexp groups.
  const K_EMPTY = 0, K_EXACT = 1, K_FULL = 2, K_REGEXP = 3;
  function upCompile(input, encode, o) {
    const parts = upParsePattern(input, o, encode);
    const c = { pattern: upPatternString(parts, o), kind: K_REGEXP, re: null, names: [], exact: "", regexpGroups: false };
    for (const p of parts) if (p.type === P_REGEXP) c.regexpGroups = true;
    const p0 = parts[0];
    if (parts.length === 0) c.kind = K_EMPTY;
    else if (parts.length === 1 && p0.type === P_FIXED && p0.modifier === M_NONE && !o.ignoreCase) { c.kind = K_EXACT; c.exact = p0.value; }
    else if (parts.length === 1 && p0.type === P_FULL && p0.modifier === M_NONE && p0.prefix === "" && p0.suffix === "") { c.kind = K_FULL; c.names = [p0.name]; }
    if (c.kind !== K_REGEXP) return c;
    const [source, names, optional] = upRegExpSource(parts, o);
    c.names = names;
    c.optional = optional;
    try { c.re = new upRegExp(source, o.ignoreCase ? "ui" : "u"); } catch { throw upFail; }
    return c;
  }
  // upMatch is a component's groups for input ([] when it has none), or null.
  function upMatch(c, input) {
    switch (c.kind) {
      case K_EMPTY: return input === "" ? [] : null;
      case K_EXACT: return input === c.exact ? [] : null;
      case K_FULL: return [input];
    }
    // Through the RegExp's exec, as workerd calls it (a script may have replaced it).
    const m = c.re.exec(input);
    if (m === null || m === undefined) return null;
    const groups = [], n = Math.min(m.length - 1, c.names.length);
    for (let i = 1; i <= n; i++) groups.push(m[i] === undefined || (m[i] === "" && c.optional[i - 1]) ? undefined : `${m[i]}`);
    return groups;
  }
  const upMatchesSpecialScheme = (c) => upSpecialSchemes.some((s) => upMatch(c, s) !== null);
  return { upTokenize, upOptions, upEscapePattern, upCompile, upMatch, upMatchesSpecialScheme };
}
