package modules

import (
	"errors"
	"hash/crc32"
	"runtime"

	"github.com/dop251/goja"

	"edgerun/isolates/zcodec"
)

// zlibStep bounds the output one step hands to zlib.js (which cuts it into
// chunkSize pieces): a bomb is drained a step at a time.
const zlibStep = 256 << 10

// zlibNatives are zlib.js's:
//
//	native.codec(compress, format, level, dictionary, window) → step(input, flush) → [ArrayBuffer, more]
//	native.crc32(bytes, value)
//
// format is "gzip", "deflate", "raw", "unzip" or "brotli"; flush is zlib's
// (Z_NO_FLUSH … Z_FINISH) or, for brotli, its operation (process, flush,
// finish). A step throws Node's zlib errors (code Z_DATA_ERROR,
// Z_BUF_ERROR, … with errno); more means call step(null, flush) again.
func zlibNatives(r *Registry, set NativeSet) {
	errorNatives(r, set)
	vm := r.vm
	formats := map[string]zcodec.Format{"gzip": zcodec.Gzip, "deflate": zcodec.Deflate, "raw": zcodec.Raw, "unzip": zcodec.Auto, "brotli": zcodec.Brotli}
	set("codec", func(c goja.FunctionCall) goja.Value {
		compress := c.Argument(0).ToBoolean()
		format, ok := formats[c.Argument(1).String()]
		if !ok {
			panic(vm.NewTypeError("zlib: unknown format"))
		}
		o := zcodec.Options{Level: int(c.Argument(2).ToInteger()), BrotliWindow: int(c.Argument(4).ToInteger()), Multistream: true}
		if d := c.Argument(3); !goja.IsNull(d) && !goja.IsUndefined(d) {
			o.Dictionary = append([]byte(nil), viewArg(vm, d)...)
		}
		var s *zcodec.Stream
		if compress {
			var err error
			if s, err = zcodec.NewCompressor(format, o); err != nil {
				panic(r.zlibError("Init error", "Z_STREAM_ERROR", -2))
			}
		} else {
			s = zcodec.NewDecompressor(format, o)
		}
		return vm.ToValue(r.zlibStepper(s, format == zcodec.Brotli))
	})
	set("crc32", func(c goja.FunctionCall) goja.Value {
		return vm.ToValue(crc32.Update(uint32(c.Argument(1).ToInteger()), crc32.IEEETable, viewArg(vm, c.Argument(0))))
	})
}

// zlibHandle is what the step function holds; once it is collected the
// stream's coroutine is ended.
type zlibHandle struct{ s *zcodec.Stream }

func (r *Registry) zlibStepper(s *zcodec.Stream, brotli bool) func(goja.FunctionCall) goja.Value {
	h := &zlibHandle{s}
	runtime.AddCleanup(h, func(s *zcodec.Stream) { s.Close() }, s)
	return func(c goja.FunctionCall) goja.Value {
		if h.s == nil {
			panic(r.codedError("Error", "ERR_ZLIB_BINDING_CLOSED", "zlib binding closed"))
		}
		var in []byte
		if v := c.Argument(0); !goja.IsNull(v) && !goja.IsUndefined(v) {
			in = viewArg(r.vm, v)
		}
		flush := zlibFlush(c.Argument(1).ToInteger(), brotli)
		out, more, err := h.s.Process(in, flush, zlibStep)
		if err != nil {
			h.s.Close()
			h.s = nil
			panic(r.zlibErrorOf(err, brotli))
		}
		if out == nil {
			out = []byte{}
		}
		return r.vm.NewArray(r.newArrayBuffer(out), more, h.s.Done())
	}
}

func zlibFlush(f int64, brotli bool) zcodec.Flush {
	if brotli {
		switch f {
		case 1:
			return zcodec.SyncFlush
		case 2:
			return zcodec.Finish
		}
		return zcodec.NoFlush
	}
	switch f {
	case 1, 2, 5: // Z_PARTIAL_FLUSH, Z_SYNC_FLUSH, Z_BLOCK
		return zcodec.SyncFlush
	case 3:
		return zcodec.FullFlush
	case 4:
		return zcodec.Finish
	}
	return zcodec.NoFlush
}

// zlibErrorOf is err as Node's zlib reports it.
func (r *Registry) zlibErrorOf(err error, brotli bool) *goja.Object {
	var de *zcodec.DataError
	switch {
	case brotli && errors.Is(err, zcodec.ErrTruncated):
		return r.zlibError("unexpected end of file", "Z_BUF_ERROR", -5)
	case brotli:
		return r.zlibError("Decompression failed", "ERR__ERROR_FORMAT_PADDING_1", -14)
	case errors.Is(err, zcodec.ErrTruncated):
		return r.zlibError("unexpected end of file", "Z_BUF_ERROR", -5)
	case errors.As(err, &de) && de.Msg == "Missing dictionary":
		return r.zlibError(de.Msg, "Z_NEED_DICT", 2)
	case errors.As(err, &de):
		return r.zlibError(de.Msg, "Z_DATA_ERROR", -3)
	case errors.Is(err, zcodec.ErrClosed):
		return r.codedError("Error", "ERR_STREAM_WRITE_AFTER_END", "write after end")
	}
	return r.zlibError(err.Error(), "Z_STREAM_ERROR", -2)
}

func (r *Registry) zlibError(msg, code string, errno int) *goja.Object {
	e := r.codedError("Error", code, msg)
	_ = e.Set("errno", errno)
	return e
}
