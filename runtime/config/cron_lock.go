package config

import (
	"fmt"
	"strings"
)

// cronLockEnv overrides [edgerun] cron_lock with a connection string, so a
// deployment can turn the election on without editing wrangler.toml.
const cronLockEnv = "EDGERUN_CRON_LOCK_CONNECTION_STRING"

// applyCronLock resolves Edgerun.CronLock once the [[hyperdrive]] and
// [[kv_namespaces]] entries are known. A fleet that shares KV in
// PostgreSQL is one deployment, so its crons are elected there unless
// cron_lock says otherwise.
func (r *resolver) applyCronLock(cfg *Config, getenv func(string) (string, bool)) {
	c := &cfg.Edgerun.CronLock
	if v, ok := getenv(cronLockEnv); ok && strings.TrimSpace(v) != "" {
		if reason := connStringProblem(v); reason != "" {
			r.d.errorAt("", 0, "%s: invalid PostgreSQL connection string (%s; the string is not shown, it may hold a password).", cronLockEnv, reason)
		}
		*c = CronLock{ConnectionString: v, Source: cronLockEnv}
		return
	}
	if r.cronLock != "" {
		p := r.cronLockPath
		switch {
		case hasHyperdrive(cfg, r.cronLock):
			*c = CronLock{Hyperdrive: r.cronLock, Source: "cron_lock"}
		case strings.Contains(r.cronLock, "://") || strings.Contains(r.cronLock, "="):
			r.d.checkConnString(p, r.cronLock)
			*c = CronLock{ConnectionString: r.cronLock, Source: "cron_lock"}
		default:
			r.d.errorf(p, "%q: %q names no [[hyperdrive]] binding and is not a PostgreSQL connection string.", p.String(), r.cronLock)
		}
		return
	}
	for _, kv := range cfg.KVNamespaces {
		if kv.Store == KVStorePostgres {
			*c = CronLock{Hyperdrive: kv.Hyperdrive, ConnectionString: kv.ConnectionString, Source: fmt.Sprintf("kv_namespaces %q", kv.Binding)}
			return
		}
	}
}
