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
// statement prepared on demand), or is made here (synthesized). Named
// prepared statements are the client's (stmts) and are prepared on
// whichever server connection runs them, under a name derived from their
// text and parameter types, remembered per server connection (PgBouncer
// ≥ 1.21's approach); Close of a named statement only forgets it.

import (
	"bytes"
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/hex"
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
	"github.com/sony/gobreaker/v2"

	"edgerun/bindings/hyperdrive/sqlscan"
)

// clientStmt is a statement a client prepared (Parse).
type clientStmt struct {
	name   string // the client's name; "" for the unnamed statement
	sql    string
	oids   []uint32
	server string // its name on server connections ("" when unnamed)
	st     *statement
}

// serverStmts is what one server connection has prepared for proxy
// clients, kept in its pgconn's CustomData: it lives exactly as long as
// the server session.
type serverStmts struct {
	names map[string]*list.Element
	lru   *list.List // front: most recently used
	// unnamed is the client statement the server's unnamed statement
	// holds, during one client's hold of the connection only (prepare()
	// uses unnamed statements too): cleared at every acquire.
	unnamed *clientStmt
}

// maxServerStatements bounds the statements prepared per server
// connection (PgBouncer's max_prepared_statements); the least recently
// used is closed past it.
const maxServerStatements = 200

const serverStmtsKey = "edgerun.proxy.statements"

func serverStmtsOf(conn *pgxpool.Conn) *serverStmts {
	data := conn.Conn().PgConn().CustomData()
	if ss, ok := data[serverStmtsKey].(*serverStmts); ok {
		return ss
	}
	ss := &serverStmts{names: map[string]*list.Element{}, lru: list.New()}
	data[serverStmtsKey] = ss
	return ss
}

func (ss *serverStmts) has(name string) bool {
	e, ok := ss.names[name]
	if ok {
		ss.lru.MoveToFront(e)
	}
	return ok
}

func (ss *serverStmts) add(name string) { ss.names[name] = ss.lru.PushFront(name) }

func (ss *serverStmts) remove(name string) {
	if e, ok := ss.names[name]; ok {
		ss.lru.Remove(e)
		delete(ss.names, name)
	}
}

// serverName is a statement's name on server connections: the same text
// and parameter types share one server statement, whichever client
// prepared it.
func serverName(sql string, oids []uint32) string {
	h := sha256.New()
	h.Write([]byte(sql))
	for _, o := range oids {
		h.Write([]byte{0, byte(o >> 24), byte(o >> 16), byte(o >> 8), byte(o)})
	}
	return "edgerun_" + hex.EncodeToString(h.Sum(nil)[:12])
}

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

// idleTransactionTimeout ends a client idle in a transaction past
// IdleTransactionTimeout: the transaction is rolled back and its server
// connection goes back to the pool (closed if the rollback fails), and the
// client gets PgBouncer's error.
func (c *proxyClient) idleTransactionTimeout() {
	c.p.idleTimeouts.Add(1)
	broken := true
	if c.srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), c.b.cfg.QueryTimeout)
		_, err := c.srv.Conn().PgConn().Exec(ctx, "ROLLBACK").ReadAll()
		cancel()
		if err == nil {
			c.txStatus, broken = c.srv.Conn().PgConn().TxStatus(), false
		}
	}
	c.releaseServer(broken)
	_ = c.conn.SetWriteDeadline(time.Now().Add(time.Second))
	c.fatal("08P01", "idle transaction timeout")
}

func isEOF(err error) bool {
	var ne net.Error
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) || errors.As(err, &ne)
}

func isBreakerRefusal(err error) bool {
	return errors.Is(err, gobreaker.ErrOpenState) || errors.Is(err, gobreaker.ErrTooManyRequests)
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

// step is one frontend message's part in the server's answer.
type step struct {
	kind  stepKind
	end   byte // what ends its answer: 'P' Parse, 'B' Bind, 'D' Describe, 'E' Execute, 'C' Close, 'S' Sync, 'Q' Query
	synth pgproto3.BackendMessage
	// failed runs when an error means the message did not take effect (an
	// earlier one failed, or it did).
	failed func()
}

type stepKind uint8

const (
	forward stepKind = iota
	swallow
	synthesized
)

func ends(end byte, m pgproto3.BackendMessage) bool {
	switch m.(type) {
	case *pgproto3.ParseComplete:
		return end == 'P'
	case *pgproto3.BindComplete:
		return end == 'B'
	case *pgproto3.RowDescription, *pgproto3.NoData:
		return end == 'D'
	case *pgproto3.CommandComplete, *pgproto3.EmptyQueryResponse, *pgproto3.PortalSuspended:
		return end == 'E'
	case *pgproto3.CloseComplete:
		return end == 'C'
	}
	return false
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

// group runs the queued extended-query messages, ended by Sync (sync) or
// Flush.
func (c *proxyClient) group(sync bool) bool {
	msgs := c.pending
	c.pending, c.pendingBytes = nil, 0
	c.runSQL = "" // set by the group's Execute, if it has one
	ownSync := !sync && c.srv == nil && describesOnly(msgs)
	if sync && c.srv == nil {
		if handled, ok := c.cachedExtended(msgs); handled {
			return ok
		}
	}
	if c.srv == nil {
		if len(msgs) == 0 && sync {
			c.send(&pgproto3.ReadyForQuery{TxStatus: c.txStatus})
			return c.flush() == nil
		}
		st, replicasOK := c.routeOf(msgs)
		if err := c.acquire(st, replicasOK); err != nil {
			c.send(c.bindingError(err))
			if sync {
				c.send(&pgproto3.ReadyForQuery{TxStatus: 'I'})
			} else {
				c.skipToSync = true
			}
			return c.flush() == nil
		}
	}
	ss := serverStmtsOf(c.srv)
	var wire []byte
	var plan []step
	put := func(m pgproto3.FrontendMessage, s step) {
		wire, _ = m.Encode(wire)
		plan = append(plan, s)
	}
	ensure := func(cs *clientStmt) {
		if cs.name == "" {
			if ss.unnamed != cs {
				put(&pgproto3.Parse{Query: cs.sql, ParameterOIDs: cs.oids}, step{kind: swallow, end: 'P', failed: func() { ss.unnamed = nil }})
				ss.unnamed = cs
			}
			return
		}
		if ss.has(cs.server) {
			return
		}
		for len(ss.names) >= maxServerStatements {
			oldest := ss.lru.Back().Value.(string)
			ss.remove(oldest)
			put(&pgproto3.Close{ObjectType: 'S', Name: oldest}, step{kind: swallow, end: 'C'})
		}
		name := cs.server
		ss.add(name)
		put(&pgproto3.Parse{Name: name, Query: cs.sql, ParameterOIDs: cs.oids}, step{kind: swallow, end: 'P', failed: func() { ss.remove(name) }})
	}
	if c.portals == nil {
		c.portals = map[string]*clientStmt{}
	}
	refused := false // a synthesized error: nothing more is sent before Sync
	refuse := func(e *pgproto3.ErrorResponse) {
		plan = append(plan, step{kind: synthesized, synth: e})
		refused = true
	}
	for _, m := range msgs {
		if refused {
			break
		}
		switch m := m.(type) {
		case *pgproto3.Parse:
			if _, exists := c.stmts[m.Name]; exists && m.Name != "" {
				refuse(errorResponse("42P05", fmt.Sprintf("prepared statement %q already exists", m.Name)))
				continue
			}
			cs := &clientStmt{name: m.Name, sql: m.Query, oids: m.ParameterOIDs, st: c.b.classify(m.Query)}
			c.stmts[m.Name] = cs
			forget := func() {
				if c.stmts[cs.name] == cs {
					delete(c.stmts, cs.name)
				}
			}
			if m.Name == "" {
				ss.unnamed = cs
				put(m, step{kind: forward, end: 'P', failed: func() { forget(); ss.unnamed = nil }})
				continue
			}
			cs.server = serverName(m.Query, m.ParameterOIDs)
			if ss.has(cs.server) {
				plan = append(plan, step{kind: synthesized, synth: &pgproto3.ParseComplete{}, failed: forget})
				continue
			}
			ensure(cs)
			plan[len(plan)-1].kind = forward // the client's own Parse: its answer is the client's
			prev := plan[len(plan)-1].failed
			plan[len(plan)-1].failed = func() { prev(); forget() }
		case *pgproto3.Bind:
			cs := c.stmts[m.PreparedStatement]
			if cs == nil {
				refuse(noStatement(m.PreparedStatement))
				continue
			}
			ensure(cs)
			b := *m
			b.PreparedStatement = cs.server
			c.portals[m.DestinationPortal] = cs
			c.bindCount = len(m.Parameters)
			put(&b, step{kind: forward, end: 'B'})
		case *pgproto3.Describe:
			if m.ObjectType == 'S' {
				cs := c.stmts[m.Name]
				if cs == nil {
					refuse(noStatement(m.Name))
					continue
				}
				ensure(cs)
				put(&pgproto3.Describe{ObjectType: 'S', Name: cs.server}, step{kind: forward, end: 'D'})
			} else {
				put(m, step{kind: forward, end: 'D'})
			}
		case *pgproto3.Execute:
			cs := c.portals[m.Portal]
			var st *statement
			if cs != nil {
				st = c.b.resolve(context.Background(), cs.st)
				if e := unsupported(st); e != nil {
					refuse(e)
					continue
				}
			}
			c.note(st)
			c.runParams = c.bindCount
			put(m, step{kind: forward, end: 'E'})
		case *pgproto3.Close:
			if m.ObjectType == 'S' {
				cs := c.stmts[m.Name]
				delete(c.stmts, m.Name)
				if m.Name == "" {
					if ss.unnamed == cs {
						ss.unnamed = nil
					}
					put(m, step{kind: forward, end: 'C'})
				} else {
					// Server statements are shared: closing a name that
					// exists nowhere answers CloseComplete in its place.
					put(&pgproto3.Close{ObjectType: 'S', Name: "edgerun_closed"}, step{kind: forward, end: 'C'})
				}
			} else {
				delete(c.portals, m.Name)
				put(m, step{kind: forward, end: 'C'})
			}
		}
	}
	switch {
	case sync:
		put(&pgproto3.Sync{}, step{kind: forward, end: 'S'})
	case ownSync:
		// The client waits for the description before it binds: the
		// proxy's own Sync (its ReadyForQuery swallowed) lets the server
		// connection go back to the pool meanwhile, and the Bind, Execute
		// and Sync that follow can be answered from the cache.
		put(&pgproto3.Sync{}, step{kind: swallow, end: 'S'})
		if refused {
			c.skipToSync = true
		}
	default:
		wire, _ = (&pgproto3.Flush{}).Encode(wire)
		if refused {
			c.skipToSync = true
		}
	}
	return c.exchange(wire, plan)
}

// describesOnly reports a group that only prepares and describes
// statements (postgres.js's Parse, Describe, Flush before it binds): outside
// a transaction nothing in it needs its server connection afterwards.
func describesOnly(msgs []pgproto3.FrontendMessage) bool {
	for _, m := range msgs {
		switch m := m.(type) {
		case *pgproto3.Parse:
		case *pgproto3.Describe:
			if m.ObjectType != 'S' {
				return false
			}
		default:
			return false
		}
	}
	return len(msgs) > 0
}

func noStatement(name string) *pgproto3.ErrorResponse {
	if name == "" {
		return errorResponse("26000", "unnamed prepared statement does not exist")
	}
	return errorResponse("26000", fmt.Sprintf("prepared statement %q does not exist", name))
}

// routeOf is the statement a group runs, for routing: a replica may serve
// a group that executes one read-only statement (and prepares nothing by
// name, which would stay on that connection only), for a client that has
// not written.
func (c *proxyClient) routeOf(msgs []pgproto3.FrontendMessage) (*statement, bool) {
	var st *statement
	executes := 0
	binds := map[string]*clientStmt{}
	for _, m := range msgs {
		switch m := m.(type) {
		case *pgproto3.Parse:
			if m.Name == "" {
				binds["\x00parse"] = &clientStmt{st: c.b.classify(m.Query)}
			}
		case *pgproto3.Bind:
			cs := c.stmts[m.PreparedStatement]
			if m.PreparedStatement == "" {
				if p := binds["\x00parse"]; p != nil {
					cs = p
				}
			}
			binds[m.DestinationPortal] = cs
		case *pgproto3.Execute:
			executes++
			if cs := binds[m.Portal]; cs != nil {
				st = cs.st
			}
		}
	}
	if executes != 1 || st == nil {
		return &statement{}, false
	}
	return st, st.info.ReadOnly && !st.info.Multi && !c.wrote
}

// acquire takes a server connection for the client: on the endpoint pick
// chooses, through its breaker, waiting at most acquire_timeout.
func (c *proxyClient) acquire(st *statement, replicasOK bool) error {
	replicasOK = replicasOK && !c.wrote
	var tried map[*endpoint]bool
	for {
		ep := c.b.pick(st, nil, replicasOK, tried)
		if ep == nil {
			return fmt.Errorf("%w: no endpoint available", ErrUnavailable)
		}
		conn, err := c.b.acquireOn(ep)
		if errors.Is(err, errBreakerOpen) {
			if tried == nil {
				tried = map[*endpoint]bool{}
			}
			tried[ep] = true
			continue
		}
		if err != nil {
			return err
		}
		ss := serverStmtsOf(conn)
		ss.unnamed = nil
		c.mu.Lock()
		c.srv, c.ep = conn, ep
		c.mu.Unlock()
		c.srvSession, c.srvDirty = false, false
		c.p.rememberParams(conn.Conn().PgConn())
		return nil
	}
}

var errBreakerOpen = errors.New("breaker open")

// acquireOn takes a connection from ep's pool through its breaker (only
// connection failures count), bounded by acquire_timeout; only the proxy
// calls it, and counts what it holds (ProxyStats.ServerConnections).
func (b *Binding) acquireOn(ep *endpoint) (*pgxpool.Conn, error) {
	var conn *pgxpool.Conn
	start := time.Now()
	_, err := ep.breaker.Execute(func() (*result, error) {
		ctx, cancel := context.WithTimeout(context.Background(), b.cfg.AcquireTimeout)
		defer cancel()
		var err error
		conn, err = ep.pool.Acquire(ctx)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", errAcquire, err)
		}
		return nil, nil
	})
	if o := b.cfg.Observer; o != nil && !isBreakerRefusal(err) {
		o.Acquire(b.cfg.Name, ep.name, time.Since(start), err)
	}
	if isBreakerRefusal(err) {
		return nil, errBreakerOpen
	}
	switch {
	case err == nil && !b.proxy.hold(conn.Conn().PgConn()): // let go by releaseServer or wireFillOn
		conn.Release()
		return nil, fmt.Errorf("%w: the local Hyperdrive is closing", ErrUnavailable)
	case errors.Is(err, context.DeadlineExceeded):
		b.proxy.acquireTimeouts.Add(1)
	}
	return conn, err
}

// releaseServer gives the held server connection back (release: reset or
// closed as what ran on it requires); broken: it is closed. A write during
// the hold invalidates the binding's cache and, with notify_channel, is
// announced to other instances before the client hears its answer: on the
// write's own connection when it is whole (as prepare()'s writes are; the
// transaction is over, so the notification is delivered at once), else
// through the pool, once this connection is back in it (a pool of one
// would otherwise wait for itself).
func (c *proxyClient) releaseServer(broken bool) {
	c.mu.Lock()
	conn, ep := c.srv, c.ep
	c.srv, c.ep, c.running = nil, nil, false
	c.mu.Unlock()
	c.portals = nil
	write, ddl := c.pendingWrite, c.ddl
	c.pendingWrite, c.ddl = false, false
	notified := false
	if conn != nil {
		c.p.letGo(conn.Conn().PgConn())
		if broken || c.txStatus != 'I' {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			_ = conn.Conn().Close(ctx)
			cancel()
			conn.Release()
		} else {
			if inv := c.b.invalidator; write && inv != nil && c.b.cache != nil {
				ctx, cancel := context.WithTimeout(context.Background(), notifyTimeout)
				notified = inv.notifyOn(ctx, conn)
				cancel()
			}
			c.b.release(ep, conn, c.srvSession, c.srvDirty)
		}
	}
	if write {
		c.b.wrote(context.Background(), notified)
		if ddl {
			c.b.ddlRan()
		}
	}
}

// cancelRunning sends a CancelRequest for the client's running statement
// to its server connection.
func (c *proxyClient) cancelRunning() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.srv == nil || !c.running {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = c.srv.Conn().PgConn().CancelRequest(ctx)
}

// exchange sends wire to the held server connection and relays its answer
// following plan; false ends the client's connection.
func (c *proxyClient) exchange(wire []byte, plan []step) bool {
	pc := c.srv.Conn().PgConn()
	start := time.Now()
	c.mu.Lock()
	c.running = true
	c.mu.Unlock()
	timer := time.AfterFunc(c.b.cfg.QueryTimeout, c.cancelRunning)
	defer timer.Stop()
	var writeErr chan error
	if len(wire) > 32<<10 {
		// Written while the answer is read: a server answering a long
		// pipeline could otherwise fill both directions' buffers.
		writeErr = make(chan error, 1)
		go func() { _, err := pc.Conn().Write(wire); writeErr <- err }()
	} else if _, err := pc.Conn().Write(wire); err != nil {
		return c.serverLost(err)
	}
	i := 0
	syncAt := slices.IndexFunc(plan, func(s step) bool { return s.end == 'S' || s.end == 'Q' })
	skip := func() { // an error: the server skips to Sync
		end := syncAt
		if end < 0 {
			end = len(plan)
		}
		for ; i < end; i++ {
			if plan[i].failed != nil {
				plan[i].failed()
			}
		}
	}
	settle := func() {
		for i < len(plan) && plan[i].kind == synthesized {
			c.send(plan[i].synth)
			if _, isErr := plan[i].synth.(*pgproto3.ErrorResponse); isErr {
				i++
				skip()
				return
			}
			i++
		}
	}
	settle()
	owedSync := false
	for i < len(plan) {
		for owedSync && i == syncAt {
			synced, ok := c.copyEnd(pc)
			if !ok {
				return false
			}
			owedSync = !synced
		}
		msg, err := pc.ReceiveMessage(context.Background())
		if err != nil {
			return c.serverLost(err)
		}
		switch m := msg.(type) {
		case *pgproto3.NoticeResponse, *pgproto3.ParameterStatus, *pgproto3.NotificationResponse:
			c.send(m)
		case *pgproto3.ErrorResponse:
			c.send(m)
			if plan[i].end != 'S' && plan[i].end != 'Q' {
				skip()
			}
			if syncAt < 0 || plan[syncAt].kind == swallow {
				// No Sync from the client yet: the server discards
				// messages until one comes (or the proxy's own Sync ended
				// that already), and the client's side does here.
				c.skipToSync = true
			}
		case *pgproto3.ReadyForQuery:
			c.txStatus = m.TxStatus
			if syncAt < 0 || plan[syncAt].kind != swallow {
				c.send(m)
			}
			// Whatever the plan still expected, the server is done with it.
			for ; i < len(plan) && plan[i].end != 'S' && plan[i].end != 'Q'; i++ {
				if plan[i].failed != nil {
					plan[i].failed()
				}
			}
			i++
		case *pgproto3.CopyInResponse:
			c.send(m)
			if !c.copyIn(pc) {
				return false
			}
			if syncAt >= 0 && plan[syncAt].end == 'S' {
				// COPY from an Execute: the server took the Sync after
				// it while copying (and ignored it); the client's next
				// one is owed to it (proxy_copy.go).
				synced, ok := c.copyEnd(pc)
				if !ok {
					return false
				}
				owedSync = !synced
			}
		case *pgproto3.CopyBothResponse:
			c.fatal("0A000", "replication (COPY BOTH) is not supported by the local Hyperdrive")
			c.releaseServer(true)
			return false
		default:
			if plan[i].kind != swallow {
				c.send(m)
			}
			if ends(plan[i].end, m) {
				i++
				settle()
			}
		}
		if len(c.out) > clientFlushBytes {
			if c.flush() != nil {
				c.releaseServer(true)
				return false
			}
		}
	}
	if writeErr != nil {
		if err := <-writeErr; err != nil {
			return c.serverLost(err)
		}
	}
	c.mu.Lock()
	c.running = false
	c.mu.Unlock()
	took := time.Since(start)
	if o := c.b.cfg.Observer; o != nil {
		kind := "read"
		if c.pendingWrite {
			kind = "write"
		}
		o.Query(c.b.cfg.Name, kind, "ok", c.ep.role, took)
	}
	if c.runSQL != "" {
		c.b.noteSlow(start, took, c.runSQL, c.runParams, c.ep.name, "proxy")
		c.runSQL = ""
	}
	if syncAt >= 0 && c.txStatus == 'I' {
		c.releaseServer(false)
	}
	return c.flush() == nil
}

// serverLost ends a client whose server connection failed under it: its
// transaction (if any) is gone, so the client cannot go on as if it were
// not.
func (c *proxyClient) serverLost(err error) bool {
	if o := c.b.cfg.Observer; o != nil && c.ep != nil {
		o.Query(c.b.cfg.Name, "write", "error", c.ep.role, 0)
	}
	c.pendingWrite = true // it may have been applied
	c.releaseServer(true)
	c.fatal("08006", c.b.redact("server connection lost: "+err.Error()))
	return false
}
