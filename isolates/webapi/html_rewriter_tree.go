package webapi

import (
	"strings"
)

// The rewriter's view of the document's structure: the stack of open
// elements (void elements and self-closing foreign ones never open; an end
// tag closes the nearest open element of its name and those above it, and
// one that closes nothing is left as it is, as lol-html does), namespaces,
// sibling counts for :nth-child, and which selectors' content handlers see
// what is inside.

var voidElements = map[string]bool{
	"area": true, "base": true, "basefont": true, "bgsound": true, "br": true, "col": true, "embed": true,
	"frame": true, "hr": true, "image": true, "img": true, "input": true, "keygen": true, "link": true,
	"meta": true, "param": true, "source": true, "track": true, "wbr": true,
}

var rawTextElements = map[string]bool{
	"iframe": true, "noembed": true, "noframes": true, "noscript": true, "plaintext": true,
	"script": true, "style": true, "textarea": true, "title": true, "xmp": true,
}

func (r *hrRewriter) startTag(raw []byte, selfClosing bool) {
	rawName := tagNameOf(raw)
	name := strings.ToLower(rawName)
	parent := r.top()
	ns := parent.ns
	switch {
	case name == "svg":
		ns = nsSVG
	case name == "math":
		ns = nsMathML
	case ns == nsSVG && (parent.info.name == "foreignobject" || parent.info.name == "desc" || parent.info.name == "title"):
		ns = nsHTML
	}
	// The tokenizer enters raw text after these start tags (self-closing
	// or not, as HTML ignores the slash on them); not in foreign content.
	r.rawTag = ""
	if rawTextElements[name] {
		if ns == nsHTML {
			r.rawTag = name
		} else {
			r.z.NextIsNotRawText()
		}
	}
	el := &hrOpen{ns: ns}
	el.info.name = name
	parent.children++
	el.info.index = parent.children
	if r.ofType {
		if parent.types == nil {
			parent.types = make(map[string]int)
		}
		parent.types[name]++
		el.info.typeIndex = parent.types[name]
	}
	t := hrToken{kind: hrEvElement, raw: raw, el: el, rawName: rawName, selfClosing: selfClosing}
	t.canContent = !(ns == nsHTML && voidElements[name]) && !(ns != nsHTML && selfClosing)
	if r.needAttr {
		t.parseAttrs()
		el.info.attrs = t.el.info.attrs
	}
	if len(r.sels) > 0 {
		anc := make([]*hrElemInfo, len(r.stack))
		for i, o := range r.stack {
			anc[i] = &o.info
		}
		for i, s := range r.sels {
			if s.matches(anc, &el.info) {
				el.matched = append(el.matched, i)
				if r.flags[i]&hrHasElement != 0 {
					t.sels = append(t.sels, i)
				}
			}
		}
	}
	if len(t.sels) == 0 {
		r.emit(raw)
		r.open(el, t.canContent)
		return
	}
	r.queue = append(r.queue, t)
}

// open pushes an element that can have content on the stack.
func (r *hrRewriter) open(el *hrOpen, canContent bool) {
	if !canContent {
		return
	}
	for _, i := range el.matched {
		if r.flags[i]&hrHasText != 0 {
			r.activeText[i]++
		}
		if r.flags[i]&hrHasComments != 0 {
			r.activeComms[i]++
		}
	}
	r.stack = append(r.stack, el)
	if el.removeContent {
		r.suppress++
	}
}

func (r *hrRewriter) pop() *hrOpen {
	el := r.stack[len(r.stack)-1]
	r.stack = r.stack[:len(r.stack)-1]
	for _, i := range el.matched {
		if r.flags[i]&hrHasText != 0 {
			r.activeText[i]--
		}
		if r.flags[i]&hrHasComments != 0 {
			r.activeComms[i]--
		}
	}
	if el.removeContent {
		r.suppress--
	}
	return el
}

func (r *hrRewriter) finishStart(t *hrToken) {
	r.emitAll(t.mut.before)
	if t.mut.removed {
		r.emitAll(t.mut.replacement)
	} else if t.modified {
		r.emit(t.serializeStart())
	} else {
		r.emit(t.raw)
	}
	r.emitAll(t.mut.after)
	r.open(t.el, t.canContent)
}

func (r *hrRewriter) endTag(raw []byte) {
	name := strings.ToLower(tagNameOf(raw))
	at := -1
	for i := len(r.stack) - 1; i >= 0; i-- {
		if r.stack[i].info.name == name {
			at = i
			break
		}
	}
	if at < 0 {
		r.emit(raw) // closes nothing open
		return
	}
	for len(r.stack) > at+1 {
		r.pop()
	}
	el := r.pop()
	t := hrToken{kind: hrEvEndTag, raw: raw, el: el, endName: el.endName, endHandler: el.endHandler}
	if el.endMut != nil {
		t.mut = *el.endMut
	}
	if el.endHandler == 0 {
		r.finishEnd(&t)
		return
	}
	r.queue = append(r.queue, t)
}

func (r *hrRewriter) finishEnd(t *hrToken) {
	r.emitAll(t.mut.before)
	switch {
	case t.mut.removed:
		r.emitAll(t.mut.replacement)
	case t.endName != "":
		r.emit([]byte("</" + t.endName + ">"))
	default:
		r.emit(t.raw)
	}
	r.emitAll(t.mut.after)
}

func (r *hrRewriter) comment(raw []byte) {
	var sels []int
	for i, n := range r.activeComms {
		if n > 0 {
			sels = append(sels, i)
		}
	}
	if len(sels) == 0 && r.docFlags&hrHasComments == 0 {
		r.emit(raw)
		return
	}
	r.queue = append(r.queue, hrToken{kind: hrEvComment, raw: raw, text: decodeText(commentText(raw)), sels: sels})
}

func (r *hrRewriter) doctype(raw []byte) {
	if r.docFlags&hrHasDoctype == 0 {
		r.emit(raw)
		return
	}
	r.queue = append(r.queue, hrToken{kind: hrEvDoctype, raw: raw, doctype: parseDoctype(raw)})
}
