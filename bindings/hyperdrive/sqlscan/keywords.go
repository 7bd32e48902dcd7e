package sqlscan

// keyword is a SQL word Classify acts on: an index into keywordNames, or
// kwNone for any other identifier.
type keyword uint8

const (
	kwNone keyword = iota
	kwAbort
	kwAll
	kwAlter
	kwAnalyse
	kwAnalyze
	kwAnd
	kwAny
	kwArray
	kwAs
	kwAsc
	kwAsymmetric
	kwAttach
	kwAuthorization
	kwBegin
	kwBetween
	kwBinary
	kwBoth
	kwBy
	kwCall
	kwCascade
	kwCase
	kwCast
	kwCheck
	kwCheckpoint
	kwClose
	kwCluster
	kwCollate
	kwCollation
	kwColumn
	kwComment
	kwCommit
	kwConcurrently
	kwConflict
	kwConstraint
	kwCopy
	kwCreate
	kwCross
	kwCurrentCatalog
	kwCurrentDate
	kwCurrentRole
	kwCurrentSchema
	kwCurrentTime
	kwCurrentTimestamp
	kwCurrentUser
	kwCycle
	kwDeallocate
	kwDeclare
	kwDefault
	kwDeferrable
	kwDelete
	kwDesc
	kwDetach
	kwDiscard
	kwDistinct
	kwDo
	kwDrop
	kwElse
	kwEnd
	kwExcept
	kwExecute
	kwExists
	kwExplain
	kwFalse
	kwFetch
	kwFilter
	kwFor
	kwForeign
	kwFreeze
	kwFrom
	kwFull
	kwFunction
	kwGlobal
	kwGrant
	kwGroup
	kwHaving
	kwIf
	kwIlike
	kwImport
	kwIn
	kwIndex
	kwInitially
	kwInner
	kwInsert
	kwIntersect
	kwInto
	kwIs
	kwIsnull
	kwJoin
	kwKey
	kwLateral
	kwLeading
	kwLeft
	kwLike
	kwLimit
	kwListen
	kwLoad
	kwLocal
	kwLocaltime
	kwLocaltimestamp
	kwLock
	kwMaterialized
	kwMerge
	kwMove
	kwNatural
	kwNo
	kwNot
	kwNotify
	kwNotnull
	kwNull
	kwOf
	kwOff
	kwOffset
	kwOn
	kwOnly
	kwOr
	kwOrder
	kwOrdinality
	kwOuter
	kwOver
	kwOverlaps
	kwPartition
	kwPlacing
	kwPrepare
	kwPrimary
	kwProcedure
	kwReassign
	kwRecursive
	kwReferences
	kwRefresh
	kwReindex
	kwRelease
	kwRename
	kwReplace
	kwReset
	kwReturning
	kwRevoke
	kwRight
	kwRollback
	kwRow
	kwRows
	kwSavepoint
	kwSearch
	kwSecurity
	kwSelect
	kwSequence
	kwSessionUser
	kwSet
	kwSets
	kwShare
	kwShow
	kwSimilar
	kwSome
	kwStart
	kwSymmetric
	kwSystemUser
	kwTable
	kwTablesample
	kwTemp
	kwTemporary
	kwThen
	kwTo
	kwTrailing
	kwTrue
	kwTruncate
	kwUnion
	kwUnique
	kwUnlisten
	kwUnlogged
	kwUpdate
	kwUser
	kwUsing
	kwVacuum
	kwValues
	kwVariadic
	kwVerbose
	kwView
	kwWhen
	kwWhere
	kwWindow
	kwWith
	kwCount
)

var keywordNames = [kwCount]string{
	kwAbort:            "abort",
	kwAll:              "all",
	kwAlter:            "alter",
	kwAnalyse:          "analyse",
	kwAnalyze:          "analyze",
	kwAnd:              "and",
	kwAny:              "any",
	kwArray:            "array",
	kwAs:               "as",
	kwAsc:              "asc",
	kwAsymmetric:       "asymmetric",
	kwAttach:           "attach",
	kwAuthorization:    "authorization",
	kwBegin:            "begin",
	kwBetween:          "between",
	kwBinary:           "binary",
	kwBoth:             "both",
	kwBy:               "by",
	kwCall:             "call",
	kwCascade:          "cascade",
	kwCase:             "case",
	kwCast:             "cast",
	kwCheck:            "check",
	kwCheckpoint:       "checkpoint",
	kwClose:            "close",
	kwCluster:          "cluster",
	kwCollate:          "collate",
	kwCollation:        "collation",
	kwColumn:           "column",
	kwComment:          "comment",
	kwCommit:           "commit",
	kwConcurrently:     "concurrently",
	kwConflict:         "conflict",
	kwConstraint:       "constraint",
	kwCopy:             "copy",
	kwCreate:           "create",
	kwCross:            "cross",
	kwCurrentCatalog:   "current_catalog",
	kwCurrentDate:      "current_date",
	kwCurrentRole:      "current_role",
	kwCurrentSchema:    "current_schema",
	kwCurrentTime:      "current_time",
	kwCurrentTimestamp: "current_timestamp",
	kwCurrentUser:      "current_user",
	kwCycle:            "cycle",
	kwDeallocate:       "deallocate",
	kwDeclare:          "declare",
	kwDefault:          "default",
	kwDeferrable:       "deferrable",
	kwDelete:           "delete",
	kwDesc:             "desc",
	kwDetach:           "detach",
	kwDiscard:          "discard",
	kwDistinct:         "distinct",
	kwDo:               "do",
	kwDrop:             "drop",
	kwElse:             "else",
	kwEnd:              "end",
	kwExcept:           "except",
	kwExecute:          "execute",
	kwExists:           "exists",
	kwExplain:          "explain",
	kwFalse:            "false",
	kwFetch:            "fetch",
	kwFilter:           "filter",
	kwFor:              "for",
	kwForeign:          "foreign",
	kwFreeze:           "freeze",
	kwFrom:             "from",
	kwFull:             "full",
	kwFunction:         "function",
	kwGlobal:           "global",
	kwGrant:            "grant",
	kwGroup:            "group",
	kwHaving:           "having",
	kwIf:               "if",
	kwIlike:            "ilike",
	kwImport:           "import",
	kwIn:               "in",
	kwIndex:            "index",
	kwInitially:        "initially",
	kwInner:            "inner",
	kwInsert:           "insert",
	kwIntersect:        "intersect",
	kwInto:             "into",
	kwIs:               "is",
	kwIsnull:           "isnull",
	kwJoin:             "join",
	kwKey:              "key",
	kwLateral:          "lateral",
	kwLeading:          "leading",
	kwLeft:             "left",
	kwLike:             "like",
	kwLimit:            "limit",
	kwListen:           "listen",
	kwLoad:             "load",
	kwLocal:            "local",
	kwLocaltime:        "localtime",
	kwLocaltimestamp:   "localtimestamp",
	kwLock:             "lock",
	kwMaterialized:     "materialized",
	kwMerge:            "merge",
	kwMove:             "move",
	kwNatural:          "natural",
	kwNo:               "no",
	kwNot:              "not",
	kwNotify:           "notify",
	kwNotnull:          "notnull",
	kwNull:             "null",
	kwOf:               "of",
	kwOff:              "off",
	kwOffset:           "offset",
	kwOn:               "on",
	kwOnly:             "only",
	kwOr:               "or",
	kwOrder:            "order",
	kwOrdinality:       "ordinality",
	kwOuter:            "outer",
	kwOver:             "over",
	kwOverlaps:         "overlaps",
	kwPartition:        "partition",
	kwPlacing:          "placing",
	kwPrepare:          "prepare",
	kwPrimary:          "primary",
	kwProcedure:        "procedure",
	kwReassign:         "reassign",
	kwRecursive:        "recursive",
	kwReferences:       "references",
	kwRefresh:          "refresh",
	kwReindex:          "reindex",
	kwRelease:          "release",
	kwRename:           "rename",
	kwReplace:          "replace",
	kwReset:            "reset",
	kwReturning:        "returning",
	kwRevoke:           "revoke",
	kwRight:            "right",
	kwRollback:         "rollback",
	kwRow:              "row",
	kwRows:             "rows",
	kwSavepoint:        "savepoint",
	kwSearch:           "search",
	kwSecurity:         "security",
	kwSelect:           "select",
	kwSequence:         "sequence",
	kwSessionUser:      "session_user",
	kwSet:              "set",
	kwSets:             "sets",
	kwShare:            "share",
	kwShow:             "show",
	kwSimilar:          "similar",
	kwSome:             "some",
	kwStart:            "start",
	kwSymmetric:        "symmetric",
	kwSystemUser:       "system_user",
	kwTable:            "table",
	kwTablesample:      "tablesample",
	kwTemp:             "temp",
	kwTemporary:        "temporary",
	kwThen:             "then",
	kwTo:               "to",
	kwTrailing:         "trailing",
	kwTrue:             "true",
	kwTruncate:         "truncate",
	kwUnion:            "union",
	kwUnique:           "unique",
	kwUnlisten:         "unlisten",
	kwUnlogged:         "unlogged",
	kwUpdate:           "update",
	kwUser:             "user",
	kwUsing:            "using",
	kwVacuum:           "vacuum",
	kwValues:           "values",
	kwVariadic:         "variadic",
	kwVerbose:          "verbose",
	kwView:             "view",
	kwWhen:             "when",
	kwWhere:            "where",
	kwWindow:           "window",
	kwWith:             "with",
}

// Keyword properties Classify relies on.
const (
	// flagReserved words cannot be a bare table name or alias (PostgreSQL's
	// reserved and type_func_name keywords).
	flagReserved uint8 = 1 << iota
	// flagNotCall words may precede "(" without being a function call:
	// IN (…), EXISTS (…), OVER (…), VALUES (…).
	flagNotCall
	// flagValueFunc words are SQL value functions, called without
	// parentheses, whose value changes between executions (CURRENT_DATE).
	flagValueFunc
	// flagStartsQuery words open a query or DML statement inside "(".
	flagStartsQuery
)

var keywordFlags = func() (f [kwCount]uint8) {
	set := func(flag uint8, words ...keyword) {
		for _, w := range words {
			f[w] |= flag
		}
	}
	set(flagReserved, kwAll, kwAnalyse, kwAnalyze, kwAnd, kwAny, kwArray, kwAs, kwAsc, kwAsymmetric,
		kwAuthorization, kwBinary, kwBoth, kwCase, kwCast, kwCheck, kwCollate, kwCollation, kwColumn,
		kwConcurrently, kwConstraint, kwCreate, kwCross, kwCurrentCatalog, kwCurrentDate, kwCurrentRole,
		kwCurrentSchema, kwCurrentTime, kwCurrentTimestamp, kwCurrentUser, kwDefault, kwDeferrable, kwDesc,
		kwDistinct, kwDo, kwElse, kwEnd, kwExcept, kwFalse, kwFetch, kwFor, kwForeign, kwFreeze, kwFrom,
		kwFull, kwGrant, kwGroup, kwHaving, kwIlike, kwIn, kwInitially, kwInner, kwIntersect, kwInto, kwIs,
		kwIsnull, kwJoin, kwLateral, kwLeading, kwLeft, kwLike, kwLimit, kwLocaltime, kwLocaltimestamp,
		kwNatural, kwNot, kwNotnull, kwNull, kwOffset, kwOn, kwOnly, kwOr, kwOrder, kwOuter, kwOverlaps,
		kwPlacing, kwPrimary, kwReferences, kwReturning, kwRight, kwSelect, kwSessionUser, kwSimilar, kwSome,
		kwSymmetric, kwSystemUser, kwTable, kwTablesample, kwThen, kwTo, kwTrailing, kwTrue, kwUnion,
		kwUnique, kwUser, kwUsing, kwVariadic, kwVerbose, kwWhen, kwWhere, kwWindow, kwWith)
	// Only words that cannot name a function here: user functions called
	// range(…) or key(…) must still count as calls.
	set(flagNotCall, kwAll, kwAnd, kwAny, kwArray, kwAs, kwBetween, kwBy, kwCase, kwCheck, kwConflict,
		kwDefault, kwDelete, kwDistinct, kwDo, kwElse, kwExcept, kwExists, kwFilter, kwFor, kwFrom,
		kwGroup, kwHaving, kwIlike, kwIn, kwInsert, kwIntersect, kwInto, kwIs, kwJoin, kwLateral,
		kwLike, kwLimit, kwMerge, kwNot, kwOffset, kwOn, kwOnly, kwOr, kwOrder, kwOver, kwOverlaps, kwPrimary,
		kwReferences, kwReturning, kwRow, kwSelect, kwSet, kwSets, kwSimilar, kwSome, kwTable,
		kwTablesample, kwThen, kwUnion, kwUnique, kwUpdate, kwUsing, kwValues, kwWhen, kwWhere,
		kwWindow, kwWith)
	set(flagValueFunc|flagNotCall, kwCurrentCatalog, kwCurrentDate, kwCurrentRole, kwCurrentSchema,
		kwCurrentTime, kwCurrentTimestamp, kwCurrentUser, kwLocaltime, kwLocaltimestamp, kwSessionUser,
		kwSystemUser, kwUser)
	set(flagStartsQuery, kwSelect, kwValues, kwWith, kwTable, kwInsert, kwUpdate, kwDelete, kwMerge)
	return f
}()

func (k keyword) has(flag uint8) bool { return keywordFlags[k]&flag != 0 }

// keywordBuckets groups the keywords by length and first letter, so that a
// lookup compares an identifier with a handful of candidates at most.
var keywordBuckets = func() (b [maxKeywordLen + 1][26][]keyword) {
	for k := kwNone + 1; k < kwCount; k++ {
		name := keywordNames[k]
		b[len(name)][name[0]-'a'] = append(b[len(name)][name[0]-'a'], k)
	}
	return b
}()

const maxKeywordLen = len("current_timestamp")

// lookupKeyword returns the keyword an unquoted identifier spells, or kwNone.
func lookupKeyword(word string) keyword {
	if len(word) == 0 || len(word) > maxKeywordLen {
		return kwNone
	}
	first := lowerASCII(word[0]) - 'a'
	if first >= 26 {
		return kwNone
	}
	for _, k := range keywordBuckets[len(word)][first] {
		name := keywordNames[k]
		i := 1
		for i < len(word) && lowerASCII(word[i]) == name[i] {
			i++
		}
		if i == len(word) {
			return k
		}
	}
	return kwNone
}
