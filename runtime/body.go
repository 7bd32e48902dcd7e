package runtime

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/valyala/fasthttp"
	"golang.org/x/sync/semaphore"
)

// Request bodies are read by the handler (fasthttp streams them), straight
// into the one buffer the worker gets, after their bytes are reserved from
// the process's body budget: however many clients upload at once, the
// bodies held in memory stay under the budget. A request waits up to
// bodyWait for room (its client's upload is not read meanwhile, so TCP
// holds it back) and then gets a 503.
//
// A body over max_body_bytes is answered 413 only after what the client
// sends is read and dropped (up to drainLimit bytes or drainTime): closing
// while the client is still sending makes its kernel see a reset, and the
// 413 is lost with it.

const (
	bodyWait   = 10 * time.Second
	bodyStep   = 256 << 10 // reservation growth for chunked bodies
	drainLimit = 1 << 30
	drainTime  = 10 * time.Second
	drainIdle  = 5 * time.Second // nginx's lingering_timeout
)

// BodyBudget is the bytes of request bodies the server holds at once:
// four of the largest allowed, and at least 256 MiB.
func BodyBudget(maxBodyBytes int) int64 { return max(4*int64(maxBodyBytes), 256<<20) }

var (
	errBodyTooLarge = errors.New("request body too large")
	errBodyBusy     = errors.New("too many request bodies in flight")
)

// bodyReader reads request bodies within the budget.
type bodyReader struct {
	max    int
	budget *semaphore.Weighted
	// tooLarge names the header headerReceived marks a request with whose
	// declared body is over the limit. It holds a random token: a client
	// cannot send it.
	tooLarge string
}

func newBodyReader(maxBodyBytes int) bodyReader {
	return bodyReader{max: maxBodyBytes, budget: semaphore.NewWeighted(BodyBudget(maxBodyBytes)),
		tooLarge: "X-Edgerun-Body-Too-Large-" + rand.Text()}
}

// headerReceived runs when a request's headers are in, before fasthttp
// reads any of its body. A declared length over the limit is answered 413
// without waiting for the body (a client may wait for an answer before it
// sends): the request is passed on as having no body, marked, and the
// handler refuses it and drains what comes (refuseBody).
func (br *bodyReader) headerReceived(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
	if h.ContentLength() > br.max {
		h.Set(br.tooLarge, "1")
		h.SetContentLength(0)
	}
	return fasthttp.RequestConfig{}
}

// declaredTooLarge reports a request headerReceived marked. The server asks
// first, before anything else looks at the request: its body (still on the
// connection) must not be read as the next request.
func (br *bodyReader) declaredTooLarge(ctx *fasthttp.RequestCtx) bool {
	return len(ctx.Request.Header.Peek(br.tooLarge)) > 0
}

// read returns the request's body (nil when it has none) and the function
// that gives its reservation back, or errBodyTooLarge / errBodyBusy / a
// read error.
func (br *bodyReader) read(ctx *fasthttp.RequestCtx) ([]byte, func(), error) {
	n := ctx.Request.Header.ContentLength()
	switch {
	case n == 0 || n == -2: // none, or identity without a length (no body for a request)
		return nil, func() {}, nil
	case n > br.max:
		return nil, nil, errBodyTooLarge
	case n > 0:
		if !br.reserve(int64(n)) {
			return nil, nil, errBodyBusy
		}
		release := func() { br.budget.Release(int64(n)) }
		buf := make([]byte, n)
		if _, err := io.ReadFull(ctx.RequestBodyStream(), buf); err != nil {
			release()
			return nil, nil, fmt.Errorf("reading the request body: %w", err)
		}
		return buf, release, nil
	}
	// Chunked: reserved as it grows.
	var reserved int64
	release := func() { br.budget.Release(reserved) }
	var buf []byte
	stream := ctx.RequestBodyStream()
	for {
		if int64(len(buf)) == reserved {
			step := int64(min(bodyStep, br.max+1-len(buf)))
			if step <= 0 {
				release()
				return nil, nil, errBodyTooLarge
			}
			if !br.reserve(step) {
				release()
				return nil, nil, errBodyBusy
			}
			reserved += step
			buf = append(buf, make([]byte, step)...)[:len(buf)]
		}
		m, err := stream.Read(buf[len(buf):reserved])
		buf = buf[:len(buf)+m]
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			release()
			return nil, nil, fmt.Errorf("reading the request body: %w", err)
		}
	}
	if len(buf) > br.max {
		release()
		return nil, nil, errBodyTooLarge
	}
	if len(buf) == 0 {
		release()
		return nil, func() {}, nil
	}
	return buf, release, nil
}

func (br *bodyReader) reserve(n int64) bool {
	if br.budget.TryAcquire(n) {
		return true
	}
	ctx, cancel := context.WithTimeout(context.Background(), bodyWait)
	defer cancel()
	return br.budget.Acquire(ctx, n) == nil
}

// refuseBody answers a request whose body is not taken, and closes the
// connection after the answer. What the client is still sending is read and
// dropped meanwhile (up to drainLimit bytes, for drainTime, or until it
// pauses for drainIdle), as production servers linger: closing a socket
// with unread data makes the kernel reset it, and the client would lose the
// answer.
func refuseBody(ctx *fasthttp.RequestCtx, status int, msg string) {
	// The answer is written here, on the hijacked connection, not by
	// fasthttp: with Connection: close fasthttp would close the socket
	// right after the answer, before any drain could run.
	head := fmt.Sprintf("HTTP/1.1 %d %s\r\nServer: edgerun\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: %d\r\nConnection: close\r\n",
		status, fasthttp.StatusMessage(status), len(msg))
	if status == fasthttp.StatusServiceUnavailable {
		head += "Retry-After: 1\r\n"
	}
	ctx.SetStatusCode(status) // for the request log
	ctx.HijackSetNoResponse(true)
	ctx.Hijack(func(c net.Conn) {
		_ = c.SetWriteDeadline(time.Now().Add(drainTime))
		if _, err := io.WriteString(c, head+"\r\n"+msg); err != nil {
			return
		}
		end := time.Now().Add(drainTime)
		buf := make([]byte, 32<<10)
		for left := int64(drainLimit); left > 0 && time.Now().Before(end); {
			next := time.Now().Add(drainIdle)
			if next.After(end) {
				next = end
			}
			_ = c.SetReadDeadline(next)
			n, err := c.Read(buf)
			left -= int64(n)
			if err != nil {
				return
			}
		}
	})
}
