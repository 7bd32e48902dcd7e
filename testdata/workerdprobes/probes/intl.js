// Intl and the locale-sensitive built-ins (issue #14 item 5), across the
// common locales; and Date in UTC.
const d = new Date(Date.UTC(2024, 2, 5, 14, 7, 9, 123)); // Tue 5 Mar 2024 14:07:09.123 UTC
const d2 = new Date(Date.UTC(2024, 11, 25, 3, 4, 5)); // Wed 25 Dec 2024 03:04:05 UTC
const locales = ["en", "en-US", "en-GB", "de", "fr", "es", "it", "pt-BR", "nl", "sv", "pl", "ru", "ja", "zh", "ko", "ar", "hi", "tr"];
const nf = (l, o) => (n) => new Intl.NumberFormat(l, o).format(n);
const dtf = (l, o) => new Intl.DateTimeFormat(l, o).format(d);
const parts = (ps) => ps.map((p) => p.type + ":" + p.value);

export const probes = {};
const add = (name, fn) => { probes["Intl: " + name] = fn; };

add("typeof Intl", () => typeof Intl + " " + Object.prototype.toString.call(Intl));
add("getCanonicalLocales", () => Intl.getCanonicalLocales(["EN-us", "zh-hant-tw", "de"]));
add("getCanonicalLocales invalid", () => Intl.getCanonicalLocales("en_US"));
add("supportedValuesOf currency has USD", () => Intl.supportedValuesOf("currency").includes("USD"));
add("supportedValuesOf unit", () => Intl.supportedValuesOf("unit").slice(0, 8));
add("supportedValuesOf timeZone has Europe/Berlin", () => Intl.supportedValuesOf("timeZone").includes("Europe/Berlin"));
add("supportedValuesOf bad", () => Intl.supportedValuesOf("nope"));
add("NumberFormat supportedLocalesOf", () => Intl.NumberFormat.supportedLocalesOf(["de-DE", "fr", "xx"]));

// NumberFormat
for (const l of locales) {
  add(`NumberFormat ${l} decimal`, () => [1234567.891, -0.5, 0, 1e21, NaN, Infinity].map(nf(l)));
  add(`NumberFormat ${l} percent`, () => [0.256, -1.5].map(nf(l, { style: "percent" })));
  add(`NumberFormat ${l} currency EUR`, () => [1234.5, -3].map(nf(l, { style: "currency", currency: "EUR" })));
  add(`NumberFormat ${l} compact`, () => [1234, 1500000, 999, 2.5e9].map(nf(l, { notation: "compact" })));
}
add("NumberFormat en currency USD", () => nf("en-US", { style: "currency", currency: "USD" })(1234.5));
add("NumberFormat en currency JPY", () => nf("en-US", { style: "currency", currency: "JPY" })(1234.5));
add("NumberFormat ja currency JPY", () => nf("ja", { style: "currency", currency: "JPY" })(1234.5));
add("NumberFormat en currency code", () => nf("en-US", { style: "currency", currency: "EUR", currencyDisplay: "code" })(12));
add("NumberFormat en currency name", () => [1, 12].map(nf("en-US", { style: "currency", currency: "EUR", currencyDisplay: "name" })));
add("NumberFormat de currency name", () => [1, 12].map(nf("de", { style: "currency", currency: "USD", currencyDisplay: "name" })));
add("NumberFormat en currency narrowSymbol", () => nf("en-GB", { style: "currency", currency: "USD", currencyDisplay: "narrowSymbol" })(5));
add("NumberFormat en-GB currency GBP", () => nf("en-GB", { style: "currency", currency: "GBP" })(-1234.56));
add("NumberFormat en accounting", () => nf("en-US", { style: "currency", currency: "USD", currencySign: "accounting" })(-5));
add("NumberFormat currency missing", () => new Intl.NumberFormat("en", { style: "currency" }));
add("NumberFormat currency invalid", () => new Intl.NumberFormat("en", { style: "currency", currency: "EURO" }));
add("NumberFormat unit kmh short", () => nf("en", { style: "unit", unit: "kilometer-per-hour" })(50));
add("NumberFormat unit long", () => [1, 3].map(nf("en", { style: "unit", unit: "liter", unitDisplay: "long" })));
add("NumberFormat unit narrow", () => nf("en", { style: "unit", unit: "kilobyte", unitDisplay: "narrow" })(12));
add("NumberFormat unit de", () => [1, 3].map(nf("de", { style: "unit", unit: "megabyte", unitDisplay: "long" })));
add("NumberFormat unit fr celsius", () => nf("fr", { style: "unit", unit: "celsius" })(21.5));
add("NumberFormat unit invalid", () => new Intl.NumberFormat("en", { style: "unit", unit: "parsec" }));
add("NumberFormat compact long", () => [1234, 1500000].map(nf("en", { notation: "compact", compactDisplay: "long" })));
add("NumberFormat compact long de", () => [1234, 1500000].map(nf("de", { notation: "compact", compactDisplay: "long" })));
add("NumberFormat scientific", () => nf("en", { notation: "scientific" })(123456));
add("NumberFormat engineering", () => nf("en", { notation: "engineering" })(123456));
add("NumberFormat fraction digits", () => [1, 1.23456, 2.5].map(nf("en", { minimumFractionDigits: 2, maximumFractionDigits: 3 })));
add("NumberFormat max 0", () => [2.5, 3.5, -2.5].map(nf("en", { maximumFractionDigits: 0 })));
add("NumberFormat significant", () => [123456, 0.00123456].map(nf("en", { maximumSignificantDigits: 3 })));
add("NumberFormat min integer", () => nf("en", { minimumIntegerDigits: 3 })(7));
add("NumberFormat useGrouping false", () => nf("en", { useGrouping: false })(1234567));
add("NumberFormat useGrouping min2", () => [1234, 12345].map(nf("es", { useGrouping: "min2" })));
add("NumberFormat es 4 digits", () => [1234, 12345].map(nf("es")));
add("NumberFormat pl 4 digits", () => [1234, 12345].map(nf("pl")));
add("NumberFormat signDisplay always", () => [1, -1, 0].map(nf("en", { signDisplay: "always" })));
add("NumberFormat signDisplay exceptZero", () => [1, -1, 0].map(nf("en", { signDisplay: "exceptZero" })));
add("NumberFormat signDisplay never", () => [1, -1].map(nf("en", { signDisplay: "never" })));
add("NumberFormat signDisplay negative", () => [-0, -1].map(nf("en", { signDisplay: "negative" })));
add("NumberFormat bigint", () => nf("en")(12345678901234567890n));
add("NumberFormat string", () => nf("en")("1234.5"));
add("NumberFormat formatToParts", () => parts(new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).formatToParts(-1234.5)));
add("NumberFormat formatToParts de percent", () => parts(new Intl.NumberFormat("de", { style: "percent", maximumFractionDigits: 1 }).formatToParts(0.1234)));
add("NumberFormat formatToParts compact", () => parts(new Intl.NumberFormat("en", { notation: "compact" }).formatToParts(1500)));
add("NumberFormat resolvedOptions", () => new Intl.NumberFormat("de-DE").resolvedOptions());
add("NumberFormat resolvedOptions currency", () => new Intl.NumberFormat("en", { style: "currency", currency: "jpy" }).resolvedOptions());
add("NumberFormat resolvedOptions percent", () => new Intl.NumberFormat("fr", { style: "percent" }).resolvedOptions());
add("NumberFormat format bound", () => [1, 2000].map(new Intl.NumberFormat("en").format));
add("NumberFormat default locale", () => new Intl.NumberFormat().resolvedOptions().locale);
add("NumberFormat unknown locale falls back", () => new Intl.NumberFormat("xx").resolvedOptions().locale);
add("NumberFormat bad locale", () => new Intl.NumberFormat("en_US"));
add("NumberFormat de-CH", () => nf("de-CH")(1234567.5));
add("NumberFormat en-IN", () => nf("en-IN")(123456789));
add("NumberFormat hi currency INR", () => nf("hi", { style: "currency", currency: "INR" })(123456.5));
add("NumberFormat ar-EG", () => nf("ar-EG")(1234.5));
add("NumberFormat nu latn", () => nf("ar-u-nu-latn")(1234.5));
add("Number toLocaleString", () => [(1234.5).toLocaleString(), (1234.5).toLocaleString("de-DE"), (0.5).toLocaleString("en", { style: "percent" })]);
add("BigInt toLocaleString", () => [(1234567n).toLocaleString("en"), (1234567n).toLocaleString("fr")]);
add("Array toLocaleString", () => [[1234.5, new Date(0), "x"].toLocaleString("de"), [1000, 2000].toLocaleString()]);

// DateTimeFormat
for (const l of locales) {
  add(`DateTimeFormat ${l} default`, () => dtf(l));
  add(`DateTimeFormat ${l} dateStyle`, () => ["full", "long", "medium", "short"].map((s) => dtf(l, { dateStyle: s })));
  add(`DateTimeFormat ${l} timeStyle`, () => ["full", "long", "medium", "short"].map((s) => dtf(l, { timeStyle: s })));
  add(`DateTimeFormat ${l} date+time short`, () => dtf(l, { dateStyle: "short", timeStyle: "short" }));
  add(`DateTimeFormat ${l} date+time long`, () => dtf(l, { dateStyle: "long", timeStyle: "medium" }));
  add(`DateTimeFormat ${l} components`, () => [
    dtf(l, { year: "numeric", month: "long", day: "numeric" }),
    dtf(l, { weekday: "long", year: "numeric", month: "short", day: "numeric" }),
    dtf(l, { month: "short", day: "numeric" }),
    dtf(l, { year: "numeric", month: "2-digit", day: "2-digit" }),
    dtf(l, { hour: "numeric", minute: "2-digit" }),
    dtf(l, { weekday: "short" }),
    dtf(l, { month: "long" }),
    dtf(l, { year: "numeric", month: "long" }),
  ]);
  add(`Date toLocaleString ${l}`, () => [d.toLocaleString(l), d.toLocaleDateString(l), d.toLocaleTimeString(l)]);
}
add("DateTimeFormat hour12 false", () => dtf("en-US", { hour: "numeric", minute: "numeric", hour12: false }));
add("DateTimeFormat hour12 true de", () => dtf("de", { hour: "numeric", minute: "numeric", hour12: true }));
add("DateTimeFormat hourCycle h23", () => dtf("en-US", { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }));
add("DateTimeFormat second", () => dtf("en-US", { hour: "numeric", minute: "numeric", second: "numeric" }));
add("DateTimeFormat timeZone New York", () => dtf("en-US", { timeZone: "America/New_York", dateStyle: "medium", timeStyle: "long" }));
add("DateTimeFormat timeZone Tokyo", () => dtf("ja", { timeZone: "Asia/Tokyo", dateStyle: "full", timeStyle: "short" }));
add("DateTimeFormat timeZone Kolkata", () => dtf("en-IN", { timeZone: "Asia/Kolkata", hour: "numeric", minute: "numeric" }));
add("DateTimeFormat timeZone Berlin name", () => dtf("de", { timeZone: "Europe/Berlin", timeZoneName: "short", hour: "numeric" }));
add("DateTimeFormat timeZone invalid", () => new Intl.DateTimeFormat("en", { timeZone: "Mars/Base" }));
add("DateTimeFormat timeZoneName short", () => dtf("en-US", { timeZoneName: "short" }));
add("DateTimeFormat era", () => dtf("en-US", { era: "short", year: "numeric" }));
add("DateTimeFormat fractionalSecondDigits", () => dtf("en-US", { minute: "2-digit", second: "2-digit", fractionalSecondDigits: 3 }));
add("DateTimeFormat dayPeriod", () => dtf("en-US", { hour: "numeric", dayPeriod: "short" }));
add("DateTimeFormat style and component", () => new Intl.DateTimeFormat("en", { dateStyle: "short", year: "numeric" }));
add("DateTimeFormat formatToParts", () => parts(new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short" }).formatToParts(d)));
add("DateTimeFormat formatToParts de", () => parts(new Intl.DateTimeFormat("de", { weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" }).formatToParts(d)));
add("DateTimeFormat formatRange same day", () => new Intl.DateTimeFormat("en-US", { dateStyle: "medium" }).formatRange(d, new Date(+d + 3600e3)));
add("DateTimeFormat formatRange days", () => new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric" }).formatRange(d, new Date(+d + 3 * 86400e3)));
add("DateTimeFormat formatRange months", () => new Intl.DateTimeFormat("en-US", { dateStyle: "medium" }).formatRange(d, d2));
add("DateTimeFormat resolvedOptions", () => new Intl.DateTimeFormat("en-US").resolvedOptions());
add("DateTimeFormat resolvedOptions styles", () => new Intl.DateTimeFormat("de", { dateStyle: "long", timeStyle: "short", timeZone: "europe/berlin" }).resolvedOptions());
add("DateTimeFormat resolvedOptions components", () => new Intl.DateTimeFormat("ja", { hour: "numeric", minute: "2-digit" }).resolvedOptions());
add("DateTimeFormat format number", () => new Intl.DateTimeFormat("en-US", { timeZone: "UTC" }).format(0));
add("DateTimeFormat invalid date", () => new Intl.DateTimeFormat("en").format(new Date(NaN)));
add("Date toLocaleString options", () => d.toLocaleString("en-US", { timeZone: "America/Los_Angeles" }));
add("Date toLocaleDateString options", () => d.toLocaleDateString("de-DE", { weekday: "long", year: "numeric", month: "long", day: "numeric" }));
add("Date toLocaleTimeString options", () => d.toLocaleTimeString("en-US", { hour: "2-digit", minute: "2-digit" }));
add("Date toLocaleString invalid", () => new Date(NaN).toLocaleString());

// Collator
add("Collator sort en", () => ["b", "a", "B", "ä", "z", "A"].sort(new Intl.Collator("en").compare));
add("Collator sort de", () => ["Äpfel", "Zebra", "apfel", "Bär"].sort(new Intl.Collator("de").compare));
add("Collator sort sv", () => ["ö", "z", "a", "å", "ä"].sort(new Intl.Collator("sv").compare));
add("Collator numeric", () => ["item10", "item2", "item1"].sort(new Intl.Collator("en", { numeric: true }).compare));
add("Collator sensitivity base", () => { const c = new Intl.Collator("en", { sensitivity: "base" }).compare; return [c("a", "A"), c("a", "á"), c("a", "b")]; });
add("Collator sensitivity accent", () => { const c = new Intl.Collator("en", { sensitivity: "accent" }).compare; return [c("a", "A"), c("a", "á")]; });
add("Collator sensitivity case", () => { const c = new Intl.Collator("en", { sensitivity: "case" }).compare; return [c("a", "A"), c("a", "á")]; });
add("Collator variant", () => { const c = new Intl.Collator("en").compare; return [c("a", "A"), c("a", "á"), c("a", "a")]; });
add("Collator caseFirst upper", () => ["a", "A", "b", "B"].sort(new Intl.Collator("en", { caseFirst: "upper" }).compare));
add("Collator ignorePunctuation", () => new Intl.Collator("en", { ignorePunctuation: true }).compare("a-b", "ab"));
add("Collator resolvedOptions", () => new Intl.Collator("de", { numeric: true }).resolvedOptions());
add("localeCompare", () => ["a".localeCompare("b"), "b".localeCompare("a"), "a".localeCompare("a"), "a".localeCompare("B"), "résumé".localeCompare("resume", "en", { sensitivity: "base" })]);
add("localeCompare sort", () => ["Zoë", "zoe", "Émile", "eve", "adam"].sort((a, b) => a.localeCompare(b)));

// PluralRules
for (const l of ["en", "fr", "ru", "pl", "ar", "ja", "de", "tr"]) {
  add(`PluralRules ${l} cardinal`, () => [0, 1, 2, 3, 5, 11, 21, 22, 25, 100, 1.5, 1000000].map((n) => new Intl.PluralRules(l).select(n)));
}
add("PluralRules en ordinal", () => [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111].map((n) => new Intl.PluralRules("en", { type: "ordinal" }).select(n)));
add("PluralRules fr ordinal", () => [1, 2].map((n) => new Intl.PluralRules("fr", { type: "ordinal" }).select(n)));
add("PluralRules fraction digits", () => new Intl.PluralRules("en", { minimumFractionDigits: 1 }).select(1));
add("PluralRules resolvedOptions", () => new Intl.PluralRules("ar").resolvedOptions());
add("PluralRules resolvedOptions ordinal", () => new Intl.PluralRules("en", { type: "ordinal" }).resolvedOptions());

// RelativeTimeFormat
for (const l of ["en", "de", "fr", "es", "ja", "ru", "ar"]) {
  add(`RelativeTimeFormat ${l}`, () => { const r = new Intl.RelativeTimeFormat(l); return [r.format(-1, "day"), r.format(2, "days"), r.format(-3, "month"), r.format(1, "year"), r.format(-5, "minute"), r.format(0, "second")]; });
  add(`RelativeTimeFormat ${l} auto`, () => { const r = new Intl.RelativeTimeFormat(l, { numeric: "auto" }); return [r.format(-1, "day"), r.format(0, "day"), r.format(1, "day"), r.format(1, "week"), r.format(-2, "day"), r.format(0, "second")]; });
}
add("RelativeTimeFormat short", () => new Intl.RelativeTimeFormat("en", { style: "short" }).format(-3, "month"));
add("RelativeTimeFormat narrow", () => new Intl.RelativeTimeFormat("en", { style: "narrow" }).format(3, "hour"));
add("RelativeTimeFormat fraction", () => new Intl.RelativeTimeFormat("en").format(1.5, "hour"));
add("RelativeTimeFormat big", () => new Intl.RelativeTimeFormat("en").format(-12345, "second"));
add("RelativeTimeFormat bad unit", () => new Intl.RelativeTimeFormat("en").format(1, "decade"));
add("RelativeTimeFormat formatToParts", () => new Intl.RelativeTimeFormat("en").formatToParts(-1234, "day").map((p) => p.type + ":" + p.value + (p.unit ? ":" + p.unit : "")));
add("RelativeTimeFormat resolvedOptions", () => new Intl.RelativeTimeFormat("de", { numeric: "auto" }).resolvedOptions());

// ListFormat
for (const l of ["en", "en-GB", "de", "fr", "es", "ja", "zh", "ru", "ar"]) {
  add(`ListFormat ${l}`, () => { const f = (o) => new Intl.ListFormat(l, o).format(["A", "B", "C"]); return [f(), f({ type: "disjunction" }), f({ type: "unit" }), f({ style: "short" }), f({ type: "unit", style: "narrow" })]; });
}
add("ListFormat two and one", () => [new Intl.ListFormat("en").format(["A", "B"]), new Intl.ListFormat("en").format(["A"]), new Intl.ListFormat("en").format([])]);
add("ListFormat es y/e", () => new Intl.ListFormat("es").format(["agua", "hielo"]));
add("ListFormat formatToParts", () => parts(new Intl.ListFormat("en").formatToParts(["x", "y", "z"])));
add("ListFormat non-string", () => new Intl.ListFormat("en").format([1, 2]));
add("ListFormat resolvedOptions", () => new Intl.ListFormat("fr", { type: "disjunction" }).resolvedOptions());

// Segmenter
const seg = (l, o, s) => [...new Intl.Segmenter(l, o).segment(s)].map((x) => x.segment + (x.isWordLike === undefined ? "" : x.isWordLike ? "*" : ""));
add("Segmenter grapheme", () => seg("en", undefined, "e\u0301👍🏽🇩🇪a"));
add("Segmenter word", () => seg("en", { granularity: "word" }, "Hello, world! It's 3.5 km."));
add("Segmenter sentence", () => seg("en", { granularity: "sentence" }, "Hi there. How are you? Fine!"));
add("Segmenter segment object", () => { const s = [...new Intl.Segmenter("en", { granularity: "word" }).segment("ab cd")][2]; return [s.segment, s.index, s.input, s.isWordLike]; });
add("Segmenter containing", () => { const s = new Intl.Segmenter("en", { granularity: "word" }).segment("ab cd").containing(4); return [s.segment, s.index]; });
add("Segmenter resolvedOptions", () => new Intl.Segmenter("fr", { granularity: "word" }).resolvedOptions());

// DisplayNames
add("DisplayNames region", () => new Intl.DisplayNames(["en"], { type: "region" }).of("DE"));
add("DisplayNames language", () => new Intl.DisplayNames(["de"], { type: "language" }).of("fr"));
add("DisplayNames currency", () => new Intl.DisplayNames(["en"], { type: "currency" }).of("JPY"));

// Locale
add("Locale", () => { const l = new Intl.Locale("en-Latn-US", { calendar: "gregory" }); return [l.toString(), l.language, l.script, l.region, l.baseName, l.calendar]; });
add("Locale maximize", () => [new Intl.Locale("zh").maximize().toString(), new Intl.Locale("en-Latn-US").minimize().toString()]);

// Date in UTC
add("Date local getters", () => { const x = new Date(2020, 6, 1, 12, 30); return [x.getTimezoneOffset(), x.getHours(), x.getUTCHours(), x.toISOString()]; });
add("Date toString", () => [d.toString(), d.toDateString(), d.toTimeString()]);
add("Date parse local form", () => [Date.parse("2020-07-01T00:00:00"), Date.parse("July 1, 2020 10:00"), Date.parse("2020-07-01")]);
add("Date setters", () => { const x = new Date(0); x.setHours(5); x.setDate(3); return x.toISOString(); });
add("Date call", () => typeof Date());
