package localpg

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestCheckTraversable(t *testing.T) {
	pg := &account{name: "postgres", uid: 101, gid: 104, groups: []uint32{104, 7}}
	dirs := func(m map[string]ownership) func(string) (ownership, error) {
		return func(path string) (ownership, error) {
			if o, ok := m[path]; ok {
				return o, nil
			}
			return ownership{uid: 0, gid: 0, mode: fs.ModeDir | 0o755}, nil
		}
	}
	tests := []struct {
		name    string
		dirs    map[string]ownership
		blocked string // "" when reachable
	}{
		{"all world-searchable", nil, ""},
		{"root-owned 0700 temp dir", map[string]ownership{"/tmp/TestX": {0, 0, fs.ModeDir | 0o700}}, "/tmp/TestX"},
		{"outermost blocking dir is named", map[string]ownership{
			"/tmp/TestX":   {0, 0, fs.ModeDir | 0o700},
			"/tmp/TestX/a": {0, 0, fs.ModeDir | 0o700},
		}, "/tmp/TestX"},
		{"owned by the account", map[string]ownership{"/tmp/TestX": {101, 0, fs.ModeDir | 0o700}}, ""},
		{"owner class decides even if others may", map[string]ownership{"/tmp/TestX": {101, 0, fs.ModeDir | 0o601}}, "/tmp/TestX"},
		{"supplementary group may search", map[string]ownership{"/tmp/TestX": {0, 7, fs.ModeDir | 0o710}}, ""},
		{"group without x", map[string]ownership{"/tmp/TestX": {0, 104, fs.ModeDir | 0o701}}, "/tmp/TestX"},
		{"the data dir itself", map[string]ownership{"/tmp/TestX/a/data": {0, 0, fs.ModeDir | 0o750}}, "/tmp/TestX/a/data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkTraversable("/tmp/TestX/a/data", pg, dirs(tt.dirs))
			if tt.blocked == "" {
				if err != nil {
					t.Fatalf("checkTraversable: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("checkTraversable = nil, want an error naming %s", tt.blocked)
			}
			if !strings.Contains(err.Error(), "directory "+tt.blocked+" ") || !strings.Contains(err.Error(), `"postgres"`) {
				t.Errorf("error %q does not name %s and the user", err, tt.blocked)
			}
		})
	}
}

func TestCheckTraversableReportsStatErrors(t *testing.T) {
	err := checkTraversable("/a/b", &account{name: "x"}, func(string) (ownership, error) { return ownership{}, fs.ErrPermission })
	if !errors.Is(err, fs.ErrPermission) {
		t.Errorf("err = %v, want fs.ErrPermission", err)
	}
}

func TestMkdirAllTracked(t *testing.T) {
	root := t.TempDir()
	existing := filepath.Join(root, "existing")
	if err := os.Mkdir(existing, 0o700); err != nil {
		t.Fatal(err)
	}
	created, err := mkdirAllTracked(filepath.Join(existing, "state", "postgres"), 0o755)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(existing, "state"), filepath.Join(existing, "state", "postgres")}
	if !slices.Equal(created, want) {
		t.Errorf("created = %v, want %v", created, want)
	}
	again, err := mkdirAllTracked(filepath.Join(existing, "state", "postgres"), 0o755)
	if err != nil || len(again) != 0 {
		t.Errorf("second call created %v, %v; want nothing", again, err)
	}
}
