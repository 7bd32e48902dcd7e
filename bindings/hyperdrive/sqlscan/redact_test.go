package sqlscan

import (
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"SELECT * FROM users WHERE email = ?", "SELECT * FROM users WHERE email = ?"},
		{"SELECT * FROM t WHERE a = $1 AND b = ?2", "SELECT * FROM t WHERE a = $1 AND b = ?2"},
		{"SELECT * FROM users WHERE email = 'ann@example.com' AND id = 42", "SELECT * FROM users WHERE email = ? AND id = ?"},
		{"SELECT E'it\\'s', U&'d\\0061t', $$body$$, $tag$x$tag$, 1.5e3, .5", "SELECT ?, ?, ?, ?, ?, ?"},
		{"SELECT 'it''s' AS \"quoted \"\"name\"\"\"", `SELECT ? AS "quoted ""name"""`},
		{"SELECT data ?? 'k' FROM t", "SELECT data ?? ? FROM t"},
		{"SELECT a -- secret 1234\n  FROM t /* card 4111 /* nested */ */ WHERE b = 7", "SELECT a FROM t WHERE b = ?"},
		{"SELECT\n\tx::int,\n\tlower(name)\nFROM t", "SELECT x::int, lower(name) FROM t"},
		{"SELECT 'unterminated secret", "SELECT ?"},
		{"SELECT 1 /* unterminated secret", "SELECT ? ?"},
		{"", ""},
		// PostgreSQL 16's integers with underscores, after a base prefix too.
		{"SELECT 0x_FF, 0o_17, 0b_1, 1_000, 0x1F", "SELECT ?, ?, ?, ?, ?"},
		// A backslash in a plain string: with standard_conforming_strings off
		// (still a server setting) it escapes the quote after it, so where the
		// literal ends is unknown here; from it on, all is one constant.
		{"SELECT 'it\\'s secret' FROM t", "SELECT ?"},
		{"SELECT a FROM t WHERE b = 'x\\' AND c = 'secret'", "SELECT a FROM t WHERE b = ?"},
		{"SELECT E'it\\'s', 'plain', U&'d\\0061t'", "SELECT ?, ?, ?"},
	} {
		if got := Redact(c.in); got != c.want {
			t.Errorf("Redact(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// FuzzRedact checks that Redact never panics, that what it returns lexes
// without error, holds no string or number constant and no comment, and
// that redacting again changes nothing.
func FuzzRedact(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		got := Redact(sql)
		s := scanner{src: got}
		prevEnd := 0
		for {
			tok := s.next()
			// Between tokens only single spaces: the lexer skipped no comment.
			if gap := got[prevEnd:tok.start]; strings.Trim(gap, " ") != "" || len(gap) > 1 {
				t.Fatalf("Redact(%q) = %q has %q between tokens", sql, got, gap)
			}
			prevEnd = int(tok.end)
			if tok.kind == tokEOF {
				break
			}
			switch tok.kind {
			case tokError:
				t.Fatalf("Redact(%q) = %q does not lex: %v", sql, got, s.err)
			case tokString, tokNumber:
				t.Fatalf("Redact(%q) = %q keeps the constant %q", sql, got, got[tok.start:tok.end])
			}
		}
		if again := Redact(got); again != got {
			t.Fatalf("Redact is not stable: %q -> %q -> %q", sql, got, again)
		}
	})
}
