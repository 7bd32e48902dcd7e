package isolates

import (
	"crypto/x509"
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

var inProcess sync.Map // "host:port" → *inProcessDoor

type inProcessDoor struct {
	serve func(net.Conn)
	chain []*x509.Certificate // ServeInProcessSecure's; nil: TLS over the pipe is real
}

// ServeInProcess routes the scripts' connections to addr (as
// net.JoinHostPort writes it: "127.0.0.1:5432", "[::1]:5432") to serve,
// each on a goroutine of its own with the server end of a pipe, which
// serve owns (and closes). serve can tell such a connection by its type,
// *pipe.Conn. The returned stop ends the routing; connections already
// made go on.
func ServeInProcess(addr string, serve func(net.Conn)) (stop func()) {
	return ServeInProcessSecure(addr, nil, serve)
}

// ServeInProcessSecure is [ServeInProcess] for a server whose TLS presents
// chain (leaf first): a script's TLS to this door (cloudflare:sockets'
// secureTransport "on" and startTls, node:tls over them) does no handshake.
// The pipe is already what TLS would make of it: private (its bytes never
// leave the process's memory) and authentic (the registry, not the
// network, names the server). The script's socket checks chain against the
// name it expects exactly as a handshake checks the certificate, fails as
// it would, and otherwise reports the connection secure and sends in
// clear. So serve must take cleartext where TLS could begin: a TLS client
// of its own over the pipe (a Go test's pgx) still starts with a handshake
// record, which the server tells by its first byte.
func ServeInProcessSecure(addr string, chain []*x509.Certificate, serve func(net.Conn)) (stop func()) {
	door := &inProcessDoor{serve: serve, chain: chain} // identity: a stop that comes late removes no newer entry
	inProcess.Store(addr, door)
	return func() { inProcess.CompareAndDelete(addr, door) }
}

// DialInProcess is the client end of a new in-process connection to addr,
// or nil when no server of this process registered addr.
func DialInProcess(addr string) net.Conn {
	c, _ := DialInProcessSecure(addr)
	return c
}

// DialInProcessSecure is [DialInProcess] with the certificate chain the
// door's server registered with [ServeInProcessSecure] (nil for a door
// whose TLS is real).
func DialInProcessSecure(addr string) (net.Conn, []*x509.Certificate) {
	v, ok := inProcess.Load(addr)
	if !ok {
		return nil, nil
	}
	door := v.(*inProcessDoor)
	client, server := pipe.New(addr)
	go door.serve(server)
	return client, door.chain
}
