// Intl's machinery: buildIntl makes the Intl namespace and its
// constructors. Compiled on first use (lazyAPIs in apis.go) and run by
// intl.js's intlParts the first time an isolate reaches Intl or a
// toLocale* method.
function buildIntl() {
  const intlNS = {};
  Object.defineProperty(intlNS, Symbol.toStringTag, { value: "Intl", configurable: true });

  function intlLocales(locales) {
    if (locales === undefined) return [];
    if (typeof locales === "string" || locales instanceof IntlLocale) return intlNative().intlCanonicalize([String(locales)]);
    const o = Object(locales), list = [];
    const n = Math.min(Number(o.length) || 0, 1000);
    for (let i = 0; i < n; i++) {
      if (!(i in o)) continue;
      const v = o[i];
      if (typeof v !== "string" && (typeof v !== "object" || v === null)) throw new TypeError("Incorrect locale information provided");
      list.push(String(v));
    }
    return intlNative().intlCanonicalize(list);
  }
  function intlOptions(options) {
    if (options === undefined) return objectCreate(null);
    if (options === null) throw new TypeError("Cannot convert undefined or null to object");
    return Object(options);
  }
  function getOpt(o, name, allowed, fallback, ctor) {
    let v = o[name];
    if (v === undefined) return fallback;
    v = String(v);
    if (allowed && !allowed.includes(v)) throw new RangeError(`Value ${v} out of range for Intl.${ctor} options property ${name}`);
    return v;
  }
  function getBool(o, name) {
    const v = o[name];
    return v === undefined ? undefined : Boolean(v);
  }
  function getNum(o, name, min, max, fallback) {
    let v = o[name];
    if (v === undefined) return fallback;
    v = Number(v);
    if (Number.isNaN(v) || v < min || v > max) throw new RangeError(`${name} value is out of range.`);
    return Math.floor(v);
  }
  function joinParts(flat) {
    const out = [];
    for (let i = 0; i < flat.length; i += 2) out.push({ type: flat[i], value: flat[i + 1] });
    return out;
  }
  function intlValue(x) {
    if (typeof x === "bigint") return x.toString();
    if (typeof x === "string") return x.trim() === "" ? "0" : x;
    return Number(x);
  }
  function supportedLocalesOf(locales) { return intlNative().intlSupported(intlLocales(locales)); }
  function intlThis(self, slot, name) {
    if (self === null || typeof self !== "object" || !(slot in self)) throw new TypeError(`Method Intl.${name} called on incompatible receiver ${String(self)}`);
    return self[slot];
  }
  // A bound format getter, as NumberFormat and DateTimeFormat have.
  function boundFormat(self, slot, key, fn) {
    const st = intlThis(self, slot, key);
    if (!st.bound) st.bound = fn.bind(self);
    return st.bound;
  }

  // NumberFormat
  const kNF = Symbol("numberFormat");
  function numberDigitOptions(o, st, mnfdDefault, mxfdDefault, notation) {
    const mnid = getNum(o, "minimumIntegerDigits", 1, 21, 1);
    const mnfd = o.minimumFractionDigits, mxfd = o.maximumFractionDigits;
    const mnsd = o.minimumSignificantDigits, mxsd = o.maximumSignificantDigits;
    st.minimumIntegerDigits = mnid;
    const roundingIncrement = getNum(o, "roundingIncrement", 1, 5000, 1);
    const roundingMode = getOpt(o, "roundingMode", ["ceil", "floor", "expand", "trunc", "halfCeil", "halfFloor", "halfExpand", "halfTrunc", "halfEven"], "halfExpand", "NumberFormat");
    const priority = getOpt(o, "roundingPriority", ["auto", "morePrecision", "lessPrecision"], "auto", "NumberFormat");
    const trailing = getOpt(o, "trailingZeroDisplay", ["auto", "stripIfInteger"], "auto", "NumberFormat");
    st.roundingIncrement = roundingIncrement; st.roundingMode = roundingMode; st.roundingPriority = priority; st.trailingZeroDisplay = trailing;
    const hasSd = mnsd !== undefined || mxsd !== undefined, hasFd = mnfd !== undefined || mxfd !== undefined;
    let needSd = true, needFd = true;
    if (priority === "auto") {
      needSd = hasSd;
      if (needSd || (!hasFd && notation === "compact")) needFd = false;
    }
    if (needSd) {
      if (hasSd) {
        st.minimumSignificantDigits = getNum(o, "minimumSignificantDigits", 1, 21, 1);
        st.maximumSignificantDigits = getNum(o, "maximumSignificantDigits", st.minimumSignificantDigits, 21, 21);
      } else { st.minimumSignificantDigits = 1; st.maximumSignificantDigits = 21; }
    }
    if (needFd) {
      if (hasFd) {
        let a = getNum(o, "minimumFractionDigits", 0, 100, undefined), b = getNum(o, "maximumFractionDigits", 0, 100, undefined);
        if (a === undefined) a = Math.min(mnfdDefault, b);
        else if (b === undefined) b = Math.max(mxfdDefault, a);
        else if (a > b) throw new RangeError("maximumFractionDigits value is out of range.");
        st.minimumFractionDigits = a; st.maximumFractionDigits = b;
      } else { st.minimumFractionDigits = mnfdDefault; st.maximumFractionDigits = mxfdDefault; }
    }
    if (!needSd && !needFd) {
      st.minimumFractionDigits = 0; st.maximumFractionDigits = 0; st.minimumSignificantDigits = 1; st.maximumSignificantDigits = 2;
      st.roundingPriority = "morePrecision";
    }
    st.useSD = needSd && priority === "auto";
    if (st.maximumFractionDigits === undefined) { st.minimumFractionDigits = 0; st.maximumFractionDigits = 3; }
  }
  function NumberFormat(locales, options) {
    if (new.target === undefined) return new NumberFormat(locales, options);
    const requested = intlLocales(locales);
    const o = intlOptions(options);
    const C = "NumberFormat";
    getOpt(o, "localeMatcher", ["lookup", "best fit"], "best fit", C);
    const nu = getOpt(o, "numberingSystem", undefined, undefined, C);
    const st = {};
    st.style = getOpt(o, "style", ["decimal", "percent", "currency", "unit"], "decimal", C);
    let currency = getOpt(o, "currency", undefined, undefined, C);
    if (currency !== undefined && !/^[A-Za-z]{3}$/.test(currency)) throw new RangeError("Invalid currency code : " + currency);
    const currencyDisplay = getOpt(o, "currencyDisplay", ["code", "symbol", "narrowSymbol", "name"], "symbol", C);
    const currencySign = getOpt(o, "currencySign", ["standard", "accounting"], "standard", C);
    const unit = getOpt(o, "unit", undefined, undefined, C);
    if (unit !== undefined && !intlNative().intlIsUnit(unit)) throw new RangeError("Invalid unit argument for Intl.NumberFormat() '" + unit + "'");
    const unitDisplay = getOpt(o, "unitDisplay", ["short", "narrow", "long"], "short", C);
    if (st.style === "currency") {
      if (currency === undefined) throw new TypeError("Currency code is required with currency style.");
      st.currency = currency.toUpperCase(); st.currencyDisplay = currencyDisplay; st.currencySign = currencySign;
    }
    if (st.style === "unit") {
      if (unit === undefined) throw new TypeError("Unit is required with unit style.");
      st.unit = unit; st.unitDisplay = unitDisplay;
    }
    st.notation = getOpt(o, "notation", ["standard", "scientific", "engineering", "compact"], "standard", C);
    let mnfd = 0, mxfd = 3;
    if (st.style === "currency" && st.notation === "standard") { mnfd = mxfd = intlNative().intlCurrencyDigits(st.currency); }
    else if (st.style === "percent") { mnfd = mxfd = 0; }
    numberDigitOptions(o, st, mnfd, mxfd, st.notation);
    const compactDisplay = getOpt(o, "compactDisplay", ["short", "long"], "short", C);
    if (st.notation === "compact") st.compactDisplay = compactDisplay;
    let g = o.useGrouping;
    const gDefault = st.notation === "compact" ? "min2" : "auto";
    if (g === undefined) g = gDefault;
    else if (g === true) g = "always";
    else if (!g) g = false;
    else {
      g = String(g);
      if (g === "true" || g === "false") g = gDefault;
      else if (!["min2", "auto", "always"].includes(g)) throw new RangeError(`Value ${g} out of range for Intl.NumberFormat options property useGrouping`);
    }
    st.useGrouping = g;
    st.signDisplay = getOpt(o, "signDisplay", ["auto", "never", "always", "exceptZero", "negative"], "auto", C);
    const loc = nu !== undefined ? requested.map((l) => l.includes("-u-") ? l : l + "-u-nu-" + nu) : requested;
    const [resolved, format, plural] = intlNative().intlNumberFormat(loc, { ...st, useGrouping: String(st.useGrouping) });
    st.locale = resolved.locale; st.numberingSystem = resolved.numberingSystem;
    this[kNF] = { st, format, plural };
  }
  NumberFormat.prototype.format = undefined;
  Object.defineProperty(NumberFormat.prototype, "format", {
    configurable: true,
    get() { return boundFormat(this, kNF, "NumberFormat.prototype.format", function (x) { return this[kNF].format(intlValue(x), false); }); },
  });
  NumberFormat.prototype.formatToParts = function formatToParts(x) { return joinParts(intlThis(this, kNF, "NumberFormat.prototype.formatToParts").format(intlValue(x), true)); };
  NumberFormat.prototype.formatRange = function formatRange(a, b) {
    const f = intlThis(this, kNF, "NumberFormat.prototype.formatRange");
    if (a === undefined || b === undefined) throw new TypeError("start or end is undefined");
    const x = f.format(intlValue(a), false), y = f.format(intlValue(b), false);
    return x === y ? "~" + x : x + "–" + y;
  };
  const nfKeys = ["locale", "numberingSystem", "style", "currency", "currencyDisplay", "currencySign", "unit", "unitDisplay", "minimumIntegerDigits", "minimumFractionDigits", "maximumFractionDigits", "minimumSignificantDigits", "maximumSignificantDigits", "useGrouping", "notation", "compactDisplay", "signDisplay", "roundingIncrement", "roundingMode", "roundingPriority", "trailingZeroDisplay"];
  NumberFormat.prototype.resolvedOptions = function resolvedOptions() {
    const st = intlThis(this, kNF, "NumberFormat.prototype.resolvedOptions").st, out = {};
    for (const k of nfKeys) {
      if (st[k] === undefined) continue;
      if ((k === "minimumFractionDigits" || k === "maximumFractionDigits") && st.useSD) continue;
      if ((k === "minimumSignificantDigits" || k === "maximumSignificantDigits") && !st.useSD && st.roundingPriority === "auto") continue;
      out[k] = st[k];
    }
    return out;
  };
  NumberFormat.supportedLocalesOf = function supportedLocalesOf_(l) { return supportedLocalesOf(l); };
  tag(NumberFormat, "Intl.NumberFormat");

  // PluralRules
  const kPR = Symbol("pluralRules");
  function PluralRules(locales, options) {
    if (new.target === undefined) throw new TypeError("Constructor Intl.PluralRules requires 'new'");
    const requested = intlLocales(locales), o = intlOptions(options);
    getOpt(o, "localeMatcher", ["lookup", "best fit"], "best fit", "PluralRules");
    const st = { type: getOpt(o, "type", ["cardinal", "ordinal"], "cardinal", "PluralRules") };
    st.notation = getOpt(o, "notation", ["standard", "scientific", "engineering", "compact"], "standard", "PluralRules");
    numberDigitOptions(o, st, 0, 3, st.notation);
    const [resolved, format, plural] = intlNative().intlNumberFormat(requested, { ...st, style: "decimal", useGrouping: "auto", signDisplay: "auto" });
    const [, cats] = intlNative().intlPluralCategories(requested, st.type);
    st.locale = resolved.locale; st.pluralCategories = cats;
    this[kPR] = { st, plural };
  }
  PluralRules.prototype.select = function select(n) { const p = intlThis(this, kPR, "PluralRules.prototype.select"); return p.plural(Number(n), p.st.type); };
  PluralRules.prototype.selectRange = function selectRange(a, b) { intlThis(this, kPR, "PluralRules.prototype.selectRange"); return this.select(b); };
  const prKeys = ["locale", "type", "notation", "minimumIntegerDigits", "minimumFractionDigits", "maximumFractionDigits", "minimumSignificantDigits", "maximumSignificantDigits", "pluralCategories", "roundingIncrement", "roundingMode", "roundingPriority", "trailingZeroDisplay"];
  PluralRules.prototype.resolvedOptions = function resolvedOptions() {
    const st = intlThis(this, kPR, "PluralRules.prototype.resolvedOptions").st, out = {};
    for (const k of prKeys) {
      if (st[k] === undefined) continue;
      if ((k === "minimumFractionDigits" || k === "maximumFractionDigits") && st.useSD) continue;
      if ((k === "minimumSignificantDigits" || k === "maximumSignificantDigits") && !st.useSD && st.roundingPriority === "auto") continue;
      out[k] = k === "pluralCategories" ? [...st[k]] : st[k];
    }
    return out;
  };
  PluralRules.supportedLocalesOf = function supportedLocalesOf_(l) { return supportedLocalesOf(l); };
  tag(PluralRules, "Intl.PluralRules");

  // DateTimeFormat
  const kDTF = Symbol("dateTimeFormat");
  const dtfComponents = [["weekday", ["narrow", "short", "long"]], ["era", ["narrow", "short", "long"]], ["year", ["2-digit", "numeric"]], ["month", ["2-digit", "numeric", "narrow", "short", "long"]], ["day", ["2-digit", "numeric"]], ["dayPeriod", ["narrow", "short", "long"]], ["hour", ["2-digit", "numeric"]], ["minute", ["2-digit", "numeric"]], ["second", ["2-digit", "numeric"]], ["fractionalSecondDigits", null], ["timeZoneName", ["short", "long", "shortOffset", "longOffset", "shortGeneric", "longGeneric"]]];
  function DateTimeFormat(locales, options, required = "any", defaults = "date") {
    if (new.target === undefined) return new DateTimeFormat(locales, options);
    const requested = intlLocales(locales), o = intlOptions(options), C = "DateTimeFormat";
    getOpt(o, "localeMatcher", ["lookup", "best fit"], "best fit", C);
    const calendar = getOpt(o, "calendar", undefined, undefined, C);
    const nu = getOpt(o, "numberingSystem", undefined, undefined, C);
    const hour12 = getBool(o, "hour12");
    const hourCycle = getOpt(o, "hourCycle", ["h11", "h12", "h23", "h24"], undefined, C);
    let tz = o.timeZone;
    tz = tz === undefined ? "UTC" : intlNative().intlTimeZone(String(tz));
    const st = {};
    for (const [name, values] of dtfComponents) {
      st[name] = values ? getOpt(o, name, values, undefined, C) : getNum(o, name, 1, 3, undefined);
    }
    getOpt(o, "formatMatcher", ["basic", "best fit"], "best fit", C);
    const dateStyle = getOpt(o, "dateStyle", ["full", "long", "medium", "short"], undefined, C);
    const timeStyle = getOpt(o, "timeStyle", ["full", "long", "medium", "short"], undefined, C);
    if (dateStyle !== undefined || timeStyle !== undefined) {
      for (const [name] of dtfComponents) if (st[name] !== undefined) throw new TypeError(`Can't set option ${name} when ${dateStyle !== undefined ? "dateStyle" : "timeStyle"} is used`);
      if (required === "date" && dateStyle === undefined) throw new TypeError("Invalid option : timeStyle");
      if (required === "time" && timeStyle === undefined) throw new TypeError("Invalid option : dateStyle");
    } else {
      let needDefaults = true;
      if (required === "date" || required === "any") for (const k of ["weekday", "year", "month", "day"]) if (st[k] !== undefined) needDefaults = false;
      if (required === "time" || required === "any") for (const k of ["dayPeriod", "hour", "minute", "second", "fractionalSecondDigits"]) if (st[k] !== undefined) needDefaults = false;
      if (needDefaults && (defaults === "date" || defaults === "all")) st.year = st.month = st.day = "numeric";
      if (needDefaults && (defaults === "time" || defaults === "all")) st.hour = st.minute = st.second = "numeric";
    }
    const [resolved, format, range] = intlNative().intlDateTimeFormat(requested, { ...st, hour12, hourCycle, timeZone: tz, dateStyle, timeStyle });
    const ro = { locale: resolved.locale, calendar: calendar === "gregory" ? "gregory" : "gregory", numberingSystem: resolved.numberingSystem, timeZone: tz };
    if (st.hour !== undefined || timeStyle !== undefined) { ro.hourCycle = resolved.hourCycle; ro.hour12 = resolved.hourCycle === "h11" || resolved.hourCycle === "h12"; }
    for (const [name] of dtfComponents) if (st[name] !== undefined) ro[name] = st[name];
    if (dateStyle !== undefined) ro.dateStyle = dateStyle;
    if (timeStyle !== undefined) ro.timeStyle = timeStyle;
    this[kDTF] = { ro, format, range };
  }
  function dateValue(d) {
    const x = d === undefined ? Date.now() : Number(d);
    if (!Number.isFinite(x)) throw new RangeError("Invalid time value");
    return x;
  }
  Object.defineProperty(DateTimeFormat.prototype, "format", {
    configurable: true,
    get() { return boundFormat(this, kDTF, "DateTimeFormat.prototype.format", function (d) { return this[kDTF].format(dateValue(d), false); }); },
  });
  DateTimeFormat.prototype.formatToParts = function formatToParts(d) { return joinParts(intlThis(this, kDTF, "DateTimeFormat.prototype.formatToParts").format(dateValue(d), true)); };
  DateTimeFormat.prototype.formatRange = function formatRange(a, b) {
    const f = intlThis(this, kDTF, "DateTimeFormat.prototype.formatRange");
    if (a === undefined || b === undefined) throw new TypeError("startDate or endDate is undefined");
    return f.range(dateValue(a), dateValue(b), false);
  };
  DateTimeFormat.prototype.formatRangeToParts = function formatRangeToParts(a, b) {
    const f = intlThis(this, kDTF, "DateTimeFormat.prototype.formatRangeToParts");
    if (a === undefined || b === undefined) throw new TypeError("startDate or endDate is undefined");
    return joinParts(f.range(dateValue(a), dateValue(b), true));
  };
  DateTimeFormat.prototype.resolvedOptions = function resolvedOptions() { return { ...intlThis(this, kDTF, "DateTimeFormat.prototype.resolvedOptions").ro }; };
  DateTimeFormat.supportedLocalesOf = function supportedLocalesOf_(l) { return supportedLocalesOf(l); };
  tag(DateTimeFormat, "Intl.DateTimeFormat");

  // Collator
  const kColl = Symbol("collator");
  function Collator(locales, options) {
    if (new.target === undefined) return new Collator(locales, options);
    const requested = intlLocales(locales), o = intlOptions(options), C = "Collator";
    const usage = getOpt(o, "usage", ["sort", "search"], "sort", C);
    getOpt(o, "localeMatcher", ["lookup", "best fit"], "best fit", C);
    getOpt(o, "collation", undefined, undefined, C);
    const numericOpt = getBool(o, "numeric");
    const caseFirstOpt = getOpt(o, "caseFirst", ["upper", "lower", "false"], undefined, C);
    const sensitivity = getOpt(o, "sensitivity", ["base", "accent", "case", "variant"], "variant", C);
    const ignorePunctuation = Boolean(getBool(o, "ignorePunctuation"));
    let numeric = numericOpt, caseFirst = caseFirstOpt;
    const kw = requested.length ? requested[0].match(/-u-.*$/) : null;
    if (numeric === undefined) numeric = kw ? /-kn(-true)?(-|$)/.test(kw[0]) : false;
    if (caseFirst === undefined) { const m = kw && kw[0].match(/-kf-(upper|lower|false)/); caseFirst = m ? m[1] : "false"; }
    const [resolved, compare] = intlNative().intlCollator(requested, usage, sensitivity, caseFirst, numeric, ignorePunctuation);
    this[kColl] = { ro: { locale: resolved.locale.replace(/-u-.*$/, ""), usage, sensitivity, ignorePunctuation, collation: "default", numeric, caseFirst }, compare };
  }
  Object.defineProperty(Collator.prototype, "compare", {
    configurable: true,
    get() { return boundFormat(this, kColl, "Collator.prototype.compare", function (a, b) { return this[kColl].compare(String(a), String(b)); }); },
  });
  Collator.prototype.resolvedOptions = function resolvedOptions() { return { ...intlThis(this, kColl, "Collator.prototype.resolvedOptions").ro }; };
  Collator.supportedLocalesOf = function supportedLocalesOf_(l) { return supportedLocalesOf(l); };
  tag(Collator, "Intl.Collator");

  // RelativeTimeFormat
  const kRTF = Symbol("relativeTimeFormat");
  function RelativeTimeFormat(locales, options) {
    if (new.target === undefined) throw new TypeError("Constructor Intl.RelativeTimeFormat requires 'new'");
    const requested = intlLocales(locales), o = intlOptions(options), C = "RelativeTimeFormat";
    getOpt(o, "localeMatcher", ["lookup", "best fit"], "best fit", C);
    getOpt(o, "numberingSystem", undefined, undefined, C);
    const style = getOpt(o, "style", ["long", "short", "narrow"], "long", C);
    const numeric = getOpt(o, "numeric", ["always", "auto"], "always", C);
    const [resolved, format] = intlNative().intlRelative(requested, style, numeric);
    this[kRTF] = { ro: { locale: resolved.locale, style, numeric, numberingSystem: resolved.numberingSystem }, format };
  }
  function relUnit(unit) {
    const u = String(unit), s = u.endsWith("s") ? u.slice(0, -1) : u;
    if (!["second", "minute", "hour", "day", "week", "month", "quarter", "year"].includes(s)) throw new RangeError("Invalid unit argument for format() '" + u + "'");
    return s;
  }
  function relValue(v) {
    const x = Number(v);
    if (!Number.isFinite(x)) throw new RangeError("Invalid value: " + String(v));
    return x;
  }
  RelativeTimeFormat.prototype.format = function format(v, unit) { const f = intlThis(this, kRTF, "RelativeTimeFormat.prototype.format"); const x = relValue(v); return f.format(x, relUnit(unit), false); };
  RelativeTimeFormat.prototype.formatToParts = function formatToParts(v, unit) {
    const f = intlThis(this, kRTF, "RelativeTimeFormat.prototype.formatToParts"), x = relValue(v), u = relUnit(unit);
    return joinParts(f.format(x, u, true)).map((p) => (p.type === "literal" ? p : { ...p, unit: u }));
  };
  RelativeTimeFormat.prototype.resolvedOptions = function resolvedOptions() { return { ...intlThis(this, kRTF, "RelativeTimeFormat.prototype.resolvedOptions").ro }; };
  RelativeTimeFormat.supportedLocalesOf = function supportedLocalesOf_(l) { return supportedLocalesOf(l); };
  tag(RelativeTimeFormat, "Intl.RelativeTimeFormat");

  // ListFormat
  const kLF = Symbol("listFormat");
  function ListFormat(locales, options) {
    if (new.target === undefined) throw new TypeError("Constructor Intl.ListFormat requires 'new'");
    const requested = intlLocales(locales), o = intlOptions(options), C = "ListFormat";
    getOpt(o, "localeMatcher", ["lookup", "best fit"], "best fit", C);
    const type = getOpt(o, "type", ["conjunction", "disjunction", "unit"], "conjunction", C);
    const style = getOpt(o, "style", ["long", "short", "narrow"], "long", C);
    const [resolved, format] = intlNative().intlList(requested, type, style);
    this[kLF] = { ro: { locale: resolved.locale, type, style }, format };
  }
  function listItems(list) {
    if (list === undefined) return [];
    const out = [];
    for (const x of list) {
      if (typeof x !== "string") throw new TypeError("Iterable yielded " + String(x) + " which is not a string");
      out.push(x);
    }
    return out;
  }
  ListFormat.prototype.format = function format(list) { return intlThis(this, kLF, "ListFormat.prototype.format").format(listItems(list), false); };
  ListFormat.prototype.formatToParts = function formatToParts(list) { return joinParts(intlThis(this, kLF, "ListFormat.prototype.formatToParts").format(listItems(list), true)); };
  ListFormat.prototype.resolvedOptions = function resolvedOptions() { return { ...intlThis(this, kLF, "ListFormat.prototype.resolvedOptions").ro }; };
  ListFormat.supportedLocalesOf = function supportedLocalesOf_(l) { return supportedLocalesOf(l); };
  tag(ListFormat, "Intl.ListFormat");

  // Segmenter
  const kSeg = Symbol("segmenter");
  function Segmenter(locales, options) {
    if (new.target === undefined) throw new TypeError("Constructor Intl.Segmenter requires 'new'");
    const requested = intlLocales(locales), o = intlOptions(options);
    getOpt(o, "localeMatcher", ["lookup", "best fit"], "best fit", "Segmenter");
    const granularity = getOpt(o, "granularity", ["grapheme", "word", "sentence"], "grapheme", "Segmenter");
    this[kSeg] = { ro: { locale: intlNative().intlResolve(requested).locale, granularity } };
  }
  function segmentsOf(input, granularity) {
    const flat = intlNative().intlSegments(input, granularity), out = [];
    for (let i = 0; i < flat.length; i += 3) {
      const s = { segment: flat[i + 1], index: flat[i], input };
      if (granularity === "word") s.isWordLike = flat[i + 2];
      out.push(s);
    }
    return out;
  }
  function Segments(input, granularity) { this[kSeg] = { input, granularity, list: null }; }
  const segmentList = (self) => { const s = self[kSeg]; if (!s.list) s.list = segmentsOf(s.input, s.granularity); return s.list; };
  Segments.prototype.containing = function containing(index) {
    const n = index === undefined ? 0 : Math.trunc(Number(index)) || 0;
    const s = this[kSeg];
    if (n < 0 || n >= s.input.length) return undefined;
    for (const seg of segmentList(this)) if (n >= seg.index && n < seg.index + seg.segment.length) return { ...seg };
    return undefined;
  };
  Segments.prototype[Symbol.iterator] = function () {
    const list = segmentList(this);
    let i = 0;
    return { next: () => (i < list.length ? { value: { ...list[i++] }, done: false } : { value: undefined, done: true }), [Symbol.iterator]() { return this; } };
  };
  Segmenter.prototype.segment = function segment(input) {
    const st = intlThis(this, kSeg, "Segmenter.prototype.segment");
    const s = Object.create(Segments.prototype);
    Segments.call(s, String(input), st.ro.granularity);
    return s;
  };
  Segmenter.prototype.resolvedOptions = function resolvedOptions() { return { ...intlThis(this, kSeg, "Segmenter.prototype.resolvedOptions").ro }; };
  Segmenter.supportedLocalesOf = function supportedLocalesOf_(l) { return supportedLocalesOf(l); };
  tag(Segmenter, "Intl.Segmenter");

  // Locale
  const kLocale = Symbol("locale");
  function IntlLocale(tag_, options) {
    if (new.target === undefined) throw new TypeError("Constructor Intl.Locale requires 'new'");
    if (typeof tag_ !== "string" && !(tag_ instanceof IntlLocale)) throw new TypeError("First argument to Intl.Locale constructor can't be empty or missing");
    let t = intlNative().intlCanonicalize([String(tag_)])[0];
    const o = intlOptions(options), kw = {};
    for (const [opt, key] of [["calendar", "ca"], ["collation", "co"], ["hourCycle", "hc"], ["caseFirst", "kf"], ["numeric", "kn"], ["numberingSystem", "nu"]]) {
      if (o[opt] !== undefined) kw[key] = String(o[opt]);
    }
    if (Object.keys(kw).length) {
      const [base, ext] = t.split("-u-");
      const pairs = {};
      if (ext) { const ps = ext.split("-"); for (let i = 0; i < ps.length; i++) if (ps[i].length === 2) { pairs[ps[i]] = ps[i + 1] && ps[i + 1].length > 2 ? ps[++i] : "true"; } }
      Object.assign(pairs, kw);
      t = base + "-u-" + Object.keys(pairs).sort().map((k) => (pairs[k] === "true" ? k : k + "-" + pairs[k])).join("-");
      t = intlNative().intlCanonicalize([t])[0];
    }
    this[kLocale] = t;
  }
  const localeGetters = {
    baseName: (t) => t.split("-u-")[0].split("-x-")[0],
    language: (t) => t.split("-")[0],
    script: (t) => t.split("-u-")[0].split("-").slice(1).find((p) => p.length === 4),
    region: (t) => t.split("-u-")[0].split("-").slice(1).find((p) => p.length === 2 || /^\d{3}$/.test(p)),
    calendar: (t) => (t.match(/-u-(?:.*-)?ca-([a-z0-9]+)/) || [])[1],
    collation: (t) => (t.match(/-u-(?:.*-)?co-([a-z0-9]+)/) || [])[1],
    hourCycle: (t) => (t.match(/-u-(?:.*-)?hc-([a-z0-9]+)/) || [])[1],
    caseFirst: (t) => (t.match(/-u-(?:.*-)?kf-([a-z0-9]+)/) || [])[1],
    numberingSystem: (t) => (t.match(/-u-(?:.*-)?nu-([a-z0-9]+)/) || [])[1],
    numeric: (t) => /-u-(?:.*-)?kn(-true)?(-|$)/.test(t),
  };
  for (const [name, get] of Object.entries(localeGetters)) {
    Object.defineProperty(IntlLocale.prototype, name, { configurable: true, get() { return get(intlThis(this, kLocale, "Locale.prototype." + name)); } });
  }
  IntlLocale.prototype.toString = function toString() { return intlThis(this, kLocale, "Locale.prototype.toString"); };
  IntlLocale.prototype.maximize = function maximize() { return new IntlLocale(intlNative().intlLikely(intlThis(this, kLocale, "Locale.prototype.maximize"), true)); };
  IntlLocale.prototype.minimize = function minimize() { return new IntlLocale(intlNative().intlLikely(intlThis(this, kLocale, "Locale.prototype.minimize"), false)); };
  tag(IntlLocale, "Intl.Locale");

  // DisplayNames
  const kDN = Symbol("displayNames");
  function DisplayNames(locales, options) {
    if (new.target === undefined) throw new TypeError("Constructor Intl.DisplayNames requires 'new'");
    const requested = intlLocales(locales), o = intlOptions(options), C = "DisplayNames";
    getOpt(o, "localeMatcher", ["lookup", "best fit"], "best fit", C);
    const style = getOpt(o, "style", ["narrow", "short", "long"], "long", C);
    const type = getOpt(o, "type", ["language", "region", "script", "currency", "calendar", "dateTimeField"], undefined, C);
    if (type === undefined) throw new TypeError("Required option 'type' is missing");
    const fallback = getOpt(o, "fallback", ["code", "none"], "code", C);
    this[kDN] = { ro: { locale: intlNative().intlResolve(requested).locale, style, type, fallback }, requested };
  }
  DisplayNames.prototype.of = function of(code) {
    const st = intlThis(this, kDN, "DisplayNames.prototype.of");
    const name = intlNative().intlDisplayName(st.requested, st.ro.type, String(code));
    return name === "" ? (st.ro.fallback === "code" ? String(code) : undefined) : name;
  };
  DisplayNames.prototype.resolvedOptions = function resolvedOptions() { return { ...intlThis(this, kDN, "DisplayNames.prototype.resolvedOptions").ro }; };
  DisplayNames.supportedLocalesOf = function supportedLocalesOf_(l) { return supportedLocalesOf(l); };
  tag(DisplayNames, "Intl.DisplayNames");

  for (const [name, value] of [["NumberFormat", NumberFormat], ["DateTimeFormat", DateTimeFormat], ["Collator", Collator], ["PluralRules", PluralRules], ["RelativeTimeFormat", RelativeTimeFormat], ["ListFormat", ListFormat], ["Segmenter", Segmenter], ["Locale", IntlLocale], ["DisplayNames", DisplayNames]]) {
    Object.defineProperty(intlNS, name, { value, writable: true, configurable: true });
    Object.defineProperty(value, "name", { value: name, configurable: true });
  }
  Object.defineProperty(intlNS, "getCanonicalLocales", { value: function getCanonicalLocales(l) { return intlLocales(l); }, writable: true, configurable: true });
  Object.defineProperty(intlNS, "supportedValuesOf", { value: function supportedValuesOf(k) { return intlNative().intlValues(String(k)); }, writable: true, configurable: true });
  return { ns: intlNS, NumberFormat, DateTimeFormat, Collator };
}
