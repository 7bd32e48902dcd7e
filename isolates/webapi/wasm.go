package webapi

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// WebAssembly runs on wazero (pure Go: its compiler on amd64 and arm64, its
// interpreter elsewhere). One wazero runtime serves the process: a module
// is compiled once (by its bytes' hash) and instantiated in each isolate
// that asks, so the modules a bundle imports cost their compilation once,
// not per isolate. Instances belong to the JavaScript objects that hold
// them and are closed when those are collected (wasm_instance.go).
//
// As on Workers, compiling from bytes is allowed only while the script's
// top-level code runs; in a handler WebAssembly.Module(bytes), compile and
// instantiate(bytes) throw workerd's CompileError "Wasm code generation
// disallowed by embedder". The modules a bundle imports (import m from
// "./x.wasm") are compiled whenever they are first evaluated.

// wasmEngine is the process's wazero runtime and its compiled modules.
var wasmEngine struct {
	once sync.Once
	rt   wazero.Runtime

	mu sync.Mutex
	// byHash: compiled modules by the sha256 of their bytes; byText the
	// bundle's modules by the base64 literal the bundle carries (the same
	// string in every isolate, so its lookup compares one pointer).
	byHash map[[32]byte]*wasmCompiled
	byText map[string]*wasmCompiled
	order  [][32]byte // byHash's keys, oldest first
	bytes  int        // the binaries byHash holds
}

// wasmCacheBytes bounds the binaries kept compiled (a dev server rebuilding
// a bundle that embeds a changing module must not keep every version).
const wasmCacheBytes = 256 << 20

// wasmCompiled is one compiled module.
type wasmCompiled struct {
	compiled wazero.CompiledModule
	info     *wasmInfo
	size     int
}

func wasmRuntime() wazero.Runtime {
	wasmEngine.once.Do(func() {
		// CloseOnContextDone makes compiled code check, in every loop and
		// call, whether the call's context is done: that is how the CPU
		// limit stops a wasm function (see Isolate.InterruptContext).
		cfg := wazero.NewRuntimeConfig().WithCloseOnContextDone(true).
			WithCoreFeatures(api.CoreFeaturesV2)
		wasmEngine.rt = wazero.NewRuntimeWithConfig(context.Background(), cfg)
		wasmEngine.byHash = make(map[[32]byte]*wasmCompiled)
		wasmEngine.byText = make(map[string]*wasmCompiled)
	})
	return wasmEngine.rt
}

// wasmCompile compiles bin (or finds it compiled). bin is not kept.
func wasmCompile(bin []byte) (*wasmCompiled, error) {
	rt := wasmRuntime()
	key := sha256.Sum256(bin)
	e := &wasmEngine
	e.mu.Lock()
	c := e.byHash[key]
	e.mu.Unlock()
	if c != nil {
		return c, nil
	}
	compiled, err := rt.CompileModule(context.Background(), bin)
	if err != nil {
		return nil, err
	}
	info, err := parseWasm(bin)
	if err != nil {
		_ = compiled.Close(context.Background())
		return nil, err
	}
	c = &wasmCompiled{compiled: compiled, info: info, size: len(bin)}
	e.mu.Lock()
	defer e.mu.Unlock()
	if old := e.byHash[key]; old != nil { // compiled meanwhile elsewhere
		_ = compiled.Close(context.Background())
		return old, nil
	}
	e.byHash[key] = c
	e.order = append(e.order, key)
	e.bytes += c.size
	for e.bytes > wasmCacheBytes && len(e.order) > 1 {
		// Forget the oldest: instances of it keep running (wazero lets a
		// compiled module be closed under its instances), and a module
		// object still holding it can instantiate it again.
		k := e.order[0]
		e.order = e.order[1:]
		old := e.byHash[k]
		if old == nil {
			continue
		}
		e.bytes -= old.size
		delete(e.byHash, k)
		for t, v := range e.byText {
			if v == old {
				delete(e.byText, t)
			}
		}
	}
	return c, nil
}

// wasmCompileText is wasmCompile for a bundle's module, given as the
// base64 text the bundle embeds.
func wasmCompileText(text string) (*wasmCompiled, error) {
	wasmRuntime()
	e := &wasmEngine
	e.mu.Lock()
	c := e.byText[text]
	e.mu.Unlock()
	if c != nil {
		return c, nil
	}
	bin, err := base64.StdEncoding.DecodeString(text)
	if err != nil {
		return nil, err
	}
	if c, err = wasmCompile(bin); err != nil {
		return nil, err
	}
	e.mu.Lock()
	if len(e.byText) > 1024 {
		clear(e.byText)
	}
	e.byText[text] = c
	e.mu.Unlock()
	return c, nil
}

// WasmValidate compiles bin and reports why it is not a valid module, or
// nil. The bundler calls it for the .wasm files a bundle imports, so a bad
// one fails the build; the compiled module is kept for the isolates, and
// its bytes (as the bundle carries them, base64) become one of the modules
// a handler may load: outside the top-level code only those compile, as on
// Workers, whatever else a script passes to the bundle's hook.
func WasmValidate(bin []byte) error {
	if _, err := wasmCompile(bin); err != nil {
		return err
	}
	bundledWasm.Store(sha256.Sum256([]byte(base64.StdEncoding.EncodeToString(bin))), struct{}{})
	return nil
}

// bundledWasm holds the SHA-256 of the base64 text of every module a bundle
// imports (WasmValidate).
var bundledWasm sync.Map

// wasmIsBundled reports whether text is a module some bundle imports.
func wasmIsBundled(text string) bool {
	_, ok := bundledWasm.Load(sha256.Sum256([]byte(text)))
	return ok
}

// wasmCompileMessage is V8's wording for wazero's compile errors, as far as
// they correspond: V8 names the byte offset and the section; wazero's text
// follows the prefix.
func wasmCompileMessage(who string, err error) string {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "invalid ")
	return fmt.Sprintf("%s: %s", who, msg)
}

// wasmTrapMessage maps a wazero trap to V8's RuntimeError message.
func wasmTrapMessage(err error) (string, bool) {
	msg := err.Error()
	first, _, _ := strings.Cut(msg, "\n")
	first = strings.TrimSuffix(first, " (recovered by wazero)")
	if !strings.HasPrefix(first, "wasm error: ") {
		return "", false
	}
	switch strings.TrimPrefix(first, "wasm error: ") {
	case "unreachable":
		return "unreachable", true
	case "integer divide by zero":
		return "divide by zero", true
	case "integer overflow":
		return "divide result unrepresentable", true
	case "invalid conversion to integer":
		return "float unrepresentable in integer range", true
	case "out of bounds memory access":
		return "memory access out of bounds", true
	case "invalid table access":
		return "table index is out of bounds", true
	case "indirect call type mismatch":
		return "null function or function signature mismatch", true
	case "stack overflow":
		return "Maximum call stack size exceeded", true
	}
	return strings.TrimPrefix(first, "wasm error: "), true
}

var errWasmDisallowed = errors.New("Wasm code generation disallowed by embedder")
