package sqlscan

import (
	"slices"
	"strings"
)

// This file walks queries and data-modifying statements: SELECT, VALUES,
// TABLE, WITH, INSERT, UPDATE, DELETE and MERGE, wherever they appear.

// queryStatement classifies the query or DML statement in [lo, hi) and
// returns its keyword (the main statement's, for WITH), or kwNone when it is
// not one.
func (w *walker) queryStatement(lo, hi int) keyword {
	if !w.enter() {
		return kwNone
	}
	defer w.leave()
	if lo >= hi {
		w.gaveUp = true
		return kwNone
	}
	if w.toks[lo].kind == tokLParen { // (SELECT …) UNION (SELECT …)
		i := lo
		for i < hi && w.toks[i].kind == tokLParen {
			i++
		}
		kw := w.kwAt(i, hi)
		switch kw {
		case kwSelect, kwValues, kwTable:
		case kwWith:
			kw = kwSelect // only a query can be parenthesised
		default:
			w.gaveUp = true
			return kwNone
		}
		w.scanBody(lo, hi, bodyState{})
		return kw
	}
	kw := w.kwAt(lo, hi)
	switch kw {
	case kwWith:
		return w.queryStatement(w.withClause(lo, hi), hi)
	case kwSelect, kwValues:
		w.scanBody(lo+1, hi, bodyState{})
	case kwTable:
		w.scanBody(w.readRelation(lo+1, hi), hi, bodyState{})
	case kwInsert:
		w.insert(lo, hi)
	case kwUpdate:
		w.update(lo, hi)
	case kwDelete:
		w.delete(lo, hi)
	case kwMerge:
		w.merge(lo, hi)
	default:
		w.gaveUp = true
		return kwNone
	}
	return kw
}

// isCTEStart reports whether the WITH at i opens a list of WITH queries:
// WITH [RECURSIVE] name [(columns)] AS [NOT] [MATERIALIZED] ( — unlike
// WITH ORDINALITY, WITH TIME ZONE, WITH (storage options) or WITH NO DATA.
func (w *walker) isCTEStart(i, hi int) bool {
	i++
	if w.kwAt(i, hi) == kwRecursive {
		i++
	}
	if k := w.kindAt(i, hi); k != tokIdent && k != tokQuotedIdent {
		return false
	}
	i++
	if w.kindAt(i, hi) == tokLParen {
		i = w.closeOf(i, hi) + 1
	}
	if w.kwAt(i, hi) != kwAs {
		return false
	}
	i++
	if w.kwAt(i, hi) == kwNot {
		i++
	}
	if w.kwAt(i, hi) == kwMaterialized {
		i++
	}
	return w.kindAt(i, hi) == tokLParen
}

// withClause walks the WITH queries from the WITH at lo, recording their
// names' scopes, and returns where the main statement starts.
func (w *walker) withClause(lo, hi int) int {
	i := lo + 1
	recursive := w.kwAt(i, hi) == kwRecursive
	if recursive {
		i++
	}
	for {
		if k := w.kindAt(i, hi); k != tokIdent && k != tokQuotedIdent {
			w.gaveUp = true
			return hi
		}
		name := i
		i++
		if w.kindAt(i, hi) == tokLParen {
			i = w.closeOf(i, hi) + 1
		}
		if w.kwAt(i, hi) != kwAs {
			w.gaveUp = true
			return hi
		}
		i++
		if w.kwAt(i, hi) == kwNot {
			i++
		}
		if w.kwAt(i, hi) == kwMaterialized {
			i++
		}
		if w.kindAt(i, hi) != tokLParen {
			w.gaveUp = true
			return hi
		}
		end := w.closeOf(i, hi)
		// A plain WITH query is visible after its own body; a RECURSIVE
		// list's names are visible everywhere in it.
		from := end
		if recursive {
			from = lo
		}
		if len(w.ctes) < maxCTEs {
			w.ctes = append(w.ctes, cteScope{name: int32(name), from: int32(from), to: int32(hi)})
		} else {
			w.unknownTables = true
		}
		w.queryStatement(i+1, end)
		i = end + 1
		// SEARCH … SET column and CYCLE … USING column (PostgreSQL 14).
		if w.kwAt(i, hi) == kwSearch {
			i = w.pastKeyword(i, hi, kwSet) + 1
		}
		if w.kwAt(i, hi) == kwCycle {
			i = w.pastKeyword(i, hi, kwUsing) + 1
		}
		if w.kindAt(i, hi) != tokComma {
			return i
		}
		i++
	}
}

// pastKeyword returns the index after the first kw at or after i.
func (w *walker) pastKeyword(i, hi int, kw keyword) int {
	for ; i < hi; i++ {
		if w.kwAt(i, hi) == kw {
			return i + 1
		}
	}
	return hi
}

// readRelation records the relation of TABLE [ONLY] name [*] and returns
// the index after it.
func (w *walker) readRelation(i, hi int) int {
	if w.kwAt(i, hi) == kwOnly {
		i++
	}
	end, ok := w.name(i, hi)
	if !ok {
		w.unknownTables = true
		return i
	}
	w.addRead(i, end)
	if w.kindAt(end, hi) == tokStar {
		end++
	}
	return end
}

// writeTarget records the target of UPDATE/DELETE/MERGE: [ONLY] name [*]
// [[AS] alias]. It returns the index after it, or false when there is none.
func (w *walker) writeTarget(i, hi int) (int, bool) {
	if w.kwAt(i, hi) == kwOnly {
		i++
	}
	end, ok := w.name(i, hi)
	if !ok {
		w.unknownTables = true
		return i, false
	}
	w.addWrite(i, end)
	if w.kindAt(end, hi) == tokStar {
		end++
	}
	return w.skipAlias(end, hi), true
}

// insert: INSERT INTO name [AS alias] [(columns)] {VALUES|query|DEFAULT VALUES} …
func (w *walker) insert(lo, hi int) {
	w.wrote = true
	i := lo + 1
	if w.kwAt(i, hi) != kwInto {
		w.gaveUp = true
		return
	}
	i++
	end, ok := w.name(i, hi)
	if !ok {
		w.unknownTables = true
		w.scanBody(i, hi, bodyState{})
		return
	}
	w.addWrite(i, end)
	i = end
	if w.kwAt(i, hi) == kwAs {
		i += 2
	}
	if w.kindAt(i, hi) == tokLParen && !w.startsQuery(i+1, hi) {
		i = w.closeOf(i, hi) + 1 // the column list
	}
	w.scanBody(i, hi, bodyState{})
}

// update: UPDATE [ONLY] name [*] [[AS] alias] SET … [FROM …] …
func (w *walker) update(lo, hi int) {
	w.wrote = true
	i, ok := w.writeTarget(lo+1, hi)
	if !ok {
		w.gaveUp = true
		return
	}
	w.scanBody(i, hi, bodyState{})
}

// delete: DELETE FROM [ONLY] name [*] [[AS] alias] [USING from_item, …] …
func (w *walker) delete(lo, hi int) {
	w.wrote = true
	if w.kwAt(lo+1, hi) != kwFrom {
		w.gaveUp = true
		return
	}
	i, ok := w.writeTarget(lo+2, hi)
	if !ok {
		w.gaveUp = true
		return
	}
	st := bodyState{}
	if w.kwAt(i, hi) == kwUsing {
		i = w.fromItem(i+1, hi)
		st.inFrom = true
	}
	w.scanBody(i, hi, st)
}

// merge: MERGE INTO [ONLY] name [*] [[AS] alias] USING source ON … WHEN …
func (w *walker) merge(lo, hi int) {
	w.wrote = true
	if w.kwAt(lo+1, hi) != kwInto {
		w.gaveUp = true
		return
	}
	i, ok := w.writeTarget(lo+2, hi)
	if !ok || w.kwAt(i, hi) != kwUsing {
		w.gaveUp = true
		return
	}
	w.scanBody(w.fromItem(i+1, hi), hi, bodyState{})
}

// bodyState is what scanBody tracks within one parenthesis level.
type bodyState struct {
	inFrom   bool // a comma continues a FROM (or DELETE … USING) list
	funcArgs bool // a function's arguments: FROM there belongs to EXTRACT, SUBSTRING, TRIM, OVERLAY
	brackets int  // depth of [ ] (array literals and subscripts), whose commas list elements
}

// scanBody walks the tokens of a statement body in [lo, hi): it records
// relations after FROM and JOIN, follows subqueries, and notes function
// calls, locking clauses, SELECT … INTO and volatile values.
func (w *walker) scanBody(lo, hi int, st bodyState) {
	if !w.enter() {
		return
	}
	defer w.leave()
	for i := lo; i < hi; {
		t := &w.toks[i]
		switch t.kind {
		case tokLParen:
			end := w.closeOf(i, hi)
			if w.startsQuery(i+1, end) {
				w.queryStatement(i+1, end)
			} else {
				w.scanBody(i+1, end, bodyState{})
			}
			i = end + 1
			continue
		case tokComma:
			if st.inFrom && !st.funcArgs && st.brackets == 0 {
				i = w.fromItem(i+1, hi)
				continue
			}
		case tokOp:
			switch w.src[t.start] {
			case '[':
				st.brackets++
			case ']':
				st.brackets = max(st.brackets-1, 0)
			}
		case tokString:
			if isDateTimeWord(w.stringContent(i)) {
				w.volatile = true // 'now'::timestamptz, 'today', … are read from the clock
			}
		case tokIdent, tokQuotedIdent:
			i = w.identInBody(i, hi, &st)
			continue
		}
		i++
	}
}

// identInBody handles the identifier at i and returns where to go on.
func (w *walker) identInBody(i, hi int, st *bodyState) int {
	t := w.toks[i]
	switch t.kw {
	case kwFrom:
		if st.funcArgs || w.isDistinctFrom(i) {
			return i + 1
		}
		st.inFrom = true
		return w.fromItem(i+1, hi)
	case kwJoin:
		return w.fromItem(i+1, hi)
	case kwFor:
		st.inFrom = false
		if w.isLockingClause(i+1, hi) {
			w.locking = true
		}
		return i + 1
	case kwInto:
		// INSERT INTO and MERGE INTO are consumed where those statements
		// start, so an INTO here is SELECT … INTO, which creates a table.
		st.inFrom = false
		return w.selectInto(i+1, hi)
	case kwUnion, kwIntersect, kwExcept:
		st.inFrom = false
		j := i + 1
		if k := w.kwAt(j, hi); k == kwAll || k == kwDistinct {
			j++
		}
		if w.kwAt(j, hi) == kwTable {
			return w.readRelation(j+1, hi)
		}
		return i + 1
	case kwWhere, kwGroup, kwHaving, kwWindow, kwOrder, kwLimit, kwOffset, kwFetch,
		kwReturning, kwSet, kwSelect, kwValues, kwWhen:
		st.inFrom = false
		return i + 1
	case kwTablesample:
		w.volatile = true // a random sample of the rows
		j := i + 1
		if w.kindAt(j, hi) != tokIdent {
			return j
		}
		j++ // the sampling method, which is not a function call
		if w.kindAt(j, hi) == tokLParen {
			end := w.closeOf(j, hi)
			w.scanBody(j+1, end, bodyState{})
			j = end + 1
		}
		if w.isWord(j, hi, "repeatable") && w.kindAt(j+1, hi) == tokLParen {
			j++ // REPEATABLE (seed) is not a call either; scanBody walks the seed
		}
		return j
	case kwWith:
		if w.isCTEStart(i, hi) { // e.g. INSERT INTO t WITH x AS (…) SELECT …
			w.queryStatement(w.withClause(i, hi), hi)
			return hi
		}
		return i + 1
	}
	if t.kw.has(flagValueFunc) && (i == 0 || w.toks[i-1].kind != tokDot) {
		w.volatile = true
	}
	end := i + 1
	for end+1 < hi && w.toks[end].kind == tokDot &&
		(w.toks[end+1].kind == tokIdent || w.toks[end+1].kind == tokQuotedIdent) {
		end += 2
	}
	if w.kindAt(end, hi) != tokLParen {
		return end
	}
	if end == i+1 && t.kw.has(flagNotCall) {
		return end // IN (…), EXISTS (…), OVER (…): scanBody walks the parentheses
	}
	if i > 0 && (w.toks[i-1].kind == tokCast || w.toks[i-1].kind == tokIdent && w.toks[i-1].kw == kwAs) {
		return end // a type's modifiers: x::numeric(10, 2), CAST(x AS varchar(20))
	}
	w.call(i, end, hi)
	rparen := w.closeOf(end, hi)
	w.scanBody(end+1, rparen, bodyState{funcArgs: true})
	return rparen + 1
}

// call notes a call of the function named by tokens [lo, end), whose
// argument list opens at end.
func (w *walker) call(lo, end, hi int) {
	last := end - 1
	t := w.toks[last]
	class := funcUnknown // a U&"…" name is not decoded: it could be anything
	if !t.unicode {
		class = lookupFunction(w.nameText(last), t.kind == tokQuotedIdent)
	}
	if class != funcUnknown && end-lo > 1 {
		// Built-ins live in pg_catalog: app.upper(x) is someone's own.
		if fn, ok := w.functionName(lo, end); !ok || fn.Schema != "pg_catalog" {
			class = funcUnknown
		}
	}
	if class == funcUnknown {
		class = w.unknownFunction(lo, end)
	}
	switch class {
	case funcSession, funcUnknown, funcSideEffect:
		w.session = w.session || class == funcSession
		// A function not known to be free of side effects (a user-defined
		// add_item(…), nextval, …) may write any table: the statement
		// needs the primary, is never retried once sent, never cached,
		// and makes cached reads stale when it runs.
		w.volatile, w.wrote, w.notReadOnly, w.unknownTables = true, true, true, true
	case funcVolatile:
		w.volatile = true
	case funcAgeLike:
		if w.countArgs(end, hi) < 2 {
			w.volatile = true
		}
	}
}

// unknownFunction notes a call of a function Classify does not know, named
// by tokens [lo, end), and classifies it by the volatility ClassifyWith
// was given, if any.
func (w *walker) unknownFunction(lo, end int) funcClass {
	fn, ok := w.functionName(lo, end)
	if !ok {
		w.functionsLost = true
		return funcUnknown
	}
	if !slices.Contains(w.functions, fn) {
		if len(w.functions) == maxFunctions {
			w.functionsLost = true
		} else {
			w.functions = append(w.functions, fn)
		}
	}
	switch v, known := w.volatility[fn]; {
	case !known:
		return funcUnknown
	case v == Immutable:
		return funcPure
	case v == Stable:
		return funcVolatile
	}
	return funcUnknown
}

// functionName is the name tokens [lo, end) give a function: name or
// schema.name.
func (w *walker) functionName(lo, end int) (Function, bool) {
	ident := func(i int) (string, bool) {
		t := w.toks[i]
		switch {
		case t.unicode:
			return "", false
		case t.kind == tokQuotedIdent:
			return strings.ReplaceAll(w.nameText(i), `""`, `"`), true
		case t.kind == tokIdent:
			return asciiLower(w.nameText(i)), true
		}
		return "", false
	}
	switch end - lo {
	case 1:
		name, ok := ident(lo)
		return Function{Name: name}, ok
	case 3:
		schema, ok1 := ident(lo)
		name, ok2 := ident(lo + 2)
		return Function{Schema: schema, Name: name}, ok1 && ok2
	}
	return Function{}, false
}

// asciiLower folds ASCII letters, as PostgreSQL folds unquoted identifiers.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// countArgs counts the arguments of the list opening at the '(' at open.
func (w *walker) countArgs(open, hi int) int {
	rparen := w.closeOf(open, hi)
	if rparen == open+1 {
		return 0
	}
	n := 1
	for i := open + 1; i < rparen; i++ {
		switch w.toks[i].kind {
		case tokLParen:
			i = w.closeOf(i, rparen)
		case tokComma:
			n++
		}
	}
	return n
}

// isDistinctFrom reports whether the FROM at i ends IS [NOT] DISTINCT FROM.
func (w *walker) isDistinctFrom(i int) bool {
	if i < 2 || w.kwAt(i-1, i) != kwDistinct {
		return false
	}
	k := w.kwAt(i-2, i)
	return k == kwIs || k == kwNot
}

// isLockingClause reports whether a FOR is followed by UPDATE, SHARE,
// NO KEY UPDATE or KEY SHARE.
func (w *walker) isLockingClause(i, hi int) bool {
	switch w.kwAt(i, hi) {
	case kwUpdate, kwShare:
		return true
	case kwNo:
		return w.kwAt(i+1, hi) == kwKey && w.kwAt(i+2, hi) == kwUpdate
	case kwKey:
		return w.kwAt(i+1, hi) == kwShare
	}
	return false
}

// selectInto records the table SELECT … INTO [TEMP|UNLOGGED] [TABLE] name creates.
func (w *walker) selectInto(i, hi int) int {
	w.wrote = true
	for {
		switch w.kwAt(i, hi) {
		case kwTemporary, kwTemp:
			w.session = true
			i++
			continue
		case kwUnlogged, kwLocal, kwGlobal, kwTable:
			i++
			continue
		}
		break
	}
	end, ok := w.name(i, hi)
	if !ok {
		w.unknownTables = true
		return i
	}
	w.addWrite(i, end)
	return end
}

// fromItem walks one item of a FROM list (or the item after JOIN, USING in
// DELETE and MERGE) starting at i, and returns where scanning goes on.
func (w *walker) fromItem(i, hi int) int {
	for {
		if k := w.kwAt(i, hi); k != kwLateral && k != kwOnly {
			break
		}
		i++
	}
	switch w.kindAt(i, hi) {
	case tokLParen:
		end := w.closeOf(i, hi)
		if w.startsQuery(i+1, end) {
			w.queryStatement(i+1, end)
		} else if w.enter() { // a parenthesised join: (a JOIN b ON …)
			w.scanBody(w.fromItem(i+1, end), end, bodyState{inFrom: true})
			w.leave()
		}
		return w.skipAlias(end+1, hi)
	case tokIdent, tokQuotedIdent:
	default:
		w.unknownTables = true
		return i
	}
	if w.kwAt(i, hi) == kwRows && w.kwAt(i+1, hi) == kwFrom && w.kindAt(i+2, hi) == tokLParen {
		end := w.closeOf(i+2, hi) // ROWS FROM (f(…), g(…)): the calls are in there
		w.scanBody(i+3, end, bodyState{})
		return w.skipAlias(w.skipOrdinality(end+1, hi), hi)
	}
	end, ok := w.name(i, hi)
	if !ok {
		w.unknownTables = true
		return i
	}
	if w.kindAt(end, hi) == tokLParen { // a function in FROM: generate_series(…), my_func(…)
		w.call(i, end, hi)
		rparen := w.closeOf(end, hi)
		w.scanBody(end+1, rparen, bodyState{funcArgs: true})
		return w.skipAlias(w.skipOrdinality(rparen+1, hi), hi)
	}
	w.addRead(i, end)
	if w.kindAt(end, hi) == tokStar {
		end++
	}
	return w.skipAlias(end, hi)
}

func (w *walker) skipOrdinality(i, hi int) int {
	if w.kwAt(i, hi) == kwWith && w.kwAt(i+1, hi) == kwOrdinality {
		return i + 2
	}
	return i
}

// stringContent is the text of the string constant at i between its quotes.
func (w *walker) stringContent(i int) string {
	s := w.text(i)
	if s[0] == '$' {
		tag := indexByte(s[1:], '$') + 2 // "$tag$"
		return s[tag : len(s)-tag]
	}
	return s[indexByte(s, '\'')+1 : len(s)-1]
}

func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// isDateTimeWord reports the special date/time inputs whose value depends on
// when they are read: 'now', 'today', 'tomorrow', 'yesterday'.
func isDateTimeWord(s string) bool {
	if len(s) > 16 {
		return false
	}
	// Trim as the date/time input parser does.
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return equalFoldASCII(s, "now") || equalFoldASCII(s, "today") ||
		equalFoldASCII(s, "tomorrow") || equalFoldASCII(s, "yesterday")
}
