package assets

import (
	"io/fs"
	"path"
	"path/filepath"
	"strings"
)

// maxLinks bounds the symbolic links followed while resolving one path,
// as the kernel's ELOOP limit does (a loop of links would never end).
const maxLinks = 40

// realPath resolves every symbolic link in rel (a slash path relative to
// the directory) and returns the path of the file it reaches, relative to
// the directory. ok is false when a link leaves the directory (os.Root
// refuses those too), is absolute, loops, or a part of the path is
// missing.
//
// The never-served rules are applied to the real path as well as to the
// requested one: a link "notes.txt -> .dev.vars" inside a project served
// with directory = "." must not hand out the secrets.
func (a *Assets) realPath(rel string) (real string, ok bool) {
	pending := strings.Split(rel, "/")
	var resolved []string
	links := 0
	for len(pending) > 0 {
		part := pending[0]
		pending = pending[1:]
		switch part {
		case "", ".":
			continue
		case "..":
			if len(resolved) == 0 {
				return "", false // above the directory
			}
			resolved = resolved[:len(resolved)-1]
			continue
		}
		candidate := path.Join(append(resolved, part)...)
		fi, err := a.root.Lstat(candidate)
		if err != nil {
			return "", false
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			resolved = append(resolved, part)
			continue
		}
		if links++; links > maxLinks {
			return "", false
		}
		target, err := a.root.Readlink(candidate)
		if err != nil || target == "" || filepath.IsAbs(target) || filepath.VolumeName(target) != "" {
			return "", false
		}
		target = filepath.ToSlash(target)
		if path.IsAbs(target) {
			return "", false
		}
		// The target is relative to the link's directory: resolved stays,
		// and the target's parts come before what was left to resolve.
		pending = append(strings.Split(target, "/"), pending...)
	}
	return path.Join(resolved...), true
}
