package sqlscan

import (
	"fmt"
	"strings"
)

// SyntaxError reports SQL text the lexer cannot take apart: an unterminated
// literal, quoted identifier or comment, or a placeholder index out of range.
type SyntaxError struct {
	Offset int    // byte offset in the input where the offending construct starts
	Msg    string // what is wrong, e.g. "unterminated quoted string"
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("sql syntax error at byte %d: %s", e.Offset, e.Msg)
}

// Byte classes, after scan.l: identifiers start with a letter, an underscore
// or any byte of a multi-byte UTF-8 sequence, and continue with those, digits
// and dollar signs.
const (
	classIdentStart uint8 = 1 << iota
	classIdentCont
	classDigit
	classSpace
)

var byteClass = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_', c >= 0x80:
			t[c] = classIdentStart | classIdentCont
		case c >= '0' && c <= '9':
			t[c] = classDigit | classIdentCont
		case c == '$':
			t[c] = classIdentCont
		case c == ' ', c == '\t', c == '\n', c == '\r', c == '\f', c == '\v':
			t[c] = classSpace
		}
	}
	return t
}()

func isIdentStart(c byte) bool { return byteClass[c]&classIdentStart != 0 }
func isIdentCont(c byte) bool  { return byteClass[c]&classIdentCont != 0 }
func isDigit(c byte) bool      { return byteClass[c]&classDigit != 0 }

type tokKind uint8

const (
	tokEOF         tokKind = iota
	tokError               // lexing failed; scanner.err says why
	tokIdent               // unquoted identifier or keyword
	tokQuotedIdent         // "…" or U&"…"
	tokString              // '…', E'…', U&'…', $tag$…$tag$ (B'', X'', N'' lex as an identifier then a string)
	tokNumber
	tokParam   // $N
	tokQParam  // ? or ?NNN
	tokQEscape // ?? — a literal ?
	tokLParen
	tokRParen
	tokComma
	tokSemicolon
	tokDot
	tokCast // ::
	tokStar
	tokOp // any other operator or punctuation byte
)

// maxSQLLen is PostgreSQL's limit on a message, and so on a query's text;
// it also keeps byte offsets within a token's int32 fields.
const maxSQLLen = 1 << 30

// token is one lexical element. Offsets are int32 to keep the token buffer
// Classify pools small (see maxSQLLen).
type token struct {
	start, end int32
	// match is, for a '(' in a Classify token buffer, the index of its ')'
	// (or the buffer length when it is never closed).
	match int32
	kind  tokKind
	kw    keyword // the keyword an identifier spells, when the caller looked it up
	// unicode marks U&"…" identifiers, whose escapes are not decoded.
	unicode bool
}

// scanner hands out tokens one at a time, skipping whitespace and comments.
type scanner struct {
	src string
	pos int
	err *SyntaxError
}

// next returns the next token. After tokEOF or tokError it keeps returning
// the same kind.
func (s *scanner) next() token {
	src := s.src
	i := s.pos
	// Whitespace and comments.
	for i < len(src) {
		c := src[i]
		if byteClass[c]&classSpace != 0 {
			i++
			continue
		}
		if c == '-' && i+1 < len(src) && src[i+1] == '-' {
			nl := strings.IndexAny(src[i+2:], "\n\r")
			if nl < 0 {
				i = len(src)
			} else {
				i += 2 + nl + 1
			}
			continue
		}
		if c == '/' && i+1 < len(src) && src[i+1] == '*' {
			end, ok := skipBlockComment(src, i)
			if !ok {
				return s.fail(i, "unterminated /* comment")
			}
			i = end
			continue
		}
		break
	}
	if i >= len(src) {
		s.pos = i
		return token{kind: tokEOF, start: int32(i), end: int32(i)}
	}
	start := i
	c := src[i]
	switch {
	case isIdentStart(c):
		j := i + 1
		for j < len(src) && isIdentCont(src[j]) {
			j++
		}
		if j == i+1 && j < len(src) {
			switch {
			case (c == 'e' || c == 'E') && src[j] == '\'':
				return s.escapeString(start, j)
			case (c == 'u' || c == 'U') && src[j] == '&' && j+1 < len(src) && (src[j+1] == '\'' || src[j+1] == '"'):
				t := s.quoted(start, j+1, src[j+1])
				t.unicode = true
				return t
			}
		}
		return s.emit(tokIdent, start, j)
	case isDigit(c) || (c == '.' && i+1 < len(src) && isDigit(src[i+1])):
		return s.emit(tokNumber, start, scanNumber(src, i))
	case c == '\'' || c == '"':
		return s.quoted(start, i, c)
	case c == '$':
		return s.dollar(start)
	case c == '?':
		j := i + 1
		if j < len(src) && src[j] == '?' {
			return s.emit(tokQEscape, start, j+1)
		}
		for j < len(src) && isDigit(src[j]) {
			j++
		}
		return s.emit(tokQParam, start, j)
	case c == ':' && i+1 < len(src) && src[i+1] == ':':
		return s.emit(tokCast, start, i+2)
	}
	kind := tokOp
	switch c {
	case '(':
		kind = tokLParen
	case ')':
		kind = tokRParen
	case ',':
		kind = tokComma
	case ';':
		kind = tokSemicolon
	case '.':
		kind = tokDot
	case '*':
		kind = tokStar
	}
	return s.emit(kind, start, i+1)
}

func (s *scanner) emit(kind tokKind, start, end int) token {
	s.pos = end
	return token{kind: kind, start: int32(start), end: int32(end)}
}

func (s *scanner) fail(offset int, msg string) token {
	s.pos = len(s.src)
	s.err = &SyntaxError{Offset: offset, Msg: msg}
	return token{kind: tokError, start: int32(offset), end: int32(len(s.src))}
}

// quoted scans a '…' string or "…" identifier whose opening quote is at q,
// with the quote doubled to stand for itself. start is where the token
// begins (before any U& prefix).
func (s *scanner) quoted(start, q int, quote byte) token {
	src := s.src
	j := q + 1
	for {
		k := strings.IndexByte(src[j:], quote)
		if k < 0 {
			if quote == '"' {
				return s.fail(start, "unterminated quoted identifier")
			}
			return s.fail(start, "unterminated quoted string")
		}
		j += k + 1
		if j < len(src) && src[j] == quote {
			j++
			continue
		}
		kind := tokString
		if quote == '"' {
			kind = tokQuotedIdent
		}
		return s.emit(kind, start, j)
	}
}

// escapeString scans E'…', where a backslash escapes the next byte and a
// doubled quote stands for itself; q is the opening quote.
func (s *scanner) escapeString(start, q int) token {
	src := s.src
	for j := q + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			j++
		case '\'':
			if j+1 < len(src) && src[j+1] == '\'' {
				j++
				continue
			}
			return s.emit(tokString, start, j+1)
		}
	}
	return s.fail(start, "unterminated quoted string")
}

// dollar scans what starts with '$': a parameter $N, a dollar-quoted string
// $tag$…$tag$ (a tag cannot start with a digit, which is what keeps $1 a
// parameter), or a lone '$'.
func (s *scanner) dollar(start int) token {
	src := s.src
	j := start + 1
	if j < len(src) && isDigit(src[j]) {
		for j < len(src) && isDigit(src[j]) {
			j++
		}
		return s.emit(tokParam, start, j)
	}
	for j < len(src) && isIdentCont(src[j]) && src[j] != '$' {
		j++
	}
	if j >= len(src) || src[j] != '$' {
		return s.emit(tokOp, start, start+1)
	}
	delim := src[start : j+1]
	end := strings.Index(src[j+1:], delim)
	if end < 0 {
		return s.fail(start, "unterminated dollar-quoted string")
	}
	return s.emit(tokString, start, j+1+end+len(delim))
}

// skipBlockComment returns the offset just past the /* comment opening at i,
// counting nested /* */ pairs as PostgreSQL does.
func skipBlockComment(src string, i int) (int, bool) {
	depth := 1
	j := i + 2 // past the opening "/*"
	for {
		k := strings.IndexByte(src[j:], '*')
		if k < 0 {
			return 0, false
		}
		k += j
		switch {
		case k > j && src[k-1] == '/':
			depth++
			j = k + 1
		case k+1 < len(src) && src[k+1] == '/':
			depth--
			j = k + 2
			if depth == 0 {
				return j, true
			}
		default:
			j = k + 1
		}
	}
}

// scanNumber returns the end of the numeric constant at i: 42, 1_000, 0x1F,
// 0o17, 0b101, 1.5, .5, 1.5e-3. Like PostgreSQL before version 15 (later
// versions reject "trailing junk"), letters after a number start a new
// token, so 1e'…' is 1 followed by an E” string and 1FROM is 1 FROM.
func scanNumber(src string, i int) int {
	digits := func(j int, ok func(byte) bool) int {
		for j < len(src) && (ok(src[j]) || src[j] == '_') {
			j++
		}
		return j
	}
	isHex := func(c byte) bool { return isDigit(c) || 'a' <= c|0x20 && c|0x20 <= 'f' }
	// After a base prefix the first digit may follow an underscore too
	// (0x_FF is PostgreSQL 16's 255).
	prefixed := func(ok func(byte) bool) bool {
		return ok(src[i+2]) || src[i+2] == '_' && i+3 < len(src) && ok(src[i+3])
	}
	if src[i] == '0' && i+2 < len(src) {
		switch src[i+1] | 0x20 {
		case 'x':
			if prefixed(isHex) {
				return digits(i+2, isHex)
			}
		case 'o', 'b':
			if prefixed(isDigit) {
				return digits(i+2, isDigit)
			}
		}
	}
	j := digits(i, isDigit)
	if j < len(src) && src[j] == '.' && (j+1 >= len(src) || src[j+1] != '.') {
		j = digits(j+1, isDigit)
	}
	if j < len(src) && src[j]|0x20 == 'e' {
		k := j + 1
		if k < len(src) && (src[k] == '+' || src[k] == '-') {
			k++
		}
		if k < len(src) && isDigit(src[k]) {
			j = digits(k, isDigit)
		}
	}
	return j
}
