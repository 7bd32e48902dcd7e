package runtime

import (
	"crypto/x509"
	"encoding/json"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"edgerun/bindings/localpg/pgtest"
	"edgerun/runtime/config"
)

// echoServer accepts on loopback and echoes each connection until the
// client ends its side; open counts the connections it has now.
type echoServer struct {
	ln   net.Listener
	mu   sync.Mutex
	open int
}

func startEchoServer(t *testing.T) *echoServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &echoServer{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.open++
			s.mu.Unlock()
			go func() {
				_, _ = io.Copy(c, c)
				c.Close()
				s.mu.Lock()
				s.open--
				s.mu.Unlock()
			}()
		}
	}()
	return s
}

func (s *echoServer) waitOpen(t *testing.T, want int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s.mu.Lock()
		open := s.open
		s.mu.Unlock()
		if open == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("echo server has %d connections open, want %d", open, want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestSocketsOverHTTP(t *testing.T) {
	srv := startEchoServer(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := ln.Addr().String()
	ln.Close()
	app := startAppWith(t, config.Options{Dir: "../testdata/workers/sockets",
		Vars: map[string]string{"ECHO": srv.ln.Addr().String(), "REFUSED": refused}}, false, nil)

	t.Run("echo", func(t *testing.T) {
		status, body := app.get(t, "/echo?msg=hello%20sockets")
		var out struct {
			Got  string
			Info map[string]string
		}
		if err := json.Unmarshal([]byte(body), &out); status != 200 || err != nil {
			t.Fatalf("%d %s", status, body)
		}
		if out.Got != "hello sockets" || out.Info["remoteAddress"] != srv.ln.Addr().String() {
			t.Fatalf("got %+v", out)
		}
		srv.waitOpen(t, 0)
	})
	t.Run("a socket left open is closed when its request ends", func(t *testing.T) {
		for i := 0; i < 3; i++ {
			if status, body := app.get(t, "/leak?msg=left"); status != 200 || body != "left" {
				t.Fatalf("%d %q", status, body)
			}
		}
		srv.waitOpen(t, 0)
	})
	t.Run("socket readable as the response body", func(t *testing.T) {
		msg := strings.Repeat("0123456789", 20000) // 200 KB: several chunks
		resp, body := app.do(t, "POST", "/pipe", strings.NewReader(msg), nil)
		if resp.StatusCode != 200 || body != msg {
			t.Fatalf("%d: %d bytes back, want %d", resp.StatusCode, len(body), len(msg))
		}
		srv.waitOpen(t, 0)
	})
	t.Run("refused", func(t *testing.T) {
		status, body := app.get(t, "/refused")
		if want := "Error: proxy request failed, cannot connect to the specified address"; status != 200 || body != want {
			t.Fatalf("%d %q, want %q", status, body, want)
		}
	})
}

// The extra CAs for TLS sockets: configured PEM files and the managed
// services' certificates; a missing or empty file stops the start with the
// file named.
func TestTrustedRoots(t *testing.T) {
	if pool, err := trustedRoots(nil, nil); pool != nil || err != nil {
		t.Fatalf("no CAs: %v, %v; want nil, nil", pool, err)
	}
	dir := t.TempDir()
	pemFile := filepath.Join(dir, "ca.pem")
	bad := filepath.Join(dir, "bad.pem")
	caPEM := pgtest.CACertPEM(t)
	if err := os.WriteFile(pemFile, caPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte("not a certificate"), 0o644); err != nil {
		t.Fatal(err)
	}
	pool, err := trustedRoots([]string{pemFile}, [][]byte{caPEM})
	if err != nil || pool == nil {
		t.Fatalf("trustedRoots = %v, %v", pool, err)
	}
	same := x509.NewCertPool()
	same.AppendCertsFromPEM(caPEM)
	same.AppendCertsFromPEM(caPEM)
	if !pool.Equal(same) {
		t.Errorf("the pool does not hold the file's and the managed server's certificates")
	}
	for _, f := range []string{bad, filepath.Join(dir, "missing.pem")} {
		if _, err := trustedRoots([]string{f}, nil); err == nil || !strings.Contains(err.Error(), filepath.Base(f)) {
			t.Errorf("trustedRoots(%s) = %v; want an error naming the file", f, err)
		}
	}
}
