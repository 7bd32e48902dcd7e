package localpg

import (
	"os"
	"strconv"
	"strings"
	"syscall"
)

// setParentDeathSignal asks the kernel to send the server SIGINT (fast shutdown) if edgerun
// dies without stopping it, so a crash or kill -9 does not leave a server behind. The kernel
// sends it when the thread that started the child exits, which is why startServer runs the
// child from a goroutine locked to its thread for the child's whole life.
func setParentDeathSignal(attr *syscall.SysProcAttr) {
	attr.Pdeathsig = syscall.SIGINT
}

// isPostgresProcess guards against a recycled pid in a stale postmaster.pid (common in
// containers, where pids restart low): only a process named postgres counts.
func isPostgresProcess(pid int) bool {
	comm, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/comm")
	if err != nil {
		return true // cannot tell; let the connection check decide
	}
	return strings.TrimSpace(string(comm)) == "postgres"
}
