package intl

import (
	"errors"
	"sort"
	"strings"

	"golang.org/x/text/language"
)

// DefaultLocale is the locale a formatter uses when none of those asked
// for is supported: workerd's.
const DefaultLocale = "en-US"

// ErrInvalidTag is a language tag that is not well-formed BCP 47.
var ErrInvalidTag = errors.New("Incorrect locale information provided")

// Canonicalize is tag in its canonical form (Intl.getCanonicalLocales).
func Canonicalize(tag string) (string, error) {
	if tag == "" || strings.ContainsAny(tag, "_ ") || strings.HasPrefix(tag, "-") || strings.HasSuffix(tag, "-") {
		return "", ErrInvalidTag
	}
	t, err := language.Parse(tag)
	var unknown interface{ Subtag() string }
	switch {
	case err == nil:
		return t.String(), nil
	case errors.As(err, &unknown):
		// Well-formed, with a subtag x/text does not know: canonical case.
		return caseSubtags(tag), nil
	}
	return "", ErrInvalidTag
}

func caseSubtags(tag string) string {
	parts := strings.Split(strings.ToLower(tag), "-")
	for i := 1; i < len(parts); i++ {
		if len(parts[i-1]) == 1 {
			break // an extension: lower case from here
		}
		switch len(parts[i]) {
		case 2:
			parts[i] = strings.ToUpper(parts[i])
		case 4:
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "-")
}

// Resolved is the outcome of locale negotiation: the locale reported by
// resolvedOptions, the data it formats with, and its Unicode extension
// keywords (nu, hc, ca, kn, …).
type Resolved struct {
	Locale   string
	Data     *Locale
	Keywords map[string]string
	Region   string
}

// Resolve negotiates requested (already canonical) against the locales
// with data, as ICU's lookup does: the first tag with a supported
// ancestor wins, else DefaultLocale.
func Resolve(requested []string) Resolved {
	for _, tag := range requested {
		base, kw := splitExtension(tag)
		for c := base; c != ""; c = truncate(c) {
			if !isAvailable(c) {
				continue
			}
			dl := dataLocale(c)
			if dl == "" {
				break
			}
			return Resolved{Locale: c, Data: locale(dl), Keywords: kw, Region: region(c)}
		}
	}
	return Resolved{Locale: DefaultLocale, Data: locale("en"), Keywords: map[string]string{}, Region: "US"}
}

// isAvailable reports whether CLDR has the locale c, or (lang-REGION)
// has it with the region's likely script (zh-TW as zh-Hant-TW).
func isAvailable(c string) bool {
	r := load()
	if r.available[c] {
		return true
	}
	if strings.Count(c, "-") == 1 {
		if full, ok := r.Likely[c]; ok && script(full) != "" {
			return r.available[lang(c)+"-"+script(full)+"-"+region(c)]
		}
	}
	return false
}

// SupportedLocales is the subset of requested Resolve would not fall back
// from (supportedLocalesOf).
func SupportedLocales(requested []string) []string {
	out := []string{}
	for _, tag := range requested {
		if res := Resolve([]string{tag}); res.Locale != DefaultLocale || strings.HasPrefix(tag, "en") {
			out = append(out, tag)
		}
	}
	return out
}

// dataLocale is the nearest locale of name's ancestors with data, or "".
func dataLocale(name string) string {
	r := load()
	if strings.Count(name, "-") == 1 {
		// lang-REGION of a region that writes another script (zh-TW):
		// its likely script decides the data (zh-Hant).
		if full, ok := r.Likely[name]; ok {
			if base, ok := r.Likely[lang(name)]; ok && script(full) != script(base) {
				name = lang(name) + "-" + script(full) + "-" + region(name)
			}
		}
	}
	for c := name; c != ""; {
		if _, ok := r.Locales[c]; ok {
			return c
		}
		if p, ok := r.Parents[c]; ok && p != "root" {
			c = p
			continue
		}
		c = truncate(c)
	}
	return ""
}

func truncate(tag string) string {
	i := strings.LastIndexByte(tag, '-')
	if i < 0 {
		return ""
	}
	return tag[:i]
}

func lang(tag string) string {
	if i := strings.IndexByte(tag, '-'); i >= 0 {
		return tag[:i]
	}
	return tag
}

func script(tag string) string {
	for _, p := range strings.Split(tag, "-")[1:] {
		if len(p) == 4 {
			return p
		}
	}
	return ""
}

func region(tag string) string {
	for _, p := range strings.Split(tag, "-")[1:] {
		if len(p) == 2 || len(p) == 3 && p[0] >= '0' && p[0] <= '9' {
			return strings.ToUpper(p)
		}
	}
	return ""
}

// splitExtension splits tag's -u- keywords from the rest.
func splitExtension(tag string) (string, map[string]string) {
	kw := map[string]string{}
	i := strings.Index(tag, "-u-")
	if i < 0 {
		return tag, kw
	}
	base, ext := tag[:i], tag[i+3:]
	if j := strings.Index(ext, "-x-"); j >= 0 {
		ext = ext[:j]
	}
	parts := strings.Split(ext, "-")
	for k := 0; k < len(parts); k++ {
		if len(parts[k]) != 2 {
			continue
		}
		key, val := parts[k], []string{}
		for k+1 < len(parts) && len(parts[k+1]) > 2 {
			k++
			val = append(val, parts[k])
		}
		if len(val) == 0 {
			kw[key] = "true"
		} else {
			kw[key] = strings.Join(val, "-")
		}
	}
	return base, kw
}

// WithKeywords is locale with the keywords that took effect, as
// resolvedOptions reports it (sorted by key).
func WithKeywords(locale string, kw map[string]string) string {
	if len(kw) == 0 {
		return locale
	}
	keys := make([]string, 0, len(kw))
	for k := range kw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	s := locale + "-u"
	for _, k := range keys {
		s += "-" + k
		if kw[k] != "true" {
			s += "-" + kw[k]
		}
	}
	return s
}

// HourCycle is the locale's preferred hour cycle: "h12" or "h23".
func (r Resolved) HourCycle() string {
	td := load().TimeData
	reg := r.Region
	if reg == "" {
		if full, ok := load().Likely[lang(r.Locale)]; ok {
			reg = region(full)
		}
	}
	t, ok := td[reg]
	if !ok {
		t, ok = td[lang(r.Locale)+"_"+reg]
	}
	if !ok {
		t = td["001"]
	}
	if strings.HasPrefix(t.Preferred, "h") || strings.HasPrefix(t.Preferred, "K") {
		return "h12"
	}
	return "h23"
}
