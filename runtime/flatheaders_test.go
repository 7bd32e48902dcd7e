package runtime

import (
	"net"
	"testing"

	"github.com/valyala/fasthttp"
)

// flatHeaders writes the client's address as net.IP.String does and drops
// a CF-Connecting-IP the client sent (fasthttp names Host in its own case;
// the Headers the script sees fold names to lower case).
func TestFlatHeadersClientAddress(t *testing.T) {
	for _, tc := range []struct {
		ip   net.IP
		want string
	}{
		{net.IPv4(127, 0, 0, 1), "127.0.0.1"},
		{net.IPv4(255, 0, 10, 200), "255.0.10.200"},
		{net.ParseIP("::ffff:10.1.2.3"), "10.1.2.3"},
		{net.ParseIP("2001:db8::1"), "2001:db8::1"},
		{net.IPv6loopback, "::1"},
	} {
		var req fasthttp.Request
		req.Header.DisableNormalizing()
		req.Header.Set("host", "example.com")
		req.Header.Set("CF-Connecting-IP", "6.6.6.6")
		req.Header.Set("x-a", "1")
		var ctx fasthttp.RequestCtx
		ctx.Init(&req, &net.TCPAddr{IP: tc.ip, Port: 1234}, nil)
		want := "Host\x00example.com\x00x-a\x001\x00cf-connecting-ip\x00" + tc.want
		if got := flatHeaders(&ctx); got != want {
			t.Errorf("%v: flatHeaders = %q, want %q", tc.ip, got, want)
		}
	}
}
