package intl

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Part is one piece of formatted output (formatToParts).
type Part struct {
	Type, Value string
}

// NumberOptions are a NumberFormat's resolved options.
type NumberOptions struct {
	Style                                   string // decimal, percent, currency, unit
	Currency, CurrencyDisplay, CurrencySign string
	Unit, UnitDisplay                       string
	Notation, CompactDisplay                string
	UseGrouping                             string // auto, always, min2, false
	SignDisplay                             string
	MinInt, MinFD, MaxFD, MinSD, MaxSD      int
	RoundingPriority                        string // auto, morePrecision, lessPrecision
	UseSD                                   bool   // significant digits in effect
	NU                                      string
}

// CurrencyDigits is the number of minor-unit digits of an ISO 4217 code.
func CurrencyDigits(code string) int {
	if d, ok := load().CurrencyDigits[code]; ok {
		n, _ := strconv.Atoi(d.Digits)
		return n
	}
	n, _ := strconv.Atoi(load().CurrencyDigits["DEFAULT"].Digits)
	return n
}

// IsUnit reports whether unit is a sanctioned simple unit or X-per-Y of two.
func IsUnit(unit string) bool {
	a, b, per := strings.Cut(unit, "-per-")
	ok := func(u string) bool {
		for _, x := range load().Units {
			if x == u {
				return true
			}
		}
		return false
	}
	return ok(a) && (!per || ok(b))
}

// pattern is a parsed CLDR number pattern.
type pattern struct {
	posPrefix, posSuffix, negPrefix, negSuffix string
	primary, secondary                         int // grouping sizes; 0 = none
	minInt                                     int
}

func parsePattern(p string) pattern {
	pos, neg, hasNeg := splitUnquoted(p, ';')
	var pt pattern
	pt.posPrefix, pt.posSuffix = affixes(pos, &pt)
	if hasNeg {
		var tmp pattern
		pt.negPrefix, pt.negSuffix = affixes(neg, &tmp)
	} else {
		pt.negPrefix, pt.negSuffix = "-"+pt.posPrefix, pt.posSuffix
	}
	return pt
}

func splitUnquoted(s string, sep rune) (string, string, bool) {
	q := false
	for i, c := range s {
		if c == '\'' {
			q = !q
		} else if c == sep && !q {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

// affixes splits p around its number part ("#,##0.00"), filling pt's
// grouping and minimum integer digits.
func affixes(p string, pt *pattern) (string, string) {
	start, end, q := -1, -1, false
	for i, c := range p {
		if c == '\'' {
			q = !q
			continue
		}
		if !q && strings.ContainsRune("#0,.@E", c) {
			if start < 0 {
				start = i
			}
			end = i + 1
		}
	}
	if start < 0 {
		return p, ""
	}
	num := p[start:end]
	intPart, _, _ := strings.Cut(num, ".")
	intPart, _, _ = strings.Cut(intPart, "E")
	pt.minInt = strings.Count(intPart, "0")
	if i := strings.LastIndexByte(intPart, ','); i >= 0 {
		pt.primary = len(intPart) - i - 1
		rest := intPart[:i]
		if j := strings.LastIndexByte(rest, ','); j >= 0 {
			pt.secondary = len(rest) - j - 1
		} else {
			pt.secondary = pt.primary
		}
	}
	return p[:start], p[end:]
}

// numberFormatter formats with one locale and options.
type NumberFormatter struct {
	loc  *Locale
	lang string
	o    NumberOptions
	sym  map[string]string
	dig  []rune
}

// NewNumberFormatter is a formatter for res with o (already validated).
func NewNumberFormatter(res Resolved, o NumberOptions) *NumberFormatter {
	f := &NumberFormatter{loc: res.Data, lang: lang(res.Data.Name), o: o, sym: res.Data.Sym}
	f.dig = []rune(res.Data.Digits)
	if o.NU == "latn" && res.Data.NU != "latn" {
		f.dig = []rune("0123456789")
		if res.Data.SymLatn != nil {
			f.sym = res.Data.SymLatn
		}
	}
	return f
}

// DefaultNU is the locale's default numbering system.
func (r Resolved) DefaultNU() string { return r.Data.NU }

// round applies the digit options to d; sig reports whether the
// significant-digit settings won (their minimum then applies).
func (f *NumberFormatter) round(d Decimal) (Decimal, bool) {
	o := f.o
	sig := d.RoundSignificant(o.MaxSD)
	frac := d.RoundFraction(o.MaxFD)
	switch {
	case o.RoundingPriority == "morePrecision":
		if fracDigits(sig) >= fracDigits(frac) {
			return sig, true
		}
		return frac, false
	case o.RoundingPriority == "lessPrecision":
		if fracDigits(sig) <= fracDigits(frac) {
			return sig, true
		}
		return frac, false
	case o.UseSD:
		return sig, true
	}
	return frac, false
}

func fracDigits(d Decimal) int {
	if n := len(d.Digits) - d.Exp; n > 0 {
		return n
	}
	return 0
}

// minFrac is the number of fraction digits d shows at least.
func (f *NumberFormatter) minFrac(d Decimal, sig bool) int {
	if !sig {
		return f.o.MinFD
	}
	switch {
	case len(d.Digits) == 0:
		return max(f.o.MinSD-1, 0)
	case d.Exp >= 1:
		return max(f.o.MinSD-d.Exp, 0)
	}
	return -d.Exp + f.o.MinSD
}

// Format formats x (a float64, or a Decimal for BigInt and strings).
func (f *NumberFormatter) Format(d Decimal) []Part {
	o := f.o
	if o.Style == "percent" {
		d = d.Shift(2)
	}
	var parts []Part
	var pluralInt, pluralFrac string
	exp := 0
	compactPat := ""
	if d.NaN || d.Inf {
		v := f.sym["nan"]
		if d.Inf {
			v = f.sym["infinity"]
			parts = []Part{{"infinity", v}}
		} else {
			parts = []Part{{"nan", v}}
		}
		pluralInt = "0"
	} else {
		switch o.Notation {
		case "scientific", "engineering":
			var p []Part
			p, pluralInt, pluralFrac = f.scientific(d)
			parts = p
		case "compact":
			d, compactPat, exp = f.compact(d)
			fallthrough
		default:
			sig := false
			if o.Notation != "compact" {
				d, sig = f.round(d)
			}
			ip, fp := d.IntFrac(max(o.MinInt, 1), f.minFrac(d, sig))
			pluralInt, pluralFrac = ip, fp
			parts = f.digitsParts(ip, fp)
		}
	}
	neg := d.Neg && !d.NaN
	zero := d.IsZero()
	sign := "" // "-", "+" or ""
	switch o.SignDisplay {
	case "auto", "":
		if neg {
			sign = "-"
		}
	case "always":
		sign = "+"
		if neg {
			sign = "-"
		}
	case "exceptZero":
		if !zero {
			sign = "+"
			if neg {
				sign = "-"
			}
		}
	case "negative":
		if neg && !zero {
			sign = "-"
		}
	}
	plural := selectPlural(f.lang, "cardinal", pluralInt, pluralFrac, exp)
	if compactPat != "" {
		parts = f.applyCompact(compactPat, parts)
	}
	return f.decorate(parts, sign, plural)
}

// digitsParts are the integer (grouped) and fraction parts.
func (f *NumberFormatter) digitsParts(ip, fp string) []Part {
	pt := parsePattern(f.basePattern())
	var parts []Part
	min := f.loc.MinGroup
	switch f.o.UseGrouping {
	case "always":
		min = 1
	case "min2":
		min = 2
	}
	if f.o.UseGrouping == "false" || pt.primary == 0 || len(ip) < pt.primary+min {
		parts = append(parts, Part{"integer", f.digits(ip)})
	} else {
		var groups []string
		rest := ip
		size := pt.primary
		for len(rest) > size {
			groups = append([]string{rest[len(rest)-size:]}, groups...)
			rest = rest[:len(rest)-size]
			size = pt.secondary
		}
		groups = append([]string{rest}, groups...)
		for i, g := range groups {
			if i > 0 {
				parts = append(parts, Part{"group", f.sym["group"]})
			}
			parts = append(parts, Part{"integer", f.digits(g)})
		}
	}
	if fp != "" {
		parts = append(parts, Part{"decimal", f.sym["decimal"]}, Part{"fraction", f.digits(fp)})
	}
	return parts
}

func (f *NumberFormatter) digits(s string) string {
	if f.dig[0] == '0' {
		return s
	}
	var b strings.Builder
	for _, c := range s {
		b.WriteRune(f.dig[c-'0'])
	}
	return b.String()
}

// basePattern is the pattern of the style.
func (f *NumberFormatter) basePattern() string {
	switch f.o.Style {
	case "percent":
		return f.loc.Pct
	case "currency":
		if f.o.CurrencyDisplay == "name" {
			return f.loc.Dec
		}
		key := "standard"
		if f.o.CurrencySign == "accounting" {
			key = "accounting"
		}
		if f.o.Notation == "compact" {
			key = "standard"
		}
		if s, ok := f.loc.Cur[key+"-alphaNextToNumber"].(string); ok && f.alphaNext(key) {
			return s
		}
		s, _ := f.loc.Cur[key].(string)
		return s
	}
	return f.loc.Dec
}

// alphaNext reports whether the currency's text touches the number with
// a letter, which CLDR's alphaNextToNumber patterns space out.
func (f *NumberFormatter) alphaNext(key string) bool {
	s, _ := f.loc.Cur[key].(string)
	sym := f.currencyText()
	if sym == "" {
		return false
	}
	var r rune
	if strings.HasPrefix(strings.TrimLeft(s, "\u200e\u200f"), "¤") {
		r, _ = utf8.DecodeLastRuneInString(sym)
	} else {
		r, _ = utf8.DecodeRuneInString(sym)
	}
	return unicode.IsLetter(r)
}

func (f *NumberFormatter) currencyText() string {
	c, ok := f.loc.Currencies[f.o.Currency]
	switch f.o.CurrencyDisplay {
	case "code":
		return f.o.Currency
	case "narrowSymbol":
		if ok && c.Narrow != "" {
			return c.Narrow
		}
	}
	if ok && c.Symbol != "" {
		return c.Symbol
	}
	return f.o.Currency
}

// decorate wraps the number parts in the style's affixes and sign.
func (f *NumberFormatter) decorate(num []Part, sign, plural string) []Part {
	o := f.o
	pt := parsePattern(f.basePattern())
	prefix, suffix := pt.posPrefix, pt.posSuffix
	if sign == "-" {
		prefix, suffix = pt.negPrefix, pt.negSuffix
	} else if sign == "+" {
		prefix, suffix = strings.Replace(pt.negPrefix, "-", "+", 1), strings.Replace(pt.negSuffix, "-", "+", 1)
	}
	out := f.affixParts(prefix)
	out = append(out, num...)
	out = append(out, f.affixParts(suffix)...)
	switch {
	case o.Style == "currency" && o.CurrencyDisplay == "name":
		name := f.o.Currency
		if c, ok := f.loc.Currencies[f.o.Currency]; ok {
			name = c.Name
			if n, ok := c.Counts[plural]; ok {
				name = n
			} else if n, ok := c.Counts["other"]; ok {
				name = n
			}
		}
		pat := f.loc.CurUnit[plural]
		if pat == "" {
			pat = f.loc.CurUnit["other"]
		}
		return substitute(pat, out, []Part{{"currency", name}}, "literal")
	case o.Style == "unit":
		return substitute(f.unitPattern(plural), out, nil, "unit")
	}
	return out
}

// unitPattern is the unit's pattern for the plural category.
func (f *NumberFormatter) unitPattern(plural string) string {
	width := f.o.UnitDisplay
	if width == "" {
		width = "short"
	}
	units := f.loc.Units[width]
	type unitData struct {
		P   map[string]string `json:"p"`
		Per string            `json:"per"`
		D   string            `json:"d"`
	}
	get := func(name string) (unitData, bool) {
		var u unitData
		raw, ok := units[name]
		if !ok {
			return u, false
		}
		_ = json.Unmarshal(raw, &u)
		return u, true
	}
	pick := func(u unitData) string {
		if p, ok := u.P[plural]; ok {
			return p
		}
		return u.P["other"]
	}
	if u, ok := get(f.o.Unit); ok {
		return pick(u)
	}
	a, b, _ := strings.Cut(f.o.Unit, "-per-")
	ua, _ := get(a)
	ub, _ := get(b)
	num := pick(ua)
	if ub.Per != "" {
		return strings.Replace(ub.Per, "{0}", num, 1)
	}
	var per string
	_ = json.Unmarshal(units["per"], &per)
	if per == "" {
		per = "{0}/{1}"
	}
	den := strings.TrimSpace(strings.Replace(pick(ub), "{0}", "", 1))
	return strings.Replace(strings.Replace(per, "{0}", num, 1), "{1}", den, 1)
}

// substitute puts num in place of {0} (and extra of {1}) in pat; the rest
// of pat becomes parts of type kind (spaces around are literals).
func substitute(pat string, num, extra []Part, kind string) []Part {
	var out []Part
	text := func(s string) {
		if s == "" {
			return
		}
		if kind == "literal" {
			out = append(out, Part{"literal", s})
			return
		}
		core := strings.TrimFunc(s, unicode.IsSpace)
		if core == "" {
			out = append(out, Part{"literal", s})
			return
		}
		i := strings.Index(s, core)
		if i > 0 {
			out = append(out, Part{"literal", s[:i]})
		}
		out = append(out, Part{kind, core})
		if rest := s[i+len(core):]; rest != "" {
			out = append(out, Part{"literal", rest})
		}
	}
	for pat != "" {
		i := strings.IndexByte(pat, '{')
		if i < 0 || i+2 >= len(pat) {
			text(pat)
			break
		}
		text(pat[:i])
		switch pat[i+1] {
		case '0':
			out = append(out, num...)
		case '1':
			out = append(out, extra...)
		}
		pat = pat[i+3:]
	}
	return out
}

// affixParts turns a pattern affix into parts.
func (f *NumberFormatter) affixParts(a string) []Part {
	var out []Part
	lit := ""
	flush := func() {
		if lit != "" {
			out = append(out, Part{"literal", lit})
			lit = ""
		}
	}
	q := false
	for _, c := range a {
		if c == '\'' {
			q = !q
			continue
		}
		if q {
			lit += string(c)
			continue
		}
		switch c {
		case '-':
			flush()
			out = append(out, Part{"minusSign", f.sym["minusSign"]})
		case '+':
			flush()
			out = append(out, Part{"plusSign", f.sym["plusSign"]})
		case '%':
			flush()
			out = append(out, Part{"percentSign", f.sym["percentSign"]})
		case '¤':
			flush()
			if f.o.Style == "currency" && f.o.CurrencyDisplay != "name" {
				out = append(out, Part{"currency", f.currencyText()})
			}
		default:
			lit += string(c)
		}
	}
	flush()
	// A currency pattern's space next to a removed ¤ (name display) goes.
	return out
}

// compact scales d to its compact magnitude: the scaled, rounded value,
// the pattern to show it with ("" when none applies) and its exponent.
func (f *NumberFormatter) compact(d Decimal) (Decimal, string, int) {
	table := f.loc.DecShort
	if f.o.CompactDisplay == "long" {
		table = f.loc.DecLong
	}
	if f.o.Style == "currency" && f.loc.CurShort != nil {
		table = f.loc.CurShort
	}
	rounded := f.roundCompact(d)
	for pass := 0; pass < 2; pass++ {
		mag := rounded.Exp - 1
		if len(rounded.Digits) == 0 || mag < 3 {
			return rounded, "", 0
		}
		if mag > 14 {
			mag = 14
		}
		key := "1" + strings.Repeat("0", mag)
		pat := table[key+"-count-other"]
		if pat == "" || pat == "0" {
			return rounded, "", 0
		}
		zeros := strings.Count(pat, "0")
		shift := mag - (zeros - 1)
		scaled := f.roundCompact(d.Shift(-shift))
		if scaled.Exp > zeros && pass == 0 {
			rounded = scaled.Shift(shift)
			continue
		}
		ip, fp := scaled.IntFrac(1, f.o.MinFD)
		plural := selectPlural(f.lang, "cardinal", ip, fp, shift)
		if p, ok := table[key+"-count-"+plural]; ok {
			pat = p
		}
		return scaled, pat, shift
	}
	return rounded, "", 0
}

func (f *NumberFormatter) roundCompact(d Decimal) Decimal {
	if f.o.RoundingPriority == "morePrecision" && f.o.MaxSD == 2 && f.o.MaxFD == 0 {
		// ICU's compact default: two significant digits below 100, else
		// an integer.
		if d.Exp >= 2 {
			return d.RoundFraction(0)
		}
		return d.RoundSignificant(2)
	}
	r, _ := f.round(d)
	return r
}

// applyCompact places the number parts in a compact pattern ("0 Mio'.'").
func (f *NumberFormatter) applyCompact(pat string, num []Part) []Part {
	var out []Part
	q := false
	lit := ""
	flush := func() {
		if lit == "" {
			return
		}
		core := strings.TrimFunc(lit, unicode.IsSpace)
		if core == "" {
			out = append(out, Part{"literal", lit})
		} else {
			i := strings.Index(lit, core)
			if i > 0 {
				out = append(out, Part{"literal", lit[:i]})
			}
			out = append(out, Part{"compact", core})
			if r := lit[i+len(core):]; r != "" {
				out = append(out, Part{"literal", r})
			}
		}
		lit = ""
	}
	placed := false
	for _, c := range pat {
		switch {
		case c == '\'':
			q = !q
		case !q && c == '0':
			if !placed {
				flush()
				out = append(out, num...)
				placed = true
			}
		case !q && c == '¤':
			flush()
			out = append(out, Part{"currency", f.currencyText()})
		default:
			lit += string(c)
		}
	}
	flush()
	return out
}

// scientific formats d as mantissa E exponent.
func (f *NumberFormatter) scientific(d Decimal) ([]Part, string, string) {
	e := 0
	if len(d.Digits) > 0 {
		e = d.Exp - 1
		if f.o.Notation == "engineering" {
			e = floorDiv(e, 3) * 3
		}
	}
	m, _ := f.round(d.Shift(-e))
	if len(m.Digits) > 0 && m.Exp-1 > 0 && f.o.Notation == "scientific" {
		e++
		m = m.Shift(-1)
	}
	ip, fp := m.IntFrac(1, f.o.MinFD)
	parts := f.digitsParts(ip, fp)
	parts = append(parts, Part{"exponentSeparator", f.sym["exponential"]})
	if e < 0 {
		parts = append(parts, Part{"exponentMinusSign", f.sym["minusSign"]})
		e = -e
	}
	parts = append(parts, Part{"exponentInteger", f.digits(strconv.Itoa(e))})
	return parts, ip, fp
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// Join is the parts' values concatenated.
func Join(parts []Part) string {
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p.Value)
	}
	return b.String()
}

// SelectPlural is the plural category of d formatted with f's digits.
func (f *NumberFormatter) SelectPlural(d Decimal, kind string) string {
	d, sig := f.round(d)
	ip, fp := d.IntFrac(1, f.minFrac(d, sig))
	return selectPlural(f.lang, kind, ip, fp, 0)
}
