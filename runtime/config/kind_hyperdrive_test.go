package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A malformed connection string is reported on the line of its key, with
// the reason and without the password.
func TestHyperdriveConnectionStringErrorHasFileLine(t *testing.T) {
	tests := []struct{ name, key, value string }{
		{"bad port", "localConnectionString", "postgres://app:hunter2@db:notaport/shop"},
		{"bad fallback", "fallback_connection_string", "postgres://app:hunter2@db:5432/shop?sslmode=bogus"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "index.js"), []byte("export default {}"), 0o644); err != nil {
				t.Fatal(err)
			}
			toml := "name = \"x\"\nmain = \"index.js\"\ncompatibility_date = \"2024-01-01\"\n\n[[hyperdrive]]\nbinding = \"DB\"\nid = \"x\"\n" +
				tc.key + " = \"" + tc.value + "\"\n"
			path := filepath.Join(dir, "wrangler.toml")
			if err := os.WriteFile(path, []byte(toml), 0o644); err != nil {
				t.Fatal(err)
			}
			_, _, err := Load(Options{Path: path})
			if err == nil {
				t.Fatal("a malformed connection string was accepted")
			}
			msg := err.Error()
			if !strings.Contains(msg, "wrangler.toml:8") || !strings.Contains(msg, "invalid PostgreSQL connection string") {
				t.Fatalf("error = %q; want it at wrangler.toml:8", msg)
			}
			if strings.Contains(msg, "hunter2") {
				t.Fatalf("error shows the password: %q", msg)
			}
		})
	}
}
