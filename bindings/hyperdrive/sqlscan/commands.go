package sqlscan

// This file classifies whole statements by their first keyword: queries go
// to query.go; DDL, COPY, EXPLAIN and session commands are handled here.

// topStatement classifies the statement in [lo, hi) and returns its kind and
// whether that kind only reads.
func (w *walker) topStatement(lo, hi int) (kind string, reads bool) {
	if !w.enter() {
		return "", false
	}
	defer w.leave()
	if w.toks[lo].kind == tokLParen {
		return w.queryKind(w.queryStatement(lo, hi))
	}
	if w.toks[lo].kind != tokIdent {
		w.unknownStatement()
		return "", false
	}
	switch kw := w.toks[lo].kw; kw {
	case kwSelect, kwValues, kwTable, kwWith, kwInsert, kwUpdate, kwDelete, kwMerge:
		return w.queryKind(w.queryStatement(lo, hi))
	case kwExplain:
		return "explain", w.explain(lo, hi)
	case kwShow:
		w.notCacheable = true // SHOW reads a setting, like current_setting()
		return "show", true
	case kwCreate:
		w.create(lo, hi)
	case kwAlter:
		w.alter(lo, hi)
	case kwDrop:
		w.drop(lo, hi)
	case kwTruncate:
		w.truncate(lo, hi)
	case kwCopy:
		w.copy(lo, hi)
	case kwRefresh:
		w.refresh(lo, hi)
	case kwLock:
		w.lock(lo, hi)
	case kwDeclare:
		w.declare(lo, hi)
	case kwCommit:
		if w.isWord(lo+1, hi, "prepared") { // COMMIT PREPARED: whatever that transaction did
			w.unknownStatement()
		} else {
			w.sessionCommand()
		}
	case kwSet:
		w.sessionCommand()
		// SET LOCAL, SET TRANSACTION and SET CONSTRAINTS end with the
		// transaction; every other SET outlives it.
		w.session = w.kwAt(lo+1, hi) != kwLocal && !w.isWord(lo+1, hi, "transaction") &&
			!w.isWord(lo+1, hi, "constraints")
	case kwReset, kwDiscard, kwPrepare, kwDeallocate, kwListen, kwLoad:
		// Session state: settings, prepared statements (DEALLOCATE ALL and
		// DISCARD ALL also drop the driver's), notification channels,
		// loaded libraries.
		w.sessionCommand()
		w.session = true
	case kwBegin, kwStart, kwEnd, kwRollback, kwAbort, kwSavepoint, kwRelease, kwUnlisten, kwNotify,
		kwClose, kwCheckpoint, kwVacuum, kwAnalyze, kwAnalyse, kwCluster, kwReindex:
		// Session, transaction and maintenance commands change no data (a
		// prepared statement only runs on EXECUTE), but belong on the
		// primary and are never cached.
		w.sessionCommand()
	case kwFetch, kwMove:
		w.sessionCommand()
		w.unknownTables = true // reads through a cursor declared elsewhere
	default:
		// GRANT, REVOKE, CALL, DO, EXECUTE, COMMENT, SECURITY LABEL, IMPORT
		// FOREIGN SCHEMA, REASSIGN OWNED, and anything unknown.
		w.unknownStatement()
		// A DO block is code that may SET, LISTEN or create temporary
		// tables. (Procedures and functions may too; that is not detected:
		// closing the connection after every call would cost too much.)
		w.session = kw == kwDo
	}
	return w.word(lo), false
}

func (w *walker) queryKind(kw keyword) (string, bool) {
	if kw == kwNone {
		return "", false
	}
	return keywordNames[kw], kw == kwSelect || kw == kwValues || kw == kwTable
}

func (w *walker) unknownStatement() {
	w.wrote, w.notReadOnly, w.unknownTables = true, true, true
}

func (w *walker) sessionCommand() {
	w.notReadOnly, w.notCacheable = true, true
}

// explain: EXPLAIN [(option, …)] statement or EXPLAIN [ANALYZE] [VERBOSE]
// statement. Without ANALYZE the statement is only planned.
func (w *walker) explain(lo, hi int) bool {
	i := lo + 1
	analyze := false
	if w.kindAt(i, hi) == tokLParen {
		end := w.closeOf(i, hi)
		for j := i + 1; j < end; j++ {
			if k := w.kwAt(j, end); (k == kwAnalyze || k == kwAnalyse) &&
				(w.toks[j-1].kind == tokLParen || w.toks[j-1].kind == tokComma) {
				analyze = !w.isFalse(j+1, end)
			}
		}
		i = end + 1
	} else {
		for {
			k := w.kwAt(i, hi)
			if k != kwAnalyze && k != kwAnalyse && k != kwVerbose {
				break
			}
			analyze = analyze || k != kwVerbose
			i++
		}
	}
	if i >= hi {
		w.gaveUp = true
		return false
	}
	_, reads := w.topStatement(i, hi)
	if analyze {
		w.notCacheable = true // the output carries timings
	} else {
		w.explainOnly = true
	}
	return reads
}

// isFalse reports whether token i is an EXPLAIN option value meaning off.
func (w *walker) isFalse(i, hi int) bool {
	switch w.kindAt(i, hi) {
	case tokIdent:
		k := w.toks[i].kw
		return k == kwFalse || k == kwOff
	case tokNumber:
		return w.text(i) == "0"
	}
	return false
}

// create handles the CREATE forms whose relation is known: TABLE (with AS
// query and PARTITION OF), [MATERIALIZED] VIEW, INDEX … ON, SEQUENCE and
// FOREIGN TABLE. Other objects (functions, triggers, types, …) may change
// what any query returns.
func (w *walker) create(lo, hi int) {
	w.wrote = true
	i := lo + 1
	if w.kwAt(i, hi) == kwOr && w.kwAt(i+1, hi) == kwReplace {
		i += 2
	}
	for {
		switch w.kwAt(i, hi) {
		case kwTemp, kwTemporary:
			w.session = true // a temporary object lives as long as the session
			i++
			continue
		case kwUnlogged, kwGlobal, kwLocal, kwUnique, kwRecursive:
			i++
			continue
		}
		break
	}
	if w.isWord(i+1, hi, "pg_temp") && w.kindAt(i+2, hi) == tokDot {
		w.session = true // CREATE TABLE pg_temp.t: temporary too
	}
	switch w.kwAt(i, hi) {
	case kwTable:
		w.createTable(i+1, hi, false)
	case kwForeign:
		if w.kwAt(i+1, hi) != kwTable {
			w.unknownTables = true
			return
		}
		w.createTable(i+2, hi, false)
	case kwMaterialized:
		if w.kwAt(i+1, hi) != kwView {
			w.unknownTables = true
			return
		}
		w.createTable(i+2, hi, true)
	case kwView:
		// The view's query is stored, not run.
		if end, ok := w.name(i+1, hi); ok {
			w.addWrite(i+1, end)
		} else {
			w.unknownTables = true
		}
	case kwIndex:
		i++
		if w.kwAt(i, hi) == kwConcurrently {
			i++
		}
		i = w.skipIfNotExists(i, hi)
		if w.kwAt(i, hi) != kwOn {
			i, _ = w.name(i, hi) // the index's own name
		}
		if w.kwAt(i, hi) != kwOn {
			w.unknownTables = true
			return
		}
		if _, ok := w.writeTarget(i+1, hi); !ok {
			w.unknownTables = true
		}
	case kwSequence:
		i = w.skipIfNotExists(i+1, hi)
		if end, ok := w.name(i, hi); ok {
			w.addWrite(i, end)
		} else {
			w.unknownTables = true
		}
	default:
		w.unknownTables = true
	}
}

// createTable handles what follows CREATE [FOREIGN] TABLE or CREATE
// MATERIALIZED VIEW: [IF NOT EXISTS] name [PARTITION OF parent] […] [AS query].
// The query of CREATE TABLE AS and of a materialized view runs now.
func (w *walker) createTable(i, hi int, asQueryOnly bool) {
	i = w.skipIfNotExists(i, hi)
	end, ok := w.name(i, hi)
	if !ok {
		w.unknownTables = true
		return
	}
	w.addWrite(i, end)
	i = end
	if !asQueryOnly && w.kwAt(i, hi) == kwPartition && w.kwAt(i+1, hi) == kwOf {
		// The parent's reads now include the partition's rows.
		if pend, ok := w.name(i+2, hi); ok {
			w.addWrite(i+2, pend)
		} else {
			w.unknownTables = true
		}
	}
	for j := i; j < hi; j++ {
		switch {
		case w.toks[j].kind == tokLParen:
			j = w.closeOf(j, hi) // column definitions, storage options
		case w.kwAt(j, hi) == kwAs:
			if w.isWord(j+1, hi, "execute") {
				w.unknownTables = true
				return
			}
			w.queryStatement(j+1, hi)
			return
		}
	}
}

// alter handles ALTER TABLE / VIEW / SEQUENCE / MATERIALIZED VIEW / FOREIGN
// TABLE name …, including RENAME TO and ATTACH/DETACH PARTITION.
func (w *walker) alter(lo, hi int) {
	w.wrote = true
	i, ok := w.relationKind(lo+1, hi)
	if !ok {
		w.unknownTables = true
		return
	}
	i = w.skipIfExists(i, hi)
	if w.kwAt(i, hi) == kwAll { // ALTER TABLE ALL IN TABLESPACE
		w.unknownTables = true
		return
	}
	if _, ok := w.writeTarget(i, hi); !ok {
		w.unknownTables = true
		return
	}
	for j := i; j < hi; j++ {
		switch k := w.kwAt(j, hi); {
		case k == kwRename && w.kwAt(j+1, hi) == kwTo,
			(k == kwAttach || k == kwDetach) && w.kwAt(j+1, hi) == kwPartition:
			if end, ok := w.name(j+2, hi); ok {
				w.addWrite(j+2, end)
			} else {
				w.unknownTables = true
			}
		case k == kwSet && w.isWord(j+1, hi, "schema"):
			w.unknownTables = true // the relation moves to a name we cannot spell here
		}
	}
}

// relationKind reads the kind after ALTER / DROP — TABLE, VIEW, SEQUENCE,
// MATERIALIZED VIEW or FOREIGN TABLE — and returns the position after it;
// ok is false for any other object.
func (w *walker) relationKind(i, hi int) (next int, ok bool) {
	switch w.kwAt(i, hi) {
	case kwTable, kwView, kwSequence:
		return i + 1, true
	case kwMaterialized:
		return i + 2, w.kwAt(i+1, hi) == kwView
	case kwForeign:
		return i + 2, w.kwAt(i+1, hi) == kwTable
	}
	return i, false
}

// drop handles DROP TABLE / VIEW / SEQUENCE / MATERIALIZED VIEW / FOREIGN
// TABLE [IF EXISTS] name, … [CASCADE | RESTRICT]. CASCADE also drops
// dependent objects we cannot see.
func (w *walker) drop(lo, hi int) {
	w.wrote = true
	i, ok := w.relationKind(lo+1, hi)
	if !ok {
		w.unknownTables = true
		return
	}
	i = w.nameList(w.skipIfExists(i, hi), hi, true)
	w.checkCascade(i, hi)
}

// truncate: TRUNCATE [TABLE] [ONLY] name [*], … [RESTART|CONTINUE IDENTITY]
// [CASCADE|RESTRICT].
func (w *walker) truncate(lo, hi int) {
	w.wrote = true
	i := lo + 1
	if w.kwAt(i, hi) == kwTable {
		i++
	}
	w.checkCascade(w.nameList(i, hi, true), hi)
}

// nameList records [ONLY] name [*], … from i as written (or read) relations
// and returns the index after the list.
func (w *walker) nameList(i, hi int, written bool) int {
	for {
		if w.kwAt(i, hi) == kwOnly {
			i++
		}
		end, ok := w.name(i, hi)
		if !ok {
			w.unknownTables = true
			return i
		}
		if written {
			w.addWrite(i, end)
		} else {
			w.addRead(i, end)
		}
		i = end
		if w.kindAt(i, hi) == tokStar {
			i++
		}
		if w.kindAt(i, hi) != tokComma {
			return i
		}
		i++
	}
}

func (w *walker) checkCascade(i, hi int) {
	for ; i < hi; i++ {
		if w.kwAt(i, hi) == kwCascade {
			w.unknownTables = true
		}
	}
}

// copy: COPY name [(columns)] FROM … writes; COPY name TO … and
// COPY (query) TO … read, but are not plain queries.
func (w *walker) copy(lo, hi int) {
	i := lo + 1
	if w.kindAt(i, hi) == tokLParen {
		w.notReadOnly, w.notCacheable = true, true
		end := w.closeOf(i, hi)
		w.queryStatement(i+1, end)
		return
	}
	end, ok := w.name(i, hi)
	if !ok {
		w.unknownStatement()
		return
	}
	j := end
	if w.kindAt(j, hi) == tokLParen {
		j = w.closeOf(j, hi) + 1
	}
	if w.kwAt(j, hi) == kwFrom {
		w.wrote = true
		w.addWrite(i, end)
		return
	}
	w.notReadOnly, w.notCacheable = true, true
	w.addRead(i, end)
}

// refresh: REFRESH MATERIALIZED VIEW [CONCURRENTLY] name [WITH [NO] DATA].
func (w *walker) refresh(lo, hi int) {
	w.wrote = true
	i := lo + 1
	if w.kwAt(i, hi) != kwMaterialized || w.kwAt(i+1, hi) != kwView {
		w.unknownTables = true
		return
	}
	i += 2
	if w.kwAt(i, hi) == kwConcurrently {
		i++
	}
	if end, ok := w.name(i, hi); ok {
		w.addWrite(i, end)
	} else {
		w.unknownTables = true
	}
}

// lock: LOCK [TABLE] [ONLY] name [*], … [IN mode MODE] [NOWAIT].
func (w *walker) lock(lo, hi int) {
	w.sessionCommand()
	i := lo + 1
	if w.kwAt(i, hi) == kwTable {
		i++
	}
	w.nameList(i, hi, false)
}

// declare: DECLARE name … CURSOR … FOR query. The query runs as rows are
// fetched, inside the transaction.
func (w *walker) declare(lo, hi int) {
	w.sessionCommand()
	for i := lo + 1; i < hi; i++ {
		if w.isWord(i, hi, "hold") && w.kwAt(i-1, hi) == kwWith {
			w.session = true // a holdable cursor outlives the transaction
		}
		if w.kwAt(i, hi) == kwFor {
			w.queryStatement(i+1, hi)
			return
		}
	}
	w.unknownTables = true
}
