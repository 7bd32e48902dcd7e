package localpg

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// fakeInstall creates dir holding the named programs as empty executables.
func fakeInstall(t *testing.T, dir string, programs ...string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, p := range programs {
		if err := os.WriteFile(filepath.Join(dir, p), nil, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestFindBinaries(t *testing.T) {
	root := t.TempDir()
	all := []string{"pg_ctl", "initdb", "postgres"}
	clientOnly := fakeInstall(t, filepath.Join(root, "client"), "psql", "pg_ctl")
	onPath := fakeInstall(t, filepath.Join(root, "onpath"), all...)
	notExecutable := filepath.Join(root, "noexec")
	fakeInstall(t, notExecutable, "pg_ctl", "initdb")
	if err := os.WriteFile(filepath.Join(notExecutable, "postgres"), nil, 0o644); err != nil {
		t.Fatal(err)
	}

	versions := filepath.Join(root, "lib")
	fakeInstall(t, filepath.Join(versions, "9.6", "bin"), all...)
	fakeInstall(t, filepath.Join(versions, "10", "bin"), all...)
	fakeInstall(t, filepath.Join(versions, "15", "bin"), all...)
	fakeInstall(t, filepath.Join(versions, "16", "bin"), "pg_ctl") // incomplete: skipped
	fakeInstall(t, filepath.Join(versions, "latest", "bin"), all...)

	tests := []struct {
		name     string
		path     []string
		versions string
		want     string
	}{
		{"PATH wins over versions", []string{clientOnly, onPath}, versions, onPath},
		{"client-only PATH falls back to highest complete version", []string{clientOnly}, versions, filepath.Join(versions, "15", "bin")},
		{"non-executable postgres does not count", []string{notExecutable}, versions, filepath.Join(versions, "15", "bin")},
		{"empty PATH element is not the working directory", []string{""}, versions, filepath.Join(versions, "15", "bin")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := findBinaries(tt.path, tt.versions)
			if err != nil {
				t.Fatalf("findBinaries: %v", err)
			}
			if got != tt.want {
				t.Errorf("findBinaries = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFindBinariesNoneSaysWhatToInstall(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-postgresql")
	_, err := findBinaries(nil, missing)
	if !errors.Is(err, ErrNoBinaries) {
		t.Fatalf("err = %v, want ErrNoBinaries", err)
	}
	want := "localpg: no PostgreSQL server binaries (pg_ctl, initdb, postgres) in PATH or " + missing +
		"/*/bin: install PostgreSQL server binaries (Debian/Ubuntu: apt-get install postgresql; macOS: brew install postgresql) or set localConnectionString in wrangler.toml"
	if err.Error() != want {
		t.Errorf("error text:\n got %q\nwant %q", err.Error(), want)
	}
}

func TestParseVersion(t *testing.T) {
	tests := []struct {
		name string
		want []int
		ok   bool
	}{
		{"15", []int{15}, true},
		{"9.6", []int{9, 6}, true},
		{"latest", nil, false},
		{"15.", nil, false},
		{"-1", nil, false},
	}
	for _, tt := range tests {
		got, ok := parseVersion(tt.name)
		if ok != tt.ok || !equalInts(got, tt.want) {
			t.Errorf("parseVersion(%q) = %v, %v; want %v, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
