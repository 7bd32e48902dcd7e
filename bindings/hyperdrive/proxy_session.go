package hyperdrive

// One client of the local Hyperdrive, in transaction-mode pooling: the
// client holds a server connection (from the binding's endpoint pools)
// only while a statement outside a transaction runs, or from BEGIN to the
// ReadyForQuery that says the transaction is over ('I'); then the
// connection goes back to the pool through release (session.go: reset, or
// closed when a statement changed the session).
//
// Frontend messages are gathered up to Sync (or Flush) and sent to the
// server as one write; a plan says, for each, what the server answers and
// whether that answer goes to the client (forwarded), is dropped (a
// statement prepared on demand), or is made here (synthesized).
//
// This file: the client's state and its message loop, what it sends back
// (messages, errors), what a statement means for the hold (note), and the
// simple query protocol. The rest of a session: proxy_extended.go (the
// extended protocol and its prepared statements), proxy_exchange.go (one
// round trip to the server, relayed by plan), proxy_hold.go (taking,
// giving back and timing out the server connection), proxy_copy.go (COPY),
// proxy_cache.go (reads answered from the cache).

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/jackc/pgx/v5/pgxpool"

	"edgerun/bindings/hyperdrive/sqlscan"
)

// classify is the statement for sql, classified once per process (the
// binding's LRU of statements, under a key of its own: proxy SQL is never
// rewritten, its placeholders are PostgreSQL's).
func (b *Binding) classify(sql string) *statement {
	key := "\x00wire\x00" + sql
	if st, ok := b.statements.Get(key); ok {
		return st
	}
	info := sqlscan.Classify(sql)
	st := &statement{raw: sql, sql: sql, info: info, pure: pure(info)}
	b.statements.Add(key, st)
	return st
}

type proxyClient struct {
	p      *proxy
	b      *Binding
	conn   net.Conn
	be     *pgproto3.Backend
	pid    uint32
	secret []byte

	stmts        map[string]*clientStmt
	portals      map[string]*clientStmt // during a hold: portal → its statement
	pending      []pgproto3.FrontendMessage
	pendingBytes int
	// skipToSync: an error ended an extended-query sequence that had no
	// Sync yet: messages are dropped until it comes (as the server does).
	skipToSync bool
	out        []byte

	mu      sync.Mutex // srv and running, for cancel
	srv     *pgxpool.Conn
	ep      *endpoint
	running bool

	srvSession, srvDirty bool // what ran during this hold (release)
	txStatus             byte
	wrote                bool // this client wrote: its reads stay on the primary
	pendingWrite         bool // a write ran during this hold: invalidate when it ends
	ddl                  bool

	// What the exchange under way executes, for the slow-query log: the
	// last statement's text and its bound values' count (never the values).
	runSQL    string
	runParams int
	bindCount int // the last Bind's parameter count, taken by its Execute
}

// Bounds of what a client may queue before Sync.
const (
	maxPendingMessages = 10000
	clientFlushBytes   = 64 << 10
)

func (c *proxyClient) run() {
	idleLimit := c.b.cfg.IdleTransactionTimeout
	deadlineSet := false
	for {
		if idleLimit > 0 {
			// Only a client holding a transaction's server connection is
			// timed: others cost the pool nothing while they wait.
			if inTx := c.srv != nil && c.txStatus != 'I'; inTx {
				_ = c.conn.SetReadDeadline(time.Now().Add(idleLimit))
				deadlineSet = true
			} else if deadlineSet {
				_ = c.conn.SetReadDeadline(time.Time{})
				deadlineSet = false
			}
		}
		msg, err := c.be.Receive()
		if err != nil {
			var ne net.Error
			if deadlineSet && errors.As(err, &ne) && ne.Timeout() {
				c.idleTransactionTimeout()
				return
			}
			var big *pgproto3.ExceededMaxBodyLenErr
			if errors.As(err, &big) {
				c.fatal("54000", fmt.Sprintf("message too large: %d bytes (at most %d)", big.ActualBodyLen, big.MaxExpectedBodyLen))
			} else if !isEOF(err) {
				c.fatal("08P01", "invalid frontend message: "+err.Error())
			}
			return
		}
		switch m := msg.(type) {
		case *pgproto3.Query:
			if c.skipToSync {
				continue
			}
			if !c.simpleQuery(m.String) {
				return
			}
		case *pgproto3.Parse, *pgproto3.Bind, *pgproto3.Describe, *pgproto3.Execute, *pgproto3.Close:
			if c.skipToSync {
				continue
			}
			cp, size := copyMessage(m)
			c.pending = append(c.pending, cp)
			c.pendingBytes += size
			if len(c.pending) > maxPendingMessages || c.pendingBytes > c.p.maxClientMessage() {
				c.fatal("54000", "too many messages before Sync")
				return
			}
		case *pgproto3.Sync:
			c.skipToSync = false
			if !c.group(true) {
				return
			}
		case *pgproto3.Flush:
			if c.skipToSync {
				continue
			}
			if !c.group(false) {
				return
			}
		case *pgproto3.Terminate:
			return
		case *pgproto3.CopyData, *pgproto3.CopyDone, *pgproto3.CopyFail:
			// Outside COPY: ignored, as the server ignores them.
		case *pgproto3.FunctionCall:
			c.send(errorResponse("0A000", "the fast-path function call interface is not supported by the local Hyperdrive"))
			c.send(&pgproto3.ReadyForQuery{TxStatus: c.txStatus})
			if c.flush() != nil {
				return
			}
		default:
			c.fatal("08P01", fmt.Sprintf("unexpected message %T", m))
			return
		}
	}
}

func isEOF(err error) bool {
	var ne net.Error
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) || errors.As(err, &ne)
}

// copyMessage copies a message pgproto3 will reuse, and its size.
func copyMessage(m pgproto3.FrontendMessage) (pgproto3.FrontendMessage, int) {
	switch m := m.(type) {
	case *pgproto3.Parse:
		return &pgproto3.Parse{Name: m.Name, Query: m.Query, ParameterOIDs: slices.Clone(m.ParameterOIDs)}, 16 + len(m.Query) + len(m.Name)
	case *pgproto3.Bind:
		cp := &pgproto3.Bind{DestinationPortal: m.DestinationPortal, PreparedStatement: m.PreparedStatement,
			ParameterFormatCodes: slices.Clone(m.ParameterFormatCodes), ResultFormatCodes: slices.Clone(m.ResultFormatCodes),
			Parameters: make([][]byte, len(m.Parameters))}
		size := 32
		for i, v := range m.Parameters {
			if v != nil {
				cp.Parameters[i] = bytes.Clone(v)
			}
			size += 4 + len(v)
		}
		return cp, size
	case *pgproto3.Describe:
		cp := *m
		return &cp, 16
	case *pgproto3.Execute:
		cp := *m
		return &cp, 16
	case *pgproto3.Close:
		cp := *m
		return &cp, 16
	}
	return m, 16
}

func errorResponse(code, msg string) *pgproto3.ErrorResponse {
	return &pgproto3.ErrorResponse{Severity: "ERROR", SeverityUnlocalized: "ERROR", Code: code, Message: msg}
}

// bindingError is a failure of the binding's own (acquire, breaker,
// connection) as the client's ErrorResponse.
func (c *proxyClient) bindingError(err error) *pgproto3.ErrorResponse {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pgErrorResponse(pg)
	}
	e := c.b.wrapError(err, -1)
	code := e.Code
	if code == "" {
		code = CodeConnection
	}
	return errorResponse(code, e.Message)
}

func pgErrorResponse(pg *pgconn.PgError) *pgproto3.ErrorResponse {
	return &pgproto3.ErrorResponse{Severity: pg.Severity, SeverityUnlocalized: pg.SeverityUnlocalized, Code: pg.Code, Message: pg.Message,
		Detail: pg.Detail, Hint: pg.Hint, Position: pg.Position, InternalPosition: pg.InternalPosition, InternalQuery: pg.InternalQuery,
		Where: pg.Where, SchemaName: pg.SchemaName, TableName: pg.TableName, ColumnName: pg.ColumnName, DataTypeName: pg.DataTypeName,
		ConstraintName: pg.ConstraintName, File: pg.File, Line: pg.Line, Routine: pg.Routine}
}

func (c *proxyClient) send(m pgproto3.BackendMessage) {
	out, err := m.Encode(c.out)
	if err == nil {
		c.out = out
	}
}

func (c *proxyClient) flush() error {
	if len(c.out) == 0 {
		return nil
	}
	_, err := c.conn.Write(c.out)
	if cap(c.out) > 1<<20 {
		c.out = nil
	} else {
		c.out = c.out[:0]
	}
	return err
}

func (c *proxyClient) fatal(code, msg string) {
	c.send(&pgproto3.ErrorResponse{Severity: "FATAL", SeverityUnlocalized: "FATAL", Code: code, Message: msg})
	_ = c.flush()
}

// note records what a statement run during this hold means for its
// release and for the cache.
func (c *proxyClient) note(st *statement) {
	c.p.queries.Add(1)
	if st != nil {
		c.runSQL = st.raw
	}
	if st == nil {
		c.srvDirty, c.pendingWrite = true, true
		return
	}
	c.srvSession = c.srvSession || st.info.Session
	c.srvDirty = c.srvDirty || !st.pure
	if st.info.Writes || !st.info.ReadOnly {
		c.pendingWrite, c.wrote = true, true
		if isDDL(st.info.Kind) {
			c.ddl = true
		}
	}
}

// unsupported reports session-only features the proxy refuses (README,
// "The local Hyperdrive"): LISTEN, whose notifications would arrive on a
// server connection the client no longer holds.
func unsupported(st *statement) *pgproto3.ErrorResponse {
	if st.info.Kind == "listen" {
		return errorResponse("0A000", "LISTEN is not supported: the local Hyperdrive pools connections per transaction, as Hyperdrive does (notifications would reach a connection the client no longer holds)")
	}
	return nil
}

// simpleQuery runs a Query message: from the cache when it is a single
// cacheable read outside a transaction, else on a server connection.
func (c *proxyClient) simpleQuery(sql string) bool {
	st := c.b.classify(sql)
	if e := unsupported(st); e != nil {
		c.send(e)
		c.send(&pgproto3.ReadyForQuery{TxStatus: c.txStatus})
		return c.flush() == nil
	}
	if c.srv == nil {
		if handled, ok := c.cachedSimple(st); handled {
			return ok
		}
	}
	if c.srv == nil {
		if err := c.acquire(st, st.info.ReadOnly && !st.info.Multi); err != nil {
			c.send(c.bindingError(err))
			c.send(&pgproto3.ReadyForQuery{TxStatus: 'I'})
			return c.flush() == nil
		}
	}
	c.note(st)
	c.runParams = 0
	wire, _ := (&pgproto3.Query{String: sql}).Encode(nil)
	return c.exchange(wire, []step{{kind: forward, end: 'Q'}})
}
