package config

import (
	"strconv"
	"strings"
)

// keyPath names a value inside a configuration document: table keys and
// array indexes, e.g. hyperdrive[0].caching.max_age. Both parsers record the
// line of every key path they see, so that semantic errors (wrong type, bad
// value) point at the line of the offending key, not just at the file.
type keyPath []string

// child returns p extended by a table key. It always copies: paths are
// stored in maps and must not share a backing array.
func (p keyPath) child(key string) keyPath {
	out := make(keyPath, len(p), len(p)+1)
	copy(out, p)
	return append(out, key)
}

// index returns p extended by an array index.
func (p keyPath) index(i int) keyPath { return p.child("[" + strconv.Itoa(i) + "]") }

// mapKey is p's key in a source's line table. The separator cannot occur in
// a TOML or JSON key that anyone writes, so "a.b" (one quoted key) and a.b
// (two keys) stay distinct.
func (p keyPath) mapKey() string { return strings.Join(p, "\x1f") }

// leaf is the last key of the path.
func (p keyPath) leaf() string { return p[len(p)-1] }

// String renders p for messages the way wrangler names fields:
// env.staging.hyperdrive[0].id.
func (p keyPath) String() string {
	var b strings.Builder
	for i, seg := range p {
		if i > 0 && !strings.HasPrefix(seg, "[") {
			b.WriteByte('.')
		}
		b.WriteString(seg)
	}
	return b.String()
}

// document is one parsed configuration file.
type document struct {
	file  string         // path for messages
	root  map[string]any // values: map[string]any, []any, string, int64, float64, bool, or a TOML date/time
	lines map[string]int // keyPath.mapKey() → 1-based line of the key; "" → first line of the root table
}

// lineOf returns the line of p, or of its nearest recorded ancestor (a value
// inside an inline table or an array sits on or near its parent's line).
func (d *document) lineOf(p keyPath) int {
	for n := len(p); n >= 0; n-- {
		if line, ok := d.lines[p[:n].mapKey()]; ok {
			return line
		}
	}
	return 0
}
