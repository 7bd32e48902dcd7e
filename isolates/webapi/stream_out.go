package webapi

import (
	"errors"
	"sync"
	"time"

	"github.com/dop251/goja"
)

// BodyStream is a response body the worker is still writing (a Response
// made from a ReadableStream): the host sends each chunk as it comes, so
// server-sent events and token streams reach the client as they are
// produced. The isolate adds chunks; the host's writer takes them. At most
// streamBuffer bytes wait for the client: past that, the script's next
// chunk waits (its read of the stream is not resumed) until the client
// has taken some.
type BodyStream struct {
	mu     sync.Mutex
	chunks [][]byte
	queued int
	ended  bool
	err    error // why the body ended early (the stream errored, the isolate was reset)
	gone   bool  // the client went away: chunks are dropped
	wake   chan struct{}
	room   func() // resumes the script once the queue drains; nil when it is not waiting
	// stop cancels the script's stream (a job on the isolate), once: the
	// client went away while the script may be waiting on its stream,
	// which would hold the request for ever. nil once used or given up.
	stop   func(job func())
	stopJS goja.Callable
}

// streamBuffer bounds the bytes waiting for a slow client.
const streamBuffer = 1 << 20

// ErrStreamCut is what a body ends with when the script's stream errored:
// the client gets a response cut short, as on Workers.
var ErrStreamCut = errors.New("the response body stream errored")

func newBodyStream() *BodyStream { return &BodyStream{wake: make(chan struct{}, 1)} }

func (s *BodyStream) signal() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Next returns the next chunk; ok false at the end, with err set when the
// body ended early. It waits at most wait (then returns nil, nil, true:
// call again), so that the writer can check on its client.
func (s *BodyStream) Next(wait time.Duration) (chunk []byte, err error, ok bool) {
	t := time.NewTimer(wait)
	defer t.Stop()
	for {
		s.mu.Lock()
		if len(s.chunks) > 0 {
			chunk = s.chunks[0]
			s.chunks[0] = nil
			s.chunks = s.chunks[1:]
			s.queued -= len(chunk)
			var room func()
			if s.room != nil && s.queued < streamBuffer {
				room, s.room = s.room, nil
			}
			s.mu.Unlock()
			if room != nil {
				room()
			}
			return chunk, nil, true
		}
		if s.ended {
			err = s.err
			s.mu.Unlock()
			return nil, err, false
		}
		s.mu.Unlock()
		select {
		case <-s.wake:
		case <-t.C:
			return nil, nil, true
		}
	}
}

// Cancel is the host's: the client went away. The script's further chunks
// are dropped and its stream cancelled.
func (s *BodyStream) Cancel() {
	s.mu.Lock()
	s.gone = true
	s.chunks, s.queued = nil, 0
	room := s.room
	s.room = nil
	stop, stopJS := s.stop, s.stopJS
	s.stop = nil
	ended := s.ended
	s.mu.Unlock()
	if room != nil {
		room()
	}
	if stop != nil {
		if ended {
			stop(nil)
		} else {
			stop(func() { _, _ = stopJS(goja.Undefined()) })
		}
	}
}

// ReadAll collects the whole body (for hosts that do not stream: tests,
// benchmarks).
func (s *BodyStream) ReadAll() ([]byte, error) {
	var out []byte
	for {
		chunk, err, ok := s.Next(time.Hour)
		if !ok {
			return out, err
		}
		out = append(out, chunk...)
	}
}

func (s *BodyStream) end(err error) {
	s.mu.Lock()
	if !s.ended {
		s.ended, s.err = true, err
	}
	stop := s.stop
	s.stop = nil
	s.mu.Unlock()
	if stop != nil {
		stop(nil) // ended by the script: nothing to cancel
	}
	s.signal()
}

// The prelude's side: respondStream(id, status, statusText, headers,
// contentType, stop, manual) answers with a streamed body (stop() cancels the
// script's stream when the client goes away); streamChunk(id, bytes) adds
// to it and returns true (go on), false (the client is gone: stop) or a
// promise (wait for room); streamEnd(id, error|null) ends it.
func (w *Worker) nativeRespondStream(c goja.FunctionCall) goja.Value {
	id := c.Argument(0).ToInteger()
	x, ok := w.calls[id]
	if !ok || x.responded {
		return w.vm.ToValue(false) // ended already: the script stops its stream
	}
	resp := &Response{
		Status:     int(c.Argument(1).ToInteger()),
		StatusText: c.Argument(2).String(),
		Headers:    c.Argument(3).String(),
		Stream:     newBodyStream(),
		// encodeBody: "manual"
		EncodeManual: c.Argument(6).ToBoolean(),
	}
	if ct := c.Argument(4); !goja.IsNull(ct) && !goja.IsUndefined(ct) {
		resp.ContentType = ct.String()
	}
	if err := checkHead(resp.Status, resp.StatusText, resp.Headers, resp.ContentType); err != nil {
		x.responded = true
		x.Sink.Respond(nil, err)
		return w.vm.ToValue(false) // the script stops its stream; its end finishes the request
	}
	if stopJS, ok := goja.AssertFunction(c.Argument(5)); ok {
		resp.Stream.stopJS = stopJS
		resp.Stream.stop = w.iso.RegisterCallback()
	}
	w.streams[id] = resp.Stream
	x.responded = true
	x.Sink.Respond(resp, nil)
	return w.vm.ToValue(true)
}

func (w *Worker) nativeStreamChunk(c goja.FunctionCall) goja.Value {
	s, ok := w.streams[c.Argument(0).ToInteger()]
	if !ok {
		return w.vm.ToValue(false)
	}
	return s.push(w, c.Argument(1))
}

// push adds a chunk from the script (loop only) and returns true (go on),
// false (the reader is gone: stop) or a promise that resolves once there
// is room again.
func (s *BodyStream) push(w *Worker, bytes goja.Value) goja.Value {
	chunk := append([]byte(nil), w.bytesArg(bytes)...) // the script may reuse its buffer
	s.mu.Lock()
	if s.gone {
		s.mu.Unlock()
		return w.vm.ToValue(false)
	}
	s.chunks = append(s.chunks, chunk)
	s.queued += len(chunk)
	full := s.queued >= streamBuffer
	var p *goja.Promise
	if full {
		var resolve func(any) error
		p, resolve, _ = w.vm.NewPromise()
		enqueue := w.iso.RegisterCallback()
		s.room = func() { enqueue(func() { _ = resolve(goja.Undefined()) }) }
	}
	s.mu.Unlock()
	s.signal()
	if full {
		return w.vm.ToValue(p)
	}
	return w.vm.ToValue(true)
}

func (w *Worker) nativeStreamEnd(c goja.FunctionCall) goja.Value {
	id := c.Argument(0).ToInteger()
	s, ok := w.streams[id]
	if !ok {
		return goja.Undefined()
	}
	delete(w.streams, id)
	var err error
	if e := c.Argument(1); !goja.IsNull(e) && !goja.IsUndefined(e) {
		err = errors.Join(ErrStreamCut, w.jsError(e))
	}
	s.end(err)
	return goja.Undefined()
}
