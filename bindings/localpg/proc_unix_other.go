//go:build unix && !linux

package localpg

import "syscall"

// setParentDeathSignal does nothing outside Linux: a server left behind by a crash is
// reused by the next Start.
func setParentDeathSignal(*syscall.SysProcAttr) {}

func isPostgresProcess(int) bool { return true }
