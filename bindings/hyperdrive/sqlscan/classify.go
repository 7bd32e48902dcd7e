package sqlscan

import (
	"strings"
	"sync"
)

// Info is what the query cache and the router need to know about a statement.
type Info struct {
	// Kind is the lower-case first keyword of the statement, after a leading
	// WITH … is resolved to the statement it introduces: "select", "insert",
	// "update", "delete", "merge", "values", "table", "show", "explain",
	// "create", "copy", …; "" for empty input.
	Kind string
	// ReadOnly: no data modification is possible, so the statement may run
	// on a replica and be retried: SELECT, VALUES, TABLE, SHOW, a WITH whose
	// parts all read, and EXPLAIN of one of those. Locking reads (FOR
	// UPDATE, …) are not read-only: they need the primary. Neither are
	// session and transaction commands (SET, BEGIN, LISTEN, …), which do not
	// write either.
	ReadOnly bool
	// Cacheable: ReadOnly, a single statement, no locking clause, no SELECT …
	// INTO, no volatile or stable function (now(), random(), CURRENT_DATE, …),
	// not SHOW and not EXPLAIN ANALYZE. Only calls to functions known to be
	// free of side effects (built-in aggregates, string, maths, JSON, …
	// functions) leave a read cacheable; a call to any other function
	// (user-defined ones) makes the statement a write, unless ClassifyWith
	// is told that function is IMMUTABLE (or STABLE: a read).
	Cacheable bool
	// Multi: the text holds more than one statement.
	Multi bool
	// Tables lists the relations read (for reads) or written (for writes),
	// once each: unquoted identifiers folded to lower case, quoted ones kept
	// exact, qualified names kept qualified ("public.users"). CTE names are
	// not relations and are left out.
	Tables []string
	// TablesKnown is false when the statement may touch relations beyond
	// Tables (DO blocks, CALL, unknown function calls, DROP … CASCADE,
	// anything unusual): callers then treat it as touching everything.
	TablesKnown bool
	// Writes: the statement may modify data or schema: INSERT, UPDATE,
	// DELETE, MERGE, TRUNCATE, COPY … FROM, DDL, GRANT, CALL, DO, EXECUTE,
	// data-modifying CTEs, SELECT … INTO, functions with side effects
	// (nextval, advisory locks, …) or not known to be free of them
	// (user-defined functions), EXPLAIN ANALYZE of any of those, and
	// anything not recognised. EXPLAIN without ANALYZE only plans.
	Writes bool
	// Session: the statement may leave state on its connection that
	// outlives it: SET (not SET LOCAL), RESET, LISTEN, PREPARE, DEALLOCATE,
	// DISCARD, LOAD, temporary objects, DECLARE … WITH HOLD, set_config(),
	// session-level advisory locks, DO blocks, and text that cannot be
	// analysed. A pool that shares connections between clients must not
	// hand such a connection on. Functions and procedures that change
	// session state are not detected.
	Session bool
	// Functions lists the functions called that Classify does not know
	// (user-defined and extension functions), once each, at most
	// maxFunctions. Each made the statement a write; a caller that learns
	// their volatility from the server can classify again with
	// ClassifyWith. FunctionsComplete is false when some call's name could
	// not be listed (three-part or U&"…" names, too many functions).
	Functions         []Function
	FunctionsComplete bool
}

// Function is a function's name as PostgreSQL resolves it: unquoted
// identifiers folded to lower case, quoted ones exact; Schema is "" when
// the call is not qualified (the search path decides).
type Function struct{ Schema, Name string }

// Volatility is a function's declared volatility (pg_proc.provolatile).
type Volatility uint8

const (
	// Volatile functions may do anything, writes included: a statement
	// calling one stays a write.
	Volatile Volatility = iota
	// Stable functions cannot modify the database, but their result may
	// change between statements: a read, never cached.
	Stable
	// Immutable functions depend only on their arguments: a read that may
	// be cached.
	Immutable
)

// ClassifyWith is Classify with the volatility of functions Classify does
// not know, as the server declares them. The declaration is trusted as
// PostgreSQL's planner trusts it: PostgreSQL refuses INSERT, UPDATE and
// DELETE in the body of a STABLE or IMMUTABLE SQL or PL/pgSQL function,
// but not a call from one to a volatile function (nextval, a function
// that writes), nor anything done in C or another language. A function
// that writes but is declared STABLE or IMMUTABLE is mislabelled, for
// PostgreSQL as for this.
func ClassifyWith(sql string, volatility map[Function]Volatility) Info {
	w := walkerPool.Get().(*walker)
	w.volatility = volatility
	info := w.classify(sql)
	w.volatility = nil
	w.release()
	return info
}

// Classify reports what sql is, for caching and routing. It never fails:
// text it cannot analyse (unterminated literals, unbalanced parentheses,
// unknown commands, shapes it does not recognise) is reported as a write to
// unknown tables, never cacheable.
func Classify(sql string) Info {
	w := walkerPool.Get().(*walker)
	info := w.classify(sql)
	w.release()
	return info
}

// Bounds that keep Classify linear on pathological input.
const (
	// maxNesting bounds how deep Classify follows parentheses and
	// subqueries; deeper text is classified as an unknown write.
	maxNesting = 200
	// maxCTEs bounds the WITH query names tracked per statement; beyond it
	// the tables are unknown (and further names may show up in Tables).
	maxCTEs = 64
	// maxTables bounds Info.Tables; beyond it the tables are unknown.
	maxTables = 256
	// maxFunctions bounds Info.Functions.
	maxFunctions = 16
)

var walkerPool = sync.Pool{New: func() any { return new(walker) }}

// walker holds one Classify call's tokens and findings; it is pooled so that
// steady-state classification allocates only the returned Info.
type walker struct {
	src        string
	toks       []token
	unbalanced bool // a parenthesis without its partner
	stmts      []tokRange
	reads      []tokRange // names of relations read, as token ranges
	writes     []tokRange // names of relations written
	ctes       []cteScope
	depth      int

	// Functions Classify does not know: those seen (Info.Functions) and
	// the volatility ClassifyWith was given.
	functions     []Function
	functionsLost bool
	volatility    map[Function]Volatility

	// Findings for the statement being classified.
	wrote         bool // data or schema may change
	session       bool // session state may change (Info.Session)
	notReadOnly   bool // needs the primary even though it does not write
	locking       bool // FOR UPDATE / FOR SHARE / …
	volatile      bool // a volatile or stable function or value
	notCacheable  bool // SHOW, EXPLAIN ANALYZE, session commands
	unknownTables bool
	gaveUp        bool // the text is beyond this classifier: assume the worst
	explainOnly   bool // EXPLAIN without ANALYZE: the inner statement does not run
}

// tokRange is the token index range [lo, hi).
type tokRange struct{ lo, hi int32 }

// cteScope is a WITH query's name and the token range where it hides
// relations of the same name.
type cteScope struct{ name, from, to int32 }

// release returns w to the pool, dropping buffers a huge script grew so that
// the pool does not pin them.
func (w *walker) release() {
	const keep = 1 << 12
	if cap(w.toks) > 16*keep {
		w.toks = nil
	}
	if cap(w.stmts) > keep || cap(w.reads) > keep || cap(w.writes) > keep {
		w.stmts, w.reads, w.writes = nil, nil, nil
	}
	w.src = ""
	walkerPool.Put(w)
}

func (w *walker) classify(sql string) Info {
	if len(sql) > maxSQLLen {
		return Info{Writes: true, Session: true}
	}
	if !w.tokenize(sql) || w.unbalanced {
		info := Info{Writes: true, Session: true, Multi: CountStatements(sql) > 1}
		if len(w.toks) > 0 && w.toks[0].kind == tokIdent {
			info.Kind = w.word(0)
		}
		return info
	}
	w.splitStatements()
	w.functions, w.functionsLost = nil, false
	info := Info{TablesKnown: true}
	var readTables, writtenTables []string
	for n, r := range w.stmts {
		w.resetStatement()
		kind, read := w.topStatement(int(r.lo), int(r.hi))
		if w.gaveUp {
			w.wrote, w.unknownTables, w.notReadOnly, w.explainOnly = true, true, true, false
			w.session = true
		}
		info.Session = info.Session || w.session && !w.explainOnly
		writes := w.wrote && !w.explainOnly
		readOnly := read && !w.wrote && !w.notReadOnly && !w.locking
		cacheable := readOnly && !w.volatile && !w.notCacheable
		names := w.reads
		if w.wrote {
			names = w.writes
		}
		complete := true
		if writes {
			writtenTables, complete = w.appendNames(writtenTables, names)
		} else {
			readTables, complete = w.appendNames(readTables, names)
		}
		known := !w.unknownTables && complete
		if n == 0 {
			info.Kind, info.Writes, info.ReadOnly, info.Cacheable = kind, writes, readOnly, cacheable
			info.TablesKnown = known
			continue
		}
		info.Multi, info.Cacheable = true, false
		info.Writes = info.Writes || writes
		info.ReadOnly = info.ReadOnly && readOnly
		info.TablesKnown = info.TablesKnown && known
	}
	if info.Writes {
		info.Tables = writtenTables
	} else {
		info.Tables = readTables
	}
	info.Functions, info.FunctionsComplete = w.functions, !w.functionsLost
	w.functions = nil
	return info
}

func (w *walker) resetStatement() {
	w.reads, w.writes, w.ctes = w.reads[:0], w.writes[:0], w.ctes[:0]
	w.depth = 0
	w.wrote, w.notReadOnly, w.locking, w.volatile, w.session = false, false, false, false, false
	w.notCacheable, w.unknownTables, w.gaveUp, w.explainOnly = false, false, false, false
}

// tokenize lexes sql into w.toks, looking up keywords and pairing
// parentheses. It reports false on a lexical error.
func (w *walker) tokenize(sql string) bool {
	w.src, w.toks, w.unbalanced = sql, w.toks[:0], false
	s := scanner{src: sql}
	open := int32(-1) // innermost unclosed '('; each '(' links to the one outside it through match
	for {
		t := s.next()
		switch t.kind {
		case tokEOF:
			for open >= 0 {
				w.unbalanced = true
				outer := w.toks[open].match
				w.toks[open].match = int32(len(w.toks))
				open = outer
			}
			return true
		case tokError:
			return false
		case tokIdent:
			t.kw = lookupKeyword(sql[t.start:t.end])
		case tokLParen:
			t.match = open
			open = int32(len(w.toks))
		case tokRParen:
			if open < 0 {
				w.unbalanced = true
				break
			}
			outer := w.toks[open].match
			w.toks[open].match = int32(len(w.toks))
			open = outer
		}
		w.toks = append(w.toks, t)
	}
}

// splitStatements cuts w.toks into statements, as SplitStatements does.
func (w *walker) splitStatements() {
	w.stmts = w.stmts[:0]
	var sp stmtSplitter
	lo := 0
	for i, t := range w.toks {
		if sp.endsStatement(t) {
			if i > lo {
				w.stmts = append(w.stmts, tokRange{int32(lo), int32(i)})
			}
			lo, sp = i+1, stmtSplitter{}
		}
	}
	if len(w.toks) > lo {
		w.stmts = append(w.stmts, tokRange{int32(lo), int32(len(w.toks))})
	}
}

// Token helpers. All of them treat indexes at or beyond hi as "nothing".

func (w *walker) kwAt(i, hi int) keyword {
	if i < hi && w.toks[i].kind == tokIdent {
		return w.toks[i].kw
	}
	return kwNone
}

func (w *walker) kindAt(i, hi int) tokKind {
	if i < hi {
		return w.toks[i].kind
	}
	return tokEOF
}

// isWord reports whether token i is the unquoted word lower (not a keyword
// Classify tracks).
func (w *walker) isWord(i, hi int, lower string) bool {
	return i < hi && w.toks[i].kind == tokIdent && strings.EqualFold(w.text(i), lower)
}

func (w *walker) text(i int) string { return w.src[w.toks[i].start:w.toks[i].end] }

// word is token i lower-cased, without allocating for keywords.
func (w *walker) word(i int) string {
	if kw := w.toks[i].kw; kw != kwNone {
		return keywordNames[kw]
	}
	return foldString(w.text(i))
}

// closeOf returns the index of the ')' matching the '(' at i, at most hi.
func (w *walker) closeOf(i, hi int) int {
	return min(int(w.toks[i].match), hi)
}

// enter guards recursion depth; every successful enter is paired with leave.
func (w *walker) enter() bool {
	if w.depth >= maxNesting {
		w.gaveUp = true
		return false
	}
	w.depth++
	return true
}

func (w *walker) leave() { w.depth-- }

// startsQuery reports whether the tokens from i (after any further '(')
// open a query or data-modifying statement.
func (w *walker) startsQuery(i, hi int) bool {
	for i < hi && w.toks[i].kind == tokLParen {
		i++
	}
	return w.kwAt(i, hi).has(flagStartsQuery)
}

// name returns the end of the (possibly qualified) relation name at i.
func (w *walker) name(i, hi int) (int, bool) {
	switch w.kindAt(i, hi) {
	case tokQuotedIdent:
		if w.nameText(i) == "" { // a zero-length identifier is an error
			return i, false
		}
	case tokIdent:
		if w.toks[i].kw.has(flagReserved) {
			return i, false
		}
	default:
		return i, false
	}
	j := i + 1
	for j+1 < hi && w.toks[j].kind == tokDot &&
		(w.toks[j+1].kind == tokIdent || w.toks[j+1].kind == tokQuotedIdent) {
		j += 2
	}
	return j, true
}

func (w *walker) skipIfExists(i, hi int) int {
	if w.kwAt(i, hi) == kwIf && w.kwAt(i+1, hi) == kwExists {
		return i + 2
	}
	return i
}

func (w *walker) skipIfNotExists(i, hi int) int {
	if w.kwAt(i, hi) == kwIf && w.kwAt(i+1, hi) == kwNot && w.kwAt(i+2, hi) == kwExists {
		return i + 3
	}
	return i
}

// skipAlias skips [AS] alias [(columns)] after a relation.
func (w *walker) skipAlias(i, hi int) int {
	switch {
	case w.kwAt(i, hi) == kwAs:
		i++
		if k := w.kindAt(i, hi); k == tokIdent || k == tokQuotedIdent {
			i++
		}
	case w.kindAt(i, hi) == tokQuotedIdent,
		w.kindAt(i, hi) == tokIdent && !w.toks[i].kw.has(flagReserved) && w.toks[i].kw != kwSet:
		i++
	default:
		return i
	}
	if w.kindAt(i, hi) == tokLParen {
		i = w.closeOf(i, hi) + 1
	}
	return i
}

func (w *walker) addRead(lo, hi int) {
	if w.isCTE(lo, hi) {
		return
	}
	w.checkName(lo, hi)
	if volatileRelation(w.nameText(hi - 1)) {
		w.volatile = true
	}
	w.reads = append(w.reads, tokRange{int32(lo), int32(hi)})
}

func (w *walker) addWrite(lo, hi int) {
	w.checkName(lo, hi)
	w.writes = append(w.writes, tokRange{int32(lo), int32(hi)})
}

// checkName gives up on knowing the tables when a name uses U&"…" escapes,
// which are not decoded.
func (w *walker) checkName(lo, hi int) {
	for k := lo; k < hi; k++ {
		if w.toks[k].unicode {
			w.unknownTables = true
		}
	}
}

// nameText is identifier token i without its quotes.
func (w *walker) nameText(i int) string {
	t := w.toks[i]
	s := w.src[t.start:t.end]
	if t.kind != tokQuotedIdent {
		return s
	}
	return s[strings.IndexByte(s, '"')+1 : len(s)-1]
}

// isCTE reports whether the one-part name at lo refers to a WITH query in
// scope rather than to a relation.
func (w *walker) isCTE(lo, hi int) bool {
	if hi-lo != 1 {
		return false
	}
	for _, c := range w.ctes {
		if int(c.from) <= lo && lo < int(c.to) && w.sameIdent(int(c.name), lo) {
			return true
		}
	}
	return false
}

// sameIdent compares two identifiers as PostgreSQL resolves them: unquoted
// ones fold to lower case, quoted ones are exact.
func (w *walker) sameIdent(a, b int) bool {
	ta, tb := w.toks[a], w.toks[b]
	sa, sb := w.nameText(a), w.nameText(b)
	qa, qb := ta.kind == tokQuotedIdent, tb.kind == tokQuotedIdent
	switch {
	case !qa && !qb:
		return equalFoldASCII(sa, sb)
	case qa && qb:
		return sa == sb
	case qa:
		sa, sb = sb, sa // sa unquoted, sb quoted
	}
	if len(sa) != len(sb) {
		return false
	}
	for k := 0; k < len(sa); k++ {
		if lowerASCII(sa[k]) != sb[k] {
			return false
		}
	}
	return true
}

// appendNames appends the names in refs to list, skipping duplicates. It
// reports false when list reached maxTables and names were left out.
func (w *walker) appendNames(list []string, refs []tokRange) ([]string, bool) {
	for _, r := range refs {
		if len(list) == maxTables {
			return list, false
		}
		name := w.nameString(r)
		dup := false
		for _, have := range list {
			if have == name {
				dup = true
				break
			}
		}
		if !dup {
			if list == nil {
				list = make([]string, 0, len(refs))
			}
			list = append(list, name)
		}
	}
	return list, true
}

// nameString renders a relation name: unquoted parts folded to lower case,
// quoted parts exact, joined by dots. When the text already is that, it is
// returned without copying.
func (w *walker) nameString(r tokRange) string {
	lo, hi := int(r.lo), int(r.hi)
	verbatim := true
	for k := lo; k < hi && verbatim; k++ {
		t := w.toks[k]
		verbatim = t.kind != tokQuotedIdent && (k == lo || t.start == w.toks[k-1].end) &&
			!hasUpperASCII(w.src[t.start:t.end])
	}
	if verbatim {
		return w.src[w.toks[lo].start:w.toks[hi-1].end]
	}
	var b strings.Builder
	for k := lo; k < hi; k++ {
		switch t := w.toks[k]; t.kind {
		case tokDot:
			b.WriteByte('.')
		case tokQuotedIdent:
			b.WriteString(strings.ReplaceAll(w.nameText(k), `""`, `"`))
		default:
			for _, c := range []byte(w.text(k)) {
				b.WriteByte(lowerASCII(c))
			}
		}
	}
	return b.String()
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func hasUpperASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return true
		}
	}
	return false
}

func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lowerASCII(a[i]) != lowerASCII(b[i]) {
			return false
		}
	}
	return true
}

// foldString lower-cases ASCII letters, allocating only when there are any.
func foldString(s string) string {
	if !hasUpperASCII(s) {
		return s
	}
	b := []byte(s)
	for i, c := range b {
		b[i] = lowerASCII(c)
	}
	return string(b)
}
