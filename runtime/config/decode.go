package config

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// decoder reads typed values out of a document, reporting every mismatch as
// an *Error on the line of the key, in wrangler's words ("Expected "dev.port"
// to be of type number but got "x".").
type decoder struct {
	doc *document
	*problems
}

func (d *decoder) errorf(p keyPath, format string, args ...any) {
	d.errorAt(d.doc.file, d.doc.lineOf(p), format, args...)
}

func (d *decoder) warnf(p keyPath, format string, args ...any) {
	d.warnAt(d.doc.file, d.doc.lineOf(p), format, args...)
}

func (d *decoder) typeError(p keyPath, want string, v any) {
	d.errorf(p, "Expected %q to be of type %s but got %s.", p.String(), want, jsonish(v))
}

// table returns v as a table; ok is false (and an error recorded) otherwise.
func (d *decoder) table(p keyPath, v any) (map[string]any, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		d.typeError(p, "object", v)
	}
	return m, ok
}

func (d *decoder) str(p keyPath, v any) (string, bool) {
	s, ok := v.(string)
	if !ok {
		d.typeError(p, "string", v)
	}
	return s, ok
}

func (d *decoder) boolean(p keyPath, v any) (bool, bool) {
	b, ok := v.(bool)
	if !ok {
		d.typeError(p, "boolean", v)
	}
	return b, ok
}

// integer accepts a TOML/JSON integer, or a float with no fraction (JSON
// writes 8787.0 as easily as 8787, and wrangler only asks for a number).
func (d *decoder) integer(p keyPath, v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case float64:
		if n == math.Trunc(n) && math.Abs(n) < 1<<53 {
			return int64(n), true
		}
		d.errorf(p, "Expected %q to be an integer but got %s.", p.String(), jsonish(v))
		return 0, false
	default:
		d.typeError(p, "number", v)
		return 0, false
	}
}

func (d *decoder) number(p keyPath, v any) (float64, bool) {
	switch n := v.(type) {
	case int64:
		return float64(n), true
	case float64:
		return n, true
	default:
		d.typeError(p, "number", v)
		return 0, false
	}
}

func (d *decoder) stringArray(p keyPath, v any) ([]string, bool) {
	arr, ok := v.([]any)
	if !ok {
		d.errorf(p, "Expected %q to be of type string array but got %s.", p.String(), jsonish(v))
		return nil, false
	}
	out := make([]string, 0, len(arr))
	for i, e := range arr {
		s, ok := e.(string)
		if !ok {
			d.errorf(p.index(i), "Expected %q to be of type string array but got %s.", p.String(), jsonish(v))
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

// intIn reads an integer that must lie in [lo, hi].
func (d *decoder) intIn(p keyPath, v any, lo, hi int64) (int64, bool) {
	n, ok := d.integer(p, v)
	if !ok {
		return 0, false
	}
	if n < lo || n > hi {
		d.errorf(p, "%q must be between %d and %d, got %d.", p.String(), lo, hi, n)
		return 0, false
	}
	return n, true
}

// millis reads a non-negative (or, with positive, > 0) millisecond count.
func (d *decoder) millis(p keyPath, v any, positive bool) (time.Duration, bool) {
	lo := int64(0)
	if positive {
		lo = 1
	}
	n, ok := d.intIn(p, v, lo, math.MaxInt64/int64(time.Millisecond))
	return time.Duration(n) * time.Millisecond, ok
}

// unknownKeys warns about each key of m not in known, in wrangler's words.
func (d *decoder) unknownKeys(p keyPath, m map[string]any, known map[string]bool) {
	where := p.String()
	if where == "" {
		where = "top-level"
	}
	for _, k := range d.sortedKeys(p, m) {
		if !known[k] {
			d.warnf(p.child(k), "Unexpected fields found in %s field: %q", where, k)
		}
	}
}

// sortedKeys returns m's keys in file order (then by name), so that
// warnings and errors come out in a stable, readable order.
func (d *decoder) sortedKeys(p keyPath, m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		li, lj := d.doc.lineOf(p.child(keys[i])), d.doc.lineOf(p.child(keys[j]))
		if li != lj {
			return li < lj
		}
		return keys[i] < keys[j]
	})
	return keys
}

func set(keys ...string) map[string]bool {
	m := make(map[string]bool, len(keys))
	for _, k := range keys {
		m[k] = true
	}
	return m
}

// jsonish renders a value the way wrangler's messages do (JSON.stringify).
func jsonish(v any) string {
	if t, ok := v.(time.Time); ok {
		return fmt.Sprintf("%q", tomlTimeString(t))
	}
	b, err := json.Marshal(redactValue(v))
	if err != nil {
		return fmt.Sprint(v)
	}
	const limit = 120
	if len(b) > limit {
		return string(b[:limit]) + "…"
	}
	return string(b)
}

// redactValue is v with every string that could hold a password redacted
// (connection strings, and anything under a key naming a password): the
// values printed in configuration errors end up in terminals and CI logs.
func redactValue(v any) any {
	switch x := v.(type) {
	case string:
		return RedactConnectionString(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = redactValue(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if s, ok := e.(string); ok && strings.Contains(strings.ToLower(k), "password") && s != "" {
				out[k] = redacted
				continue
			}
			out[k] = redactValue(e)
		}
		return out
	}
	return v
}

// describe names a value's kind for messages.
func describe(v any) string {
	switch v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case int64, float64:
		return "a number"
	case nil:
		return "null"
	default:
		if isDateTime(v) {
			return "a date/time"
		}
		return fmt.Sprintf("a %T", v)
	}
}

// isDateTime reports whether v is a TOML date or time (the toml decoder
// gives all four kinds as time.Time), which wrangler refuses in [vars].
func isDateTime(v any) bool {
	_, ok := v.(time.Time)
	return ok
}

// tomlTimeString writes a TOML date/time back the way it was written: the
// decoder marks local dates and times with special zones.
func tomlTimeString(t time.Time) string {
	switch t.Location().String() {
	case "date-local":
		return t.Format(time.DateOnly)
	case "time-local":
		return t.Format("15:04:05.999999999")
	case "datetime-local":
		return t.Format("2006-01-02T15:04:05.999999999")
	default:
		return t.Format(time.RFC3339Nano)
	}
}
