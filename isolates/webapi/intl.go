package webapi

import (
	"math"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // Intl's IANA zones must not depend on the host's zoneinfo

	"github.com/dop251/goja"

	"edgerun/isolates"
	"edgerun/isolates/webapi/intl"
)

// intlNatives are intl.js's: locale negotiation and the formatters of
// isolates/webapi/intl. Each constructor answers a resolved-options
// object and Go closures over the formatter it built, so formatting
// costs one call and nothing is built until a script asks for it.
func (w *Worker) intlNatives(set nativeSet) {
	set("intl", func(goja.FunctionCall) goja.Value {
		o := w.vm.NewObject()
		w.intlFunctions(func(name string, fn func(goja.FunctionCall) goja.Value) { _ = o.Set(name, fn) })
		return o
	})
}

// intlFunctions are the natives intl.js's Intl calls, made the first
// time an isolate uses Intl.
func (w *Worker) intlFunctions(set nativeSet) {
	vm := w.vm
	rangeErr := func(msg string) {
		panic(w.rangeError(msg))
	}
	locales := func(v goja.Value) []string {
		var out []string
		if o, ok := v.(*goja.Object); ok {
			for _, k := range o.Keys() {
				out = append(out, o.Get(k).String())
			}
		}
		return out
	}
	str := func(o *goja.Object, k string) string {
		v := o.Get(k)
		if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
			return ""
		}
		return v.String()
	}
	num := func(o *goja.Object, k string) int {
		v := o.Get(k)
		if v == nil || goja.IsUndefined(v) {
			return 0
		}
		return int(v.ToInteger())
	}
	parts := func(ps []intl.Part, asParts bool) goja.Value {
		if !asParts {
			return vm.ToValue(intl.Join(ps))
		}
		flat := make([]any, 0, 2*len(ps))
		for _, p := range ps {
			flat = append(flat, p.Type, p.Value)
		}
		return vm.ToValue(flat)
	}
	resolvedOf := func(res intl.Resolved, keep ...string) map[string]any {
		kw := map[string]string{}
		for _, k := range keep {
			if v, ok := res.Keywords[k]; ok {
				kw[k] = v
			}
		}
		return map[string]any{"locale": intl.WithKeywords(res.Locale, kw), "dataLocale": res.Data.Name}
	}
	decimalArg := func(v goja.Value) intl.Decimal {
		if s, ok := isolates.Export(v).(string); ok {
			d, ok := intl.FromString(s)
			if !ok {
				return intl.Decimal{NaN: true}
			}
			return d
		}
		return intl.FromFloat(v.ToFloat())
	}

	set("intlCanonicalize", func(c goja.FunctionCall) goja.Value {
		in := locales(c.Argument(0))
		out := make([]any, 0, len(in))
		seen := map[string]bool{}
		for _, l := range in {
			t, err := intl.Canonicalize(l)
			if err != nil {
				rangeErr("Incorrect locale information provided")
			}
			if !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
		return vm.ToValue(out)
	})
	set("intlSupported", func(c goja.FunctionCall) goja.Value {
		out := []any{}
		for _, l := range intl.SupportedLocales(locales(c.Argument(0))) {
			out = append(out, l)
		}
		return vm.ToValue(out)
	})
	set("intlIsUnit", func(c goja.FunctionCall) goja.Value { return vm.ToValue(intl.IsUnit(c.Argument(0).String())) })
	set("intlCurrencyDigits", func(c goja.FunctionCall) goja.Value {
		return vm.ToValue(intl.CurrencyDigits(c.Argument(0).String()))
	})
	set("intlValues", func(c goja.FunctionCall) goja.Value {
		vals := intl.SupportedValues(c.Argument(0).String())
		if vals == nil {
			rangeErr("Invalid key : " + c.Argument(0).String())
		}
		out := make([]any, len(vals))
		for i, v := range vals {
			out[i] = v
		}
		return vm.ToValue(out)
	})
	set("intlTimeZone", func(c goja.FunctionCall) goja.Value {
		name, ok := canonicalZone(c.Argument(0).String())
		if !ok {
			rangeErr("Invalid time zone specified: " + c.Argument(0).String())
		}
		return vm.ToValue(name)
	})

	// intlNumberFormat(locales, options) → [resolved, format(x, parts), plural(x, type)]
	set("intlNumberFormat", func(c goja.FunctionCall) goja.Value {
		res := intl.Resolve(locales(c.Argument(0)))
		o := c.Argument(1).ToObject(vm)
		opts := intl.NumberOptions{
			Style: str(o, "style"), Currency: str(o, "currency"), CurrencyDisplay: str(o, "currencyDisplay"),
			CurrencySign: str(o, "currencySign"), Unit: str(o, "unit"), UnitDisplay: str(o, "unitDisplay"),
			Notation: str(o, "notation"), CompactDisplay: str(o, "compactDisplay"), UseGrouping: str(o, "useGrouping"),
			SignDisplay: str(o, "signDisplay"), MinInt: num(o, "minimumIntegerDigits"),
			MinFD: num(o, "minimumFractionDigits"), MaxFD: num(o, "maximumFractionDigits"),
			MinSD: num(o, "minimumSignificantDigits"), MaxSD: num(o, "maximumSignificantDigits"),
			RoundingPriority: str(o, "roundingPriority"), UseSD: o.Get("useSD").ToBoolean(),
		}
		nu := res.DefaultNU()
		if k := res.Keywords["nu"]; k == "latn" || k == res.Data.NU {
			nu = k
		}
		opts.NU = nu
		f := intl.NewNumberFormatter(res, opts)
		resolved := resolvedOf(res, "nu")
		if res.Keywords["nu"] == "" || res.Keywords["nu"] != nu {
			resolved["locale"] = res.Locale
		}
		resolved["numberingSystem"] = nu
		return vm.ToValue([]any{
			resolved,
			func(c goja.FunctionCall) goja.Value {
				return parts(f.Format(decimalArg(c.Argument(0))), c.Argument(1).ToBoolean())
			},
			func(c goja.FunctionCall) goja.Value {
				return vm.ToValue(f.SelectPlural(decimalArg(c.Argument(0)), c.Argument(1).String()))
			},
		})
	})
	set("intlPluralCategories", func(c goja.FunctionCall) goja.Value {
		res := intl.Resolve(locales(c.Argument(0)))
		cats := intl.PluralCategories(strings.SplitN(res.Data.Name, "-", 2)[0], c.Argument(1).String())
		out := make([]any, len(cats))
		for i, v := range cats {
			out[i] = v
		}
		return vm.ToValue([]any{resolvedOf(res), out})
	})

	// intlDateTimeFormat(locales, options) → [resolved, format(ms, parts), formatRange(a, b, parts)]
	set("intlDateTimeFormat", func(c goja.FunctionCall) goja.Value {
		res := intl.Resolve(locales(c.Argument(0)))
		o := c.Argument(1).ToObject(vm)
		zone := str(o, "timeZone")
		loc, err := loadZone(zone)
		if err != nil {
			rangeErr("Invalid time zone specified: " + zone)
		}
		opts := intl.DateOptions{
			Weekday: str(o, "weekday"), Era: str(o, "era"), Year: str(o, "year"), Month: str(o, "month"),
			Day: str(o, "day"), DayPeriod: str(o, "dayPeriod"), Hour: str(o, "hour"), Minute: str(o, "minute"),
			Second: str(o, "second"), TimeZoneName: str(o, "timeZoneName"),
			FractionalSecondDigits: num(o, "fractionalSecondDigits"),
			DateStyle:              str(o, "dateStyle"), TimeStyle: str(o, "timeStyle"), TimeZone: zone, Location: loc,
		}
		hc := str(o, "hourCycle")
		kwHC := res.Keywords["hc"]
		switch h12 := o.Get("hour12"); {
		case h12 != nil && !goja.IsUndefined(h12):
			opts.HourCycleSet = true
			if h12.ToBoolean() {
				hc = "h12"
				if strings.HasPrefix(res.Data.Name, "ja") {
					hc = "h11"
				}
			} else {
				hc = "h23"
			}
			kwHC = ""
		case hc != "":
			opts.HourCycleSet = true
			kwHC = ""
		case kwHC != "":
			hc, opts.HourCycleSet = kwHC, true
		default:
			hc = res.HourCycle()
		}
		opts.HourCycle = hc
		f := intl.NewDateFormatter(res, opts)
		kw := map[string]string{}
		if kwHC != "" {
			kw["hc"] = kwHC
		}
		resolved := map[string]any{"locale": intl.WithKeywords(res.Locale, kw), "hourCycle": hc, "numberingSystem": res.DefaultNU(), "pattern": f.Pattern()}
		ms := func(v goja.Value) int64 {
			x := v.ToFloat()
			if math.IsNaN(x) || math.Abs(x) > 8.64e15 {
				rangeErr("Invalid time value")
			}
			return int64(x)
		}
		return vm.ToValue([]any{
			resolved,
			func(c goja.FunctionCall) goja.Value {
				return parts(f.Format(ms(c.Argument(0))), c.Argument(1).ToBoolean())
			},
			func(c goja.FunctionCall) goja.Value {
				return parts(f.FormatRange(ms(c.Argument(0)), ms(c.Argument(1))), c.Argument(2).ToBoolean())
			},
		})
	})

	// intlCollator(locales, usage, sensitivity, caseFirst, numeric, ignorePunctuation) → [resolved, compare]
	set("intlCollator", func(c goja.FunctionCall) goja.Value {
		res := intl.Resolve(locales(c.Argument(0)))
		col := intl.NewCollator(res.Data.Name, c.Argument(2).String(), c.Argument(3).String(), c.Argument(4).ToBoolean(), c.Argument(5).ToBoolean())
		return vm.ToValue([]any{resolvedOf(res), func(c goja.FunctionCall) goja.Value {
			return vm.ToValue(col.Compare(c.Argument(0).String(), c.Argument(1).String()))
		}})
	})

	// intlRelative(locales, style, numeric, nfFormatterOptions) → [resolved, format(v, unit, parts)]
	set("intlRelative", func(c goja.FunctionCall) goja.Value {
		res := intl.Resolve(locales(c.Argument(0)))
		style, numeric := c.Argument(1).String(), c.Argument(2).String()
		nf := intl.NewNumberFormatter(res, intl.NumberOptions{Style: "decimal", MinInt: 1, MaxFD: 3, NU: res.DefaultNU(), SignDisplay: "auto", UseGrouping: "auto"})
		resolved := resolvedOf(res)
		resolved["numberingSystem"] = res.DefaultNU()
		return vm.ToValue([]any{resolved, func(c goja.FunctionCall) goja.Value {
			return parts(intl.RelativeTime(res, nf, style, numeric, c.Argument(0).ToFloat(), c.Argument(1).String()), c.Argument(2).ToBoolean())
		}})
	})

	// intlList(locales, type, style) → [resolved, format(items, parts)]
	set("intlList", func(c goja.FunctionCall) goja.Value {
		res := intl.Resolve(locales(c.Argument(0)))
		typ, style := c.Argument(1).String(), c.Argument(2).String()
		return vm.ToValue([]any{resolvedOf(res), func(c goja.FunctionCall) goja.Value {
			return parts(intl.List(res, typ, style, locales(c.Argument(0))), c.Argument(1).ToBoolean())
		}})
	})

	// intlSegments(string, granularity) → flat [index, segment, wordLike, …]
	set("intlSegments", func(c goja.FunctionCall) goja.Value {
		segs := intl.Segments(c.Argument(0).String(), c.Argument(1).String())
		flat := make([]any, 0, 3*len(segs))
		for _, s := range segs {
			flat = append(flat, s.Index, s.Text, s.WordLike)
		}
		return vm.ToValue(flat)
	})
	set("intlLikely", func(c goja.FunctionCall) goja.Value {
		return vm.ToValue(intl.Likely(c.Argument(0).String(), c.Argument(1).ToBoolean()))
	})
	set("intlDisplayName", func(c goja.FunctionCall) goja.Value {
		res := intl.Resolve(locales(c.Argument(0)))
		return vm.ToValue(intl.DisplayName(res, c.Argument(1).String(), c.Argument(2).String()))
	})
	set("intlResolve", func(c goja.FunctionCall) goja.Value {
		return vm.ToValue(resolvedOf(intl.Resolve(locales(c.Argument(0)))))
	})
}

func (w *Worker) rangeError(msg string) goja.Value {
	v, err := w.vm.New(w.vm.Get("RangeError"), w.vm.ToValue(msg))
	if err != nil {
		return w.vm.NewTypeError(msg)
	}
	return v
}

var (
	zonesOnce sync.Once
	zonesByLC map[string]string
	zoneCache sync.Map // canonical name → *time.Location
)

// canonicalZone is the IANA name for name (case-insensitive), with
// UTC's aliases as ICU reports them.
func canonicalZone(name string) (string, bool) {
	zonesOnce.Do(func() {
		zonesByLC = map[string]string{}
		for _, z := range intl.TimeZones() {
			zonesByLC[strings.ToLower(z)] = z
		}
	})
	lc := strings.ToLower(name)
	switch lc {
	case "utc", "etc/utc", "etc/gmt", "gmt", "etc/universal", "etc/zulu", "universal", "zulu", "etc/uct", "uct", "etc/gmt0", "gmt0":
		return "UTC", true
	}
	if z, ok := zonesByLC[lc]; ok {
		return z, true
	}
	if _, err := time.LoadLocation(name); err == nil && strings.Contains(name, "/") {
		return name, true
	}
	return "", false
}

func loadZone(name string) (*time.Location, error) {
	if name == "UTC" || name == "" {
		return time.UTC, nil
	}
	if l, ok := zoneCache.Load(name); ok {
		return l.(*time.Location), nil
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	zoneCache.Store(name, l)
	return l, nil
}
