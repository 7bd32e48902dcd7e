package hyperdrive

// The JS surface: what a script's env.HYPERDRIVE calls (js/binding.js
// wraps these natives), and the per-isolate state behind it. Isolate
// goroutine only, except what runs inside iso.Async.

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"strconv"
	"sync"

	"github.com/dop251/goja"

	"edgerun/bindings/hyperdrive/sqlscan"
	"edgerun/isolates"
)

//go:embed js/binding.js
var bindingSource string

// bindingProgram is compiled on first use, not at package init: a process
// whose project has no such binding never pays for it.
var bindingProgram = sync.OnceValue(func() *goja.Program { return goja.MustCompile("edgerun:hyperdrive.js", bindingSource, true) })

// Query modes, as the JS shim numbers them.
const (
	modeAll      = 0
	modeFirst    = 1
	modeRun      = 2
	modeRaw      = 3
	modeRawNames = 4 // raw({ columnNames: true })
)

// isolateState is what one isolate holds for this binding.
type isolateState struct {
	handles map[string]goja.Value // prepared statement handles by SQL text
	bind    binder                // bound values → Go
	keyBuf  []byte                // cacheHit's key, reused
}

// Value builds env[Name] for one isolate.
func (b *Binding) Value(iso *isolates.Isolate) (goja.Value, error) {
	vm := iso.Runtime()
	st := &isolateState{handles: make(map[string]goja.Value), bind: newBinder(iso)}
	native := vm.NewObject()
	_ = native.Set("prepare", func(c goja.FunctionCall) goja.Value { return b.jsPrepare(iso, st, c.Argument(0).String()) })
	_ = native.Set("query", func(c goja.FunctionCall) goja.Value { return b.jsQuery(iso, st, c) })
	_ = native.Set("batch", func(c goja.FunctionCall) goja.Value { return b.jsBatch(iso, st, c) })
	_ = native.Set("exec", func(c goja.FunctionCall) goja.Value { return b.jsExec(iso, c.Argument(0).String()) })
	props := vm.NewObject()
	_ = props.Set("connectionString", b.props.ConnectionString)
	_ = props.Set("host", b.props.Host)
	_ = props.Set("port", b.props.Port)
	_ = props.Set("user", b.props.User)
	_ = props.Set("password", b.props.Password)
	_ = props.Set("database", b.props.Database)
	fn, err := vm.RunProgram(bindingProgram())
	if err != nil {
		return nil, err
	}
	f, _ := goja.AssertFunction(fn)
	return f(goja.Undefined(), native, props)
}

func (b *Binding) jsPrepare(iso *isolates.Isolate, st *isolateState, sql string) goja.Value {
	vm := iso.Runtime()
	if h, ok := st.handles[sql]; ok {
		return h
	}
	stmt, err := b.prepare(sql)
	if err != nil {
		panic(iso.ToJSError(err))
	}
	h := vm.NewObject()
	_ = h.Set("handle", vm.NewDynamicObject(statementHandle{stmt}))
	_ = h.Set("arity", stmt.arity)
	if len(st.handles) >= 1024 {
		clear(st.handles)
	}
	st.handles[sql] = h
	return h
}

// statementHandle is what JavaScript holds for a prepared statement: an
// object with no properties. The *statement is reachable from Go only (a
// Go value wrapped by goja's reflection would show scripts its fields and
// methods).
type statementHandle struct{ st *statement }

func (statementHandle) Get(string) goja.Value       { return nil }
func (statementHandle) Set(string, goja.Value) bool { return false }
func (statementHandle) Has(string) bool             { return false }
func (statementHandle) Delete(string) bool          { return false }
func (statementHandle) Keys() []string              { return nil }

func statementOf(v goja.Value) *statement {
	h, _ := v.Export().(statementHandle)
	return h.st
}

func (b *Binding) jsQuery(iso *isolates.Isolate, st *isolateState, c goja.FunctionCall) goja.Value {
	vm := iso.Runtime()
	stmt := statementOf(c.Argument(0))
	mode := int(c.Argument(2).ToInteger())
	noCache := c.Argument(3).ToBoolean()
	column := ""
	if col := c.Argument(4); mode == modeFirst && !goja.IsUndefined(col) {
		column = col.String()
	}
	args, err := st.bind.params(c.Argument(1))
	if err == nil && stmt != nil && len(args) != stmt.arity {
		err = b.arityError(stmt, len(args))
	}
	if err != nil || stmt == nil {
		if err == nil {
			err = errors.New("not a prepared statement")
		}
		return b.rejected(iso, err)
	}
	if !noCache {
		if hit, ok := b.cacheHit(b.resolvedNow(stmt), args, &st.keyBuf); ok {
			if o := b.cfg.Observer; o != nil {
				o.Query(b.cfg.Name, "read", "cached", "cache", 0)
			}
			p, resolve, reject := vm.NewPromise()
			if v, err := b.settle(iso, hit, mode, column); err != nil {
				iso.Check(reject(iso.ToJSError(err)))
			} else {
				iso.Check(resolve(v))
			}
			return vm.ToValue(p)
		}
	}
	scope := iso.Scope()
	return vm.ToValue(iso.Async(func(ctx context.Context) func(*goja.Runtime) (goja.Value, error) {
		r, err := b.execute(ctx, stmt, args, scope, noCache)
		return func(vm *goja.Runtime) (goja.Value, error) {
			if err != nil {
				return nil, err
			}
			return b.settle(iso, r, mode, column)
		}
	}))
}

// settle is a statement's answer as JavaScript sees it: first(column)'s
// value, or the mode's result.
func (b *Binding) settle(iso *isolates.Isolate, r *result, mode int, column string) (goja.Value, error) {
	var v goja.Value
	var err error
	if column != "" {
		v, err = r.firstColumn(iso, column)
	} else {
		v, err = r.toJS(iso, mode)
	}
	var ex *goja.Exception
	if err != nil && !errors.As(err, &ex) { // a JS exception (from JSON.parse) stays as it is
		return nil, b.wrapError(err, -1) // "Column not found" gets its code
	}
	return v, err
}

func (b *Binding) rejected(iso *isolates.Isolate, err error) goja.Value {
	var he *Error
	if !errors.As(err, &he) {
		he = &Error{Binding: b.cfg.Name, Message: b.redact(err.Error()), Index: -1, Err: err}
		var coded *codedError
		if errors.As(err, &coded) {
			he.Code = coded.code
		}
	}
	return iso.Runtime().ToValue(iso.Rejected(he)) // *Error is an isolates.JSError: its fields reach JS
}

func (b *Binding) jsBatch(iso *isolates.Isolate, st *isolateState, c goja.FunctionCall) goja.Value {
	vm := iso.Runtime()
	handles := c.Argument(0).ToObject(vm)
	params := c.Argument(1).ToObject(vm)
	length := lengthOf(handles)
	if length < 0 || length > maxBatch {
		return b.rejected(iso, fmt.Errorf("batch(statements): %d statements; at most %d", length, maxBatch))
	}
	n := int(length)
	stmts := make([]*statement, n)
	args := make([][]any, n)
	for i := range n {
		stmts[i] = statementOf(handles.Get(strconv.Itoa(i)))
		a, err := st.bind.params(params.Get(strconv.Itoa(i)))
		if err == nil && stmts[i] == nil {
			err = errors.New("batch(statements): every element must come from prepare()")
		}
		if err == nil && len(a) != stmts[i].arity {
			err = b.arityError(stmts[i], len(a))
		}
		if err != nil {
			e := b.wrapError(err, i)
			e.Index = i
			return b.rejected(iso, e)
		}
		args[i] = a
	}
	scope := iso.Scope()
	return vm.ToValue(iso.Async(func(ctx context.Context) func(*goja.Runtime) (goja.Value, error) {
		results, err := b.batch(ctx, stmts, args, scope)
		return func(vm *goja.Runtime) (goja.Value, error) {
			if err != nil {
				return nil, err
			}
			out := make([]any, len(results))
			for i, r := range results {
				v, err := r.toJS(iso, modeAll)
				if err != nil {
					return nil, err
				}
				out[i] = v
			}
			return vm.NewArray(out...), nil
		}
	}))
}

func (b *Binding) jsExec(iso *isolates.Isolate, sql string) goja.Value {
	vm := iso.Runtime()
	count := len(sqlscan.SplitStatements(sql))
	b.markWrote(iso.Scope())
	return vm.ToValue(iso.Async(func(ctx context.Context) func(*goja.Runtime) (goja.Value, error) {
		d, err := b.exec(ctx, sql)
		return func(vm *goja.Runtime) (goja.Value, error) {
			if err != nil {
				return nil, err
			}
			out := vm.NewObject()
			_ = out.Set("count", count)
			_ = out.Set("duration", float64(d.Microseconds())/1000)
			return out, nil
		}
	}))
}
