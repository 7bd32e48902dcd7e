package sqlscan

import (
	"errors"
	"strings"
	"testing"
)

var fuzzSeeds = []string{
	"SELECT * FROM t WHERE a = ? AND b = ?2 AND c = $3",
	"SELECT data ?? 'k', data ??| array['a'] FROM t WHERE id = ?",
	`SELECT E'\'?', '?''?', U&'?', "?""", $$?$$, $a$ ? $a$ -- ?` + "\n/* ? /* ? */ */ ?",
	"SELECT $1$$?$$, a$1, x$$y, $ ?, ?::int, a?, ?a, 1?",
	"SELECT 'unterminated ?",
	"SELECT ?0, $70000",
	seedAnalytics,
	"WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x",
	"SELECT * FROM t FOR UPDATE",
	"INSERT INTO t (a) VALUES (?) ON CONFLICT (a) DO UPDATE SET a = excluded.a",
	"MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET v = s.v",
	"CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END; SELECT 2",
	"EXPLAIN (ANALYZE) DELETE FROM t; SELECT now()",
	"SELECT * FROM (a JOIN b ON true), LATERAL f(x) WITH ORDINALITY AS y(z)",
	"SELECT add_item(?) AS r",
	"SELECT count(*), lower(name), coalesce(a, 0) FROM t GROUP BY 2",
}

// FuzzRewrite checks that Rewrite never panics, reports errors inside the
// input, and that its output carries exactly the placeholders of its input
// as $N with NumParams the highest.
func FuzzRewrite(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		got, err := Rewrite(sql)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Rewrite(%q): error %v is not a *SyntaxError", sql, err)
			}
			if se.Offset < 0 || se.Offset >= len(sql) {
				t.Fatalf("Rewrite(%q): error offset %d outside the input", sql, se.Offset)
			}
			return
		}
		in := countPlaceholders(t, sql)
		if in.question == 0 && in.escapes == 0 && got.SQL != sql {
			t.Fatalf("Rewrite(%q) = %q; want the input unchanged", sql, got.SQL)
		}
		out := countPlaceholders(t, got.SQL)
		if out.dollar != in.dollar+in.question {
			t.Fatalf("Rewrite(%q) = %q: %d $N in the output; want %d", sql, got.SQL, out.dollar, in.dollar+in.question)
		}
		if out.highest != got.NumParams {
			t.Fatalf("Rewrite(%q) = %q: highest $N is %d; NumParams is %d", sql, got.SQL, out.highest, got.NumParams)
		}
		if out.lowest < 1 && out.dollar > 0 {
			t.Fatalf("Rewrite(%q) = %q: a $N below 1", sql, got.SQL)
		}
	})
}

type placeholderCount struct {
	dollar, question int // $N; ? and ?NNN
	escapes          int // ??
	lowest, highest  int // over the $N
}

func countPlaceholders(t *testing.T, sql string) placeholderCount {
	t.Helper()
	c := placeholderCount{lowest: MaxParams + 1}
	s := scanner{src: sql}
	for {
		tok := s.next()
		switch tok.kind {
		case tokEOF:
			return c
		case tokError:
			t.Fatalf("lexing %q: %v", sql, s.err)
		case tokParam:
			n, err := placeholderIndex(sql, tok)
			if err != nil {
				t.Fatalf("lexing %q: %v", sql, err)
			}
			c.dollar++
			c.lowest, c.highest = min(c.lowest, n), max(c.highest, n)
		case tokQParam:
			c.question++
		case tokQEscape:
			c.escapes++
		}
	}
}

// FuzzClassify checks that Classify never panics and that its answers agree
// with each other: what writes is never cacheable, a statement starting with
// a write keyword is never cacheable, and Multi matches CountStatements.
func FuzzClassify(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		info := Classify(sql)
		if info.Writes && info.Cacheable {
			t.Fatalf("Classify(%q) = %+v: writes yet cacheable", sql, info)
		}
		if info.Writes && info.ReadOnly {
			t.Fatalf("Classify(%q) = %+v: writes yet read-only", sql, info)
		}
		if info.Cacheable && (!info.ReadOnly || info.Multi) {
			t.Fatalf("Classify(%q) = %+v: cacheable but not a single read-only statement", sql, info)
		}
		first := firstWord(sql)
		if isWriteKeyword(first) && info.Cacheable {
			t.Fatalf("Classify(%q) = %+v: starts with %s yet cacheable", sql, info, first)
		}
		if isDataWriteKeyword(first) && !info.Writes {
			t.Fatalf("Classify(%q) = %+v: starts with %s yet does not write", sql, info, first)
		}
		if hidesWrite(sql) && !info.Writes {
			t.Fatalf("Classify(%q) = %+v: a query holding DML or INTO, yet it does not write", sql, info)
		}
		for _, name := range info.Tables {
			if name == "" {
				t.Fatalf("Classify(%q) = %+v: empty table name", sql, info)
			}
		}
		if n := CountStatements(sql); info.Multi != (n > 1) {
			t.Fatalf("Classify(%q) = %+v, but CountStatements = %d", sql, info, n)
		}
		if stmts := SplitStatements(sql); len(stmts) != CountStatements(sql) {
			t.Fatalf("SplitStatements(%q) returned %d statements; CountStatements %d", sql, len(stmts), CountStatements(sql))
		}
	})
}

func firstWord(sql string) string {
	s := scanner{src: sql}
	if t := s.next(); t.kind == tokIdent {
		return strings.ToLower(sql[t.start:t.end])
	}
	return ""
}

func isWriteKeyword(w string) bool {
	switch w {
	case "insert", "update", "delete", "merge", "truncate", "copy", "create", "alter", "drop",
		"grant", "revoke", "call", "do", "refresh", "comment", "reindex", "vacuum", "cluster",
		"lock", "set", "reset", "discard", "notify", "listen", "execute", "prepare":
		return true
	}
	return false
}

// isDataWriteKeyword lists the statements that always modify data or schema.
func isDataWriteKeyword(w string) bool {
	switch w {
	case "insert", "update", "delete", "merge", "truncate", "create", "alter", "drop", "grant",
		"revoke", "call", "do", "refresh":
		return true
	}
	return false
}

// hidesWrite reports a single query (SELECT, WITH, VALUES, TABLE or a
// parenthesised query) that holds "(" followed by INSERT, UPDATE, DELETE or
// MERGE, or the word INTO: lexically, a data-modifying WITH query or
// SELECT … INTO.
func hidesWrite(sql string) bool {
	if CountStatements(sql) != 1 {
		return false
	}
	s := scanner{src: sql}
	first, prev := true, tokEOF
	for {
		t := s.next()
		switch t.kind {
		case tokEOF, tokError:
			return false
		case tokIdent:
			switch w := strings.ToLower(sql[t.start:t.end]); {
			case first && w != "select" && w != "with" && w != "values" && w != "table":
				return false
			case w == "into",
				prev == tokLParen && (w == "insert" || w == "update" || w == "delete" || w == "merge"):
				return true
			}
		default:
			if first && t.kind != tokLParen {
				return false
			}
		}
		first, prev = false, t.kind
	}
}
