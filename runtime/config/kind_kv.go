package config

// [[kv_namespaces]]: Workers KV namespaces (built by runtime/kind_kv.go).

var kvKeys = set("binding", "id", "preview_id", "remote", "experimental_remote")

func (r *resolver) kvNamespaces(cfg *Config, v any, p keyPath) {
	r.bindingTables(v, p, "kv_namespaces", "KV Namespace", kvKeys, func(m map[string]any, ep keyPath, name string) {
		kv := KVNamespace{Binding: name, Line: r.d.doc.lineOf(ep)}
		kv.ID = r.optionalString(m, ep, "id")
		kv.PreviewID = r.optionalString(m, ep, "preview_id")
		cfg.KVNamespaces = append(cfg.KVNamespaces, kv)
	})
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
