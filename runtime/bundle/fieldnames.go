package bundle

import (
	"errors"
	"strings"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"
)

// goja's parser refuses class fields named set, get or async
// (`class C { set = 1 }`: "Unexpected token ="), reading the name as the
// start of an accessor or an async method. Real libraries have such
// fields (Hono's Context has `set = …` and `get = …`). esbuild used to
// lower every class field into constructor code to avoid this, but that
// lowering also turns private `#fields` into WeakMaps, and goja's WeakMap
// costs a weak pointer per lookup: the Hono route ran 15% more
// instructions per request that way (bench/README.md). So the bundle
// keeps native class fields, and these few names are quoted where goja
// stumbles: `"set" = 1` is the same field.

// maxFieldRepairs bounds the re-parses of one bundle: each repair costs a
// whole parse, and a real bundle has a handful of such fields.
const maxFieldRepairs = 32

// misreadFieldNames are the field names goja reads as a keyword.
var misreadFieldNames = []string{"set", "get", "async"}

// parseRepairingFieldNames parses code, quoting the class-field names
// goja's parser misreads. It returns the program and the code it parsed
// (code itself when nothing needed quoting). When the code still does not
// parse, the error is the first parse's, with code as it was, so the error
// points at the script as written.
func parseRepairingFieldNames(name, code string) (*ast.Program, string, error) {
	prg, err := parseBundle(name, code)
	if err == nil {
		return prg, code, nil
	}
	firstErr, repaired := err, code
	for range maxFieldRepairs {
		var ok bool
		if repaired, ok = quoteMisreadField(name, repaired, err); !ok {
			break
		}
		if prg, err = parseBundle(name, repaired); err == nil {
			return prg, repaired, nil
		}
	}
	return nil, code, firstErr
}

func parseBundle(name, code string) (*ast.Program, error) {
	return parser.ParseFile(nil, name, code, 0, parser.WithSourceMapLoader(inlineMapsOnly))
}

// quoteMisreadField quotes the field name before the `=` that err (a goja
// parse error) complains about, when it is one goja misreads. ok is false
// for any other error, so a real syntax error is reported as it is.
func quoteMisreadField(name, code string, err error) (repaired string, ok bool) {
	var list parser.ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		return "", false
	}
	first := list[0]
	if first.Message != "Unexpected token =" || first.Position.Filename != name {
		return "", false
	}
	// goja reports the error at the token after the `=`.
	at := byteOffset(code, first.Position.Line, first.Position.Column)
	if at < 1 || at > len(code) {
		return "", false
	}
	eq := skipSpaceBackward(code, at) - 1
	if eq < 0 || code[eq] != '=' || strings.HasPrefix(code[eq:], "==") || strings.HasPrefix(code[eq:], "=>") {
		return "", false
	}
	end := skipSpaceBackward(code, eq) // just past the name
	for _, field := range misreadFieldNames {
		start := end - len(field)
		if start < 0 || code[start:end] != field || (start > 0 && continuesName(code[start-1])) {
			continue
		}
		quoted := `"` + field + `"`
		// Keep the bundle's columns (and so its source map) where the
		// spaces around the name allow: ` set =` becomes `"set"=`.
		// Only blanks are taken: a line break would move every later line.
		if start > 0 && isBlank(code[start-1]) && end < eq && isBlank(code[end]) {
			return code[:start-1] + quoted + code[end+1:], true
		}
		return code[:start] + quoted + code[end:], true
	}
	return "", false
}

// byteOffset is the offset of a 1-based line and byte column, -1 past the
// end. goja counts both in bytes of the source.
func byteOffset(code string, line, column int) int {
	off := 0
	for i := 1; i < line; i++ {
		nl := strings.IndexByte(code[off:], '\n')
		if nl < 0 {
			return -1
		}
		off += nl + 1
	}
	if column < 1 {
		return -1
	}
	return off + column - 1
}

// skipSpaceBackward is the offset just past the last byte before i that
// is neither white space nor inside a /* */ comment.
func skipSpaceBackward(code string, i int) int {
	for i > 0 {
		switch {
		case isSpace(code[i-1]):
			i--
		case strings.HasSuffix(code[:i], "*/"):
			open := strings.LastIndex(code[:i-2], "/*")
			if open < 0 {
				return i
			}
			i = open
		default:
			return i
		}
	}
	return i
}

func isSpace(c byte) bool { return isBlank(c) || c == '\n' || c == '\r' }

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

// continuesName says whether c before a name makes it part of a longer
// name or a member (`x.set`, `#set`): not a field goja misread.
func continuesName(c byte) bool {
	return c == '_' || c == '$' || c == '#' || c == '.' || c >= 0x80 ||
		'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}
