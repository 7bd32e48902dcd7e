package runtime

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"

	"edgerun/bindings"
	"edgerun/bindings/hyperdrive"
	"edgerun/bindings/localpg"
	"edgerun/runtime/config"
	"edgerun/runtime/progress"
)

// managedDatabase is the local PostgreSQL edgerun starts for [[hyperdrive]]
// entries without a connection string; one server per project, a database
// per binding.

// openHyperdrive builds one binding per [[hyperdrive]] entry, starting the
// managed local PostgreSQL when an entry has no connection string, and
// applying migrations_dir. observer (may be nil) hears every binding's
// queries, acquires, retries and breaker changes, for metrics and alerts.
// trust (may be nil) gets the managed server's CA certificate (PEM), which
// the worker's TLS sockets must trust: drivers connect to it with
// sslmode=require, and workerd's sockets verify. adjust (may be nil)
// changes each binding's configuration before it opens (edgerun proxy's
// credentials).
func openHyperdrive(ctx context.Context, cfg *config.Config, log *slog.Logger, prog *progress.Line, observer hyperdrive.Observer, trust func(pem []byte), adjust func(*hyperdrive.Config)) (list []*hyperdrive.Binding, closers []func(context.Context) error, err error) {
	defer func() {
		if err != nil {
			for _, b := range list {
				_ = b.Close(ctx)
			}
			for _, c := range closers {
				_ = c(ctx)
			}
			list, closers = nil, nil
		}
	}()
	var managed *localpg.Server
	for _, hd := range cfg.Hyperdrive {
		conn := hd.LocalConnectionString
		if conn == "" {
			if managed == nil {
				dataDir := filepath.Join(cfg.Dir, ".edgerun", "state", "postgres")
				log.Info("starting a managed local PostgreSQL for hyperdrive (no localConnectionString)", "binding", hd.Binding, "data_dir", dataDir)
				managed, err = localpg.Start(ctx, localpg.Options{DataDir: dataDir, Database: databaseName(hd.Binding), Log: log,
					Progress: func(k, n int, what string) { prog.Step("local PostgreSQL (first start)", k, n, what) }})
				prog.Done("")
				if err != nil {
					return nil, nil, fmt.Errorf("hyperdrive %q: %w", hd.Binding, err)
				}
				closers = append(closers, managed.Stop)
				if trust != nil {
					trust(managed.CACertPEM())
				}
			}
			// The app role, not the superuser: worker SQL must not reach the
			// host (COPY … FROM PROGRAM, pg_read_file). Migrations below use
			// it too, so the tables they create are the binding's to use.
			conn = managed.ConnString()
		}
		if hd.MigrationsDir != "" {
			applied, merr := localpg.MigrateWithProgress(ctx, conn, hd.MigrationsDir, func(k, n int, name string) {
				prog.Step(fmt.Sprintf("hyperdrive %q: applying migration", hd.Binding), k, n, name)
			})
			prog.Done("")
			if merr != nil {
				// A database that is down must not stop edgerun; a broken
				// migration must be seen.
				if cert := hyperdrive.UntrustedCertificate(merr); cert != nil {
					merr = fmt.Errorf("the server's TLS certificate is not trusted (check sslmode and sslrootcert): %w", cert)
				}
				log.Error(fmt.Sprintf("hyperdrive %q: migrations: %v", hd.Binding, merr))
			} else if len(applied) > 0 {
				log.Info(fmt.Sprintf("hyperdrive %q: applied migrations %s", hd.Binding, strings.Join(applied, ", ")))
			}
		}
		hc := hyperdriveConfig(cfg, hd, conn, observer, log)
		if adjust != nil {
			adjust(&hc)
		}
		b, berr := hyperdrive.Open(ctx, hc)
		if berr != nil {
			return nil, nil, berr
		}
		if pem := b.ProxyCACertPEM(); pem != nil && trust != nil {
			trust(pem) // drivers asking the local Hyperdrive for TLS verify its certificate
		}
		list = append(list, b)
		log.Debug("hyperdrive binding ready", "binding", hd.Binding, "database", config.RedactConnectionString(conn))
	}
	return list, closers, nil
}

// hyperdriveConfig is the binding's configuration from its [[hyperdrive]]
// entry: every key README documents for the entry arrives here
// (TestEveryDocumentedKeyReachesItsBinding).
func hyperdriveConfig(cfg *config.Config, hd config.Hyperdrive, conn string, observer hyperdrive.Observer, log *slog.Logger) hyperdrive.Config {
	return hyperdrive.Config{
		Name:                   hd.Binding,
		ConnString:             conn,
		FallbackConnString:     hd.FallbackConnectionString,
		ReplicaConnStrings:     hd.ReplicaConnectionStrings,
		MaxConns:               hd.OriginConnectionLimit,
		QueryTimeout:           hd.QueryTimeout,
		AcquireTimeout:         hd.AcquireTimeout,
		IdleTransactionTimeout: hd.IdleTransactionTimeout,
		Retries:                retriesSetting(hd.Retries),
		FailureThreshold:       hd.Breaker.FailureThreshold,
		OpenTimeout:            hd.Breaker.OpenTimeout,
		SlowQuery:              hd.SlowQuery,
		StatementCache:         hd.StatementCache,
		ProxyAddr:              proxyAddr(hd.LocalPort),
		// One result may hold what one isolate may: [limits] memory_mb.
		MaxResultBytes: int64(cfg.Limits.MemoryMB) << 20,
		Cache: hyperdrive.CacheConfig{
			Disabled:             hd.Caching.Disabled,
			MaxAge:               hd.Caching.MaxAge,
			StaleWhileRevalidate: hd.Caching.StaleWhileRevalidate,
			MaxBytes:             hd.Caching.MaxBytes,
			MaxEntryBytes:        hd.Caching.MaxEntryBytes,
			NotifyChannel:        hd.Caching.NotifyChannel,
			StrictCoherence:      hd.Caching.StrictCoherence,
		},
		Observer: observer,
		Log:      log,
	}
}

// proxyAddr is where the binding's local Hyperdrive listens: loopback, on
// local_port (0: a port chosen at start; -1: no listener, connectionString
// names the origin).
func proxyAddr(port int) string {
	switch {
	case port < 0:
		return "off"
	case port == 0:
		return ""
	}
	return fmt.Sprintf("127.0.0.1:%d", port)
}

// retriesSetting maps the config's retries (0 = none) onto Config.Retries
// (0 = default, -1 = none).
func retriesSetting(n int) int {
	if n <= 0 {
		return -1
	}
	return n
}

func databaseName(binding string) string {
	return strings.ToLower(binding)
}

var hyperdriveKind = bindingKind{
	section: "hyperdrive",
	open: func(ctx context.Context, a *App) ([]bindings.Binding, []func(context.Context) error, error) {
		list, closers, err := openHyperdrive(ctx, a.cfg, a.log, a.progress, a.monitor, func(pem []byte) { a.trustedPEM = append(a.trustedPEM, pem) }, nil)
		if err != nil {
			return nil, nil, err
		}
		out := make([]bindings.Binding, len(list))
		for i, b := range list {
			a.monitor.Metrics.WatchBinding(b)
			a.databases = append(a.databases, b)
			out[i] = b
		}
		return out, closers, nil
	},
	summary: func(cfg *config.Config) (rows []summaryRow) {
		for _, h := range cfg.Hyperdrive {
			where := "managed local PostgreSQL (.edgerun/state/postgres)"
			if h.LocalConnectionString != "" {
				where = endpointOf(h.LocalConnectionString)
				if len(h.ReplicaConnectionStrings) > 0 {
					where += fmt.Sprintf(", %d replica(s)", len(h.ReplicaConnectionStrings))
				}
			}
			rows = append(rows, summaryRow{h.Binding, "Hyperdrive", where})
		}
		return rows
	},
}
