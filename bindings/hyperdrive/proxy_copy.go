package hyperdrive

// COPY through the local Hyperdrive. COPY … TO STDOUT needs nothing of its
// own: its CopyOutResponse, CopyData and CopyDone pass through exchange
// like any answer. COPY … FROM STDIN turns the exchange around: after
// CopyInResponse the client's CopyData go to the server until CopyDone or
// CopyFail (copyIn).
//
// In the extended protocol (Parse, Bind, Execute, Sync sent at once, as
// libpq does) the server reads that Sync while copying and ignores it, as
// it ignores every Sync and Flush in COPY IN mode; once the COPY is over
// it waits for another, which the client sends after CopyDone (or
// CopyFail), with or without a Flush before it: copyEnd hands them over,
// the Sync once the server's answer to the Flush has reached the client.

import (
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
)

// copyIn relays the client's COPY data to the server until CopyDone or
// CopyFail; false ends the client's connection.
func (c *proxyClient) copyIn(pc *pgconn.PgConn) bool {
	if c.flush() != nil {
		c.releaseServer(true)
		return false
	}
	var buf []byte
	for {
		msg, err := c.be.Receive()
		if err != nil {
			c.releaseServer(true)
			return false
		}
		done := false
		switch m := msg.(type) {
		case *pgproto3.CopyData, *pgproto3.CopyDone, *pgproto3.CopyFail:
			buf, _ = m.Encode(buf[:0])
			_, isData := m.(*pgproto3.CopyData)
			done = !isData
		case *pgproto3.Sync, *pgproto3.Flush:
			continue // ignored during COPY, as the server ignores them
		default:
			buf, _ = (&pgproto3.CopyFail{Message: fmt.Sprintf("unexpected message %T during COPY", m)}).Encode(buf[:0])
			done = true
		}
		if _, err := pc.Conn().Write(buf); err != nil {
			return c.serverLost(err)
		}
		if cap(buf) > 1<<20 {
			buf = nil
		}
		if done {
			return true
		}
	}
}

// copyEnd passes the client's next Sync or Flush after an
// extended-protocol COPY FROM STDIN to the server (synced: it was the Sync,
// whose ReadyForQuery then ends the exchange; after a Flush, the server
// sends what it has, and the Sync is still owed). The server would drop
// COPY messages meanwhile, and so does the proxy; anything else before the
// Sync is a protocol violation the proxy cannot pass on (the server
// connection's state is unknown), which ends the client.
func (c *proxyClient) copyEnd(pc *pgconn.PgConn) (synced, ok bool) {
	if c.flush() != nil {
		c.releaseServer(true)
		return false, false
	}
	for {
		msg, err := c.be.Receive()
		if err != nil {
			c.releaseServer(true)
			return false, false
		}
		switch m := msg.(type) {
		case *pgproto3.Sync, *pgproto3.Flush:
			wire, _ := m.Encode(nil)
			if _, err := pc.Conn().Write(wire); err != nil {
				return false, c.serverLost(err)
			}
			_, synced = m.(*pgproto3.Sync)
			return synced, true
		case *pgproto3.CopyData, *pgproto3.CopyDone, *pgproto3.CopyFail:
		default:
			c.releaseServer(true)
			c.fatal("08P01", fmt.Sprintf("unexpected message %T after COPY: the local Hyperdrive expects Sync", m))
			return false, false
		}
	}
}
