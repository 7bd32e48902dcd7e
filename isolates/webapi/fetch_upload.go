package webapi

import (
	"context"
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
