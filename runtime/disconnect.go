package runtime

import (
	"errors"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/valyala/fasthttp"
)

// A client that goes away mid-request should cancel the request's work (a
// long query is cancelled on the server). fasthttp does not read the
// connection while the handler runs, so edgerun looks for itself: a request
// still waiting after watchAfter gets its socket peeked (MSG_PEEK, nothing
// consumed) every watchEvery; end-of-stream or a reset cancels it. Waiting
// requests share one ticker (the epoch channel below), so a request that
// finishes sooner costs no timer and no goroutine.
const (
	watchAfter = 250 * time.Millisecond
	watchEvery = 250 * time.Millisecond
)

// epoch is closed and replaced every watchEvery by one goroutine, so waiting
// requests need no timer of their own.
var epoch atomic.Pointer[chan struct{}]

func init() {
	ch := make(chan struct{})
	epoch.Store(&ch)
	go func() {
		for now := range time.Tick(watchEvery) {
			next := make(chan struct{})
			old := epoch.Swap(&next)
			close(*old)
			checkWatched(now)
		}
	}()
}

// goneChecker returns a function that reports whether ctx's client has
// closed or reset its connection, cancelling the request when it has. It
// allocates nothing until first called.
func goneChecker(ctx *fasthttp.RequestCtx, cancel func()) func() bool {
	return func() bool {
		raw, ok := ctx.Conn().(syscall.Conn)
		if !ok {
			return false
		}
		rc, err := raw.SyscallConn()
		if err != nil || !clientGone(rc) {
			return false
		}
		cancel()
		return true
	}
}

// clientGone peeks at the socket without consuming anything: 0 bytes means
// the peer closed its side; ECONNRESET means it reset.
func clientGone(rc syscall.RawConn) bool {
	gone := false
	var buf [1]byte
	_ = rc.Read(func(fd uintptr) bool {
		n, _, err := syscall.Recvfrom(int(fd), buf[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		switch {
		case err == nil && n == 0:
			gone = true
		case errors.Is(err, syscall.ECONNRESET):
			gone = true
		}
		return true // never wait for readiness
	})
	return gone
}

// A request whose handler goroutine is itself blocked in a query (see
// isolates.Exec: the first piece of Async work runs on the goroutine that
// brought the request) cannot look at its client; it registers here and the
// epoch goroutine looks for it.
type clientWatch struct {
	mu    sync.Mutex
	since time.Time
	gone  func() bool
	done  bool
}

var watched struct {
	mu      sync.Mutex
	entries map[*clientWatch]struct{}
}

// watchClient checks gone on every epoch tick once watchAfter has passed, until the
// returned unwatch is called. After unwatch returns, gone is never called
// again (the fasthttp RequestCtx it reads may be reused).
func watchClient(gone func() bool) (unwatch func()) {
	e := &clientWatch{since: time.Now(), gone: gone}
	watched.mu.Lock()
	if watched.entries == nil {
		watched.entries = make(map[*clientWatch]struct{})
	}
	watched.entries[e] = struct{}{}
	watched.mu.Unlock()
	return func() {
		e.mu.Lock()
		e.done = true
		e.mu.Unlock()
		watched.mu.Lock()
		delete(watched.entries, e)
		watched.mu.Unlock()
	}
}

func checkWatched(now time.Time) {
	watched.mu.Lock()
	var due []*clientWatch
	for e := range watched.entries {
		if now.Sub(e.since) >= watchAfter {
			due = append(due, e)
		}
	}
	watched.mu.Unlock()
	for _, e := range due {
		e.mu.Lock()
		if !e.done && e.gone() {
			e.done = true
		}
		e.mu.Unlock()
	}
}
