// Package zcodec is the compression engine behind CompressionStream,
// DecompressionStream, fetch's and the server's Content-Encoding and
// node:zlib: gzip, zlib ("deflate"), raw deflate and brotli, fed a chunk at
// a time and drained in bounded steps.
//
// Go's compressors are writers (push) but its decompressors are readers
// (pull). A [Stream] turns a decompressor into push form by running it as a
// coroutine (iter.Pull): the decoder reads from the chunks handed to
// [Stream.Process] and, when they run out, yields until the next one
// arrives. The switch is a direct hand-off on the caller's goroutine, so a
// step runs synchronously, as zlib's inflate() does in workerd, and no
// goroutine works in the background.
//
// Every step is bounded: at most maxIn bytes of input are compressed, or
// about max bytes of output produced, before Process returns with more
// set; a decompression bomb is drained a step at a time, so its reader's
// backpressure (and the isolate's memory budget) applies.
package zcodec

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"hash/adler32"
	"io"
	"iter"

	brrr "github.com/molecule-man/go-brrr"
)

// Format is a compressed format.
type Format uint8

const (
	Gzip    Format = iota // RFC 1952
	Deflate               // zlib, RFC 1950 (the Compression Streams' "deflate")
	Raw                   // raw deflate, RFC 1951 ("deflate-raw")
	Auto                  // decompression only: gzip or zlib, by the header (node:zlib's unzip)
	Brotli                // RFC 7932
)

// Flush is how much a step pushes out, as zlib's flush modes.
type Flush uint8

const (
	NoFlush   Flush = iota
	SyncFlush       // Z_SYNC_FLUSH: everything so far, byte aligned
	FullFlush       // Z_FULL_FLUSH (as a sync flush: Go's deflate cannot reset its window)
	Finish          // Z_FINISH: the end of the stream
)

// Options tune a Stream.
type Options struct {
	// Level is zlib's -1 (default, 6) to 9, or brotli's quality 0 to 11;
	// zlib's -2 is Huffman only.
	Level int
	// Dictionary is a preset dictionary (zlib and raw deflate).
	Dictionary []byte
	// BrotliWindow is brotli's lgwin (10–24; 0 for the default).
	BrotliWindow int
	// Strict makes bytes after the end of the compressed data an error
	// (workerd's Compression Streams); otherwise they are ignored, as
	// node:zlib does.
	Strict bool
	// Multistream decodes concatenated gzip members as one stream (node:zlib).
	Multistream bool
}

// Errors a decompression ends with.
var (
	// ErrTruncated: the input ended before the compressed data did.
	ErrTruncated = errors.New("unexpected end of file")
	// ErrTrailing: bytes follow the end of the compressed data (Strict).
	ErrTrailing = errors.New("trailing bytes after end of compressed data")
	// ErrClosed: input after the stream was finished.
	ErrClosed = errors.New("write after end")
)

// DataError is corrupt input; Msg is zlib's message for it.
type DataError struct{ Msg string }

func (e *DataError) Error() string { return e.Msg }

// maxIn bounds the input one compression step takes.
const maxIn = 256 << 10

type writer interface {
	io.WriteCloser
	Flush() error
}

// Stream is one compression or decompression. Not safe for concurrent use.
type Stream struct {
	compress bool
	format   Format
	opts     Options

	// compression
	w       writer
	buf     bytes.Buffer // output not handed out yet
	pending []byte       // input not compressed yet (a copy)
	wrote   bool

	// decompression: the decoder runs in a coroutine
	next      func() (struct{}, bool)
	stop      func()
	yield     func(struct{}) bool
	in        []byte // input the decoder has not read
	finishing bool
	wantInput bool // the decoder yielded for input (not because its output is full)
	out       []byte
	max       int
	ended     bool // the compressed data ended

	done bool
	err  error
}

// NewCompressor starts a compression. Auto is not a compression format.
func NewCompressor(f Format, o Options) (*Stream, error) {
	s := &Stream{compress: true, format: f, opts: o}
	var err error
	level := o.Level
	if f == Brotli {
		if level < 0 || level > 11 {
			level = 11
		}
		s.w, err = brrr.NewWriterOptions(&s.buf, level, brrr.WriterOptions{LGWin: o.BrotliWindow})
		return s, err
	}
	if level < -2 || level > 9 {
		return nil, errors.New("invalid compression level")
	}
	switch f {
	case Gzip:
		var g *gzip.Writer
		g, err = gzip.NewWriterLevel(&s.buf, level)
		if g != nil {
			g.Header.OS = 3 // Unix, as zlib writes it
			s.w = g
		}
	case Deflate:
		s.w, err = zlib.NewWriterLevelDict(&s.buf, level, o.Dictionary)
	case Raw:
		s.w, err = flate.NewWriterDict(&s.buf, level, o.Dictionary)
	default:
		err = errors.New("zcodec: no such compression format")
	}
	return s, err
}

// NewDecompressor starts a decompression.
func NewDecompressor(f Format, o Options) *Stream {
	s := &Stream{format: f, opts: o}
	s.next, s.stop = iter.Pull(func(yield func(struct{}) bool) {
		s.yield = yield
		s.err = s.decode()
	})
	return s
}

// Process feeds in (nil for none) and runs the stream: until the input is
// consumed and flush done, or until about max bytes of output are ready.
// more reports output or input still waiting: call again with nil and the
// same flush before feeding more. in is not kept after Process returns.
// After Finish, done reports the end of the stream.
func (s *Stream) Process(in []byte, flush Flush, max int) (out []byte, more bool, err error) {
	if s.compress {
		return s.compressStep(in, flush)
	}
	return s.decompressStep(in, flush, max)
}

// Done reports whether the stream has ended: finished compressing, or
// reached the end of the compressed data.
func (s *Stream) Done() bool { return s.done || s.ended }

// Close frees the stream (its coroutine); it may be called more than once.
func (s *Stream) Close() {
	if s.stop != nil {
		s.stop()
	}
}

func (s *Stream) compressStep(in []byte, flush Flush) ([]byte, bool, error) {
	if s.err != nil {
		return nil, false, s.err
	}
	if s.done {
		if len(in) > 0 || flush != Finish {
			return nil, false, ErrClosed
		}
		return nil, false, nil
	}
	src := in
	if len(s.pending) > 0 {
		s.pending = append(s.pending, in...)
		src = s.pending
	}
	n := min(len(src), maxIn)
	if n > 0 {
		s.wrote = true
		if _, err := s.w.Write(src[:n]); err != nil {
			s.err = err
			return nil, false, err
		}
	}
	if rest := src[n:]; len(rest) > 0 {
		s.pending = append(s.pending[:0], rest...)
		return s.take(), true, nil
	}
	s.pending = s.pending[:0]
	switch flush {
	case SyncFlush, FullFlush:
		if s.wrote || s.format == Brotli {
			s.err = s.w.Flush()
		}
	case Finish:
		s.done = true
		if !s.wrote && s.buf.Len() == 0 && s.format != Brotli {
			s.buf.Write(emptyStream(s.format, s.opts.Level, s.opts.Dictionary))
		} else {
			s.err = s.w.Close()
		}
	}
	return s.take(), false, s.err
}

func (s *Stream) take() []byte {
	if s.buf.Len() == 0 {
		return nil
	}
	out := bytes.Clone(s.buf.Bytes())
	s.buf.Reset()
	return out
}

// emptyStream is what zlib writes for no input (Go's deflate ends with an
// empty stored block where zlib writes an empty fixed block).
func emptyStream(f Format, level int, dict []byte) []byte {
	block := []byte{0x03, 0x00}
	switch f {
	case Gzip:
		return append(append([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, gzipXFL(level), 3}, block...), 0, 0, 0, 0, 0, 0, 0, 0)
	case Deflate:
		out := zlibHeader(level, dict)
		out = append(out, block...)
		return append(out, 0, 0, 0, 1)
	}
	return block
}

func gzipXFL(level int) byte {
	switch level {
	case 9:
		return 2
	case 1:
		return 4
	}
	return 0
}

func zlibHeader(level int, dict []byte) []byte {
	var lv byte
	switch {
	case level == -2 || level == 0 || level == 1:
		lv = 0
	case level >= 2 && level <= 5:
		lv = 1
	case level == 6 || level == -1:
		lv = 2
	default:
		lv = 3
	}
	h := uint16(0x78)<<8 | uint16(lv)<<6
	if dict != nil {
		h |= 1 << 5
	}
	h += 31 - h%31
	out := []byte{byte(h >> 8), byte(h)}
	if dict != nil {
		a := adler32.Checksum(dict)
		out = append(out, byte(a>>24), byte(a>>16), byte(a>>8), byte(a))
	}
	return out
}

// NewReader decodes (or, with compress, encodes) src as an io.Reader, a
// bounded step at a time: what reads a fetch() body or a whole node:zlib
// buffer, charging what it produces as it goes.
func NewReader(s *Stream, src []byte) io.Reader { return &reader{s: s, src: src} }

type reader struct {
	s   *Stream
	src []byte
	out []byte
	fed bool
	end bool
	err error
}

func (r *reader) Read(p []byte) (int, error) {
	for len(r.out) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		if r.end {
			return 0, io.EOF
		}
		in := r.src
		if r.fed {
			in = nil
		}
		r.fed = true
		var more bool
		r.out, more, r.err = r.s.Process(in, Finish, 256<<10)
		if r.err != nil || !more {
			r.end = r.err == nil
			r.s.Close()
		}
	}
	n := copy(p, r.out)
	r.out = r.out[n:]
	return n, nil
}
