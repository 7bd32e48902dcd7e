//go:build unix

package runtime

import (
	"testing"

	"edgerun/bindings/hyperdrive"
	"edgerun/bindings/localpg/pgtest"
	"edgerun/runtime/config"
)

// node-postgres on connectionString reaches the local Hyperdrive through the in-process door
// (the listener never accepts a TCP connection for it), and its cancel, a second connection
// carrying a CancelRequest, arrives the same way and stops the query on the server.
func TestDriverAppPgCancelsInProcess(t *testing.T) {
	a, _ := serveDriverApp(t, "pg", "require", nil)
	var hd *hyperdrive.Binding
	for _, b := range a.app.Bindings() {
		if h, ok := b.(*hyperdrive.Binding); ok {
			hd = h
		}
	}
	if hd == nil {
		t.Fatal("no hyperdrive binding")
	}
	before := hd.ProxyStats()
	code, body := a.call(t, "GET", "/cancel", nil)
	// 57014: the server's "canceling statement due to user request".
	wantJSON(t, "GET /cancel", code, body, 200, obj{"cancelled": true, "code": "57014"})
	after := hd.ProxyStats()
	// The query's client, the watcher polling pg_stat_activity and the cancel's connection.
	if got := after.InProcessConnections - before.InProcessConnections; got != 3 {
		t.Errorf("in-process connections +%d, want +3: %+v", got, after)
	}
	if after.TCPConnections != before.TCPConnections {
		t.Errorf("TCP connections %d -> %d: the worker's sockets went over TCP", before.TCPConnections, after.TCPConnections)
	}
}

// With local_port = -1 connectionString names the origin, as wrangler dev's does: the drivers
// then authenticate to PostgreSQL itself over TCP with SCRAM-SHA-256, in JavaScript (pg through
// crypto.subtle, postgres.js through its cf build's crypto.subtle polyfill), which the in-process
// door skips.
func TestDriverAppsScramToTheOrigin(t *testing.T) {
	requireDriverApps(t)
	for _, app := range dbApps {
		if app.name != "pg" && app.name != "postgres" {
			continue
		}
		t.Run(app.name, func(t *testing.T) {
			t.Parallel()
			plain := pgtest.NewDatabase(t)
			dsn, err := pgtest.WithSSLMode(plain, app.sslmode)
			if err != nil {
				t.Fatal(err)
			}
			base := driverAppConfig(t, pgtest.CACertPEM(t))
			a := startAppWith(t, driverAppOptions(app.appDir(), dsn, app.vars), true, func(cfg *config.Config) {
				base(cfg)
				for i := range cfg.Hyperdrive {
					cfg.Hyperdrive[i].LocalPort = -1
				}
			})
			for _, b := range a.app.Bindings() {
				if hd, ok := b.(*hyperdrive.Binding); ok && hd.ProxyStats().Addr != "" {
					t.Fatalf("local_port = -1 still runs a listener: %+v", hd.ProxyStats())
				}
			}
			checkDBApp(t, app, a, plain)
		})
	}
}
