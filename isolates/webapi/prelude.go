package webapi

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync"

	"github.com/dop251/goja"
	"github.com/dop251/goja/parser"

	"edgerun/isolates"
)

// hostEntries are the prelude's functions the host calls: the prelude
// returns them by these names, and Install keeps each in its Worker field.
var hostEntries = []struct {
	name string
	slot func(w *Worker) *goja.Callable
}{
	{"dispatch", func(w *Worker) *goja.Callable { return &w.dispatch }},
	{"attach", func(w *Worker) *goja.Callable { return &w.attach }},
	{"settled", func(w *Worker) *goja.Callable { return &w.settled }},
	{"scheduled", func(w *Worker) *goja.Callable { return &w.scheduled }},
	{"setHandler", func(w *Worker) *goja.Callable { return &w.setHandler }},
	{"inspect", func(w *Worker) *goja.Callable { return &w.inspect }},
	{"waitUntilFor", func(w *Worker) *goja.Callable { return &w.waitUntil }},
}

//go:embed js/*.js
var jsFiles embed.FS

// preludeName names the prelude's frames in stacks; CleanStack hides them.
const preludeName = "edgerun:prelude.js"

// The prelude is the files of webAPIs in order, as the body of one
// function, compiled once per process and run in every isolate. It is
// assembled (~280 KB) and compiled on first use, not at package init:
// commands that start no isolate (version, build) do not pay for it, and
// Prepare lets a server do both while it does other start-up work.
var preludeSource = sync.OnceValues(func() (string, []preludeFile) { return assemblePrelude(jsFiles, webAPIs, lazyAPIs) })

var preludeProgram = sync.OnceValue(func() *goja.Program { return mustCompilePrelude(preludeSource()) })

// Prepare compiles the prelude now, in the background: call it early in
// start-up so the first isolate does not wait for the compile.
func Prepare() { go preludeProgram() }

// preludeFile is where one file starts in the assembled prelude.
type preludeFile struct {
	name      string
	firstLine int // 1-based line of its first line in the prelude
}

// assemblePrelude concatenates the files of apis (read from fsys's js/)
// into one script that evaluates to function (native, global), which
// defines the globals and returns the hostEntries; lazy's files are left
// out, loaded by the lazyAPI function it ends with (lazy.go).
func assemblePrelude(fsys fs.FS, apis []webAPI, lazy []lazyAPI) (string, []preludeFile) {
	srcs := make([][]byte, len(apis))
	size := 64
	for i, api := range apis {
		src, err := fs.ReadFile(fsys, "js/"+api.file)
		if err != nil {
			panic("webapi: " + err.Error())
		}
		srcs[i] = src
		size += len(src) + 1
	}
	var b strings.Builder
	b.Grow(size + 16*len(hostEntries))
	b.WriteString("(function (native, global) {\n\"use strict\";\n")
	line := 3
	files := make([]preludeFile, 0, len(apis))
	for i, api := range apis {
		src := srcs[i]
		files = append(files, preludeFile{api.file, line})
		b.Write(src)
		if !bytes.HasSuffix(src, []byte("\n")) {
			b.WriteByte('\n')
			line++
		}
		line += bytes.Count(src, []byte("\n"))
	}
	writeLazyLoader(&b, lazy)
	b.WriteString("return {")
	for i, e := range hostEntries {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(" " + e.name)
	}
	b.WriteString(", lazyAPI };\n})")
	return b.String(), files
}

// mustCompilePrelude compiles the prelude, or panics naming the file and
// line of its first error.
func mustCompilePrelude(src string, files []preludeFile) *goja.Program {
	p, err := compilePrelude(src, files)
	if err != nil {
		panic(err)
	}
	return p
}

func compilePrelude(src string, files []preludeFile) (*goja.Program, error) {
	ast, err := parser.ParseFile(nil, preludeName, src, 0)
	if err != nil {
		var list parser.ErrorList
		if errors.As(err, &list) && len(list) > 0 {
			return nil, preludeError(files, list[0].Position.Line, list[0].Position.Column, list[0].Message)
		}
		return nil, fmt.Errorf("webapi: prelude: %w", err)
	}
	p, err := goja.CompileAST(ast, true)
	if err != nil {
		var se *goja.CompilerSyntaxError
		if errors.As(err, &se) && se.File != nil {
			pos := se.File.Position(se.Offset)
			return nil, preludeError(files, pos.Line, pos.Column, se.Message)
		}
		return nil, fmt.Errorf("webapi: prelude: %w", err)
	}
	return p, nil
}

// preludeError names the file and line of line in the prelude.
func preludeError(files []preludeFile, line, column int, msg string) error {
	file, fileLine := preludeLine(files, line)
	return fmt.Errorf("webapi: js/%s:%d:%d: %s", file, fileLine, column, msg)
}

// preludeLine maps a line of the prelude to its file and line there.
func preludeLine(files []preludeFile, line int) (string, int) {
	for i := len(files) - 1; i >= 0; i-- {
		if line >= files[i].firstLine {
			return files[i].name, line - files[i].firstLine + 1
		}
	}
	return "(prelude wrapper)", line
}

// natives builds the Go side the prelude calls as `native.*`: each Web
// API's natives, registered by its Go file.
func (w *Worker) natives() *goja.Object {
	o := w.vm.NewObject()
	set := func(name string, fn func(goja.FunctionCall) goja.Value) { _ = o.Set(name, fn) }
	set("lazyAPI", w.lazyNative)
	for _, api := range webAPIs {
		if api.natives != nil {
			api.natives(w, set)
		}
	}
	return o
}

func (w *Worker) newUint8Array(b []byte) goja.Value { return w.iso.NewUint8Array(b) }

// bytesArg returns the bytes a Uint8Array (or other view / ArrayBuffer)
// refers to, sharing its memory.
func (w *Worker) bytesArg(v goja.Value) []byte {
	if goja.IsUndefined(v) || goja.IsNull(v) {
		return nil
	}
	if ab, ok := isolates.Export(v).(goja.ArrayBuffer); ok {
		return ab.Bytes()
	}
	b, err := isolates.ViewBytes(w.vm, v)
	if err != nil {
		panic(w.vm.NewTypeError("expected an ArrayBuffer or ArrayBufferView"))
	}
	return b
}

func (w *Worker) domException(msg, name string) goja.Value {
	v, err := w.vm.New(w.vm.Get("DOMException"), w.vm.ToValue(msg), w.vm.ToValue(name))
	if err != nil {
		return w.vm.NewTypeError(msg)
	}
	return v
}
