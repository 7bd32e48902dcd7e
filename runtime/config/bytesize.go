package config

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

var byteUnits = map[string]float64{
	"":    1,
	"b":   1,
	"kb":  1e3,
	"mb":  1e6,
	"gb":  1e9,
	"tb":  1e12,
	"kib": 1 << 10,
	"mib": 1 << 20,
	"gib": 1 << 30,
	"tib": 1 << 40,
}

// ParseByteSize reads a size such as "64MiB", "512KB", "1.5 GiB" or "1024".
// Units are case-insensitive; KB/MB/GB/TB are decimal (1000ⁿ) and
// KiB/MiB/GiB/TiB binary (1024ⁿ), as their names say. A fractional result is
// rounded down to whole bytes.
func ParseByteSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := 0
	for i < len(t) && (t[i] >= '0' && t[i] <= '9' || t[i] == '.') {
		i++
	}
	num, unit := t[:i], strings.ToLower(strings.TrimSpace(t[i:]))
	mult, ok := byteUnits[unit]
	if num == "" || !ok {
		return 0, fmt.Errorf("invalid byte size %q (want a number with an optional unit: B, KB, KiB, MB, MiB, GB, GiB, TB, TiB)", s)
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, fmt.Errorf("invalid byte size %q", s)
	}
	n := math.Floor(f * mult)
	if n >= math.MaxInt64 {
		return 0, fmt.Errorf("byte size %q is too large", s)
	}
	return int64(n), nil
}

// byteSize reads a size given as an integer or as a ParseByteSize string.
// The result is at least 1.
func (d *decoder) byteSize(p keyPath, v any) (int64, bool) {
	var n int64
	switch t := v.(type) {
	case string:
		parsed, err := ParseByteSize(t)
		if err != nil {
			d.errorf(p, "%q: %v.", p.String(), err)
			return 0, false
		}
		n = parsed
	case int64, float64:
		parsed, ok := d.integer(p, v)
		if !ok {
			return 0, false
		}
		n = parsed
	default:
		d.typeError(p, `number or size string (like "64MiB")`, v)
		return 0, false
	}
	if n < 1 {
		d.errorf(p, "%q must be at least 1 byte, got %s.", p.String(), jsonish(v))
		return 0, false
	}
	return n, true
}
