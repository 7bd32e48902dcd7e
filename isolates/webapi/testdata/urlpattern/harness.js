// Runs the WPT URLPattern data (urlpatterntestdata.json) as WPT's
// urlpattern/resources/urlpatterntests.js defines each entry's checks, and
// returns {total, failures}: one failure per entry that fails any check,
// named by the entry and the first check it fails.
(function (data) {
  const components = ["protocol", "username", "password", "hostname", "port", "pathname", "search", "hash"];
  const earlier = {
    protocol: [], hostname: ["protocol"], port: ["protocol", "hostname"], username: [], password: [],
    pathname: ["protocol", "hostname", "port"], search: ["protocol", "hostname", "port", "pathname"],
    hash: ["protocol", "hostname", "port", "pathname", "search"],
  };
  const same = (a, b) => {
    if (a === b) return true;
    if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
    const ka = Object.keys(a).sort(), kb = Object.keys(b).sort();
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && same(a[k], b[k]));
  };
  const throwsTypeError = (f) => { try { f(); return false; } catch (e) { return e instanceof TypeError; } };
  function check(entry) {
    if (entry.expected_obj === "error") return throwsTypeError(() => new URLPattern(...entry.pattern)) ? null : "constructor did not throw a TypeError";
    let pattern;
    try { pattern = new URLPattern(...entry.pattern); } catch (e) { return "constructor threw " + e; }
    const expectedObj = entry.expected_obj || {};
    const p0 = entry.pattern[0];
    for (const c of components) {
      let want = expectedObj[c];
      if (want === undefined) {
        let base = null;
        if (entry.pattern.length > 0 && p0 && p0.baseURL) base = new URL(p0.baseURL);
        else if (entry.pattern.length > 1 && typeof entry.pattern[1] === "string") base = new URL(entry.pattern[1]);
        if (entry.exactly_empty_components && entry.exactly_empty_components.includes(c)) want = "";
        else if (typeof p0 === "object" && p0[c]) want = p0[c];
        else if (typeof p0 === "object" && earlier[c].some((e) => e in p0)) want = "*";
        else if (base && c !== "username" && c !== "password") {
          want = base[c];
          if (c === "protocol") want = want.slice(0, -1);
          else if (c === "search" || c === "hash") want = want.slice(1);
        } else want = "*";
      }
      if (pattern[c] !== want) return `pattern.${c} is ${JSON.stringify(pattern[c])}, want ${JSON.stringify(want)}`;
    }
    if (entry.expected_match === "error") {
      if (!throwsTypeError(() => pattern.test(...entry.inputs))) return "test() did not throw a TypeError";
      if (!throwsTypeError(() => pattern.exec(...entry.inputs))) return "exec() did not throw a TypeError";
      return null;
    }
    let tested, result;
    try { tested = pattern.test(...entry.inputs); result = pattern.exec(...entry.inputs); } catch (e) { return "test/exec threw " + e; }
    if (tested !== !!entry.expected_match) return `test() is ${tested}`;
    if (!entry.expected_match || typeof entry.expected_match !== "object") return result === entry.expected_match ? null : "exec() is " + JSON.stringify(result);
    if (result === null) return "exec() is null";
    const wantInputs = entry.expected_match.inputs || entry.inputs;
    if (result.inputs.length !== wantInputs.length) return "exec().inputs.length is " + result.inputs.length;
    for (let i = 0; i < result.inputs.length; i++) {
      const got = result.inputs[i], want = wantInputs[i];
      if (typeof got === "string") { if (got !== want) return `exec().inputs[${i}] is ${JSON.stringify(got)}`; continue; }
      for (const c of components) if (got[c] !== want[c]) return `exec().inputs[${i}].${c} is ${JSON.stringify(got[c])}`;
    }
    for (const c of components) {
      let want = entry.expected_match[c];
      if (!want) {
        want = { input: "", groups: {} };
        if (!entry.exactly_empty_components || !entry.exactly_empty_components.includes(c)) want.groups["0"] = "";
      }
      const groups = {};
      for (const k in want.groups) groups[k] = want.groups[k] === null ? undefined : want.groups[k];
      if (!same(result[c], { input: want.input, groups })) return `exec().${c} is ${JSON.stringify(result[c])}, want ${JSON.stringify(want)}`;
    }
    return null;
  }
  const failures = [];
  for (const entry of data) {
    const why = check(entry);
    if (why !== null) failures.push(`${JSON.stringify(entry.pattern)} ${JSON.stringify(entry.inputs)}: ${why}`);
  }
  return { total: data.length, failures };
})
