package assets

import (
	"io/fs"
	"syscall"
	"time"
)

// changeTime is the inode's change time: unlike the modification time, a
// copy that keeps the old mtime (cp -p, rsync -a) still moves it.
func changeTime(fi fs.FileInfo) time.Time {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return time.Unix(st.Ctim.Sec, st.Ctim.Nsec)
	}
	return time.Time{}
}
