package r2

import (
	"errors"
	"testing"
)

// span never asks for bytes outside the object, and refuses exactly what
// R2 refuses (10039), for any range and size.
func FuzzRangeSpan(f *testing.F) {
	for _, c := range [][4]int64{{0, -1, 0, 10}, {2, 3, 0, 10}, {0, 0, 2, 10}, {10, -1, 0, 10}, {0, -1, 0, 0}, {0, 0, -1, 5}, {8, 50, 0, 10}} {
		f.Add(c[0], c[1], c[2], c[3])
	}
	f.Fuzz(func(t *testing.T, offset, length, suffix, size int64) {
		if size < 0 || size > 1<<50 {
			return
		}
		r := &Range{Offset: offset, Length: length, Suffix: suffix}
		off, n, err := r.span(size)
		if err != nil {
			if !errors.Is(err, ErrRangeNotSatisfiable) {
				t.Fatalf("span(%+v, %d): %v", r, size, err)
			}
			valid := suffix > 0 || suffix == 0 && offset >= 0 && length >= -1 && (offset < size || offset == 0 && size == 0)
			if valid {
				t.Fatalf("span(%+v, %d) refused a range R2 serves", r, size)
			}
			return
		}
		if off < 0 || n < 0 || off+n > size {
			t.Fatalf("span(%+v, %d) = %d+%d, outside the object", r, size, off, n)
		}
		if suffix > 0 && (off+n != size || n != min(suffix, size)) {
			t.Fatalf("suffix %d of %d = %d+%d", suffix, size, off, n)
		}
		if suffix == 0 && (off != offset || length >= 0 && n != min(length, size-offset) || length == -1 && off+n != size) {
			t.Fatalf("span(%+v, %d) = %d+%d", r, size, off, n)
		}
	})
}

// checkParts' answers, in R2's order of checks.
func TestCheckParts(t *testing.T) {
	const M = MinPartBytes
	up := map[int]PartInfo{1: {1, M, "a"}, 2: {2, M, "b"}, 3: {3, 10, "c"}, 4: {4, M + 1, "d"}, 5: {5, 10, "e"}}
	tests := []struct {
		name  string
		parts []Part
		want  error
		order []int
	}{
		{"in order", []Part{{1, "a"}, {2, "b"}, {3, "c"}}, nil, []int{1, 2, 3}},
		{"quoted etags", []Part{{1, `"a"`}, {3, `"c"`}}, nil, []int{1, 3}},
		{"one small part", []Part{{3, "c"}}, nil, []int{3}},
		{"no parts", nil, ErrInvalidPart, nil},
		{"wrong etag", []Part{{1, "b"}}, ErrInvalidPart, nil},
		{"missing part", []Part{{1, "a"}, {9, "z"}}, ErrInvalidPart, nil},
		{"a part twice", []Part{{1, "a"}, {1, "a"}}, ErrInvalidPart, nil},
		{"small part before the last", []Part{{3, "c"}, {1, "a"}}, ErrEntityTooSmall, nil},
		{"sizes differ", []Part{{1, "a"}, {4, "d"}, {5, "e"}}, ErrPartSizes, nil},
		{"last bigger than the rest", []Part{{1, "a"}, {4, "d"}}, ErrPartSizes, nil},
		{"listed out of order, sorted by number", []Part{{2, "b"}, {1, "a"}, {3, "c"}}, nil, []int{1, 2, 3}},
	}
	for _, tc := range tests {
		got, err := checkParts(tc.parts, up)
		if !errors.Is(err, tc.want) || (err == nil) != (tc.want == nil) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
			continue
		}
		for i, n := range tc.order {
			if got[i].Number != n {
				t.Errorf("%s: order = %v, want %v", tc.name, got, tc.order)
				break
			}
		}
	}
}
