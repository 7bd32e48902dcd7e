package localpg

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
)

// account is the unprivileged OS user the server programs run as when edgerun runs as root.
// A nil *account means "run as ourselves".
type account struct {
	name   string
	uid    uint32
	gid    uint32
	groups []uint32 // supplementary groups, including gid
	home   string   // the server programs' HOME
}

// ownership is what traversal checks need to know about a directory.
type ownership struct {
	uid, gid uint32
	mode     fs.FileMode
}

// canSearch reports whether a directory with the given owner and mode lets the account
// traverse it, following the POSIX rule that only the first matching class (owner, group,
// others) counts.
func (a *account) canSearch(o ownership) bool {
	switch {
	case o.uid == a.uid:
		return o.mode&0o100 != 0
	case slices.Contains(a.groups, o.gid):
		return o.mode&0o010 != 0
	default:
		return o.mode&0o001 != 0
	}
}

// checkTraversable makes sure the account can reach dir: every directory from / down to
// dir must be searchable by it. The first one that is not is named in the error, since the
// server's own message ("could not change directory") would not say which one.
func checkTraversable(dir string, a *account, stat func(string) (ownership, error)) error {
	var chain []string
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		chain = append(chain, d)
		if parent := filepath.Dir(d); parent == d {
			break
		}
	}
	slices.Reverse(chain)
	for _, d := range chain {
		o, err := stat(d)
		if err != nil {
			return fmt.Errorf("localpg: %w", err)
		}
		if !a.canSearch(o) {
			return fmt.Errorf("localpg: directory %s (mode %04o, owner uid %d) is not accessible to the %q user that runs PostgreSQL, because PostgreSQL refuses to run as root: make it traversable (chmod o+x %s) or choose a data directory elsewhere",
				d, o.mode.Perm(), o.uid, a.name, d)
		}
	}
	return nil
}

// mkdirAllTracked is os.MkdirAll that reports the directories it created, outermost first,
// so that their permissions may be fixed without touching directories the user made.
func mkdirAllTracked(dir string, perm fs.FileMode) ([]string, error) {
	var missing []string
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil {
			break
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		missing = append(missing, d)
		if parent := filepath.Dir(d); parent == d {
			break
		}
	}
	slices.Reverse(missing)
	var created []string
	for _, d := range missing {
		if err := os.Mkdir(d, perm); err != nil && !errors.Is(err, fs.ErrExist) {
			return created, err
		}
		created = append(created, d)
	}
	return created, nil
}

// chownTree hands every file under dir that is not already the account's to it.
func chownTree(dir string, a *account) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) { // WAL segments come and go under a running server
				return nil
			}
			return err
		}
		info, err := d.Info()
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if o, ok := ownerOf(info); ok && o.uid == a.uid && o.gid == a.gid {
			return nil
		}
		if err := os.Lchown(path, int(a.uid), int(a.gid)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	})
}

func statOwnership(path string) (ownership, error) {
	info, err := os.Stat(path)
	if err != nil {
		return ownership{}, err
	}
	o, ok := ownerOf(info)
	if !ok {
		return ownership{}, fmt.Errorf("no owner information for %s", path)
	}
	return o, nil
}
