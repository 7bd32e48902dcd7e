package admin

// DNS rebinding: a page on evil.example can point its own name at
// 127.0.0.1, and the browser then sends it to the loopback admin listener
// as same-origin requests it may read (the dashboard's slow SQL, /health's
// bindings and proxy address, /metrics). Such requests carry the page's
// name in Host; a listener bound to loopback answers only Hosts that are
// loopback themselves, as local dev servers do (Vite, webpack-dev-server).

import (
	"net"
	"net/http"
	"strings"
)

// guard wraps the endpoints for a listener on addr: on loopback, requests
// whose Host is not a loopback name or address are refused (403). A request
// without Host (HTTP/1.0: HAProxy's httpchk) is no browser's, and /healthz
// and /readyz, which tell nothing, answer any Host: a load balancer's check
// may name the service.
func (s *Server) guard(addr net.Addr) http.Handler {
	if !isLoopbackAddr(addr) {
		return s.mux
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Host != "" && r.URL.Path != "/healthz" && r.URL.Path != "/readyz" && !loopbackHost(r.Host) {
			plain(w, http.StatusForbidden, "edgerun admin: this listener is on loopback and answers only to localhost or a loopback address in Host, not "+
				quoteHost(r.Host)+" (a browser sends another name for a page that rebinds its DNS to 127.0.0.1)\n")
			return
		}
		s.mux.ServeHTTP(w, r)
	})
}

func isLoopbackAddr(addr net.Addr) bool {
	a, ok := addr.(*net.TCPAddr)
	return ok && a.IP.IsLoopback()
}

// loopbackHost reports whether a Host header (with or without a port)
// names loopback: localhost, a name under .localhost (RFC 6761: never
// resolved by DNS), or a loopback IP literal.
func loopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// quoteHost is Host for the refusal, bounded and printable.
func quoteHost(h string) string {
	if len(h) > 100 {
		h = h[:100] + "…"
	}
	return `"` + strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '?'
		}
		return r
	}, h) + `"`
}
