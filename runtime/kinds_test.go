package runtime

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"edgerun/bindings/hyperdrive"
	"edgerun/bindings/kv"
	"edgerun/bindings/localpg/pgtest"
	"edgerun/runtime/config"
)

// documentedKeys reads the keys of the README table that follows heading
// (a line of the README), as "key" or "[table] key".
func documentedKeys(t *testing.T, heading string) []string {
	t.Helper()
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), heading)
	if !ok {
		t.Fatalf("README has no %q", heading)
	}
	tick := regexp.MustCompile("`([^`]+)`")
	var keys []string
	started := false
	for _, line := range strings.Split(rest, "\n") {
		if !strings.HasPrefix(line, "|") {
			if started {
				break
			}
			continue
		}
		started = true
		cells := strings.Split(line, "|")
		if len(cells) < 3 || strings.HasPrefix(strings.TrimSpace(cells[1]), "---") || strings.TrimSpace(cells[1]) == "key" {
			continue
		}
		table := ""
		for _, m := range tick.FindAllStringSubmatch(cells[1], -1) {
			if strings.HasPrefix(m[1], "[") {
				table = m[1] + " "
				continue
			}
			keys = append(keys, table+m[1])
		}
	}
	return keys
}

// Every key README documents for a [[hyperdrive]] entry is set to a value
// other than its default and must arrive in the binding's configuration
// (statement_cache once did not: it was parsed, validated and dropped).
func TestEveryDocumentedKeyReachesItsBinding(t *testing.T) {
	type check func(hd config.Hyperdrive, c hyperdrive.Config) bool
	keys := map[string]struct {
		toml  string // under [[hyperdrive]] (or its sub-table)
		check check
	}{
		"origin_connection_limit": {"origin_connection_limit = 7", func(_ config.Hyperdrive, c hyperdrive.Config) bool { return c.MaxConns == 7 }},
		"query_timeout_ms":        {"query_timeout_ms = 1234", func(_ config.Hyperdrive, c hyperdrive.Config) bool { return c.QueryTimeout == 1234*time.Millisecond }},
		"acquire_timeout_ms":      {"acquire_timeout_ms = 4321", func(_ config.Hyperdrive, c hyperdrive.Config) bool { return c.AcquireTimeout == 4321*time.Millisecond }},
		"idle_transaction_timeout_ms": {"idle_transaction_timeout_ms = 2500", func(_ config.Hyperdrive, c hyperdrive.Config) bool {
			return c.IdleTransactionTimeout == 2500*time.Millisecond
		}},
		"fallback_connection_string": {`fallback_connection_string = "postgres://u@fallback:5432/db"`, func(_ config.Hyperdrive, c hyperdrive.Config) bool {
			return c.FallbackConnString == "postgres://u@fallback:5432/db"
		}},
		"replica_connection_strings": {`replica_connection_strings = ["postgres://u@r1:5432/db"]`, func(_ config.Hyperdrive, c hyperdrive.Config) bool {
			return slices.Equal(c.ReplicaConnStrings, []string{"postgres://u@r1:5432/db"})
		}},
		// Applied by the runtime before the binding opens (openHyperdrive).
		"migrations_dir": {`migrations_dir = "migrations"`, func(hd config.Hyperdrive, _ hyperdrive.Config) bool {
			return strings.HasSuffix(hd.MigrationsDir, "migrations")
		}},
		"retries":                       {"retries = 5", func(_ config.Hyperdrive, c hyperdrive.Config) bool { return c.Retries == 5 }},
		"slow_query_ms":                 {"slow_query_ms = 77", func(_ config.Hyperdrive, c hyperdrive.Config) bool { return c.SlowQuery == 77*time.Millisecond }},
		"local_port":                    {"local_port = 15432", func(_ config.Hyperdrive, c hyperdrive.Config) bool { return c.ProxyAddr == "127.0.0.1:15432" }},
		"statement_cache":               {`statement_cache = "describe"`, func(_ config.Hyperdrive, c hyperdrive.Config) bool { return c.StatementCache == "describe" }},
		"[hyperdrive.caching] disabled": {"[hyperdrive.caching]\ndisabled = true", func(_ config.Hyperdrive, c hyperdrive.Config) bool { return c.Cache.Disabled }},
		"[hyperdrive.caching] max_age":  {"[hyperdrive.caching]\nmax_age = 9", func(_ config.Hyperdrive, c hyperdrive.Config) bool { return c.Cache.MaxAge == 9*time.Second }},
		"[hyperdrive.caching] stale_while_revalidate": {"[hyperdrive.caching]\nstale_while_revalidate = 3", func(_ config.Hyperdrive, c hyperdrive.Config) bool {
			return c.Cache.StaleWhileRevalidate == 3*time.Second
		}},
		"[hyperdrive.caching] max_bytes":       {"[hyperdrive.caching]\nmax_bytes = 2097152", func(_ config.Hyperdrive, c hyperdrive.Config) bool { return c.Cache.MaxBytes == 2<<20 }},
		"[hyperdrive.caching] max_entry_bytes": {"[hyperdrive.caching]\nmax_entry_bytes = 4096", func(_ config.Hyperdrive, c hyperdrive.Config) bool { return c.Cache.MaxEntryBytes == 4096 }},
		"[hyperdrive.caching] notify_channel":  {"[hyperdrive.caching]\nnotify_channel = \"inval\"", func(_ config.Hyperdrive, c hyperdrive.Config) bool { return c.Cache.NotifyChannel == "inval" }},
		"[hyperdrive.caching] strict_coherence": {"[hyperdrive.caching]\nnotify_channel = \"inval\"\nstrict_coherence = true", func(_ config.Hyperdrive, c hyperdrive.Config) bool {
			return c.Cache.StrictCoherence && c.Cache.NotifyChannel == "inval"
		}},
		"[hyperdrive.breaker] failure_threshold": {"[hyperdrive.breaker]\nfailure_threshold = 8", func(_ config.Hyperdrive, c hyperdrive.Config) bool { return c.FailureThreshold == 8 }},
		"[hyperdrive.breaker] open_timeout_ms":   {"[hyperdrive.breaker]\nopen_timeout_ms = 999", func(_ config.Hyperdrive, c hyperdrive.Config) bool { return c.OpenTimeout == 999*time.Millisecond }},
	}
	documented := documentedKeys(t, "Inside each `[[hyperdrive]]` entry:")
	var tested []string
	for k := range keys {
		tested = append(tested, k)
	}
	slices.Sort(documented)
	slices.Sort(tested)
	if !slices.Equal(documented, tested) {
		t.Fatalf("README documents %q\nthis test checks %q: a documented key needs a check here (and a checked key a README row)", documented, tested)
	}
	for key, tt := range keys {
		dir := t.TempDir()
		if err := os.MkdirAll(filepath.Join(dir, "migrations"), 0o755); err != nil {
			t.Fatal(err)
		}
		cfg := loadProject(t, dir, "[[hyperdrive]]\nbinding = \"DB\"\nid = \"x\"\n"+
			"localConnectionString = \"postgres://u@localhost:5432/db\"\n"+tt.toml+"\n")
		hd := cfg.Hyperdrive[0]
		if c := hyperdriveConfig(cfg, hd, hd.LocalConnectionString, nil, nil); !tt.check(hd, c) {
			t.Errorf("%s (%s) did not reach the binding: %+v", key, tt.toml, c)
		}
	}
}

// Every key README documents for a [[kv_namespaces]] entry decides the
// store the namespace's binding is built on.
func TestEveryDocumentedKVKeyReachesItsStore(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	keys := map[string]string{ // key → the entry's extra lines
		"store":             "store = \"postgres\"\nconnection_string = \"" + dsn + "\"",
		"connection_string": "connection_string = \"" + dsn + "\"",
		"hyperdrive":        "hyperdrive = \"DB\"",
	}
	documented := documentedKeys(t, "Inside each `[[kv_namespaces]]` entry:")
	var tested []string
	for k := range keys {
		tested = append(tested, k)
	}
	slices.Sort(documented)
	slices.Sort(tested)
	if !slices.Equal(documented, tested) {
		t.Fatalf("README documents %q\nthis test checks %q", documented, tested)
	}
	open := func(extra string) (kv.Store, []string) {
		t.Helper()
		cfg := loadProject(t, t.TempDir(), "[[hyperdrive]]\nbinding = \"DB\"\nid = \"x\"\nlocalConnectionString = \"postgres://u@localhost:5432/db\"\n"+
			"[[kv_namespaces]]\nbinding = \"KV\"\n"+extra+"\n")
		var asked []string
		list, closeStores, err := openKV(context.Background(), cfg, func(name string) string { asked = append(asked, name); return dsn }, slog.Default())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { closeStores(context.Background()) })
		return list[0].Store(), asked
	}
	for key, extra := range keys {
		store, asked := open(extra)
		if _, ok := store.(*kv.PostgresStore); !ok {
			t.Errorf("%s: the namespace's store is %T, want *kv.PostgresStore", key, store)
		}
		if want := key == "hyperdrive"; want != slices.Equal(asked, []string{"DB"}) {
			t.Errorf("%s: asked for hyperdrive databases %q", key, asked)
		}
	}
	if store, _ := open(""); !isBolt(store) {
		t.Errorf("without the keys the store is %T, want the local *kv.BoltStore", store)
	}
}

func isBolt(s kv.Store) bool { _, ok := s.(*kv.BoltStore); return ok }

// loadProject writes a project (an empty module worker and a wrangler.toml
// whose bindings are the given TOML) in dir and loads its configuration.
func loadProject(t *testing.T, dir, bindingsTOML string) *config.Config {
	t.Helper()
	toml := "name = \"k\"\nmain = \"index.js\"\ncompatibility_date = \"2026-11-01\"\n" + bindingsTOML
	if err := os.WriteFile(filepath.Join(dir, "index.js"), []byte("export default {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "wrangler.toml"), []byte(toml), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, _, err := config.Load(config.Options{Dir: dir})
	if err != nil {
		t.Fatalf("%v\n%s", err, toml)
	}
	return cfg
}
