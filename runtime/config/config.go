package config

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Options says which configuration to load and what surrounds it.
type Options struct {
	// Path is the configuration file (wrangler's --config). Empty: look for
	// wrangler.json, wrangler.jsonc, then wrangler.toml in Dir, then in each
	// parent directory, nearest directory first.
	Path string
	// Dir is where the search starts when Path is empty; empty means ".".
	Dir string
	// Env selects [env.<name>] (wrangler's --env). Empty: the
	// CLOUDFLARE_ENV environment variable, as in wrangler, else the top level.
	Env string
	// Getenv looks up process environment variables (cmd passes
	// os.LookupEnv). Nil means an empty environment.
	Getenv func(string) (string, bool)
	// Vars are --var KEY:VALUE overrides; they win over [vars] and secrets.
	Vars map[string]string
	// NoEntry: the command runs no worker (edgerun proxy), so main is
	// neither required nor checked.
	NoEntry bool
}

// Config is a loaded, resolved configuration: the selected environment's
// values with defaults applied and paths made absolute.
type Config struct {
	Path string // absolute path of the configuration file
	Dir  string // its directory; relative paths in the file are relative to it
	Env  string // selected environment; "" = top level

	Name               string // name; with an environment, "<name>-<env>" unless the environment sets its own
	Main               string // main: the entry module, absolute; must exist ("" for an assets-only project)
	CompatibilityDate  string // compatibility_date (YYYY-MM-DD); "" if unset (a warning says so)
	CompatibilityFlags []string

	// Vars holds [vars] plus Options.Vars: strings, and JSON values kept as
	// map[string]any, []any, int64, float64, bool or string.
	Vars map[string]any
	// Secrets holds the local secrets file's values (.dev.vars, .dev.vars.<env>
	// or the .env files); keys also in Options.Vars are left out, since the
	// command line wins. See EnvValues for the merged view.
	Secrets map[string]string
	// SecretsFiles lists the files Secrets came from, in the order read.
	SecretsFiles []string

	Hyperdrive   []Hyperdrive
	KVNamespaces []KVNamespace
	R2Buckets    []R2Bucket
	Assets       *Assets // [assets]; nil without
	// Declared are bindings of kinds edgerun does not run, for edgerun types.
	Declared []DeclaredBinding
	Triggers Triggers
	Limits   Limits
	Dev      Dev
	Build    Build
	Edgerun  Edgerun

	// Environments lists the names defined under [env], sorted.
	Environments []string
}

// EnvValues returns the plain values a worker's env object holds, with
// wrangler's precedence: [vars], overridden by secrets, overridden by
// --var. Bindings (Hyperdrive, KV) are not included.
func (c *Config) EnvValues() map[string]any {
	out := make(map[string]any, len(c.Vars)+len(c.Secrets))
	for k, v := range c.Vars {
		out[k] = v
	}
	for k, v := range c.Secrets {
		out[k] = v
	}
	return out
}

// Hyperdrive is one [[hyperdrive]] binding. Binding, ID and
// LocalConnectionString are wrangler's; the other fields are edgerun
// extensions read from the same entry under the key named on each field.
type Hyperdrive struct {
	Binding string // binding: the name on env; a JS identifier, unique among bindings
	ID      string // id: the Hyperdrive configuration id (required by wrangler; unused locally)

	// LocalConnectionString is the database to connect to: the
	// CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_<BINDING> environment
	// variable, else the older WRANGLER_HYPERDRIVE_LOCAL_CONNECTION_STRING_<BINDING>,
	// else localConnectionString. Empty: edgerun manages a local PostgreSQL.
	// It holds a password: log it through RedactConnectionString.
	LocalConnectionString string
	// ConnectionStringSource names where LocalConnectionString came from:
	// the environment variable's name, "localConnectionString", or "".
	ConnectionStringSource string

	OriginConnectionLimit    int           // origin_connection_limit: pool size per endpoint; default 20 (Hyperdrive's name)
	QueryTimeout             time.Duration // query_timeout_ms: per-query limit, cancelled on the server; default 30000
	AcquireTimeout           time.Duration // acquire_timeout_ms: wait for a pooled connection; default 10000
	IdleTransactionTimeout   time.Duration // idle_transaction_timeout_ms: a local Hyperdrive client idle in a transaction longer is disconnected; 0 (default) never
	FallbackConnectionString string        // fallback_connection_string: used while the primary's breaker is open; default none
	ReplicaConnectionStrings []string      // replica_connection_strings: read-only statements may go here; default none
	MigrationsDir            string        // migrations_dir: SQL migrations, absolute; default none
	Caching                  Caching       // [hyperdrive.caching]
	Breaker                  Breaker       // [hyperdrive.breaker]
	Retries                  int           // retries: retries of safe-to-retry failures; default 2
	SlowQuery                time.Duration // slow_query_ms: queries slower than this are logged; default 500
	StatementCache           string        // statement_cache: "auto" (default), "prepare" or "describe" (for transaction-mode poolers)
	LocalPort                int           // local_port: the local Hyperdrive's loopback port; 0 (default) picks one, -1 runs none

	Line int // line of the entry in the configuration file, for messages
}

// Caching is a Hyperdrive binding's query cache, with Hyperdrive's
// semantics and defaults.
type Caching struct {
	Disabled             bool          // disabled: default false
	MaxAge               time.Duration // max_age (seconds): default 60, at most 3600
	StaleWhileRevalidate time.Duration // stale_while_revalidate (seconds): default 15
	MaxBytes             int64         // max_bytes: total cache memory; default 64 MiB; an integer or a size like "64MiB"
	MaxEntryBytes        int64         // max_entry_bytes: larger results are not cached; default 1 MiB
	NotifyChannel        string        // notify_channel: LISTEN/NOTIFY channel that keeps several processes' caches coherent; default none
	StrictCoherence      bool          // strict_coherence: a cached read first waits for a round trip on the listening connection, so no read is older than another process's acknowledged write; default false
}

// Breaker is a Hyperdrive binding's circuit breaker per endpoint.
type Breaker struct {
	FailureThreshold int           // failure_threshold: consecutive connection failures that open it; default 3
	OpenTimeout      time.Duration // open_timeout_ms: time open before a half-open probe; default 5000
}

// Assets is [assets]: static files served before (or, with
// run_worker_first, after) the worker, as Workers Static Assets.
type Assets struct {
	Directory        string   // directory: absolute; must exist
	Binding          string   // binding: env name of the assets fetcher; "" for none
	HTMLHandling     string   // html_handling: auto-trailing-slash (default), force-trailing-slash, drop-trailing-slash, none
	NotFoundHandling string   // not_found_handling: none (default), 404-page, single-page-application
	RunWorkerFirst   bool     // run_worker_first = true: every request goes to the worker first
	WorkerFirstPaths []string // run_worker_first = ["/api/*", "!/api/docs/*"]: these paths do
}

// R2Bucket is one [[r2_buckets]] binding.
type R2Bucket struct {
	Binding           string // binding
	BucketName        string // bucket_name (optional: the binding name stands in locally)
	PreviewBucketName string // preview_bucket_name
	// edgerun's own keys (kind_r2.go): where the objects live.
	Store       string // R2StoreLocal (default) or R2StoreS3
	Endpoint    string // S3 service URL (endpoint, or EDGERUN_R2_ENDPOINT_<BINDING>)
	S3Bucket    string // bucket: the S3 bucket (default bucket_name, else the binding name)
	Region      string // region (default us-east-1; "auto" for R2's own S3 endpoints)
	Credentials R2Credentials
	Line        int
}

// KVNamespace is one [[kv_namespaces]] binding. Binding, ID and PreviewID
// are wrangler's; Store, ConnectionString and Hyperdrive are edgerun keys
// of the same entry (wrangler ignores them).
type KVNamespace struct {
	Binding   string // binding
	ID        string // id (optional: wrangler provisions one on deploy)
	PreviewID string // preview_id

	// Store is where the keys live: "local" (the bbolt file under
	// .edgerun/state; the default) or "postgres" (a table in a PostgreSQL
	// database, shared by every process pointed at it). store: "postgres"
	// is implied by connection_string, hyperdrive or the environment
	// variable.
	Store string
	// ConnectionString (connection_string) is the PostgreSQL database of a
	// "postgres" store: the EDGERUN_KV_CONNECTION_STRING_<BINDING>
	// environment variable, else connection_string. It holds a password:
	// log it through RedactConnectionString.
	ConnectionString string
	// ConnectionStringSource names where ConnectionString came from: the
	// environment variable's name, "connection_string", or "".
	ConnectionStringSource string
	// Hyperdrive (hyperdrive) names a [[hyperdrive]] binding whose database
	// (its origin, managed or not) holds the table, when ConnectionString
	// is empty.
	Hyperdrive string

	Line int
}

// KV stores.
const (
	KVStoreLocal    = "local"
	KVStorePostgres = "postgres"
)

// Triggers is [triggers].
type Triggers struct {
	Crons []string // crons: cron expressions for scheduled()
}

// Limits is [limits].
type Limits struct {
	CPUMs        int   // cpu_ms: CPU time per request; default 30000
	MemoryMB     int   // memory_mb (edgerun): heap budget per isolate; default 128
	MaxBodyBytes int64 // max_body_bytes (edgerun): request body limit; default 100 MiB; an integer or a size string
	// ResponseTimeoutMs (response_timeout_ms, edgerun): how long a request
	// may wait for its worker to start answering before it gets a 504 and
	// is ended (its timers cleared, its isolate slot freed). Default
	// 100000, the time Cloudflare's edge waits for a response's headers;
	// 0 = no limit.
	ResponseTimeoutMs int
	// MaxSocketsPerRequest (max_sockets_per_request, edgerun): how many
	// cloudflare:sockets connections one request may have open at once;
	// more wait until one closes, as Workers queues a request's
	// connections past its limit. Default 6, Workers' limit.
	MaxSocketsPerRequest int
}

// CPU returns CPUMs as a duration.
func (l Limits) CPU() time.Duration { return time.Duration(l.CPUMs) * time.Millisecond }

// ResponseTimeout returns ResponseTimeoutMs as a duration (0 = none).
func (l Limits) ResponseTimeout() time.Duration {
	return time.Duration(l.ResponseTimeoutMs) * time.Millisecond
}

// Dev is [dev] (top level only, as in wrangler).
type Dev struct {
	IP            string // ip: default "127.0.0.1" (wrangler's is "localhost"; loopback IPv4 is what that means here)
	Port          int    // port: default 8787
	LocalProtocol string // local_protocol: "http" (default) or "https"
	GenerateTypes bool   // generate_types: dev writes worker-configuration.d.ts at start when it changed; default false
}

// Build holds the wrangler keys that shape how main is bundled.
type Build struct {
	Define      map[string]string // define: identifier → JS expression (not inherited)
	Alias       map[string]string // alias: module specifier → replacement (top level only)
	JSXFactory  string            // jsx_factory: default "React.createElement"
	JSXFragment string            // jsx_fragment: default "React.Fragment"
	TSConfig    string            // tsconfig: absolute; "" = esbuild's own lookup
	Minify      bool              // minify: default false
	KeepNames   bool              // keep_names: default true
	NoBundle    bool              // no_bundle: default false
}

// Edgerun is the top-level [edgerun] table: settings wrangler has no names
// for.
type Edgerun struct {
	Isolates                int    // isolates: pool maximum; 0 (default) = runtime.GOMAXPROCS(0) (a container's CPU limit), resolved here
	MaxConcurrentPerIsolate int    // max_concurrent_per_isolate: in-flight requests per isolate; default 1000
	Admin                   string // admin: health and metrics listener; default "127.0.0.1:9787"
	Alerts                  Alerts // [edgerun.alerts]
	// TrustedCAs are PEM files of certificate authorities that TLS sockets
	// (cloudflare:sockets, node:tls, the drivers' sslmode) trust besides the
	// system's: trusted_ca_certs (paths relative to the project), then
	// NODE_EXTRA_CA_CERTS, which wrangler honours too. The managed local
	// PostgreSQL's CA is always trusted.
	TrustedCAs []string
	// CronLock is where a fleet's processes elect the one that fires
	// [triggers] crons (a PostgreSQL session advisory lock): a database
	// named by cron_lock (a [[hyperdrive]] binding's name, or a connection
	// string), by the EDGERUN_CRON_LOCK_CONNECTION_STRING environment
	// variable (which wins), or else the first [[kv_namespaces]] entry on
	// PostgreSQL. Zero: no election, every process fires its crons.
	CronLock CronLock
}

// CronLock names the database of the cron leader election: Hyperdrive (a
// [[hyperdrive]] binding whose origin it is) or ConnectionString.
type CronLock struct {
	Hyperdrive       string
	ConnectionString string // holds a password: log it through RedactConnectionString
	Source           string // "cron_lock", the environment variable, or `kv_namespaces "<BINDING>"`
}

// Enabled reports whether a database elects the cron leader.
func (c CronLock) Enabled() bool { return c.Hyperdrive != "" || c.ConnectionString != "" }

// Alerts are the thresholds at which edgerun logs an alert.
type Alerts struct {
	ResponseTimeWarning  time.Duration // response_time_warning_ms: default 500
	ResponseTimeCritical time.Duration // response_time_critical_ms: default 1000
	ErrorRateWarning     float64       // error_rate_warning: fraction of requests; default 0.05
	ErrorRateCritical    float64       // error_rate_critical: default 0.10
	ConnectionFailures   int           // connection_failures: consecutive, per endpoint; default 3
	Window               time.Duration // window_s: rates are measured over this window; default 60
}

// Load finds, parses and resolves a configuration. Warnings are returned
// even when err is not nil. err is an *Error, or several joined (errors.As
// finds the first); each names its file and line.
func Load(opts Options) (*Config, []Warning, error) {
	abs, display, err := locate(opts)
	if err != nil {
		return nil, nil, err
	}
	src, err := os.ReadFile(abs)
	if err != nil {
		return nil, nil, &Error{File: display, Message: "cannot read configuration: " + err.Error(), Err: err}
	}
	return load(abs, display, src, opts)
}

// load resolves the configuration file at abs (shown as display) whose
// contents are src.
func load(abs, display string, src []byte, opts Options) (*Config, []Warning, error) {
	getenv := opts.Getenv
	if getenv == nil {
		getenv = func(string) (string, bool) { return "", false }
	}
	doc, err := parse(display, src)
	if err != nil {
		return nil, nil, err
	}

	envName := opts.Env
	if envName == "" {
		if v, ok := getenv("CLOUDFLARE_ENV"); ok {
			envName = strings.TrimSpace(v)
		}
	}
	prob := &problems{}
	cfg := &Config{Path: abs, Dir: filepath.Dir(abs), Env: envName}
	r := newResolver(&decoder{doc: doc, problems: prob}, envName)
	r.noEntry = opts.NoEntry
	r.build(cfg)
	if err := prob.err(); err != nil {
		return nil, prob.sortedWarnings(), err
	}

	secrets, err := loadSecrets(cfg.Dir, filepath.Dir(display), envName, getenv, prob)
	if err != nil {
		return nil, prob.sortedWarnings(), err
	}
	r.applySecrets(cfg, secrets)
	r.applyConnectionStringEnv(cfg, getenv)
	r.resolveSSLRootCerts(cfg)
	r.applyKVStores(cfg, getenv)
	r.applyCronLock(cfg, getenv)
	r.applyR2Stores(cfg, getenv, secrets)
	if v, ok := getenv("NODE_EXTRA_CA_CERTS"); ok && strings.TrimSpace(v) != "" {
		cfg.Edgerun.TrustedCAs = append(cfg.Edgerun.TrustedCAs, strings.TrimSpace(v))
	}
	for k := range opts.Vars {
		if msg := reservedBindingName(k); msg != "" {
			prob.errorAt("", 0, "--var %s: %s", k, msg)
		}
	}
	r.applyCLIVars(cfg, opts.Vars)
	if err := prob.err(); err != nil {
		return nil, prob.sortedWarnings(), err
	}
	return cfg, prob.sortedWarnings(), nil
}

// configNames are the files wrangler looks for, in its order of preference
// within one directory.
var configNames = []string{"wrangler.json", "wrangler.jsonc", "wrangler.toml"}

// locate returns the configuration file's absolute path and the path to
// show in messages (as given, or relative to Options.Dir as given).
func locate(opts Options) (abs, display string, err error) {
	if opts.Path != "" {
		abs, err := filepath.Abs(opts.Path)
		if err != nil {
			return "", "", &Error{File: opts.Path, Message: err.Error(), Err: err}
		}
		return abs, opts.Path, nil
	}
	dir := opts.Dir
	if dir == "" {
		dir = "."
	}
	start, err := filepath.Abs(dir)
	if err != nil {
		return "", "", &Error{File: dir, Message: err.Error(), Err: err}
	}
	// wrangler walks up from the working directory. Each directory is
	// searched for all three names before its parent, so a project's own
	// wrangler.toml is not shadowed by a wrangler.json further up
	// (workers-sdk#15663).
	for d := start; ; {
		for _, name := range configNames {
			p := filepath.Join(d, name)
			if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
				rel, err := filepath.Rel(start, p)
				if err != nil || filepath.IsAbs(dir) {
					return p, p, nil
				}
				return p, filepath.Join(dir, rel), nil
			}
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	return "", "", &Error{File: dir, Message: fmt.Sprintf("no %s found here or in any parent directory", strings.Join(configNames, ", "))}
}

// parse picks the syntax by extension, as wrangler does; an unknown
// extension is read as JSON if it looks like JSON, else as TOML.
func parse(file string, src []byte) (*document, error) {
	switch ext := strings.ToLower(filepath.Ext(file)); {
	case ext == ".json" || ext == ".jsonc":
		return parseJSONC(file, src)
	case ext == ".toml":
		return parseTOML(file, src)
	case bytes.HasPrefix(bytes.TrimSpace(src), []byte("{")):
		return parseJSONC(file, src)
	default:
		return parseTOML(file, src)
	}
}
