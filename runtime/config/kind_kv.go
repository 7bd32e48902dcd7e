package config

import "fmt"

// [[kv_namespaces]]: Workers KV namespaces (built by runtime/kind_kv.go).

var kvKeys = set("binding", "id", "preview_id", "remote", "experimental_remote",
	"store", "connection_string", "hyperdrive") // the last three are edgerun's

// kvConnectionStringEnv + <BINDING> overrides a namespace's database, as
// CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_<BINDING> does Hyperdrive's:
// the same wrangler.toml serves dev (local file) and a fleet (shared table).
const kvConnectionStringEnv = "EDGERUN_KV_CONNECTION_STRING_"

func (r *resolver) kvNamespaces(cfg *Config, v any, p keyPath) {
	r.bindingTables(v, p, "kv_namespaces", "KV Namespace", kvKeys, func(m map[string]any, ep keyPath, name string) {
		kv := KVNamespace{Binding: name, Line: r.d.doc.lineOf(ep)}
		kv.ID = r.optionalString(m, ep, "id")
		kv.PreviewID = r.optionalString(m, ep, "preview_id")
		kv.Store = r.storeKey(m, ep, "KV", KVStoreLocal, KVStorePostgres)
		kv.ConnectionString = r.optionalString(m, ep, "connection_string")
		kv.Hyperdrive = r.optionalString(m, ep, "hyperdrive")
		if kv.ConnectionString != "" {
			r.d.checkConnString(ep.child("connection_string"), kv.ConnectionString)
			kv.ConnectionStringSource = "connection_string"
		}
		if kv.ConnectionString != "" && kv.Hyperdrive != "" {
			r.d.errorf(ep, "%q: set connection_string or hyperdrive, not both.", ep.String())
		}
		if kv.Store == KVStoreLocal && (kv.ConnectionString != "" || kv.Hyperdrive != "") {
			r.d.errorf(ep.child("store"), "%q: store = %q keeps the keys in .edgerun/state; connection_string and hyperdrive need store = %q.", ep.String(), KVStoreLocal, KVStorePostgres)
		}
		cfg.KVNamespaces = append(cfg.KVNamespaces, kv)
	})
}

// applyKVStores runs once the [[hyperdrive]] entries and the environment
// are known: EDGERUN_KV_CONNECTION_STRING_<BINDING> wins (and makes the
// store "postgres"), a hyperdrive key must name a [[hyperdrive]] binding,
// and a "postgres" store must have a database.
func (r *resolver) applyKVStores(cfg *Config, getenv func(string) (string, bool)) {
	for i := range cfg.KVNamespaces {
		kv := &cfg.KVNamespaces[i]
		if v, ok := getenv(kvConnectionStringEnv + kv.Binding); ok && v != "" {
			if err := connStringProblem(v); err != "" {
				r.d.errorAt(r.d.doc.file, kv.Line, "%s%s: invalid PostgreSQL connection string (%s; the string is not shown, it may hold a password).", kvConnectionStringEnv, kv.Binding, err)
			}
			kv.ConnectionString, kv.ConnectionStringSource, kv.Hyperdrive = v, kvConnectionStringEnv+kv.Binding, ""
		}
		if kv.Hyperdrive != "" && !hasHyperdrive(cfg, kv.Hyperdrive) {
			r.d.errorAt(r.d.doc.file, kv.Line, "kv_namespaces %q: hyperdrive = %q names no [[hyperdrive]] binding.", kv.Binding, kv.Hyperdrive)
		}
		if kv.ConnectionString != "" || kv.Hyperdrive != "" {
			kv.Store = KVStorePostgres
		}
		if kv.Store == "" {
			kv.Store = KVStoreLocal
		}
		if kv.Store == KVStorePostgres && kv.ConnectionString == "" && kv.Hyperdrive == "" {
			r.d.errorAt(r.d.doc.file, kv.Line, "kv_namespaces %q: store = %q needs connection_string, hyperdrive (a [[hyperdrive]] binding's database) or %s%s.", kv.Binding, KVStorePostgres, kvConnectionStringEnv, kv.Binding)
		}
	}
}

func hasHyperdrive(cfg *Config, binding string) bool {
	for _, h := range cfg.Hyperdrive {
		if h.Binding == binding {
			return true
		}
	}
	return false
}

// String names the namespace's store for logs, never its password.
func (kv KVNamespace) String() string {
	switch {
	case kv.Store != KVStorePostgres:
		return fmt.Sprintf("kv %s (id %s, local)", kv.Binding, kv.ID)
	case kv.ConnectionString != "":
		return fmt.Sprintf("kv %s (id %s, postgres %s)", kv.Binding, kv.ID, RedactConnectionString(kv.ConnectionString))
	}
	return fmt.Sprintf("kv %s (id %s, postgres of hyperdrive %s)", kv.Binding, kv.ID, kv.Hyperdrive)
}

// bindingTables walks a [[section]] array of binding tables: each must be
// a table with a valid, unique binding name, and gets each.
func (r *resolver) bindingTables(v any, p keyPath, section, kind string, keys map[string]bool, each func(m map[string]any, ep keyPath, name string)) {
	arr, ok := v.([]any)
	if !ok {
		r.d.errorf(p, "The field %q should be an array but got %s.", p.String(), jsonish(v))
		return
	}
	for i, e := range arr {
		ep := p.index(i)
		m, ok := e.(map[string]any)
		if !ok {
			r.d.errorf(ep, "%q bindings should be objects, but got %s", section, jsonish(e))
			continue
		}
		r.d.unknownKeys(ep, m, keys)
		if name, ok := r.bindingName(m, ep, kind); ok {
			each(m, ep, name)
		}
	}
}

// storeKey is the store key of a [[kv_namespaces]] or [[r2_buckets]]
// entry (kind "KV" or "R2" in the error): "" (decided later, from the
// other keys and the environment), local, or shared.
func (r *resolver) storeKey(m map[string]any, ep keyPath, kind, local, shared string) string {
	store := r.optionalString(m, ep, "store")
	switch store {
	case "", local, shared:
	default:
		r.d.errorf(ep.child("store"), "%q: unknown %s store %q; use %q (the default) or %q.", ep.child("store").String(), kind, store, local, shared)
	}
	return store
}

// optionalString is m[key] when it is a string ("" when absent; an error
// when it is something else).
func (r *resolver) optionalString(m map[string]any, p keyPath, key string) string {
	x, ok := m[key]
	if !ok {
		return ""
	}
	s, _ := r.d.str(p.child(key), x)
	return s
}
