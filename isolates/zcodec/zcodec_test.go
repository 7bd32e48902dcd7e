package zcodec

import (
	"bytes"
	"compress/gzip"
	"errors"
	"strings"
	"testing"
)

// run feeds chunks one Process call each (draining steps of at most max) and finishes.
func run(t *testing.T, s *Stream, chunks [][]byte, max int) ([]byte, int, error) {
	t.Helper()
	defer s.Close()
	var out []byte
	steps := 0
	feed := func(in []byte, f Flush) error {
		for {
			o, more, err := s.Process(in, f, max)
			steps++
			if len(o) > max+32<<10 {
				t.Fatalf("a step gave %d bytes, more than %d", len(o), max)
			}
			out = append(out, o...)
			if err != nil || !more {
				return err
			}
			in = nil
		}
	}
	for _, c := range chunks {
		if err := feed(c, NoFlush); err != nil {
			return out, steps, err
		}
	}
	return out, steps, feed(nil, Finish)
}

func TestRoundTrips(t *testing.T) {
	text := []byte(strings.Repeat("a line of text that compresses well\n", 5000))
	for _, f := range []Format{Gzip, Deflate, Raw, Brotli} {
		c, err := NewCompressor(f, Options{Level: -1})
		if err != nil {
			t.Fatal(err)
		}
		z, _, err := run(t, c, [][]byte{text[:1000], text[1000:]}, 1<<20)
		if err != nil {
			t.Fatal(f, err)
		}
		if len(z) > len(text)/20 {
			t.Errorf("format %d: %d bytes compress to %d", f, len(text), len(z))
		}
		// Byte by byte, with steps of 4 KiB of output.
		var chunks [][]byte
		for i := range z {
			chunks = append(chunks, z[i:i+1])
		}
		back, _, err := run(t, NewDecompressor(f, Options{Strict: true}), chunks, 4096)
		if err != nil || !bytes.Equal(back, text) {
			t.Errorf("format %d: round trip: %v, %d bytes back of %d", f, err, len(back), len(text))
		}
		if f != Brotli {
			back, _, err = run(t, NewDecompressor(Auto, Options{}), [][]byte{z}, 1<<20)
			if f != Raw && (err != nil || !bytes.Equal(back, text)) {
				t.Errorf("format %d read as Auto: %v", f, err)
			}
		}
	}
}

func TestBombIsDrainedInSteps(t *testing.T) {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write(make([]byte, 64<<20))
	w.Close()
	out, steps, err := run(t, NewDecompressor(Gzip, Options{}), [][]byte{b.Bytes()}, 1<<20)
	if err != nil || len(out) != 64<<20 {
		t.Fatalf("%v, %d bytes", err, len(out))
	}
	if steps < 64 {
		t.Errorf("%d steps for 64 MiB at 1 MiB a step", steps)
	}
}

func TestDecodeErrors(t *testing.T) {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte("hello world"))
	w.Close()
	gz := b.Bytes()
	var de *DataError
	cases := []struct {
		name  string
		in    []byte
		opts  Options
		check func(error) bool
	}{
		{"truncated", gz[:len(gz)-3], Options{}, func(e error) bool { return errors.Is(e, ErrTruncated) }},
		{"empty", nil, Options{}, func(e error) bool { return errors.Is(e, ErrTruncated) }},
		{"not gzip", []byte("plain text here"), Options{}, func(e error) bool { return errors.As(e, &de) && de.Msg == "incorrect header check" }},
		{"trailing, strict", append(bytes.Clone(gz), 0), Options{Strict: true}, func(e error) bool { return errors.Is(e, ErrTrailing) }},
		{"trailing, lax", append(bytes.Clone(gz), 0), Options{}, func(e error) bool { return e == nil }},
		{"two members, strict", append(bytes.Clone(gz), gz...), Options{Strict: true}, func(e error) bool { return errors.Is(e, ErrTrailing) }},
		{"checksum", append(bytes.Clone(gz[:len(gz)-8]), 0, 0, 0, 0, 11, 0, 0, 0), Options{}, func(e error) bool { return errors.As(e, &de) && de.Msg == "incorrect data check" }},
	}
	for _, c := range cases {
		_, _, err := run(t, NewDecompressor(Gzip, c.opts), [][]byte{c.in}, 1<<20)
		if !c.check(err) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	out, _, err := run(t, NewDecompressor(Gzip, Options{Multistream: true}), [][]byte{gz, gz[:5], gz[5:]}, 1<<20)
	if err != nil || string(out) != "hello worldhello world" {
		t.Errorf("multistream: %q, %v", out, err)
	}
}

func TestEmptyStreamsAreZlibs(t *testing.T) {
	want := map[Format]string{Gzip: "1f8b080000000000000303000000000000000000", Deflate: "789c030000000001", Raw: "0300"}
	for f, hex := range want {
		c, _ := NewCompressor(f, Options{Level: -1})
		out, _, err := run(t, c, nil, 1<<20)
		if err != nil || bytesHex(out) != hex {
			t.Errorf("format %d: %x, %v", f, out, err)
		}
	}
}

func bytesHex(b []byte) string {
	const digits = "0123456789abcdef"
	var s strings.Builder
	for _, c := range b {
		s.WriteByte(digits[c>>4])
		s.WriteByte(digits[c&15])
	}
	return s.String()
}
