package bundle

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/dop251/goja"
	"github.com/dop251/goja/file"
	"github.com/dop251/goja/parser"
	"github.com/go-sourcemap/sourcemap"
)

// Compile compiles a bundle for goja. name is the script's name in traces.
//
// esbuild accepts some scripts goja's parser does not (an import() with a
// computed specifier, which esbuild leaves as it is): the error is a
// *Error naming the original file, line and column through the bundle's
// inline source map (the bundle's own position when nothing maps there),
// never a panic.
func Compile(name, code string) (prg *goja.Program, err error) {
	defer func() {
		// goja's compiler panics on some inputs rather than returning an
		// error; a bad script must not take the build (or the server) down.
		if r := recover(); r != nil {
			prg, err = nil, &Error{Messages: []Message{{File: name, Text: fmt.Sprintf("goja cannot compile the script: %v", r)}}}
		}
	}()
	ast, code, err := parseRepairingFieldNames(name, code)
	if err != nil {
		return nil, &Error{Messages: []Message{parseMessage(name, code, err)}}
	}
	prg, err = goja.CompileAST(ast, false)
	if err != nil {
		return nil, &Error{Messages: []Message{compileMessage(name, code, err)}}
	}
	return prg, nil
}

// inlineMapsOnly refuses source maps the script names by path or URL: the
// bundle carries its map inline, and compiling must not read other files.
func inlineMapsOnly(string) ([]byte, error) {
	return nil, errors.New("only inline source maps are read")
}

// parseMessage describes goja's parser error: its first error, as the
// ones after it mostly follow from the first.
func parseMessage(name, code string, err error) Message {
	var list parser.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		return located(name, code, list[0].Position.Line, list[0].Position.Column, list[0].Message)
	}
	var one *parser.Error
	if errors.As(err, &one) {
		return located(name, code, one.Position.Line, one.Position.Column, one.Message)
	}
	return Message{File: name, Text: err.Error()}
}

// compileMessage describes goja's compiler error (a syntax error found
// after parsing, such as an invalid assignment target or a duplicate
// declaration).
func compileMessage(name, code string, err error) Message {
	var ce *goja.CompilerError
	var se *goja.CompilerSyntaxError
	var re *goja.CompilerReferenceError
	switch {
	case errors.As(err, &se):
		ce = &se.CompilerError
	case errors.As(err, &re):
		ce = &re.CompilerError
	default:
		return Message{File: name, Text: err.Error()}
	}
	if ce.File == nil {
		return Message{File: name, Text: ce.Message}
	}
	// The compiler's file has no source map when parsing found none; use
	// the bundle position and map it ourselves, as for parse errors.
	p := file.NewFile(name, ce.File.Source(), 1).Position(ce.Offset)
	return located(name, code, p.Line, p.Column, ce.Message)
}

// located is a message at the bundle's line and column (1-based), mapped
// to the original source when the bundle's source map covers it.
func located(name, code string, line, column int, text string) Message {
	if line < 1 || column < 1 {
		// goja lost the position (it reports some errors at offset -1).
		return Message{File: name, Text: text}
	}
	text = withHint(text, code, line, column)
	if src, srcLine, srcColumn, ok := originalPosition(name, code, line, column); ok {
		return Message{File: src, Line: srcLine, Column: srcColumn,
			Text: fmt.Sprintf("%s (%s:%d:%d in the bundle)", text, name, line, column)}
	}
	m := Message{File: name, Line: line, Column: column, Text: text}
	if l := lineAt(code, line); len(l) <= 200 {
		m.Source = l // a minified bundle's line would be too long to quote
	}
	return m
}

// withHint explains the one parse error real projects meet: esbuild
// bundles an import() of a string literal, but leaves one with a computed
// specifier (hono/logger's `await import(name)`) as it is, and goja
// cannot parse import().
func withHint(text, code string, line, column int) string {
	l := lineAt(code, line)
	if column < 1 || column > len(l)+1 {
		return text
	}
	if rest := strings.TrimLeft(l[column-1:], " \t"); strings.HasPrefix(rest, "import") {
		after := strings.TrimLeft(strings.TrimPrefix(rest, "import"), " \t")
		if strings.HasPrefix(after, "(") {
			return text + ": import() with a computed specifier is not supported; import the module statically, or with a string literal the bundler can resolve"
		}
	}
	return text
}

// originalPosition maps a bundle position (1-based line and column)
// through the inline source map on the bundle's last non-empty line.
func originalPosition(name, code string, line, column int) (src string, srcLine, srcColumn int, ok bool) {
	m := inlineSourceMap(name, code)
	if m == nil || line < 1 || column < 1 {
		return "", 0, 0, false
	}
	// Source maps count generated columns from 0, original columns from 0,
	// lines from 1.
	source, _, srcLine, srcColumn, ok := m.Source(line, column-1)
	if !ok || source == "" || srcLine < 1 {
		return "", 0, 0, false
	}
	if u := file.ResolveSourcemapURL(name, source); u != nil {
		source = u.String() // as goja names the file in stack traces
	}
	return source, srcLine, srcColumn + 1, true
}

const inlineMapPrefix = "//# sourceMappingURL=data:application/json;base64,"

// inlineSourceMap is the bundle's inline source map, nil without one (or
// when it does not decode).
func inlineSourceMap(name, code string) *sourcemap.Consumer {
	last := strings.TrimRight(code, " \t\r\n")
	last = last[strings.LastIndexByte(last, '\n')+1:]
	b64, ok := strings.CutPrefix(last, inlineMapPrefix)
	if !ok {
		return nil
	}
	data, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil
	}
	m, err := sourcemap.Parse(name, data)
	if err != nil {
		return nil
	}
	return m
}

// lineAt is the 1-based line of code, "" past its end.
func lineAt(code string, line int) string {
	for i := 1; i < line; i++ {
		nl := strings.IndexByte(code, '\n')
		if nl < 0 {
			return ""
		}
		code = code[nl+1:]
	}
	if nl := strings.IndexByte(code, '\n'); nl >= 0 {
		code = code[:nl]
	}
	return strings.TrimRight(code, "\r")
}
