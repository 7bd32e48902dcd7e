package runtime

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"edgerun/bindings"
	"edgerun/isolates"
	"edgerun/isolates/modules"
	"edgerun/isolates/webapi"
	"edgerun/runtime/admin"
	"edgerun/runtime/assets"
	"edgerun/runtime/bundle"
	"edgerun/runtime/config"
	"edgerun/runtime/metrics"
	"edgerun/runtime/progress"
)

// AppOptions configure an App.
type AppOptions struct {
	Config *config.Config
	// Dev: error responses show stacks; console output is printed plainly.
	Dev bool
	// LogRequests logs one line per request.
	LogRequests bool
	// TestScheduled serves /__scheduled?cron=… (wrangler dev --test-scheduled).
	TestScheduled bool
	Log           *slog.Logger
	// AlertClock is the alert evaluator's clock (tests). Default time.Now.
	AlertClock func() time.Time
	// Profiling serves /debug/pprof/ on the admin listener (--pprof).
	Profiling bool
	// Progress reports long work at start (the managed PostgreSQL's first
	// start, migrations, bundling); nil reports nothing.
	Progress *progress.Line
}

// App is a running project: bindings, the current worker version, the
// HTTP server in front of it, and its monitoring (metrics, alerts, admin
// endpoints).
type App struct {
	cfg       *config.Config
	log       *slog.Logger
	bindings  []bindings.Binding
	databases []admin.Database
	closers   []func(context.Context) error // managed services, closed after bindings
	assets    *assets.Assets                // [assets]; nil without
	server    *Server

	monitor    *admin.Monitor
	admin      *admin.Server
	stopAlerts context.CancelFunc
	alertsDone chan struct{}
	draining   atomic.Bool
	// replacedBefore sums isolates replaced by worker versions that are no
	// longer serving, so the replaced counter survives reloads.
	replacedBefore atomic.Int64

	progress *progress.Line // AppOptions.Progress

	mu      sync.Mutex // serialises reloads
	workerO VersionOptions
	// trustedPEM are CA certificates the worker's TLS sockets trust besides
	// the system's and [edgerun] trusted_ca_certs: the managed PostgreSQL's.
	trustedPEM [][]byte
}

// Open builds the project's bindings and first worker version.
func Open(ctx context.Context, opts AppOptions) (*App, error) {
	cfg := opts.Config
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	a := &App{cfg: cfg, log: opts.Log, progress: opts.Progress}
	a.monitor = &admin.Monitor{
		Metrics: metrics.New(),
		Alerts:  admin.NewAlerts(cfg.Edgerun.Alerts, opts.Log, opts.AlertClock),
	}
	binds, err := a.buildBindings(ctx)
	if err != nil {
		a.closeBindings(ctx) // what was opened before the failure
		return nil, err
	}
	a.bindings = binds
	roots, err := trustedRoots(cfg.Edgerun.TrustedCAs, a.trustedPEM)
	if err != nil {
		a.closeBindings(ctx)
		return nil, err
	}
	main := cfg.Main
	if main == "" { // assets only: the assets answer everything; a stub stands in for the worker
		if main, err = assetsOnlyStub(cfg.Dir); err != nil {
			a.closeBindings(ctx)
			return nil, err
		}
	}
	a.workerO = VersionOptions{
		Dir:         cfg.Dir,
		Main:        main,
		Bindings:    binds,
		Isolates:    cfg.Edgerun.Isolates,
		MaxInFlight: cfg.Edgerun.MaxConcurrentPerIsolate,
		CPULimit:    cfg.Limits.CPU(),
		MemoryMB:    cfg.Limits.MemoryMB,
		Timeout:     cfg.Limits.ResponseTimeout(),
		MaxSockets:  cfg.Limits.MaxSocketsPerRequest,
		TLSRoots:    roots,
		Build:       BundleOptions(cfg),
		Compat:      modules.CompatFor(cfg.CompatibilityDate, cfg.CompatibilityFlags),
		WebCompat:   webapi.CompatFor(cfg.CompatibilityDate, cfg.CompatibilityFlags),
		Console:     a.console,
		Log:         opts.Log,
	}
	// Only the first build reports: a reload's bundle is the same size and
	// its progress would break into dev's request lines.
	first := a.workerO
	first.Progress = opts.Progress
	wk, err := StartVersion(first)
	if err != nil {
		a.closeBindings(ctx)
		return nil, err
	}
	a.server = NewServer(wk, ServerOptions{
		Dev:           opts.Dev,
		LogRequests:   opts.LogRequests,
		MaxBodyBytes:  int(cfg.Limits.MaxBodyBytes),
		Scheme:        cfg.Dev.LocalProtocol,
		TestScheduled: opts.TestScheduled,
		Assets:        a.assets,
		Log:           opts.Log,
	})
	a.server.Observe = a.monitor.ObserveRequest
	a.monitor.Metrics.WatchIsolates(a.isolateStats)
	a.admin = admin.New(admin.Options{
		Metrics:   a.monitor.Metrics,
		Alerts:    a.monitor.Alerts,
		Databases: a.databases,
		Isolates:  a.isolateStats,
		Ready:     a.ready,
		Log:       opts.Log,
		Profiling: opts.Profiling,
	})
	actx, cancel := context.WithCancel(context.Background())
	a.stopAlerts, a.alertsDone = cancel, make(chan struct{})
	go func() {
		defer close(a.alertsDone)
		a.monitor.Alerts.Run(actx, time.Second)
	}()
	return a, nil
}

func (a *App) buildBindings(ctx context.Context) ([]bindings.Binding, error) {
	values := a.cfg.EnvValues()
	names := make([]string, 0, len(values))
	for k := range values {
		names = append(names, k)
	}
	sort.Strings(names)
	var out []bindings.Binding
	for _, name := range names {
		b, err := bindings.NewPlain(name, values[name])
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	for _, kind := range bindingKinds {
		list, closers, err := kind.open(ctx, a)
		a.closers = append(a.closers, closers...)
		if err != nil {
			return nil, err
		}
		out = append(out, list...)
	}
	return out, nil
}

func (a *App) console(scope *isolates.Scope, level, msg string) {
	l := slog.LevelInfo
	switch level {
	case "error":
		l = slog.LevelError
	case "warn":
		l = slog.LevelWarn
	case "debug":
		l = slog.LevelDebug
	}
	attrs := []any{"source", "console"}
	if scope != nil {
		attrs = append(attrs, "request_id", scope.ID)
	}
	a.log.Log(context.Background(), l, msg, attrs...)
}

// isolateStats is the serving version's pool, with the isolates replaced
// by earlier versions counted in.
func (a *App) isolateStats() isolates.PoolStats {
	s := a.server.Version().Pool.Stats()
	s.Replaced += a.replacedBefore.Load()
	return s
}

// ready is /readyz: a worker version is loaded with isolates running, and
// the app is not shutting down.
func (a *App) ready() error {
	if a.draining.Load() {
		return errors.New("draining for shutdown")
	}
	if a.server.Version().Pool.Stats().Isolates == 0 {
		return errors.New("no isolate is running")
	}
	return nil
}

// Server is the HTTP front end.
func (a *App) Server() *Server { return a.server }

// Admin is the admin endpoints (/healthz, /readyz, /health, /metrics).
func (a *App) Admin() *admin.Server { return a.admin }

// Metrics is the app's Prometheus metrics.
func (a *App) Metrics() *metrics.Metrics { return a.monitor.Metrics }

// Alerts is the app's alert evaluator.
func (a *App) Alerts() *admin.Alerts { return a.monitor.Alerts }

// ServeAdmin serves the admin endpoints on ln until Shutdown, which closes
// it last so that /readyz reports the drain.
func (a *App) ServeAdmin(ln net.Listener) error { return a.admin.Serve(ln) }

// Config is the configuration the app was opened with.
func (a *App) Config() *config.Config { return a.cfg }

// Bindings are the env bindings, in env order.
func (a *App) Bindings() []bindings.Binding { return a.bindings }

// Reload rebuilds the script and swaps it in. On a build error the current
// version keeps serving and the error is returned. In-flight requests finish
// on the old isolates.
func (a *App) Reload(ctx context.Context) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	wk, err := StartVersion(a.workerO)
	if err != nil {
		return err
	}
	old := a.server.SetVersion(wk)
	a.replacedBefore.Add(old.Pool.Stats().Replaced)
	go func() {
		cctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := old.Close(cctx); err != nil {
			a.log.Warn("draining previous worker version", "error", err.Error())
		}
	}()
	return nil
}

// Serve serves HTTP on ln until Shutdown.
func (a *App) Serve(ln net.Listener) error { return a.server.Serve(ln) }

// Shutdown turns /readyz to 503, stops accepting requests, lets in-flight
// requests and their waitUntil work finish within ctx, then closes the
// isolates, the bindings and finally the admin listener.
// Unready turns /readyz to 503 while the app still serves: load balancers
// stop sending it requests before Shutdown closes its listener (a request
// on its way when the listener closes would be refused or reset).
func (a *App) Unready() { a.draining.Store(true) }

func (a *App) Shutdown(ctx context.Context) error {
	a.draining.Store(true)
	errs := []error{a.server.Shutdown(ctx)}
	errs = append(errs, a.server.Version().Close(ctx))
	errs = append(errs, a.closeBindings(ctx))
	a.stopAlerts()
	<-a.alertsDone
	// A scrape in progress may finish; a slow one is cut off.
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
	defer cancel()
	if err := a.admin.Shutdown(actx); err != nil {
		a.log.Debug("closing the admin listener", "error", err.Error())
	}
	return errors.Join(errs...)
}

func (a *App) closeBindings(ctx context.Context) error {
	var errs []error
	for _, b := range a.bindings {
		if err := b.Close(ctx); err != nil {
			errs = append(errs, fmt.Errorf("binding %q: %w", b.Name(), err))
		}
	}
	for _, c := range a.closers {
		errs = append(errs, c(ctx))
	}
	return errors.Join(errs...)
}

// trustedRoots is the pool of extra CAs for TLS sockets: the PEM files
// configured (trusted_ca_certs, NODE_EXTRA_CA_CERTS) and the managed
// services' certificates; nil when there are none.
func trustedRoots(files []string, pems [][]byte) (*x509.CertPool, error) {
	if len(files) == 0 && len(pems) == 0 {
		return nil, nil
	}
	pool := x509.NewCertPool()
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("trusted CA certificates: %w", err)
		}
		if !pool.AppendCertsFromPEM(b) {
			return nil, fmt.Errorf("trusted CA certificates: %s holds no PEM certificate", f)
		}
	}
	for _, b := range pems {
		pool.AppendCertsFromPEM(b)
	}
	return pool, nil
}

// BundleOptions maps wrangler's bundling keys to esbuild's, and the
// compatibility date and flags to the built-in modules the bundle may
// import.
func BundleOptions(cfg *config.Config) bundle.Options {
	compat := modules.CompatFor(cfg.CompatibilityDate, cfg.CompatibilityFlags)
	return bundle.Options{
		Builtins:    func(spec string) (string, bool, error) { return modules.Resolve(spec, compat) },
		BuiltinHint: func(spec string) string { return modules.BareNameHint(spec, compat) },
		Define:      cfg.Build.Define,
		Alias:       cfg.Build.Alias,
		JSXFactory:  cfg.Build.JSXFactory,
		JSXFragment: cfg.Build.JSXFragment,
		TSConfig:    cfg.Build.TSConfig,
		Minify:      cfg.Build.Minify,
	}
}

// navigationPrefersAssets is Workers' assets_navigation_prefers_asset_serving:
// on from compatibility date 2025-04-01 (or by its flag), off by
// assets_navigation_has_no_effect.
func navigationPrefersAssets(cfg *config.Config) bool {
	if slices.Contains(cfg.CompatibilityFlags, "assets_navigation_has_no_effect") {
		return false
	}
	return slices.Contains(cfg.CompatibilityFlags, "assets_navigation_prefers_asset_serving") ||
		cfg.CompatibilityDate == "" || cfg.CompatibilityDate >= "2025-04-01"
}

// assetsOnlyStub writes the worker an assets-only project runs (it never
// gets a request: the assets answer every one) under .edgerun, and returns
// its path.
func assetsOnlyStub(dir string) (string, error) {
	path := filepath.Join(dir, ".edgerun", "assets-only-worker.js")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", err
	}
	const stub = "// Written by edgerun for a project with [assets] and no main.\nexport default { fetch() { return new Response(null, { status: 404 }); } };\n"
	if err := os.WriteFile(path, []byte(stub), 0o644); err != nil {
		return "", err
	}
	return path, nil
}
