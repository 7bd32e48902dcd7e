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
	var sp stmtSplitter
	start = it.s.pos
	nonEmpty := false
	for !it.done {
		t := it.s.next()
		switch {
		case t.kind == tokEOF || t.kind == tokError:
			it.done = true
			if nonEmpty || t.kind == tokError {
				return start, len(it.s.src), true
			}
		case sp.endsStatement(it.s.src, t):
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
	// idents holds, for the first few identifiers of the statement, the
	// first letter of create/or/replace/function/procedure, or 0.
	idents [4]byte
}

// endsStatement feeds one token of the current statement and reports whether
// it is a semicolon that ends the statement.
func (sp *stmtSplitter) endsStatement(src string, t token) bool {
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
		word := src[t.start:t.end]
		if sp.identCount < len(sp.idents) {
			for _, w := range [...]string{"create", "or", "replace", "function", "procedure"} {
				if strings.EqualFold(word, w) {
					sp.idents[sp.identCount] = w[0]
					break
				}
			}
		}
		sp.identCount++
		id := sp.idents
		inRoutine := id[0] == 'c' && (id[1] == 'f' || id[1] == 'p' ||
			id[1] == 'o' && id[2] == 'r' && (id[3] == 'f' || id[3] == 'p'))
		if !inRoutine || sp.parenDepth != 0 {
			break
		}
		switch {
		case strings.EqualFold(word, "begin"):
			sp.beginDepth++
		case strings.EqualFold(word, "case"):
			if sp.beginDepth > 0 {
				sp.beginDepth++
			}
		case strings.EqualFold(word, "end"):
			if sp.beginDepth > 0 {
				sp.beginDepth--
			}
		}
	}
	return false
}
