package webapi

import (
	"strconv"
	"strings"
)

// The CSS lexing the selector parser needs: identifiers and strings with
// escapes, and an+b.

// parseANB parses an+b (odd, even, 3, -n+2, 2n - 1).
func parseANB(s string) (a, b int, ok bool) {
	s = strings.ToLower(strings.TrimFunc(s, func(r rune) bool { return r < 0x80 && isCSSSpace(byte(r)) }))
	switch s {
	case "odd":
		return 2, 1, true
	case "even":
		return 2, 0, true
	}
	n := strings.IndexByte(s, 'n')
	if n < 0 {
		v, err := strconv.Atoi(s)
		return 0, v, err == nil
	}
	switch coef := s[:n]; coef {
	case "", "+":
		a = 1
	case "-":
		a = -1
	default:
		v, err := strconv.Atoi(coef)
		if err != nil {
			return 0, 0, false
		}
		a = v
	}
	rest := strings.TrimSpace(s[n+1:])
	if rest == "" {
		return a, 0, true
	}
	sign := 1
	switch rest[0] {
	case '+':
	case '-':
		sign = -1
	default:
		return 0, 0, false
	}
	rest = strings.TrimSpace(rest[1:])
	if rest == "" || rest[0] == '+' || rest[0] == '-' {
		return 0, 0, false
	}
	v, err := strconv.Atoi(rest)
	if err != nil {
		return 0, 0, false
	}
	return a, sign * v, true
}

func isNameByte(c byte) bool {
	return c == '-' || c == '_' || c >= 0x80 || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// identStart reports whether an identifier starts at pos.
func (p *selParser) identStart() bool {
	s := p.s[p.pos:]
	if s == "" {
		return false
	}
	c := s[0]
	if c == '-' {
		if len(s) < 2 {
			return false
		}
		c = s[1]
		if c == '-' {
			return true
		}
	}
	return c == '_' || c >= 0x80 || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '\\' && len(s) > 1
}

func (p *selParser) nameStart() bool {
	return !p.eof() && (isNameByte(p.peek()) || p.peek() == '\\' && p.pos+1 < len(p.s))
}

func (p *selParser) ident() string { return p.name() }

// name reads name characters, with CSS escapes.
func (p *selParser) name() string {
	var b strings.Builder
	for !p.eof() {
		c := p.peek()
		if c == '\\' && p.pos+1 < len(p.s) {
			p.pos++
			b.WriteString(p.escape())
			continue
		}
		if !isNameByte(c) {
			break
		}
		b.WriteByte(c)
		p.pos++
	}
	return b.String()
}

// escape reads what follows a backslash.
func (p *selParser) escape() string {
	start := p.pos
	for p.pos < len(p.s) && p.pos-start < 6 && isHex(p.s[p.pos]) {
		p.pos++
	}
	if p.pos == start {
		c := p.s[p.pos]
		p.pos++
		return string(c)
	}
	v, _ := strconv.ParseUint(p.s[start:p.pos], 16, 32)
	if !p.eof() && isCSSSpace(p.peek()) {
		p.pos++
	}
	if v == 0 || v > 0x10FFFF || v >= 0xD800 && v <= 0xDFFF {
		return "\uFFFD"
	}
	return string(rune(v))
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

func (p *selParser) str() (string, bool) {
	q := p.peek()
	p.pos++
	var b strings.Builder
	for !p.eof() {
		c := p.peek()
		switch {
		case c == q:
			p.pos++
			return b.String(), true
		case c == '\\' && p.pos+1 < len(p.s):
			p.pos++
			if p.peek() == '\n' {
				p.pos++
				continue
			}
			b.WriteString(p.escape())
		case c == '\n':
			return "", false
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
	return b.String(), true
}
