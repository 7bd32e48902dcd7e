package config

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
)

// The classification of wrangler's keys, from its normalizeAndValidateConfig
// (workers-utils/src/config/validation.ts).
var (
	// topLevelOnlyKeys are read from the top level whatever --env says.
	topLevelOnlyKeys = set("$schema", "dev", "site", "alias", "wasm_modules", "text_blobs", "data_blobs",
		"keep_vars", "send_metrics", "pages_build_output_dir", "dependencies_instrumentation", "addresses",
		"legacy_env", "env",
		"edgerun") // ours

	// inheritableKeys fall back to the top level when an environment omits them.
	inheritableKeys = set("account_id", "compatibility_date", "compatibility_flags", "jsx_factory", "jsx_fragment",
		"tsconfig", "rules", "name", "main", "find_additional_modules", "preserve_file_names", "base_dir",
		"route", "routes", "triggers", "assets", "limits", "placement", "build", "workers_dev", "preview_urls",
		"migrations", "exports", "logfwdr", "no_bundle", "minify", "keep_names", "first_party_worker", "logpush",
		"upload_source_maps", "observability", "access", "cache", "compliance_region", "python_modules", "previews")

	// nonInheritableKeys (bindings, mostly) exist in an environment only if
	// it defines them.
	nonInheritableKeys = []string{"vars", "secrets", "define", "durable_objects", "workflows", "kv_namespaces",
		"cloudchamber", "containers", "send_email", "queues", "connect", "r2_buckets", "d1_databases", "vectorize",
		"ai_search_namespaces", "ai_search", "websearch", "agent_memory", "hyperdrive", "services",
		"analytics_engine_datasets", "dispatch_namespaces", "mtls_certificates", "tail_consumers",
		"streaming_tail_consumers", "unsafe", "browser", "ai", "images", "stream", "media", "pipelines",
		"secrets_store_secrets", "artifacts", "unsafe_hello_world", "flagship", "worker_loaders", "ratelimits",
		"vpc_services", "vpc_networks", "version_metadata"}

	// unsupportedKeys are wrangler features edgerun does not implement. A
	// worker relying on one would see an undefined binding or a missing
	// build step, so each gets a warning. Deploy-only keys (routes,
	// account_id, observability, …) are accepted silently: they mean nothing
	// to a local runtime and are not a mistake.
	unsupportedKeys = set("durable_objects", "workflows", "cloudchamber", "containers", "send_email", "queues",
		"connect", "d1_databases", "vectorize", "ai_search_namespaces", "ai_search", "websearch",
		"agent_memory", "services", "analytics_engine_datasets", "dispatch_namespaces", "mtls_certificates",
		"tail_consumers", "streaming_tail_consumers", "unsafe", "browser", "ai", "images", "stream", "media",
		"pipelines", "secrets_store_secrets", "artifacts", "unsafe_hello_world", "flagship", "worker_loaders",
		"ratelimits", "vpc_services", "vpc_networks", "version_metadata", "logfwdr", "build", "rules",
		"find_additional_modules", "site", "wasm_modules", "text_blobs", "data_blobs")

	triggersKeys  = set("crons", "events")
	limitsKeys    = set("cpu_ms", "subrequests", "memory_mb", "max_body_bytes", "response_timeout_ms", "max_sockets_per_request")
	devKeys       = set("ip", "port", "inspector_port", "inspector_ip", "local_protocol", "upstream_protocol", "host", "enable_containers", "container_engine", "generate_types")
	secretsKeys   = set("required")
	edgerunKeys   = set("isolates", "max_concurrent_per_isolate", "admin", "alerts", "trusted_ca_certs", "cron_lock")
	alertsKeys    = set("response_time_warning_ms", "response_time_critical_ms", "error_rate_warning", "error_rate_critical", "connection_failures", "window_s")
	environmentOK = func() map[string]bool {
		m := set(nonInheritableKeys...)
		for k := range inheritableKeys {
			m[k] = true
		}
		return m
	}()
	topLevelOK = func() map[string]bool {
		m := set(nonInheritableKeys...)
		for k := range inheritableKeys {
			m[k] = true
		}
		for k := range topLevelOnlyKeys {
			m[k] = true
		}
		return m
	}()
)

// Defaults. Each is documented on its Config field too.
const (
	defaultCPUMs                  = 30_000
	defaultMemoryMB               = 128
	defaultMaxBodyBytes           = 100 << 20
	defaultResponseTimeoutMs      = 100_000
	defaultMaxSocketsPerRequest   = 6
	defaultDevIP                  = "127.0.0.1"
	defaultDevPort                = 8787
	defaultOriginConnectionLimit  = 20
	defaultQueryTimeout           = 30 * time.Second
	defaultAcquireTimeout         = 10 * time.Second
	defaultCacheMaxAge            = 60 * time.Second
	maxCacheMaxAgeSeconds         = 3600 // Hyperdrive's limit
	defaultStaleWhileRevalidate   = 15 * time.Second
	defaultCacheMaxBytes          = 64 << 20
	defaultCacheMaxEntryBytes     = 1 << 20
	defaultBreakerFailures        = 3
	defaultBreakerOpenTimeout     = 5 * time.Second
	defaultRetries                = 2
	defaultSlowQuery              = 500 * time.Millisecond
	defaultMaxConcurrentIsolate   = 1000
	defaultAdmin                  = "127.0.0.1:9787"
	defaultResponseTimeWarning    = 500 * time.Millisecond
	defaultResponseTimeCritical   = 1000 * time.Millisecond
	defaultErrorRateWarning       = 0.05
	defaultErrorRateCritical      = 0.10
	defaultAlertConnectionFailure = 3
	defaultAlertWindow            = 60 * time.Second
)

// workerName is wrangler's isValidName.
var workerName = regexp.MustCompile(`^$|^[a-z0-9_][a-z0-9-_]*$`)

// resolver turns a document plus an environment name into a Config.
type resolver struct {
	d        *decoder
	top      map[string]any
	env      map[string]any // the selected [env.<name>] table; nil at the top level
	envs     map[string]any // the [env] table
	envName  string
	envPath  keyPath
	reuseTop bool // --env X with no [env] tables at all: wrangler uses the top level as env X
	noEntry  bool // Options.NoEntry: main is not read

	own      map[string]ownValue   // non-inheritable keys, as resolved for the selected environment
	bindings map[string]bindingDef // every binding name, for uniqueness

	secretsRequired     []string // secrets.required, nil when not set
	secretsRequiredPath keyPath

	cronLock     string // [edgerun] cron_lock as written; resolved by applyCronLock
	cronLockPath keyPath
}

type ownValue struct {
	v any
	p keyPath
}

type bindingDef struct {
	kind string // wrangler's friendly name: "Environment Variable", "Hyperdrive Config", "KV Namespace"
	line int
}

func newResolver(d *decoder, envName string) *resolver {
	r := &resolver{d: d, top: d.doc.root, envName: envName, own: map[string]ownValue{}, bindings: map[string]bindingDef{}}
	if v, ok := r.top["env"]; ok {
		r.envs, _ = d.table(keyPath{"env"}, v)
	}
	envs := r.envs
	if envName != "" {
		r.envPath = keyPath{"env", envName}
		switch v, ok := envs[envName]; {
		case ok:
			if m, ok := d.table(r.envPath, v); ok {
				r.env = m
			}
		case len(envs) > 0:
			names := jsonStrings(sortedNames(envs))
			d.errorf(keyPath{"env"}, "No environment found in configuration with name %q. The available configured environment names are: %s", envName, names)
		default:
			d.warnf(nil, "No environment found in configuration with name %q; using the top-level configuration as %q (add an [env.%s] section)", envName, envName, envName)
			r.reuseTop = true
		}
	}
	// Resolve every non-inheritable key once, so each missing one is warned
	// about once.
	for _, key := range nonInheritableKeys {
		if v, p, ok := r.ownKey(key); ok {
			r.own[key] = ownValue{v, p}
		}
	}
	return r
}

func sortedNames(m map[string]any) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// jsonStrings renders names as a JSON array, as wrangler's message does.
func jsonStrings(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = fmt.Sprintf("%q", n)
	}
	return "[" + strings.Join(quoted, ",") + "]"
}

// inherited returns an inheritable key: the environment's value, else the
// top level's.
func (r *resolver) inherited(key string) (any, keyPath, bool) {
	if r.env != nil && !r.reuseTop {
		if v, ok := r.env[key]; ok {
			return v, r.envPath.child(key), true
		}
	}
	v, ok := r.top[key]
	return v, keyPath{key}, ok
}

// ownKey returns a non-inheritable key: only the environment's own value.
// When the top level has the key and the environment does not, wrangler
// warns, because that is rarely what the author meant.
func (r *resolver) ownKey(key string) (any, keyPath, bool) {
	if r.env == nil || r.reuseTop {
		v, ok := r.top[key]
		return v, keyPath{key}, ok
	}
	if v, ok := r.env[key]; ok {
		return v, r.envPath.child(key), true
	}
	if _, ok := r.top[key]; ok {
		r.d.warnf(r.envPath, "%q exists at the top level, but not on %q; it is not inherited by environments, so this environment has none. Add %q to %q.",
			key, "env."+r.envName, key, "env."+r.envName)
	}
	return nil, nil, false
}

func (r *resolver) build(cfg *Config) {
	d := r.d
	if _, ok := r.top["legacy_env"]; ok {
		d.errorf(keyPath{"legacy_env"}, `The "legacy_env" field is no longer supported, so please remove it from your configuration file.`)
	}
	d.unknownKeys(nil, r.top, topLevelOK)
	if r.env != nil && !r.reuseTop {
		d.unknownKeys(r.envPath, r.env, environmentOK)
	}
	cfg.Environments = sortedNames(r.envs)

	r.name(cfg)
	r.main(cfg)
	r.compatibility(cfg)
	r.triggers(cfg)
	r.limits(cfg)
	r.bundling(cfg)
	r.vars(cfg)
	r.secretsConfig()
	if o, ok := r.own["hyperdrive"]; ok {
		r.hyperdrive(cfg, o.v, o.p)
	}
	if o, ok := r.own["kv_namespaces"]; ok {
		r.kvNamespaces(cfg, o.v, o.p)
	}
	if o, ok := r.own["r2_buckets"]; ok {
		r.r2Buckets(cfg, o.v, o.p)
	}
	r.assets(cfg)
	r.dev(cfg)
	r.edgerun(cfg)
	r.unsupported()
	r.declared(cfg)
}

func (r *resolver) name(cfg *Config) {
	if r.env != nil && !r.reuseTop {
		if v, ok := r.env["name"]; ok {
			cfg.Name = r.validName(v, r.envPath.child("name"))
			return
		}
	}
	v, ok := r.top["name"]
	if !ok {
		return
	}
	cfg.Name = r.validName(v, keyPath{"name"})
	if r.envName != "" && cfg.Name != "" {
		cfg.Name += "-" + r.envName // wrangler's appendEnvName
	}
}

func (r *resolver) validName(v any, p keyPath) string {
	if s, ok := v.(string); ok && workerName.MatchString(s) {
		return s
	}
	r.d.errorf(p, "Expected %q to be of type string, alphanumeric and lowercase with dashes only but got %s.", p.String(), jsonish(v))
	return ""
}

func (r *resolver) main(cfg *Config) {
	if r.noEntry {
		return
	}
	v, p, ok := r.inherited("main")
	if !ok {
		if _, _, assets := r.inherited("assets"); assets {
			return // an assets-only project: the files answer every request
		}
		line := r.d.doc.lineOf(nil)
		if line == 0 {
			line = 1
		}
		r.d.errorAt(r.d.doc.file, line, `Missing entry-point: the "main" field must name the worker's entry module (for example main = "src/index.ts").`)
		return
	}
	s, ok := r.d.str(p, v)
	if !ok {
		return
	}
	if s == "" {
		r.d.errorf(p, `"main" must not be empty.`)
		return
	}
	cfg.Main = r.abs(cfg, s)
	fi, err := os.Stat(cfg.Main)
	switch {
	case err != nil:
		r.d.errorf(p, "The entry-point file at %q was not found (main = %q).", cfg.Main, s)
		cfg.Main = ""
	case fi.IsDir():
		r.d.errorf(p, "The entry-point %q is a directory, not a file (main = %q).", cfg.Main, s)
		cfg.Main = ""
	}
}

// abs resolves a path from the file against the file's directory.
func (r *resolver) abs(cfg *Config, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(cfg.Dir, p)
}

func (r *resolver) compatibility(cfg *Config) {
	if v, p, ok := r.inherited("compatibility_date"); ok {
		if s, ok := r.d.str(p, v); ok {
			if _, err := time.Parse(time.DateOnly, s); err != nil {
				r.d.errorf(p, "%q field should be a valid ISO-8601 date (YYYY-MM-DD), but got %s.", p.String(), jsonish(v))
			} else {
				cfg.CompatibilityDate = s
			}
		}
	} else {
		r.d.warnAt(r.d.doc.file, 0, `No compatibility_date was specified; edgerun runs with its own current behaviour. Add compatibility_date = "YYYY-MM-DD" to pin it.`)
	}
	cfg.CompatibilityFlags = []string{}
	if v, p, ok := r.inherited("compatibility_flags"); ok {
		if flags, ok := r.d.stringArray(p, v); ok {
			cfg.CompatibilityFlags = flags
		}
	}
}

func (r *resolver) triggers(cfg *Config) {
	cfg.Triggers.Crons = []string{}
	v, p, ok := r.inherited("triggers")
	if !ok {
		return
	}
	m, ok := r.d.table(p, v)
	if !ok {
		return
	}
	r.d.unknownKeys(p, m, triggersKeys)
	if c, ok := m["crons"]; ok {
		if crons, ok := r.d.stringArray(p.child("crons"), c); ok {
			cfg.Triggers.Crons = crons
		}
	}
}

func (r *resolver) limits(cfg *Config) {
	cfg.Limits = Limits{CPUMs: defaultCPUMs, MemoryMB: defaultMemoryMB, MaxBodyBytes: defaultMaxBodyBytes, ResponseTimeoutMs: defaultResponseTimeoutMs,
		MaxSocketsPerRequest: defaultMaxSocketsPerRequest}
	v, p, ok := r.inherited("limits")
	if !ok {
		return
	}
	m, ok := r.d.table(p, v)
	if !ok {
		return
	}
	r.d.unknownKeys(p, m, limitsKeys)
	if x, ok := m["cpu_ms"]; ok {
		if n, ok := r.d.intIn(p.child("cpu_ms"), x, 1, 15*60*1000); ok {
			cfg.Limits.CPUMs = int(n)
		}
	}
	if x, ok := m["memory_mb"]; ok {
		if n, ok := r.d.intIn(p.child("memory_mb"), x, 1, 1<<20); ok {
			cfg.Limits.MemoryMB = int(n)
		}
	}
	if x, ok := m["response_timeout_ms"]; ok {
		if n, ok := r.d.intIn(p.child("response_timeout_ms"), x, 0, 24*60*60*1000); ok {
			cfg.Limits.ResponseTimeoutMs = int(n)
		}
	}
	if x, ok := m["max_sockets_per_request"]; ok {
		if n, ok := r.d.intIn(p.child("max_sockets_per_request"), x, 1, 10000); ok {
			cfg.Limits.MaxSocketsPerRequest = int(n)
		}
	}
	if x, ok := m["max_body_bytes"]; ok {
		if n, ok := r.d.byteSize(p.child("max_body_bytes"), x); ok {
			cfg.Limits.MaxBodyBytes = n
		}
	}
}

// bundling reads the keys that shape how main is bundled.
func (r *resolver) bundling(cfg *Config) {
	b := Build{JSXFactory: "React.createElement", JSXFragment: "React.Fragment", KeepNames: true,
		Define: map[string]string{}, Alias: map[string]string{}}
	str := func(key string, dst *string) {
		if v, p, ok := r.inherited(key); ok {
			if s, ok := r.d.str(p, v); ok {
				*dst = s
			}
		}
	}
	boolean := func(key string, dst *bool) {
		if v, p, ok := r.inherited(key); ok {
			if x, ok := r.d.boolean(p, v); ok {
				*dst = x
			}
		}
	}
	str("jsx_factory", &b.JSXFactory)
	str("jsx_fragment", &b.JSXFragment)
	str("tsconfig", &b.TSConfig)
	if b.TSConfig != "" {
		b.TSConfig = r.abs(cfg, b.TSConfig)
	}
	boolean("minify", &b.Minify)
	boolean("keep_names", &b.KeepNames)
	boolean("no_bundle", &b.NoBundle)
	stringMap := func(v any, p keyPath, dst map[string]string) {
		m, ok := r.d.table(p, v)
		if !ok {
			return
		}
		for _, k := range r.d.sortedKeys(p, m) {
			if s, ok := r.d.str(p.child(k), m[k]); ok {
				dst[k] = s
			}
		}
	}
	if o, ok := r.own["define"]; ok {
		stringMap(o.v, o.p, b.Define)
	}
	if v, ok := r.top["alias"]; ok {
		stringMap(v, keyPath{"alias"}, b.Alias)
	}
	cfg.Build = b
}

func (r *resolver) vars(cfg *Config) {
	cfg.Vars = map[string]any{}
	o, ok := r.own["vars"]
	if !ok {
		return
	}
	m, ok := r.d.table(o.p, o.v)
	if !ok {
		return
	}
	for _, k := range r.d.sortedKeys(o.p, m) {
		p := o.p.child(k)
		if containsDateTime(m[k]) {
			r.d.errorf(p, "The field %q is a TOML date, which is not supported. Please use a string instead, e.g. %s = \"2025-12-19\".", p.String(), k)
			continue
		}
		r.addBinding(k, "Environment Variable", p)
		cfg.Vars[k] = m[k]
	}
	// wrangler also warns about individual vars an environment forgot.
	if r.env != nil && !r.reuseTop {
		if topVars, ok := r.top["vars"].(map[string]any); ok {
			var missing []string
			for _, k := range r.d.sortedKeys(keyPath{"vars"}, topVars) {
				if _, ok := m[k]; !ok {
					missing = append(missing, k)
				}
			}
			if len(missing) > 0 {
				r.d.warnf(o.p, "The following vars exist at the top level, but not on %q (vars are not inherited by environments): %s",
					o.p.String(), strings.Join(missing, ", "))
			}
		}
	}
}

func containsDateTime(v any) bool {
	switch t := v.(type) {
	case map[string]any:
		for _, e := range t {
			if containsDateTime(e) {
				return true
			}
		}
	case []any:
		return slices.ContainsFunc(t, containsDateTime)
	}
	return isDateTime(v)
}

// secretsConfig reads secrets.required: when set, only those keys are
// loaded from the local secrets file, and missing ones are warned about.
func (r *resolver) secretsConfig() {
	o, ok := r.own["secrets"]
	if !ok {
		return
	}
	m, ok := r.d.table(o.p, o.v)
	if !ok {
		return
	}
	r.d.unknownKeys(o.p, m, secretsKeys)
	if v, ok := m["required"]; ok {
		if names, ok := r.d.stringArray(o.p.child("required"), v); ok {
			r.secretsRequired = names
			r.secretsRequiredPath = o.p.child("required")
		}
	}
}

// addBinding enforces unique binding names across vars, hyperdrive and KV,
// and refuses the one name env cannot hold (reservedBindingName).
func (r *resolver) addBinding(name, kind string, p keyPath) {
	if msg := reservedBindingName(name); msg != "" {
		r.d.errorf(p, "%s", msg)
		return
	}
	line := r.d.doc.lineOf(p)
	if prev, dup := r.bindings[name]; dup {
		if prev.kind == kind {
			r.d.errorf(p, "%s assigned to multiple %s bindings (first at line %d). Bindings must have unique names, so that they can all be referenced in the worker.", name, kind, prev.line)
		} else {
			r.d.errorf(p, "%s assigned to %s and %s bindings (first at line %d). Bindings must have unique names, so that they can all be referenced in the worker.", name, prev.kind, kind, prev.line)
		}
		return
	}
	r.bindings[name] = bindingDef{kind: kind, line: line}
}

// reservedBindingName explains why name cannot be on env, "" when it can.
// Setting "__proto__" on a JS object replaces its prototype rather than
// adding a property, so such a binding would either vanish or become env's
// prototype (every name on it then visible through env). Other names of
// Object.prototype ("constructor", "toString") are ordinary own
// properties and shadow nothing a worker relies on; they are allowed.
func reservedBindingName(name string) string {
	if name == "__proto__" {
		return `"__proto__" cannot be a binding or variable name: on env it would replace the object's prototype instead of holding a value. Rename it.`
	}
	return ""
}

// isJSIdentifier reports whether s can be written as env.<s> in JavaScript.
func isJSIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		switch {
		case c == '_' || c == '$' || unicode.IsLetter(c):
		case i > 0 && (unicode.IsDigit(c) || unicode.In(c, unicode.Mn, unicode.Mc, unicode.Pc) || c == '\u200c' || c == '\u200d'):
		default:
			return false
		}
	}
	return true
}

// bindingName reads a required "binding" field that must be a JS identifier.
func (r *resolver) bindingName(m map[string]any, p keyPath, kind string) (string, bool) {
	v, ok := m["binding"]
	s, isString := v.(string)
	if !ok || !isString {
		r.d.errorf(p, "%q bindings should have a string \"binding\" field but got %s.", p.String(), jsonish(m))
		return "", false
	}
	bp := p.child("binding")
	if !isJSIdentifier(s) {
		r.d.errorf(bp, "%q is not a valid binding name: it must be a JavaScript identifier (letters, digits, _ and $, not starting with a digit).", s)
		return "", false
	}
	r.addBinding(s, kind, bp)
	return s, true
}

func (r *resolver) dev(cfg *Config) {
	cfg.Dev = Dev{IP: defaultDevIP, Port: defaultDevPort, LocalProtocol: "http"}
	v, ok := r.top["dev"]
	if !ok {
		return
	}
	p := keyPath{"dev"}
	m, ok := r.d.table(p, v)
	if !ok {
		return
	}
	r.d.unknownKeys(p, m, devKeys)
	if x, ok := m["ip"]; ok {
		if s, ok := r.d.str(p.child("ip"), x); ok {
			if s == "" {
				r.d.errorf(p.child("ip"), `"dev.ip" must not be empty.`)
			} else {
				cfg.Dev.IP = s
			}
		}
	}
	if x, ok := m["port"]; ok {
		if n, ok := r.d.intIn(p.child("port"), x, 0, 65535); ok {
			cfg.Dev.Port = int(n)
		}
	}
	if x, ok := m["generate_types"]; ok {
		if b, ok := r.d.boolean(p.child("generate_types"), x); ok {
			cfg.Dev.GenerateTypes = b
		}
	}
	if x, ok := m["local_protocol"]; ok {
		if s, ok := r.d.str(p.child("local_protocol"), x); ok {
			if s != "http" && s != "https" {
				r.d.errorf(p.child("local_protocol"), `Expected "dev.local_protocol" field to be one of ["http","https"] but got %s.`, jsonish(x))
			} else {
				cfg.Dev.LocalProtocol = s
			}
		}
	}
}

func (r *resolver) edgerun(cfg *Config) {
	e := Edgerun{
		MaxConcurrentPerIsolate: defaultMaxConcurrentIsolate,
		Admin:                   defaultAdmin,
		Alerts: Alerts{
			ResponseTimeWarning:  defaultResponseTimeWarning,
			ResponseTimeCritical: defaultResponseTimeCritical,
			ErrorRateWarning:     defaultErrorRateWarning,
			ErrorRateCritical:    defaultErrorRateCritical,
			ConnectionFailures:   defaultAlertConnectionFailure,
			Window:               defaultAlertWindow,
		},
	}
	defer func() {
		if e.Isolates == 0 {
			// GOMAXPROCS follows a container's CPU limit (Go 1.25+), where
			// NumCPU is the whole node's.
			e.Isolates = runtime.GOMAXPROCS(0)
		}
		cfg.Edgerun = e
	}()
	v, ok := r.top["edgerun"]
	if !ok {
		return
	}
	p := keyPath{"edgerun"}
	m, ok := r.d.table(p, v)
	if !ok {
		return
	}
	d := r.d
	d.unknownKeys(p, m, edgerunKeys)
	if x, ok := m["isolates"]; ok {
		if n, ok := d.intIn(p.child("isolates"), x, 0, 1<<16); ok {
			e.Isolates = int(n)
		}
	}
	if x, ok := m["trusted_ca_certs"]; ok {
		if files, ok := d.stringArray(p.child("trusted_ca_certs"), x); ok {
			for _, f := range files {
				e.TrustedCAs = append(e.TrustedCAs, r.abs(cfg, f))
			}
		}
	}
	if x, ok := m["max_concurrent_per_isolate"]; ok {
		if n, ok := d.intIn(p.child("max_concurrent_per_isolate"), x, 1, 1<<30); ok {
			e.MaxConcurrentPerIsolate = int(n)
		}
	}
	if x, ok := m["cron_lock"]; ok {
		if s, ok := d.str(p.child("cron_lock"), x); ok && s != "" {
			r.cronLock, r.cronLockPath = s, p.child("cron_lock")
		}
	}
	if x, ok := m["admin"]; ok {
		ap := p.child("admin")
		if s, ok := d.str(ap, x); ok {
			if strings.EqualFold(s, "off") { // as --admin off
				e.Admin = "off"
			} else if _, port, err := net.SplitHostPort(s); err != nil || port == "" {
				d.errorf(ap, "%q must be a host:port address (like %q), got %s.", ap.String(), defaultAdmin, jsonish(x))
			} else {
				e.Admin = s
			}
		}
	}
	av, ok := m["alerts"]
	if !ok {
		return
	}
	ap := p.child("alerts")
	am, ok := d.table(ap, av)
	if !ok {
		return
	}
	d.unknownKeys(ap, am, alertsKeys)
	a := &e.Alerts
	if x, ok := am["response_time_warning_ms"]; ok {
		a.ResponseTimeWarning, _ = d.millisOr(ap.child("response_time_warning_ms"), x, a.ResponseTimeWarning)
	}
	if x, ok := am["response_time_critical_ms"]; ok {
		a.ResponseTimeCritical, _ = d.millisOr(ap.child("response_time_critical_ms"), x, a.ResponseTimeCritical)
	}
	if a.ResponseTimeWarning > a.ResponseTimeCritical {
		d.errorf(ap, "%q: response_time_warning_ms (%d) must not exceed response_time_critical_ms (%d).", ap.String(), a.ResponseTimeWarning.Milliseconds(), a.ResponseTimeCritical.Milliseconds())
	}
	rate := func(key string, dst *float64) {
		if x, ok := am[key]; ok {
			rp := ap.child(key)
			if f, ok := d.number(rp, x); ok {
				if f < 0 || f > 1 {
					d.errorf(rp, "%q is a fraction of requests and must be between 0 and 1, got %s.", rp.String(), jsonish(x))
				} else {
					*dst = f
				}
			}
		}
	}
	rate("error_rate_warning", &a.ErrorRateWarning)
	rate("error_rate_critical", &a.ErrorRateCritical)
	if a.ErrorRateWarning > a.ErrorRateCritical {
		d.errorf(ap, "%q: error_rate_warning (%g) must not exceed error_rate_critical (%g).", ap.String(), a.ErrorRateWarning, a.ErrorRateCritical)
	}
	if x, ok := am["connection_failures"]; ok {
		if n, ok := d.intIn(ap.child("connection_failures"), x, 1, 1<<20); ok {
			a.ConnectionFailures = int(n)
		}
	}
	if x, ok := am["window_s"]; ok {
		if n, ok := d.intIn(ap.child("window_s"), x, 1, 7*24*3600); ok {
			a.Window = time.Duration(n) * time.Second
		}
	}
}

// millisOr reads a positive millisecond count, keeping def on error.
func (d *decoder) millisOr(p keyPath, v any, def time.Duration) (time.Duration, bool) {
	if ms, ok := d.millis(p, v, true); ok {
		return ms, true
	}
	return def, false
}

// unsupported warns about wrangler features present in the selected
// environment that edgerun does not implement.
func (r *resolver) unsupported() {
	var found []keyPath
	for key := range unsupportedKeys {
		switch {
		case topLevelOnlyKeys[key]:
			if _, ok := r.top[key]; ok {
				found = append(found, keyPath{key})
			}
		case inheritableKeys[key]:
			if _, p, ok := r.inherited(key); ok {
				found = append(found, p)
			}
		default:
			if o, ok := r.own[key]; ok {
				found = append(found, o.p)
			}
		}
	}
	sort.Slice(found, func(i, j int) bool { return found[i].String() < found[j].String() })
	for _, p := range found {
		r.d.warnf(p, "%q is not supported by edgerun and is ignored.%s", p.String(), unsupportedBindings(p.leaf(), r.own[p.leaf()].v))
	}
}

// unsupportedBindings names the env bindings an unsupported Durable Objects
// or Workflows entry declares, which the worker will find undefined: the
// classes themselves can be imported from cloudflare:workers and exported,
// but edgerun does not run them.
func unsupportedBindings(key string, v any) string {
	var entries []any
	what := ""
	switch key {
	case "durable_objects":
		m, _ := v.(map[string]any)
		entries, _ = m["bindings"].([]any)
		what = "Durable Object"
	case "workflows":
		entries, _ = v.([]any)
		what = "Workflow"
	default:
		return ""
	}
	var names []string
	for _, e := range entries {
		m, _ := e.(map[string]any)
		name, _ := m["name"].(string)
		if key == "workflows" {
			name, _ = m["binding"].(string)
		}
		class, _ := m["class_name"].(string)
		if name != "" {
			names = append(names, fmt.Sprintf("env.%s (class %s)", name, class))
		}
	}
	if len(names) == 0 {
		return ""
	}
	return fmt.Sprintf(" %s bindings are not available: %s will be undefined.", what, strings.Join(names, ", "))
}
