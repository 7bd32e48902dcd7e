// node gen.mjs <out.json.gz>: the CLDR data edgerun's Intl formats with,
// for the locales below, taken from the Unicode CLDR JSON packages this
// directory's lockfile pins (the CLDR release workerd's ICU carries).
// Each locale's entry is CLDR's resolved data for it; the Go side
// (isolates/webapi/intl) reads the file once, the first time an isolate
// uses Intl.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

const nm = path.join(path.dirname(new URL(import.meta.url).pathname), "node_modules");
const read = (pkg, ...p) => JSON.parse(fs.readFileSync(path.join(nm, pkg, ...p), "utf8"));
const main = (pkg, loc, file) => {
  const f = path.join(nm, pkg, "main", loc, file);
  return fs.existsSync(f) ? Object.values(JSON.parse(fs.readFileSync(f, "utf8")).main)[0] : null;
};

// The locales with data. Every other CLDR locale resolves to its nearest
// ancestor here, or to the default (en-US) when it has none.
const LOCALES = `en en-001 en-GB en-AU en-CA en-IN en-IE en-NZ en-ZA en-SG
de de-AT de-CH fr fr-CA fr-CH fr-BE es es-419 es-MX es-US es-AR it it-CH pt pt-PT nl nl-BE
sv da nb fi pl cs sk hu ro el bg hr sl uk ru tr he ar ar-EG ar-SA ar-AE fa hi bn ta th vi id ms fil
ja zh zh-Hant zh-Hant-HK ko`.split(/\s+/);

const core = (f) => read("cldr-core", "supplemental", f + ".json").supplemental;
const available = read("cldr-core", "availableLocales.json").availableLocales.full;
const parentLocales = core("parentLocales").parentLocales.parentLocale;
const likely = core("likelySubtags").likelySubtags;
const numberingSystems = core("numberingSystems").numberingSystems;
const pick = (o, keys) => Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));

const UNITS = `acre bit byte celsius centimeter day degree fahrenheit fluid-ounce foot gallon gigabit gigabyte gram hectare
hour inch kilobit kilobyte kilogram kilometer liter megabit megabyte meter microsecond mile mile-scandinavian milliliter
millimeter millisecond minute month nanosecond ounce percent petabyte pound second stone terabit terabyte week yard year`.split(/\s+/);

function locale(loc) {
  const num = main("cldr-numbers-full", loc, "numbers.json").numbers;
  const nu = num.defaultNumberingSystem;
  const sys = (k) => num[`${k}-numberSystem-${nu}`] || num[`${k}-numberSystem-latn`];
  const dec = sys("decimalFormats"), cur = sys("currencyFormats");
  const curs = main("cldr-numbers-full", loc, "currencies.json").numbers.currencies;
  const currencies = {};
  for (const [code, c] of Object.entries(curs)) {
    const names = {};
    for (const [k, v] of Object.entries(c)) if (k.startsWith("displayName-count-")) names[k.slice(18)] = v;
    currencies[code] = { s: c.symbol, n: c["symbol-alt-narrow"], d: c.displayName, c: names };
  }
  const unitsAll = main("cldr-units-full", loc, "units.json").units;
  const units = {};
  for (const width of ["long", "short", "narrow"]) {
    const w = unitsAll[width], out = {};
    for (const [k, v] of Object.entries(w)) {
      const name = k.replace(/^[a-z]+-/, "");
      const per = name.split("-per-");
      if (!(UNITS.includes(name) || per.length === 2 && UNITS.includes(per[0]) && UNITS.includes(per[1])) || out[name]) continue;
      const pats = {};
      for (const [pk, pv] of Object.entries(v)) if (pk.startsWith("unitPattern-count-")) pats[pk.slice(18)] = pv;
      out[name] = { p: pats, per: v.perUnitPattern, d: v.displayName };
    }
    out.per = w.per && w.per.compoundUnitPattern;
    units[width] = out;
  }
  const greg = main("cldr-dates-full", loc, "ca-gregorian.json").dates.calendars.gregorian;
  const fieldsAll = main("cldr-dates-full", loc, "dateFields.json").dates.fields;
  const fields = {};
  for (const unit of ["year", "quarter", "month", "week", "day", "hour", "minute", "second"]) {
    for (const suffix of ["", "-short", "-narrow"]) {
      const f = fieldsAll[unit + suffix];
      if (!f) continue;
      const rel = {};
      for (const [k, v] of Object.entries(f)) if (k.startsWith("relative-type-")) rel[k.slice(14)] = v;
      const t = (dir) => {
        const o = {}, src = f["relativeTime-type-" + dir] || {};
        for (const [k, v] of Object.entries(src)) o[k.replace("relativeTimePattern-count-", "")] = v;
        return o;
      };
      fields[unit + suffix] = { r: rel, f: t("future"), p: t("past") };
    }
  }
  const lists = {};
  for (const [k, v] of Object.entries(main("cldr-misc-full", loc, "listPatterns.json").listPatterns)) lists[k.replace("listPattern-type-", "")] = v;
  const tzAll = main("cldr-dates-full", loc, "timeZoneNames.json").dates.timeZoneNames;
  const tz = { hour: tzAll.hourFormat, gmt: tzAll.gmtFormat, gmtZero: tzAll.gmtZeroFormat, utc: tzAll.zone.Etc && tzAll.zone.Etc.UTC, mz: tzAll.metazone || {} };
  const dtf = greg.dateTimeFormats;
  return {
    nu, digits: nu === "latn" ? undefined : numberingSystems[nu]._digits,
    sym: sys("symbols"), symLatn: nu === "latn" ? undefined : num["symbols-numberSystem-latn"], minGroup: Number(num.minimumGroupingDigits),
    dec: dec.standard, decShort: dec.short.decimalFormat, decLong: dec.long.decimalFormat,
    pct: sys("percentFormats").standard, sci: sys("scientificFormats").standard,
    cur: pick(cur, ["standard", "standard-alphaNextToNumber", "standard-noCurrency", "accounting", "accounting-alphaNextToNumber", "accounting-noCurrency", "currencySpacing"]),
    curShort: cur.short && cur.short.standard, curUnit: Object.fromEntries(Object.entries(cur).filter(([k]) => k.startsWith("unitPattern-count-")).map(([k, v]) => [k.slice(18), v])),
    currencies, units, fields, lists, tz,
    ca: {
      months: greg.months, days: greg.days, dayPeriods: greg.dayPeriods, eras: greg.eras,
      date: greg.dateFormats, time: greg.timeFormats,
      glue: pick(dtf, ["full", "long", "medium", "short"]), glueAt: greg["dateTimeFormats-atTime"] && greg["dateTimeFormats-atTime"].standard,
      avail: dtf.availableFormats, interval: dtf.intervalFormats,
    },
  };
}

const defaultContent = read("cldr-core", "defaultContent.json").defaultContent;
const out = { locales: {}, available: [...available, ...defaultContent], parents: parentLocales, likely };
for (const loc of LOCALES) out.locales[loc] = locale(loc);
out.plurals = { cardinal: core("plurals")["plurals-type-cardinal"], ordinal: core("ordinals")["plurals-type-ordinal"] };
out.timeData = core("timeData").timeData;
out.dayPeriods = core("dayPeriods").dayPeriodRuleSet;
out.currencyDigits = core("currencyData").currencyData.fractions;
const mzInfo = core("metaZones").metaZones.metazoneInfo.timezone;
const zoneMZ = {};
const walk = (o, prefix) => {
  for (const [k, v] of Object.entries(o)) {
    if (Array.isArray(v)) {
      const cur = v.map((x) => x.usesMetazone).find((u) => !u._to);
      if (cur) zoneMZ[prefix + k] = cur._mzone;
    } else walk(v, prefix + k + "/");
  }
};
walk(mzInfo, "");
out.zoneMetazone = zoneMZ;
out.units = UNITS;
out.cldrVersion = read("cldr-core", "package.json").version;
const json = JSON.stringify(out);
fs.writeFileSync(process.argv[2], zlib.gzipSync(json, { level: 9 }));
console.log(`${LOCALES.length} locales, ${json.length} bytes of JSON, ${fs.statSync(process.argv[2]).size} gzipped`);
