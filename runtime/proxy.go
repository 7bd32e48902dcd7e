package runtime

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"sync/atomic"
	"time"

	"edgerun/bindings/hyperdrive"
	"edgerun/runtime/admin"
	"edgerun/runtime/config"
	"edgerun/runtime/metrics"
	"edgerun/runtime/progress"
)

// ProxyOptions configure a Proxy (edgerun proxy).
type ProxyOptions struct {
	Config *config.Config
	// Bindings selects [[hyperdrive]] entries by binding name; empty: all.
	Bindings []string
	// Port is the listener's port when one entry is selected (0: the
	// entry's local_port).
	Port int
	// User and Password are fixed credentials for every listener; empty:
	// random per process.
	User, Password string
	Log            *slog.Logger
	// Progress reports the managed PostgreSQL's first start and the
	// migrations; nil reports nothing.
	Progress *progress.Line
}

// Proxy runs the local Hyperdrive of [[hyperdrive]] entries without a
// worker: a pooling, caching PostgreSQL endpoint for any local program,
// with the same bindings, pools, cache, metrics and /health as a worker's.
type Proxy struct {
	bindings   []*hyperdrive.Binding
	closers    []func(context.Context) error
	admin      *admin.Server
	stopAlerts context.CancelFunc
	alertsDone chan struct{}
	draining   atomic.Bool
}

// OpenProxy opens the selected entries' bindings (the managed local
// PostgreSQL for entries without a connection string, as dev does), each
// with its listener: on Port, else on local_port (-1, "no listener" for a
// worker, means a port chosen at start here: a listener is the point).
func OpenProxy(ctx context.Context, opts ProxyOptions) (*Proxy, error) {
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	cfg := *opts.Config
	cfg.Hyperdrive = nil
	for _, hd := range opts.Config.Hyperdrive {
		if len(opts.Bindings) == 0 || slices.Contains(opts.Bindings, hd.Binding) {
			cfg.Hyperdrive = append(cfg.Hyperdrive, hd)
		}
	}
	for _, name := range opts.Bindings {
		if !slices.ContainsFunc(cfg.Hyperdrive, func(h config.Hyperdrive) bool { return h.Binding == name }) {
			return nil, fmt.Errorf("no [[hyperdrive]] entry has binding = %q in %s", name, opts.Config.Path)
		}
	}
	switch {
	case len(cfg.Hyperdrive) == 0:
		return nil, fmt.Errorf("%s has no [[hyperdrive]] entry: nothing to proxy", opts.Config.Path)
	case opts.Port != 0 && len(cfg.Hyperdrive) > 1:
		return nil, fmt.Errorf("--port names one listener, and %d [[hyperdrive]] entries are selected: choose one with --binding, or set each entry's local_port", len(cfg.Hyperdrive))
	case opts.Port < 0 || opts.Port > 65535:
		return nil, fmt.Errorf("--port %d: want 1-65535", opts.Port)
	}
	for i := range cfg.Hyperdrive {
		if opts.Port != 0 {
			cfg.Hyperdrive[i].LocalPort = opts.Port
		} else if cfg.Hyperdrive[i].LocalPort < 0 {
			cfg.Hyperdrive[i].LocalPort = 0
		}
	}
	if (opts.User == "") != (opts.Password == "") {
		return nil, errors.New("fixed credentials need both a user and a password (or neither, for random ones)")
	}
	monitor := &admin.Monitor{Metrics: metrics.New(), Alerts: admin.NewAlerts(cfg.Edgerun.Alerts, opts.Log, nil)}
	list, closers, err := openHyperdrive(ctx, &cfg, opts.Log, opts.Progress, monitor, nil, func(hc *hyperdrive.Config) {
		hc.ProxyUser, hc.ProxyPassword = opts.User, opts.Password
	})
	if err != nil {
		return nil, err
	}
	p := &Proxy{bindings: list, closers: closers}
	dbs := make([]admin.Database, len(list))
	for i, b := range list {
		monitor.Metrics.WatchBinding(b)
		dbs[i] = b
	}
	p.admin = admin.New(admin.Options{Metrics: monitor.Metrics, Alerts: monitor.Alerts, Databases: dbs, Ready: p.ready, Log: opts.Log})
	actx, cancel := context.WithCancel(context.Background())
	p.stopAlerts, p.alertsDone = cancel, make(chan struct{})
	go func() {
		defer close(p.alertsDone)
		monitor.Alerts.Run(actx, time.Second)
	}()
	return p, nil
}

// Bindings are the bindings the proxy runs, in the configuration's order.
func (p *Proxy) Bindings() []*hyperdrive.Binding { return p.bindings }

func (p *Proxy) ready() error {
	if p.draining.Load() {
		return errors.New("draining for shutdown")
	}
	return nil
}

// ServeAdmin serves /healthz, /readyz, /health and /metrics on ln until
// Shutdown.
func (p *Proxy) ServeAdmin(ln net.Listener) error { return p.admin.Serve(ln) }

// Shutdown closes the listeners (connected clients are disconnected; a
// transaction in progress is rolled back by its server connection's
// close), the pools, the managed PostgreSQL, then the admin listener.
func (p *Proxy) Shutdown(ctx context.Context) error {
	p.draining.Store(true)
	var errs []error
	for _, b := range p.bindings {
		if err := b.Close(ctx); err != nil {
			errs = append(errs, fmt.Errorf("binding %q: %w", b.Name(), err))
		}
	}
	for _, c := range p.closers {
		errs = append(errs, c(ctx))
	}
	p.stopAlerts()
	<-p.alertsDone
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
	defer cancel()
	_ = p.admin.Shutdown(actx)
	return errors.Join(errs...)
}
