package runtime

import (
	"bytes"
	"io"

	"github.com/valyala/fasthttp"

	"edgerun/isolates/zcodec"
)

// The way out, as on Workers: a response whose Content-Encoding is gzip or
// br (exactly; anything else is the script's business) has a plain body
// that edgerun encodes on its way to a client whose Accept-Encoding takes
// that coding; to any other client it goes plain, without the header (as
// Cloudflare's edge decodes for such clients). A response made with
// encodeBody: "manual" carries bytes the script encoded already: they go as
// they are, with the header.

// brotliQuality is the brotli level for bodies encoded on the fly (high
// levels cost far more time than they save bytes).
const brotliQuality = 5

// outCoding is how a body with Content-Encoding encoding goes to the
// client: ok is false when it goes as it is; otherwise it is encoded in
// format, or, when encode is false, sent plain without the header.
func outCoding(ctx *fasthttp.RequestCtx, encoding string, manual bool) (format zcodec.Format, encode, ok bool) {
	if manual || encoding != "gzip" && encoding != "br" {
		return 0, false, false
	}
	format = zcodec.Gzip
	if encoding == "br" {
		format = zcodec.Brotli
	}
	return format, acceptsCoding(ctx.Request.Header.Peek("Accept-Encoding"), encoding), true
}

// acceptsCoding reports whether an Accept-Encoding value takes coding (by
// name or *, with a q-value above 0).
func acceptsCoding(accept []byte, coding string) bool {
	star := false
	for len(accept) > 0 {
		var item []byte
		item, accept, _ = bytes.Cut(accept, []byte(","))
		name, params, _ := bytes.Cut(item, []byte(";"))
		name = bytes.TrimSpace(name)
		q := true
		for len(params) > 0 {
			var p []byte
			p, params, _ = bytes.Cut(params, []byte(";"))
			k, v, _ := bytes.Cut(bytes.TrimSpace(p), []byte("="))
			if bytes.EqualFold(k, []byte("q")) {
				v = bytes.TrimSpace(v)
				q = len(bytes.Trim(v, "0.")) > 0
			}
		}
		switch {
		case bytes.EqualFold(name, []byte(coding)):
			return q
		case string(name) == "*":
			star = q
		}
	}
	return star
}

func newEncoder(format zcodec.Format) *zcodec.Stream {
	level := -1
	if format == zcodec.Brotli {
		level = brotliQuality
	}
	s, err := zcodec.NewCompressor(format, zcodec.Options{Level: level})
	if err != nil {
		panic(err) // the options are ours and valid
	}
	return s
}

// encodeBody encodes a whole body.
func encodeBody(format zcodec.Format, body []byte) []byte {
	out, _ := io.ReadAll(zcodec.NewReader(newEncoder(format), body))
	return out
}

// encodingReader encodes a streamed body as it is read, each chunk flushed
// (a sync flush) so that server-sent events still arrive as they are sent.
type encodingReader struct {
	src  io.ReadCloser
	s    *zcodec.Stream
	buf  []byte
	out  []byte
	done bool
}

func newEncodingReader(src io.ReadCloser, format zcodec.Format) *encodingReader {
	return &encodingReader{src: src, s: newEncoder(format), buf: make([]byte, 32<<10)}
}

func (r *encodingReader) Read(p []byte) (int, error) {
	for len(r.out) == 0 {
		if r.done {
			return 0, io.EOF
		}
		n, err := r.src.Read(r.buf)
		in, flush := r.buf[:n], zcodec.SyncFlush
		switch {
		case err == io.EOF:
			flush, r.done = zcodec.Finish, true
		case err != nil:
			return 0, err
		}
		for {
			out, more, err := r.s.Process(in, flush, 256<<10)
			if err != nil {
				return 0, err
			}
			r.out = append(r.out, out...)
			if !more {
				break
			}
			in = nil
		}
	}
	n := copy(p, r.out)
	r.out = r.out[n:]
	return n, nil
}

func (r *encodingReader) Close() error {
	r.s.Close()
	return r.src.Close()
}
