package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// keepBody is how much of a response body is kept for checks (and scanned for
// the canaries); the rest is read and dropped, up to discardBody.
const (
	keepBody    = 64 << 10
	discardBody = 64 << 20
)

// outcome is one request as the client saw it.
type outcome struct {
	kind       string
	status     int    // 0 when no response was read
	err        string // transport failure class when status is 0: timeout, reset, refused, eof, cut, …
	body       string // the first keepBody bytes
	header     http.Header
	start, end time.Time
}

func (o outcome) latency() time.Duration { return o.end.Sub(o.start) }

// label is how the outcome is counted in the table: the status, or the error.
func (o outcome) label() string {
	if o.status != 0 {
		return strconv.Itoa(o.status)
	}
	return o.err
}

// newClient makes an HTTP client for loopback traffic. Requests carry their own
// deadlines (contexts); the transport keeps connections for reuse.
func newClient(conns int) *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			Proxy:               nil,
			MaxIdleConnsPerHost: conns,
			IdleConnTimeout:     30 * time.Second,
			DisableCompression:  true,
		},
		// A redirect is an answer to check, not to follow.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// do sends one request and reads its answer within timeout. A nil body with
// bodyLen > 0 sends that many zero bytes, generated as they are sent.
func do(ctx context.Context, client *http.Client, kind, method, url string, header http.Header, body string, bodyLen int64, timeout time.Duration) (o outcome) {
	o = outcome{kind: kind, start: time.Now()}
	defer func() { o.end = time.Now() }()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var r io.Reader
	switch {
	case body != "":
		r = strings.NewReader(body)
	case bodyLen > 0:
		r = io.LimitReader(zeros{}, bodyLen)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, r)
	if err != nil {
		o.err = "bad request: " + err.Error()
		return o
	}
	if bodyLen > 0 {
		req.ContentLength = bodyLen
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := client.Do(req)
	if err != nil {
		o.err = classify(ctx, err)
		return o
	}
	defer resp.Body.Close()
	o.status, o.header = resp.StatusCode, resp.Header
	o.body, err = readBody(resp.Body)
	if err != nil {
		o.err = "body " + classify(ctx, err)
	}
	return o
}

func readBody(r io.Reader) (string, error) {
	kept, err := io.ReadAll(io.LimitReader(r, keepBody))
	if err == nil {
		_, err = io.Copy(io.Discard, io.LimitReader(r, discardBody))
	}
	return string(kept), err
}

// raw sends head (a request line and headers, CRLF-terminated) and then
// bodyLen zero bytes on a new connection, reading the answer while the body is
// still being sent, as a browser uploading a file does. It is for what
// net/http will not send (a UTF-8 Host) or reports poorly (an answer that
// arrives before the upload ends).
func raw(ctx context.Context, kind, addr, head string, bodyLen int64, timeout time.Duration) (o outcome) {
	o = outcome{kind: kind, start: time.Now()}
	defer func() { o.end = time.Now() }()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		o.err = classify(ctx, err)
		return o
	}
	defer conn.Close()
	deadline, _ := ctx.Deadline()
	_ = conn.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Now()) })
	defer stop()
	if _, err := io.WriteString(conn, head); err != nil {
		o.err = classify(ctx, err)
		return o
	}
	if bodyLen > 0 {
		go func() { _, _ = io.Copy(conn, io.LimitReader(zeros{}, bodyLen)) }()
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		o.err = classify(ctx, err)
		return o
	}
	defer resp.Body.Close()
	o.status, o.header = resp.StatusCode, resp.Header
	if o.body, err = readBody(resp.Body); err != nil {
		o.err = "body " + classify(ctx, err)
	}
	return o
}

// classify names a transport failure by its cause, without addresses, so
// that outcomes of one kind count together.
func classify(ctx context.Context, err error) string {
	var ne net.Error
	switch {
	case errors.Is(ctx.Err(), context.Canceled):
		return "cut" // the soak ended while it was in flight
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded),
		errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.Is(err, syscall.ECONNRESET):
		return "reset"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "refused"
	case errors.Is(err, syscall.EPIPE):
		return "broken pipe"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "eof"
	}
	// Not a connection failure: an answer net/http could not parse (a malformed
	// status line or header) is what the check needs to see.
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	msg := strings.TrimPrefix(err.Error(), "net/http: HTTP/1.x transport connection broken: ")
	return "error: " + cut(msg, 70)
}

func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// zeros is an endless source of zero bytes, so a 100 MiB body costs the client
// no memory.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
