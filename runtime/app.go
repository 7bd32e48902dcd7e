package runtime

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sort"
	"sync"
	"time"

	"edgerun/bindings"
	"edgerun/isolates"
	"edgerun/runtime/config"
)

// AppOptions configure an App.
type AppOptions struct {
	Config *config.Config
	// Dev: error responses show stacks; console output is printed plainly.
	Dev bool
	// LogRequests logs one line per request.
	LogRequests bool
	Log         *slog.Logger
}

// App is a running project: bindings, the current worker version and the
// HTTP server in front of it.
type App struct {
	cfg      *config.Config
	log      *slog.Logger
	bindings []bindings.Binding
	closers  []func(context.Context) error // managed services, closed after bindings
	server   *Server

	mu      sync.Mutex // serialises reloads
	workerO WorkerOptions
}

// Open builds the project's bindings and first worker version.
func Open(ctx context.Context, opts AppOptions) (*App, error) {
	cfg := opts.Config
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	a := &App{cfg: cfg, log: opts.Log}
	binds, err := a.buildBindings(ctx)
	if err != nil {
		return nil, err
	}
	a.bindings = binds
	a.workerO = WorkerOptions{
		Dir:         cfg.Dir,
		Main:        cfg.Main,
		Bindings:    binds,
		Isolates:    cfg.Edgerun.Isolates,
		MaxInFlight: cfg.Edgerun.MaxConcurrentPerIsolate,
		CPULimit:    cfg.Limits.CPU(),
		Minify:      cfg.Build.Minify,
		Console:     a.console,
		Log:         opts.Log,
	}
	wk, err := StartWorker(a.workerO)
	if err != nil {
		a.closeBindings(ctx)
		return nil, err
	}
	a.server = NewServer(wk, ServerOptions{
		Dev:          opts.Dev,
		LogRequests:  opts.LogRequests,
		MaxBodyBytes: int(cfg.Limits.MaxBodyBytes),
		Scheme:       cfg.Dev.LocalProtocol,
		Log:          opts.Log,
	})
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
	extra, closers, err := openHyperdrive(ctx, a.cfg, a.log)
	if err != nil {
		return nil, err
	}
	a.closers = closers
	return append(out, extra...), nil
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

// Server is the HTTP front end.
func (a *App) Server() *Server { return a.server }

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
	wk, err := StartWorker(a.workerO)
	if err != nil {
		return err
	}
	old := a.server.SetWorker(wk)
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

// Shutdown stops accepting requests, lets in-flight requests and their
// waitUntil work finish within ctx, then closes the isolates and bindings.
func (a *App) Shutdown(ctx context.Context) error {
	errs := []error{a.server.Shutdown(ctx)}
	errs = append(errs, a.server.Worker().Close(ctx))
	errs = append(errs, a.closeBindings(ctx))
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
