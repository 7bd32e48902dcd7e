package hyperdrive

// The server connection a local Hyperdrive client holds (transaction-mode
// pooling): taken for a statement outside a transaction or from BEGIN on,
// through the endpoint's breaker; given back when ReadyForQuery says the
// transaction is over (reset or closed, session.go), with the write
// bookkeeping a hold carries (cache invalidation, notify_channel); closed
// with its transaction rolled back when the client idles past
// IdleTransactionTimeout; and its running statement cancelled (the
// client's CancelRequest, or QueryTimeout).

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/sony/gobreaker/v2"
)

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

func isBreakerRefusal(err error) bool {
	return errors.Is(err, gobreaker.ErrOpenState) || errors.Is(err, gobreaker.ErrTooManyRequests)
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
