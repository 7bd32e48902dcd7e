package zcodec

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"io"

	brrr "github.com/molecule-man/go-brrr"
)

var errStopped = errors.New("zcodec: stream closed")

func (s *Stream) decompressStep(in []byte, flush Flush, max int) ([]byte, bool, error) {
	if s.err != nil {
		return nil, false, s.err
	}
	if s.finishing && len(in) > 0 {
		return nil, false, ErrClosed
	}
	if s.ended {
		if len(in) > 0 && s.opts.Strict {
			s.err = ErrTrailing
		}
		return nil, false, s.err
	}
	if len(s.in) == 0 {
		s.in = in
	} else {
		s.in = append(s.in, in...)
	}
	if flush == Finish {
		s.finishing = true
	}
	s.max, s.out = max, nil
	wantInput := true
	if !s.done {
		s.wantInput = false
		_, ok := s.next()
		wantInput = s.wantInput
		if !ok {
			s.done = true
			switch {
			case s.err != nil:
			case len(s.in) > 0 && s.opts.Strict:
				s.err = ErrTrailing
			default:
				s.ended = true
			}
		}
	}
	out := s.out
	s.out = nil
	if s.err != nil {
		return nil, false, s.err // what this step decoded is dropped, as workerd drops it
	}
	more := !s.done && !wantInput
	if len(s.in) > 0 {
		s.in = bytes.Clone(s.in) // in is the caller's
	}
	if s.done {
		s.in = nil
	}
	return out, more, nil
}

// Read is the decoder's input: the chunks Process was given. When they run
// out it yields until the next step (or ends the input, once finishing).
func (s *Stream) Read(p []byte) (int, error) {
	if err := s.fill(1); err != nil {
		return 0, err
	}
	n := copy(p, s.in)
	s.in = s.in[n:]
	return n, nil
}

// ReadByte makes Stream a flate.Reader: the decoders then read no further
// than the compressed data, and what follows stays in s.in.
func (s *Stream) ReadByte() (byte, error) {
	if err := s.fill(1); err != nil {
		return 0, err
	}
	b := s.in[0]
	s.in = s.in[1:]
	return b, nil
}

// fill waits for n bytes of input (io.EOF when the input ends first).
func (s *Stream) fill(n int) error {
	for len(s.in) < n {
		if s.finishing {
			return io.EOF
		}
		s.wantInput = true
		if !s.yield(struct{}{}) {
			return errStopped
		}
		s.wantInput = false
	}
	return nil
}

func (s *Stream) decode() error {
	format := s.format
	if format == Auto {
		if err := s.fill(2); err != nil {
			return mapErr(err, true)
		}
		format = Deflate
		if s.in[0] == 0x1f && s.in[1] == 0x8b {
			format = Gzip
		}
	}
	var r io.Reader
	var gz *gzip.Reader
	switch format {
	case Gzip:
		z, err := gzip.NewReader(s)
		if err != nil {
			return mapErr(err, true)
		}
		z.Multistream(false)
		r, gz = z, z
	case Deflate:
		z, err := zlib.NewReaderDict(s, s.opts.Dictionary)
		if err != nil {
			return mapErr(err, true)
		}
		r = z
	case Raw:
		r = flate.NewReaderDict(s, s.opts.Dictionary)
	case Brotli:
		r = brrr.NewReader(s)
	}
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			s.out = append(s.out, buf[:n]...)
			if len(s.out) >= s.max {
				if !s.yield(struct{}{}) {
					return errStopped
				}
			}
		}
		switch {
		case err == nil:
			continue
		case errors.Is(err, io.EOF) && gz != nil && s.opts.Multistream:
			// Another member follows when the next bytes are gzip's magic;
			// anything else after a member is ignored, as zlib's gunzip does.
			if s.fill(2) != nil || s.in[0] != 0x1f || s.in[1] != 0x8b {
				s.in = nil
				return nil
			}
			if err := gz.Reset(s); err != nil {
				return mapErr(err, true)
			}
			gz.Multistream(false)
		case errors.Is(err, io.EOF):
			return nil
		case errors.Is(err, brrr.ErrExcessiveInput):
			if s.opts.Strict {
				return ErrTrailing
			}
			return nil
		default:
			return mapErr(err, false)
		}
	}
}

// mapErr is a decoder's error as zlib reports it.
func mapErr(err error, header bool) error {
	var corrupt flate.CorruptInputError
	switch {
	case errors.Is(err, errStopped):
		return err
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return ErrTruncated
	case errors.Is(err, gzip.ErrHeader), errors.Is(err, zlib.ErrHeader):
		return &DataError{"incorrect header check"}
	case errors.Is(err, gzip.ErrChecksum), errors.Is(err, zlib.ErrChecksum):
		return &DataError{"incorrect data check"}
	case errors.Is(err, zlib.ErrDictionary):
		return &DataError{"Missing dictionary"}
	case errors.As(err, &corrupt):
		return &DataError{"invalid block type"}
	case header:
		return &DataError{"incorrect header check"}
	}
	return &DataError{err.Error()}
}
