package sqlscan

import (
	"errors"
	"strings"
	"testing"
)

func TestRewrite(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
		n    int
	}{
		{"no placeholders", "SELECT 1", "SELECT 1", 0},
		{"anonymous", "SELECT * FROM t WHERE a = ? AND b = ?", "SELECT * FROM t WHERE a = $1 AND b = $2", 2},
		{"numbered", "SELECT ?2, ?1", "SELECT $2, $1", 2},
		{"numbered repeated", "SELECT ?1, ?1", "SELECT $1, $1", 1},
		{"anonymous after numbered takes next", "SELECT ?2, ?", "SELECT $2, $3", 3},
		{"anonymous after dollar takes next", "SELECT $1, ?", "SELECT $1, $2", 2},
		{"dollar after anonymous reuses", "SELECT ?, $1", "SELECT $1, $1", 1},
		{"gap in numbering", "SELECT ?3", "SELECT $3", 3},
		{"dollar only is unchanged", "SELECT $3, $1", "SELECT $3, $1", 3},
		{"mixed forms", "INSERT INTO t VALUES (?, ?2, $5, ?)", "INSERT INTO t VALUES ($1, $2, $5, $6)", 6},
		{"highest index", "SELECT ?65535", "SELECT $65535", 65535},
		{"anonymous after highest seen", "SELECT ?, ?5, ?", "SELECT $1, $5, $6", 6},

		// ?? is a literal ?, for the jsonb operators.
		{"jsonb ?", "SELECT data ?? 'key' FROM t", "SELECT data ? 'key' FROM t", 0},
		{"jsonb ?|", "SELECT data ??| array['a'] FROM t WHERE id = ?", "SELECT data ?| array['a'] FROM t WHERE id = $1", 1},
		{"jsonb ?&", "SELECT data ??& array['a']", "SELECT data ?& array['a']", 0},
		{"escape then placeholder", "SELECT a ??? b", "SELECT a ?$1 b", 1},
		{"two escapes", "SELECT a ???? b", "SELECT a ?? b", 0},
		{"escape before digits stays literal", "SELECT a ??1", "SELECT a ?1", 0},

		// Literals, identifiers and comments hide placeholders.
		{"single-quoted string", "SELECT '?', ?", "SELECT '?', $1", 1},
		{"doubled quote in string", "SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1", 1},
		{"empty string", "SELECT '', ?", "SELECT '', $1", 1},
		{"E string escaped quote", `SELECT E'\'?' || ?`, `SELECT E'\'?' || $1`, 1},
		{"E string escaped backslash ends", `SELECT E'\\' || ?`, `SELECT E'\\' || $1`, 1},
		{"lower-case e string", `SELECT e'a\'?' || ?`, `SELECT e'a\'?' || $1`, 1},
		{"E string doubled quote", `SELECT E'a''?' || ?`, `SELECT E'a''?' || $1`, 1},
		{"identifier ending in e is not an E string", `SELECT name'\' = ?`, `SELECT name'\' = $1`, 1},
		{"standard string backslash is literal", `SELECT '\' , ?`, `SELECT '\' , $1`, 1},
		{"unicode string", `SELECT U&'?\0041', ?`, `SELECT U&'?\0041', $1`, 1},
		{"unicode identifier", `SELECT U&"?" FROM t WHERE a = ?`, `SELECT U&"?" FROM t WHERE a = $1`, 1},
		{"bit string", "SELECT B'0101' | ?", "SELECT B'0101' | $1", 1},
		{"hex string", "SELECT X'1F?' , ?", "SELECT X'1F?' , $1", 1},
		{"national string", "SELECT N'?', ?", "SELECT N'?', $1", 1},
		{"dollar quoted", "SELECT $$ ? $$ || ?", "SELECT $$ ? $$ || $1", 1},
		{"tagged dollar quoted", "SELECT $a$ ? $a$", "SELECT $a$ ? $a$", 0},
		{"tag with digits and underscore", "SELECT $_t1$ ? $_t1$, ?", "SELECT $_t1$ ? $_t1$, $1", 1},
		{"other tag inside body", "SELECT $a$ $b$ ? $b$ $a$, ?", "SELECT $a$ $b$ ? $b$ $a$, $1", 1},
		{"dollar quote holding quotes", "SELECT $$ it's ? $$, ?", "SELECT $$ it's ? $$, $1", 1},
		{"parameter is not a tag", "SELECT $1 || $$?$$ || ?", "SELECT $1 || $$?$$ || $2", 2},
		{"parameter then dollar quote", "SELECT $1$$?$$", "SELECT $1$$?$$", 1},
		{"dollar in identifier", "SELECT a$1 FROM t WHERE b = ?", "SELECT a$1 FROM t WHERE b = $1", 1},
		{"identifier with dollar-dollar", "SELECT x$$y FROM t WHERE b = ?", "SELECT x$$y FROM t WHERE b = $1", 1},
		{"lone dollar", "SELECT $ ?", "SELECT $ $1", 1},
		{"quoted identifier", `SELECT "col?" FROM t WHERE a = ?`, `SELECT "col?" FROM t WHERE a = $1`, 1},
		{"quoted identifier doubled quote", `SELECT "a""?" FROM t WHERE a = ?`, `SELECT "a""?" FROM t WHERE a = $1`, 1},
		{"line comment", "SELECT 1 -- ?\n, ?", "SELECT 1 -- ?\n, $1", 1},
		{"line comment ended by CR", "SELECT 1 -- ?\r, ?", "SELECT 1 -- ?\r, $1", 1},
		{"line comment at end", "SELECT ? -- ?", "SELECT $1 -- ?", 1},
		{"block comment", "SELECT /* ? */ ?", "SELECT /* ? */ $1", 1},
		{"nested block comment", "SELECT /* ? /* ? */ ? */ ?", "SELECT /* ? /* ? */ ? */ $1", 1},
		{"block comment of stars", "SELECT /**/ ? /***/", "SELECT /**/ $1 /***/", 1},
		{"comment start inside operator", "SELECT 2*/*?*/?", "SELECT 2*/*?*/$1", 1},
		{"minus is not a comment", "SELECT 1 - ?", "SELECT 1 - $1", 1},
		{"numbers", "SELECT 1.5e-3, .5, 0x1F, 1_000, 1..2, ?", "SELECT 1.5e-3, .5, 0x1F, 1_000, 1..2, $1", 1},
		{"E string right after a number", `SELECT 1e'\'?' , ?`, `SELECT 1e'\'?' , $1`, 1},

		// Operators and casts around placeholders.
		{"cast", "SELECT x::int = ?", "SELECT x::int = $1", 1},
		{"placeholder cast", "SELECT ?::int", "SELECT $1::int", 1},
		{"array subscript", "SELECT a[?]", "SELECT a[$1]", 1},
		{"in list", "SELECT * FROM t WHERE id IN (?,?,?)", "SELECT * FROM t WHERE id IN ($1,$2,$3)", 3},

		// $N must stay a token of its own.
		{"after identifier", "SELECT a?", "SELECT a $1", 1},
		{"before identifier", "SELECT ?a", "SELECT $1 a", 1},
		{"after number", "SELECT 1?", "SELECT 1 $1", 1},
		{"after dollar", "SELECT $?", "SELECT $ $1", 1},
		{"after numbered", "SELECT ?1?", "SELECT $1 $2", 2},
		{"numbered before identifier", "SELECT ?1a", "SELECT $1 a", 1},
		{"non-ASCII around", "SELECT 'héllo ?' = ?, ?é", "SELECT 'héllo ?' = $1, $2 é", 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Rewrite(tc.in)
			if err != nil {
				t.Fatalf("Rewrite(%q): %v", tc.in, err)
			}
			if got.SQL != tc.want || got.NumParams != tc.n {
				t.Errorf("Rewrite(%q) = %q, %d params; want %q, %d", tc.in, got.SQL, got.NumParams, tc.want, tc.n)
			}
		})
	}
}

func TestRewriteErrors(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		offset int
		msg    string
	}{
		{"unterminated string", "SELECT 'abc", 7, "unterminated quoted string"},
		{"unterminated string after doubled quote", "SELECT 'a''", 7, "unterminated quoted string"},
		{"unterminated E string", `SELECT E'\'`, 7, "unterminated quoted string"},
		{"unterminated E string backslash at end", `SELECT E'\`, 7, "unterminated quoted string"},
		{"unterminated unicode string", "SELECT U&'x", 7, "unterminated quoted string"},
		{"unterminated identifier", `SELECT "abc`, 7, "unterminated quoted identifier"},
		{"unterminated unicode identifier", `SELECT U&"abc`, 7, "unterminated quoted identifier"},
		{"unterminated comment", "SELECT 1 /* abc", 9, "unterminated /* comment"},
		{"unterminated nested comment", "SELECT 1 /* /* */ ", 9, "unterminated /* comment"},
		{"unterminated dollar quote", "SELECT ? || $$ abc", 12, "unterminated dollar-quoted string"},
		{"dollar quote with other tag", "SELECT $a$ abc $b$", 7, "unterminated dollar-quoted string"},
		{"numbered zero", "SELECT ?0", 7, "placeholder ?0 out of range (1..65535)"},
		{"dollar zero", "SELECT $0", 7, "placeholder $0 out of range (1..65535)"},
		{"numbered too big", "SELECT 1, ?65536", 10, "placeholder ?65536 out of range (1..65535)"},
		{"dollar too big", "SELECT $70000", 7, "placeholder $70000 out of range (1..65535)"},
		{"dollar overflowing int", "SELECT $99999999999999999999999", 7, "placeholder $99999999999999999999999 out of range (1..65535)"},
		{"anonymous after highest", "SELECT ?65535, ?", 15, "too many placeholders (more than 65535)"},
		{"error after placeholders", "SELECT ?, 'x", 10, "unterminated quoted string"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Rewrite(tc.in)
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Rewrite(%q) = %+v, %v; want a *SyntaxError", tc.in, got, err)
			}
			if se.Offset != tc.offset || se.Msg != tc.msg {
				t.Errorf("Rewrite(%q) error = offset %d %q; want offset %d %q", tc.in, se.Offset, se.Msg, tc.offset, tc.msg)
			}
			if got != (Parsed{}) {
				t.Errorf("Rewrite(%q) returned %+v with the error; want the zero Parsed", tc.in, got)
			}
		})
	}
}

func TestRewriteErrorMessage(t *testing.T) {
	_, err := Rewrite("SELECT 'x")
	if got, want := err.Error(), "sql syntax error at byte 7: unterminated quoted string"; got != want {
		t.Errorf("Error() = %q; want %q", got, want)
	}
}

func TestRewriteManyPlaceholders(t *testing.T) {
	sql := "SELECT " + strings.Repeat("?,", MaxParams-1) + "?"
	got, err := Rewrite(sql)
	if err != nil {
		t.Fatalf("%d placeholders: %v", MaxParams, err)
	}
	if got.NumParams != MaxParams || !strings.HasSuffix(got.SQL, ",$65534,$65535") {
		t.Errorf("%d placeholders: NumParams %d, tail %q", MaxParams, got.NumParams, got.SQL[len(got.SQL)-20:])
	}
	if _, err := Rewrite(sql + ",?"); err == nil {
		t.Errorf("%d placeholders: no error", MaxParams+1)
	}
}

func TestRewriteUnchangedInputIsNotCopied(t *testing.T) {
	sql := "SELECT * FROM t WHERE a = $1 AND b = '?' -- ?"
	allocs := testing.AllocsPerRun(100, func() {
		got, err := Rewrite(sql)
		if err != nil || got.SQL != sql {
			t.Fatalf("Rewrite(%q) = %q, %v", sql, got.SQL, err)
		}
	})
	if allocs != 0 {
		t.Errorf("Rewrite without ? allocates %v times; want 0", allocs)
	}
}

func TestRewriteAllocatesOnlyTheResult(t *testing.T) {
	sql := "SELECT * FROM t WHERE a = ? AND b = ? AND c = ?5 AND d ?? 'k'"
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := Rewrite(sql); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 1 {
		t.Errorf("Rewrite allocates %v times; want 1 (the result)", allocs)
	}
}
