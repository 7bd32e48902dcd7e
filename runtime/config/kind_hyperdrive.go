package config

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"sort"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// [[hyperdrive]] entries: their keys (built by runtime/kind_hyperdrive.go).
var (
	hyperdriveKeys = set("binding", "id", "localConnectionString",
		"origin_connection_limit", "query_timeout_ms", "acquire_timeout_ms", "idle_transaction_timeout_ms", "fallback_connection_string",
		"replica_connection_strings", "migrations_dir", "caching", "breaker", "retries", "slow_query_ms", "statement_cache", "local_port")
	cachingKeys = set("disabled", "max_age", "stale_while_revalidate", "max_bytes", "max_entry_bytes", "notify_channel", "strict_coherence")
	breakerKeys = set("failure_threshold", "open_timeout_ms")
)

// Environment variables that override a binding's localConnectionString,
// newest name first (wrangler's order).
const (
	connectionStringEnv           = "CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_"
	connectionStringEnvDeprecated = "WRANGLER_HYPERDRIVE_LOCAL_CONNECTION_STRING_"
	// edgerun's own: the fallback and the replicas hold passwords too, and
	// in a fleet they come from a Secret, not from the ConfigMap'd toml.
	// Replicas are numbered from 1 (…_<BINDING>_1, _2, …, up to the first
	// gap): a connection string may hold commas and spaces, so a list in
	// one variable would need quoting rules of its own.
	fallbackConnectionStringEnv = "EDGERUN_HYPERDRIVE_FALLBACK_CONNECTION_STRING_"
	replicaConnectionStringEnv  = "EDGERUN_HYPERDRIVE_REPLICA_CONNECTION_STRING_"
)

func (r *resolver) hyperdrive(cfg *Config, v any, p keyPath) {
	d := r.d
	arr, ok := v.([]any)
	if !ok {
		d.errorf(p, "The field %q should be an array but got %s.", p.String(), jsonish(v))
		return
	}
	for i, e := range arr {
		ep := p.index(i)
		m, ok := e.(map[string]any)
		if !ok {
			d.errorf(ep, "\"hyperdrive\" bindings should be objects, but got %s", jsonish(e))
			continue
		}
		d.unknownKeys(ep, m, hyperdriveKeys)
		h := Hyperdrive{
			OriginConnectionLimit:    defaultOriginConnectionLimit,
			QueryTimeout:             defaultQueryTimeout,
			AcquireTimeout:           defaultAcquireTimeout,
			ReplicaConnectionStrings: []string{},
			Caching: Caching{
				MaxAge:               defaultCacheMaxAge,
				StaleWhileRevalidate: defaultStaleWhileRevalidate,
				MaxBytes:             defaultCacheMaxBytes,
				MaxEntryBytes:        defaultCacheMaxEntryBytes,
			},
			Breaker:   Breaker{FailureThreshold: defaultBreakerFailures, OpenTimeout: defaultBreakerOpenTimeout},
			Retries:   defaultRetries,
			SlowQuery: defaultSlowQuery,
			Line:      d.doc.lineOf(ep),
		}
		name, bindingOK := r.bindingName(m, ep, "Hyperdrive Config")
		h.Binding = name
		if id, ok := m["id"].(string); ok {
			h.ID = id
		} else {
			d.errorf(ep, "%q bindings must have a \"id\" field but got %s.", ep.String(), jsonish(m))
		}
		if x, ok := m["localConnectionString"]; ok {
			if s, ok := d.str(ep.child("localConnectionString"), x); ok && s != "" {
				d.checkConnString(ep.child("localConnectionString"), s)
				h.LocalConnectionString = s
				h.ConnectionStringSource = "localConnectionString"
			}
		}
		r.hyperdriveExtensions(cfg, &h, m, ep)
		if bindingOK {
			cfg.Hyperdrive = append(cfg.Hyperdrive, h)
		}
	}
}

// hyperdriveExtensions reads edgerun's keys inside one [[hyperdrive]] entry.
func (r *resolver) hyperdriveExtensions(cfg *Config, h *Hyperdrive, m map[string]any, ep keyPath) {
	d := r.d
	if x, ok := m["origin_connection_limit"]; ok {
		if n, ok := d.intIn(ep.child("origin_connection_limit"), x, 1, 100_000); ok {
			h.OriginConnectionLimit = int(n)
		}
	}
	if x, ok := m["query_timeout_ms"]; ok {
		h.QueryTimeout, _ = d.millisOr(ep.child("query_timeout_ms"), x, h.QueryTimeout)
	}
	if x, ok := m["acquire_timeout_ms"]; ok {
		h.AcquireTimeout, _ = d.millisOr(ep.child("acquire_timeout_ms"), x, h.AcquireTimeout)
	}
	if x, ok := m["idle_transaction_timeout_ms"]; ok {
		h.IdleTransactionTimeout, _ = d.millis(ep.child("idle_transaction_timeout_ms"), x, false)
	}
	if x, ok := m["fallback_connection_string"]; ok {
		if s, ok := d.str(ep.child("fallback_connection_string"), x); ok {
			d.checkConnString(ep.child("fallback_connection_string"), s)
			h.FallbackConnectionString = s
		}
	}
	if x, ok := m["replica_connection_strings"]; ok {
		if rs, ok := d.stringArray(ep.child("replica_connection_strings"), x); ok {
			for i, r := range rs {
				d.checkConnString(ep.child("replica_connection_strings").index(i), r)
			}
			h.ReplicaConnectionStrings = rs
		}
	}
	if x, ok := m["migrations_dir"]; ok {
		mp := ep.child("migrations_dir")
		if s, ok := d.str(mp, x); ok {
			dir := r.abs(cfg, s)
			if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
				d.errorf(mp, "%q: %q is not a directory.", mp.String(), dir)
			} else {
				h.MigrationsDir = dir
			}
		}
	}
	if x, ok := m["retries"]; ok {
		if n, ok := d.intIn(ep.child("retries"), x, 0, 100); ok {
			h.Retries = int(n)
		}
	}
	h.StatementCache = "auto"
	if x, ok := m["statement_cache"]; ok {
		if v, ok := d.str(ep.child("statement_cache"), x); ok {
			switch v {
			case "auto", "prepare", "describe":
				h.StatementCache = v
			default:
				d.errorf(ep.child("statement_cache"), "statement_cache must be \"auto\", \"prepare\" or \"describe\", got %q", v)
			}
		}
	}
	if x, ok := m["local_port"]; ok {
		if n, ok := d.intIn(ep.child("local_port"), x, -1, 65535); ok {
			h.LocalPort = int(n)
		}
	}
	if x, ok := m["slow_query_ms"]; ok {
		if ms, ok := d.millis(ep.child("slow_query_ms"), x, false); ok {
			h.SlowQuery = ms
		}
	}
	if x, ok := m["caching"]; ok {
		r.caching(&h.Caching, x, ep.child("caching"))
	}
	if x, ok := m["breaker"]; ok {
		cp := ep.child("breaker")
		if bm, ok := d.table(cp, x); ok {
			d.unknownKeys(cp, bm, breakerKeys)
			if y, ok := bm["failure_threshold"]; ok {
				if n, ok := d.intIn(cp.child("failure_threshold"), y, 1, 1<<20); ok {
					h.Breaker.FailureThreshold = int(n)
				}
			}
			if y, ok := bm["open_timeout_ms"]; ok {
				h.Breaker.OpenTimeout, _ = d.millisOr(cp.child("open_timeout_ms"), y, h.Breaker.OpenTimeout)
			}
		}
	}
}

func (r *resolver) caching(c *Caching, v any, p keyPath) {
	d := r.d
	m, ok := d.table(p, v)
	if !ok {
		return
	}
	d.unknownKeys(p, m, cachingKeys)
	if x, ok := m["disabled"]; ok {
		c.Disabled, _ = d.boolean(p.child("disabled"), x)
	}
	if x, ok := m["max_age"]; ok {
		if n, ok := d.intIn(p.child("max_age"), x, 0, maxCacheMaxAgeSeconds); ok {
			c.MaxAge = time.Duration(n) * time.Second
		}
	}
	if x, ok := m["stale_while_revalidate"]; ok {
		if n, ok := d.intIn(p.child("stale_while_revalidate"), x, 0, 365*24*3600); ok {
			c.StaleWhileRevalidate = time.Duration(n) * time.Second
		}
	}
	if x, ok := m["max_bytes"]; ok {
		if n, ok := d.byteSize(p.child("max_bytes"), x); ok {
			c.MaxBytes = n
		}
	}
	if x, ok := m["max_entry_bytes"]; ok {
		if n, ok := d.byteSize(p.child("max_entry_bytes"), x); ok {
			c.MaxEntryBytes = n
		}
	}
	if x, ok := m["notify_channel"]; ok {
		if ch, ok := d.str(p.child("notify_channel"), x); ok {
			// PostgreSQL truncates identifiers to 63 bytes; a longer name
			// would LISTEN on one channel and NOTIFY another.
			if ch == "" || len(ch) > 63 {
				d.errorf(p.child("notify_channel"), "%q: a channel name of 1 to 63 bytes is needed, got %d.", p.child("notify_channel").String(), len(ch))
			} else {
				c.NotifyChannel = ch
			}
		}
	}
	if x, ok := m["strict_coherence"]; ok {
		c.StrictCoherence, _ = d.boolean(p.child("strict_coherence"), x)
		if c.StrictCoherence && c.NotifyChannel == "" {
			d.errorf(p.child("strict_coherence"), "%q needs notify_channel: it waits for other instances' notifications.", p.child("strict_coherence").String())
		}
	}
	if c.MaxEntryBytes > c.MaxBytes {
		d.errorf(p, "%q: max_entry_bytes (%d) must not exceed max_bytes (%d).", p.String(), c.MaxEntryBytes, c.MaxBytes)
	}
}

// applyConnectionStringEnv lets CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_<BINDING>,
// then the older WRANGLER_… name, win over localConnectionString, as in
// wrangler. An empty variable counts as unset.
func (r *resolver) applyConnectionStringEnv(cfg *Config, getenv func(string) (string, bool)) {
	for i := range cfg.Hyperdrive {
		h := &cfg.Hyperdrive[i]
		r.applyFallbackAndReplicaEnv(h, getenv)
		if v, ok := getenv(connectionStringEnv + h.Binding); ok && v != "" {
			h.LocalConnectionString, h.ConnectionStringSource = v, connectionStringEnv+h.Binding
			continue
		}
		if v, ok := getenv(connectionStringEnvDeprecated + h.Binding); ok && v != "" {
			h.LocalConnectionString, h.ConnectionStringSource = v, connectionStringEnvDeprecated+h.Binding
			r.d.warnAt(r.d.doc.file, h.Line, "Using %s%s, which is deprecated; please use %s%s instead.",
				connectionStringEnvDeprecated, h.Binding, connectionStringEnv, h.Binding)
		}
	}
}

// applyFallbackAndReplicaEnv lets EDGERUN_HYPERDRIVE_FALLBACK_CONNECTION_STRING_<BINDING>
// replace fallback_connection_string, and EDGERUN_HYPERDRIVE_REPLICA_CONNECTION_STRING_<BINDING>_1,
// _2, … replace replica_connection_strings as a whole (set, they are the
// replicas; the toml's are not added to them). Empty counts as unset.
func (r *resolver) applyFallbackAndReplicaEnv(h *Hyperdrive, getenv func(string) (string, bool)) {
	check := func(name, v string) {
		if reason := connStringProblem(v); reason != "" {
			r.d.errorAt(r.d.doc.file, h.Line, "%s: invalid PostgreSQL connection string (%s; the string is not shown, it may hold a password).", name, reason)
		}
	}
	fallback := fallbackConnectionStringEnv + h.Binding
	if v, ok := getenv(fallback); ok && v != "" {
		check(fallback, v)
		h.FallbackConnectionString = v
	}
	var replicas []string
	for i := 1; ; i++ {
		name := fmt.Sprintf("%s%s_%d", replicaConnectionStringEnv, h.Binding, i)
		v, ok := getenv(name)
		if !ok || v == "" {
			break
		}
		check(name, v)
		replicas = append(replicas, v)
	}
	if len(replicas) > 0 {
		h.ReplicaConnectionStrings = replicas
	}
}

// applySecrets installs the local secrets: secrets override vars of the
// same name (EnvValues applies that), and secrets.required, when set, limits
// which keys are loaded.
func (r *resolver) applySecrets(cfg *Config, s *secretsFile) {
	cfg.Secrets = map[string]string{}
	cfg.SecretsFiles = s.paths
	keys := make([]string, 0, len(s.values))
	for k := range s.values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var allowed map[string]bool
	if r.secretsRequired != nil {
		allowed = set(r.secretsRequired...)
		for _, name := range r.secretsRequired {
			if _, ok := s.values[name]; !ok {
				r.d.warnf(r.secretsRequiredPath, "Secret %q is listed in secrets.required but is not defined in the local secrets file (.dev.vars or .env).", name)
			}
		}
	}
	for _, k := range keys {
		if allowed != nil && !allowed[k] {
			continue
		}
		if b, ok := r.bindings[k]; ok && b.kind != "Environment Variable" {
			r.d.warnAt(s.files[k], s.lines[k], "Secret %q has the name of a %s binding (%s:%d) and hides it from the worker.", k, b.kind, r.d.doc.file, b.line)
		}
		cfg.Secrets[k] = s.values[k]
	}
}

// applyCLIVars installs --var overrides, which win over vars and secrets.
func (r *resolver) applyCLIVars(cfg *Config, vars map[string]string) {
	keys := make([]string, 0, len(vars))
	for k := range vars {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if b, ok := r.bindings[k]; ok && b.kind != "Environment Variable" {
			r.d.errorAt(r.d.doc.file, b.line, "--var %s: %q is already the name of a %s binding; bindings must have unique names.", k, k, b.kind)
			continue
		}
		cfg.Vars[k] = vars[k]
		delete(cfg.Secrets, k)
	}
}

// checkConnString reports a connection string pgx cannot parse on the line
// of its key, with the reason but never the string (it may hold a password).
func (d *decoder) checkConnString(p keyPath, s string) {
	if s == "" {
		return
	}
	if reason := connStringProblem(s); reason != "" {
		d.errorf(p, "%q: invalid PostgreSQL connection string (%s; the string is not shown, it may hold a password).", p.String(), reason)
	}
}

// connStringProblem is why pgx cannot parse s, without s itself; "" when
// it can.
func connStringProblem(s string) string {
	_, err := pgconn.ParseConfig(withoutTLSFiles(s))
	if err == nil {
		return ""
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error() // the URL's parse error without the URL
	}
	return "check its syntax"
}
