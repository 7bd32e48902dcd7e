package runtime

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"

	"edgerun/isolates"
	"edgerun/isolates/webapi"
	"edgerun/isolates/zcodec"
	"edgerun/runtime/assets"
)

// ServerOptions configure the HTTP front end.
type ServerOptions struct {
	// Dev shows exception messages and stacks in 500 responses.
	Dev bool
	// LogRequests logs one line per request ("GET /path 200 OK (3ms)").
	LogRequests bool
	// MaxBodyBytes caps request bodies (Workers: 100 MB); larger get 413.
	MaxBodyBytes int
	// MaxHeaderBytes caps the request line plus headers; larger get 431.
	MaxHeaderBytes int
	// Scheme of the URLs requests see (http unless behind TLS termination).
	Scheme string
	// TestScheduled serves /__scheduled?cron=… by running the worker's
	// scheduled() handler, as wrangler dev --test-scheduled does.
	TestScheduled bool
	// Assets, if set, answers the requests it matches before the worker
	// sees them ([assets]).
	Assets *assets.Assets
	Log    *slog.Logger
}

// Server serves HTTP to the current worker version.
type Server struct {
	opts     ServerOptions
	log      *slog.Logger
	version  atomic.Pointer[Version]
	fasthttp *fasthttp.Server
	ids      atomic.Uint64
	bodies   bodyReader
	sockets  liveSockets // WebSockets coupled to clients
	// waitUntilLimit is how long waitUntil work may run after the answer
	// (nanoseconds): waitUntilLimit unless a test shortens it.
	waitUntilLimit atomic.Int64
	// Observe, when set, is told about every finished request (metrics).
	Observe func(method string, status int, d time.Duration)
}

// NewServer returns a server for wk; SetVersion swaps versions later.
func NewServer(wk *Version, opts ServerOptions) *Server {
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 100 << 20
	}
	if opts.MaxHeaderBytes <= 0 {
		opts.MaxHeaderBytes = 32 << 10
	}
	if opts.Scheme == "" {
		opts.Scheme = "http"
	}
	s := &Server{opts: opts, log: opts.Log,
		bodies: newBodyReader(opts.MaxBodyBytes)}
	s.waitUntilLimit.Store(int64(waitUntilLimit))
	s.version.Store(wk)
	s.fasthttp = &fasthttp.Server{
		Handler:                       s.handle,
		Name:                          "edgerun",
		MaxRequestBodySize:            opts.MaxBodyBytes,
		StreamRequestBody:             true, // read by the handler, within the body budget (body.go)
		ReadBufferSize:                opts.MaxHeaderBytes,
		DisableHeaderNamesNormalizing: true,
		DisablePreParseMultipartForm:  true,
		NoDefaultContentType:          true,
		NoDefaultDate:                 false,
		ReadTimeout:                   60 * time.Second,
		// A client that stops reading does not hold its response (an open
		// asset file, a goroutine) for ever.
		WriteTimeout:   60 * time.Second,
		IdleTimeout:    120 * time.Second,
		ErrorHandler:   s.protocolError,
		ExpectHandler:  s.expectContinue,
		HeaderReceived: s.bodies.headerReceived,
		Logger:         fasthttpLogger{s.log},
	}
	return s
}

// Version is the version serving new requests.
func (s *Server) Version() *Version { return s.version.Load() }

// SetVersion makes wk serve new requests and returns the previous version,
// whose in-flight requests finish on their own isolates.
func (s *Server) SetVersion(wk *Version) *Version {
	old := s.version.Swap(wk)
	if old != nil {
		old.successor.Store(wk)
	}
	return old
}

// Serve accepts connections on ln until Shutdown.
func (s *Server) Serve(ln net.Listener) error { return s.fasthttp.Serve(ln) }

// Shutdown stops accepting connections and waits for in-flight requests.
// Open WebSockets are closed first (1001, going away): they hold their
// requests, which the isolates would wait for.
func (s *Server) Shutdown(ctx context.Context) error {
	s.sockets.closeAll()
	return s.fasthttp.ShutdownWithContext(ctx)
}

// protocolError answers a request fasthttp could not read. It runs before
// any isolate is involved: fasthttp reads the whole request (headers and
// body, within ReadTimeout) before calling the handler, so a slow or
// oversized request never holds an isolate.
func (s *Server) protocolError(ctx *fasthttp.RequestCtx, err error) {
	var small *fasthttp.ErrSmallBuffer
	var netErr net.Error
	switch {
	case errors.Is(err, fasthttp.ErrBodyTooLarge):
		// Content-Length over MaxRequestBodySize (refused before reading
		// the body), or a chunked body that grew past it.
		ctx.Error("Payload Too Large", fasthttp.StatusRequestEntityTooLarge)
	case errors.As(err, &small):
		// The request line and headers do not fit ReadBufferSize
		// (fasthttp wraps ErrSmallReadBuffer in *ErrSmallBuffer).
		ctx.Error("Request Header Fields Too Large", fasthttp.StatusRequestHeaderFieldsTooLarge)
	case errors.Is(err, fasthttp.ErrTimeout), errors.As(err, &netErr) && netErr.Timeout():
		ctx.Error("Request Timeout", fasthttp.StatusRequestTimeout)
	default:
		ctx.Error("Bad Request", fasthttp.StatusBadRequest)
	}
}

// expectContinue refuses "Expect: 100-continue" uploads whose declared
// length is over the limit, before the client sends the body (curl does
// this for large uploads); without it fasthttp would invite the body and
// then reject it.
func (s *Server) expectContinue(ctx *fasthttp.RequestCtx) int {
	if s.bodies.declaredTooLarge(ctx) || ctx.Request.Header.ContentLength() > s.opts.MaxBodyBytes {
		return fasthttp.StatusRequestEntityTooLarge
	}
	return fasthttp.StatusContinue
}

func (s *Server) handle(ctx *fasthttp.RequestCtx) {
	if s.bodies.declaredTooLarge(ctx) {
		refuseBody(ctx, fasthttp.StatusRequestEntityTooLarge, "Payload Too Large")
		return
	}
	if s.opts.TestScheduled && (string(ctx.Path()) == "/__scheduled" || string(ctx.Path()) == "/cdn-cgi/handler/scheduled") {
		s.testScheduled(ctx)
		return
	}
	start := time.Now()
	if a := s.opts.Assets; a != nil {
		areq := assets.Request{
			Method: string(ctx.Method()), Path: string(ctx.URI().PathOriginal()), RawQuery: string(ctx.URI().QueryString()),
			Header: func(name string) string { return string(ctx.Request.Header.Peek(name)) },
		}
		if route := a.Route(areq.Path); route == assets.RouteAssets || route == assets.RouteDefault && a.Handles(areq) {
			s.serveAsset(ctx, a, areq)
			s.finished(ctx, areq.Method, start, 0)
			return
		}
	}
	req := &webapi.Request{
		Method:  string(ctx.Method()),
		URL:     s.requestURL(ctx),
		Headers: flatHeaders(ctx),
	}
	body, releaseBody, err := s.bodies.read(ctx)
	switch {
	case errors.Is(err, errBodyTooLarge):
		refuseBody(ctx, fasthttp.StatusRequestEntityTooLarge, "Payload Too Large")
		s.finished(ctx, req.Method, start, 0)
		return
	case errors.Is(err, errBodyBusy):
		s.log.Warn("request refused: "+err.Error(), "url", req.URL)
		refuseBody(ctx, fasthttp.StatusServiceUnavailable, "Service Unavailable: too many request bodies in flight")
		s.finished(ctx, req.Method, start, 0)
		return
	case err != nil:
		ctx.SetConnectionClose()
		ctx.Error("Bad Request", fasthttp.StatusBadRequest)
		s.finished(ctx, req.Method, start, 0)
		return
	}
	defer releaseBody()
	req.Body = body
	rctx, cancel := context.WithCancel(context.Background())
	scope := isolates.NewScope(rctx, s.ids.Add(1))
	scope.SetValue(requestEndKey{}, cancel) // the request's context ends when it finishes (call.Finish)
	gone := goneChecker(ctx, cancel)
	resp, err := s.version.Load().Fetch(rctx, req, scope, gone)
	if err != nil {
		cancel()
	}
	if err != nil {
		s.writeError(ctx, req, scope.ID, err)
	} else if resp.WebSocket != nil {
		// The socket holds the request until it closes (websocket.go).
		s.serveWebSocket(ctx, req, resp, scope.ID)
	} else {
		coding, encode := writeResponse(ctx, resp)
		if resp.Stream != nil {
			// A client that leaves mid-stream stops the stream, not the
			// request's waitUntil work: check without cancelling.
			s.streamBody(ctx, req, resp.Stream, goneChecker(ctx, func() {}), scope.ID, coding, encode)
		} else if rctx.Err() == nil {
			// Answered with waitUntil work still running: as on Workers, it
			// gets waitUntilLimit more, then its fetches and queries are
			// cancelled.
			time.AfterFunc(time.Duration(s.waitUntilLimit.Load()), cancel)
		}
	}
	s.finished(ctx, req.Method, start, scope.ID)
}

// finished logs and observes a request that has its response.
func (s *Server) finished(ctx *fasthttp.RequestCtx, method string, start time.Time, requestID uint64) {
	status := ctx.Response.StatusCode()
	d := time.Since(start)
	if s.opts.LogRequests {
		s.logRequest(ctx, method, status, start.Add(d), d, requestID)
	}
	if s.Observe != nil {
		s.Observe(method, status, d)
	}
}

// serveAsset answers from the assets directory.
func (s *Server) serveAsset(ctx *fasthttp.RequestCtx, a *assets.Assets, req assets.Request) {
	resp, err := a.Serve(req)
	if err != nil {
		s.log.Error("serving an asset", "path", req.Path, "error", err.Error())
		ctx.Error("Internal Server Error", fasthttp.StatusInternalServerError)
		return
	}
	ctx.SetStatusCode(resp.Status)
	for _, h := range resp.Headers {
		ctx.Response.Header.Set(h[0], h[1])
	}
	switch {
	case resp.File != "":
		f, err := a.Open(resp.File)
		var fi os.FileInfo
		if err == nil {
			fi, err = f.Stat() // the length of what is sent, even if the file changed since Serve looked
		}
		if err != nil {
			if f != nil {
				f.Close()
			}
			s.log.Error("serving an asset", "path", req.Path, "error", err.Error())
			ctx.Error("Internal Server Error", fasthttp.StatusInternalServerError)
			return
		}
		ctx.SetBodyStream(f, int(fi.Size())) // fasthttp closes f once sent
	case req.Method == "HEAD" && resp.Status < 300:
		ctx.Response.Header.SetContentLength(int(resp.Size))
		ctx.Response.SkipBody = true
	}
}

func (s *Server) requestURL(ctx *fasthttp.RequestCtx) string {
	host := ctx.Host()
	if len(host) == 0 {
		host = []byte(ctx.LocalAddr().String())
	}
	uri := ctx.RequestURI()
	var b strings.Builder
	b.Grow(len(s.opts.Scheme) + 3 + len(host) + len(uri))
	b.WriteString(s.opts.Scheme)
	b.WriteString("://")
	b.Write(host)
	if len(uri) == 0 || uri[0] != '/' {
		// Absolute-form request targets carry the whole URL already.
		if strings.HasPrefix(string(uri), "http://") || strings.HasPrefix(string(uri), "https://") {
			return string(uri)
		}
		b.WriteByte('/')
	}
	b.Write(uri)
	return b.String()
}

// flatHeaders is the request's headers for the worker, with
// CF-Connecting-IP set to the client's address: as on Workers, a value the
// client sent itself is dropped, never passed along.
func flatHeaders(ctx *fasthttp.RequestCtx) string {
	// One allocation: the list is sized first (an address is at most 45
	// bytes), and the client's address is written in place.
	size := len("cf-connecting-ip\x00") + 46
	for k, v := range ctx.Request.Header.All() {
		size += len(k) + len(v) + 2
	}
	var b strings.Builder
	b.Grow(size)
	for k, v := range ctx.Request.Header.All() {
		if len(k) == len("cf-connecting-ip") && strings.EqualFold(string(k), "cf-connecting-ip") {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(0)
		}
		b.Write(k)
		b.WriteByte(0)
		b.Write(v)
	}
	if b.Len() > 0 {
		b.WriteByte(0)
	}
	b.WriteString("cf-connecting-ip\x00")
	if ip4 := ctx.RemoteIP().To4(); ip4 != nil {
		// net.IP.String's form, without its allocation.
		var buf [15]byte
		n := strconv.AppendUint(buf[:0], uint64(ip4[0]), 10)
		for _, octet := range ip4[1:] {
			n = strconv.AppendUint(append(n, '.'), uint64(octet), 10)
		}
		b.Write(n)
	} else {
		b.WriteString(ctx.RemoteIP().String())
	}
	return b.String()
}

// writeResponse sets the status, headers and (when not streamed) body;
// encode says the streamed body is to be encoded in coding (encoding.go).
func writeResponse(ctx *fasthttp.RequestCtx, resp *webapi.Response) (coding zcodec.Format, encode bool) {
	ctx.SetStatusCode(resp.Status)
	if resp.StatusText != "" {
		ctx.Response.Header.SetStatusMessage([]byte(resp.StatusText))
	}
	var contentEncoding string
	resp.HeaderPairs(func(name, value string) {
		switch name {
		case "content-length", "transfer-encoding", "connection":
			// fasthttp frames the body itself.
		case "content-type":
			ctx.Response.Header.SetContentType(value)
		case "content-encoding":
			contentEncoding = value
			ctx.Response.Header.Add(name, value)
		default:
			ctx.Response.Header.Add(name, value)
		}
	})
	body := resp.Body
	if contentEncoding != "" {
		format, accepted, ok := outCoding(ctx, contentEncoding, resp.EncodeManual)
		switch {
		case !ok:
		case !accepted:
			ctx.Response.Header.Del("Content-Encoding")
		case resp.Stream != nil:
			coding, encode = format, true
		case len(body) > 0:
			body = encodeBody(format, body)
		}
	}
	ctx.Response.SetBodyRaw(body)
	return coding, encode
}

// streamBody sends a body the worker is still writing, a chunk at a time
// (chunked transfer encoding, each chunk flushed), so that server-sent
// events and token streams reach the client as they are made. A client
// that goes away cancels the worker's stream; a stream that errors cuts
// the response short (no final chunk), as on Workers.
func (s *Server) streamBody(ctx *fasthttp.RequestCtx, req *webapi.Request, body *webapi.BodyStream, gone func() bool, requestID uint64, coding zcodec.Format, encode bool) {
	if req.Method == "HEAD" {
		body.Cancel()
		return
	}
	ctx.Response.ImmediateHeaderFlush = true // the status and headers go out before the first chunk is written
	var r io.ReadCloser = &streamReader{body: body, gone: gone, log: s.log, requestID: requestID, conn: ctx.Conn(), timeout: s.fasthttp.WriteTimeout}
	if encode {
		r = newEncodingReader(r, coding)
	}
	ctx.SetBodyStream(r, -1)
}

// streamReader is a BodyStream as the io.Reader fasthttp sends: a read
// error other than io.EOF makes it drop the connection mid-body.
type streamReader struct {
	body      *webapi.BodyStream
	gone      func() bool
	pending   []byte
	log       *slog.Logger
	requestID uint64
	conn      net.Conn
	timeout   time.Duration
}

var errClientGone = errors.New("the client went away")

// waitUntilLimit is how long work in ctx.waitUntil may run after the
// response, as on Workers.
const waitUntilLimit = 30 * time.Second

func (r *streamReader) Read(p []byte) (int, error) {
	for len(r.pending) == 0 {
		chunk, err, ok := r.body.Next(watchEvery)
		switch {
		case !ok && err != nil:
			r.log.Warn("response body cut short", "request_id", r.requestID, "error", err.Error())
			return 0, err
		case !ok:
			return 0, io.EOF
		case chunk == nil: // nothing yet: is the client still there?
			if r.gone != nil && r.gone() {
				r.body.Cancel()
				return 0, errClientGone
			}
		default:
			r.pending = chunk
		}
	}
	// fasthttp's WriteTimeout holds for the whole response: a stream lasts
	// as long as it writes, and only a stalled client times out.
	if r.timeout > 0 && r.conn != nil {
		_ = r.conn.SetWriteDeadline(time.Now().Add(r.timeout))
	}
	n := copy(p, r.pending)
	r.pending = r.pending[n:]
	return n, nil
}

// Close is fasthttp's, once the body is sent or the client is gone: the
// worker stops writing (nothing, when its stream had ended).
func (r *streamReader) Close() error {
	r.body.Cancel()
	return nil
}

// writeError answers a request the worker did not. Going past a resource
// limit (CPU, memory), or sharing an isolate with a request that did, is a
// 503 as on Workers (error 1102, "Worker exceeded resource limits"), with the
// limit named in the body in every mode: it tells the client what happened
// and reveals nothing about the code. A request the pool could not take
// (shutting down; during a reload the new version takes it) is a 503 too.
// An exception, including a stack overflow, is a 500 (Workers' 1101) whose
// body shows the message and stack in dev only.
func (s *Server) writeError(ctx *fasthttp.RequestCtx, req *webapi.Request, requestID uint64, err error) {
	var script *webapi.ScriptError
	var timeout *ErrResponseTimeout
	msg := err.Error()
	status := fasthttp.StatusInternalServerError
	body := "Worker threw exception\n"
	if s.opts.Dev {
		body = "Error: the worker threw an exception\n\n" + msg + "\n"
	}
	switch {
	case errors.Is(err, context.Canceled):
		return
	case errors.Is(err, isolates.ErrResourceLimit), errors.Is(err, webapi.ErrIsolateReset):
		s.log.Error(msg, "url", req.URL, "request_id", requestID)
		status, body = fasthttp.StatusServiceUnavailable, msg+"\n"
	case errors.As(err, &timeout):
		s.log.Error(msg, "url", req.URL, "request_id", requestID)
		status, body = fasthttp.StatusGatewayTimeout, msg+"\n"
	case errors.Is(err, isolates.ErrPoolClosed), errors.Is(err, isolates.ErrRetired):
		s.log.Error(msg, "url", req.URL, "request_id", requestID)
		status, body = fasthttp.StatusServiceUnavailable, "Service Unavailable: the worker is shutting down\n"
	case errors.As(err, &script):
		s.log.Error("Uncaught "+msg, "url", req.URL, "request_id", requestID)
	default:
		s.log.Error(msg, "url", req.URL, "request_id", requestID)
	}
	ctx.Response.Reset()
	ctx.SetStatusCode(status)
	ctx.SetContentType("text/plain;charset=UTF-8")
	ctx.SetBodyString(body)
}

func statusText(code int) string {
	if t := fasthttp.StatusMessage(code); t != "Unknown Status Code" {
		return t
	}
	return ""
}

func roundDuration(d time.Duration) string { return string(appendRoundDuration(nil, d)) }

func appendRoundDuration(b []byte, d time.Duration) []byte {
	if d < time.Millisecond {
		return append(strconv.AppendInt(b, d.Microseconds(), 10), "µs"...)
	}
	return append(strconv.AppendInt(b, d.Milliseconds(), 10), "ms"...)
}

// logRequest writes the access log's line: "GET /path 200 OK (3ms)", with
// the parts as attributes for the JSON format. It runs once per request,
// so it is built without fmt and its attributes without boxing, and the
// record goes to the handler directly: Logger.LogAttrs would also walk the
// stack for the caller's PC (a tenth of the line's cost), a source this
// line has no use for (it would always name this function). at is when the
// request ended, the line's time.
func (s *Server) logRequest(ctx *fasthttp.RequestCtx, method string, status int, at time.Time, d time.Duration, requestID uint64) {
	h := s.log.Handler()
	if !h.Enabled(context.Background(), slog.LevelInfo) {
		return
	}
	uri := ctx.RequestURI()
	msg := make([]byte, 0, len(method)+len(uri)+32)
	msg = append(append(append(msg, method...), ' '), uri...)
	msg = strconv.AppendInt(append(msg, ' '), int64(status), 10)
	msg = append(append(append(msg, ' '), statusText(status)...), " ("...)
	msg = append(appendRoundDuration(msg, d), ')')
	last := slog.Bool("asset", true)
	if requestID != 0 {
		last = slog.Uint64("request_id", requestID)
	}
	r := slog.NewRecord(at, slog.LevelInfo, string(msg), 0)
	r.AddAttrs(slog.String("method", method), slog.String("path", string(ctx.Path())), slog.Int("status", status),
		slog.Float64("duration_ms", float64(d.Microseconds())/1000), last)
	_ = h.Handle(context.Background(), r)
}

type fasthttpLogger struct{ log *slog.Logger }

func (l fasthttpLogger) Printf(format string, args ...any) { l.log.Debug(fmt.Sprintf(format, args...)) }

// testScheduled runs scheduled() for GET /__scheduled?cron=<expr> (dev
// only), or /cdn-cgi/handler/scheduled, the path newer wranglers serve.
func (s *Server) testScheduled(ctx *fasthttp.RequestCtx) {
	expr := string(ctx.QueryArgs().Peek("cron"))
	if expr == "" {
		expr = "* * * * *"
	}
	scope := isolates.NewScope(context.Background(), s.ids.Add(1))
	if err := s.version.Load().Scheduled(context.Background(), expr, time.Now(), scope); err != nil {
		s.log.Error(fmt.Sprintf("scheduled %q failed: %v", expr, err))
		ctx.Error("scheduled() failed: "+err.Error()+"\n", fasthttp.StatusInternalServerError)
		return
	}
	s.log.Info(fmt.Sprintf("scheduled %q ran", expr))
	ctx.SetContentType("text/plain;charset=UTF-8")
	ctx.SetBodyString("Ran scheduled event\n")
}
