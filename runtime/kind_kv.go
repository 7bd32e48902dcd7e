package runtime

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"edgerun/bindings"
	"edgerun/bindings/hyperdrive"
	"edgerun/bindings/kv"
	"edgerun/runtime/config"
)

// kvStores opens the stores of the [[kv_namespaces]] entries: the local
// ones share one bbolt file under the project's .edgerun/state (as
// wrangler dev keeps its local KV under .wrangler/state); the "postgres"
// ones share one store per database. Expired keys are purged at start and
// then every kvPurgeEvery.
type kvStores struct {
	local    *kv.BoltStore
	postgres map[string]*kv.PostgresStore // by connection string
	closers  []func(context.Context) error
	opens    []openedStore
	stop     chan struct{} // closed by close: ends the purger
	done     chan struct{} // closed when the purger has ended
}

type openedStore struct {
	store kv.Store
	where string
}

// kvPurgeEvery is how often expired keys are deleted while the process
// runs. Expired keys are never read, but a serve process may run for
// months, and a namespace used as a cache (expirationTtl on every put)
// would otherwise grow its file or table, and a fleet's shared table, until
// a restart. Every process of a fleet purges; the DELETE of what another
// purged is a no-op.
var kvPurgeEvery = 10 * time.Minute

func (s *kvStores) close(ctx context.Context) error {
	if s.stop != nil { // the app may close its bindings twice
		close(s.stop)
		<-s.done
		s.stop = nil
	}
	for i := len(s.closers) - 1; i >= 0; i-- {
		_ = s.closers[i](ctx)
	}
	return nil
}

func (s *kvStores) opened(store kv.Store, log *slog.Logger, where string) error {
	s.closers = append(s.closers, func(context.Context) error { return store.Close() })
	s.opens = append(s.opens, openedStore{store, where})
	n, err := store.Purge()
	if err != nil {
		return fmt.Errorf("kv (%s): %w", where, err)
	}
	if n > 0 {
		log.Debug("kv: removed expired keys", "store", where, "count", n)
	}
	return nil
}

// startPurging purges every store each kvPurgeEvery until close; a
// failed purge is logged and tried again at the next turn.
func (s *kvStores) startPurging(log *slog.Logger) {
	s.stop, s.done = make(chan struct{}), make(chan struct{})
	every := kvPurgeEvery
	go func() {
		defer close(s.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
			for _, o := range s.opens {
				if n, err := o.store.Purge(); err != nil {
					log.Warn(fmt.Sprintf("kv (%s): removing expired keys failed (tried again in %s): %v", o.where, every, err))
				} else if n > 0 {
					log.Debug("kv: removed expired keys", "store", o.where, "count", n)
				}
			}
		}
	}()
}

// storeFor is the store of namespace ns; hyperdriveConn looks up the
// origin database of a [[hyperdrive]] binding.
func (s *kvStores) storeFor(ctx context.Context, cfg *config.Config, ns config.KVNamespace, hyperdriveConn func(string) string, log *slog.Logger) (kv.Store, error) {
	if ns.Store != config.KVStorePostgres {
		if s.local == nil {
			store, err := kv.Open(filepath.Join(cfg.Dir, ".edgerun", "state", "kv.db"), nil)
			if err != nil {
				return nil, err
			}
			s.local = store
			if err := s.opened(store, log, "local"); err != nil {
				return nil, err
			}
		}
		return s.local, nil
	}
	conn := ns.ConnectionString
	if conn == "" {
		conn = hyperdriveConn(ns.Hyperdrive)
	}
	if store := s.postgres[conn]; store != nil {
		return store, nil
	}
	store, err := kv.OpenPostgres(ctx, conn, kv.PostgresOptions{})
	if err != nil {
		return nil, fmt.Errorf("kv namespace %q: %w", ns.Binding, err)
	}
	if s.postgres == nil {
		s.postgres = map[string]*kv.PostgresStore{}
	}
	s.postgres[conn] = store
	log.Debug("kv namespace on PostgreSQL", "binding", ns.Binding, "database", config.RedactConnectionString(conn))
	return store, s.opened(store, log, "postgres")
}

// openKV builds one binding per [[kv_namespaces]] entry. A namespace is
// its id's, or its binding name's when it has no id, so renaming a
// binding keeps its data.
func openKV(ctx context.Context, cfg *config.Config, hyperdriveConn func(string) string, log *slog.Logger) ([]*kv.Namespace, func(context.Context) error, error) {
	if len(cfg.KVNamespaces) == 0 {
		return nil, nil, nil
	}
	stores := &kvStores{}
	var list []*kv.Namespace
	for _, ns := range cfg.KVNamespaces {
		store, err := stores.storeFor(ctx, cfg, ns, hyperdriveConn, log)
		if err != nil {
			stores.close(ctx)
			return nil, nil, err
		}
		id := ns.ID
		if id == "" {
			id = ns.Binding
		}
		list = append(list, kv.NewNamespace(store, ns.Binding, id))
	}
	stores.startPurging(log)
	return list, stores.close, nil
}

// hyperdriveOrigin is the origin connection string of the app's
// [[hyperdrive]] binding named name (its managed database's when it has
// none); hyperdriveKind opens before kvKind.
func (a *App) hyperdriveOrigin(name string) string {
	for _, b := range a.databases {
		if h, ok := b.(*hyperdrive.Binding); ok && h.Name() == name {
			return h.Config().ConnString
		}
	}
	return ""
}

var kvKind = bindingKind{
	section: "kv_namespaces",
	open: func(ctx context.Context, a *App) ([]bindings.Binding, []func(context.Context) error, error) {
		return openedBindings(openKV(ctx, a.cfg, a.hyperdriveOrigin, a.log))
	},
	summary: func(cfg *config.Config) (rows []summaryRow) {
		for _, ns := range cfg.KVNamespaces {
			where := "local (.edgerun/state/kv.db)"
			switch {
			case ns.Store != config.KVStorePostgres:
			case ns.ConnectionString != "":
				where = "PostgreSQL " + endpointOf(ns.ConnectionString) + " (table " + kv.Table + ")"
			default:
				where = "PostgreSQL of hyperdrive " + ns.Hyperdrive + " (table " + kv.Table + ")"
			}
			rows = append(rows, summaryRow{ns.Binding, "KV Namespace", where})
		}
		return rows
	},
}
