package intl

import (
	"strconv"
	"strings"
	"sync"
)

// Plural categories in CLDR's order.
var pluralOrder = []string{"zero", "one", "two", "few", "many", "other"}

// pluralRule is one category's condition: or-ed and-ed relations.
type pluralRule struct {
	category string
	or       [][]relation
}

type relation struct {
	operand byte
	mod     int64
	negate  bool
	ranges  [][2]float64
}

var (
	pluralMu    sync.Mutex
	pluralCache = map[string][]pluralRule{}
)

// rules is lang's rules of kind "cardinal" or "ordinal".
func rules(lang, kind string) []pluralRule {
	pluralMu.Lock()
	defer pluralMu.Unlock()
	key := kind + ":" + lang
	if r, ok := pluralCache[key]; ok {
		return r
	}
	src := load().Plurals.Cardinal
	if kind == "ordinal" {
		src = load().Plurals.Ordinal
	}
	set, ok := src[lang]
	if !ok {
		set = src["root"]
	}
	var out []pluralRule
	for _, cat := range pluralOrder {
		text, ok := set["pluralRule-count-"+cat]
		if !ok {
			continue
		}
		out = append(out, parseRule(cat, text))
	}
	pluralCache[key] = out
	return out
}

func parseRule(cat, text string) pluralRule {
	if i := strings.IndexByte(text, '@'); i >= 0 {
		text = text[:i]
	}
	r := pluralRule{category: cat}
	text = strings.TrimSpace(text)
	if text == "" {
		return r
	}
	for _, and := range strings.Split(text, " or ") {
		var rels []relation
		for _, rel := range strings.Split(and, " and ") {
			rels = append(rels, parseRelation(strings.TrimSpace(rel)))
		}
		r.or = append(r.or, rels)
	}
	return r
}

func parseRelation(s string) relation {
	var rel relation
	var lhs, rhs string
	if i := strings.Index(s, "!="); i >= 0 {
		lhs, rhs, rel.negate = s[:i], s[i+2:], true
	} else {
		lhs, rhs, _ = strings.Cut(s, "=")
	}
	lhs = strings.TrimSpace(lhs)
	if op, mod, ok := strings.Cut(lhs, "%"); ok {
		rel.mod, _ = strconv.ParseInt(strings.TrimSpace(mod), 10, 64)
		lhs = strings.TrimSpace(op)
	}
	rel.operand = lhs[0]
	for _, r := range strings.Split(strings.TrimSpace(rhs), ",") {
		lo, hi, isRange := strings.Cut(strings.TrimSpace(r), "..")
		a, _ := strconv.ParseFloat(lo, 64)
		b := a
		if isRange {
			b, _ = strconv.ParseFloat(hi, 64)
		}
		rel.ranges = append(rel.ranges, [2]float64{a, b})
	}
	return rel
}

// operands are CLDR's plural operands of a formatted number.
type operands struct {
	n                float64
	i, v, w, f, t, e int64
}

func operandsOf(intDigits, fracDigits string, exp int) operands {
	var o operands
	o.i, _ = strconv.ParseInt(intDigits, 10, 64)
	o.v = int64(len(fracDigits))
	o.f, _ = strconv.ParseInt("0"+fracDigits, 10, 64)
	t := strings.TrimRight(fracDigits, "0")
	o.w = int64(len(t))
	o.t, _ = strconv.ParseInt("0"+t, 10, 64)
	o.n, _ = strconv.ParseFloat(intDigits+"."+fracDigits+"0", 64)
	o.e = int64(exp)
	return o
}

func (o operands) get(c byte) (float64, bool) {
	switch c {
	case 'n':
		return o.n, o.v == 0 || o.w == 0
	case 'i':
		return float64(o.i), true
	case 'v':
		return float64(o.v), true
	case 'w':
		return float64(o.w), true
	case 'f':
		return float64(o.f), true
	case 't':
		return float64(o.t), true
	case 'e', 'c':
		return float64(o.e), true
	}
	return 0, true
}

func (rel relation) holds(o operands) bool {
	x, integral := rel.operand, true
	v, integral := o.get(x)
	if rel.mod != 0 {
		if rel.operand == 'n' {
			v = float64(int64(v)%rel.mod) + (v - float64(int64(v)))
		} else {
			v = float64(int64(v) % rel.mod)
		}
	}
	in := false
	for _, r := range rel.ranges {
		if r[0] == r[1] {
			if v == r[0] {
				in = true
			}
		} else if integral && v >= r[0] && v <= r[1] && v == float64(int64(v)) {
			in = true
		}
	}
	return in != rel.negate
}

// selectPlural is the category of the number whose formatted digits are
// intDigits.fracDigits (exp is the compact exponent, c/e).
func selectPlural(lang, kind, intDigits, fracDigits string, exp int) string {
	o := operandsOf(intDigits, fracDigits, exp)
	for _, r := range rules(lang, kind) {
		if len(r.or) == 0 {
			return r.category
		}
		for _, and := range r.or {
			ok := true
			for _, rel := range and {
				if !rel.holds(o) {
					ok = false
					break
				}
			}
			if ok {
				return r.category
			}
		}
	}
	return "other"
}

// PluralCategories are lang's categories, in CLDR's order.
func PluralCategories(lang, kind string) []string {
	var out []string
	for _, r := range rules(lang, kind) {
		out = append(out, r.category)
	}
	return out
}
