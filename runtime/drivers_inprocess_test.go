//go:build unix

package runtime

import (
	"testing"

	"edgerun/bindings/hyperdrive"
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
