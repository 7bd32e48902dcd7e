package webapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/dop251/goja"

	"edgerun/isolates"
	"edgerun/isolates/zcodec"
)

// maxFetchBody bounds a response body read by fetch() (Workers buffers
// similarly large bodies; a worker that needs more should stream).
const maxFetchBody = 128 << 20

// fetchClient is shared by every isolate: connection reuse across requests.
var fetchClient = &http.Client{
	Transport: &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		MaxIdleConnsPerHost: 64,
		IdleConnTimeout:     90 * time.Second,
		TLSHandshakeTimeout: 10 * time.Second,
		// Content-Encoding is fetch()'s, as workerd's: decoded for the
		// script with the header kept (Go's transport would drop it).
		DisableCompression: true,
	},
}

var errManualRedirect = errors.New("manual redirect")

// fetchNatives are fetch.js's: fetch(method, url, flatHeaders, body,
// redirect, manual) makes the request off the isolate and returns [promise,
// abort]: abort() cancels it (the request's AbortSignal). The promise
// resolves once the response head has arrived, to {status, statusText,
// headers, url, redirected, body, stream, bodyError}: body is the whole
// body (an ArrayBuffer) when it was read with the head (a short body of
// known length, or none), stream otherwise (fetch_body.go: the body is
// read as the script pulls it). A gzip or br body is decoded unless manual
// (encodeResponseBody: "manual"); bodyError is why a short one could not be.
// A body that is a number is an upload's id (fetch_upload.go): the body
// is streamed as the script writes it.
func (w *Worker) fetchNatives(set nativeSet) {
	set("fetch", w.nativeFetch)
	w.uploadNatives(set)
}

func (w *Worker) nativeFetch(c goja.FunctionCall) goja.Value {
	method := c.Argument(0).String()
	url := c.Argument(1).String()
	headers := c.Argument(2).String()
	var body []byte
	var upload *BodyStream
	if b := c.Argument(3); !goja.IsNull(b) && !goja.IsUndefined(b) {
		if id, ok := isolates.Export(b).(int64); ok {
			upload = w.uploads[id]
		} else {
			body = append([]byte(nil), w.bytesArg(b)...)
		}
	}
	redirect := c.Argument(4).String()
	manual := c.Argument(5).ToBoolean()
	// The request's own context: abort() and the end of the body cancel it
	// (which closes the connection); the script's request ending does too.
	ctx, cancel := context.WithCancel(w.iso.Scope().Context())
	p := w.iso.Async(func(context.Context) func(*goja.Runtime) (goja.Value, error) {
		var rd io.Reader
		switch {
		case upload != nil:
			rd = &uploadReader{ctx: ctx, s: upload}
		case body != nil:
			rd = bytes.NewReader(body)
		}
		res, err := doFetch(ctx, w.iso, method, url, headers, rd, redirect, manual)
		if err != nil || res.stream == nil {
			cancel()
		} else {
			res.cancel = cancel
		}
		return func(vm *goja.Runtime) (goja.Value, error) {
			if err != nil {
				return nil, err
			}
			out := vm.NewObject()
			_ = out.Set("status", res.status)
			_ = out.Set("statusText", res.statusText)
			_ = out.Set("headers", res.headers)
			_ = out.Set("url", res.url)
			_ = out.Set("redirected", res.redirected)
			switch {
			case res.stream != nil:
				_ = out.Set("body", goja.Null())
				_ = out.Set("stream", w.newOriginBody(res))
			case res.body != nil:
				_ = out.Set("body", vm.NewArrayBuffer(res.body))
			default:
				_ = out.Set("body", goja.Null())
			}
			if res.bodyError != "" {
				_ = out.Set("bodyError", res.bodyError)
			}
			return out, nil
		}
	})
	abort := func(goja.FunctionCall) goja.Value { cancel(); return goja.Undefined() }
	return w.vm.NewArray(p, abort)
}

type fetchResult struct {
	status     int
	statusText string
	headers    string
	url        string
	redirected bool
	body       []byte // read with the head
	bodyError  string
	// stream, when not nil, is the body still to read (decoder decodes
	// it when not nil); cancel ends the request.
	stream  io.ReadCloser
	length  int64 // stream's length: its Content-Length, -1 when not known (chunked, or decoded)
	decoder *zcodec.Stream
	format  zcodec.Format
	cancel  context.CancelFunc
}

// fetchError is a fetch() failure as Workers reports it: a TypeError.
type fetchError struct{ msg string }

func (e *fetchError) Error() string { return e.msg }

func (e *fetchError) ToJS(iso *isolates.Isolate) goja.Value { return iso.Runtime().NewTypeError(e.msg) }

// nullBody is whether a response to method with status has no body (the
// Fetch standard's null body status, and HEAD).
func nullBody(method string, status int) bool {
	switch status {
	case 101, 204, 205, 304:
		return true
	}
	return method == "HEAD"
}

// doFetch makes the request; body is nil for none, a bytes.Reader (its
// length known) or an upload (sent chunked unless headers name a
// Content-Length).
func doFetch(ctx context.Context, iso *isolates.Isolate, method, url, headers string, body io.Reader, redirect string, manual bool) (*fetchResult, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		if up, ok := body.(*uploadReader); ok {
			up.Close()
		}
		return nil, &fetchError{"fetch failed: " + err.Error()}
	}
	if _, ok := body.(*uploadReader); ok {
		req.ContentLength = -1 // unknown: chunked
	}
	eachPair(headers, func(k, v string) {
		if strings.EqualFold(k, "host") {
			req.Host = v
			return
		}
		if req.ContentLength < 0 && strings.EqualFold(k, "content-length") {
			// A streamed body of a stated length goes out with it (a stream
			// that then sends more or less fails the request).
			if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil && n >= 0 {
				req.ContentLength = n
			}
		}
		req.Header.Add(k, v)
	})
	if _, ok := req.Header["Accept-Encoding"]; !ok {
		// As Workers' subrequests do: ask for compression, decoded below.
		req.Header.Set("Accept-Encoding", "br, gzip")
	}
	client := fetchClient
	if redirect != "follow" {
		c := *fetchClient
		c.CheckRedirect = func(*http.Request, []*http.Request) error {
			if redirect == "error" {
				return errManualRedirect
			}
			return http.ErrUseLastResponse
		}
		client = &c
	}
	resp, err := client.Do(req)
	if err != nil {
		if errors.Is(err, errManualRedirect) {
			return nil, &fetchError{"fetch failed: redirect mode is \"error\" and the response redirected"}
		}
		if ctx.Err() != nil {
			return nil, &fetchError{"fetch failed: the request was aborted"}
		}
		if ue := (*uploadError)(nil); errors.As(err, &ue) {
			return nil, ue // the script's stream errored: the fetch rejects with its error
		}
		return nil, &fetchError{"fetch failed: " + err.Error()}
	}
	var hb strings.Builder
	for k, vs := range resp.Header {
		for _, v := range vs {
			if hb.Len() > 0 {
				hb.WriteByte(0)
			}
			hb.WriteString(strings.ToLower(k))
			hb.WriteByte(0)
			hb.WriteString(v)
		}
	}
	text := resp.Status
	if _, after, ok := strings.Cut(text, " "); ok {
		text = after
	}
	res := &fetchResult{
		status: resp.StatusCode, statusText: text, headers: hb.String(), url: resp.Request.URL.String(),
		redirected: resp.Request.URL.String() != url,
	}
	var format zcodec.Format
	decode := false
	if !manual {
		format, decode = bodyCoding(resp.Header.Values("Content-Encoding"))
	}
	switch {
	case nullBody(method, resp.StatusCode):
		resp.Body.Close()
	case resp.ContentLength < 0 || resp.ContentLength > fetchReadChunk:
		// Streamed: the script reads it as it arrives.
		res.stream, res.length = resp.Body, resp.ContentLength
		if decode {
			res.length = -1
			res.decoder, res.format = zcodec.NewDecompressor(format, zcodec.Options{Multistream: true}), format
		}
	default:
		// A short body of known length is all but here with the head: read
		// it now, one hop fewer for text() and json().
		defer resp.Body.Close()
		data, err := readCharged(iso, resp.Body)
		if err != nil {
			return nil, err
		}
		if decode && len(data) > 0 {
			data, res.bodyError = decodeBody(iso, format, data)
		}
		if data == nil && res.bodyError == "" {
			data = []byte{}
		}
		res.body = data
	}
	return res, nil
}

// fetchChunk is how much of a response body is charged to the isolate at a
// time while it is read.
const fetchChunk = 256 << 10

// readCharged reads a response body (at most maxFetchBody), charging it to
// the isolate's ArrayBuffer budget as it arrives: concurrent fetches of
// large bodies cannot take a worker past its memory limit. The body's
// charge lasts until the script's ArrayBuffer of it is collected.
func readCharged(iso *isolates.Isolate, r io.Reader) ([]byte, error) {
	var data []byte
	var charged int64
	for {
		if int64(len(data)) == charged {
			if charged > maxFetchBody {
				iso.UnchargeBuffer(charged)
				return nil, &fetchError{fmt.Sprintf("fetch failed: response body larger than %d bytes", maxFetchBody)}
			}
			if !iso.ChargeBuffer(fetchChunk) {
				iso.UnchargeBuffer(charged)
				return nil, &fetchError{"fetch failed: the response body would take the worker past its memory limit"}
			}
			charged += fetchChunk
			data = append(data, make([]byte, fetchChunk)...)[:len(data)]
		}
		n, err := r.Read(data[len(data):charged])
		data = data[:len(data)+n]
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			iso.UnchargeBuffer(charged)
			return nil, &readError{err}
		}
	}
	if int64(len(data)) > maxFetchBody {
		iso.UnchargeBuffer(charged)
		return nil, &fetchError{fmt.Sprintf("fetch failed: response body larger than %d bytes", maxFetchBody)}
	}
	iso.UnchargeBuffer(charged - int64(len(data)))
	iso.KeepCharged(data, int64(len(data)))
	return data, nil
}

// bodyCoding is how a fetched body is decoded for the script: when its
// Content-Encoding is exactly gzip or br, as workerd decodes (anything
// else, a list of codings included, is left as it came).
func bodyCoding(encodings []string) (zcodec.Format, bool) {
	if len(encodings) != 1 {
		return 0, false
	}
	switch encodings[0] {
	case "gzip":
		return zcodec.Gzip, true
	case "br":
		return zcodec.Brotli, true
	}
	return 0, false
}

// decodeBody decodes a short body read whole. The raw bytes' charge is
// given back once decoded.
func decodeBody(iso *isolates.Isolate, format zcodec.Format, data []byte) ([]byte, string) {
	out, err := readCharged(iso, &codecReader{zcodec.NewReader(zcodec.NewDecompressor(format, zcodec.Options{Multistream: true}), data)})
	if err != nil {
		return nil, bodyReadError(err, format).Error()
	}
	return out, ""
}

// readError is a body's read that failed (the connection, the decoder).
type readError struct{ err error }

func (e *readError) Error() string { return "fetch failed while reading the body: " + e.err.Error() }

func (e *readError) Unwrap() error { return e.err }

func (e *readError) ToJS(iso *isolates.Isolate) goja.Value {
	return iso.Runtime().NewTypeError(e.Error())
}

// codecError is a decoder's failure (not the connection's).
type codecError struct{ err error }

func (e *codecError) Error() string { return e.err.Error() }

func (e *codecError) Unwrap() error { return e.err }

// codecReader marks its reader's errors as the decoder's.
type codecReader struct{ r io.Reader }

func (c *codecReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		err = &codecError{err}
	}
	return n, err
}
