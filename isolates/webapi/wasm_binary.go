package webapi

import (
	"encoding/binary"
	"errors"
	"math"
)

// What WebAssembly.Module.imports, exports and customSections report, and
// what instantiation needs to build a module's imports, read from the
// binary's sections (wazero's CompiledModule keeps exports in maps, which
// lose their order, and does not describe imported globals or tables).
// The binary has been validated by wazero before this runs.

// wasmValType is a value type's byte in the binary format.
type wasmValType = byte

const (
	wasmI32       wasmValType = 0x7f
	wasmI64       wasmValType = 0x7e
	wasmF32       wasmValType = 0x7d
	wasmF64       wasmValType = 0x7c
	wasmV128      wasmValType = 0x7b
	wasmFuncref   wasmValType = 0x70
	wasmExternref wasmValType = 0x6f
)

// Extern kinds, as the binary numbers them.
const (
	wasmKindFunc byte = iota
	wasmKindTable
	wasmKindMemory
	wasmKindGlobal
	wasmKindTag
)

var wasmKindNames = [...]string{"function", "table", "memory", "global", "tag"}

type wasmFuncType struct{ params, results []wasmValType }

// wasmImport is one entry of the import section.
type wasmImport struct {
	module, name string
	kind         byte
	fn           wasmFuncType // kind function
	global       wasmValType  // kind global
	mutable      bool         // kind global
	min, max     uint32       // kind memory or table; max math.MaxUint32 when none
	elem         wasmValType  // kind table
}

type wasmExport struct {
	name  string
	kind  byte
	index uint32
}

type wasmCustom struct {
	name string
	data []byte
}

// wasmInfo is what the sections say.
type wasmInfo struct {
	imports []wasmImport
	exports []wasmExport
	customs []wasmCustom
	// funcs are the types of every function, imported ones first, by index;
	// globals the types of every global.
	funcs   []wasmFuncType
	globals []wasmValType
	// memMin is the initial pages of the memory the module defines.
	memMin uint32
}

var errWasmBinary = errors.New("malformed section")

type wasmReader struct {
	b   []byte
	err error
}

func (r *wasmReader) byte() byte {
	if len(r.b) == 0 {
		r.err = errWasmBinary
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *wasmReader) u32() uint32 {
	var v uint64
	for shift := 0; shift < 35; shift += 7 {
		c := r.byte()
		v |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			if v > math.MaxUint32 {
				r.err = errWasmBinary
			}
			return uint32(v)
		}
	}
	r.err = errWasmBinary
	return 0
}

func (r *wasmReader) bytes(n uint32) []byte {
	if uint64(n) > uint64(len(r.b)) {
		r.err = errWasmBinary
		r.b = nil
		return nil
	}
	out := r.b[:n]
	r.b = r.b[n:]
	return out
}

func (r *wasmReader) name() string { return string(r.bytes(r.u32())) }

func (r *wasmReader) valTypes() []wasmValType {
	n := r.u32()
	if uint64(n) > uint64(len(r.b)) {
		r.err = errWasmBinary
		return nil
	}
	return append([]wasmValType(nil), r.bytes(n)...)
}

func (r *wasmReader) limits() (min, max uint32) {
	flags := r.byte()
	min, max = r.u32(), math.MaxUint32
	if flags&1 != 0 {
		max = r.u32()
	}
	return min, max
}

// parseWasm reads the sections of a valid module.
func parseWasm(bin []byte) (*wasmInfo, error) {
	if len(bin) < 8 {
		return nil, errWasmBinary
	}
	r := &wasmReader{b: bin[8:]}
	info := &wasmInfo{}
	var types []wasmFuncType
	for len(r.b) > 0 && r.err == nil {
		id := r.byte()
		sec := &wasmReader{b: r.bytes(r.u32())}
		switch id {
		case 0:
			name := sec.name()
			info.customs = append(info.customs, wasmCustom{name, sec.b})
		case 1: // types
			for n := sec.u32(); n > 0 && sec.err == nil; n-- {
				if sec.byte() != 0x60 {
					sec.err = errWasmBinary
					break
				}
				types = append(types, wasmFuncType{sec.valTypes(), sec.valTypes()})
			}
		case 2: // imports
			for n := sec.u32(); n > 0 && sec.err == nil; n-- {
				im := wasmImport{module: sec.name(), name: sec.name(), kind: sec.byte()}
				switch im.kind {
				case wasmKindFunc:
					if t := sec.u32(); int(t) < len(types) {
						im.fn = types[t]
					}
					info.funcs = append(info.funcs, im.fn)
				case wasmKindTable:
					im.elem = sec.byte()
					im.min, im.max = sec.limits()
				case wasmKindMemory:
					im.min, im.max = sec.limits()
				case wasmKindGlobal:
					im.global, im.mutable = sec.byte(), sec.byte() == 1
					info.globals = append(info.globals, im.global)
				case wasmKindTag:
					sec.byte()
					sec.u32()
				default:
					sec.err = errWasmBinary
				}
				info.imports = append(info.imports, im)
			}
		case 3: // functions
			for n := sec.u32(); n > 0 && sec.err == nil; n-- {
				var ft wasmFuncType
				if t := sec.u32(); int(t) < len(types) {
					ft = types[t]
				}
				info.funcs = append(info.funcs, ft)
			}
		case 5: // memories
			if sec.u32() > 0 {
				info.memMin, _ = sec.limits()
			}
		case 7: // exports
			for n := sec.u32(); n > 0 && sec.err == nil; n-- {
				info.exports = append(info.exports, wasmExport{name: sec.name(), kind: sec.byte(), index: sec.u32()})
			}
		}
		if sec.err != nil {
			r.err = sec.err
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	return info, nil
}

// wasmWriter builds the small modules edgerun generates: a memory or a
// global a script makes with new WebAssembly.Memory or Global, and the shim
// that hands a module the memories and globals it imports from JavaScript.
type wasmWriter struct{ b []byte }

func (w *wasmWriter) u32(v uint32) {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v != 0 {
			w.b = append(w.b, c|0x80)
			continue
		}
		w.b = append(w.b, c)
		return
	}
}

// s64 is a signed LEB128.
func (w *wasmWriter) s64(v int64) {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			w.b = append(w.b, c)
			return
		}
		w.b = append(w.b, c|0x80)
	}
}

func (w *wasmWriter) name(s string) { w.u32(uint32(len(s))); w.b = append(w.b, s...) }

func (w *wasmWriter) limits(min, max uint32) {
	if max == math.MaxUint32 {
		w.b = append(w.b, 0)
		w.u32(min)
		return
	}
	w.b = append(w.b, 1)
	w.u32(min)
	w.u32(max)
}

// section appends section id with the body body builds.
func (w *wasmWriter) section(id byte, body func(s *wasmWriter)) {
	s := &wasmWriter{}
	body(s)
	w.b = append(w.b, id)
	w.u32(uint32(len(s.b)))
	w.b = append(w.b, s.b...)
}

func newWasmWriter() *wasmWriter {
	return &wasmWriter{b: []byte{0, 'a', 's', 'm', 1, 0, 0, 0}}
}

// wasmMemoryModule is (module (memory (export "memory") min max)).
func wasmMemoryModule(min, max uint32) []byte {
	w := newWasmWriter()
	w.section(5, func(s *wasmWriter) { s.u32(1); s.limits(min, max) })
	w.section(7, func(s *wasmWriter) { s.u32(1); s.name("memory"); s.b = append(s.b, wasmKindMemory); s.u32(0) })
	return w.b
}

// wasmGlobalModule is (module (global (export "global") (mut? t) (t.const v))),
// v given as its bits.
func wasmGlobalModule(t wasmValType, mutable bool, bits uint64) []byte {
	w := newWasmWriter()
	w.section(6, func(s *wasmWriter) {
		s.u32(1)
		s.b = append(s.b, t)
		if mutable {
			s.b = append(s.b, 1)
		} else {
			s.b = append(s.b, 0)
		}
		switch t {
		case wasmI32:
			s.b = append(s.b, 0x41)
			s.s64(int64(int32(uint32(bits))))
		case wasmI64:
			s.b = append(s.b, 0x42)
			s.s64(int64(bits))
		case wasmF32:
			s.b = append(s.b, 0x43)
			s.b = binary.LittleEndian.AppendUint32(s.b, uint32(bits))
		case wasmF64:
			s.b = append(s.b, 0x44)
			s.b = binary.LittleEndian.AppendUint64(s.b, bits)
		}
		s.b = append(s.b, 0x0b)
	})
	w.section(7, func(s *wasmWriter) { s.u32(1); s.name("global"); s.b = append(s.b, wasmKindGlobal); s.u32(0) })
	return w.b
}
