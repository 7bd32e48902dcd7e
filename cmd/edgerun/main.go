// Command edgerun runs Cloudflare Workers projects (wrangler.toml + a JS or
// TS entry) on your own machine or server, with env.HYPERDRIVE backed by a
// real, pooled, caching PostgreSQL connection.
//
//	edgerun dev      serve the project for development (live reload, pretty logs)
//	edgerun serve    serve the project in production (JSON logs, graceful shutdown)
//	edgerun build    bundle and validate the project, print the bundle size
//	edgerun proxy    run the local Hyperdrive alone: a pooling, caching PostgreSQL endpoint
//	edgerun types    write worker-configuration.d.ts (Env, typed) from the configuration
//	edgerun version  print the version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"edgerun/runtime"
	"edgerun/runtime/config"
	"edgerun/runtime/progress"
)

// version is set at link time (-ldflags "-X main.version=…").
var version = "0.1.0-dev"

func main() {
	if gcOwned() {
		// goja allocates a JS object graph per request; at Go's default
		// GOGC=100 the collector takes a large share of the CPU (see gc.go).
		// GOGC in the environment still wins.
		debug.SetGCPercent(gcMaxPercent)
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `edgerun runs Cloudflare Workers projects locally or on a server.

Usage:
  edgerun <command> [flags]

Commands:
  dev       Serve the project for development (live reload, readable logs)
  serve     Serve the project in production (JSON logs, graceful shutdown)
  build     Bundle and validate the project; print the bundle size
  proxy     Run the [[hyperdrive]] entries' local Hyperdrive alone (no worker):
            a pooling, caching PostgreSQL endpoint for any local program
  types     Write worker-configuration.d.ts: Env with every binding and var, typed
  version   Print the version

Run "edgerun <command> --help" for a command's flags.
`

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "dev":
		return serveCmd("dev", args[1:], stdout, stderr)
	case "serve":
		return serveCmd("serve", args[1:], stdout, stderr)
	case "build":
		return buildCmd(args[1:], stdout, stderr)
	case "proxy":
		return proxyCmd(args[1:], stdout, stderr)
	case "types":
		return typesCmd(args[1:], stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintf(stdout, "edgerun %s\n", version)
		return 0
	case "help", "--help", "-h":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "edgerun: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
}

// projectFlags are the flags every project command shares.
type projectFlags struct {
	config  string
	env     string
	vars    varFlag
	noEntry bool // the command runs no worker: main is not read
}

func (p *projectFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&p.config, "config", "", "path to wrangler.toml / wrangler.json(c) (default: search from the current directory)")
	fs.StringVar(&p.config, "c", "", "shorthand for --config")
	fs.StringVar(&p.env, "env", "", "environment to use ([env.<name>] in the configuration)")
	fs.StringVar(&p.env, "e", "", "shorthand for --env")
	fs.Var(&p.vars, "var", "KEY:VALUE to add to env (repeatable; wins over [vars] and .dev.vars)")
}

func (p *projectFlags) load(stderr io.Writer, log *slog.Logger) (*config.Config, error) {
	return p.loadWith(log, os.LookupEnv)
}

// loadWith loads the configuration seeing the environment through getenv.
func (p *projectFlags) loadWith(log *slog.Logger, getenv func(string) (string, bool)) (*config.Config, error) {
	cfg, warnings, err := config.Load(config.Options{
		Path:    p.config,
		Env:     p.env,
		Getenv:  getenv,
		Vars:    p.vars.values,
		NoEntry: p.noEntry,
	})
	for _, w := range warnings {
		log.Warn(w.String())
	}
	return cfg, err
}

type varFlag struct{ values map[string]string }

func (v *varFlag) String() string { return "" }

func (v *varFlag) Set(s string) error {
	key, value, ok := strings.Cut(s, ":")
	if !ok || key == "" {
		return fmt.Errorf("want KEY:VALUE, got %q", s)
	}
	if v.values == nil {
		v.values = map[string]string{}
	}
	v.values[key] = value
	return nil
}

func newFlagSet(name, summary string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: edgerun %s [flags]\n\n%s\n\nFlags:\n", name, summary)
		fs.PrintDefaults()
	}
	return fs
}

func serveCmd(mode string, args []string, stdout, stderr io.Writer) int {
	dev := mode == "dev"
	summary := "Serve the project for development: live reload, readable logs, error stacks in responses."
	defaultFormat := "pretty"
	if !dev {
		summary = "Serve the project in production: JSON logs, no reload, graceful shutdown on SIGTERM/SIGINT."
		defaultFormat = "json"
	}
	fs := newFlagSet(mode, summary, stderr)
	var pf projectFlags
	pf.register(fs)
	ip := fs.String("ip", "", "address to listen on (default: [dev] ip, else 127.0.0.1)")
	port := fs.Int("port", 0, "port to listen on (default: [dev] port, else 8787)")
	logFormat := fs.String("log-format", defaultFormat, "log format: pretty or json")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn or error")
	accessLog := fs.Bool("access-log", dev, "log one line per request")
	testScheduled := fs.Bool("test-scheduled", false, "serve /__scheduled?cron=<expr> (and /cdn-cgi/handler/scheduled) to run the scheduled() handler (as wrangler dev does)")
	crons := false
	if dev {
		fs.BoolVar(&crons, "crons", false, "fire [triggers] crons on schedule, as serve does (wrangler dev only fires them on request, see --test-scheduled)")
	}
	drain := fs.Duration("drain-timeout", 30*time.Second, "on shutdown, how long in-flight requests and waitUntil work may take")
	shutdownDelay := fs.Duration("shutdown-delay", 0, "on SIGTERM, keep serving this long with /readyz answering 503 before the listener closes, so that load balancers stop sending requests first (longer than their health-check interval)")
	adminAddr := fs.String("admin", "", `admin listener for /healthz, /readyz, /health and /metrics: host:port, or "off" (default: [edgerun] admin, else 127.0.0.1:9787)`)
	profiling := fs.Bool("pprof", false, "also serve Go's profiler on the admin listener, under /debug/pprof/")
	var genTypes *bool
	if dev {
		genTypes = fs.Bool("types", false, "rewrite worker-configuration.d.ts at start when the configuration changed it (as [dev] generate_types = true)")
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	// The access log writes a line per request: lines are coalesced into
	// fewer writes (warnings and errors go out at once), and what is held
	// is written before serve returns.
	log, prog, logOut, err := flagLogger(stderr, *logFormat, *logLevel)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	defer logOut.Sync()
	cfg, err := pf.load(stderr, log)
	if err != nil {
		log.Error(err.Error())
		return 1
	}
	if dev && (*genTypes || cfg.Dev.GenerateTypes) {
		devTypes(pf, log)
	}
	addr := listenAddr(cfg, *ip, *port)
	adminListen := cfg.Edgerun.Admin
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "admin" {
			adminListen = *adminAddr
		}
	})

	bound := runtime.MemoryBound(cfg)
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		// The collector works harder near the configured bound instead of
		// letting garbage grow to GOGC's multiple of the live heap. The soft
		// limit is 90% of the bound: what the runtime holds beyond the heap
		// (stacks, pages not yet returned) must fit too.
		debug.SetMemoryLimit(int64(bound / 10 * 9))
	}
	log.Debug(fmt.Sprintf("memory bound from the configuration: %s (README \"Memory\")", byteSize(int(bound))))

	if gcOwned() {
		// Start-up allocates tens of MB that are garbage by the time it is
		// ready (syntax trees, compiles), and collecting them as they pile up
		// cost a quarter of a hello start's CPU: the one collection is the
		// forced one once ready (below). The soft memory limit still applies.
		debug.SetGCPercent(-1)
		defer tuneGC() // however serve ends, a failed start included
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	app, err := runtime.Open(ctx, runtime.AppOptions{Config: cfg, Dev: dev, TestScheduled: *testScheduled, LogRequests: *accessLog, Log: log, Profiling: *profiling, Progress: prog})
	if err != nil {
		log.Error(err.Error())
		return 1
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		log.Error(fmt.Sprintf("listen on %s: %v", addr, err))
		_ = app.Shutdown(context.Background())
		return 1
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- app.Serve(ln) }()
	wk := app.Server().Version()
	log.Info(fmt.Sprintf("%s: %s worker, %s, %s", cfg.Name, wk.Mode, byteSize(wk.Size), isolateCount(wk.Pool.Stats().Isolates, wk.Pool.Size())))
	if lines := runtime.BindingsSummary(cfg); len(lines) > 0 {
		log.Info("Your worker has access to the following bindings:\n  " + strings.Join(lines, "\n  "))
	}
	log.Info(fmt.Sprintf("Ready on http://%s", ln.Addr()))
	// Start-up's garbage (the bundler's syntax trees, the compiles) goes
	// back to the OS now rather than over minutes by the scavenger, and the
	// executable's pages only start-up ran are unmapped: a server's idle
	// footprint is what it holds, not what it once built. The collector
	// then runs again, paced by the live heap (gc.go).
	go func() {
		debug.FreeOSMemory()
		tuneGC()
		dropStartupPages()
	}()
	serveAdmin(app, adminListen, log)
	_ = logOut.Sync() // the start-up lines, at once
	stopCron := func() {}
	if (!dev || crons) && len(cfg.Triggers.Crons) > 0 {
		// Cron triggers fire in serve, as in production; in dev with
		// --crons, else on request with --test-scheduled, as with wrangler.
		if stopCron, err = app.StartCron(ctx); err != nil {
			log.Error(err.Error())
			_ = app.Shutdown(context.Background())
			return 1
		}
		log.Info(fmt.Sprintf("cron triggers: %s (UTC)", strings.Join(cfg.Triggers.Crons, ", ")))
	}
	if dev {
		stopWatch, err := runtime.WatchAndReload(ctx, app)
		if err != nil {
			log.Warn("live reload is off: " + err.Error())
		} else {
			defer stopWatch()
		}
	}
	select {
	case <-ctx.Done():
		log.Info("shutting down: draining in-flight requests")
	case err := <-serveErr:
		if err != nil {
			log.Error(err.Error())
			return 1
		}
	}
	stop()
	// Crons stop before the drain: no tick starts while requests finish,
	// and a cron leader's lock passes to another process at once.
	stopCron()
	if *shutdownDelay > 0 {
		app.Unready()
		log.Info(fmt.Sprintf("not ready: serving %s more before closing the listener (--shutdown-delay)", *shutdownDelay))
		time.Sleep(*shutdownDelay)
	}
	sctx, cancel := context.WithTimeout(context.Background(), *drain)
	defer cancel()
	if err := app.Shutdown(sctx); err != nil {
		log.Error("shutdown: " + err.Error())
		return 1
	}
	return 0
}

// isolateCount says how many isolates serve, and how many the pool may grow
// to under concurrency.
func isolateCount(n, size int) string {
	if n < size {
		return fmt.Sprintf("%d isolate(s), up to %d under load", n, size)
	}
	return fmt.Sprintf("%d isolates", n)
}

// serveAdmin starts the admin listener unless addr is "off" or empty. A
// listener that cannot start (the port is taken, say by another edgerun) is
// logged and left off: the worker itself still serves.
func serveAdmin(app interface{ ServeAdmin(net.Listener) error }, addr string, log *slog.Logger) {
	if addr == "" || strings.EqualFold(addr, "off") {
		return
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		log.Error(fmt.Sprintf("admin endpoints are off: listen on %s: %v (set --admin or [edgerun] admin)", addr, err))
		return
	}
	go func() {
		if err := app.ServeAdmin(ln); err != nil {
			log.Error("admin listener: " + err.Error())
		}
	}()
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && !tcp.IP.IsLoopback() {
		log.Warn(fmt.Sprintf("admin endpoints listen on %s, beyond loopback: whoever reaches it sees /health and /metrics; put it behind your network policy", ln.Addr()))
	}
	log.Info(fmt.Sprintf("Admin on http://%s (the dashboard at /; /healthz /readyz /health /metrics)", ln.Addr()))
}

func listenAddr(cfg *config.Config, ip string, port int) string {
	if ip == "" {
		ip = cfg.Dev.IP
	}
	if port == 0 {
		port = cfg.Dev.Port
	}
	return net.JoinHostPort(ip, strconv.Itoa(port))
}

func buildCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("build", "Bundle the project's entry with esbuild, compile it, and print the bundle size.", stderr)
	var pf projectFlags
	pf.register(fs)
	outfile := fs.String("outfile", "", "also write the bundle to this file")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	log, _ := runtime.NewLogger(stderr, "pretty", slog.LevelInfo)
	cfg, err := pf.load(stderr, log)
	if err != nil {
		fmt.Fprintf(stderr, "✘ %v\n", err)
		return 1
	}
	if cfg.Main == "" {
		fmt.Fprintf(stdout, "✔ %s: assets only (no main): nothing to bundle\n", cfg.Name)
		return 0
	}
	res, _, err := runtime.BuildScript(runtime.VersionOptions{Dir: cfg.Dir, Main: cfg.Main, Build: runtime.BundleOptions(cfg), Progress: progress.New(stderr)})
	if err != nil {
		fmt.Fprintf(stderr, "✘ %v\n", err)
		return 1
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(stderr, "▲ %s\n", w)
	}
	if *outfile != "" {
		if err := os.WriteFile(*outfile, []byte(res.Code), 0o644); err != nil {
			fmt.Fprintf(stderr, "✘ %v\n", err)
			return 1
		}
	}
	fmt.Fprintf(stdout, "✔ %s: bundle %s from %d files\n", cfg.Name, byteSize(len(res.Code)), len(res.Inputs))
	return 0
}

func byteSize(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.2f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.2f KiB", float64(n)/(1<<10))
	default:
		return fmt.Sprintf("%d B", n)
	}
}

// flagLogger builds the logger the flags ask for and, with pretty logs,
// the progress line for long work at start, which the logger writes
// through (progress: one updating line on a terminal, plain lines
// otherwise). JSON logs get no progress line: its text would not be JSON.
func flagLogger(stderr io.Writer, format, levelName string) (*slog.Logger, *progress.Line, *runtime.LogWriter, error) {
	level, err := runtime.ParseLevel(levelName)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("edgerun: --log-level: %w", err)
	}
	var prog *progress.Line
	out := stderr
	if format == "pretty" {
		prog = progress.New(stderr)
		out = prog
	}
	// Records are coalesced before they reach the progress line (or
	// stderr): see runtime.LogWriter.
	lw := runtime.NewLogWriter(out)
	log, err := runtime.NewLogger(lw, format, level)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("edgerun: --log-format: %w", err)
	}
	return log, prog, lw, nil
}
