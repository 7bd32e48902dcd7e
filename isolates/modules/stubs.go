package modules

import (
	"strings"

	"github.com/dop251/goja"
)

// stubs are the Node built-ins Workers provides only as stubs (unenv's
// polyfills under wrangler): drivers and frameworks import them for code
// paths that never run on Workers (pg imports fs, dns, net and tls). Each
// listed function throws unenv's error when called, so what fails fails
// the way it does under wrangler, and a value listed in stubValues is
// there as a constant.
var stubs = map[string][]string{
	"node:child_process": {"ChildProcess", "exec", "execFile", "execFileSync", "execSync", "fork", "spawn", "spawnSync"},
	"node:cluster":       {"Worker", "disconnect", "fork", "setupMaster", "setupPrimary"},
	"node:dgram":         {"Socket", "createSocket"},
	"node:dns": {"Resolver", "getServers", "lookup", "lookupService", "resolve", "resolve4", "resolve6", "resolveAny",
		"resolveCaa", "resolveCname", "resolveMx", "resolveNaptr", "resolveNs", "resolvePtr", "resolveSoa",
		"resolveSrv", "resolveTxt", "reverse", "setDefaultResultOrder", "setServers"},
	"node:dns/promises": {"Resolver", "getServers", "lookup", "lookupService", "resolve", "resolve4", "resolve6",
		"resolveAny", "resolveCname", "resolveMx", "resolveNs", "resolveSrv", "resolveTxt", "reverse", "setServers"},
	"node:domain": {"Domain", "create", "createDomain"},
	"node:fs": {"access", "accessSync", "appendFile", "appendFileSync", "chmod", "chmodSync", "chown", "chownSync",
		"close", "closeSync", "copyFile", "copyFileSync", "createReadStream", "createWriteStream", "exists",
		"existsSync", "fstat", "fstatSync", "lstat", "lstatSync", "mkdir", "mkdirSync", "mkdtemp", "mkdtempSync",
		"open", "openSync", "readdir", "readdirSync", "readFile", "readFileSync", "readlink", "readlinkSync",
		"realpath", "realpathSync", "rename", "renameSync", "rm", "rmSync", "rmdir", "rmdirSync", "stat",
		"statSync", "symlink", "symlinkSync", "unlink", "unlinkSync", "unwatchFile", "watch", "watchFile",
		"write", "writeFile", "writeFileSync", "writeSync"},
	"node:fs/promises": {"access", "appendFile", "chmod", "copyFile", "mkdir", "mkdtemp", "open", "readdir",
		"readFile", "readlink", "realpath", "rename", "rm", "rmdir", "stat", "symlink", "unlink", "writeFile"},
	"node:http": {"Agent", "ClientRequest", "IncomingMessage", "OutgoingMessage", "Server", "ServerResponse",
		"createServer", "get", "request"},
	"node:http2":              {"connect", "createSecureServer", "createServer", "getDefaultSettings"},
	"node:https":              {"Agent", "Server", "createServer", "get", "request"},
	"node:inspector":          {"Session", "close", "open", "url", "waitForDebugger"},
	"node:inspector/promises": {"Session", "close", "open", "url", "waitForDebugger"},
	"node:module":             {"createRequire", "findSourceMap", "register", "syncBuiltinESMExports"},
	"node:os": {"arch", "cpus", "endianness", "freemem", "getPriority", "homedir", "hostname", "loadavg",
		"machine", "networkInterfaces", "platform", "release", "setPriority", "tmpdir", "totalmem", "type",
		"uptime", "userInfo", "version"},
	"node:perf_hooks":        {"createHistogram", "monitorEventLoopDelay"},
	"node:readline":          {"Interface", "clearLine", "clearScreenDown", "createInterface", "cursorTo", "emitKeypressEvents", "moveCursor"},
	"node:readline/promises": {"Interface", "Readline", "createInterface"},
	"node:repl":              {"REPLServer", "start"},
	"node:trace_events":      {"createTracing", "getEnabledCategories"},
	"node:tty":               {"ReadStream", "WriteStream", "isatty"},
	"node:v8": {"cachedDataVersionTag", "deserialize", "getHeapSnapshot", "getHeapSpaceStatistics",
		"getHeapStatistics", "serialize", "setFlagsFromString", "writeHeapSnapshot"},
	"node:vm":             {"Script", "compileFunction", "createContext", "isContext", "runInContext", "runInNewContext", "runInThisContext"},
	"node:wasi":           {"WASI"},
	"node:worker_threads": {"MessageChannel", "MessagePort", "Worker", "markAsUntransferable", "receiveMessageOnPort"},
	"node:console":        {},
	"node:constants":      {},
}

// stubValues are the constants of stubbed modules that code reads at
// import time, with unenv's values.
var stubValues = map[string]map[string]any{
	"node:os":             {"EOL": "\n", "devNull": "/dev/null", "constants": map[string]any{}},
	"node:fs":             {"constants": map[string]any{"F_OK": 0, "R_OK": 4, "W_OK": 2, "X_OK": 1}},
	"node:http":           {"METHODS": []string{"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"}, "STATUS_CODES": map[string]any{}},
	"node:perf_hooks":     {"constants": map[string]any{}},
	"node:worker_threads": {"isMainThread": true, "parentPort": nil, "threadId": 0, "workerData": nil},
}

// notImplemented is a JS function (callable and constructible, as the
// classes it stands for are) that throws an Error with msg.
func (r *Registry) notImplemented(msg string) goja.Value {
	if r.thrower == nil {
		v, err := r.vm.RunString("(function (msg) { return function () { throw new Error(msg); }; })")
		if err != nil {
			panic(err)
		}
		r.thrower, _ = goja.AssertFunction(v)
	}
	f, err := r.thrower(goja.Undefined(), r.vm.ToValue(msg))
	if err != nil {
		panic(err)
	}
	return f
}

// stubExports builds a stubbed module's exports: each function throws
// "[unenv] <module>.<name> is not implemented yet!" when called (or
// constructed).
func (r *Registry) stubExports(id string) goja.Value {
	vm := r.vm
	exports := vm.NewObject()
	short := strings.TrimPrefix(id, "node:")
	for _, name := range stubs[id] {
		msg := "[unenv] " + short + "." + name + " is not implemented yet!"
		_ = exports.Set(name, r.notImplemented(msg))
	}
	for name, v := range stubValues[id] {
		_ = exports.Set(name, vm.ToValue(v))
	}
	switch id {
	case "node:console":
		return vm.Get("console")
	case "node:perf_hooks":
		_ = exports.Set("performance", vm.Get("performance"))
	case "node:fs":
		_ = exports.Set("promises", r.load("node:fs/promises"))
	case "node:dns":
		_ = exports.Set("promises", r.load("node:dns/promises"))
	}
	return exports
}
