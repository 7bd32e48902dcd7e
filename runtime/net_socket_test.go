package runtime

import (
	"encoding/json"
	"strings"
	"testing"

	"edgerun/runtime/config"
)

// node:net's Socket as a stream.Duplex in a worker (for await, pipeline
// with an async generator, Readable.toWeb as a response body) against a
// real echo server, through real HTTP requests.
func TestNetSocketAsStream(t *testing.T) {
	srv := startEchoServer(t)
	app := startAppWith(t, config.Options{Dir: "../testdata/workers/netsocket",
		Vars: map[string]string{"ECHO": srv.ln.Addr().String()}}, false, nil)
	msg := strings.Repeat("0123456789", 20000) // 200 KB: several chunks

	t.Run("for await", func(t *testing.T) {
		resp, body := app.do(t, "POST", "/iterate", strings.NewReader(msg), nil)
		var out struct {
			Length    int
			Chunks    bool
			Destroyed bool
		}
		if err := json.Unmarshal([]byte(body), &out); resp.StatusCode != 200 || err != nil {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
		if out.Length != len(msg) || !out.Chunks || !out.Destroyed {
			t.Fatalf("got %+v, want %d bytes and a destroyed socket", out, len(msg))
		}
		srv.waitOpen(t, 0)
	})
	t.Run("pipeline", func(t *testing.T) {
		resp, body := app.do(t, "POST", "/pipeline", strings.NewReader("abc def"), nil)
		if resp.StatusCode != 200 || body != "ABC DEF" {
			t.Fatalf("%d %q", resp.StatusCode, body)
		}
		srv.waitOpen(t, 0)
	})
	t.Run("Readable.toWeb as the response body", func(t *testing.T) {
		resp, body := app.do(t, "POST", "/pipe-response", strings.NewReader(msg), nil)
		if resp.StatusCode != 200 || body != msg {
			t.Fatalf("%d: %d bytes back, want %d", resp.StatusCode, len(body), len(msg))
		}
		srv.waitOpen(t, 0)
	})
}
