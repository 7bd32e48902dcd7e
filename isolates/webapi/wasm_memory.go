package webapi

import (
	"context"
	"math"
	"unsafe"
	"weak"

	"github.com/dop251/goja"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"

	"edgerun/isolates"
)

// wasmPage is WebAssembly's page size.
const wasmPage = 64 << 10

// wasmAllocator backs an instance's linear memory with bytes charged to
// its isolate's budget for ArrayBuffers (the memory is the script's, as an
// ArrayBuffer is), so a module that grows its memory past memory_mb gets
// -1 from memory.grow, as an engine out of memory answers. It holds its
// isolate weakly: a memory outliving its isolate has nothing to give back.
type wasmAllocator struct {
	iso     weak.Pointer[isolates.Isolate]
	prepaid int64 // charged before instantiation (the memory's initial size)
}

func (a *wasmAllocator) Allocate(capacity, max uint64) experimental.LinearMemory {
	m := &wasmLinearMemory{iso: a.iso, max: max, charged: a.prepaid}
	a.prepaid = 0
	return m
}

type wasmLinearMemory struct {
	iso     weak.Pointer[isolates.Isolate]
	buf     []byte
	max     uint64
	charged int64 // bytes of buf's capacity counted against the isolate
}

func (m *wasmLinearMemory) Reallocate(size uint64) []byte {
	if size > m.max {
		return nil
	}
	if size <= uint64(cap(m.buf)) {
		m.buf = m.buf[:size]
		return m.buf
	}
	// Grow by a quarter at least, so a module that grows a page at a time
	// does not copy its memory each time.
	capacity := min(max(size, uint64(cap(m.buf))+uint64(cap(m.buf))/4), m.max)
	capacity = (capacity + wasmPage - 1) / wasmPage * wasmPage
	if more := int64(capacity) - m.charged; more > 0 {
		iso := m.iso.Value()
		if iso != nil && !iso.ChargeBuffer(more) {
			capacity = size // try without the spare room
			more = int64(capacity) - m.charged
			if more > 0 && !iso.ChargeBuffer(more) {
				return nil
			}
		}
		m.charged += max(more, 0)
	}
	nb := make([]byte, size, capacity)
	copy(nb, m.buf)
	m.buf = nb
	return m.buf
}

func (m *wasmLinearMemory) Free() {
	if iso := m.iso.Value(); iso != nil && m.charged > 0 {
		iso.UnchargeBuffer(m.charged)
	}
	m.charged = 0
	m.buf = nil
}

// release gives back the prepaid bytes when instantiation failed before
// the memory was made (or the module had none).
func (a *wasmAllocator) release() {
	if a == nil || a.prepaid == 0 {
		return
	}
	if iso := a.iso.Value(); iso != nil {
		iso.UnchargeBuffer(a.prepaid)
	}
	a.prepaid = 0
}

// allocatorContext is ctx with an allocator for one instantiation, with
// the initial memory of pages already charged; false when that does not fit.
func (st *wasmIsolate) allocatorContext(ctx context.Context, pages uint32) (context.Context, *wasmAllocator, bool) {
	a := &wasmAllocator{iso: weak.Make(st.w.iso)}
	if n := int64(pages) * wasmPage; n > 0 {
		if !st.w.iso.ChargeBuffer(n) {
			return ctx, nil, false
		}
		a.prepaid = n
	}
	return experimental.WithMemoryAllocator(ctx, a), a, true
}

// wasmMemory is a WebAssembly.Memory: an instance's exported memory, or
// the memory of a module edgerun generated for new WebAssembly.Memory.
type wasmMemory struct {
	mem  api.Memory
	inst *wasmInstance // keeps the instance owning mem open
	// buf is the ArrayBuffer scripts got, over data; when the memory has
	// grown (data moved or lengthened) it is detached and replaced, as an
	// engine detaches a grown memory's buffer.
	buf  goja.ArrayBuffer
	data []byte
	obj  *goja.Object // the Memory object
}

// buffer is the memory's ArrayBuffer, made anew when the memory grew.
func (st *wasmIsolate) buffer(m *wasmMemory) goja.ArrayBuffer {
	data, _ := m.mem.Read(0, m.mem.Size())
	if data == nil {
		data = []byte{}
	}
	if m.data != nil && len(data) == len(m.data) && unsafe.SliceData(data) == unsafe.SliceData(m.data) {
		return m.buf
	}
	if m.data != nil {
		m.buf.Detach()
	}
	m.data = data
	m.buf = st.w.vm.NewArrayBuffer(data)
	return m.buf
}

// refresh detaches a buffer handed out before the memory grew.
func (st *wasmIsolate) refresh(m *wasmMemory) {
	if m.data != nil && uint64(len(m.data)) != uint64(m.mem.Size()) {
		st.buffer(m)
	}
}

// wasmGlobal is a WebAssembly.Global.
type wasmGlobal struct {
	g       api.Global
	typ     wasmValType
	mutable bool
	inst    *wasmInstance
}

func (st *wasmIsolate) globalValue(g *wasmGlobal) goja.Value {
	return st.fromWasm(g.g.Get(), g.typ)
}

// newMemory makes the module behind new WebAssembly.Memory(desc).
func (st *wasmIsolate) newMemory(initial, maximum uint32) *wasmMemory {
	inst := st.instantiateGenerated(wasmMemoryModule(initial, maximum), initial)
	return &wasmMemory{mem: inst.mod.ExportedMemory("memory"), inst: inst}
}

// newGlobal makes the module behind new WebAssembly.Global(desc, value).
func (st *wasmIsolate) newGlobal(t wasmValType, mutable bool, bits uint64) *wasmGlobal {
	inst := st.instantiateGenerated(wasmGlobalModule(t, mutable, bits), 0)
	return &wasmGlobal{g: inst.mod.ExportedGlobal("global"), typ: t, mutable: mutable, inst: inst}
}

// f32bits and back, for globals' and functions' f32 values.
func f32bits(f float64) uint64 { return uint64(math.Float32bits(float32(f))) }
