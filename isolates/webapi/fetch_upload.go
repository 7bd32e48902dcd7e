package webapi

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/dop251/goja"

	"edgerun/isolates"
)

// Streamed request bodies: fetch() of a request whose body is a stream the
// script is still producing (a TransformStream's readable side, another
// response's body) sends it as it is read, chunked unless the request
// names its Content-Length, as workerd does, instead of reading it whole
// first. fetch.js pumps the stream into an upload, a BodyStream as a
// streamed response's body is (at most streamBuffer bytes wait for the
// origin; past that the script's stream is not read), and the HTTP client
// reads the upload from Go. When the exchange ends before the body is all
// sent (the origin answered early, the connection failed) the script's
// stream is cancelled.
//
//	uploadStart(stop) → id        stop() cancels the script's stream
//	uploadChunk(id, bytes)        → true, false (stop) or a promise (wait for room)
//	uploadEnd(id, error|null)     the stream ended (error: it errored)

func (w *Worker) uploadNatives(set nativeSet) {
	set("uploadStart", func(c goja.FunctionCall) goja.Value {
		s := newBodyStream()
		if stopJS, ok := goja.AssertFunction(c.Argument(0)); ok {
			s.stopJS = stopJS
			s.stop = w.iso.RegisterCallback()
		}
		if w.uploads == nil {
			w.uploads = make(map[int64]*BodyStream)
		}
		w.nextUpload++
		w.uploads[w.nextUpload] = s
		return w.vm.ToValue(w.nextUpload)
	})
	set("uploadChunk", func(c goja.FunctionCall) goja.Value {
		s, ok := w.uploads[c.Argument(0).ToInteger()]
		if !ok {
			return w.vm.ToValue(false)
		}
		return s.push(w, c.Argument(1))
	})
	set("uploadBridge", func(c goja.FunctionCall) goja.Value {
		if fn, ok := goja.AssertFunction(c.Argument(0)); ok && w.iso.Value(uploadBridgeKey{}) == nil {
			w.iso.SetValue(uploadBridgeKey{}, &uploadBridge{w: w, start: fn})
		}
		return goja.Undefined()
	})
	set("uploadEnd", func(c goja.FunctionCall) goja.Value {
		id := c.Argument(0).ToInteger()
		s, ok := w.uploads[id]
		if !ok {
			return goja.Undefined()
		}
		delete(w.uploads, id)
		var err error
		if e := c.Argument(1); !goja.IsNull(e) && !goja.IsUndefined(e) {
			err = &uploadError{value: e, err: w.jsError(e)}
		}
		s.end(err)
		return goja.Undefined()
	})
}

// uploadError is why a streamed request body ended early: the script's
// stream errored. The fetch rejects with that error itself, as workerd's
// does (value is only touched on the isolate's loop).
type uploadError struct {
	value goja.Value
	err   error
}

func (e *uploadError) Error() string { return "the request body stream errored: " + e.err.Error() }
func (e *uploadError) Unwrap() error { return e.err }

func (e *uploadError) ToJS(*isolates.Isolate) goja.Value { return e.value }

// uploadReader is an upload as the HTTP client reads it. Close (the client
// is done with the body, whether or not it sent it all) cancels the
// script's stream if it has not ended.
type uploadReader struct {
	ctx  context.Context
	s    *BodyStream
	rest []byte
}

func (r *uploadReader) Read(p []byte) (int, error) {
	for len(r.rest) == 0 {
		chunk, err, ok := r.s.Next(100 * time.Millisecond)
		if !ok {
			if err != nil {
				return 0, err
			}
			return 0, io.EOF
		}
		if chunk == nil && r.ctx.Err() != nil {
			return 0, r.ctx.Err()
		}
		r.rest = chunk
	}
	n := copy(p, r.rest)
	r.rest = r.rest[n:]
	return n, nil
}

func (r *uploadReader) Close() error {
	r.s.Cancel()
	return nil
}

// Other bindings read a script's ReadableStream the same way (R2's put of a
// stream): fetch.js hands the Go side, once, a function that starts an
// upload of a stream of known length; ReadStream calls it. The stream is
// pumped chunk by chunk into a BodyStream, so at most streamBuffer bytes
// wait for the reader and the script's stream is read only as fast as the
// reader takes it. Nothing here is reachable from a script.

type uploadBridgeKey struct{}

type uploadBridge struct {
	w     *Worker
	start goja.Callable // (stream) → [upload id, length] | -1 (no known length)
}

// ErrUnknownLength is ReadStream's answer for a stream whose length is not
// known (nothing of it is read).
var ErrUnknownLength = errors.New("the stream's length is not known")

// StreamUpload is a script's stream being read into the host.
type StreamUpload struct {
	s *BodyStream
}

// ReadStream starts reading the ReadableStream stream (on the isolate's
// loop: a native the script called) and returns it with the length it is
// known to have: a body over bytes (a Request's or Response's, Blob.stream()),
// or FixedLengthStream's readable side. A stream of no known length is
// ErrUnknownLength, a locked one the stream's TypeError.
func ReadStream(iso *isolates.Isolate, stream goja.Value) (*StreamUpload, int64, error) {
	b, _ := iso.Value(uploadBridgeKey{}).(*uploadBridge)
	if b == nil {
		return nil, 0, errors.New("Web Streams are not installed")
	}
	res, err := b.start(goja.Undefined(), stream)
	if err != nil {
		return nil, 0, err
	}
	arr, ok := res.(*goja.Object)
	if !ok {
		return nil, 0, ErrUnknownLength
	}
	s := b.w.uploads[arr.Get("0").ToInteger()]
	if s == nil {
		return nil, 0, errors.New("the stream's upload is gone")
	}
	return &StreamUpload{s: s}, arr.Get("1").ToInteger(), nil
}

// Reader reads the stream, off the loop: chunks as the script produces
// them, io.EOF at its end, and its error (which rejects a promise with
// the script's own error value, see isolates.JSError) if it errors. A read
// waiting on the script gives up when ctx ends. Close cancels the script's
// stream if it has not ended.
func (u *StreamUpload) Reader(ctx context.Context) io.ReadCloser {
	return &uploadReader{ctx: ctx, s: u.s}
}

// Cancel cancels the script's stream when the upload will not be read.
func (u *StreamUpload) Cancel() { u.s.Cancel() }
