package intl

import (
	"math"
	"strconv"
	"strings"
)

// RelativeUnits are the units RelativeTimeFormat accepts (singular).
var RelativeUnits = []string{"second", "minute", "hour", "day", "week", "month", "quarter", "year"}

// RelativeTime formats v units from now; numeric is "always" or "auto",
// style "long", "short" or "narrow". nf formats the number.
func RelativeTime(res Resolved, nf *NumberFormatter, style, numeric string, v float64, unit string) []Part {
	key := unit
	if style != "long" {
		key += "-" + style
	}
	fd, ok := res.Data.Fields[key]
	if !ok {
		fd = res.Data.Fields[unit]
	}
	if numeric == "auto" && v == math.Trunc(v) && !(v == 0 && math.Signbit(v)) {
		if s, ok := fd.Relative[strconv.Itoa(int(v))]; ok {
			return []Part{{"literal", s}}
		}
	}
	past := v < 0 || v == 0 && math.Signbit(v)
	d := FromFloat(math.Abs(v))
	num := nf.Format(d)
	plural := nf.SelectPlural(d, "cardinal")
	pats := fd.Future
	if past {
		pats = fd.Past
	}
	pat, ok := pats[plural]
	if !ok {
		pat = pats["other"]
	}
	return substitute(pat, num, nil, "literal")
}

// List joins items as the locale's list patterns say; typ is
// "conjunction", "disjunction" or "unit".
func List(res Resolved, typ, style string, items []string) []Part {
	key := map[string]string{"conjunction": "standard", "disjunction": "or", "unit": "unit"}[typ]
	if style != "long" {
		key += "-" + style
	}
	p := res.Data.Lists[key]
	el := func(s string) []Part { return []Part{{"element", s}} }
	switch len(items) {
	case 0:
		return nil
	case 1:
		return el(items[0])
	case 2:
		return substitute(fixConjunction(res, p["2"], items[1]), el(items[0]), el(items[1]), "literal")
	}
	out := el(items[len(items)-1])
	out = substitute(fixConjunction(res, p["end"], items[len(items)-1]), el(items[len(items)-2]), out, "literal")
	for i := len(items) - 3; i >= 0; i-- {
		pat := p["middle"]
		if i == 0 {
			pat = p["start"]
		}
		out = substitute(pat, el(items[i]), out, "literal")
	}
	return out
}

// fixConjunction applies Spanish's y→e and o→u before the sounds that
// need them, as ICU does.
func fixConjunction(res Resolved, pat, next string) string {
	if lang(res.Data.Name) != "es" {
		return pat
	}
	low := strings.ToLower(next)
	switch {
	case strings.Contains(pat, " y ") && (strings.HasPrefix(low, "i") || strings.HasPrefix(low, "hi")) && !strings.HasPrefix(low, "hia") && !strings.HasPrefix(low, "hie") && !strings.HasPrefix(low, "hio") && !strings.HasPrefix(low, "hiu"):
		return strings.Replace(pat, " y ", " e ", 1)
	case strings.Contains(pat, " o ") && (strings.HasPrefix(low, "o") || strings.HasPrefix(low, "ho") || strings.HasPrefix(low, "8")):
		return strings.Replace(pat, " o ", " u ", 1)
	}
	return pat
}
