package config

import "sort"

// DeclaredBinding is a binding of a kind edgerun does not run (a service,
// a Durable Object namespace, a queue producer, a D1 database, a
// workflow): the worker finds it undefined, and start-up warns, but
// `edgerun types` still declares it, as `wrangler types` does, so that a
// project written for Workers type-checks.
type DeclaredBinding struct {
	Kind    string // the configuration key: "services", "durable_objects", "queues", "d1_databases", "workflows"
	Binding string // the name on env
	Class   string // class_name of a Durable Object or workflow; "" otherwise
}

// declaredKinds lists, per key, where its entries are and which field
// names the binding.
var declaredKinds = []struct {
	key, list, name string // list "": the value is the array of entries
}{
	{"services", "", "binding"},
	{"durable_objects", "bindings", "name"},
	{"queues", "producers", "binding"},
	{"d1_databases", "", "binding"},
	{"workflows", "", "binding"},
}

// declared collects the selected environment's bindings of kinds edgerun
// does not run. Malformed entries are skipped: the unsupported-key warning
// already points at them, and types cannot name what has no name.
func (r *resolver) declared(cfg *Config) {
	for _, k := range declaredKinds {
		o, ok := r.own[k.key]
		if !ok {
			continue
		}
		v := o.v
		if k.list != "" {
			m, _ := v.(map[string]any)
			v = m[k.list]
		}
		entries, _ := v.([]any)
		for _, e := range entries {
			m, _ := e.(map[string]any)
			name, _ := m[k.name].(string)
			if !isJSIdentifier(name) {
				continue
			}
			class, _ := m["class_name"].(string)
			cfg.Declared = append(cfg.Declared, DeclaredBinding{Kind: k.key, Binding: name, Class: class})
		}
	}
	sort.SliceStable(cfg.Declared, func(i, j int) bool { return cfg.Declared[i].Binding < cfg.Declared[j].Binding })
}
