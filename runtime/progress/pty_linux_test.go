package progress

import (
	"bufio"
	"os"
	"strconv"
	"testing"

	"golang.org/x/sys/unix"
)

// openPty returns the two ends of a new pseudo-terminal (Linux's /dev/ptmx).
func openPty(t *testing.T) (controller, terminal *os.File) {
	t.Helper()
	controller, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("no pseudo-terminals here: %v", err)
	}
	t.Cleanup(func() { controller.Close() })
	if err := unix.IoctlSetPointerInt(int(controller.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(controller.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	terminal, err = os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { terminal.Close() })
	return controller, terminal
}

// TestNewSeesATerminal: on a real pseudo-terminal New rewrites one line, cut to the
// terminal's width.
func TestNewSeesATerminal(t *testing.T) {
	controller, terminal := openPty(t)
	if err := unix.IoctlSetWinsize(int(terminal.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Col: 20, Row: 5}); err != nil {
		t.Fatal(err)
	}
	l := New(terminal)
	if !l.Terminal() || !IsTerminal(terminal) {
		t.Fatal("a pseudo-terminal is not taken for a terminal")
	}
	l.Step("postgres", 1, 4, "initdb /a/long/data/directory")
	l.Done("ready")
	got, err := bufio.NewReader(controller).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	// The terminal's line discipline turns "\n" into "\r\n".
	if want := "\r\x1b[Kpostgres: 1/4 init…\r\x1b[Kready\r\n"; got != want {
		t.Errorf("the terminal got %q, want %q", got, want)
	}
}
