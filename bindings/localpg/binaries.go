package localpg

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// ErrNoBinaries is wrapped by the error of FindBinaries (and Start) when no PostgreSQL server
// installation was found. Its text says what to install.
var ErrNoBinaries = errors.New("install PostgreSQL server binaries (Debian/Ubuntu: apt-get install postgresql; macOS: brew install postgresql) or set localConnectionString in wrangler.toml")

// serverBinaries are the programs a directory must hold to count as a server installation.
// Client-only packages (psql, pg_dump) put other programs on PATH; those are not enough.
var serverBinaries = []string{"pg_ctl", "initdb", "postgres"}

// debianVersionsRoot holds one <major>/bin directory per installed server version on
// Debian and Ubuntu, which do not put the server programs on PATH.
const debianVersionsRoot = "/usr/lib/postgresql"

// FindBinaries returns the directory holding pg_ctl, initdb and postgres: the first PATH
// directory that has all three, else the highest version under /usr/lib/postgresql/*/bin.
// When none is found the error wraps ErrNoBinaries.
func FindBinaries() (dir string, err error) {
	return findBinaries(filepath.SplitList(os.Getenv("PATH")), debianVersionsRoot)
}

func findBinaries(pathDirs []string, versionsRoot string) (string, error) {
	for _, dir := range pathDirs {
		// An empty PATH element means the working directory; a server found there by
		// accident is not one to run.
		if dir != "" && hasServerBinaries(dir) {
			return dir, nil
		}
	}
	for _, dir := range versionBinDirs(versionsRoot) {
		if hasServerBinaries(dir) {
			return dir, nil
		}
	}
	return "", fmt.Errorf("localpg: no PostgreSQL server binaries (%s) in PATH or %s/*/bin: %w",
		strings.Join(serverBinaries, ", "), versionsRoot, ErrNoBinaries)
}

// versionBinDirs lists root/<version>/bin, highest version first. Versions compare
// numerically ("15" > "9.6"); names that are not versions are ignored.
func versionBinDirs(root string) []string {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil
	}
	type candidate struct {
		dir     string
		version []int
	}
	var found []candidate
	for _, e := range entries {
		if version, ok := parseVersion(e.Name()); ok {
			found = append(found, candidate{filepath.Join(root, e.Name(), "bin"), version})
		}
	}
	slices.SortFunc(found, func(a, b candidate) int {
		return cmp.Or(slices.Compare(b.version, a.version), strings.Compare(a.dir, b.dir))
	})
	dirs := make([]string, len(found))
	for i, c := range found {
		dirs[i] = c.dir
	}
	return dirs
}

func parseVersion(name string) ([]int, bool) {
	var version []int
	for part := range strings.SplitSeq(name, ".") {
		n, err := strconv.Atoi(part)
		if err != nil || n < 0 {
			return nil, false
		}
		version = append(version, n)
	}
	return version, true
}

func hasServerBinaries(dir string) bool {
	for _, name := range serverBinaries {
		info, err := os.Stat(filepath.Join(dir, name)) // follows symlinks such as /usr/local/bin/initdb
		if err != nil || !info.Mode().IsRegular() || info.Mode().Perm()&0o111 == 0 {
			return false
		}
	}
	return true
}
