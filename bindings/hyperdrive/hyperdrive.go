package hyperdrive

// The binding: one [[hyperdrive]] entry, opened once per process (Open,
// Close). A statement's trip through the package, top down: js.go (the JS
// surface) → statement.go (parsed statements; cache or database) → cache.go →
// batch.go → execute.go (execution and its retries) → endpoints.go (pools,
// breakers, routing) → results.go, values_*.go (reading and converting
// values). A file calls only into files below it.

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/jackc/pgx/v5/pgconn"

	"edgerun/bindings"
)

// Binding is one [[hyperdrive]] entry: its pools and the statement API.
type Binding struct {
	cfg      Config
	primary  *endpoint
	fallback *endpoint
	replicas []*endpoint
	props    Properties // what env.HYPERDRIVE says: the listener's, when it runs
	origin   Properties // the primary's
	proxy    *proxy     // the local Hyperdrive listener (proxy.go); nil when off
	secrets  []string   // passwords to scrub from messages

	statements  *lru.Cache[string, *statement]
	cache       *queryCache // nil when caching is disabled
	dbID        string      // the primary database's identity, part of cache keys
	nextReplica atomic.Uint64
	closeOnce   sync.Once
	functions   *functionCatalog
	invalidator *invalidator // nil unless caching.notify_channel is set
	slow        slowLog      // the last slow statements (slowlog.go)
}

var _ bindings.Binding = (*Binding)(nil)

// Properties are the connection details Workers' Hyperdrive exposes.
type Properties struct {
	ConnectionString string
	Host             string
	Port             int
	User             string
	Password         string
	Database         string
}

// Open builds the binding. Pools connect lazily, so a database that is down
// at start does not stop edgerun: the binding reports it, and recovers when
// the database comes back.
func Open(ctx context.Context, cfg Config) (*Binding, error) {
	cfg.applyDefaults()
	b := &Binding{cfg: cfg, functions: newFunctionCatalog(cfg.Now)}
	var err error
	b.statements, err = lru.New[string, *statement](4096)
	if err != nil {
		return nil, err
	}
	b.props, err = parseProperties(cfg.ConnString)
	if err != nil {
		return nil, fmt.Errorf("hyperdrive %q: %w", cfg.Name, err)
	}
	b.origin = b.props
	b.secrets = append(b.secrets, b.props.Password)
	b.dbID = fmt.Sprintf("%s@%s:%d/%s", b.props.User, b.props.Host, b.props.Port, b.props.Database)
	if !cfg.Cache.Disabled {
		if b.cache, err = newQueryCache(cfg.Cache, cfg.Now); err != nil {
			return nil, fmt.Errorf("hyperdrive %q: cache: %w", cfg.Name, err)
		}
	}
	if b.primary, err = b.newEndpoint("primary", cfg.ConnString); err != nil {
		return nil, err
	}
	if cfg.FallbackConnString != "" {
		if b.fallback, err = b.newEndpoint("fallback", cfg.FallbackConnString); err != nil {
			b.Close(ctx)
			return nil, err
		}
	}
	for i, cs := range cfg.ReplicaConnStrings {
		ep, err := b.newEndpoint("replica", cs)
		if err != nil {
			b.Close(ctx)
			return nil, fmt.Errorf("replica %d: %w", i+1, err)
		}
		b.replicas = append(b.replicas, ep)
	}
	if b.cache != nil && cfg.Cache.NotifyChannel != "" {
		// LISTEN needs a session of its own: not through a transaction-mode
		// pooler when a direct connection is configured.
		listenOn := b.primary
		if b.primary.pooler {
			if b.fallback == nil {
				b.Close(ctx)
				return nil, fmt.Errorf("hyperdrive %q: caching.notify_channel needs a session to LISTEN on, and the primary looks like a transaction-mode pooler (pgbouncer=true, port 6432 or a host name with \"pooler\"): set fallback_connection_string to the direct database", cfg.Name)
			}
			listenOn = b.fallback
		}
		b.invalidator = newInvalidator(b, cfg.Cache.NotifyChannel, listenOn.connString)
	}
	if cfg.ProxyAddr != "off" {
		if _, err = b.startProxy(cfg.ProxyAddr); err != nil { // sets b.proxy
			b.Close(ctx)
			return nil, err
		}
		b.props = b.proxy.properties()
	}
	return b, nil
}

func parseProperties(connString string) (Properties, error) {
	cc, err := pgconn.ParseConfig(connString)
	if err != nil {
		return Properties{}, errors.New("invalid connection string (check its syntax; the password is not shown)")
	}
	return Properties{
		ConnectionString: connString,
		Host:             cc.Host,
		Port:             int(cc.Port),
		User:             cc.User,
		Password:         cc.Password,
		Database:         cc.Database,
	}, nil
}

// Name is the env property.
func (b *Binding) Name() string { return b.cfg.Name }

// Config returns the binding's configuration with defaults applied.
func (b *Binding) Config() Config { return b.cfg }

// Properties returns the connection properties env.HYPERDRIVE shows: the
// local Hyperdrive listener's (never the origin's credentials), or the
// origin's when the listener is off.
func (b *Binding) Properties() Properties { return b.props }

// OriginProperties returns the primary database's connection properties.
func (b *Binding) OriginProperties() Properties { return b.origin }

// Close closes every pool.
func (b *Binding) Close(context.Context) error {
	b.closeOnce.Do(func() {
		if b.proxy != nil {
			b.proxy.close()
		}
		if b.invalidator != nil {
			b.invalidator.close()
		}
		for _, ep := range b.endpoints() {
			ep.pool.Close()
		}
	})
	return nil
}
