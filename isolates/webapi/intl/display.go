package intl

import (
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Likely adds (maximize) or removes (minimize) the likely script and
// region of tag (Intl.Locale's maximize and minimize).
func Likely(tag string, maximize bool) string {
	base, ext := tag, ""
	if i := strings.Index(tag, "-u-"); i >= 0 {
		base, ext = tag[:i], tag[i:]
	}
	l := load().Likely
	full := func(t string) string {
		if f, ok := l[t]; ok {
			return f
		}
		if f, ok := l[lang(t)]; ok {
			s, r := script(t), region(t)
			if s == "" {
				s = script(f)
			}
			if r == "" {
				r = region(f)
			}
			return lang(t) + "-" + s + "-" + r
		}
		return t
	}
	max := full(base)
	if maximize {
		return max + ext
	}
	lg := lang(base)
	for _, c := range []string{lg, lg + "-" + region(max), lg + "-" + script(max)} {
		if full(c) == max {
			return c + ext
		}
	}
	return max + ext
}

// DisplayName names code (a language, region, script or currency) in
// res's language; "" when there is no name.
func DisplayName(res Resolved, typ, code string) string {
	in, err := language.Parse(res.Data.Name)
	if err != nil {
		return ""
	}
	switch typ {
	case "currency":
		if c, ok := res.Data.Currencies[strings.ToUpper(code)]; ok {
			return c.Name
		}
	case "language":
		if t, err := language.Parse(code); err == nil {
			return display.Tags(in).Name(t)
		}
	case "region":
		if r, err := language.ParseRegion(code); err == nil {
			return display.Regions(in).Name(r)
		}
	case "script":
		if s, err := language.ParseScript(code); err == nil {
			return display.Scripts(in).Name(s)
		}
	}
	return ""
}
