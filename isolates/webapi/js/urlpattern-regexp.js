// URLPattern's regexp groups ("/:id(\\d+)") as workerd compiles them: with the v flag
// (unicodeSets), which goja's RegExp lacks. Outside character classes u and v agree; inside
// them v has its own grammar: nested classes, && and --, \q{…} strings, and characters that
// must be escaped ("[^/]" and "[\w-]" are syntax errors). upRegExpGroup checks a group's
// classes against that grammar (a violation is workerd's TypeError) and rewrites them for
// the u flag: a plain class stays a class, set operations become lookaheads. Group sources
// are ASCII (the tokenizer refuses anything else).
// Made on an isolate's first URLPattern, as the rest of URLPattern's machinery is
// (urlpattern.js): an isolate that never uses one pays for two functions.
function upMakeRegExpGroup() {
  const upClassSyntax = "()[]{}/-\\|", upClassDouble = "&!#$%*+,.:;<=>?@^`~", upClassPunct = "&-!#%,:;<=>@`~";

  function upRegExpGroup(src) {
    let out = "";
    for (let i = 0; i < src.length;) {
      const c = src[i];
      if (c === "\\") { upCheckEscape(src[i + 1], false); out += src.slice(i, i + 2); i += 2; continue; }
      if (c === "[") { const [node, next] = upClassParse(src, i); out += upClassSource(node); i = next; continue; }
      out += c;
      i++;
    }
    return out;
  }

  // upCheckEscape refuses what the u and v flags refuse after a backslash (goja's RegExp
  // takes "\\m" as "m"): an identity escape of anything but a syntax character or "/".
  function upCheckEscape(e, inClass) {
    if (e === undefined) throw upFail;
    if (/[A-Za-z]/.test(e)) {
      if (!"dDsSwWpPfnrtvcxuk".includes(e) && !(e === "b") && !(e === "B" && !inClass)) throw upFail;
    } else if (!/[0-9^$\\.*+?()[\]{}|/]/.test(e) && !(inClass && upClassPunct.includes(e))) throw upFail;
  }

  // upClassChar reads one ClassSetCharacter or class escape at i: [u-flag source, next index,
  // whether it is a class escape (\d, \p{…}: no range may end at it)].
  function upClassChar(src, i) {
    const c = src[i];
    if (c === undefined) throw upFail;
    if (c !== "\\") {
      if (upClassSyntax.includes(c) || (src[i + 1] === c && upClassDouble.includes(c))) throw upFail;
      return [c === "^" ? "\\^" : c, i + 1, false];
    }
    const e = src[i + 1];
    upCheckEscape(e, true);
    if ("dDsSwW".includes(e)) return ["\\" + e, i + 2, true];
    if (e === "p" || e === "P") {
      const end = src.indexOf("}", i);
      if (src[i + 2] !== "{" || end === -1) throw upFail;
      return [src.slice(i, end + 1), end + 1, true];
    }
    if (upClassPunct.includes(e)) return [e === "-" ? "\\-" : e, i + 2, false];
    if (e === "x") return [src.slice(i, i + 4), i + 4, false];
    if (e === "u") {
      const end = src[i + 2] === "{" ? src.indexOf("}", i) + 1 : i + 6;
      if (end === 0) throw upFail;
      return [src.slice(i, end), end, false];
    }
    if (e === "c") return [src.slice(i, i + 3), i + 3, false];
    return [src.slice(i, i + 2), i + 2, false];
  }

  // upClassParse reads the class at src[i] === "[": [{neg, op, items}, next index]; an item
  // is {chars} (a u-flag class fragment), {node} (a nested class) or {strings}.
  function upClassParse(src, i) {
    i++;
    const node = { neg: false, op: "", items: [] };
    if (src[i] === "^") { node.neg = true; i++; }
    let ops = 0, ranges = false;
    for (;;) {
      const c = src[i];
      if (c === undefined) throw upFail;
      if (c === "]") { i++; break; }
      if ((c === "&" || c === "-") && src[i + 1] === c) {
        const op = c + c;
        if (node.items.length !== ops + 1 || (node.op !== "" && node.op !== op) || src[i + 2] === c) throw upFail;
        node.op = op;
        ops++;
        i += 2;
        continue;
      }
      if (c === "[") {
        const [inner, next] = upClassParse(src, i);
        node.items.push({ node: inner });
        i = next;
      } else if (c === "\\" && src[i + 1] === "q" && src[i + 2] === "{") {
        const end = src.indexOf("}", i);
        if (end === -1) throw upFail;
        const strings = [];
        for (const s of src.slice(i + 3, end).split("|")) {
          let u = "";
          for (let j = 0; j < s.length;) { const [a, next] = upClassChar(s, j); u += a; j = next; }
          strings.push(u);
        }
        node.items.push({ strings });
        i = end + 1;
      } else {
        let [a, next, escape] = upClassChar(src, i);
        if (!escape && src[next] === "-" && src[next + 1] !== "-") {
          const [b, after, escape2] = upClassChar(src, next + 1);
          if (escape2) throw upFail;
          a += "-" + b;
          next = after;
          ranges = true;
        }
        node.items.push({ chars: a });
        i = next;
      }
    }
    if (node.op !== "" && (node.items.length !== ops + 1 || ranges)) throw upFail;
    if (node.neg && upClassHasStrings(node)) throw upFail;
    return [node, i];
  }

  function upClassHasStrings(node) {
    return node.items.some((it) => it.strings ? it.strings.some((s) => s.length !== 1) : it.node ? upClassHasStrings(it.node) && !it.node.neg : false);
  }

  // upClassSource is a u-flag regexp matching what the class matches.
  function upClassSource(node) {
    const one = (it) => it.chars !== undefined ? "[" + it.chars + "]" : it.node ? upClassSource(it.node) : upClassSource({ neg: false, op: "", items: [it] });
    let body;
    if (node.op === "&&") body = node.items.slice(0, -1).map((it) => "(?=" + one(it) + ")").join("") + one(node.items[node.items.length - 1]);
    else if (node.op === "--") body = node.items.slice(1).map((it) => "(?!" + one(it) + ")").join("") + one(node.items[0]);
    else {
      let chars = "";
      const alts = [];
      for (const it of node.items) {
        if (it.chars !== undefined) chars += it.chars;
        else if (it.node) alts.push(upClassSource(it.node));
        else for (const s of it.strings) { if (s.length === 1 || (s.length === 2 && s[0] === "\\")) chars += s; else alts.push("(?:" + s + ")"); }
      }
      if (alts.length === 0) return "[" + (node.neg ? "^" : "") + chars + "]";
      alts.sort((a, b) => b.length - a.length);
      if (chars !== "") alts.push("[" + chars + "]");
      body = alts.join("|");
    }
    return node.neg ? "(?:(?!(?:" + body + "))[^])" : "(?:" + body + ")";
  }
  return upRegExpGroup;
}
