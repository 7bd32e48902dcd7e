//go:build !unix

package localpg

import (
	"context"
	"io/fs"
	"syscall"
)

// Outside unix there is no root to step down from, no process groups and no flock; the
// server runs as ourselves.

func serverAccount() (*account, error)                 { return nil, nil }
func toolAttr(*account) *syscall.SysProcAttr           { return nil }
func serverAttr(*account) *syscall.SysProcAttr         { return nil }
func ownerOf(fs.FileInfo) (ownership, bool)            { return ownership{}, false }
func processAlive(int) bool                            { return true } // cannot tell; the connection check decides
func isPostgresProcess(int) bool                       { return true }
func lockFile(context.Context, string) (func(), error) { return func() {}, nil }
