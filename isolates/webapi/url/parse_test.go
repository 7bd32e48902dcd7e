package url

import (
	"testing"
)

// parseSeeds are inputs for the parser tests and fuzz corpora.
var parseSeeds = []string{
	"http://localhost:8787/",
	"https://api.example.com/v1/users/12345/orders?status=shipped&limit=50#top",
	"HTTPS://Example.COM:443/a/b?c=d#e",
	"http://example.com:080",
	"http://example.com:",
	"http://example.com?x",
	"http://example.com#x",
	"http://a.b.c.xn--pokxncvks/",
	"http://1.2.3.4/",
	"http://127.0.0.1:8787/item?id=5",
	"http://127.0.0.01/",
	"http://1.2.3/",
	"http://256.0.0.1/",
	"http://1.2.3.4./",
	"http://0x7f.1/",
	"http://example.com/a/./b/../c/%2e/%2E%2e/d",
	"http://example.com/ a",
	"http://example.com/a^b`c{d}",
	"http://example.com/?q='\"<>",
	"http://example.com/#f`<>\"",
	"http://user:pass@example.com/",
	"http://[::1]:80/",
	"http://example.com\\a",
	"http://münchen.example/",
	"http://exa%41mple.com/",
	"http://example.com./",
	"http://a..b/",
	"http://a.1/",
	"http://a.b_c-d/",
	"http://example.com:65535/x",
	"http://example.com:65536/x",
	"https://example.com:00000443/x",
	"sc://host/path?q#f",
	"data:text/plain,a b ?q",
	"file:///C:/x/../y",
	"web+demo:/.//not-a-host/",
	"\t http://example.com/\n",
}

func TestParseFast(t *testing.T) {
	tests := []struct {
		in   string
		href string // "" when the fast path must decline
	}{
		{"http://localhost:8787/", "http://localhost:8787/"},
		{"HTTPS://Example.COM/", ""}, // scheme case: slow path
		{"https://Example.COM:443/a?b#c", "https://example.com/a?b#c"},
		{"http://example.com", "http://example.com/"},
		{"http://example.com:", "http://example.com/"},
		{"http://example.com:0080/x", "http://example.com/x"},
		{"http://example.com:8080?q", "http://example.com:8080/?q"},
		{"http://example.com/%7e/a%20b", "http://example.com/%7e/a%20b"},
		{"http://example.com/a/../b", ""},
		{"http://example.com/a/%2E", ""},
		{"http://example.com/a^b", ""},
		{"http://example.com/?a'b", ""},
		{"http://example.com/#a`b", ""},
		{"http://1.2.3.4/", "http://1.2.3.4/"},
		{"http://127.0.0.1:8787/item?id=5", "http://127.0.0.1:8787/item?id=5"},
		{"http://255.255.255.255", "http://255.255.255.255/"},
		{"http://0.0.0.0/", "http://0.0.0.0/"},
		{"http://256.1.1.1/", ""},  // out of range: the IPv4 parser fails it
		{"http://127.0.0.01/", ""}, // leading zero: octal, reserialised
		{"http://1.2.3/", ""},      // three parts: reserialised as 1.2.0.3
		{"http://1.2.3.4./", ""},   // trailing dot: reserialised
		{"http://1.2.3.4.5/", ""},  // five parts: invalid
		{"http://1..3.4/", ""},     // empty part
		{"http://a.1.2.3/", ""},    // ends in a number, is not IPv4: invalid
		{"http://0x7f.0.0.1/", ""}, // hex part
		{"http://a.0x1/", ""},
		{"http://u@example.com/", ""},
		{"http://exa%41mple.com/", ""},
		{"http://example.com:99999/", ""},
		{"http://example.com/ ", ""},
		{"http://example.com\\x", ""},
		{"ftp://example.com/", ""},
	}
	for _, tt := range tests {
		r := parseFast(tt.in)
		switch {
		case tt.href == "" && r != nil:
			t.Errorf("parseFast(%q) accepted (%q), want it to decline", tt.in, r.href)
		case tt.href != "" && r == nil:
			t.Errorf("parseFast(%q) declined, want %q", tt.in, tt.href)
		case r != nil && r.href != tt.href:
			t.Errorf("parseFast(%q).href = %q, want %q", tt.in, r.href, tt.href)
		}
	}
}

// FuzzFastPath is a differential test: whenever the fast path accepts an
// input, the state machine must produce the same record.
func FuzzFastPath(f *testing.F) {
	for _, s := range parseSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, input string) {
		fast := parseFast(input)
		if fast == nil {
			return
		}
		slowBuilder, err := basicParse(input, nil, nil, noOverride)
		if err != nil {
			t.Fatalf("fast path accepted %q (%q), the state machine rejects it: %v", input, fast.href, err)
		}
		if slow := slowBuilder.record(); *fast != *slow {
			t.Fatalf("%q:\nfast %+v\nslow %+v", input, *fast, *slow)
		}
	})
}

// FuzzParse checks that parsing never panics and that a URL's href parses
// back to the same URL (the serialiser's round-trip guarantee), with the
// searchParams serialisation stable too.
func FuzzParse(f *testing.F) {
	for _, s := range parseSeeds {
		f.Add(s, "")
		f.Add("../x?y#z", s)
	}
	f.Fuzz(func(t *testing.T, input, base string) {
		var b *record
		if base != "" {
			var err error
			if b, err = parse(base, nil); err != nil {
				return
			}
		}
		r, err := parse(input, b)
		if err != nil {
			return
		}
		again, err := parse(r.href, nil)
		if err != nil {
			t.Fatalf("href %q of %q does not reparse: %v", r.href, input, err)
		}
		if *again != *r {
			t.Fatalf("href %q of %q reparses differently:\nfirst  %+v\nsecond %+v", r.href, input, *r, *again)
		}
		_ = r.origin()
	})
}
