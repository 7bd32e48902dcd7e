package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// parseJSONC decodes a wrangler.json or wrangler.jsonc file. wrangler reads
// both with a JSONC parser (comments and trailing commas allowed), and so do
// we: comments and trailing commas are blanked out in place, so every byte
// offset — and so every line — of the remaining JSON is the original's.
func parseJSONC(file string, src []byte) (*document, error) {
	clean, err := stripJSONC(src)
	if err != nil {
		var cerr *jsoncError
		if errors.As(err, &cerr) {
			line, col := lineCol(src, cerr.offset)
			return nil, &Error{File: file, Line: line, Col: col, Message: cerr.msg, Err: err}
		}
		return nil, &Error{File: file, Message: err.Error(), Err: err}
	}
	p := &jsonParser{src: clean, dec: json.NewDecoder(bytes.NewReader(clean)), lines: map[string]int{}}
	p.dec.UseNumber()
	root, err := p.document()
	if err != nil {
		var serr *json.SyntaxError
		if errors.As(err, &serr) {
			line, col := lineCol(src, int(serr.Offset))
			return nil, &Error{File: file, Line: line, Col: col, Message: "invalid JSON: " + serr.Error(), Err: err}
		}
		var nerr notObjectError
		if errors.As(err, &nerr) {
			return nil, &Error{File: file, Line: p.lines[""], Message: err.Error(), Err: err}
		}
		line, col := lineCol(src, int(p.dec.InputOffset()))
		return nil, &Error{File: file, Line: line, Col: col, Message: err.Error(), Err: err}
	}
	return &document{file: file, root: root, lines: p.lines}, nil
}

type jsoncError struct {
	offset int
	msg    string
}

func (e *jsoncError) Error() string { return e.msg }

// stripJSONC returns a copy of src with // and /* */ comments and trailing
// commas replaced by spaces (newlines kept), and a leading BOM blanked.
func stripJSONC(src []byte) ([]byte, error) {
	out := bytes.Clone(src)
	if bytes.HasPrefix(out, []byte("\xef\xbb\xbf")) {
		copy(out, "   ")
	}
	lastComma := -1 // offset of a comma not yet followed by a value
	for i := 0; i < len(out); i++ {
		switch c := out[i]; c {
		case '"':
			lastComma = -1
			i++
			for i < len(out) && out[i] != '"' && out[i] != '\n' {
				if out[i] == '\\' {
					i++
				}
				i++
			}
			// An unterminated string is left for encoding/json to report.
		case '/':
			switch {
			case i+1 < len(out) && out[i+1] == '/':
				for i < len(out) && out[i] != '\n' {
					out[i] = ' '
					i++
				}
			case i+1 < len(out) && out[i+1] == '*':
				start := i
				end := bytes.Index(out[i+2:], []byte("*/"))
				if end < 0 {
					return nil, &jsoncError{offset: start, msg: "unterminated /* comment"}
				}
				end += i + 2 + 2
				for ; i < end; i++ {
					if out[i] != '\n' && out[i] != '\r' {
						out[i] = ' '
					}
				}
				i--
			default:
				lastComma = -1
			}
		case ',':
			lastComma = i
		case '}', ']':
			if lastComma >= 0 {
				out[lastComma] = ' '
			}
			lastComma = -1
		case ' ', '\t', '\n', '\r':
		default:
			lastComma = -1
		}
	}
	return out, nil
}

// lineCol converts a byte offset into a 1-based line and column.
func lineCol(src []byte, offset int) (line, col int) {
	offset = max(0, min(offset, len(src)))
	before := src[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = offset - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}

// jsonParser builds the value tree with encoding/json's tokenizer and
// records the line of every key and array element on the way.
type jsonParser struct {
	src   []byte
	dec   *json.Decoder
	lines map[string]int
	depth int
}

// maxJSONDepth bounds nesting so a hostile file cannot exhaust the stack.
const maxJSONDepth = 1000

// startLine is the line of the next token: the decoder's offset sits after
// the previous token, before any separator and blanks.
func (p *jsonParser) startLine() int {
	off := int(p.dec.InputOffset())
	for off < len(p.src) && strings.IndexByte(" \t\r\n,:", p.src[off]) >= 0 {
		off++
	}
	line, _ := lineCol(p.src, off)
	return line
}

func (p *jsonParser) document() (map[string]any, error) {
	p.lines[""] = p.startLine()
	v, err := p.value(nil)
	if err != nil {
		return nil, err
	}
	if _, err := p.dec.Token(); err != io.EOF {
		if err != nil {
			return nil, err
		}
		return nil, errors.New("invalid JSON: unexpected data after the top-level object")
	}
	root, ok := v.(map[string]any)
	if !ok {
		return nil, notObjectError{describe(v)}
	}
	return root, nil
}

// notObjectError is a document whose top-level value is not an object.
type notObjectError struct{ got string }

func (e notObjectError) Error() string {
	return "the configuration must be a JSON object, not " + e.got
}

func (p *jsonParser) value(path keyPath) (any, error) {
	tok, err := p.dec.Token()
	if err != nil {
		if err == io.EOF {
			return nil, errors.New("invalid JSON: unexpected end of input")
		}
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if p.depth++; p.depth > maxJSONDepth {
			return nil, errors.New("invalid JSON: nested too deeply")
		}
		defer func() { p.depth-- }()
		if t == '{' {
			return p.object(path)
		}
		return p.array(path)
	case json.Number:
		return jsonNumber(t)
	default: // string, bool, nil
		return t, nil
	}
}

func (p *jsonParser) object(path keyPath) (map[string]any, error) {
	obj := map[string]any{}
	for p.dec.More() {
		line := p.startLine()
		tok, err := p.dec.Token()
		if err != nil {
			return nil, err
		}
		key, ok := tok.(string)
		if !ok {
			return nil, fmt.Errorf("invalid JSON: object key must be a string")
		}
		kp := path.child(key)
		p.lines[kp.mapKey()] = line // a repeated key: the last one wins, as in JSON.parse
		v, err := p.value(kp)
		if err != nil {
			return nil, err
		}
		obj[key] = v
	}
	_, err := p.dec.Token() // '}'
	return obj, err
}

func (p *jsonParser) array(path keyPath) ([]any, error) {
	arr := []any{}
	for n := 0; p.dec.More(); n++ {
		ep := path.index(n)
		p.lines[ep.mapKey()] = p.startLine()
		v, err := p.value(ep)
		if err != nil {
			return nil, err
		}
		arr = append(arr, v)
	}
	_, err := p.dec.Token() // ']'
	return arr, err
}

// jsonNumber keeps integers exact (int64) and everything else as float64,
// matching what the TOML decoder produces.
func jsonNumber(n json.Number) (any, error) {
	if !strings.ContainsAny(string(n), ".eE") {
		if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
			return i, nil
		}
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil {
		return nil, fmt.Errorf("invalid JSON number %s", n)
	}
	return f, nil
}
