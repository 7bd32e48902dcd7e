package intl

import (
	"strings"
	"unicode"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

// Collator compares strings as Intl.Collator does, with x/text's UCA
// tailored per locale.
type Collator struct {
	c, base  *collate.Collator
	caseOnly *collate.Collator // sensitivity "case": base letters, then case
	upper    bool
}

// NewCollator is a collator for locale with ECMA-402's options.
func NewCollator(locale, sensitivity, caseFirst string, numeric, ignorePunctuation bool) *Collator {
	ext := "-u"
	switch sensitivity {
	case "base":
		ext += "-ks-level1"
	case "accent":
		ext += "-ks-level2"
	case "case":
		ext += "-ks-level1"
	}
	if numeric {
		ext += "-kn-true"
	}
	if ignorePunctuation {
		ext += "-ka-shifted"
	}
	base, _ := splitExtension(locale)
	tag, err := language.Parse(base)
	if err != nil {
		tag = language.English
	}
	opt := tag
	if ext != "-u" {
		if t, err := language.Parse(base + ext); err == nil {
			opt = t
		}
	}
	c := &Collator{c: collate.New(tag, collate.OptionsFromTag(opt)), upper: caseFirst == "upper"}
	if sensitivity == "case" {
		c.caseOnly = collate.New(tag)
	}
	if c.upper {
		c.base = collate.New(tag, collate.OptionsFromTag(opt), collate.IgnoreCase)
	}
	return c
}

// Compare is -1, 0 or 1.
func (c *Collator) Compare(a, b string) int {
	r := c.c.CompareString(a, b)
	if c.caseOnly != nil && r == 0 {
		return c.caseOnly.CompareString(stripMarks(a), stripMarks(b))
	}
	if c.upper && r != 0 && c.base.CompareString(a, b) == 0 {
		return -r
	}
	return r
}

// stripMarks is s without its combining marks (accents), decomposed.
func stripMarks(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
