package hyperdrive

// Endpoints: one pgxpool and circuit breaker per database server (primary,
// fallback, replicas), and where a statement is sent (pick).

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/sony/gobreaker/v2"

	"edgerun/isolates"
)

// endpoint is one database server: its pool and its circuit breaker.
type endpoint struct {
	role    string
	name    string // role, with an index for replicas ("replica-2")
	pool    *pgxpool.Pool
	breaker *gobreaker.CircuitBreaker[*result]
	// connString is the endpoint's URL without edgerun's pgbouncer hint;
	// pooler: it looks like a transaction-mode pooler.
	connString string
	pooler     bool
	// pipe queues reads waiting for a connection (pipeline.go); nil where
	// statements are not pipelined.
	pipe *pipeQueue
	// failing counts connection-level failures since the last success, so
	// that only the success ending a run is reported to the Observer (every
	// statement reporting success cost a locked map update in the alerts).
	failing atomic.Int64
}

// ErrUnavailable is returned (wrapped in *Error, code 58000) while an
// endpoint's breaker is open and there is nowhere else to send a statement.
var ErrUnavailable = errors.New("database unavailable")

// errStatementTimeout marks a statement that ran past query_timeout: the
// database answered (slowly), so the breaker does not count it.
var errStatementTimeout = errors.New("statement timeout")

func (b *Binding) newEndpoint(role, connString string) (*endpoint, error) {
	name := role
	if role == "replica" {
		name = fmt.Sprintf("replica-%d", len(b.replicas)+1)
	}
	connString, pooler := detectPooler(connString)
	pc, err := pgxpool.ParseConfig(connString)
	if err != nil {
		return nil, fmt.Errorf("hyperdrive %q: %s: invalid connection string (the password is not shown)", b.cfg.Name, role)
	}
	pooler = pooler || pc.ConnConfig.Port == 6432 || strings.Contains(pc.ConnConfig.Host, "pooler")
	b.secrets = append(b.secrets, pc.ConnConfig.Password)
	pc.MaxConns = int32(b.cfg.MaxConns)
	pc.MinConns = 0
	pc.MaxConnIdleTime = 5 * time.Minute
	pc.HealthCheckPeriod = 30 * time.Second
	cc := pc.ConnConfig
	if cc.ConnectTimeout == 0 || cc.ConnectTimeout > b.cfg.AcquireTimeout {
		cc.ConnectTimeout = min(5*time.Second, b.cfg.AcquireTimeout)
	}
	switch b.cfg.StatementCache {
	case "describe":
		cc.DefaultQueryExecMode = pgx.QueryExecModeCacheDescribe
	case "prepare":
		cc.DefaultQueryExecMode = pgx.QueryExecModeCacheStatement
	default:
		if pooler {
			cc.DefaultQueryExecMode = pgx.QueryExecModeCacheDescribe
		} else {
			cc.DefaultQueryExecMode = pgx.QueryExecModeCacheStatement
		}
	}
	if cc.RuntimeParams == nil {
		cc.RuntimeParams = map[string]string{}
	}
	if _, ok := cc.RuntimeParams["application_name"]; !ok {
		cc.RuntimeParams["application_name"] = "edgerun"
	}
	// A cancelled or timed-out statement is cancelled on the server (a
	// CancelRequest), not merely abandoned with the connection.
	cc.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: c, CancelRequestDelay: 0, DeadlineDelay: 2 * time.Second}
	}
	// One message (a row) larger than a whole result may be is refused
	// before it is read into memory; the connection is closed.
	maxMessage := int(max(b.cfg.MaxResultBytes, 1<<20) + 1<<16)
	cc.BuildFrontend = func(r io.Reader, w io.Writer) *pgproto3.Frontend {
		f := pgproto3.NewFrontend(r, w)
		f.SetMaxBodyLen(maxMessage)
		return f
	}
	pc.AfterConnect = func(_ context.Context, c *pgx.Conn) error {
		registerTypes(c.TypeMap())
		return nil
	}
	var pipe *pipeQueue
	if cc.DefaultQueryExecMode == pgx.QueryExecModeCacheStatement && !b.cfg.noPipeline {
		pipe = newPipeQueue()
		pc.BeforeClose = pipe.forget
	}
	pool, err := pgxpool.NewWithConfig(context.Background(), pc)
	if err != nil {
		return nil, fmt.Errorf("hyperdrive %q: %s: %s", b.cfg.Name, role, b.redact(err.Error()))
	}
	return &endpoint{role: role, name: name, pool: pool, breaker: b.newBreaker(name), connString: connString, pooler: pooler, pipe: pipe}, nil
}

// detectPooler strips the pgbouncer=true hint (Prisma's convention, which
// PostgreSQL itself would reject as an unknown parameter) and reports it.
func detectPooler(connString string) (string, bool) {
	u, err := url.Parse(connString)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return connString, false
	}
	q := u.Query()
	v, ok := q["pgbouncer"]
	if !ok {
		return connString, false
	}
	q.Del("pgbouncer")
	u.RawQuery = q.Encode()
	return u.String(), len(v) > 0 && v[0] == "true"
}

func (b *Binding) newBreaker(name string) *gobreaker.CircuitBreaker[*result] {
	threshold := uint32(b.cfg.FailureThreshold)
	return gobreaker.NewCircuitBreaker[*result](gobreaker.Settings{
		Name:        name,
		MaxRequests: 1, // one half-open probe at a time
		Timeout:     b.cfg.OpenTimeout,
		ReadyToTrip: func(c gobreaker.Counts) bool { return c.ConsecutiveFailures >= threshold },
		// Only the endpoint being unreachable counts; a SQL error, or a
		// session the server ended after it took the statement (a
		// statement running pg_terminate_backend(pg_backend_pid()), an
		// administrator's kill), means the database answered.
		IsSuccessful: func(err error) bool { return err == nil || !endpointDown(err) },
		IsExcluded: func(err error) bool {
			return errors.Is(err, context.Canceled) || errors.Is(err, errStatementTimeout)
		},
		OnStateChange: func(_ string, from, to gobreaker.State) {
			b.cfg.Log.Warn(fmt.Sprintf("hyperdrive %q: %s circuit breaker %s → %s", b.cfg.Name, name, from, to))
			if b.cfg.Observer != nil {
				b.cfg.Observer.Breaker(b.cfg.Name, name, from.String(), to.String())
			}
		},
	})
}

func (b *Binding) endpoints() []*endpoint {
	var out []*endpoint
	if b.primary != nil {
		out = append(out, b.primary)
	}
	if b.fallback != nil {
		out = append(out, b.fallback)
	}
	return append(out, b.replicas...)
}

func (ep *endpoint) stats() PoolStats {
	s := ep.pool.Stat()
	return PoolStats{
		Role: ep.name, Acquired: s.AcquiredConns(), Idle: s.IdleConns(), Total: s.TotalConns(), Max: s.MaxConns(),
		AcquireCount: s.AcquireCount(), EmptyAcquireCount: s.EmptyAcquireCount(), AcquireDuration: s.AcquireDuration(),
		NewConns: s.NewConnsCount(), CanceledAcquireCount: s.CanceledAcquireCount(),
	}
}

type wroteKey struct{ b *Binding }

// markWrote remembers that the request wrote, so its later reads stay on the
// primary (read-your-writes across replicas).
func (b *Binding) markWrote(scope *isolates.Scope) { scope.SetValue(wroteKey{b}, true) }

func (b *Binding) hasWritten(scope *isolates.Scope) bool { return scope.Value(wroteKey{b}) != nil }

// pick chooses where a statement runs: a healthy replica for a single
// read-only statement of a request that has not written, when replicasOK;
// else the primary; the fallback while the primary's breaker is open. tried
// holds endpoints that failed this statement already.
func (b *Binding) pick(st *statement, scope *isolates.Scope, replicasOK bool, tried map[*endpoint]bool) *endpoint {
	if replicasOK && len(b.replicas) > 0 && st.info.ReadOnly && !st.info.Multi && !b.hasWritten(scope) {
		n := len(b.replicas)
		start := int(b.nextReplica.Add(1))
		for i := range n {
			ep := b.replicas[(start+i)%n]
			if !tried[ep] && ep.breaker.State() == gobreaker.StateClosed {
				return ep
			}
		}
	}
	if !tried[b.primary] && b.primary.breaker.State() != gobreaker.StateOpen {
		return b.primary
	}
	if b.fallback != nil && !tried[b.fallback] && b.fallback.breaker.State() != gobreaker.StateOpen {
		return b.fallback
	}
	if !tried[b.primary] {
		return b.primary // open: Execute fails fast with ErrOpenState
	}
	return nil
}
