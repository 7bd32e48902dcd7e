package modules

import (
	"net"
	"testing"

	"edgerun/isolates"
	"edgerun/isolates/jstest"
)

// TestSocketsJS runs testdata/sockets.js against real servers.
func TestSocketsJS(t *testing.T) {
	ca := newTestCA(t)
	echoSrv := startServer(t, echo)
	tlsSrv := startServer(t, tlsEcho(ca))
	startSrv := startServer(t, starttls(ca))
	refused := closedPort(t)
	iso, _ := newSocketIsolate(t, Options{TLSRoots: ca.pool}, 0)
	jstest.Run(t, iso, "testdata/sockets.js", func(iso *isolates.Isolate) error {
		vm := iso.Runtime()
		for k, v := range map[string]string{"ECHO": echoSrv.addr(), "TLS_ECHO": tlsSrv.addr(), "STARTTLS": startSrv.addr(), "REFUSED": refused} {
			if err := vm.Set(k, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// closedPort is a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}
