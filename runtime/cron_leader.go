package runtime

import (
	"context"
	"fmt"
	"hash/fnv"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"edgerun/runtime/config"
)

// A fleet's crons fire once: the processes sharing a database elect the
// holder of a PostgreSQL session advisory lock, taken on a connection of
// its own, as the one that fires them. The lock lives as long as that
// session, so a leader that dies (SIGKILL, a lost machine) releases it when
// its connection drops (at once for a killed process; within about 11 s
// for a lost machine, by the server's TCP keepalives the election's session
// sets), and another process takes it over. No lease or clock of ours is
// involved.

// cronLeaderCheck is how often a follower tries to take the lock and a
// leader checks that its session (and so its lock) is alive.
const cronLeaderCheck = time.Second

// cronLeaderTimeout bounds one connect, try or ping.
const cronLeaderTimeout = 5 * time.Second

// cronLeaderKeepalives makes PostgreSQL probe the election's session: a
// leader whose machine is lost or cut off sends no FIN, and with the
// kernel's defaults (two hours idle before the first probe) the server
// would keep its session, and so the lock, that long, with no process
// firing the crons. Probing after 5 s idle, every 2 s, giving up after 3
// unanswered, ends such a session about 11 s after the leader went
// silent. The three settings are PGC_USERSET, so any role may set them;
// on a unix socket or a platform without the socket options they are
// ignored, and failing to set them leaves the election as it was.
const cronLeaderKeepalives = `SELECT set_config('tcp_keepalives_idle', '5', false),
	set_config('tcp_keepalives_interval', '2', false),
	set_config('tcp_keepalives_count', '3', false)`

type cronLeader struct {
	connString string
	key        int64
	log        *slog.Logger

	mu    sync.Mutex
	conn  *pgx.Conn
	since time.Time // when this process took the lock; zero while it does not hold it

	stop chan struct{}
	done chan struct{}
}

// cronLockKey is the advisory lock of a worker's crons: one per worker
// name, so different workers on one database each have a leader.
func cronLockKey(workerName string) int64 {
	h := fnv.New64a()
	h.Write([]byte("edgerun cron " + workerName))
	return int64(h.Sum64())
}

// startCronLeader takes part in the election on connString until close.
func startCronLeader(ctx context.Context, connString, workerName string, log *slog.Logger) *cronLeader {
	l := &cronLeader{connString: connString, key: cronLockKey(workerName), log: log, stop: make(chan struct{}), done: make(chan struct{})}
	l.check(ctx) // at once, so a process that starts alone fires its first tick
	go func() {
		defer close(l.done)
		t := time.NewTicker(cronLeaderCheck)
		defer t.Stop()
		for {
			select {
			case <-l.stop:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				l.check(ctx)
			}
		}
	}()
	return l
}

// check takes the lock if no process holds it, and notices a lost session.
func (l *cronLeader) check(ctx context.Context) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.checkLocked(ctx)
}

func (l *cronLeader) checkLocked(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, cronLeaderTimeout)
	defer cancel()
	if !l.since.IsZero() {
		if err := l.conn.Ping(ctx); err == nil {
			return
		} else {
			l.log.Warn(fmt.Sprintf("cron: lost the crons' leadership (its database session failed: %v); another process takes over", err))
			l.dropLocked()
		}
	}
	if l.conn == nil || l.conn.IsClosed() {
		conn, err := pgx.Connect(ctx, l.connString)
		if err != nil {
			l.log.Debug("cron: cannot reach the leader election's database", "err", err)
			return
		}
		if _, err := conn.Exec(ctx, cronLeaderKeepalives); err != nil {
			l.log.Debug("cron: the election's session keeps the server's TCP keepalives (a lost leader's lock is held until they notice)", "err", err)
		}
		l.conn = conn
	}
	var got bool
	if err := l.conn.QueryRow(ctx, "SELECT pg_try_advisory_lock($1)", l.key).Scan(&got); err != nil {
		l.log.Debug("cron: leader election failed", "err", err)
		l.dropLocked()
		return
	}
	if got {
		l.since = time.Now()
		l.log.Info("cron: this process leads the fleet's crons (advisory lock taken)")
	}
}

func (l *cronLeader) dropLocked() {
	if l.conn != nil {
		_ = l.conn.Close(context.Background())
	}
	l.conn, l.since = nil, time.Time{}
}

// mayFire reports whether this process fires the tick scheduled at tick:
// it holds the lock now (its session answers) and held it before the
// tick, so a process that takes over just after the old leader fired a
// tick does not fire that tick again.
func (l *cronLeader) mayFire(ctx context.Context, tick time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.checkLocked(ctx)
	return !l.since.IsZero() && l.since.Before(tick)
}

// leading reports whether this process holds the lock (for tests and logs).
func (l *cronLeader) leading() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return !l.since.IsZero()
}

// close ends the election for this process; closing the session releases
// the lock at once.
func (l *cronLeader) close() {
	close(l.stop)
	<-l.done
	l.mu.Lock()
	defer l.mu.Unlock()
	l.dropLocked()
}

// cronLockConnString is the database of the election: the configured one,
// or the origin of the [[hyperdrive]] binding cron_lock names.
func (a *App) cronLockConnString(c config.CronLock) (string, error) {
	if c.ConnectionString != "" {
		return c.ConnectionString, nil
	}
	if conn := a.hyperdriveOrigin(c.Hyperdrive); conn != "" {
		return conn, nil
	}
	return "", fmt.Errorf("cron lock (%s): no [[hyperdrive]] binding %q is open", c.Source, c.Hyperdrive)
}
