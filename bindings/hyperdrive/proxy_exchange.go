package hyperdrive

// One exchange with the held server connection: what the proxy sends is
// written at once, and the server's answer is relayed to the client
// following a plan (a step per frontend message: forwarded, swallowed, or
// synthesized here), with COPY (proxy_copy.go) turning it around and a lost
// server connection ending the client.

import (
	"context"
	"slices"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
)

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
