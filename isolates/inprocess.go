package isolates

import (
	"net"
	"sync"

	"edgerun/isolates/pipe"
)

// In-process servers: a server of this process (the local Hyperdrive's
// listener) registers the address it listens on, and a script's connect()
// to exactly that host:port is handed an in-memory connection
// (isolates/pipe) to it instead of a loopback TCP one: no syscalls, no
// kernel buffers, the same bytes. It is the bridge's way for bindings to
// serve scripts without isolates importing them; the registry is
// process-wide because the address is (the TCP listener holds the port,
// so nothing else of the process or the machine can answer on it).

var inProcess sync.Map // "host:port" → func(net.Conn)

// ServeInProcess routes the scripts' connections to addr (as
// net.JoinHostPort writes it: "127.0.0.1:5432", "[::1]:5432") to serve,
// each on a goroutine of its own with the server end of a pipe, which
// serve owns (and closes). serve can tell such a connection by its type,
// *pipe.Conn. The returned stop ends the routing; connections already
// made go on.
func ServeInProcess(addr string, serve func(net.Conn)) (stop func()) {
	token := &serve // identity: a stop that comes late removes no newer entry
	inProcess.Store(addr, token)
	return func() { inProcess.CompareAndDelete(addr, token) }
}

// DialInProcess is the client end of a new in-process connection to addr,
// or nil when no server of this process registered addr.
func DialInProcess(addr string) net.Conn {
	v, ok := inProcess.Load(addr)
	if !ok {
		return nil
	}
	serve := *v.(*func(net.Conn))
	client, server := pipe.New(addr)
	go serve(server)
	return client
}
