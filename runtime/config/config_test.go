package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/*.json from the current output")

// env builds an Options.Getenv from a map.
func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

func mustLoad(t *testing.T, opts Options) (*Config, []Warning) {
	t.Helper()
	cfg, warnings, err := Load(opts)
	if err != nil {
		t.Fatalf("Load(%+v): %v", opts, err)
	}
	return cfg, warnings
}

// snapshot renders cfg for golden comparison: paths under the config's
// directory become $DIR/…, durations are strings, and the fields that
// differ between the TOML and JSON spellings of one project (Path, Line,
// the secrets files' directory) are left out, so that all three formats share one golden file.
func snapshot(t *testing.T, cfg *Config) []byte {
	t.Helper()
	tree := toTree(reflect.ValueOf(*cfg), cfg.Dir).(map[string]any)
	delete(tree, "Path")
	files := []string{} // shown as given (relative to the fixture): keep the names
	for _, f := range cfg.SecretsFiles {
		files = append(files, filepath.Base(f))
	}
	tree["SecretsFiles"] = files
	b, err := json.MarshalIndent(tree, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

func toTree(v reflect.Value, dir string) any {
	if v.Type() == reflect.TypeFor[time.Duration]() {
		return time.Duration(v.Int()).String()
	}
	switch v.Kind() {
	case reflect.Struct:
		m := map[string]any{}
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.IsExported() && f.Name != "Line" {
				m[f.Name] = toTree(v.Field(i), dir)
			}
		}
		return m
	case reflect.Slice:
		out := []any{}
		for i := range v.Len() {
			out = append(out, toTree(v.Index(i), dir))
		}
		return out
	case reflect.Map:
		m := map[string]any{}
		for _, k := range v.MapKeys() {
			m[k.String()] = toTree(v.MapIndex(k), dir)
		}
		return m
	case reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return toTree(v.Elem(), dir)
	case reflect.String:
		if s := v.String(); s == dir || strings.HasPrefix(s, dir+string(filepath.Separator)) {
			return "$DIR" + filepath.ToSlash(strings.TrimPrefix(s, dir))
		}
		return v.String()
	default:
		return v.Interface()
	}
}

func TestLoadGolden(t *testing.T) {
	tests := []struct {
		name, dir, env, golden string
		autoIsolates           bool
	}{
		{name: "toml", dir: "full", golden: "full"},
		{name: "json", dir: "json", golden: "full"},
		{name: "jsonc", dir: "jsonc", golden: "full"},
		{name: "toml staging", dir: "full", env: "staging", golden: "full-staging"},
		{name: "json staging", dir: "json", env: "staging", golden: "full-staging"},
		{name: "jsonc staging", dir: "jsonc", env: "staging", golden: "full-staging"},
		{name: "toml production", dir: "full", env: "production", golden: "full-production"},
		{name: "json production", dir: "json", env: "production", golden: "full-production"},
		{name: "jsonc production", dir: "jsonc", env: "production", golden: "full-production"},
		{name: "minimal", dir: "minimal", golden: "minimal", autoIsolates: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, _ := mustLoad(t, Options{Dir: filepath.Join("testdata", tt.dir), Env: tt.env})
			if tt.autoIsolates {
				if cfg.Edgerun.Isolates != runtime.NumCPU() {
					t.Errorf("Edgerun.Isolates = %d, want runtime.NumCPU() = %d", cfg.Edgerun.Isolates, runtime.NumCPU())
				}
				cfg.Edgerun.Isolates = 0 // machine-dependent: keep it out of the golden file
			}
			got := snapshot(t, cfg)
			path := filepath.Join("testdata", "golden", tt.golden+".json")
			if *update && tt.dir != "json" && tt.dir != "jsonc" {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("config differs from %s:\n%s", path, lineDiff(string(want), string(got)))
			}
		})
	}
}

// lineDiff shows the lines that differ, enough to read a golden mismatch.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := range max(len(w), len(g)) {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n  want %s\n  got  %s\n", i+1, wl, gl)
		}
	}
	return b.String()
}

// TestLoadFull checks the full fixture field by field, so that the golden
// file is not the only witness of what each key means.
func TestNotifyChannel(t *testing.T) {
	dir := t.TempDir()
	toml := "main = \"index.js\"\n[[hyperdrive]]\nbinding = \"DB\"\nid = \"x\"\n[hyperdrive.caching]\nnotify_channel = \"shop_cache\"\n"
	for name, text := range map[string]string{"wrangler.toml": toml, "index.js": ""} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg, _ := mustLoad(t, Options{Dir: dir})
	if got := cfg.Hyperdrive[0].Caching.NotifyChannel; got != "shop_cache" {
		t.Fatalf("notify_channel = %q", got)
	}
}

func TestAssets(t *testing.T) {
	dir := t.TempDir()
	toml := "main = \"index.js\"\n[assets]\ndirectory = \"./public\"\nbinding = \"ASSETS\"\nnot_found_handling = \"404-page\"\nrun_worker_first = true\n"
	for name, text := range map[string]string{"wrangler.toml": toml, "index.js": "", "public/index.html": ""} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg, _ := mustLoad(t, Options{Dir: dir})
	want := Assets{Directory: filepath.Join(dir, "public"), Binding: "ASSETS", HTMLHandling: "auto-trailing-slash", NotFoundHandling: "404-page", RunWorkerFirst: true}
	if cfg.Assets == nil || !reflect.DeepEqual(*cfg.Assets, want) {
		t.Fatalf("Assets = %+v; want %+v", cfg.Assets, want)
	}
}

func TestLoadFull(t *testing.T) {
	dir, _ := filepath.Abs("testdata/full")
	cfg, warnings := mustLoad(t, Options{Dir: "testdata/full"})
	if len(warnings) != 0 {
		t.Errorf("warnings = %v, want none", warnings)
	}
	check := func(name string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %#v, want %#v", name, got, want)
		}
	}
	check("Path", cfg.Path, filepath.Join(dir, "wrangler.toml"))
	check("Dir", cfg.Dir, dir)
	check("Name", cfg.Name, "shop")
	check("Main", cfg.Main, filepath.Join(dir, "src", "index.ts"))
	check("CompatibilityDate", cfg.CompatibilityDate, "2025-09-01")
	check("CompatibilityFlags", cfg.CompatibilityFlags, []string{"nodejs_compat"})
	check("Vars", cfg.Vars, map[string]any{
		"GREETING": "hello", "RETRIES": int64(3), "RATIO": 0.5, "DEBUG": true,
		"SERVICE": map[string]any{"url": "https://api.example.com", "ids": []any{int64(1), int64(2)}},
	})
	check("Secrets", cfg.Secrets, map[string]string{"API_KEY": "dev-key", "GREETING": "hello from .dev.vars"})
	check("SecretsFiles", cfg.SecretsFiles, []string{filepath.Join("testdata", "full", ".dev.vars")})
	check("EnvValues[GREETING] (secret beats var)", cfg.EnvValues()["GREETING"], "hello from .dev.vars")

	if len(cfg.Hyperdrive) != 2 {
		t.Fatalf("Hyperdrive has %d entries, want 2", len(cfg.Hyperdrive))
	}
	check("Hyperdrive[0]", cfg.Hyperdrive[0], Hyperdrive{
		Binding:                  "HYPERDRIVE",
		ID:                       "a76a99bc342644deb02c38d66082262a",
		LocalConnectionString:    "postgres://app:s3cret@localhost:5432/shop",
		ConnectionStringSource:   "localConnectionString",
		OriginConnectionLimit:    40,
		QueryTimeout:             15 * time.Second,
		AcquireTimeout:           2 * time.Second,
		FallbackConnectionString: "postgres://app:s3cret@direct.example.com:5432/shop",
		ReplicaConnectionStrings: []string{"postgres://ro:pw1@replica1:5432/shop", "postgres://ro:pw2@replica2:5432/shop"},
		MigrationsDir:            filepath.Join(dir, "migrations"),
		Caching:                  Caching{MaxAge: 120 * time.Second, StaleWhileRevalidate: 30 * time.Second, MaxBytes: 128 << 20, MaxEntryBytes: 512_000},
		Breaker:                  Breaker{FailureThreshold: 5, OpenTimeout: 10 * time.Second},
		Retries:                  4,
		SlowQuery:                250 * time.Millisecond,
		StatementCache:           "auto",
		Line:                     19,
	})
	check("Hyperdrive[1]", cfg.Hyperdrive[1], Hyperdrive{
		Binding:                  "ANALYTICS_DB",
		ID:                       "b2",
		OriginConnectionLimit:    20,
		QueryTimeout:             30 * time.Second,
		AcquireTimeout:           10 * time.Second,
		ReplicaConnectionStrings: []string{},
		Caching:                  Caching{Disabled: true, MaxAge: 60 * time.Second, StaleWhileRevalidate: 15 * time.Second, MaxBytes: 64 << 20, MaxEntryBytes: 1 << 20},
		Breaker:                  Breaker{FailureThreshold: 3, OpenTimeout: 5 * time.Second},
		Retries:                  2,
		SlowQuery:                500 * time.Millisecond,
		StatementCache:           "auto",
		Line:                     45,
	})
	check("KVNamespaces", cfg.KVNamespaces, []KVNamespace{{Binding: "SESSIONS", ID: "kv1", PreviewID: "kv1-preview", Store: KVStoreLocal, Line: 50}})
	check("Triggers", cfg.Triggers, Triggers{Crons: []string{"*/5 * * * *", "0 0 * * mon"}})
	check("Limits", cfg.Limits, Limits{CPUMs: 50, MemoryMB: 256, MaxBodyBytes: 10 << 20, ResponseTimeoutMs: 100_000, MaxSocketsPerRequest: 6})
	check("Limits.CPU()", cfg.Limits.CPU(), 50*time.Millisecond)
	check("Dev", cfg.Dev, Dev{IP: "0.0.0.0", Port: 9000, LocalProtocol: "https"})
	check("Build", cfg.Build, Build{
		Define: map[string]string{"__VERSION__": `"1.2.3"`}, Alias: map[string]string{},
		JSXFactory: "h", JSXFragment: "React.Fragment", Minify: true, KeepNames: true,
	})
	check("Edgerun", cfg.Edgerun, Edgerun{
		Isolates: 4, MaxConcurrentPerIsolate: 200, Admin: "127.0.0.1:9999",
		Alerts: Alerts{
			ResponseTimeWarning: 300 * time.Millisecond, ResponseTimeCritical: 900 * time.Millisecond,
			ErrorRateWarning: 0.02, ErrorRateCritical: 0.2, ConnectionFailures: 5, Window: 30 * time.Second,
		},
	})
	check("Environments", cfg.Environments, []string{"production", "staging"})
}

func TestLoadDefaults(t *testing.T) {
	cfg, warnings := mustLoad(t, Options{Dir: "testdata/minimal"})
	if len(warnings) != 0 {
		t.Errorf("warnings = %v, want none", warnings)
	}
	if cfg.Name != "tiny" || !strings.HasSuffix(cfg.Main, filepath.Join("minimal", "index.js")) || !filepath.IsAbs(cfg.Main) {
		t.Errorf("Name, Main = %q, %q", cfg.Name, cfg.Main)
	}
	if len(cfg.Vars) != 0 || len(cfg.Secrets) != 0 || len(cfg.Hyperdrive) != 0 || len(cfg.KVNamespaces) != 0 {
		t.Errorf("bindings = %v %v %v %v, want none", cfg.Vars, cfg.Secrets, cfg.Hyperdrive, cfg.KVNamespaces)
	}
	if want := (Limits{CPUMs: 30000, MemoryMB: 128, MaxBodyBytes: 100 << 20, ResponseTimeoutMs: 100_000, MaxSocketsPerRequest: 6}); cfg.Limits != want {
		t.Errorf("Limits = %+v, want %+v", cfg.Limits, want)
	}
	if want := (Dev{IP: "127.0.0.1", Port: 8787, LocalProtocol: "http"}); cfg.Dev != want {
		t.Errorf("Dev = %+v, want %+v", cfg.Dev, want)
	}
	wantEdgerun := Edgerun{
		Isolates: runtime.NumCPU(), MaxConcurrentPerIsolate: 1000, Admin: "127.0.0.1:9787",
		Alerts: Alerts{
			ResponseTimeWarning: 500 * time.Millisecond, ResponseTimeCritical: time.Second,
			ErrorRateWarning: 0.05, ErrorRateCritical: 0.10, ConnectionFailures: 3, Window: time.Minute,
		},
	}
	if !reflect.DeepEqual(cfg.Edgerun, wantEdgerun) {
		t.Errorf("Edgerun = %+v, want %+v", cfg.Edgerun, wantEdgerun)
	}
	if cfg.Build.JSXFactory != "React.createElement" || cfg.Build.JSXFragment != "React.Fragment" || !cfg.Build.KeepNames || cfg.Build.Minify {
		t.Errorf("Build = %+v", cfg.Build)
	}
}

func TestEnvironments(t *testing.T) {
	type want struct {
		name       string
		cpuMs      int
		flags      []string
		vars       []string
		hyperdrive []string // binding=id
		kv         int
		secrets    map[string]string
		warnings   []string // "line: substring"
	}
	tests := []struct {
		env  string
		want want
	}{
		{"", want{
			name: "shop", cpuMs: 50, flags: []string{"nodejs_compat"},
			vars:       []string{"DEBUG", "GREETING", "RATIO", "RETRIES", "SERVICE"},
			hyperdrive: []string{"HYPERDRIVE=a76a99bc342644deb02c38d66082262a", "ANALYTICS_DB=b2"}, kv: 1,
			secrets: map[string]string{"API_KEY": "dev-key", "GREETING": "hello from .dev.vars"},
		}},
		{"staging", want{
			// own name; limits overridden; flags inherited; vars, hyperdrive own; kv not inherited.
			name: "shop-stg", cpuMs: 100, flags: []string{"nodejs_compat"},
			vars: []string{"GREETING"}, hyperdrive: []string{"HYPERDRIVE=staging-id"}, kv: 0,
			secrets: map[string]string{"API_KEY": "staging-key"}, // only .dev.vars.staging
			warnings: []string{
				`81: "define" exists at the top level, but not on "env.staging"`,
				`81: "kv_namespaces" exists at the top level, but not on "env.staging"`,
				`83: The following vars exist at the top level, but not on "env.staging.vars" (vars are not inherited by environments): RETRIES, RATIO, DEBUG, SERVICE`,
			},
		}},
		{"production", want{
			// name gets "-production"; limits inherited; flags overridden; no bindings at all.
			name: "shop-production", cpuMs: 50, flags: []string{"nodejs_compat", "no_global_navigator"},
			vars: []string{}, hyperdrive: []string{}, kv: 0,
			secrets: map[string]string{"API_KEY": "dev-key", "GREETING": "hello from .dev.vars"}, // no .dev.vars.production
			warnings: []string{
				`93: "vars" exists at the top level, but not on "env.production"`,
				`93: "define" exists at the top level, but not on "env.production"`,
				`93: "kv_namespaces" exists at the top level, but not on "env.production"`,
				`93: "hyperdrive" exists at the top level, but not on "env.production"`,
			},
		}},
	}
	for _, tt := range tests {
		t.Run("env="+tt.env, func(t *testing.T) {
			cfg, warnings := mustLoad(t, Options{Dir: "testdata/full", Env: tt.env})
			var vars []string
			for k := range cfg.Vars {
				vars = append(vars, k)
			}
			sort.Strings(vars)
			hd := []string{}
			for _, h := range cfg.Hyperdrive {
				hd = append(hd, h.Binding+"="+h.ID)
			}
			got := want{
				name: cfg.Name, cpuMs: cfg.Limits.CPUMs, flags: cfg.CompatibilityFlags,
				vars: append([]string{}, vars...), hyperdrive: hd, kv: len(cfg.KVNamespaces), secrets: cfg.Secrets,
			}
			for _, w := range warnings {
				got.warnings = append(got.warnings, fmt.Sprintf("%d: %s", w.Line, w.Message))
			}
			if cfg.Env != tt.env {
				t.Errorf("Env = %q, want %q", cfg.Env, tt.env)
			}
			if !reflect.DeepEqual(got.name, tt.want.name) || got.cpuMs != tt.want.cpuMs || !slices.Equal(got.flags, tt.want.flags) ||
				!slices.Equal(got.vars, tt.want.vars) || !slices.Equal(got.hyperdrive, tt.want.hyperdrive) || got.kv != tt.want.kv ||
				!reflect.DeepEqual(got.secrets, tt.want.secrets) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
			if len(got.warnings) != len(tt.want.warnings) {
				t.Fatalf("warnings:\n%s\nwant:\n%s", strings.Join(got.warnings, "\n"), strings.Join(tt.want.warnings, "\n"))
			}
			for i, w := range tt.want.warnings {
				if !strings.HasPrefix(got.warnings[i], w) {
					t.Errorf("warning %d = %q, want prefix %q", i, got.warnings[i], w)
				}
			}
		})
	}
}

func TestEnvironmentSelection(t *testing.T) {
	t.Run("CLOUDFLARE_ENV selects the environment", func(t *testing.T) {
		cfg, _ := mustLoad(t, Options{Dir: "testdata/full", Getenv: env(map[string]string{"CLOUDFLARE_ENV": "staging"})})
		if cfg.Env != "staging" || cfg.Name != "shop-stg" {
			t.Errorf("Env, Name = %q, %q; want staging, shop-stg", cfg.Env, cfg.Name)
		}
	})
	t.Run("--env wins over CLOUDFLARE_ENV", func(t *testing.T) {
		cfg, _ := mustLoad(t, Options{Dir: "testdata/full", Env: "production", Getenv: env(map[string]string{"CLOUDFLARE_ENV": "staging"})})
		if cfg.Env != "production" {
			t.Errorf("Env = %q, want production", cfg.Env)
		}
	})
	t.Run("unknown env with no [env] at all warns and reuses the top level", func(t *testing.T) {
		cfg, warnings := mustLoad(t, Options{Dir: "testdata/minimal", Env: "qa"})
		if cfg.Name != "tiny-qa" {
			t.Errorf("Name = %q, want tiny-qa", cfg.Name)
		}
		if len(warnings) != 1 || !strings.Contains(warnings[0].Message, `No environment found in configuration with name "qa"`) {
			t.Errorf("warnings = %v", warnings)
		}
	})
	t.Run("unknown env among defined ones is an error listing them", func(t *testing.T) {
		_, _, err := Load(Options{Path: "testdata/errors/unknown_env.toml", Env: "qa"})
		var cerr *Error
		if !errors.As(err, &cerr) {
			t.Fatalf("err = %v, want *Error", err)
		}
		want := `testdata/errors/unknown_env.toml:3: No environment found in configuration with name "qa". The available configured environment names are: ["production","staging"]`
		if cerr.Error() != want {
			t.Errorf("err = %q\nwant  %q", cerr.Error(), want)
		}
	})
}

func TestErrors(t *testing.T) {
	tests := []struct {
		file string
		env  string
		line int
		msg  string // substring of the message
	}{
		{file: "syntax.toml", line: 3, msg: "strings cannot contain newlines"},
		{file: "port_type.toml", line: 5, msg: `Expected "dev.port" to be of type number but got "x".`},
		{file: "missing_main.toml", line: 2, msg: `Missing entry-point: the "main" field`},
		{file: "main_not_found.toml", line: 2, msg: `was not found (main = "src/nope.js")`},
		{file: "max_age.toml", line: 9, msg: `"hyperdrive[0].caching.max_age" must be between 0 and 3600, got 99999.`},
		{file: "max_age_inline.toml", line: 5, msg: `"hyperdrive[0].caching.max_age" must be between 0 and 3600, got 4000.`},
		{file: "max_age.json", line: 5, msg: `"hyperdrive[1].caching.max_age" must be between 0 and 3600, got 7200.`},
		{file: "duplicate_binding.toml", line: 8, msg: "DB assigned to Hyperdrive Config and KV Namespace bindings (first at line 4)"},
		{file: "duplicate_var.toml", line: 7, msg: "DB assigned to Environment Variable and Hyperdrive Config bindings (first at line 4)"},
		{file: "duplicate_hyperdrive.toml", line: 8, msg: "DB assigned to multiple Hyperdrive Config bindings (first at line 4)"},
		{file: "bad_identifier.toml", line: 4, msg: `"my-db" is not a valid binding name`},
		{file: "missing_id.toml", line: 3, msg: `"hyperdrive[0]" bindings must have a "id" field`},
		{file: "vars_date.toml", line: 4, msg: `The field "vars.LAUNCH" is a TOML date, which is not supported.`},
		{file: "bad_date.toml", line: 2, msg: `"compatibility_date" field should be a valid ISO-8601 date (YYYY-MM-DD), but got "2024-13-45".`},
		{file: "bad_size.toml", line: 7, msg: `invalid byte size "64 parsecs"`},
		{file: "entry_too_big.toml", line: 6, msg: "max_entry_bytes (2097152) must not exceed max_bytes (1048576)"},
		{file: "long_channel.toml", line: 6, msg: `"hyperdrive[0].caching.notify_channel": a channel name of 1 to 63 bytes is needed, got 70.`},
		{file: "assets_mode.toml", line: 5, msg: `"assets.html_handling" must be one of auto-trailing-slash, force-trailing-slash, drop-trailing-slash, none, got "sometimes".`},
		{file: "assets_dir.toml", line: 4, msg: `does not exist or is not a directory (directory = "no-such-dir")`},
		{file: "assets_rule.toml", line: 5, msg: `every rule must be a path starting with / (or !/ to exclude), got "api/*"`},
		{file: "bad_name.toml", line: 1, msg: `Expected "name" to be of type string, alphanumeric and lowercase with dashes only but got "My Worker".`},
		{file: "legacy_env.toml", line: 2, msg: `The "legacy_env" field is no longer supported`},
		{file: "bad_admin.toml", line: 4, msg: `"edgerun.admin" must be a host:port address`},
		{file: "alerts_order.toml", line: 3, msg: "response_time_warning_ms (2000) must not exceed response_time_critical_ms (1000)"},
		{file: "cpu_fraction.toml", line: 4, msg: `Expected "limits.cpu_ms" to be an integer but got 2.5.`},
		{file: "env_bad_value.toml", env: "staging", line: 9, msg: `"env.staging.hyperdrive[0].caching.max_age" must be between 0 and 3600, got -1.`},
		{file: "syntax.json", line: 4, msg: "invalid JSON: invalid character '\"' after object key:value pair"},
		{file: "port_type.jsonc", line: 6, msg: `Expected "dev.port" to be of type number but got "x".`},
		{file: "comment.jsonc", line: 3, msg: "unterminated /* comment"},
		{file: "top_array.json", line: 1, msg: "the configuration must be a JSON object, not an array"},
		{file: "proto_var.toml", line: 5, msg: `"__proto__" cannot be a binding or variable name`},
		{file: "proto_binding.toml", line: 4, msg: `"__proto__" cannot be a binding or variable name`},
		{file: "proto_var.json", line: 4, msg: `"__proto__" cannot be a binding or variable name`},
		{file: "kv_store.toml", line: 5, msg: `"kv_namespaces[0].store": unknown KV store "redis"; use "local" (the default) or "postgres".`},
		{file: "kv_no_database.toml", line: 3, msg: `kv_namespaces "CACHE": store = "postgres" needs connection_string, hyperdrive (a [[hyperdrive]] binding's database) or EDGERUN_KV_CONNECTION_STRING_CACHE.`},
		{file: "kv_hyperdrive.toml", line: 7, msg: `kv_namespaces "CACHE": hyperdrive = "HD" names no [[hyperdrive]] binding.`},
		{file: "kv_local_conn.toml", line: 5, msg: `connection_string and hyperdrive need store = "postgres"`},
		{file: "strict_no_channel.toml", line: 8, msg: `"hyperdrive[0].caching.strict_coherence" needs notify_channel`},
		{file: "cron_lock.toml", line: 4, msg: `"edgerun.cron_lock": "NOPE" names no [[hyperdrive]] binding and is not a PostgreSQL connection string.`},
		{file: "kv_bad_conn.toml", line: 5, msg: `"kv_namespaces[0].connection_string": invalid PostgreSQL connection string`},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", "errors", tt.file)
			cfg, _, err := Load(Options{Path: path, Env: tt.env})
			if err == nil {
				t.Fatalf("Load succeeded (%v), want an error", cfg)
			}
			var cerr *Error
			if !errors.As(err, &cerr) {
				t.Fatalf("err = %T %v, want *Error", err, err)
			}
			if cerr.File != path || cerr.Line != tt.line || !strings.Contains(cerr.Message, tt.msg) {
				t.Errorf("err = %s:%d: %s\nwant %s:%d: …%s…", cerr.File, cerr.Line, cerr.Message, path, tt.line, tt.msg)
			}
			if prefix := fmt.Sprintf("%s:%d: ", path, tt.line); !strings.HasPrefix(err.Error(), prefix) {
				t.Errorf("Error() = %q, want prefix %q", err.Error(), prefix)
			}
		})
	}
}

// Configuration errors quote the offending values; passwords in them are
// redacted (error messages end up in terminals and CI logs).
func TestErrorsRedactPasswords(t *testing.T) {
	for _, tt := range []struct{ file, keep string }{
		{"secret_missing_id.toml", "user=app password=xxxxx dbname=shop"},
		{"secret_replica_type.toml", "postgres://app:xxxxx@replica:5432/shop"},
		{"kv_bad_conn.toml", "invalid PostgreSQL connection string"},
	} {
		t.Run(tt.file, func(t *testing.T) {
			_, _, err := Load(Options{Path: filepath.Join("testdata", "errors", tt.file)})
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			msg := err.Error()
			for _, secret := range []string{"hunter2", "hunter3", "hunter4"} {
				if strings.Contains(msg, secret) {
					t.Errorf("error shows the password %q: %s", secret, msg)
				}
			}
			if !strings.Contains(msg, tt.keep) {
				t.Errorf("error lost the value's non-secret parts (want %q): %s", tt.keep, msg)
			}
		})
	}
}

func TestErrorsAreAllReported(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"index.js":      "",
		"wrangler.toml": "main = \"index.js\"\n[dev]\nport = \"x\"\nip = 1\n",
	})
	_, _, err := Load(Options{Dir: dir})
	if err == nil {
		t.Fatal("Load succeeded, want errors")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "wrangler.toml:3: ") || !strings.Contains(lines[1], "wrangler.toml:4: ") {
		t.Errorf("err = %q, want one error on line 3 and one on line 4", err)
	}
}

func TestWarnings(t *testing.T) {
	cfg, warnings := mustLoad(t, Options{Dir: "testdata/warnings"})
	var got []string
	for _, w := range warnings {
		got = append(got, w.String())
	}
	config := filepath.Join("testdata", "warnings", "wrangler.toml")
	devVars := filepath.Join("testdata", "warnings", ".dev.vars")
	want := []string{
		devVars + ":2: line ignored: not a KEY=value assignment",
		devVars + `:4: Secret "DB" has the name of a Hyperdrive Config binding (` + config + `:7) and hides it from the worker.`,
		config + `:3: Unexpected fields found in top-level field: "nmae"`,
		config + `:9: Unexpected fields found in hyperdrive[0] field: "pool_size"`,
		config + `:10: Unexpected fields found in hyperdrive[0].caching field: "ttl"`,
		config + `:12: "d1_databases" is not supported by edgerun and is ignored.`,
		config + `:17: Unexpected fields found in dev field: "prot"`,
		config + `:20: Unexpected fields found in edgerun field: "workers"`,
		config + `:22: "durable_objects" is not supported by edgerun and is ignored. Durable Object bindings are not available: env.COUNTER (class Counter) will be undefined.`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Warnings do not stop loading: the known keys still count.
	if cfg.Hyperdrive[0].Caching.MaxAge != 30*time.Second || cfg.Secrets["TOKEN"] != "abc" {
		t.Errorf("MaxAge = %v, Secrets = %v", cfg.Hyperdrive[0].Caching.MaxAge, cfg.Secrets)
	}
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestFindConfig(t *testing.T) {
	tomlSrc := "name = \"from-toml\"\nmain = \"index.js\"\n"
	jsoncSrc := "{ \"name\": \"from-jsonc\", \"main\": \"index.js\", } // jsonc\n"
	jsonSrc := "{ \"name\": \"from-json\", \"main\": \"index.js\" }\n"
	tests := []struct {
		name     string
		files    map[string]string
		dir      string // Options.Dir, relative to the temp dir
		path     string // Options.Path, relative to the temp dir
		wantName string
		wantFile string // config file chosen, relative to the temp dir
	}{
		{
			name:     "wrangler.json wins over jsonc and toml",
			files:    map[string]string{"wrangler.toml": tomlSrc, "wrangler.jsonc": jsoncSrc, "wrangler.json": jsonSrc},
			wantName: "from-json", wantFile: "wrangler.json",
		},
		{
			name:     "wrangler.jsonc wins over toml",
			files:    map[string]string{"wrangler.toml": tomlSrc, "wrangler.jsonc": jsoncSrc},
			wantName: "from-jsonc", wantFile: "wrangler.jsonc",
		},
		{
			name:     "toml alone",
			files:    map[string]string{"wrangler.toml": tomlSrc},
			wantName: "from-toml", wantFile: "wrangler.toml",
		},
		{
			name:     "nearest directory first, whatever the format",
			files:    map[string]string{"wrangler.json": jsonSrc, "app/wrangler.toml": tomlSrc, "app/index.js": ""},
			dir:      "app",
			wantName: "from-toml", wantFile: "app/wrangler.toml",
		},
		{
			name:     "found in a parent directory",
			files:    map[string]string{"wrangler.toml": tomlSrc, "app/src/x.ts": ""},
			dir:      "app/src",
			wantName: "from-toml", wantFile: "wrangler.toml",
		},
		{
			name:     "explicit path wins",
			files:    map[string]string{"wrangler.json": jsonSrc, "other.toml": tomlSrc},
			path:     "other.toml",
			wantName: "from-toml", wantFile: "other.toml",
		},
		{
			name:     "a directory named like a config file is skipped",
			files:    map[string]string{"wrangler.json/keep": "", "wrangler.toml": tomlSrc},
			wantName: "from-toml", wantFile: "wrangler.toml",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			tt.files["index.js"] = ""
			writeFiles(t, root, tt.files)
			opts := Options{Dir: filepath.Join(root, tt.dir)}
			if tt.path != "" {
				opts = Options{Path: filepath.Join(root, tt.path)}
			}
			cfg, _ := mustLoad(t, opts)
			if cfg.Name != tt.wantName || cfg.Path != filepath.Join(root, tt.wantFile) {
				t.Errorf("Name, Path = %q, %q; want %q, %q", cfg.Name, cfg.Path, tt.wantName, filepath.Join(root, tt.wantFile))
			}
		})
	}

	t.Run("messages name the file relative to Options.Dir", func(t *testing.T) {
		root := t.TempDir()
		writeFiles(t, root, map[string]string{"wrangler.toml": "main = 1\n", "app/x": ""})
		t.Chdir(root)
		_, _, err := Load(Options{Dir: "app"})
		if err == nil || !strings.HasPrefix(err.Error(), "wrangler.toml:1: ") {
			t.Errorf("err = %v, want it to start with wrangler.toml:1:", err)
		}
	})

	t.Run("none found", func(t *testing.T) {
		root := t.TempDir()
		_, _, err := Load(Options{Dir: root})
		if err == nil || !strings.Contains(err.Error(), "no wrangler.json, wrangler.jsonc, wrangler.toml found") {
			t.Errorf("err = %v", err)
		}
	})
}

func TestSecrets(t *testing.T) {
	const config = "main = \"index.js\"\ncompatibility_date = \"2025-01-01\"\n\n[vars]\nGREETING = \"from vars\"\nPLAIN = \"plain\"\n\n" +
		"[env.staging]\nvars = { GREETING = \"staging vars\", PLAIN = \"plain\" }\n"
	tests := []struct {
		name     string
		files    map[string]string
		env      string
		getenv   map[string]string
		cliVars  map[string]string
		config   string // replaces the default config when set
		want     map[string]string
		wantEnv  map[string]any // selected EnvValues entries
		wantWarn string
	}{
		{
			name:    ".dev.vars",
			files:   map[string]string{".dev.vars": "TOKEN=t1\nGREETING=from secrets\n"},
			want:    map[string]string{"TOKEN": "t1", "GREETING": "from secrets"},
			wantEnv: map[string]any{"GREETING": "from secrets", "PLAIN": "plain", "TOKEN": "t1"},
		},
		{
			name:  ".dev.vars is used for an env without its own file",
			files: map[string]string{".dev.vars": "TOKEN=t1\n"},
			env:   "staging",
			want:  map[string]string{"TOKEN": "t1"},
		},
		{
			name:    ".dev.vars.<env> replaces .dev.vars entirely",
			files:   map[string]string{".dev.vars": "TOKEN=t1\nONLY_BASE=1\n", ".dev.vars.staging": "TOKEN=t2\n"},
			env:     "staging",
			want:    map[string]string{"TOKEN": "t2"},
			wantEnv: map[string]any{"GREETING": "staging vars", "PLAIN": "plain", "TOKEN": "t2"},
		},
		{
			name: ".env files when there is no .dev.vars, later files winning, with expansion",
			files: map[string]string{
				".env":               "A=env\nB=env\nC=env\nD=env\nHOST=db.local\nURL=postgres://${HOST}:5432\n",
				".env.local":         "B=local\nC=local\nD=local\n",
				".env.staging":       "C=staging\nD=staging\n",
				".env.staging.local": "D=staging.local\n",
			},
			env:  "staging",
			want: map[string]string{"A": "env", "B": "local", "C": "staging", "D": "staging.local", "HOST": "db.local", "URL": "postgres://db.local:5432"},
		},
		{
			name:  ".env files are ignored when .dev.vars exists",
			files: map[string]string{".dev.vars": "TOKEN=t1\n", ".env": "OTHER=x\n"},
			want:  map[string]string{"TOKEN": "t1"},
		},
		{
			name:   "CLOUDFLARE_LOAD_DEV_VARS_FROM_DOT_ENV=false turns .env loading off",
			files:  map[string]string{".env": "OTHER=x\n"},
			getenv: map[string]string{"CLOUDFLARE_LOAD_DEV_VARS_FROM_DOT_ENV": "false"},
			want:   map[string]string{},
		},
		{
			name:    "--var wins over vars and secrets",
			files:   map[string]string{".dev.vars": "GREETING=from secrets\nTOKEN=t1\n"},
			cliVars: map[string]string{"GREETING": "from cli", "NEW": "n"},
			want:    map[string]string{"TOKEN": "t1"},
			wantEnv: map[string]any{"GREETING": "from cli", "NEW": "n", "PLAIN": "plain", "TOKEN": "t1"},
		},
		{
			name:     "secrets.required limits what is loaded and warns about what is missing",
			files:    map[string]string{".dev.vars": "API_KEY=k\nEXTRA=e\n"},
			config:   "main = \"index.js\"\ncompatibility_date = \"2025-01-01\"\nsecrets = { required = [\"API_KEY\", \"DB_PASSWORD\"] }\n",
			want:     map[string]string{"API_KEY": "k"},
			wantWarn: `wrangler.toml:3: Secret "DB_PASSWORD" is listed in secrets.required but is not defined`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			tt.files["index.js"] = ""
			tt.files["wrangler.toml"] = config
			if tt.config != "" {
				tt.files["wrangler.toml"] = tt.config
			}
			writeFiles(t, dir, tt.files)
			cfg, warnings := mustLoad(t, Options{Dir: dir, Env: tt.env, Getenv: env(tt.getenv), Vars: tt.cliVars})
			if !reflect.DeepEqual(cfg.Secrets, tt.want) {
				t.Errorf("Secrets = %v, want %v", cfg.Secrets, tt.want)
			}
			if tt.wantEnv != nil && !reflect.DeepEqual(cfg.EnvValues(), tt.wantEnv) {
				t.Errorf("EnvValues() = %v, want %v", cfg.EnvValues(), tt.wantEnv)
			}
			var text []string
			for _, w := range warnings {
				text = append(text, w.String())
			}
			joined := strings.Join(text, "\n")
			if tt.wantWarn == "" && len(warnings) > 0 || !strings.Contains(joined, tt.wantWarn) {
				t.Errorf("warnings = %q, want %q", joined, tt.wantWarn)
			}
		})
	}
}

func TestCLIVarCollidingWithBindingIsAnError(t *testing.T) {
	_, _, err := Load(Options{Dir: "testdata/full", Vars: map[string]string{"HYPERDRIVE": "x"}})
	var cerr *Error
	if !errors.As(err, &cerr) || cerr.Line != 20 || !strings.Contains(cerr.Message, `--var HYPERDRIVE: "HYPERDRIVE" is already the name of a Hyperdrive Config binding`) {
		t.Errorf("err = %v, want the binding's line (20) and a clear message", err)
	}
}

// "__proto__" from .dev.vars or --var would replace env's prototype: an
// error at the line that names it.
func TestProtoSecretOrCLIVarIsAnError(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"wrangler.toml": "main = \"index.js\"\n", "index.js": "export default {}\n",
		".dev.vars": "TOKEN=x\n__proto__=y\n"})
	_, _, err := Load(Options{Dir: dir})
	var cerr *Error
	if !errors.As(err, &cerr) || filepath.Base(cerr.File) != ".dev.vars" || cerr.Line != 2 ||
		!strings.Contains(cerr.Message, `"__proto__" cannot be a binding or variable name`) {
		t.Errorf(".dev.vars: err = %v, want .dev.vars:2 and a clear message", err)
	}
	if err := os.Remove(filepath.Join(dir, ".dev.vars")); err != nil {
		t.Fatal(err)
	}
	_, _, err = Load(Options{Dir: dir, Vars: map[string]string{"__proto__": "x"}})
	if err == nil || !strings.Contains(err.Error(), `--var __proto__: "__proto__" cannot be a binding or variable name`) {
		t.Errorf("--var: err = %v", err)
	}
	// Other names of Object.prototype are ordinary properties on env.
	cfg, _, err := Load(Options{Dir: dir, Vars: map[string]string{"constructor": "x"}})
	if err != nil || cfg.Vars["constructor"] != "x" {
		t.Errorf("--var constructor: %v, %v", cfg, err)
	}
}

func TestConnectionStringFromEnvironment(t *testing.T) {
	const (
		cf       = "CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE"
		wr       = "WRANGLER_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE"
		fromFile = "postgres://app:s3cret@localhost:5432/shop"
	)
	tests := []struct {
		name       string
		environ    map[string]string
		want       string
		wantSource string
		wantWarn   bool
	}{
		{"file", nil, fromFile, "localConnectionString", false},
		{"CLOUDFLARE_ name wins over the file", map[string]string{cf: "postgres://cf@h/db"}, "postgres://cf@h/db", cf, false},
		{"WRANGLER_ name wins over the file, with a deprecation warning", map[string]string{wr: "postgres://wr@h/db"}, "postgres://wr@h/db", wr, true},
		{"CLOUDFLARE_ name wins over WRANGLER_", map[string]string{cf: "postgres://cf@h/db", wr: "postgres://wr@h/db"}, "postgres://cf@h/db", cf, false},
		{"an empty CLOUDFLARE_ value counts as unset", map[string]string{cf: "", wr: "postgres://wr@h/db"}, "postgres://wr@h/db", wr, true},
		{"other bindings' variables do not apply", map[string]string{"CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_OTHER": "x"}, fromFile, "localConnectionString", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, warnings := mustLoad(t, Options{Dir: "testdata/full", Getenv: env(tt.environ)})
			h := cfg.Hyperdrive[0]
			if h.LocalConnectionString != tt.want || h.ConnectionStringSource != tt.wantSource {
				t.Errorf("LocalConnectionString, Source = %q, %q; want %q, %q", h.LocalConnectionString, h.ConnectionStringSource, tt.want, tt.wantSource)
			}
			gotWarn := len(warnings) == 1 && warnings[0].Line == 19 && strings.Contains(warnings[0].Message, "deprecated")
			if gotWarn != tt.wantWarn || (!tt.wantWarn && len(warnings) != 0) {
				t.Errorf("warnings = %v, want deprecation warning: %v", warnings, tt.wantWarn)
			}
			// The binding with no string anywhere stays empty (managed local PostgreSQL).
			if other := cfg.Hyperdrive[1]; other.LocalConnectionString != "" || other.ConnectionStringSource != "" {
				t.Errorf("ANALYTICS_DB = %q from %q, want empty", other.LocalConnectionString, other.ConnectionStringSource)
			}
		})
	}
	t.Run("env var gives a binding without localConnectionString a database", func(t *testing.T) {
		cfg, _ := mustLoad(t, Options{Dir: "testdata/full", Getenv: env(map[string]string{"CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_ANALYTICS_DB": "postgres://a@h/x"})})
		if got := cfg.Hyperdrive[1].LocalConnectionString; got != "postgres://a@h/x" {
			t.Errorf("ANALYTICS_DB = %q", got)
		}
	})
}

func TestFallbackAndReplicasFromEnvironment(t *testing.T) {
	const (
		fb   = "EDGERUN_HYPERDRIVE_FALLBACK_CONNECTION_STRING_HYPERDRIVE"
		rp   = "EDGERUN_HYPERDRIVE_REPLICA_CONNECTION_STRING_HYPERDRIVE_"
		toml = "postgres://app:s3cret@direct.example.com:5432/shop"
	)
	tomlReplicas := []string{"postgres://ro:pw1@replica1:5432/shop", "postgres://ro:pw2@replica2:5432/shop"}
	tests := []struct {
		name         string
		environ      map[string]string
		wantFallback string
		wantReplicas []string
	}{
		{"the toml's", nil, toml, tomlReplicas},
		{"the fallback from the environment", map[string]string{fb: "postgres://f:x@fb/shop"}, "postgres://f:x@fb/shop", tomlReplicas},
		{"numbered replicas replace the toml's list", map[string]string{rp + "1": "postgres://r@a/shop", rp + "2": "host=b user=r dbname=shop"},
			toml, []string{"postgres://r@a/shop", "host=b user=r dbname=shop"}},
		{"numbering stops at the first gap", map[string]string{rp + "1": "postgres://r@a/shop", rp + "3": "postgres://r@c/shop"},
			toml, []string{"postgres://r@a/shop"}},
		{"without _1 nothing is taken", map[string]string{rp + "2": "postgres://r@b/shop"}, toml, tomlReplicas},
		{"empty values count as unset", map[string]string{fb: "", rp + "1": ""}, toml, tomlReplicas},
		{"other bindings' variables do not apply", map[string]string{"EDGERUN_HYPERDRIVE_FALLBACK_CONNECTION_STRING_ANALYTICS_DB": "postgres://o@h/x"}, toml, tomlReplicas},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, _ := mustLoad(t, Options{Dir: "testdata/full", Getenv: env(tt.environ)})
			h := cfg.Hyperdrive[0]
			if h.FallbackConnectionString != tt.wantFallback || !slices.Equal(h.ReplicaConnectionStrings, tt.wantReplicas) {
				t.Errorf("fallback %q, replicas %q; want %q, %q", h.FallbackConnectionString, h.ReplicaConnectionStrings, tt.wantFallback, tt.wantReplicas)
			}
		})
	}
	t.Run("a bad string is named by its variable, never shown", func(t *testing.T) {
		_, _, err := Load(Options{Dir: "testdata/full", Getenv: env(map[string]string{rp + "1": "postgres://r:topsecret@[bad/shop"})})
		if err == nil || !strings.Contains(err.Error(), rp+"1: invalid PostgreSQL connection string") || strings.Contains(err.Error(), "topsecret") {
			t.Fatalf("err = %v", err)
		}
		if !strings.Contains(err.Error(), "wrangler.toml:") {
			t.Fatalf("err = %v; want the binding's file:line", err)
		}
	})
}

func TestRedactedConfigHidesSecrets(t *testing.T) {
	cfg, _ := mustLoad(t, Options{Dir: "testdata/full"})
	secrets := []string{"s3cret", "pw1", "pw2", "dev-key", "hello from .dev.vars"}
	r := cfg.Redacted()
	dump := fmt.Sprintf("%+v %v %s", *r, r.Hyperdrive, cfg)
	for _, s := range secrets {
		if strings.Contains(dump, s) {
			t.Errorf("redacted output contains %q:\n%s", s, dump)
		}
	}
	if !strings.Contains(dump, "postgres://app:xxxxx@localhost:5432/shop") {
		t.Errorf("redacted output lost the non-secret parts:\n%s", dump)
	}
	// The original is untouched.
	if cfg.Hyperdrive[0].LocalConnectionString != "postgres://app:s3cret@localhost:5432/shop" || cfg.Secrets["API_KEY"] != "dev-key" {
		t.Error("Redacted modified the original config")
	}
}

func BenchmarkLoadFull(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Load(Options{Dir: "testdata/full"}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestAdminOffAsInTheFlag(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"index.js":      "",
		"wrangler.toml": "main = \"index.js\"\n[edgerun]\nadmin = \"off\"\n",
	})
	cfg, _ := mustLoad(t, Options{Dir: dir})
	if cfg.Edgerun.Admin != "off" {
		t.Fatalf("admin = %q, want off", cfg.Edgerun.Admin)
	}
}

// trusted_ca_certs resolves against the project; NODE_EXTRA_CA_CERTS adds
// one more, as wrangler honours it.
func TestTrustedCACerts(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"index.js":      "",
		"wrangler.toml": "main = \"index.js\"\n[edgerun]\ntrusted_ca_certs = [\"certs/ca.pem\", \"/etc/abs.pem\"]\n",
	})
	cfg, _, err := Load(Options{Dir: dir, Getenv: func(k string) (string, bool) {
		return "/extra.pem", k == "NODE_EXTRA_CA_CERTS"
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(cfg.Dir, "certs", "ca.pem"), "/etc/abs.pem", "/extra.pem"}
	if !slices.Equal(cfg.Edgerun.TrustedCAs, want) {
		t.Errorf("TrustedCAs = %v, want %v", cfg.Edgerun.TrustedCAs, want)
	}
}

// [[kv_namespaces]]' edgerun keys: the store, its database and the
// environment variable that wins over both.
func TestKVStores(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "index.js"), []byte("export default {}"), 0o644); err != nil {
		t.Fatal(err)
	}
	toml := `main = "index.js"
[[hyperdrive]]
binding = "DB"
id = "x"
localConnectionString = "postgres://app:hunter2@db:5432/shop"
[[kv_namespaces]]
binding = "LOCAL"
[[kv_namespaces]]
binding = "OWN"
connection_string = "postgres://kv:hunter3@kvdb:5432/kv"
[[kv_namespaces]]
binding = "SHARED"
hyperdrive = "DB"
[[kv_namespaces]]
binding = "FROM_ENV"
store = "postgres"
`
	if err := os.WriteFile(filepath.Join(dir, "wrangler.toml"), []byte(toml), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, _ := mustLoad(t, Options{Dir: dir, Getenv: env(map[string]string{
		"EDGERUN_KV_CONNECTION_STRING_FROM_ENV": "postgres://e:hunter4@envdb/kv",
		"EDGERUN_KV_CONNECTION_STRING_SHARED":   "postgres://e:hunter4@envdb/shared",
	})})
	want := []KVNamespace{
		{Binding: "LOCAL", Store: KVStoreLocal, Line: 6},
		{Binding: "OWN", Store: KVStorePostgres, ConnectionString: "postgres://kv:hunter3@kvdb:5432/kv", ConnectionStringSource: "connection_string", Line: 8},
		{Binding: "SHARED", Store: KVStorePostgres, ConnectionString: "postgres://e:hunter4@envdb/shared", ConnectionStringSource: "EDGERUN_KV_CONNECTION_STRING_SHARED", Line: 11},
		{Binding: "FROM_ENV", Store: KVStorePostgres, ConnectionString: "postgres://e:hunter4@envdb/kv", ConnectionStringSource: "EDGERUN_KV_CONNECTION_STRING_FROM_ENV", Line: 14},
	}
	if !reflect.DeepEqual(cfg.KVNamespaces, want) {
		t.Errorf("KVNamespaces =\n%+v\nwant\n%+v", cfg.KVNamespaces, want)
	}
	cfg, _ = mustLoad(t, Options{Dir: dir, Getenv: env(map[string]string{"EDGERUN_KV_CONNECTION_STRING_FROM_ENV": "postgres://e:hunter4@envdb/kv"})})
	if got := cfg.KVNamespaces[2]; got.Hyperdrive != "DB" || got.ConnectionString != "" || got.Store != KVStorePostgres {
		t.Errorf("SHARED without its variable = %+v, want the DB binding's database", got)
	}
	if want := (CronLock{ConnectionString: "postgres://kv:hunter3@kvdb:5432/kv", Source: `kv_namespaces "OWN"`}); cfg.Edgerun.CronLock != want {
		t.Errorf("CronLock = %+v, want the first PostgreSQL namespace's database %+v", cfg.Edgerun.CronLock, want)
	}
	s := cfg.String()
	for _, secret := range []string{"hunter2", "hunter3", "hunter4"} {
		if strings.Contains(s, secret) {
			t.Errorf("String() shows a password: %s", s)
		}
	}
	if !strings.Contains(s, "kv OWN (id , postgres postgres://kv:xxxxx@kvdb:5432/kv)") || !strings.Contains(s, "kv SHARED (id , postgres of hyperdrive DB)") {
		t.Errorf("String() = %s", s)
	}
}

// [edgerun] cron_lock names a [[hyperdrive]] binding or a database; the
// environment variable wins; without either nothing elects a leader.
func TestCronLock(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "index.js"), []byte("export default {}"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, edgerun string
		env           map[string]string
		want          CronLock
	}{
		{"none", "", nil, CronLock{}},
		{"binding", `cron_lock = "DB"`, nil, CronLock{Hyperdrive: "DB", Source: "cron_lock"}},
		{"url", `cron_lock = "postgres://c:pw@lock/db"`, nil, CronLock{ConnectionString: "postgres://c:pw@lock/db", Source: "cron_lock"}},
		{"env wins", `cron_lock = "DB"`, map[string]string{"EDGERUN_CRON_LOCK_CONNECTION_STRING": "postgres://e@envlock/db"},
			CronLock{ConnectionString: "postgres://e@envlock/db", Source: "EDGERUN_CRON_LOCK_CONNECTION_STRING"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			toml := "main = \"index.js\"\n[[hyperdrive]]\nbinding = \"DB\"\nid = \"x\"\n[edgerun]\n" + tt.edgerun + "\n"
			if err := os.WriteFile(filepath.Join(dir, "wrangler.toml"), []byte(toml), 0o644); err != nil {
				t.Fatal(err)
			}
			cfg, _ := mustLoad(t, Options{Dir: dir, Getenv: env(tt.env)})
			if cfg.Edgerun.CronLock != tt.want || cfg.Edgerun.CronLock.Enabled() != (tt.want != CronLock{}) {
				t.Errorf("CronLock = %+v, want %+v", cfg.Edgerun.CronLock, tt.want)
			}
		})
	}
}
