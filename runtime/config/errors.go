package config

import (
	"errors"
	"fmt"
	"sort"
)

// Error is a problem in a configuration file (or a secrets file beside it)
// that stops loading. Line and Col are 1-based; 0 means unknown.
type Error struct {
	File    string // path as the user would recognise it (as given or as found)
	Line    int
	Col     int
	Message string
	Err     error // underlying error, if any (a parser's, an os error)
}

func (e *Error) Error() string { return location(e.File, e.Line) + e.Message }

func (e *Error) Unwrap() error { return e.Err }

// Warning is a problem that does not stop loading: an unknown key, a key
// edgerun ignores, a binding an environment does not inherit.
type Warning struct {
	File    string
	Line    int // 0 when the warning is about something absent
	Message string
}

func (w Warning) String() string { return location(w.File, w.Line) + w.Message }

// location renders "file:line: ", or "file: " when the line is unknown.
func location(file string, line int) string {
	switch {
	case file == "":
		return ""
	case line <= 0:
		return file + ": "
	default:
		return fmt.Sprintf("%s:%d: ", file, line)
	}
}

// problems collects the errors and warnings of one load, so that a user sees
// every mistake in a file at once rather than one per run.
type problems struct {
	errs     []*Error
	warnings []Warning
}

func (p *problems) errorAt(file string, line int, format string, args ...any) {
	p.errs = append(p.errs, &Error{File: file, Line: line, Message: fmt.Sprintf(format, args...)})
}

func (p *problems) warnAt(file string, line int, format string, args ...any) {
	p.warnings = append(p.warnings, Warning{File: file, Line: line, Message: fmt.Sprintf(format, args...)})
}

// err returns nil, the single *Error, or all of them joined (errors.As still
// finds the first *Error), in file order.
func (p *problems) err() error {
	if len(p.errs) == 0 {
		return nil
	}
	sort.SliceStable(p.errs, func(i, j int) bool {
		a, b := p.errs[i], p.errs[j]
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	if len(p.errs) == 1 {
		return p.errs[0]
	}
	errs := make([]error, len(p.errs))
	for i, e := range p.errs {
		errs[i] = e
	}
	return errors.Join(errs...)
}

// sortedWarnings orders warnings by file and line so output is stable
// although the decoder walks Go maps.
func (p *problems) sortedWarnings() []Warning {
	sort.SliceStable(p.warnings, func(i, j int) bool {
		a, b := p.warnings[i], p.warnings[j]
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	return p.warnings
}
