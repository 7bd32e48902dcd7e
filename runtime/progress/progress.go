// Package progress reports long work (the managed PostgreSQL's first
// start, migrations, bundling a large project) as one line: on a terminal
// a line rewritten in place ("\r", then clear to the end of the line),
// elsewhere (a pipe, a CI log, a file) plain lines, one per step, since
// carriage returns there pile up into one unreadable line.
//
// A Line is also the writer the logger writes through, so that a log
// record arriving mid-task clears the progress line, is printed, and the
// line is drawn again under it, instead of the two running into each other.
// A nil *Line reports nothing.
package progress

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/term"
)

// clearLine returns the cursor to the line's start and erases the line.
const clearLine = "\r\x1b[K"

// plainCountEvery is how often Count prints a plain line: counting files
// one line each would bury the log; a large project still shows it moves.
const plainCountEvery = 250

// Line reports a task's progress on w.
type Line struct {
	mu    sync.Mutex
	w     io.Writer
	tty   bool
	width func() int // the terminal's columns; 0 = unknown
	shown string     // what the terminal line shows now ("" = nothing)
}

// New reports on w, rewriting one line when w is a terminal.
func New(w io.Writer) *Line {
	fd, ok := terminalFd(w)
	if !ok {
		return NewMode(w, false)
	}
	l := NewMode(w, true)
	l.width = func() int {
		cols, _, err := term.GetSize(fd)
		if err != nil {
			return 0
		}
		return cols
	}
	return l
}

// NewMode reports on w as on a terminal (tty) or as plain lines, whatever w is.
func NewMode(w io.Writer, tty bool) *Line {
	return &Line{w: w, tty: tty, width: func() int { return 0 }}
}

// IsTerminal reports whether w is a terminal.
func IsTerminal(w io.Writer) bool {
	_, ok := terminalFd(w)
	return ok
}

func terminalFd(w io.Writer) (int, bool) {
	f, ok := w.(interface{ Fd() uintptr })
	if !ok {
		return 0, false
	}
	fd := int(f.Fd())
	return fd, term.IsTerminal(fd)
}

// Terminal reports whether l rewrites one line.
func (l *Line) Terminal() bool { return l != nil && l.tty }

// Step reports step k of n of task: "task: k/n what".
func (l *Line) Step(task string, k, n int, what string) {
	if l == nil {
		return
	}
	l.report(fmt.Sprintf("%s: %d/%d %s", task, k, n, what), true)
}

// Count reports the n-th item of a task whose total is unknown (files
// bundled): on a terminal each time, as plain lines every 250th.
func (l *Line) Count(task string, n int, what string) {
	if l == nil {
		return
	}
	l.report(fmt.Sprintf("%s: %d %s", task, n, what), n%plainCountEvery == 0)
}

// Done ends the task: on a terminal summary replaces the line, which is
// then ended; as plain lines summary is one more. An empty summary only
// clears the terminal line.
func (l *Line) Done(summary string) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.tty {
		if l.shown != "" {
			io.WriteString(l.w, clearLine)
			l.shown = ""
		}
		if summary != "" {
			io.WriteString(l.w, l.fit(summary)+"\n")
		}
		return
	}
	if summary != "" {
		io.WriteString(l.w, summary+"\n")
	}
}

func (l *Line) report(text string, plain bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.tty {
		if plain {
			io.WriteString(l.w, text+"\n")
		}
		return
	}
	l.shown = l.fit(text)
	io.WriteString(l.w, clearLine+l.shown)
}

// Write passes other output (log records) through: on a terminal the
// progress line is cleared first and drawn again after p. Unlike the
// reporting methods it needs a non-nil Line.
func (l *Line) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.tty || l.shown == "" {
		return l.w.Write(p)
	}
	if _, err := io.WriteString(l.w, clearLine); err != nil {
		return 0, err
	}
	n, err := l.w.Write(p)
	if err != nil {
		return n, err
	}
	if len(p) > 0 && p[len(p)-1] != '\n' {
		io.WriteString(l.w, "\n")
	}
	_, err = io.WriteString(l.w, l.shown)
	return n, err
}

// fit cuts text to one column less than the terminal's width (a full line
// wraps on some terminals once the cursor reaches the last column): a line
// that wraps cannot be rewritten by "\r", and would leave a trail of copies.
func (l *Line) fit(text string) string {
	text = strings.ReplaceAll(text, "\n", " ")
	cols := l.width()
	if cols <= 1 || utf8.RuneCountInString(text) < cols {
		return text
	}
	r := []rune(text)
	return string(r[:cols-2]) + "…"
}
