package webapi

import (
	"testing"
	"unicode/utf8"
)

func TestDecodeUTF8(t *testing.T) {
	const r = "\uFFFD"
	for _, tc := range []struct{ in, want string }{
		{"héllo", "héllo"},
		{"\xff\xff", r + r},
		{"a\xe2\x82b", "a" + r + "b"}, // truncated 3-byte sequence: one
		{"\xe2\x82", r},               // truncated at the end
		{"\xed\xa0\x80", r + r + r},   // a surrogate: its bytes one by one
		{"\xc0\xaf", r + r},           // overlong
		{"\xf0\x9f\x98", r},           // truncated 4-byte sequence
		{"\xf0\x9f\x98\x80\xff", "😀" + r},
		{"\xf4\x90\x80\x80", r + r + r + r}, // beyond U+10FFFF
	} {
		if got := DecodeUTF8([]byte(tc.in)); got != tc.want {
			t.Errorf("DecodeUTF8(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzDecodeUTF8(f *testing.F) {
	for _, s := range []string{"", "a", "\xff", "\xe2\x82", "😀", "\xed\xa0\x80"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got := DecodeUTF8(b)
		if !utf8.ValidString(got) {
			t.Fatalf("DecodeUTF8(%q) = %q is not valid UTF-8", b, got)
		}
		if utf8.Valid(b) && got != string(b) {
			t.Fatalf("valid input changed: %q → %q", b, got)
		}
	})
}
