package sqlscan

import "strings"

// SplitStatements cuts a script into its statements, where psql would: at a
// semicolon outside literals, quoted identifiers, comments and parentheses,
// and outside the BEGIN … END body of a CREATE FUNCTION or CREATE PROCEDURE
// written in the SQL-standard form (BEGIN ATOMIC). Each statement comes back
// without its semicolon and surrounding whitespace; statements holding only
// whitespace and comments are dropped. An unterminated literal or comment
// runs to the end of the script and is left for the server to report.
func SplitStatements(sql string) []string {
	var stmts []string
	it := statementIter{s: scanner{src: sql}}
	for {
		start, end, ok := it.next()
		if !ok {
			return stmts
		}
		stmts = append(stmts, strings.TrimSpace(sql[start:end]))
	}
}

// CountStatements reports how many statements SplitStatements would return.
func CountStatements(sql string) int {
	n := 0
	it := statementIter{s: scanner{src: sql}}
	for {
		if _, _, ok := it.next(); !ok {
			return n
		}
		n++
	}
}

// statementIter walks the byte ranges of the non-empty statements of a script.
type statementIter struct {
	s    scanner
	done bool
}

func (it *statementIter) next() (start, end int, ok bool) {
	if len(it.s.src) > maxSQLLen && !it.done {
		// Too long for PostgreSQL anyway: one statement, for the server to refuse.
		it.done = true
		return 0, len(it.s.src), true
	}
	var sp stmtSplitter
	start = it.s.pos
	nonEmpty := false
	for !it.done {
		t := it.s.next()
		if t.kind == tokIdent {
			t.kw = lookupKeyword(it.s.src[t.start:t.end])
		}
		switch {
		case t.kind == tokEOF || t.kind == tokError:
			it.done = true
			if nonEmpty || t.kind == tokError {
				return start, len(it.s.src), true
			}
		case sp.endsStatement(t):
			if nonEmpty {
				return start, int(t.start), true
			}
			sp, start = stmtSplitter{}, int(t.end)
		default:
			nonEmpty = true
		}
	}
	return 0, 0, false
}

// stmtSplitter follows psql's rule for which semicolons end a statement
// (psqlscan.l): none inside parentheses, and none inside BEGIN … END once the
// statement has started CREATE [OR REPLACE] {FUNCTION|PROCEDURE}, where CASE
// also opens a block that END closes.
type stmtSplitter struct {
	parenDepth int
	beginDepth int
	identCount int
	// idents holds the statement's first identifiers when they are CREATE,
	// OR, REPLACE, FUNCTION or PROCEDURE (kwNone for any other).
	idents [4]keyword
}

// endsStatement feeds one token of the current statement, with its keyword
// looked up, and reports whether it is a semicolon ending the statement.
func (sp *stmtSplitter) endsStatement(t token) bool {
	switch t.kind {
	case tokLParen:
		sp.parenDepth++
	case tokRParen:
		if sp.parenDepth > 0 {
			sp.parenDepth--
		}
	case tokSemicolon:
		return sp.parenDepth == 0 && sp.beginDepth == 0
	case tokIdent:
		if sp.identCount < len(sp.idents) {
			switch t.kw {
			case kwCreate, kwOr, kwReplace, kwFunction, kwProcedure:
				sp.idents[sp.identCount] = t.kw
			}
		}
		sp.identCount++
		id := sp.idents
		routine := id[1] == kwFunction || id[1] == kwProcedure ||
			id[1] == kwOr && id[2] == kwReplace && (id[3] == kwFunction || id[3] == kwProcedure)
		if id[0] != kwCreate || !routine || sp.parenDepth != 0 {
			break
		}
		switch t.kw {
		case kwBegin:
			sp.beginDepth++
		case kwCase:
			if sp.beginDepth > 0 {
				sp.beginDepth++
			}
		case kwEnd:
			if sp.beginDepth > 0 {
				sp.beginDepth--
			}
		}
	}
	return false
}
