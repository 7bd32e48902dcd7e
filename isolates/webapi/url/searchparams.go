package url

import (
	"slices"
	"unicode/utf8"
)

// pair is one name/value entry of a URLSearchParams list.
type pair struct{ name, value string }

// searchParams is the state of a URLSearchParams object: its list and, for
// url.searchParams, the URL it writes back to.
type searchParams struct {
	expandos
	list []pair
	url  *urlObject // nil for a standalone URLSearchParams
}

// update is the spec's "update steps": serialise the list into the URL's
// query (an empty list makes the query null).
func (p *searchParams) update() {
	if p.url == nil {
		return
	}
	q := serializeForm(p.list)
	p.url.rec = p.url.rec.withQuery(q, q != "")
}

func (p *searchParams) append(name, value string) {
	p.list = append(p.list, pair{name, value})
	p.update()
}

// delete removes the pairs named name, or only those also equal to value
// when matchValue is set.
func (p *searchParams) delete(name string, value string, matchValue bool) {
	p.list = slices.DeleteFunc(p.list, func(e pair) bool {
		return e.name == name && (!matchValue || e.value == value)
	})
	p.update()
}

func (p *searchParams) get(name string) (string, bool) {
	for _, e := range p.list {
		if e.name == name {
			return e.value, true
		}
	}
	return "", false
}

func (p *searchParams) getAll(name string) []string {
	var out []string
	for _, e := range p.list {
		if e.name == name {
			out = append(out, e.value)
		}
	}
	return out
}

func (p *searchParams) has(name string, value string, matchValue bool) bool {
	for _, e := range p.list {
		if e.name == name && (!matchValue || e.value == value) {
			return true
		}
	}
	return false
}

// set gives the first pair named name the value and removes the others, or
// appends a pair when there is none.
func (p *searchParams) set(name, value string) {
	found := false
	kept := p.list[:0]
	for _, e := range p.list {
		if e.name == name {
			if found {
				continue
			}
			e.value, found = value, true
		}
		kept = append(kept, e)
	}
	clear(p.list[len(kept):])
	p.list = kept
	if !found {
		p.list = append(p.list, pair{name, value})
	}
	p.update()
}

// sort orders the list by name in UTF-16 code unit order, keeping the
// relative order of equal names.
func (p *searchParams) sort() {
	slices.SortStableFunc(p.list, func(a, b pair) int { return compareUTF16(a.name, b.name) })
	p.update()
}

func (p *searchParams) String() string { return serializeForm(p.list) }

// compareUTF16 compares two valid UTF-8 strings as JS compares strings:
// by UTF-16 code units. That differs from byte order only where a
// supplementary character (a surrogate pair, 0xD800-0xDBFF first) meets a
// BMP character in U+E000..U+FFFF.
func compareUTF16(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			ua, ub := firstUTF16Unit(ra), firstUTF16Unit(rb)
			if ua != ub {
				if ua < ub {
					return -1
				}
				return 1
			}
			// Same high surrogate: the low surrogates follow code point order.
			if ra < rb {
				return -1
			}
			return 1
		}
		a, b = a[na:], b[nb:]
	}
	switch {
	case a == "" && b == "":
		return 0
	case a == "":
		return -1
	}
	return 1
}

func firstUTF16Unit(r rune) rune {
	if r < 0x10000 {
		return r
	}
	return 0xD800 + (r-0x10000)>>10
}
