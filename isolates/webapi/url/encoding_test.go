package url

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

func TestPercentDecode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"%41%62", "Ab"},
		{"%4", "%4"},
		{"%zz%", "%zz%"},
		{"a%2Bb", "a+b"},
		{"%C3%A9", "é"},
		{"%ff", "\xff"},
	}
	for _, tt := range tests {
		if got := percentDecode(tt.in); got != tt.want {
			t.Errorf("percentDecode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDecodeUTF8(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ok é", "ok é"},
		{"\xff", "\uFFFD"},
		{"a\xe2\x82b", "a\uFFFDb"},             // truncated 3-byte sequence: one U+FFFD
		{"\xf0\x9f\x92", "\uFFFD"},             // truncated 4-byte sequence
		{"\xe0\x80", "\uFFFD\uFFFD"},           // E0 needs A0..BF next: two errors
		{"\xed\xa0\x80", "\uFFFD\uFFFD\uFFFD"}, // surrogate: three errors
		{"\xc0\xaf", "\uFFFD\uFFFD"},           // overlong
		{"\xf4\x90\x80\x80", "\uFFFD\uFFFD\uFFFD\uFFFD"},
	}
	for _, tt := range tests {
		if got := decodeUTF8(tt.in); got != tt.want {
			t.Errorf("decodeUTF8(%q) = %+q, want %+q", tt.in, got, tt.want)
		}
	}
}

func TestFormRoundTrip(t *testing.T) {
	tests := []struct {
		query string
		list  []pair
		out   string
	}{
		{"", nil, ""},
		{"a=1&b=2", []pair{{"a", "1"}, {"b", "2"}}, "a=1&b=2"},
		{"a+b=c+d", []pair{{"a b", "c d"}}, "a+b=c+d"},
		{"a=%2B", []pair{{"a", "+"}}, "a=%2B"},
		{"&&a&", []pair{{"a", ""}}, "a="},
		{"=x", []pair{{"", "x"}}, "=x"},
		{"a==b", []pair{{"a", "=b"}}, "a=%3Db"},
		{"%7e~", []pair{{"~~", ""}}, "%7E%7E="},
	}
	for _, tt := range tests {
		list := parseForm(tt.query)
		if !slices.Equal(list, tt.list) {
			t.Errorf("parseForm(%q) = %q, want %q", tt.query, list, tt.list)
		}
		if got := serializeForm(list); got != tt.out {
			t.Errorf("serializeForm(%q) = %q, want %q", list, got, tt.out)
		}
	}
}

func TestCompareUTF16(t *testing.T) {
	words := []string{"", "a", "b", "ab", "é", "\uFB03", "\U0001F308", "\uFFFD", "e\u0301", "\U00010000", "\uE000", "\uD7FF"}
	for _, a := range words {
		for _, b := range words {
			want := slices.Compare(utf16.Encode([]rune(a)), utf16.Encode([]rune(b)))
			if got := compareUTF16(a, b); got != want {
				t.Errorf("compareUTF16(%+q, %+q) = %d, want %d", a, b, got, want)
			}
		}
	}
}

// FuzzForm checks that serialising a parsed query and parsing it again is
// lossless, and that the serialisation uses only the characters the
// urlencoded serialiser may emit.
func FuzzForm(f *testing.F) {
	for _, s := range []string{"a=b", "a+b=%2B&&c", "%zz=%C3%A9", "é=€&=", "\xff=\xe2\x82"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, query string) {
		list := parseForm(query)
		for _, p := range list {
			if !utf8.ValidString(p.name) || !utf8.ValidString(p.value) {
				t.Fatalf("parseForm(%q) gave invalid UTF-8: %q", query, p)
			}
		}
		out := serializeForm(list)
		if strings.Trim(out, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789*-._+%&=") != "" {
			t.Fatalf("serializeForm emitted an unexpected byte: %q", out)
		}
		if again := parseForm(out); !slices.Equal(again, list) {
			t.Fatalf("round trip of %q: %q != %q", query, again, list)
		}
	})
}
