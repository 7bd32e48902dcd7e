package url

import "testing"

func TestParseDomainHost(t *testing.T) {
	tests := []struct {
		in, want string
		fail     bool
	}{
		{in: "example.com", want: "example.com"},
		{in: "EXAMPLE.com.", want: "example.com."},
		{in: "xn--", want: "xn--"},
		{in: "a.b.c.XN--pokxncvks", want: "a.b.c.xn--pokxncvks"},
		{in: "b%C3%BCcher.example", want: "xn--bcher-kva.example"},
		{in: "faß.de", want: "xn--fa-hia.de"},
		{in: "FAẞ.de", want: "xn--fa-hia.de"},
		{in: "Ⴚ.σ", want: "xn--ilj.xn--4xa"}, // Georgian capital: Unicode 15.1 mapping
		{in: "≠.example", want: "xn--1ch.example"},
		{in: "a_b", want: "a_b"},
		{in: "127.0.0.1", want: "127.0.0.1"},
		{in: "0x7F.1", want: "127.0.0.1"},
		{in: "0177.0.0.1", want: "127.0.0.1"},
		{in: "4294967295", want: "255.255.255.255"},
		{in: "1.2.3.4.", want: "1.2.3.4"},
		{in: "foo.09", fail: true},
		{in: "4294967296", fail: true},
		{in: "1.2.3.4.5", fail: true},
		{in: "256.1.1.1", fail: true},
		{in: "a%25b", fail: true},
		{in: "a b", fail: true},
		{in: "a^b", fail: true},
		{in: "\u00ad", fail: true},
		{in: "%C2%AD", fail: true},
		{in: "%ff", fail: true},
		{in: "a\u200cb", fail: true},
	}
	for _, tt := range tests {
		got, err := parseDomainHost(tt.in)
		if tt.fail {
			if err == nil {
				t.Errorf("parseDomainHost(%q) = %q, want failure", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("parseDomainHost(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestEndsInANumber(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"example.com", false},
		{"1.2.3.4", true},
		{"a.1", true},
		{"a.0x", true},
		{"a.0xg", false},
		{"a.09", true},
		{"a.1.", true},
		{".", false},
		{"", false},
		{"a..", false},
	}
	for _, tt := range tests {
		if got := endsInANumber(tt.in); got != tt.want {
			t.Errorf("endsInANumber(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
