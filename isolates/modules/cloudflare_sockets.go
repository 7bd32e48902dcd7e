package modules

import (
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/dop251/goja"

	"edgerun/isolates"
	"edgerun/isolates/webapi"
)

// cloudflare:sockets' natives (js/cloudflare/sockets.js builds the Socket
// over them; node:net and node:tls build on that):
//
//	parseAddress(str)                 → [hostname, port], or throws workerd's TypeError
//	connect(host, port, tls, address) → {id, opened}: opened settles when the
//	                                    connection (and, for tls, its handshake) is up
//	read(id, onRead)                  → undefined once started, or the error it could not
//	                                    start with; then onRead(Uint8Array), onRead(null) at
//	                                    the end of the stream, or onRead(undefined, error)
//	write(id, bytes | string)         → undefined once the bytes are queued for the connection,
//	                                    or a Promise settled once they are written when the
//	                                    queue is full (sockets_io.go); a failed write is the
//	                                    next one's rejection
//	drained(id)                       → undefined, or a Promise resolved once the queue is written
//	shutdown(id)                      → Promise: the write side is closed (FIN), reads go on
//	startTls(id, serverName)          → Promise: the connection speaks TLS from now on
//	close(id)                         → closes the connection now
//
// The I/O runs on goroutines of its own (sockets_conn.go) and settles on
// the isolate's loop; the connection belongs to the request that opened it.
func socketsNatives(r *Registry, set NativeSet) {
	st := socketsOf(r)
	iso, vm := r.iso, r.vm
	set("parseAddress", func(c goja.FunctionCall) goja.Value {
		host, port := parseSocketAddress(vm, c.Argument(0).String())
		return vm.ToValue([]any{host, port})
	})
	// enqueue(readable, chunk): a read's chunk onto socket.readable, a byte
	// stream, as it is (webapi.EnqueueBytes).
	set("enqueue", func(c goja.FunctionCall) goja.Value {
		if err := webapi.EnqueueBytes(iso, c.Argument(0), c.Argument(1)); err != nil {
			var ex *goja.Exception
			if errors.As(err, &ex) {
				panic(ex.Value()) // the controller's TypeError, as thrown
			}
			panic(iso.NewError(err.Error()))
		}
		return goja.Undefined()
	})
	set("checkIO", func(goja.FunctionCall) goja.Value {
		if iso.InSetup() {
			panic(iso.NewError(isolates.ErrGlobalScope))
		}
		return goja.Undefined()
	})
	set("connect", func(c goja.FunctionCall) goja.Value {
		if iso.InSetup() {
			panic(iso.NewError(isolates.ErrGlobalScope))
		}
		host := c.Argument(0).String()
		port := c.Argument(1).ToInteger()
		if port < 0 || port > 65535 {
			panic(vm.NewTypeError("Specified address could not be parsed."))
		}
		address := c.Argument(3).String()
		if !validSocketHost(address) {
			panic(vm.NewTypeError("Specified address is empty string, contains unsupported characters or is too long."))
		}
		s, opened := st.connect(iso.Scope(), host, int(port), c.Argument(2).ToBoolean(), address)
		out := vm.NewObject()
		_ = out.Set("id", s.id)
		_ = out.Set("opened", opened)
		return out
	})
	set("read", func(c goja.FunctionCall) goja.Value {
		onRead, ok := goja.AssertFunction(c.Argument(1))
		if !ok {
			panic(vm.NewTypeError("read needs a callback"))
		}
		s, ok := st.byID[c.Argument(0).ToInteger()]
		if !ok {
			return vm.NewTypeError(errSocketClosed)
		}
		if e := st.read(s, onRead); e != nil {
			return e
		}
		return goja.Undefined()
	})
	set("write", func(c goja.FunctionCall) goja.Value {
		s, ok := st.byID[c.Argument(0).ToInteger()]
		if !ok {
			return vm.ToValue(st.closedPromise())
		}
		v := c.Argument(1)
		var data []byte
		switch {
		case iso.IsArrayBuffer(v):
			data = v.Export().(goja.ArrayBuffer).Bytes()
		case iso.IsView(v):
			var err error
			if data, err = isolates.ViewBytes(vm, v); err != nil {
				panic(vm.NewTypeError(errNotBytes))
			}
		default:
			str, ok := v.Export().(string)
			if !ok {
				panic(vm.NewTypeError(errNotBytes))
			}
			data = []byte(str) // UTF-8, as workerd writes a string
		}
		if p := st.write(s, data); p != nil {
			return vm.ToValue(p)
		}
		return goja.Undefined()
	})
	set("drained", func(c goja.FunctionCall) goja.Value {
		if s, ok := st.byID[c.Argument(0).ToInteger()]; ok {
			if p := st.drained(s); p != nil {
				return vm.ToValue(p)
			}
		}
		return goja.Undefined()
	})
	set("shutdown", func(c goja.FunctionCall) goja.Value {
		s, ok := st.byID[c.Argument(0).ToInteger()]
		if !ok {
			return vm.ToValue(st.closedPromise())
		}
		return vm.ToValue(st.shutdown(s))
	})
	set("startTls", func(c goja.FunctionCall) goja.Value {
		s, ok := st.byID[c.Argument(0).ToInteger()]
		if !ok {
			return vm.ToValue(st.closedPromise())
		}
		return vm.ToValue(st.startTLS(s, c.Argument(1).String()))
	})
	set("close", func(c goja.FunctionCall) goja.Value {
		// A socket its request's end has closed already is no longer known.
		if s, ok := st.byID[c.Argument(0).ToInteger()]; ok {
			st.close(s)
		}
		return goja.Undefined()
	})
}

// errNotBytes is workerd's error for a chunk of the wrong type written to
// a byte stream.
const errNotBytes = "This TransformStream is being used as a byte stream, but received an object of non-ArrayBuffer/ArrayBufferView type on its writable side."

// parseSocketAddress splits "host:port" as workerd does: the address is
// read as the authority of a URL ("fake://" + address), so "[::1]:80"
// works and a path, userinfo or bad port is refused with workerd's
// TypeErrors. The hostname keeps IPv6 brackets, as the URL's does.
func parseSocketAddress(vm *goja.Runtime, address string) (string, int) {
	u, err := url.Parse("fake://" + address)
	if err != nil || u.Opaque != "" {
		panic(vm.NewTypeError("Specified address could not be parsed."))
	}
	host := u.Host
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.HasSuffix(host, "]") {
		host = host[:i]
	}
	port := u.Port()
	if strings.HasPrefix(host, "[") != strings.HasSuffix(host, "]") {
		panic(vm.NewTypeError("Specified address could not be parsed."))
	}
	if host == "" {
		panic(vm.NewTypeError("Specified address is missing hostname."))
	}
	if port == "" {
		panic(vm.NewTypeError("Specified address is missing port."))
	}
	n, err := strconv.Atoi(port)
	if err != nil || n > 65535 {
		panic(vm.NewTypeError("Specified address could not be parsed."))
	}
	return host, n
}

// validSocketHost is workerd's isValidHost: a cheap filter on the whole
// "host:port" string (length, characters), not a check that it names
// anything.
func validSocketHost(address string) bool {
	if len(address) == 0 || len(address) > 255 {
		return false
	}
	for i := 0; i < len(address); i++ {
		switch ch := address[i]; {
		case ch == '-' || ch == '.' || ch == '_' || ch == '[' || ch == ']' || ch == ':':
		case ch >= 'a' && ch <= 'z', ch >= 'A' && ch <= 'Z', ch >= '0' && ch <= '9':
		default:
			return false
		}
	}
	return true
}
