package bundle

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

// GlobalName is the global variable the bundle assigns its exports to.
const GlobalName = "__edgerun_module"

// unsupported are the syntax features goja lacks; esbuild lowers them.
// Class fields stay native: lowering them turns private #fields into
// WeakMaps, slow in goja, and the one field syntax goja misreads
// (`class A { set = 1 }`) is repaired at compile time (fieldnames.go).
var unsupported = map[string]bool{
	"async-generator": false,
	"for-await":       false,
	"decorators":      false,
	"using":           false,
	// goja cannot parse import(): esbuild turns a literal one into the
	// bundled module, and a computed one into a require the wrapper
	// answers at run time (see builtins.go).
	"dynamic-import": false,
}

// Options select what to bundle.
type Options struct {
	// Entry is the worker's main module (absolute, or relative to Dir).
	Entry string
	// Dir is the project directory: source paths in traces are relative to it.
	Dir string
	// Define replaces global identifiers at build time (wrangler's define).
	Define map[string]string
	// Alias maps module specifiers to replacements (wrangler's alias).
	Alias map[string]string
	// JSXFactory and JSXFragment (wrangler's jsx_factory / jsx_fragment);
	// empty = esbuild's React defaults.
	JSXFactory, JSXFragment string
	// TSConfig is the tsconfig.json to use; empty = esbuild's own lookup.
	TSConfig string
	// Minify shrinks the output (wrangler's minify).
	Minify bool
	// Builtins resolves the built-in modules (node:*, cloudflare:*) the
	// project may import; nil resolves none.
	Builtins Resolver
	// BuiltinHint explains an unresolvable bare built-in name; nil adds
	// nothing.
	BuiltinHint Hinter
	// OnFile hears each source file as esbuild reads it (absolute path),
	// for a progress report; esbuild reads files on several goroutines at
	// once. Nil: no report.
	OnFile func(path string)
}

// Result is a built bundle.
type Result struct {
	Code string // the script, ending with its inline source map
	// Inputs are the files the bundle was built from (absolute), for the
	// live-reload watcher.
	Inputs []string
	// Warnings are esbuild's warnings, formatted "file:line:col: text".
	Warnings []string
}

// Message is one build error or warning at a position in a source file.
type Message struct {
	File   string // relative to Options.Dir where possible
	Line   int    // 1-based
	Column int    // 1-based
	Text   string
	Source string // the offending line
}

func (m Message) String() string {
	if m.File == "" {
		return m.Text
	}
	if m.Line == 0 {
		return m.File + ": " + m.Text
	}
	return fmt.Sprintf("%s:%d:%d: %s", m.File, m.Line, m.Column, m.Text)
}

// Error is a failed build: every error esbuild (or goja's compiler) reported.
type Error struct{ Messages []Message }

func (e *Error) Error() string {
	var b strings.Builder
	for i, m := range e.Messages {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("build failed: ")
		b.WriteString(m.String())
		if m.Source != "" {
			fmt.Fprintf(&b, "\n    %s\n    %s^", m.Source, strings.Repeat(" ", max(m.Column-1, 0)))
		}
	}
	return b.String()
}

// Build bundles opts.Entry.
func Build(opts Options) (*Result, error) {
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("bundle: %w", err)
	}
	entry := opts.Entry
	if !filepath.IsAbs(entry) {
		entry = filepath.Join(dir, entry)
	}
	if _, err := os.Stat(entry); err != nil {
		return nil, &Error{Messages: []Message{{Text: fmt.Sprintf("entry point %s: %v", rel(dir, entry), errorsText(err))}}}
	}
	res := api.Build(api.BuildOptions{
		EntryPoints:   []string{entry},
		AbsWorkingDir: dir,
		Outfile:       filepath.Join(dir, "worker.js"), // never written; anchors source paths at Dir
		Bundle:        true,
		Write:         false,
		Format:        api.FormatIIFE,
		GlobalName:    GlobalName,
		Platform:      api.PlatformNeutral,
		MainFields:    []string{"workerd", "worker", "browser", "module", "main"},
		// As wrangler: esbuild adds "import" or "require" by how a module is
		// imported (a require() must get the CommonJS build), and "default".
		Conditions:        []string{"workerd", "worker", "browser"},
		Target:            api.ES2022,
		Supported:         unsupported,
		Sourcemap:         api.SourceMapInline,
		SourcesContent:    api.SourcesContentExclude,
		Define:            opts.Define,
		Alias:             opts.Alias,
		JSXFactory:        opts.JSXFactory,
		JSXFragment:       opts.JSXFragment,
		Tsconfig:          opts.TSConfig,
		MinifyWhitespace:  opts.Minify,
		MinifySyntax:      opts.Minify,
		MinifyIdentifiers: opts.Minify,
		KeepNames:         true,
		Metafile:          true,
		LogLevel:          api.LogLevelSilent,
		Banner:            map[string]string{"js": wrapperHead},
		Footer:            map[string]string{"js": wrapperTail},
		Plugins:           plugins(opts),
		Loader: map[string]api.Loader{
			".txt": api.LoaderText, ".html": api.LoaderText, ".sql": api.LoaderText,
			".bin": api.LoaderBinary, // .wasm: wasmPlugin
		},
	})
	if len(res.Errors) > 0 {
		return nil, &Error{Messages: messages(dir, res.Errors)}
	}
	if len(res.OutputFiles) == 0 {
		return nil, &Error{Messages: []Message{{Text: "esbuild produced no output"}}}
	}
	out := &Result{Code: string(res.OutputFiles[0].Contents)}
	for _, w := range messages(dir, res.Warnings) {
		out.Warnings = append(out.Warnings, w.String())
	}
	out.Inputs = inputs(dir, res.Metafile)
	return out, nil
}

func plugins(opts Options) []api.Plugin {
	resolve := opts.Builtins
	if resolve == nil {
		resolve = func(string) (string, bool, error) { return "", false, nil }
	}
	list := []api.Plugin{builtinsPlugin(resolve, opts.BuiltinHint), wasmPlugin()}
	if opts.OnFile != nil {
		// First: an on-load callback that returns no contents lets the
		// next one (the wasm plugin's) or esbuild's own loader run.
		list = append([]api.Plugin{onFilePlugin(opts.OnFile)}, list...)
	}
	return list
}

func onFilePlugin(onFile func(string)) api.Plugin {
	return api.Plugin{
		Name: "edgerun-progress",
		Setup: func(b api.PluginBuild) {
			b.OnLoad(api.OnLoadOptions{Filter: `.*`, Namespace: "file"}, func(args api.OnLoadArgs) (api.OnLoadResult, error) {
				onFile(args.Path)
				return api.OnLoadResult{}, nil
			})
		},
	}
}

func messages(dir string, in []api.Message) []Message {
	out := make([]Message, 0, len(in))
	for _, m := range in {
		msg := Message{Text: m.Text}
		for _, n := range m.Notes {
			if n.Text != "" {
				msg.Text += ": " + n.Text
			}
		}
		if m.Location != nil {
			msg.File = rel(dir, m.Location.File)
			msg.Line = m.Location.Line
			msg.Column = m.Location.Column + 1
			msg.Source = m.Location.LineText
		}
		out = append(out, msg)
	}
	return out
}

func inputs(dir, metafile string) []string {
	var meta struct {
		Inputs map[string]json.RawMessage `json:"inputs"`
	}
	if json.Unmarshal([]byte(metafile), &meta) != nil {
		return nil
	}
	out := make([]string, 0, len(meta.Inputs))
	for p := range meta.Inputs {
		if strings.Contains(p, ":") && !filepath.IsAbs(p) {
			continue // namespaced virtual modules
		}
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

func rel(dir, p string) string {
	if r, err := filepath.Rel(dir, p); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return p
}
