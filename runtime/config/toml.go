package config

import (
	"errors"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// parseTOML decodes src into a document. Syntax errors come back as *Error
// with toml's own line and column.
func parseTOML(file string, src []byte) (*document, error) {
	root := map[string]any{}
	if _, err := toml.Decode(string(src), &root); err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) {
			return nil, &Error{File: file, Line: perr.Position.Line, Col: perr.Position.Col, Message: perr.Message, Err: err}
		}
		return nil, &Error{File: file, Message: err.Error(), Err: err}
	}
	normalizeTOML(root)
	return &document{file: file, root: root, lines: tomlKeyLines(string(src))}, nil
}

// normalizeTOML turns toml's []map[string]any (arrays of tables) into []any
// so that TOML and JSON documents have the same shape.
func normalizeTOML(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			t[k] = normalizeTOML(e)
		}
		return t
	case []map[string]any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = normalizeTOML(e)
		}
		return out
	case []any:
		for i, e := range t {
			t[i] = normalizeTOML(e)
		}
		return t
	default:
		return v
	}
}

// tomlKeyLines maps every key path in src to the line it is defined on.
//
// toml.MetaData keeps no positions, so this is a small structural scanner of
// its own: table headers ([a.b], [[a.b]] with per-array element counting),
// dotted and quoted keys, inline tables and arrays (whose elements get index
// paths), and every string form, so that a "key = " inside a multi-line
// string is never mistaken for a key. It is only asked about documents toml
// has already accepted, but it must not panic or loop on anything: every
// step consumes input.
func tomlKeyLines(src string) map[string]int {
	s := &tomlScanner{src: src, line: 1, lines: map[string]int{}, arrays: map[string]int{}}
	s.document()
	return s.lines
}

type tomlScanner struct {
	src    string
	i      int
	line   int
	lines  map[string]int
	arrays map[string]int // mapKey of an array-of-tables path → elements seen so far
	table  keyPath        // the table that key/value lines currently belong to
}

func (s *tomlScanner) peek(off int) byte {
	if s.i+off < len(s.src) {
		return s.src[s.i+off]
	}
	return 0
}

func (s *tomlScanner) advance() {
	if s.i < len(s.src) {
		if s.src[s.i] == '\n' {
			s.line++
		}
		s.i++
	}
}

func (s *tomlScanner) record(p keyPath) {
	k := p.mapKey()
	if _, seen := s.lines[k]; !seen {
		s.lines[k] = s.line
	}
}

// skipSpace skips blanks and, when newlines is set, newlines and comments.
func (s *tomlScanner) skipSpace(newlines bool) {
	for s.i < len(s.src) {
		switch c := s.src[s.i]; {
		case c == ' ' || c == '\t' || c == '\r':
			s.advance()
		case newlines && c == '\n':
			s.advance()
		case newlines && c == '#':
			s.skipComment()
		default:
			return
		}
	}
}

func (s *tomlScanner) skipComment() {
	for s.i < len(s.src) && s.src[s.i] != '\n' {
		s.i++
	}
}

func (s *tomlScanner) document() {
	for {
		s.skipSpace(true)
		if s.i >= len(s.src) {
			return
		}
		if _, root := s.lines[""]; !root && s.table == nil && s.src[s.i] != '[' {
			s.lines[""] = s.line // where top-level keys live, for "missing key" errors
		}
		switch {
		case s.src[s.i] == '[' && s.peek(1) == '[':
			s.i += 2
			s.header(true)
		case s.src[s.i] == '[':
			s.i++
			s.header(false)
		default:
			start := s.i
			keys := s.key()
			if len(keys) > 0 {
				p := append(append(keyPath{}, s.table...), keys...)
				s.recordKeys(s.table, keys)
				s.skipSpace(false)
				if s.peek(0) == '=' {
					s.i++
					s.value(p)
				}
			}
			if s.i == start {
				s.advance() // not a key: never stall
			}
		}
		s.skipSpace(false)
		if s.peek(0) == '#' {
			s.skipComment()
		}
	}
}

// recordKeys records base.k1, base.k1.k2, … for a dotted key.
func (s *tomlScanner) recordKeys(base keyPath, keys []string) {
	p := append(keyPath{}, base...)
	for _, k := range keys {
		p = p.child(k)
		s.record(p)
	}
}

// header reads the rest of a [table] or [[array]] header (after the opening
// bracket(s)) and makes it the current table.
func (s *tomlScanner) header(array bool) {
	s.skipSpace(false)
	keys := s.key()
	for s.i < len(s.src) && s.src[s.i] != ']' && s.src[s.i] != '\n' {
		s.i++
	}
	for s.i < len(s.src) && s.src[s.i] == ']' {
		s.i++
	}
	if len(keys) == 0 {
		return
	}
	// Resolve each prefix: a prefix naming an array of tables refers to its
	// latest element.
	var p keyPath
	for n, k := range keys {
		p = p.child(k)
		last := n == len(keys)-1
		if count, isArray := s.arrays[p.mapKey()]; isArray && !(last && array) {
			p = p.index(count - 1)
		}
		if !last {
			s.record(p)
		}
	}
	if array {
		s.record(p)
		count := s.arrays[p.mapKey()]
		s.arrays[p.mapKey()] = count + 1
		p = p.index(count)
	}
	s.record(p)
	s.table = p
}

// key reads a possibly dotted key: bare, "basic" or 'literal' segments.
func (s *tomlScanner) key() []string {
	var keys []string
	for {
		s.skipSpace(false)
		seg, ok := s.keySegment()
		if !ok {
			return keys
		}
		keys = append(keys, seg)
		s.skipSpace(false)
		if s.peek(0) != '.' {
			return keys
		}
		s.i++
	}
}

func (s *tomlScanner) keySegment() (string, bool) {
	switch c := s.peek(0); {
	case c == '"':
		start := s.i
		s.basicString()
		raw := s.src[start:s.i]
		if k, err := strconv.Unquote(raw); err == nil {
			return k, true
		}
		return strings.Trim(raw, `"`), true
	case c == '\'':
		start := s.i
		s.literalString()
		return strings.Trim(s.src[start:s.i], "'"), true
	case isBareKeyChar(c):
		start := s.i
		for s.i < len(s.src) && isBareKeyChar(s.src[s.i]) {
			s.i++
		}
		return s.src[start:s.i], true
	default:
		return "", false
	}
}

func isBareKeyChar(c byte) bool {
	return c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// value skips one value, recording the keys of inline tables and the
// elements of arrays under p.
func (s *tomlScanner) value(p keyPath) {
	s.skipSpace(false)
	switch c := s.peek(0); {
	case c == '"' && s.peek(1) == '"' && s.peek(2) == '"':
		s.multiLineString('"')
	case c == '\'' && s.peek(1) == '\'' && s.peek(2) == '\'':
		s.multiLineString('\'')
	case c == '"':
		s.basicString()
	case c == '\'':
		s.literalString()
	case c == '[':
		s.i++
		for n := 0; ; n++ {
			s.skipSpace(true)
			if s.i >= len(s.src) || s.src[s.i] == ']' {
				s.advance()
				return
			}
			start := s.i
			elem := p.index(n)
			s.record(elem)
			s.value(elem)
			s.skipSpace(true)
			if s.peek(0) == ',' {
				s.i++
			} else if s.i == start {
				s.advance()
			}
		}
	case c == '{':
		s.i++
		for {
			s.skipSpace(true) // TOML 1.1 allows newlines in inline tables
			if s.i >= len(s.src) || s.src[s.i] == '}' {
				s.advance()
				return
			}
			start := s.i
			keys := s.key()
			if len(keys) > 0 {
				s.recordKeys(p, keys)
				s.skipSpace(false)
				if s.peek(0) == '=' {
					s.i++
					s.value(append(append(keyPath{}, p...), keys...))
				}
			}
			s.skipSpace(true)
			if s.peek(0) == ',' {
				s.i++
			} else if s.i == start {
				s.advance()
			}
		}
	default:
		// Numbers, booleans, dates and times (which may hold a space).
		for s.i < len(s.src) {
			switch s.src[s.i] {
			case ',', ']', '}', '\n', '#':
				return
			}
			s.i++
		}
	}
}

func (s *tomlScanner) basicString() {
	s.i++ // opening quote
	for s.i < len(s.src) {
		switch s.src[s.i] {
		case '\\':
			s.i += 2
		case '"':
			s.i++
			return
		case '\n': // unterminated; toml would have refused it
			return
		default:
			s.i++
		}
	}
	if s.i > len(s.src) {
		s.i = len(s.src)
	}
}

func (s *tomlScanner) literalString() {
	s.i++
	for s.i < len(s.src) && s.src[s.i] != '\'' && s.src[s.i] != '\n' {
		s.i++
	}
	if s.i < len(s.src) && s.src[s.i] == '\'' {
		s.i++
	}
}

// multiLineString skips a multi-line string (basic or literal; q is its quote
// character), counting its lines. Up to two quotes directly before the
// closing delimiter belong to the content.
func (s *tomlScanner) multiLineString(q byte) {
	s.i += 3
	for s.i < len(s.src) {
		c := s.src[s.i]
		switch {
		case c == '\\' && q == '"':
			s.advance()
			s.advance()
		case c == q && s.peek(1) == q && s.peek(2) == q:
			s.i += 3
			for n := 0; n < 2 && s.peek(0) == q; n++ {
				s.i++
			}
			return
		default:
			s.advance()
		}
	}
}
