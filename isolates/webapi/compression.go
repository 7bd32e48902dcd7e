package webapi

import (
	"errors"
	"runtime"

	"github.com/dop251/goja"

	"edgerun/isolates/zcodec"
)

// compressionStep bounds the output one call of a codec's step hands to the
// script: a decompression bomb arrives in pieces, each waiting for its
// reader.
const compressionStep = 256 << 10

// compressionNatives are compression.js's: codec(compress, format) is a
// step(input, finish) function over a zcodec.Stream, returning [output,
// more]: more means call step(null, finish) again before the next input.
// Errors are workerd's TypeErrors.
func (w *Worker) compressionNatives(set nativeSet) {
	set("codec", func(c goja.FunctionCall) goja.Value {
		compress := c.Argument(0).ToBoolean()
		format, ok := map[string]zcodec.Format{"gzip": zcodec.Gzip, "deflate": zcodec.Deflate, "deflate-raw": zcodec.Raw, "br": zcodec.Brotli}[c.Argument(1).String()]
		if !ok {
			panic(w.vm.NewTypeError("The compression format must be either 'deflate', 'deflate-raw' or 'gzip'."))
		}
		var s *zcodec.Stream
		if compress {
			var err error
			if s, err = zcodec.NewCompressor(format, zcodec.Options{Level: -1}); err != nil {
				panic(w.vm.NewTypeError("Failed to initialize compression context."))
			}
		} else {
			s = zcodec.NewDecompressor(format, zcodec.Options{Strict: true})
		}
		return w.vm.ToValue(w.codecStep(s, compress))
	})
}

// codecHandle is what the script's step function holds: once the function
// is collected, the cleanup ends the stream's coroutine (a stream the
// script abandoned mid-way must not keep a parked goroutine).
type codecHandle struct{ s *zcodec.Stream }

func (w *Worker) codecStep(s *zcodec.Stream, compress bool) func(goja.FunctionCall) goja.Value {
	h := &codecHandle{s}
	runtime.AddCleanup(h, func(s *zcodec.Stream) { s.Close() }, s)
	return func(c goja.FunctionCall) goja.Value {
		if h.s == nil {
			panic(w.vm.NewTypeError("Write after close"))
		}
		flush := zcodec.NoFlush
		if c.Argument(1).ToBoolean() {
			flush = zcodec.Finish
		}
		out, more, err := h.s.Process(w.bytesArg(c.Argument(0)), flush, compressionStep)
		if err != nil {
			h.s.Close()
			h.s = nil
			panic(w.vm.NewTypeError(codecMessage(err, compress)))
		}
		if !more && flush == zcodec.Finish {
			h.s.Close()
			h.s = nil
		}
		return w.vm.NewArray(w.chargedBytes(out), more)
	}
}

// chargedBytes hands out as a Uint8Array, counted against the isolate's
// budget for ArrayBuffers when it is large.
func (w *Worker) chargedBytes(out []byte) goja.Value {
	if n := int64(len(out)); n >= 64<<10 {
		if !w.iso.ChargeBuffer(n) {
			panic(w.vm.NewTypeError("The decompressed data would take the worker past its memory limit."))
		}
		w.iso.KeepCharged(out, n)
	}
	if out == nil {
		out = []byte{}
	}
	return w.newUint8Array(out)
}

// codecMessage is workerd's message for a codec's failure.
func codecMessage(err error, compress bool) string {
	switch {
	case compress:
		return "Compression failed."
	case errors.Is(err, zcodec.ErrTruncated):
		return "Called close() on a decompression stream with incomplete data"
	case errors.Is(err, zcodec.ErrTrailing):
		return "Trailing bytes after end of compressed data"
	case errors.Is(err, zcodec.ErrClosed):
		return "Write after close"
	}
	return "Decompression failed."
}
