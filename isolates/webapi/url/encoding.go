package url

import (
	"strings"
	"unicode/utf8"
)

const upperHex = "0123456789ABCDEF"

// percentDecode is the spec's percent-decode on a string's UTF-8 bytes: a
// '%' not followed by two hex digits stays as it is. The result may be
// invalid UTF-8.
func percentDecode(s string) string {
	i := strings.IndexByte(s, '%')
	if i < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	b = append(b, s[:i]...)
	for ; i < len(s); i++ {
		c := s[i]
		if c == '%' && i+2 < len(s) && hexDigit(s[i+1]) >= 0 && hexDigit(s[i+2]) >= 0 {
			b = append(b, byte(hexDigit(s[i+1])<<4|hexDigit(s[i+2])))
			i += 2
			continue
		}
		b = append(b, c)
	}
	return string(b)
}

// decodeUTF8 is the Encoding Standard's "UTF-8 decode without BOM": each
// maximal invalid subsequence becomes one U+FFFD (Go's range loop would
// produce one per byte).
func decodeUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r != utf8.RuneError || size > 1 {
			b.WriteString(s[i : i+size])
			i += size
			continue
		}
		b.WriteRune(utf8.RuneError)
		i += invalidUTF8Length(s[i:])
	}
	return b.String()
}

// invalidUTF8Length returns how many bytes at the start of s form one
// maximal subpart of an ill-formed sequence (at least 1).
func invalidUTF8Length(s string) int {
	c := s[0]
	var need int
	lower, upper := byte(0x80), byte(0xBF)
	switch {
	case c >= 0xC2 && c <= 0xDF:
		need = 1
	case c >= 0xE0 && c <= 0xEF:
		need = 2
		if c == 0xE0 {
			lower = 0xA0
		} else if c == 0xED {
			upper = 0x9F
		}
	case c >= 0xF0 && c <= 0xF4:
		need = 3
		if c == 0xF0 {
			lower = 0x90
		} else if c == 0xF4 {
			upper = 0x8F
		}
	default:
		return 1
	}
	n := 1
	for ; n <= need && n < len(s); n++ {
		if s[n] < lower || s[n] > upper {
			break
		}
		lower, upper = 0x80, 0xBF
	}
	return n
}

// parseForm is the application/x-www-form-urlencoded parser.
func parseForm(input string) []pair {
	if input == "" {
		return nil
	}
	list := make([]pair, 0, strings.Count(input, "&")+1)
	for len(input) > 0 {
		seq := input
		if i := strings.IndexByte(input, '&'); i >= 0 {
			seq, input = input[:i], input[i+1:]
		} else {
			input = ""
		}
		if seq == "" {
			continue
		}
		name, value := seq, ""
		if i := strings.IndexByte(seq, '='); i >= 0 {
			name, value = seq[:i], seq[i+1:]
		}
		list = append(list, pair{name: formDecode(name), value: formDecode(value)})
	}
	return list
}

func formDecode(s string) string {
	if strings.IndexByte(s, '+') >= 0 {
		s = strings.ReplaceAll(s, "+", " ")
	}
	return decodeUTF8(percentDecode(s))
}

// serializeForm is the application/x-www-form-urlencoded serialiser.
func serializeForm(list []pair) string {
	if len(list) == 0 {
		return ""
	}
	var b strings.Builder
	for i, p := range list {
		if i > 0 {
			b.WriteByte('&')
		}
		formEncode(&b, p.name)
		b.WriteByte('=')
		formEncode(&b, p.value)
	}
	return b.String()
}

// formEncode writes s percent-encoded with the
// application/x-www-form-urlencoded percent-encode set, space as '+'.
func formEncode(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ':
			b.WriteByte('+')
		case isFormUnreserved(c):
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(upperHex[c>>4])
			b.WriteByte(upperHex[c&15])
		}
	}
}

func isFormUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '*' || c == '-' || c == '.' || c == '_'
}

// encodeSet is a percent-encode set over ASCII; bytes >= 0x80 (the UTF-8
// of non-ASCII code points) are always encoded.
type encodeSet [128]bool

func newEncodeSet(base *encodeSet, extra string) *encodeSet {
	var s encodeSet
	if base != nil {
		s = *base
	}
	for i := 0; i < len(extra); i++ {
		s[extra[i]] = true
	}
	return &s
}

// The URL Standard's percent-encode sets.
var (
	c0ControlSet = newEncodeSet(nil, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f"+
		"\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f")
	fragmentSet     = newEncodeSet(c0ControlSet, " \"<>`")
	querySet        = newEncodeSet(c0ControlSet, " \"#<>")
	specialQuerySet = newEncodeSet(querySet, "'")
	pathSet         = newEncodeSet(querySet, "?^`{}")
	userinfoSet     = newEncodeSet(pathSet, "/:;=@[\\]|")
)

// percentEncode writes s to b, UTF-8 percent-encoding the bytes in set.
func percentEncode(b *strings.Builder, s string, set *encodeSet) {
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x80 && !set[c] {
			continue
		}
		b.WriteString(s[start:i])
		b.WriteByte('%')
		b.WriteByte(upperHex[c>>4])
		b.WriteByte(upperHex[c&15])
		start = i + 1
	}
	b.WriteString(s[start:])
}

// percentEncodeString is percentEncode returning a string, without copying
// when nothing needs encoding.
func percentEncodeString(s string, set *encodeSet) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || set[c] {
			var b strings.Builder
			b.Grow(len(s) + 8)
			percentEncode(&b, s, set)
			return b.String()
		}
	}
	return s
}
