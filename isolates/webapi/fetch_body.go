package webapi

import (
	"context"
	"errors"
	"io"
	"runtime"

	"github.com/dop251/goja"

	"edgerun/isolates"
	"edgerun/isolates/zcodec"
)

// A fetch() response body that streams: fetch() resolves once the head
// has arrived, and the body is read off the origin's connection as the
// script pulls it, as workerd's are. fetch.js makes a ReadableStream over
// the three functions originBody hands it:
//
//   - read() resolves to the next chunk (at most fetchReadChunk bytes) or
//     null at the end. One read at a time, each on a goroutine of its own
//     that settles on the loop: a consumer that stops pulling stops the
//     reads, and TCP's flow control holds the origin back.
//   - readAll() resolves to the rest of the body in one ArrayBuffer (at
//     most maxFetchBody): text(), json() and arrayBuffer() of a body nobody
//     has read from yet, without a JS round trip per chunk.
//   - cancel() closes the connection (the script cancelled the stream,
//     its signal aborted).
//
// The connection is also closed when the request the fetch() belongs to
// ends (its scope's OnEnd), and when the script drops the body unread
// (the handle's cleanup, once the functions are collected).

// fetchReadChunk bounds one read of a streamed body, as workerd's reads.
const fetchReadChunk = 64 << 10

// originConn is what must be given back when a body is done with: the
// request (its context), the connection, the decoder's coroutine and the
// read buffer's charge. Loop-only once the body is handed to the script,
// except through [originConn.shut], which a cleanup may run.
type originConn struct {
	iso     *isolates.Isolate
	cancel  context.CancelFunc
	body    io.ReadCloser
	decoder *zcodec.Stream // nil when the body is not decoded
	charged int64          // the read buffer's
}

// shut closes the connection and frees what the body held. It never
// blocks the loop: closing a body whose read is in progress waits for
// that read, so the close runs on a goroutine (cancelling the request's
// context has cut the read short by then).
func (c *originConn) shut() {
	c.cancel()
	body, decoder := c.body, c.decoder
	go func() {
		_ = body.Close()
		if decoder != nil {
			decoder.Close()
		}
	}()
	if c.charged > 0 {
		c.iso.UnchargeBuffer(c.charged)
		c.charged = 0
	}
}

// shutLater is the cleanup's: the body was dropped while still open. The
// charge and the close belong to the loop; a retired isolate's loop runs
// nothing more, and nothing else touches c then.
func (c *originConn) shutLater() {
	if !c.iso.Exec(func() {
		if c.body != nil {
			c.shut()
			c.body = nil
		}
	}, nil) && c.body != nil {
		c.cancel()
		_ = c.body.Close()
		if c.decoder != nil {
			c.decoder.Close()
		}
	}
}

// originBody is the script's handle on one streamed body (loop-only).
type originBody struct {
	w      *Worker
	conn   *originConn
	rd     io.Reader     // the body as the script reads it (decoded)
	format zcodec.Format // the decoder's, when there is one
	buf    []byte
	busy   bool // a read is in progress
	eof    bool
	closed bool // cancelled, or ended: the connection is given back
	done   bool // conn.shut has run
}

// newOriginBody wraps res's body for the script: the JS object fetch.js
// reads it through.
func (w *Worker) newOriginBody(res *fetchResult) goja.Value {
	conn := &originConn{iso: w.iso, cancel: res.cancel, body: res.stream, decoder: res.decoder}
	b := &originBody{w: w, conn: conn, rd: res.stream}
	if res.decoder != nil {
		b.rd, b.format = &decodeReader{src: res.stream, s: res.decoder}, res.format
	}
	// Dropped unread (or outside any request): once the script's functions
	// are collected, nothing can read the body any more.
	runtime.AddCleanup(b, func(c *originConn) { go c.shutLater() }, conn)
	if scope := w.iso.Scope(); scope != nil {
		scope.OnEnd(b.close)
	}
	vm := w.vm
	obj := vm.NewObject()
	_ = obj.Set("read", func(goja.FunctionCall) goja.Value { return vm.ToValue(b.read()) })
	_ = obj.Set("readAll", func(goja.FunctionCall) goja.Value { return vm.ToValue(b.readAll()) })
	_ = obj.Set("cancel", func(goja.FunctionCall) goja.Value { b.close(); return goja.Undefined() })
	if res.length >= 0 {
		_ = obj.Set("length", res.length) // a known length, as workerd's (R2's put takes the body)
	}
	return obj
}

// close gives the connection back; a read in progress finds it closed.
func (b *originBody) close() {
	b.closed = true
	b.conn.cancel() // cuts a read in progress short
	b.release()
}

// release shuts the connection once no read is using it.
func (b *originBody) release() {
	if b.busy || b.done {
		return
	}
	b.done = true
	b.buf = nil
	b.conn.shut()
	b.conn.body = nil // the cleanup has nothing left to do
}

var errReadBusy = errors.New("fetch: a read of this body is already in progress")

func (b *originBody) read() *goja.Promise {
	iso, vm := b.w.iso, b.w.vm
	if b.busy {
		return iso.Rejected(errReadBusy)
	}
	if b.closed || b.eof {
		p, resolve, _ := vm.NewPromise()
		_ = resolve(goja.Null())
		return p
	}
	if b.buf == nil {
		if !iso.ChargeBuffer(fetchReadChunk) {
			return iso.Rejected(&fetchError{"fetch: reading the response body would take the worker past its memory limit"})
		}
		b.conn.charged += fetchReadChunk
		b.buf = make([]byte, fetchReadChunk)
	}
	p, resolve, reject := vm.NewPromise()
	b.busy = true
	buf, rd := b.buf, b.rd
	settle := iso.RegisterCallback()
	go func() {
		var n int
		var err error
		for range 100 { // a reader may return 0, nil now and then
			if n, err = rd.Read(buf); n > 0 || err != nil {
				break
			}
		}
		var chunk []byte
		charged := n > 0 && iso.ChargeBuffer(int64(n))
		if charged {
			// The script keeps the chunk: a copy of its size, charged until
			// its ArrayBuffer is collected; the buffer is reused.
			chunk = append([]byte(nil), buf[:n]...)
		}
		settle(func() {
			b.busy = false
			switch {
			case b.closed:
				if charged {
					iso.UnchargeBuffer(int64(n))
				}
				b.release()
				_ = resolve(goja.Null())
			case n > 0 && !charged:
				b.close()
				_ = reject(vm.NewTypeError("fetch: reading the response body would take the worker past its memory limit"))
			case n > 0:
				if err != nil {
					b.eof = true // the rest is the next read's: null, or the error
					if !errors.Is(err, io.EOF) {
						b.eof = false
					}
				}
				iso.KeepCharged(chunk, int64(n))
				_ = resolve(iso.NewUint8Array(chunk))
				if b.eof {
					b.close()
				}
			case err == nil || errors.Is(err, io.EOF):
				b.eof = true
				b.close()
				_ = resolve(goja.Null())
			default:
				b.close()
				_ = reject(iso.ToJSError(bodyReadError(err, b.format)))
			}
		})
	}()
	return p
}

// readAll reads the rest of the body at once (text(), json(), …).
func (b *originBody) readAll() *goja.Promise {
	iso := b.w.iso
	if b.busy {
		return iso.Rejected(errReadBusy)
	}
	if b.closed || b.eof {
		return iso.Async(func(context.Context) func(*goja.Runtime) (goja.Value, error) {
			return func(vm *goja.Runtime) (goja.Value, error) { return vm.ToValue(vm.NewArrayBuffer(nil)), nil }
		})
	}
	b.busy = true
	rd, format := b.rd, b.format
	return iso.Async(func(context.Context) func(*goja.Runtime) (goja.Value, error) {
		data, err := readCharged(iso, rd)
		return func(vm *goja.Runtime) (goja.Value, error) {
			b.busy = false
			b.eof = true
			b.close()
			if err != nil {
				return nil, bodyReadError(err, format)
			}
			return vm.ToValue(vm.NewArrayBuffer(data)), nil
		}
	})
}

// bodyReadError is a failed read of a body as the script sees it, with
// workerd's messages: the decoder's failures are TypeErrors naming the
// coding, a connection that failed is "Network connection lost.".
func bodyReadError(err error, format zcodec.Format) error {
	var fe *fetchError
	if errors.As(err, &fe) {
		return err // the memory limit, the size limit
	}
	var ce *codecError
	if errors.As(err, &ce) {
		name := "Gzip"
		if format == zcodec.Brotli {
			name = "Brotli"
		}
		if errors.Is(err, zcodec.ErrTruncated) {
			return &fetchError{name + " compressed stream ended prematurely."}
		}
		return &fetchError{name + " decompression failed."}
	}
	return errConnectionLost
}

var errConnectionLost = errors.New("Network connection lost.")

// decodeReader decodes a streamed gzip or br body as it is read, a
// bounded step at a time (a small compressed chunk may expand to much
// more than one read takes: the rest waits in out).
type decodeReader struct {
	src    io.Reader
	s      *zcodec.Stream
	in     []byte
	out    []byte
	more   bool // the last step has output or input still waiting
	srcEOF bool
	end    bool
}

func (d *decodeReader) Read(p []byte) (int, error) {
	for len(d.out) == 0 {
		if d.end {
			return 0, io.EOF
		}
		var out []byte
		var err error
		switch {
		case d.more:
			flush := zcodec.NoFlush
			if d.srcEOF {
				flush = zcodec.Finish
			}
			out, d.more, err = d.s.Process(nil, flush, fetchReadChunk)
		case d.srcEOF:
			out, d.more, err = d.s.Process(nil, zcodec.Finish, fetchReadChunk)
			if err == nil && !d.more {
				d.end = true
			}
		default:
			if d.in == nil {
				d.in = make([]byte, fetchReadChunk)
			}
			n, rerr := d.src.Read(d.in)
			if rerr != nil {
				if !errors.Is(rerr, io.EOF) {
					return 0, rerr
				}
				d.srcEOF = true
			}
			if n > 0 {
				out, d.more, err = d.s.Process(d.in[:n], zcodec.NoFlush, fetchReadChunk)
			}
		}
		if err != nil {
			return 0, &codecError{err}
		}
		if d.s.Done() && !d.more {
			d.end = true // what follows the compressed data is ignored
		}
		d.out = out
	}
	n := copy(p, d.out)
	d.out = d.out[n:]
	return n, nil
}
