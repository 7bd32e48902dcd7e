package hyperdrive

import (
	"log/slog"
	"time"
)

// Config describes one binding. Zero values take the documented defaults.
type Config struct {
	// Name is the env property (wrangler's `binding`).
	Name string
	// ConnString is the primary endpoint (localConnectionString).
	ConnString string
	// FallbackConnString, if set, serves while the primary's breaker is
	// open (typically: primary = a pooler, fallback = the direct database).
	FallbackConnString string
	// ReplicaConnStrings serve single read-only statements.
	ReplicaConnStrings []string
	// MaxConns is the pool size per endpoint (origin_connection_limit).
	// Default 20.
	MaxConns int
	// QueryTimeout bounds each statement; it is cancelled on the server.
	// Default 30s (the seed's QUERY_TIMEOUT).
	QueryTimeout time.Duration
	// AcquireTimeout bounds the wait for a pooled connection. Default 10s.
	AcquireTimeout time.Duration
	// Retries of failures that are safe to retry. Default 2; -1 disables.
	Retries int
	// FailureThreshold consecutive connection failures open an endpoint's
	// breaker. Default 3 (the seed's CONNECTION_FAILURES).
	FailureThreshold int
	// OpenTimeout is how long a breaker stays open before a probe. Default 5s.
	OpenTimeout time.Duration
	// MaxResultBytes bounds the rows of one statement's result, counted as
	// they arrive (their wire size): past it the statement fails with
	// CodeResultTooLarge, is cancelled on the server, and what it already
	// sent is read and dropped, so the connection goes back to the pool in
	// working order. Default 128 MiB (edgerun passes [limits] memory_mb: a
	// result the isolate cannot hold is refused before it is read).
	MaxResultBytes int64
	// SlowQuery: statements slower than this are logged. Default 500ms.
	SlowQuery time.Duration
	// Cache configures the query cache.
	Cache CacheConfig
	// StatementCache selects how statements are prepared, per endpoint:
	// "prepare" (named prepared statements cached per connection; fastest;
	// for direct connections and session-mode poolers), "describe"
	// (statement descriptions cached, every execution sends its own
	// unnamed Parse in the same round trip as Bind/Execute, so a
	// transaction-mode pooler such as PgBouncer can never split a prepare
	// from its execute), or "auto" (default): "describe" for endpoints that
	// look like a pooler (pgbouncer=true in the URL, port 6432, or a host
	// name containing "pooler", as Neon's do), else "prepare".
	StatementCache string
	// ProxyAddr is where the local Hyperdrive listens (proxy.go), the
	// address env.HYPERDRIVE.connectionString names: host:port, loopback
	// unless you mean otherwise; "off" runs none (connectionString then
	// names the origin). Default "127.0.0.1:0" (a port chosen at start).
	ProxyAddr string
	// ProxyUser and ProxyPassword are the local Hyperdrive's credentials.
	// Default: a random user and password per process (never the
	// origin's). Set them (edgerun proxy --user, EDGERUN_PROXY_PASSWORD)
	// for a connection string that survives restarts; both or neither.
	ProxyUser, ProxyPassword string
	// IdleTransactionTimeout: a local Hyperdrive client that leaves a
	// transaction idle (waiting for its next statement) longer than this
	// is disconnected with PgBouncer's "idle transaction timeout" (FATAL,
	// 08P01); its transaction is rolled back and its server connection
	// goes back to the pool. Default 0: never (PgBouncer's
	// idle_transaction_timeout default; Hyperdrive documents none).
	IdleTransactionTimeout time.Duration
	// Observer, if set, hears about queries, retries and breakers (metrics).
	Observer Observer
	// Now is the clock of the cache and of what the server said of
	// functions (tests use a controllable one). Default
	// time.Now.
	Now func() time.Time
	Log *slog.Logger

	// noSessionReset turns the reset of released connections off
	// (session.go); only the benchmark that measures its cost sets it.
	noSessionReset bool
	// noPipeline turns statement pipelining off (pipeline.go), for tests
	// and benchmarks that compare.
	noPipeline bool
}

// CacheConfig is Hyperdrive's caching, plus memory bounds.
type CacheConfig struct {
	Disabled             bool
	MaxAge               time.Duration // default 60s
	StaleWhileRevalidate time.Duration // default 15s
	MaxBytes             int64         // default 64 MiB
	MaxEntryBytes        int64         // default 1 MiB
	// NotifyChannel, if set, keeps the caches of several edgerun
	// processes on one database coherent: writes are announced with
	// pg_notify on this channel, and each binding LISTENs to it
	// (notify.go). Default "" (this process's writes only).
	NotifyChannel string
	// StrictCoherence (with NotifyChannel): before a cached read is served,
	// one round trip on the listening connection makes sure that every
	// write another instance acknowledged before the read began has been
	// heard (PostgreSQL delivers a committed notification to a listening
	// session before that session's next statement completes). Without it
	// a read that follows another instance's acknowledged write within the
	// time the notification takes to arrive may be served the old result.
	// Costs that round trip per cached read (concurrent reads share one);
	// default false.
	StrictCoherence bool
}

func (c *Config) applyDefaults() {
	if c.MaxConns <= 0 {
		c.MaxConns = 20
	}
	if c.QueryTimeout <= 0 {
		c.QueryTimeout = 30 * time.Second
	}
	if c.AcquireTimeout <= 0 {
		c.AcquireTimeout = 10 * time.Second
	}
	if c.Retries == 0 {
		c.Retries = 2
	} else if c.Retries < 0 {
		c.Retries = 0
	}
	if c.FailureThreshold <= 0 {
		c.FailureThreshold = 3
	}
	if c.OpenTimeout <= 0 {
		c.OpenTimeout = 5 * time.Second
	}
	if c.MaxResultBytes <= 0 {
		c.MaxResultBytes = 128 << 20
	}
	if c.SlowQuery <= 0 {
		c.SlowQuery = 500 * time.Millisecond
	}
	if c.Cache.MaxAge <= 0 {
		c.Cache.MaxAge = 60 * time.Second
	}
	if c.Cache.StaleWhileRevalidate < 0 {
		c.Cache.StaleWhileRevalidate = 0
	} else if c.Cache.StaleWhileRevalidate == 0 {
		c.Cache.StaleWhileRevalidate = 15 * time.Second
	}
	if c.Cache.MaxBytes <= 0 {
		c.Cache.MaxBytes = 64 << 20
	}
	if c.Cache.MaxEntryBytes <= 0 {
		c.Cache.MaxEntryBytes = 1 << 20
	}
	if c.ProxyAddr == "" {
		c.ProxyAddr = "127.0.0.1:0"
	}
	if c.StatementCache == "" {
		c.StatementCache = "auto"
	}
	if c.Log == nil {
		c.Log = slog.Default()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}
