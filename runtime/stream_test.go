package runtime

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"edgerun/runtime/config"
)

// A Response made from a stream is sent as the worker writes it: the
// client reads the first server-sent event before the worker has written
// the second (which waits for the client to have read the first).
func TestStreamedResponsesArriveAsWritten(t *testing.T) {
	a := startAppWith(t, config.Options{Dir: fixture("streaming")}, false, func(cfg *config.Config) {
		cfg.Edgerun.Isolates = 1 // /release must reach the isolate /sse waits in
	})
	resp, err := client.Get(a.base + "/sse")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("content-type %q", resp.Header.Get("Content-Type"))
	}
	lines := make(chan string, 8)
	go func() {
		r := bufio.NewReader(resp.Body)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				close(lines)
				return
			}
			lines <- line
		}
	}()
	next := func() string {
		select {
		case l := <-lines:
			return l
		case <-time.After(10 * time.Second):
			t.Fatal("no event: the body is held back")
			return ""
		}
	}
	if l := next(); l != "data: first\n" {
		t.Fatalf("first line %q", l)
	}
	next() // the blank line ending the event
	if code, body := a.get(t, "/release"); code != 200 || body != "released" {
		t.Fatalf("/release = %d %s", code, body)
	}
	if l := next(); l != "data: second\n" {
		t.Fatalf("second line %q", l)
	}
	next()
	if _, open := <-lines; open {
		t.Fatal("the body did not end after the stream closed")
	}
}

func TestStreamedBodiesLargeAndBroken(t *testing.T) {
	a := startApp(t, fixture("streaming"), nil)
	resp, body := a.do(t, "GET", "/big", nil, nil)
	if resp.StatusCode != 200 || len(body) != 48*64*1024 || strings.Trim(body, "x") != "" {
		t.Fatalf("/big = %d, %d bytes", resp.StatusCode, len(body))
	}
	// A stream that yields something other than bytes cuts the response
	// short (the client sees the body end in an error), as on Workers.
	r, err := client.Get(a.base + "/broken")
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r.Body)
	r.Body.Close()
	if r.StatusCode != 200 || !bytes.HasPrefix(got, []byte("ok")) || err == nil {
		t.Fatalf("/broken = %d %q, read error %v; want the body cut short after \"ok\"", r.StatusCode, got, err)
	}
	// The server goes on serving.
	if code, _ := a.get(t, "/big"); code != http.StatusOK {
		t.Fatalf("after a broken stream: %d", code)
	}
}

// A client that leaves a stream the worker never writes to or closes
// cancels it: the request finishes and its isolate slot is free again.
func TestStreamCancelledWhenTheClientLeaves(t *testing.T) {
	a := startAppWith(t, config.Options{Dir: fixture("streaming")}, false, func(cfg *config.Config) {
		cfg.Edgerun.Isolates = 1
	})
	resp, err := client.Get(a.base + "/hang")
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("/hang = %d", resp.StatusCode)
	}
	resp.Body.Close() // leave
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, body := a.get(t, "/cancelled")
		if body == "1" && a.app.Server().Worker().Pool.Stats().InFlight <= 1 { // this /cancelled request itself may count
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the abandoned stream was not cancelled (cancelled=%s, in flight %d)", body, a.app.Server().Worker().Pool.Stats().InFlight)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
