package sqlscan

import "strings"

// Redacted stands for a constant Redact removed.
const Redacted = "?"

// Redact returns sql with every constant — string literals ('…', E'…',
// U&'…', $tag$…$tag$) and numbers — replaced by Redacted, and comments
// dropped (a comment may quote a value too), for showing a statement where
// its values must not appear (the admin dashboard's slow queries). As
// pg_stat_statements does, the shape of the statement stays: keywords,
// identifiers, operators and placeholders are kept; whitespace and comments
// between tokens become one space, so the text fits on one line. From an
// unterminated literal or comment on, the rest is one Redacted: what it holds
// is unknown; so too from a plain '…' string holding a backslash, whose end
// depends on the server's standard_conforming_strings.
func Redact(sql string) string {
	s := scanner{src: sql}
	var out strings.Builder
	out.Grow(min(len(sql), 4096))
	prevEnd := 0
	for {
		t := s.next()
		if t.kind == tokEOF {
			return out.String()
		}
		text := sql[t.start:t.end]
		switch t.kind {
		case tokError, tokString, tokNumber:
			// A plain '…' string with a backslash ends after it only when
			// standard_conforming_strings is on; off, the backslash escapes
			// the next quote and the literal runs on. Not knowing which,
			// the rest is one constant (as after an unterminated literal).
			if t.kind == tokString && sql[t.start] == '\'' && strings.IndexByte(text, '\\') >= 0 {
				t.kind = tokError
			}
			text = Redacted
		}
		// A space where the source had one (or a comment), and between a
		// ? and a ? or digit, which would otherwise lex as ?? or ?NNN.
		if n := out.Len(); n > 0 && (int(t.start) > prevEnd || out.String()[n-1] == '?' && (text[0] == '?' || isDigit(text[0]))) {
			out.WriteByte(' ')
		}
		out.WriteString(text)
		if t.kind == tokError {
			return out.String()
		}
		prevEnd = int(t.end)
	}
}
