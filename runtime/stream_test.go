package runtime

import (
	"bufio"
	"bytes"
	"context"
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
		if body == "1" && a.app.Server().Version().Pool.Stats().InFlight <= 1 { // this /cancelled request itself may count
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the abandoned stream was not cancelled (cancelled=%s, in flight %d)", body, a.app.Server().Version().Pool.Stats().InFlight)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Streams and work that outlive the handler's answer: an answer that comes
// after the client left is cancelled; waitUntil work after the response is
// not cut off; async and failing pulls end their responses.
func TestStreamsAndWorkAfterTheAnswer(t *testing.T) {
	a := startAppWith(t, config.Options{Dir: fixture("streaming")}, false, func(cfg *config.Config) {
		cfg.Edgerun.Isolates = 1
	})
	impatient := &http.Client{Timeout: 200 * time.Millisecond}
	if _, err := impatient.Get(a.base + "/late"); err == nil {
		t.Fatal("/late answered within 200ms")
	}
	// The client left: the request is ended (as on Workers, its timers with
	// it, so the late answer is never made), or, if the answer beat the
	// end, its stream is cancelled. Either way nothing holds the slot.
	waitFor(t, "the abandoned request to end", func() bool { return a.pool().Stats().InFlight == 0 })

	if code, body := a.get(t, "/after"); code != 200 || body != "answered" {
		t.Fatalf("/after = %d %s", code, body)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, body := a.get(t, "/after-result")
		if body == "released" {
			break
		}
		if time.Now().After(deadline) || strings.Contains(body, "Error") {
			t.Fatalf("the fetch in waitUntil after the response ended with %q", body)
		}
		time.Sleep(50 * time.Millisecond)
	}

	if code, body := a.get(t, "/async-pull"); code != 200 || body != "part0;part1;part2;" {
		t.Fatalf("/async-pull = %d %q", code, body)
	}
	r, err := client.Get(a.base + "/pull-throws")
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r.Body)
	r.Body.Close()
	if string(got) != "first;" || err == nil {
		t.Fatalf("/pull-throws = %q, %v; want \"first;\" cut short", got, err)
	}
}

// Shutting down with a request stuck in a loop ends (the loop is
// interrupted once the drain time is over) instead of waiting for ever.
func TestShutdownInterruptsAStuckLoop(t *testing.T) {
	a := startAppWith(t, config.Options{Dir: fixture("streaming")}, false, func(cfg *config.Config) {
		cfg.Limits.CPUMs = 10 * 60 * 1000 // the CPU limit would not end it in time
	})
	go func() {
		if resp, err := (&http.Client{Timeout: 30 * time.Second}).Get(a.base + "/burn"); err == nil {
			resp.Body.Close()
		}
	}()
	time.Sleep(300 * time.Millisecond) // /burn is running
	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		done <- a.app.Shutdown(ctx)
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("Shutdown did not return: the stuck loop held it")
	}
}
