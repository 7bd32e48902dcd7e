// Package faultproxy is a TCP proxy that injects the faults the hyperdrive
// fault tests need between the binding and PostgreSQL: added latency, a
// blackhole (connections accepted, nothing forwarded), refusal (new
// connections reset at once) and resetting every open connection.
// It listens on loopback only.
package faultproxy

import (
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Mode is what the proxy does with traffic.
type Mode int32

const (
	Forward   Mode = iota // pass traffic through (with Latency, if set)
	Blackhole             // accept connections, forward nothing, answer nothing
	Refuse                // reset new connections at once
)

// Proxy forwards a loopback port to Target.
type Proxy struct {
	Target string
	ln     net.Listener

	mode    atomic.Int32
	latency atomic.Int64 // per forwarded chunk, nanoseconds
	stopped atomic.Bool

	mu    sync.Mutex
	conns map[net.Conn]struct{}
	wg    sync.WaitGroup
}

// Start listens on 127.0.0.1 (a free port) and forwards to target.
func Start(target string) (*Proxy, error) { return StartOn("127.0.0.1", target) }

// StartOn listens on a free port of the loopback address ip (another one
// than 127.0.0.1 reaches a server under a name its TLS certificate does
// not hold) and forwards to target.
func StartOn(ip, target string) (*Proxy, error) {
	if a := net.ParseIP(ip); a == nil || !a.IsLoopback() {
		return nil, errors.New("faultproxy: " + ip + " is not a loopback address")
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		return nil, err
	}
	p := &Proxy{Target: target, ln: ln, conns: map[net.Conn]struct{}{}}
	p.wg.Add(1)
	go p.accept()
	return p, nil
}

// Addr is the proxy's listening address.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Port is the proxy's listening port.
func (p *Proxy) Port() int { return p.ln.Addr().(*net.TCPAddr).Port }

// SetMode changes what happens to new traffic. Blackhole and Refuse also
// affect established connections: Blackhole stalls them, Refuse resets them.
func (p *Proxy) SetMode(m Mode) {
	p.mode.Store(int32(m))
	if m == Refuse {
		p.ResetAll()
	}
}

// SetLatency delays every forwarded chunk by d (0 = none).
func (p *Proxy) SetLatency(d time.Duration) { p.latency.Store(int64(d)) }

// ResetAll closes every open connection with a TCP reset.
func (p *Proxy) ResetAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		reset(c)
	}
}

// Close stops the proxy and its connections.
func (p *Proxy) Close() error {
	p.stopped.Store(true)
	err := p.ln.Close()
	p.ResetAll()
	p.wg.Wait()
	return err
}

func reset(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = c.Close()
}

func (p *Proxy) track(c net.Conn, on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if on {
		p.conns[c] = struct{}{}
	} else {
		delete(p.conns, c)
	}
}

func (p *Proxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		if Mode(p.mode.Load()) == Refuse {
			reset(c)
			continue
		}
		p.wg.Add(1)
		go p.serve(c)
	}
}

func (p *Proxy) serve(client net.Conn) {
	defer p.wg.Done()
	p.track(client, true)
	defer p.track(client, false)
	defer client.Close()
	server, err := net.DialTimeout("tcp", p.Target, 5*time.Second)
	if err != nil {
		reset(client)
		return
	}
	p.track(server, true)
	defer p.track(server, false)
	defer server.Close()
	done := make(chan struct{}, 2)
	go func() { p.pipe(server, client); done <- struct{}{} }()
	go func() { p.pipe(client, server); done <- struct{}{} }()
	<-done
}

func (p *Proxy) pipe(dst, src net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			for Mode(p.mode.Load()) == Blackhole {
				time.Sleep(5 * time.Millisecond)
				if p.stopped.Load() {
					return
				}
			}
			if d := time.Duration(p.latency.Load()); d > 0 {
				time.Sleep(d)
			}
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				reset(dst)
			} else if tc, ok := dst.(*net.TCPConn); ok {
				_ = tc.CloseWrite()
			}
			return
		}
	}
}
