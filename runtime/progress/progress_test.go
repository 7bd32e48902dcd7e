package progress

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// script drives a Line through one task with a log record in the middle.
func script(l *Line) {
	l.Step("postgres", 1, 2, "initdb")
	l.Write([]byte("[edgerun:info] a log record\n"))
	l.Step("postgres", 2, 2, "starting")
	for n := 1; n <= 500; n++ {
		if n == 1 || n == 250 || n == 500 {
			l.Count("bundling", n, "files")
		}
	}
	l.Done("ready")
	l.Write([]byte("after\n"))
}

func TestPlainLines(t *testing.T) {
	var b bytes.Buffer
	script(NewMode(&b, false))
	want := "postgres: 1/2 initdb\n[edgerun:info] a log record\npostgres: 2/2 starting\nbundling: 250 files\nbundling: 500 files\nready\nafter\n"
	if b.String() != want {
		t.Errorf("plain output:\n%q\nwant\n%q", b.String(), want)
	}
}

func TestTerminalLine(t *testing.T) {
	var b bytes.Buffer
	script(NewMode(&b, true))
	want := "\r\x1b[Kpostgres: 1/2 initdb" +
		"\r\x1b[K[edgerun:info] a log record\npostgres: 1/2 initdb" + // the record, then the line again
		"\r\x1b[Kpostgres: 2/2 starting" +
		"\r\x1b[Kbundling: 1 files\r\x1b[Kbundling: 250 files\r\x1b[Kbundling: 500 files" +
		"\r\x1b[Kready\n" +
		"after\n" // nothing shown: passed through as is
	if b.String() != want {
		t.Errorf("terminal output:\n%q\nwant\n%q", b.String(), want)
	}
}

func TestTerminalLineFitsTheWidth(t *testing.T) {
	var b bytes.Buffer
	l := NewMode(&b, true)
	l.width = func() int { return 12 }
	l.Step("migrations", 3, 10, "003_a_long_name.sql")
	if got, want := b.String(), "\r\x1b[Kmigrations…"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestNilLineReportsNothing(t *testing.T) {
	var l *Line
	l.Step("x", 1, 1, "y")
	l.Count("x", 1, "y")
	l.Done("z")
	if l.Terminal() {
		t.Error("a nil Line is a terminal")
	}
}

func TestNewSeesNoTerminalInAFileOrPipe(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	f, err := os.CreateTemp(t.TempDir(), "log")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, out := range []*os.File{w, f} {
		if l := New(out); l.Terminal() || IsTerminal(out) {
			t.Errorf("%s is taken for a terminal", out.Name())
		}
	}
	var b strings.Builder
	if New(&b).Terminal() {
		t.Error("a strings.Builder is taken for a terminal")
	}
}
