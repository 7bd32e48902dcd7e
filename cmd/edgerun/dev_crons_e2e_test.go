package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// scheduledRuns reads the scheduled fixture's record of its runs.
func scheduledRuns(t *testing.T, srv *server) []string {
	t.Helper()
	resp, err := http.Get(srv.base + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var runs []string
	if err := json.NewDecoder(resp.Body).Decode(&runs); err != nil {
		t.Fatal(err)
	}
	return runs
}

// edgerun dev --crons fires [triggers] crons on schedule, as serve does;
// dev without it fires none; the on-demand routes stay with --test-scheduled.
func TestDevCronsFireOnSchedule(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(fixture("scheduled"))); err != nil {
		t.Fatal(err)
	}
	toml, err := os.ReadFile(filepath.Join(dir, "wrangler.toml"))
	if err != nil {
		t.Fatal(err)
	}
	everySecond := strings.Replace(string(toml), `crons = ["*/5 * * * *", "0 12 * * mon"]`, `crons = ["@every 1s"]`, 1)
	if everySecond == string(toml) {
		t.Fatal("the scheduled fixture's crons changed; update this test")
	}
	if err := os.WriteFile(filepath.Join(dir, "wrangler.toml"), []byte(everySecond), 0o644); err != nil {
		t.Fatal(err)
	}
	withCrons := startServer(t, "dev", dir, nil, "--crons", "--test-scheduled", "--admin", "off")
	plain := startServer(t, "dev", dir, nil, "--admin", "off")

	deadline := time.Now().Add(30 * time.Second)
	var runs []string
	for {
		runs = scheduledRuns(t, withCrons)
		fired := 0
		for _, r := range runs {
			if strings.HasPrefix(r, "@every 1s@") && strings.HasSuffix(r, ".000Z") { // a tick's time, on the second
				fired++
			}
		}
		if fired >= 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("dev --crons fired %d ticks; runs %q; logs:\n%s", fired, runs, withCrons.Logs())
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !strings.Contains(withCrons.Logs(), "cron triggers: @every 1s (UTC)") {
		t.Errorf("dev --crons does not say its crons run; logs:\n%s", withCrons.Logs())
	}
	// dev without --crons, started just after, has had as many ticks' time
	// less a moment, and fired nothing.
	if runs := scheduledRuns(t, plain); len(runs) != 0 {
		t.Errorf("dev without --crons fired %q", runs)
	}
	for _, path := range []string{"/__scheduled?cron=0+12+*+*+mon", "/cdn-cgi/handler/scheduled?cron=0+12+*+*+mon"} {
		resp, err := http.Get(withCrons.base + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || string(body) != "Ran scheduled event\n" {
			t.Errorf("%s = %d %q", path, resp.StatusCode, body)
		}
	}
	if runs := scheduledRuns(t, withCrons); strings.Count(strings.Join(runs, "\n"), "waited:0 12 * * mon") != 2 {
		t.Errorf("the on-demand routes did not both run scheduled(): %q", runs)
	}
}
