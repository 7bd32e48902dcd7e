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
// its connection drops, and another process takes it over. No lease or
// clock of ours is involved.

// cronLeaderCheck is how often a follower tries to take the lock and a
// leader checks that its session (and so its lock) is alive.
const cronLeaderCheck = time.Second

// cronLeaderTimeout bounds one connect, try or ping.
const cronLeaderTimeout = 5 * time.Second

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
