package intl

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// DateOptions are a DateTimeFormat's resolved options: each component is
// "" (absent) or its ECMA-402 value.
type DateOptions struct {
	Weekday, Era, Year, Month, Day, DayPeriod string
	Hour, Minute, Second, TimeZoneName        string
	FractionalSecondDigits                    int
	HourCycle                                 string // h11, h12, h23, h24
	HourCycleSet                              bool   // asked for (hour12, hourCycle or -u-hc-)
	DateStyle, TimeStyle                      string
	TimeZone                                  string
	Location                                  *time.Location
}

// skeletonEntry is one availableFormats entry.
type skeletonEntry struct {
	key     string
	fields  map[byte]field
	pattern string
}

type field struct {
	letter byte
	count  int
}

// fieldClass groups the pattern letters that show the same thing.
func fieldClass(c byte) byte {
	switch c {
	case 'L':
		return 'M'
	case 'c', 'e':
		return 'E'
	case 'H', 'K', 'k', 'j':
		return 'h'
	case 'b':
		return 'a'
	case 'v', 'V', 'O', 'Z', 'X', 'x':
		return 'z'
	}
	return c
}

const skeletonOrder = "GyQMLwWEcdDFgabBhHKkjmsSAzZOvVXx"

func parseFields(s string) map[byte]field {
	m := map[byte]field{}
	q := false
	for i := 0; i < len(s); {
		c := s[i]
		if c == '\'' {
			q = !q
			i++
			continue
		}
		if q || !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] == c {
			j++
		}
		m[fieldClass(c)] = field{c, j - i}
		i = j
	}
	return m
}

func (l *Locale) skeletons() []skeletonEntry {
	l.once.Do(func() {
		for k, p := range l.CA.Avail {
			if strings.Contains(k, "-alt-") || strings.Contains(k, "-count-") {
				continue
			}
			l.skels = append(l.skels, skeletonEntry{k, parseFields(k), p})
		}
		l.intvl = map[string]map[string]string{}
		for k, raw := range l.CA.Interval {
			var m map[string]string
			if json.Unmarshal(raw, &m) == nil {
				l.intvl[k] = m
			}
		}
	})
	return l.skels
}

// DateFormatter formats instants with one locale and options.
type DateFormatter struct {
	res     Resolved
	loc     *Locale
	o       DateOptions
	pattern string
	skel    string // the availableFormats key matched, for formatRange
	req     map[byte]field
}

// NewDateFormatter builds the pattern for o.
func NewDateFormatter(res Resolved, o DateOptions) *DateFormatter {
	f := &DateFormatter{res: res, loc: res.Data, o: o}
	if o.DateStyle != "" || o.TimeStyle != "" {
		f.pattern = f.stylePattern()
	} else {
		f.req = f.requested()
		f.pattern, f.skel = f.match(f.req)
	}
	return f
}

// Pattern is the CLDR pattern the formatter uses.
func (f *DateFormatter) Pattern() string { return f.pattern }

func (f *DateFormatter) hourLetter() byte {
	switch f.o.HourCycle {
	case "h11":
		return 'K'
	case "h12":
		return 'h'
	case "h24":
		return 'k'
	}
	return 'H'
}

func (f *DateFormatter) stylePattern() string {
	ca := f.loc.CA
	date, tm := ca.Date[f.o.DateStyle], ca.Time[f.o.TimeStyle]
	if tm != "" && f.o.HourCycleSet {
		hf := parseFields(tm)['h']
		want := f.hourLetter()
		if (hf.letter == 'h' || hf.letter == 'K') != (want == 'h' || want == 'K') {
			req := parseFields(tm)
			req['h'] = field{want, hf.count}
			if z, ok := req['z']; ok {
				delete(req, 'z')
				tm, _ = f.match(req)
				tm = appendTZ(tm, z)
			} else {
				tm, _ = f.match(req)
			}
		}
	}
	switch {
	case date == "":
		return tm
	case tm == "":
		return date
	}
	glue := f.glue(f.o.DateStyle)
	return strings.Replace(strings.Replace(glue, "{1}", date, 1), "{0}", tm, 1)
}

// glue is the pattern joining a date and a time: ICU takes CLDR's
// atTime set ("{1} 'at' {0}") for every length where the locale has it.
func (f *DateFormatter) glue(length string) string {
	if at := f.loc.CA.GlueAt[length]; at != "" {
		return at
	}
	return f.loc.CA.Glue[length]
}

func appendTZ(p string, z field) string {
	return p + " " + strings.Repeat(string(z.letter), z.count)
}

// requested is the skeleton of the component options.
func (f *DateFormatter) requested() map[byte]field {
	o := f.o
	m := map[byte]field{}
	text := func(v string) int {
		switch v {
		case "narrow":
			return 5
		case "long":
			return 4
		}
		return 3
	}
	num := func(v string) int {
		if v == "2-digit" {
			return 2
		}
		return 1
	}
	if o.Era != "" {
		m['G'] = field{'G', map[string]int{"short": 1, "long": 4, "narrow": 5}[o.Era]}
	}
	if o.Year != "" {
		m['y'] = field{'y', num(o.Year)}
	}
	if o.Month != "" {
		if o.Month == "numeric" || o.Month == "2-digit" {
			m['M'] = field{'M', num(o.Month)}
		} else {
			m['M'] = field{'M', text(o.Month)}
		}
	}
	if o.Weekday != "" {
		m['E'] = field{'E', text(o.Weekday)}
	}
	if o.Day != "" {
		m['d'] = field{'d', num(o.Day)}
	}
	if o.Hour != "" {
		m['h'] = field{f.hourLetter(), num(o.Hour)}
		if o.DayPeriod != "" && (f.hourLetter() == 'h' || f.hourLetter() == 'K') {
			m['B'] = field{'B', text(o.DayPeriod)}
		}
	}
	if o.Minute != "" {
		m['m'] = field{'m', num(o.Minute)}
	}
	if o.Second != "" {
		m['s'] = field{'s', num(o.Second)}
	}
	if o.FractionalSecondDigits > 0 {
		m['S'] = field{'S', o.FractionalSecondDigits}
	}
	if o.TimeZoneName != "" {
		switch o.TimeZoneName {
		case "short":
			m['z'] = field{'z', 1}
		case "long":
			m['z'] = field{'z', 4}
		case "shortOffset":
			m['z'] = field{'O', 1}
		case "longOffset":
			m['z'] = field{'O', 4}
		case "shortGeneric":
			m['z'] = field{'v', 1}
		case "longGeneric":
			m['z'] = field{'v', 4}
		}
	}
	return m
}

func isText(f field) bool {
	switch fieldClass(f.letter) {
	case 'M':
		return f.count >= 3
	case 'E', 'G', 'a', 'B':
		return true
	}
	return false
}

// match finds the pattern for the requested fields: the closest
// availableFormats entry with the same fields, or a date and a time
// pattern joined as CLDR's dateTimeFormats say.
func (f *DateFormatter) match(req map[byte]field) (string, string) {
	req = copyFields(req)
	z, hasZ := req['z']
	delete(req, 'z')
	frac, hasFrac := req['S']
	delete(req, 'S')
	if len(req) == 0 {
		if hasZ {
			return strings.Repeat(string(z.letter), z.count), ""
		}
		return "", ""
	}
	pat, key, ok := f.best(req)
	if !ok {
		date, tm := map[byte]field{}, map[byte]field{}
		for c, fl := range req {
			if strings.IndexByte("GyQMEd", c) >= 0 {
				date[c] = fl
			} else {
				tm[c] = fl
			}
		}
		if len(date) > 0 && len(tm) > 0 {
			dp, _, _ := f.best(date)
			tp, _, _ := f.best(tm)
			if hasFrac {
				tp = addFraction(tp, frac, f.loc.Sym["decimal"])
				hasFrac = false
			}
			if hasZ {
				tp = appendTZ(tp, z)
				hasZ = false
			}
			length := "short"
			if m, ok := date['M']; ok && m.count == 4 {
				length = "long"
				if _, ok := date['E']; ok {
					length = "full"
				}
			} else if ok && m.count == 3 {
				length = "medium"
			}
			glue := f.glue(length)
			pat = strings.Replace(strings.Replace(glue, "{1}", dp, 1), "{0}", tp, 1)
		} else {
			pat, key, _ = f.bestAny(req)
		}
	}
	if hasFrac {
		pat = addFraction(pat, frac, f.loc.Sym["decimal"])
	}
	if hasZ {
		if _, hasTime := req['h']; hasTime || req['m'].count > 0 {
			pat = appendTZ(pat, z)
		} else {
			glue := f.loc.CA.Glue["short"]
			pat = strings.Replace(strings.Replace(glue, "{1}", pat, 1), "{0}", strings.Repeat(string(z.letter), z.count), 1)
		}
	}
	return pat, key
}

func copyFields(m map[byte]field) map[byte]field {
	out := make(map[byte]field, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func addFraction(p string, frac field, dec string) string {
	i := strings.LastIndex(p, "ss")
	if i < 0 {
		i = strings.LastIndex(p, "s")
		if i < 0 {
			return p
		}
		return p[:i+1] + "'" + dec + "'" + strings.Repeat("S", frac.count) + p[i+1:]
	}
	return p[:i+2] + "'" + dec + "'" + strings.Repeat("S", frac.count) + p[i+2:]
}

// best is the entry with exactly req's fields closest in widths, its
// pattern adjusted to the widths asked for.
func (f *DateFormatter) best(req map[byte]field) (string, string, bool) {
	var bestE *skeletonEntry
	bestD := 1 << 30
	skels := f.loc.skeletons()
	for i := range skels {
		e := &skels[i]
		fields := copyFields(e.fields)
		if _, ok := fields['a']; ok {
			if _, hasA := req['a']; !hasA {
				delete(fields, 'a')
			}
		}
		if len(fields) != len(req) {
			continue
		}
		d := 0
		for c, r := range req {
			g, ok := fields[c]
			if !ok {
				d = -1
				break
			}
			if c == 'h' && g.letter != r.letter && !(r.letter == 'K' && g.letter == 'h' || r.letter == 'k' && g.letter == 'H') {
				d += 1000
			}
			if isText(g) != isText(r) {
				d += 100
			}
			d += abs(g.count - r.count)
		}
		if d < 0 {
			continue
		}
		if d < bestD || d == bestD && e.key < bestE.key {
			bestD, bestE = d, e
		}
	}
	if bestE == nil || bestD >= 1000 {
		return "", "", false
	}
	return adjust(bestE.pattern, req), bestE.key, true
}

// bestAny is best without requiring the same fields: the entry covering
// the most of req with nothing more.
func (f *DateFormatter) bestAny(req map[byte]field) (string, string, bool) {
	for n := len(req) - 1; n > 0; n-- {
		for _, drop := range []byte("EGdyMsmh") {
			if _, ok := req[drop]; !ok {
				continue
			}
			r := copyFields(req)
			delete(r, drop)
			if p, k, ok := f.best(r); ok {
				return p, k, true
			}
		}
	}
	return "", "", false
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// adjust sets the pattern's field widths to those requested: numeric
// fields only lengthen, text fields take the width asked for.
func adjust(p string, req map[byte]field) string {
	var b strings.Builder
	q := false
	for i := 0; i < len(p); {
		c := p[i]
		if c == '\'' {
			q = !q
			b.WriteByte(c)
			i++
			continue
		}
		if q || !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			b.WriteByte(c)
			i++
			continue
		}
		j := i
		for j < len(p) && p[j] == c {
			j++
		}
		n := j - i
		letter := c
		if r, ok := req[fieldClass(c)]; ok {
			have := field{c, n}
			switch {
			case fieldClass(c) == 'h':
				letter = r.letter
				if r.count > n {
					n = r.count
				}
			case isText(have) && isText(r):
				n = r.count
			case !isText(have) && !isText(r):
				if r.count > n {
					n = r.count
				}
				if c == 'y' {
					n = r.count
				}
			}
		}
		b.WriteString(strings.Repeat(string(letter), n))
		i = j
	}
	return b.String()
}

// Format formats the instant ms (milliseconds since the epoch).
func (f *DateFormatter) Format(ms int64) []Part { return f.formatPattern(f.pattern, ms) }

func (f *DateFormatter) formatPattern(p string, ms int64) []Part {
	t := time.UnixMilli(ms).In(f.o.Location)
	var parts []Part
	lit := ""
	flush := func() {
		if lit != "" {
			parts = append(parts, Part{"literal", lit})
			lit = ""
		}
	}
	for i := 0; i < len(p); {
		c := p[i]
		if c == '\'' {
			if i+1 < len(p) && p[i+1] == '\'' {
				lit += "'"
				i += 2
				continue
			}
			j := strings.IndexByte(p[i+1:], '\'')
			if j < 0 {
				lit += p[i+1:]
				break
			}
			lit += p[i+1 : i+1+j]
			i += j + 2
			continue
		}
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			_, size := utf8.DecodeRuneInString(p[i:])
			lit += p[i : i+size]
			i += size
			continue
		}
		j := i
		for j < len(p) && p[j] == c {
			j++
		}
		typ, val := f.field(c, j-i, t)
		i = j
		if typ == "" {
			continue
		}
		flush()
		parts = append(parts, Part{typ, val})
	}
	flush()
	// V8 prints ICU's narrow no-break and thin spaces (before AM/PM,
	// around a range's dash) as plain spaces, for the web's sake; workerd
	// shows what V8 does.
	for i := range parts {
		parts[i].Value = webSpaces.Replace(parts[i].Value)
	}
	return parts
}

func pad(n, width int) string {
	s := strconv.Itoa(n)
	for len(s) < width {
		s = "0" + s
	}
	return s
}

var weekdayKeys = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

func widthName(n int) string {
	switch {
	case n == 4:
		return "wide"
	case n == 5:
		return "narrow"
	case n == 6:
		return "short"
	}
	return "abbreviated"
}

func (f *DateFormatter) field(c byte, n int, t time.Time) (string, string) {
	ca := f.loc.CA
	switch c {
	case 'G':
		era := "1"
		if t.Year() <= 0 {
			era = "0"
		}
		key := "eraAbbr"
		if n == 4 {
			key = "eraNames"
		} else if n == 5 {
			key = "eraNarrow"
		}
		return "era", ca.Eras[key][era]
	case 'y':
		y := t.Year()
		if y <= 0 {
			y = 1 - y
		}
		if n == 2 {
			return "year", pad(y%100, 2)
		}
		return "year", pad(y, n)
	case 'M', 'L':
		m := int(t.Month())
		if n <= 2 {
			return "month", pad(m, n)
		}
		ctx := "format"
		if c == 'L' {
			ctx = "stand-alone"
		}
		return "month", ca.Months[ctx][widthName(n)][strconv.Itoa(m)]
	case 'd':
		return "day", pad(t.Day(), n)
	case 'E', 'c', 'e':
		ctx := "format"
		if c == 'c' {
			ctx = "stand-alone"
		}
		if n < 3 && c != 'E' {
			return "weekday", strconv.Itoa(int(t.Weekday()) + 1)
		}
		return "weekday", ca.Days[ctx][widthName(n)][weekdayKeys[t.Weekday()]]
	case 'a':
		key := "am"
		if t.Hour() >= 12 {
			key = "pm"
		}
		return "dayPeriod", ca.DayPeriods["format"][widthName(n)][key]
	case 'b', 'B':
		return "dayPeriod", f.flexibleDayPeriod(t, n)
	case 'h':
		h := t.Hour() % 12
		if h == 0 {
			h = 12
		}
		return "hour", pad(h, n)
	case 'H':
		return "hour", pad(t.Hour(), n)
	case 'K':
		return "hour", pad(t.Hour()%12, n)
	case 'k':
		h := t.Hour()
		if h == 0 {
			h = 24
		}
		return "hour", pad(h, n)
	case 'm':
		return "minute", pad(t.Minute(), n)
	case 's':
		return "second", pad(t.Second(), n)
	case 'S':
		return "fractionalSecond", pad(t.Nanosecond()/1e6, 3)[:min(n, 3)]
	case 'z', 'O', 'v', 'V':
		return "timeZoneName", f.zoneName(c, n, t)
	}
	return "", ""
}

func (f *DateFormatter) flexibleDayPeriod(t time.Time, n int) string {
	rules := load().DayPeriods[lang(f.loc.Name)]
	mins := t.Hour()*60 + t.Minute()
	hm := func(s string) int {
		h, m, _ := strings.Cut(s, ":")
		a, _ := strconv.Atoi(h)
		b, _ := strconv.Atoi(m)
		return a*60 + b
	}
	names := f.loc.CA.DayPeriods["format"][widthName(n)]
	for name, r := range rules {
		if at, ok := r["_at"]; ok {
			if hm(at) == mins && t.Second() == 0 && names[name] != "" && false {
				return names[name]
			}
			continue
		}
		from, before := hm(r["_from"]), hm(r["_before"])
		in := from <= mins && mins < before
		if from > before {
			in = mins >= from || mins < before
		}
		if in && names[name] != "" {
			return names[name]
		}
	}
	key := "am"
	if t.Hour() >= 12 {
		key = "pm"
	}
	return names[key]
}

// zoneName names t's zone: specific (z), generic (v) or GMT offset (O).
func (f *DateFormatter) zoneName(c byte, n int, t time.Time) string {
	tz := f.loc.TZ
	long := n >= 4
	name := f.o.TimeZone
	if c != 'O' {
		if name == "UTC" || name == "Etc/UTC" || name == "Etc/GMT" {
			if long && tz.UTC.Long["standard"] != "" {
				return tz.UTC.Long["standard"]
			}
			if !long && tz.UTC.Short["standard"] != "" {
				return tz.UTC.Short["standard"]
			}
		}
		if mz, ok := load().ZoneMetazone[cldrZone(name)]; ok {
			names := tz.Metazones[mz]
			width := "short"
			if long {
				width = "long"
			}
			kind := "standard"
			if c == 'v' {
				kind = "generic"
			} else if t.IsDST() {
				kind = "daylight"
			}
			if s := names[width][kind]; s != "" {
				return s
			}
		}
	}
	_, off := t.Zone()
	if off == 0 {
		return tz.GMTZero
	}
	pos, neg, _ := strings.Cut(tz.Hour, ";")
	h := pos
	if off < 0 {
		h, off = neg, -off
	}
	hh, mm := off/3600, off/60%60
	if !long {
		// Short: hours without padding, minutes only when not zero.
		h = strings.Replace(h, "HH", "H", 1)
		if mm == 0 {
			if i := strings.Index(h, "H"); i >= 0 {
				h = h[:i+1]
			}
		}
	}
	h = strings.Replace(h, "HH", pad(hh, 2), 1)
	h = strings.Replace(h, "H", strconv.Itoa(hh), 1)
	h = strings.Replace(h, "mm", pad(mm, 2), 1)
	return strings.Replace(tz.GMT, "{0}", h, 1)
}

// FormatRange formats the range [a, b] as CLDR's interval formats do.
func (f *DateFormatter) FormatRange(a, b int64) []Part {
	ta, tb := time.UnixMilli(a).In(f.o.Location), time.UnixMilli(b).In(f.o.Location)
	fields := parseFields(f.pattern)
	diff := byte(0)
	for _, c := range []byte("GyMdahms") {
		if _, ok := fields[c]; !ok && c != 'a' {
			continue
		}
		if c == 'a' {
			if _, ok := fields['h']; !ok || fields['h'].letter == 'H' {
				continue
			}
		}
		_, va := f.field(fields[c].letter|0, max(fields[c].count, 1), ta)
		_, vb := f.field(fields[c].letter|0, max(fields[c].count, 1), tb)
		if c == 'a' {
			_, va = f.field('a', 1, ta)
			_, vb = f.field('a', 1, tb)
		}
		if va != vb {
			diff = c
			break
		}
	}
	if diff == 0 {
		return f.Format(a)
	}
	skel := f.skel
	if skel == "" {
		skel = f.skeletonOf(f.pattern)
	}
	f.loc.skeletons()
	letter := string(diff)
	if diff == 'h' {
		letter = string(fields['h'].letter)
	}
	if ip, ok := f.loc.intvl[skel][letter]; ok && (diff != 'd' || fields['h'].count == 0) {
		req := f.req
		if req == nil {
			req = parseFields(f.pattern)
		}
		ip = adjust(ip, req)
		first, second := splitInterval(ip)
		return append(f.formatPattern(first, a), f.formatPattern(second, b)...)
	}
	fb, _ := f.loc.intvl["intervalFormatFallback"]["x"]
	_ = fb
	pa, pb := f.Format(a), f.Format(b)
	out := append(pa, Part{"literal", " – "})
	return append(out, pb...)
}

// skeletonOf is the availableFormats key whose pattern is p, or p's
// fields in skeleton order.
func (f *DateFormatter) skeletonOf(p string) string {
	fields := parseFields(p)
	var b strings.Builder
	for i := 0; i < len(skeletonOrder); i++ {
		c := skeletonOrder[i]
		if fl, ok := fields[fieldClass(c)]; ok && fieldClass(c) == c {
			letter := fl.letter
			if letter == 'L' {
				letter = 'M'
			}
			if letter == 'c' {
				letter = 'E'
			}
			if c == 'a' {
				continue
			}
			b.WriteString(strings.Repeat(string(letter), fl.count))
		}
	}
	s := b.String()
	s = strings.Replace(s, "dd", "d", 1)
	s = strings.Replace(s, "MMM", "MMM", 1)
	if strings.Contains(s, "MM") && !strings.Contains(s, "MMM") {
		s = strings.Replace(s, "MM", "M", 1)
	}
	if strings.Contains(s, "EEEE") {
		s = strings.Replace(s, "EEEE", "E", 1)
	}
	return s
}

// splitInterval splits an interval pattern where its first field repeats.
func splitInterval(p string) (string, string) {
	seen := map[byte]bool{}
	q := false
	for i := 0; i < len(p); {
		c := p[i]
		if c == '\'' {
			q = !q
			i++
			continue
		}
		if q || !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			i++
			continue
		}
		if seen[fieldClass(c)] {
			return p[:i], p[i:]
		}
		seen[fieldClass(c)] = true
		for i < len(p) && p[i] == c {
			i++
		}
	}
	return p, ""
}

var webSpaces = strings.NewReplacer("\u202f", " ", "\u2009", " ")

// cldrZone is CLDR's name for an IANA zone renamed since CLDR fixed its
// identifiers.
func cldrZone(name string) string {
	if old, ok := renamedZones[name]; ok {
		return old
	}
	return name
}

var renamedZones = map[string]string{
	"Asia/Kolkata": "Asia/Calcutta", "Asia/Kathmandu": "Asia/Katmandu", "Asia/Ho_Chi_Minh": "Asia/Saigon",
	"Asia/Yangon": "Asia/Rangoon", "Europe/Kyiv": "Europe/Kiev", "Atlantic/Faroe": "Atlantic/Faeroe",
	"America/Argentina/Buenos_Aires": "America/Buenos_Aires", "America/Nuuk": "America/Godthab",
	"Pacific/Chuuk": "Pacific/Truk", "Pacific/Pohnpei": "Pacific/Ponape", "Pacific/Kanton": "Pacific/Enderbury",
	"America/Indiana/Indianapolis": "America/Indianapolis", "America/Kentucky/Louisville": "America/Louisville",
	"Asia/Dhaka": "Asia/Dacca", "Asia/Thimphu": "Asia/Thimbu", "Asia/Macau": "Asia/Macao", "Asia/Ulaanbaatar": "Asia/Ulan_Bator",
}
