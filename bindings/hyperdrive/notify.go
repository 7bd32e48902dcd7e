package hyperdrive

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
)

// Cross-instance cache invalidation (caching.notify_channel). Query caches
// are per process; with several edgerun processes on one database, a write
// through one must make the others' cached reads stale too. Each binding
// LISTENs on the channel over a connection of its own, and every write
// through it sends pg_notify(channel, its instance id) before the write is
// acknowledged: on the write's own connection (inside a batch's
// transaction, so the notification is delivered when it commits), or, when
// that connection failed, through the pool, retried until it goes out.
// Every other instance's cache takes the notification as a write. A NOTIFY
// from anywhere else (a trigger, a migration script) invalidates every
// instance's cache the same way.
//
// A cache that is not listening cannot know what other instances wrote, so
// while the listening connection is down (and before it first connects)
// reads bypass the cache; when it connects again, everything cached before
// is dropped, since notifications may have been missed. The listening
// connection is checked with a round trip whenever it has been quiet for
// heartbeatEvery, so a connection that silently died (a stalled network, a
// hung middlebox) stops being trusted within heartbeatEvery+heartbeatTimeout.

// invalidator is one binding's listener and notifier.
type invalidator struct {
	b          *Binding
	channel    string
	instance   string // payload of this binding's own notifications, which it skips
	listenConn string // where to LISTEN: a session, never a transaction-mode pooler
	listening  atomic.Bool

	mu      sync.Mutex
	pending chan struct{} // closed once a notification asked for before the next send is sent
	kick    chan struct{}

	// Barriers (CacheConfig.StrictCoherence): syncNext is closed once a
	// round trip on the listening connection that began after it was made
	// has completed and the notifications it brought are applied.
	syncMu   sync.Mutex
	syncNext chan struct{}
	syncKick chan struct{}

	stop chan struct{}
	done sync.WaitGroup
}

const (
	// notifyTimeout bounds the wait of a write for its notification when
	// its own connection could not send it.
	notifyTimeout = 2 * time.Second
	// notifyRetryFor is how long a notification that could not be sent is
	// retried in the background.
	notifyRetryFor   = 30 * time.Second
	heartbeatEvery   = 2 * time.Second
	heartbeatTimeout = 2 * time.Second
)

// execer is a connection or a transaction.
type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// notifyOn announces a write on the connection (or transaction) it ran
// on; false when that failed and notify must do it.
func (inv *invalidator) notifyOn(ctx context.Context, q execer) bool {
	_, err := q.Exec(ctx, "SELECT pg_notify($1, $2)", inv.channel, inv.instance)
	return err == nil
}

func newInvalidator(b *Binding, channel, listenConn string) *invalidator {
	var id [8]byte
	_, _ = rand.Read(id[:])
	inv := &invalidator{
		b: b, channel: channel, instance: "edgerun:" + hex.EncodeToString(id[:]), listenConn: listenConn,
		kick: make(chan struct{}, 1), syncKick: make(chan struct{}, 1), stop: make(chan struct{}),
	}
	inv.done.Add(2)
	go inv.listen()
	go inv.send()
	return inv
}

func (inv *invalidator) close() {
	close(inv.stop)
	inv.done.Wait()
}

// barrier reports, once a round trip on the listening connection that
// began after this call has completed, whether the cache has heard every
// notification committed before the call (false: not listening, or the
// round trip failed or took longer than heartbeatTimeout; the caller then
// must not trust the cache). Concurrent callers share one round trip.
func (inv *invalidator) barrier(ctx context.Context) bool {
	if !inv.listening.Load() {
		return false
	}
	inv.syncMu.Lock()
	if inv.syncNext == nil {
		inv.syncNext = make(chan struct{})
	}
	done := inv.syncNext
	inv.syncMu.Unlock()
	select {
	case inv.syncKick <- struct{}{}:
	default:
	}
	t := time.NewTimer(heartbeatTimeout)
	defer t.Stop()
	select {
	case <-done:
		return inv.listening.Load()
	case <-t.C:
	case <-ctx.Done():
	case <-inv.stop:
	}
	return false
}

// takeBarrier returns the barrier callers wait on (nil if none), so that
// callers from now on wait for the next round trip.
func (inv *invalidator) takeBarrier() chan struct{} {
	inv.syncMu.Lock()
	defer inv.syncMu.Unlock()
	done := inv.syncNext
	inv.syncNext = nil
	return done
}

// notify returns once a notification sent after this call began has gone
// out (or failed, or ctx ended): the write it follows is then known to
// every listening instance. Concurrent writes share one notification.
func (inv *invalidator) notify(ctx context.Context) {
	inv.mu.Lock()
	if inv.pending == nil {
		inv.pending = make(chan struct{})
		select {
		case inv.kick <- struct{}{}:
		default:
		}
	}
	sent := inv.pending
	inv.mu.Unlock()
	t := time.NewTimer(notifyTimeout) // a notification stuck in retries holds no write for long
	defer t.Stop()
	select {
	case <-sent:
	case <-t.C:
	case <-ctx.Done():
	case <-inv.stop:
	}
}

func (inv *invalidator) send() {
	defer inv.done.Done()
	failing := false
	for {
		select {
		case <-inv.stop:
			return
		case <-inv.kick:
		}
		inv.mu.Lock()
		sent := inv.pending // writes asking from now on wait for the next round
		inv.pending = nil
		inv.mu.Unlock()
		if sent == nil {
			continue
		}
		err := inv.sendRetrying(sent)
		switch {
		case err != nil:
			inv.b.cfg.Log.Error("hyperdrive: could not notify other instances of a write; their cached reads may stay stale until max_age",
				"binding", inv.b.cfg.Name, "channel", inv.channel, "err", inv.b.redact(err.Error()))
		case failing:
			inv.b.cfg.Log.Info("hyperdrive: notifying other instances of writes again", "binding", inv.b.cfg.Name, "channel", inv.channel)
		}
		failing = err != nil
	}
}

// sendRetrying sends one notification through the pool of the endpoint
// writes go to, retrying for notifyRetryFor; waiting writers are released
// (sent closed) after the first attempt or notifyTimeout, whichever comes
// first, so that an outage does not hold every write for long.
func (inv *invalidator) sendRetrying(sent chan struct{}) error {
	defer func() {
		select {
		case <-sent:
		default:
			close(sent)
		}
	}()
	deadline := time.Now().Add(notifyRetryFor)
	delay := 50 * time.Millisecond
	for {
		ep := inv.b.pick(&statement{}, nil, false, nil) // where a write would go: the primary, or the fallback
		ctx, cancel := context.WithTimeout(context.Background(), notifyTimeout)
		_, err := ep.pool.Exec(ctx, "SELECT pg_notify($1, $2)", inv.channel, inv.instance)
		cancel()
		select {
		case <-sent:
		default:
			close(sent)
		}
		if err == nil || time.Now().After(deadline) {
			return err
		}
		select {
		case <-inv.stop:
			return err
		case <-time.After(delay):
		}
		delay = min(2*delay, time.Second)
	}
}

func (inv *invalidator) listen() {
	defer inv.done.Done()
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-inv.stop
		cancel()
	}()
	delay := 100 * time.Millisecond
	lost := false
	for ctx.Err() == nil {
		connected, err := inv.listenOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		if connected {
			delay = 100 * time.Millisecond
		}
		if !lost || connected {
			inv.b.cfg.Log.Warn("hyperdrive: not listening for other instances' writes; reads bypass the cache until it reconnects",
				"binding", inv.b.cfg.Name, "channel", inv.channel, "err", inv.b.redact(err.Error()))
		}
		lost = true
		select {
		case <-ctx.Done():
			return
		case <-time.After(delay):
		}
		delay = min(2*delay, 5*time.Second)
	}
}

// listenOnce connects, LISTENs and applies notifications until the
// connection fails. connected reports whether it got as far as listening.
func (inv *invalidator) listenOnce(ctx context.Context) (connected bool, err error) {
	cfg, err := pgx.ParseConfig(inv.listenConn)
	if err != nil {
		return false, fmt.Errorf("invalid connection string")
	}
	if cfg.ConnectTimeout == 0 || cfg.ConnectTimeout > inv.b.cfg.AcquireTimeout {
		cfg.ConnectTimeout = min(5*time.Second, inv.b.cfg.AcquireTimeout)
	}
	cfg.RuntimeParams["application_name"] = "edgerun cache invalidation"
	// A heartbeat's quiet wait ends by a read deadline, not by a cancel
	// request to the server (and the connection stays usable).
	cfg.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.DeadlineContextWatcherHandler{Conn: c.Conn()}
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return false, err
	}
	defer func() {
		inv.listening.Store(false)
		if done := inv.takeBarrier(); done != nil {
			close(done) // its callers see listening false: they do not trust the cache
		}
		closeCtx, cancel := context.WithTimeout(context.Background(), time.Second)
		conn.Close(closeCtx)
		cancel()
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{inv.channel}.Sanitize()); err != nil {
		return false, err
	}
	// Writes other instances made while this one was not listening are
	// unknown: everything cached before now is stale.
	inv.b.cache.wrote()
	inv.listening.Store(true)
	inv.b.cfg.Log.Info("hyperdrive: listening for other instances' writes", "binding", inv.b.cfg.Name, "channel", inv.channel)
	for {
		wctx, cancel := context.WithTimeout(ctx, heartbeatEvery)
		// A barrier asked for ends the wait (by a read deadline: the
		// connection stays usable) so its round trip runs at once.
		kicked, watched := make(chan struct{}), make(chan struct{})
		go func() {
			defer close(watched)
			select {
			case <-inv.syncKick:
				close(kicked)
				cancel()
			case <-wctx.Done():
			}
		}()
		n, err := conn.WaitForNotification(wctx)
		cancel()
		<-watched
		select {
		case <-kicked:
			if err == nil && n.Payload != inv.instance {
				inv.b.cache.wrote()
			}
			if err := inv.runBarrier(ctx, conn); err != nil {
				return true, err
			}
			continue
		default:
		}
		switch {
		case err == nil:
			if n.Payload != inv.instance {
				inv.b.cache.wrote()
			}
		case ctx.Err() != nil:
			return true, ctx.Err()
		case errors.Is(err, context.DeadlineExceeded):
			// Quiet: make sure the connection still answers.
			hctx, cancel := context.WithTimeout(ctx, heartbeatTimeout)
			_, err := conn.Exec(hctx, "SELECT 1")
			cancel()
			if err != nil {
				return true, fmt.Errorf("heartbeat: %w", err)
			}
		default:
			return true, err
		}
	}
}

// runBarrier makes the round trip the waiting barrier callers need: the
// statement completes only after the server has sent this session every
// notification committed before it began, which pgx buffers; they are
// applied before the callers are released.
func (inv *invalidator) runBarrier(ctx context.Context, conn *pgx.Conn) error {
	done := inv.takeBarrier()
	if done == nil {
		return nil
	}
	hctx, cancel := context.WithTimeout(ctx, heartbeatTimeout)
	_, err := conn.Exec(hctx, "SELECT 1")
	cancel()
	if err != nil {
		inv.listening.Store(false)
		close(done)
		return fmt.Errorf("cache barrier: %w", err)
	}
	drained, cancelDrain := context.WithCancel(ctx)
	cancelDrain() // buffered notifications only: never wait on the socket
	for {
		n, err := conn.WaitForNotification(drained)
		if err != nil {
			break
		}
		if n.Payload != inv.instance {
			inv.b.cache.wrote()
		}
	}
	close(done)
	return nil
}
