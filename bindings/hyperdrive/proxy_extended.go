package hyperdrive

// The extended query protocol through the local Hyperdrive (proxy_session.go
// holds the client): messages gathered up to Sync or Flush become one write
// to the server and a plan of its answer (exchange, proxy_exchange.go).
//
// Named prepared statements are the client's (stmts) and are prepared on
// whichever server connection runs them, under a name derived from their
// text and parameter types, remembered per server connection (PgBouncer
// ≥ 1.21's approach); Close of a named statement only forgets it. This
// file: that bookkeeping (clientStmt, serverStmts), the re-preparation a
// group adds in front of the client's messages (group's ensure), and the
// statement a group runs, for routing.

import (
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/jackc/pgx/v5/pgxpool"
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
