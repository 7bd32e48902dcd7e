//go:build unix

package runtime

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"edgerun/bindings/localpg"
	"edgerun/runtime/config"
	"edgerun/runtime/progress"
)

// openWithProgress opens the project in dir with its progress reported to a buffer
// (as on a terminal or as plain lines), and shuts it down again, managed PostgreSQL included.
func openWithProgress(t *testing.T, dir string, tty bool) string {
	t.Helper()
	cfg, _, err := config.Load(config.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	log, _ := NewLogger(&logBuffer{}, "pretty", slog.LevelInfo)
	app, err := Open(t.Context(), AppOptions{Config: cfg, Log: log, Progress: progress.NewMode(&out, tty)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := app.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// TestFirstStartReportsProgress: the first start of the managed PostgreSQL says each of its
// steps and each migration it applies, as plain lines when the output is not a terminal;
// the next start has nothing long to report, and on a terminal its bundling line is drawn
// and cleared again.
func TestFirstStartReportsProgress(t *testing.T) {
	if _, err := localpg.FindBinaries(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	dir := t.TempDir()
	// The testing package makes t.TempDir's parent 0700; the server's account (when we are
	// root) must reach the data directory.
	if err := os.Chmod(filepath.Dir(dir), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "index.js"), []byte(`export default { fetch() { return new Response("ok"); } };`))
	writeFile(t, filepath.Join(dir, "migrations", "001_a.sql"), []byte("CREATE TABLE a (id int);"))
	writeFile(t, filepath.Join(dir, "migrations", "002_b.sql"), []byte("CREATE TABLE b (id int);"))
	writeFile(t, filepath.Join(dir, "wrangler.toml"), []byte(`name = "progress"
main = "index.js"
compatibility_date = "2026-11-01"

[[hyperdrive]]
binding = "DB"
id = "progress"
migrations_dir = "migrations"
`))

	first := openWithProgress(t, dir, false)
	want := strings.Join([]string{
		"local PostgreSQL (first start): 1/4 initdb " + filepath.Join(dir, ".edgerun", "state", "postgres", "pgdata"),
		"local PostgreSQL (first start): 2/4 starting postgres",
		"local PostgreSQL (first start): 3/4 roles and passwords",
		"local PostgreSQL (first start): 4/4 database db",
		`hyperdrive "DB": applying migration: 1/2 001_a.sql`,
		`hyperdrive "DB": applying migration: 2/2 002_b.sql`,
	}, "\n") + "\n" // and nothing for bundling one file
	if first != want {
		t.Errorf("first start reported\n%s\nwant\n%s", first, want)
	}

	again := openWithProgress(t, dir, true)
	if want := "\r\x1b[Kbundling index.js: 1 files read (index.js)\r\x1b[K"; again != want {
		t.Errorf("second start on a terminal reported %q, want %q", again, want)
	}
}

// TestBundlingALargeProjectReportsProgress: as plain lines, a bundle of 600 files says
// how far it got every 250 files.
func TestBundlingALargeProjectReportsProgress(t *testing.T) {
	dir := t.TempDir()
	var entry strings.Builder
	for i := range 599 {
		writeFile(t, filepath.Join(dir, "lib", fmt.Sprintf("m%03d.js", i)), []byte(fmt.Sprintf("export const v%d = %d;\n", i, i)))
		fmt.Fprintf(&entry, "import { v%d } from \"./lib/m%03d.js\";\n", i, i)
	}
	entry.WriteString("export default { fetch() { return new Response(String(v0 + v598)); } };\n")
	writeFile(t, filepath.Join(dir, "index.js"), []byte(entry.String()))
	var out bytes.Buffer
	res, _, err := BuildScript(VersionOptions{Dir: dir, Main: filepath.Join(dir, "index.js"), Progress: progress.NewMode(&out, false)})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Inputs) != 600 {
		t.Fatalf("bundle read %d files, want 600", len(res.Inputs))
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "bundling index.js: 250 files read (") || !strings.HasPrefix(lines[1], "bundling index.js: 500 files read (") {
		t.Errorf("plain progress of 600 files:\n%s", out.String())
	}
}
