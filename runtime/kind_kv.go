package runtime

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"

	"edgerun/bindings"
	"edgerun/bindings/kv"
	"edgerun/runtime/config"
)

// openKV builds one binding per [[kv_namespaces]] entry, all kept in one
// store under the project's .edgerun/state (as wrangler dev keeps its
// local KV under .wrangler/state). A namespace is its id's, or its binding
// name's when it has no id, so renaming a binding keeps its data.
func openKV(cfg *config.Config, log *slog.Logger) ([]*kv.Namespace, func(context.Context) error, error) {
	if len(cfg.KVNamespaces) == 0 {
		return nil, nil, nil
	}
	path := filepath.Join(cfg.Dir, ".edgerun", "state", "kv.db")
	store, err := kv.Open(path, nil)
	if err != nil {
		return nil, nil, err
	}
	if n, err := store.Purge(); err != nil {
		store.Close()
		return nil, nil, fmt.Errorf("kv: %w", err)
	} else if n > 0 {
		log.Debug("kv: removed expired keys", "count", n)
	}
	var list []*kv.Namespace
	for _, ns := range cfg.KVNamespaces {
		id := ns.ID
		if id == "" {
			id = ns.Binding
		}
		list = append(list, kv.NewNamespace(store, ns.Binding, id))
	}
	return list, func(context.Context) error { return store.Close() }, nil
}

var kvKind = bindingKind{
	section: "kv_namespaces",
	open: func(_ context.Context, a *App) ([]bindings.Binding, []func(context.Context) error, error) {
		list, closeStore, err := openKV(a.cfg, a.log)
		if err != nil || closeStore == nil {
			return nil, nil, err
		}
		out := make([]bindings.Binding, len(list))
		for i, ns := range list {
			out[i] = ns
		}
		return out, []func(context.Context) error{closeStore}, nil
	},
	summary: func(cfg *config.Config) (rows []summaryRow) {
		for _, kv := range cfg.KVNamespaces {
			rows = append(rows, summaryRow{kv.Binding, "KV Namespace", "local (.edgerun/state/kv.db)"})
		}
		return rows
	},
}
