// WebAssembly (wasm-impl.js), compiled on a process's first use and run in
// an isolate before its script when the script names it, or when a script
// reaches the global without naming it (lazy.go).
lazyGlobals("wasm", ["WebAssembly"]);
