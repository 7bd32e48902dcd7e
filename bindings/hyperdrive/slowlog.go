package hyperdrive

// The recent slow statements, for the admin dashboard: a small ring fed
// where a statement finishes (runOn), holding the statement's shape only.

import (
	"fmt"
	"sync"
	"time"
	"unicode/utf8"

	"edgerun/bindings/hyperdrive/sqlscan"
)

// SlowLogSize is how many slow statements a binding keeps: enough to see
// which statements are slow, small enough that holding them costs nothing.
const SlowLogSize = 32

// slowSQLMax bounds the text kept of one statement (in bytes, cut at a
// character boundary).
const slowSQLMax = 300

// noteSlow logs and keeps a statement that ran longer than slow_query_ms.
// via says which front door ran it: "binding" (prepare()) or "proxy" (a
// driver through the local Hyperdrive; there d covers the whole exchange
// the statement was sent in, as the proxy's query metric does). The log line
// gets the same redacted shape as the dashboard: a literal in the SQL text
// can be as secret as a bound value.
func (b *Binding) noteSlow(start time.Time, d time.Duration, sql string, params int, endpoint, via string) {
	if d <= b.cfg.SlowQuery {
		return
	}
	shape := sqlscan.Redact(sql)
	b.cfg.Log.Warn("slow query", "binding", b.cfg.Name, "via", via, "duration_ms", d.Milliseconds(), "sql", cut(shape, 200), "params", fmt.Sprintf("[%d redacted]", params))
	b.slow.add(SlowQuery{At: start.Add(d), Duration: d, SQL: shape, Params: params, Endpoint: endpoint, Via: via})
}

// SlowQuery is one statement that took longer than Config.SlowQuery.
type SlowQuery struct {
	At       time.Time     // when it finished
	Duration time.Duration // acquire and execution, as the slow-query log line measures it
	// SQL is the statement's text as sqlscan.Redact leaves it: constants
	// and comments removed, placeholders kept. Bound values are never
	// kept; Params counts them.
	SQL      string
	Params   int
	Endpoint string // the endpoint that ran it (primary, replica-1, fallback)
	Via      string // "binding" (prepare()) or "proxy" (a driver through the local Hyperdrive)
}

// slowLog is a ring of the last SlowLogSize slow statements. Adding takes a
// mutex, and only slow statements add, so the fast path never touches it.
type slowLog struct {
	mu    sync.Mutex
	ring  [SlowLogSize]SlowQuery
	added int // statements added since start; ring[(added-1)%SlowLogSize] is the newest
}

// add keeps q; q.SQL must already be redacted (sqlscan.Redact).
func (l *slowLog) add(q SlowQuery) {
	q.SQL = cut(q.SQL, slowSQLMax)
	l.mu.Lock()
	l.ring[l.added%SlowLogSize] = q
	l.added++
	l.mu.Unlock()
}

// list returns the kept statements, newest first, and how many were added
// since start (older ones have left the ring).
func (l *slowLog) list() ([]SlowQuery, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := min(l.added, SlowLogSize)
	out := make([]SlowQuery, n)
	for i := range n {
		out[i] = l.ring[(l.added-1-i)%SlowLogSize]
	}
	return out, l.added
}

// SlowQueries returns the binding's last slow statements (at most
// SlowLogSize), newest first, and how many it has seen since it opened.
func (b *Binding) SlowQueries() ([]SlowQuery, int) { return b.slow.list() }

// cut shortens s to at most n bytes without splitting a character, marking
// the cut with an ellipsis.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}
