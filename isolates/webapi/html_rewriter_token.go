package webapi

import (
	"bytes"
	"strings"
)

// What handlers read and change of a token (html_rewriter_engine.go): a
// start tag's attributes, kept as their source text until changed, and how
// a changed start tag is written (as lol-html writes it: "<" name, each
// attribute as it came or as name="value", "/>" when it was self-closing);
// doctypes' name and identifiers.

// parseAttrs reads the attributes of a start tag from its source text,
// keeping duplicates and raw values (workerd does not decode entities).
func (t *hrToken) parseAttrs() {
	if t.attrsParsed {
		return
	}
	t.attrsParsed = true
	raw := t.raw
	i := 1 + len(t.rawName)
	end := len(raw)
	if end > 0 && raw[end-1] == '>' {
		end--
	}
	var attrs []hrAttr
	for i < end {
		c := raw[i]
		if isTagSpace(c) || c == '/' {
			i++
			continue
		}
		start := i
		i++ // a first '=' belongs to the name
		for i < end && !isTagSpace(raw[i]) && raw[i] != '/' && raw[i] != '=' {
			i++
		}
		name := string(raw[start:i])
		j := i
		for j < end && isTagSpace(raw[j]) {
			j++
		}
		value, valueEnd := "", i
		if j < end && raw[j] == '=' {
			j++
			for j < end && isTagSpace(raw[j]) {
				j++
			}
			if j < end && (raw[j] == '"' || raw[j] == '\'') {
				q := raw[j]
				k := bytes.IndexByte(raw[j+1:end], q)
				if k < 0 {
					value, valueEnd = string(raw[j+1:end]), end
				} else {
					value, valueEnd = string(raw[j+1:j+1+k]), j+2+k
				}
			} else {
				k := j
				for k < end && !isTagSpace(raw[k]) {
					k++
				}
				// A self-closing tag's '/' is not the value's when the
				// tokenizer says the tag closes itself (<a href=x/>).
				if t.selfClosing && k == end && k > j && raw[k-1] == '/' {
					k--
				}
				value, valueEnd = string(raw[j:k]), k
			}
			i = valueEnd
		}
		attrs = append(attrs, hrAttr{name: name, lname: strings.ToLower(name), value: value, raw: raw[start:valueEnd]})
	}
	t.el.info.attrs = attrs
}

func (t *hrToken) attrs() []hrAttr {
	t.parseAttrs()
	return t.el.info.attrs
}

func (t *hrToken) findAttr(name string) int {
	name = strings.ToLower(name)
	for i, a := range t.attrs() {
		if a.lname == name {
			return i
		}
	}
	return -1
}

// attrNameError is lol-html's complaint about an attribute name, or "".
func attrNameError(name string) string {
	if name == "" {
		return "Attribute name can't be empty."
	}
	for i := 0; i < len(name); i++ {
		switch c := name[i]; c {
		case ' ', '\n', '\r', '\t', '\f', '/', '>', '=':
			return "`" + string(c) + "` character is forbidden in the attribute name"
		}
	}
	return ""
}

// tagNameError is lol-html's complaint about a tag name, or "".
func tagNameError(name string) string {
	if name == "" {
		return "Tag name can't be empty."
	}
	if c := name[0]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
		return "The first character of the tag name should be an ASCII alphabetical character."
	}
	for i := 0; i < len(name); i++ {
		switch c := name[i]; c {
		case ' ', '\n', '\r', '\t', '\f', '/', '>':
			return "`" + string(c) + "` character is forbidden in the tag name"
		}
	}
	return ""
}

func (t *hrToken) setAttr(name, value string) {
	attrs := t.attrs()
	t.modified = true
	if i := t.findAttr(name); i >= 0 {
		attrs[i].value, attrs[i].raw = value, nil
		return
	}
	t.el.info.attrs = append(attrs, hrAttr{name: name, lname: strings.ToLower(name), value: value})
}

func (t *hrToken) removeAttr(name string) {
	if i := t.findAttr(name); i >= 0 {
		attrs := t.attrs()
		t.el.info.attrs = append(attrs[:i:i], attrs[i+1:]...)
		t.modified = true
	}
}

// serializeStart writes a changed start tag.
func (t *hrToken) serializeStart() []byte {
	var b bytes.Buffer
	b.WriteByte('<')
	if t.newName != "" {
		b.WriteString(t.newName)
	} else {
		b.WriteString(t.rawName)
	}
	attrs := t.attrs()
	for _, a := range attrs {
		b.WriteByte(' ')
		if a.raw != nil {
			b.Write(a.raw)
			continue
		}
		b.WriteString(a.name)
		b.WriteString(`="`)
		b.WriteString(strings.ReplaceAll(a.value, `"`, "&quot;"))
		b.WriteByte('"')
	}
	if t.selfClosing {
		if len(attrs) > 0 {
			b.WriteByte(' ')
		}
		b.WriteString("/>")
	} else {
		b.WriteByte('>')
	}
	return b.Bytes()
}

// escapeHTMLText is content inserted as text: &, < and > escaped (quotes
// are not, as in lol-html).
func escapeHTMLText(s string) []byte {
	var b bytes.Buffer
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		default:
			b.WriteByte(c)
		}
	}
	return b.Bytes()
}

// parseDoctype reads a doctype's name, public and system identifiers
// (nil when absent), as the HTML tokenizer does.
func parseDoctype(raw []byte) [3]*string {
	var out [3]*string
	s := string(raw)
	if len(s) < len("<!doctype") {
		return out
	}
	s = strings.TrimSuffix(s[len("<!doctype"):], ">")
	i := 0
	skip := func() {
		for i < len(s) && isTagSpace(s[i]) {
			i++
		}
	}
	skip()
	start := i
	for i < len(s) && !isTagSpace(s[i]) {
		i++
	}
	if i > start {
		name := strings.ToLower(s[start:i])
		out[0] = &name
	}
	skip()
	quoted := func() *string {
		skip()
		if i >= len(s) || s[i] != '"' && s[i] != '\'' {
			return nil
		}
		q := s[i]
		i++
		j := strings.IndexByte(s[i:], q)
		var v string
		if j < 0 {
			v, i = s[i:], len(s)
		} else {
			v, i = s[i:i+j], i+j+1
		}
		return &v
	}
	if i+6 <= len(s) {
		switch strings.ToLower(s[i : i+6]) {
		case "public":
			i += 6
			out[1] = quoted()
			out[2] = quoted()
		case "system":
			i += 6
			out[2] = quoted()
		}
	}
	return out
}
