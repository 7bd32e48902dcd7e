package sqlscan

import (
	"slices"
	"testing"
)

func TestSplitStatements(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", nil},
		{"only separators and space", "  ;\n ; ", nil},
		{"only a comment", "-- nothing here", nil},
		{"one without semicolon", "SELECT 1", []string{"SELECT 1"}},
		{"one with semicolon", "SELECT 1;", []string{"SELECT 1"}},
		{"two", "SELECT 1; SELECT 2", []string{"SELECT 1", "SELECT 2"}},
		{"empty statements dropped", ";;SELECT 1;;; SELECT 2;;", []string{"SELECT 1", "SELECT 2"}},
		{"trailing comment dropped", "SELECT 1; -- done", []string{"SELECT 1"}},
		{"trailing block comment dropped", "SELECT 1; /* done; */", []string{"SELECT 1"}},
		{"leading comment kept", "-- first;\nSELECT 1", []string{"-- first;\nSELECT 1"}},
		{"semicolon in string", "SELECT ';'; SELECT 2", []string{"SELECT ';'", "SELECT 2"}},
		{"semicolon in E string", `SELECT E'\';'; SELECT 2`, []string{`SELECT E'\';'`, "SELECT 2"}},
		{"semicolon in quoted identifier", `SELECT 1 AS "a;b"; SELECT 2`, []string{`SELECT 1 AS "a;b"`, "SELECT 2"}},
		{"semicolon in comment", "SELECT 1 /* ; */; SELECT 2 -- ;\n", []string{"SELECT 1 /* ; */", "SELECT 2 -- ;"}},
		{"semicolon in parentheses", "SELECT (1; 2); SELECT 3", []string{"SELECT (1; 2)", "SELECT 3"}},
		{"dollar-quoted function body",
			"CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql; SELECT f()",
			[]string{"CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql", "SELECT f()"}},
		{"BEGIN ATOMIC body",
			"CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END; SELECT 3",
			[]string{"CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END", "SELECT 3"}},
		{"BEGIN ATOMIC with CASE",
			"create or replace function f(x int) returns int language sql begin atomic select case when x > 0 then 1 else 0 end; end; select 1",
			[]string{"create or replace function f(x int) returns int language sql begin atomic select case when x > 0 then 1 else 0 end; end", "select 1"}},
		{"procedure body",
			"CREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); END; CALL p()",
			[]string{"CREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); END", "CALL p()"}},
		{"transaction BEGIN is a statement", "BEGIN; INSERT INTO t VALUES (1); COMMIT;",
			[]string{"BEGIN", "INSERT INTO t VALUES (1)", "COMMIT"}},
		{"CASE outside a routine", "SELECT CASE WHEN true THEN 1 END; SELECT 2", []string{"SELECT CASE WHEN true THEN 1 END", "SELECT 2"}},
		{"unterminated string runs to the end", "SELECT 1; SELECT 'a; b", []string{"SELECT 1", "SELECT 'a; b"}},
		{"unterminated string alone", "SELECT 1; 'a; b", []string{"SELECT 1", "'a; b"}},
		{"unterminated comment", "SELECT 1; /* a; b", []string{"SELECT 1", "/* a; b"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := SplitStatements(tc.in)
			if !slices.Equal(got, tc.want) {
				t.Errorf("SplitStatements(%q) = %q; want %q", tc.in, got, tc.want)
			}
			if n := CountStatements(tc.in); n != len(tc.want) {
				t.Errorf("CountStatements(%q) = %d; want %d", tc.in, n, len(tc.want))
			}
		})
	}
}

func TestCountStatementsDoesNotAllocate(t *testing.T) {
	sql := "SELECT 1; INSERT INTO t VALUES ('a;b'); -- c\n SELECT $$;$$"
	allocs := testing.AllocsPerRun(100, func() {
		if n := CountStatements(sql); n != 3 {
			t.Fatalf("CountStatements = %d; want 3", n)
		}
	})
	if allocs != 0 {
		t.Errorf("CountStatements allocates %v times; want 0", allocs)
	}
}
