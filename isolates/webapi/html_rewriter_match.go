package webapi

import "strings"

// Matching a parsed selector (html_rewriter_selector.go) against an
// element and the open elements above it, right to left, as a streaming
// rewriter can: ancestors are the stack, siblings are counts.

// matches reports whether el (whose ancestors, root first, are anc)
// matches the selector list.
func (sel *hrSelector) matches(anc []*hrElemInfo, el *hrElemInfo) bool {
	for i := range sel.alts {
		c := &sel.alts[i]
		if c.matchAt(len(c.parts)-1, anc, el, len(anc)) {
			return true
		}
	}
	return false
}

// matchAt matches parts[i] against el, which sits at depth d (anc[:d] are
// its ancestors), and the parts left of it against those ancestors.
func (c *hrComplex) matchAt(i int, anc []*hrElemInfo, el *hrElemInfo, d int) bool {
	if !c.parts[i].match(el) {
		return false
	}
	if i == 0 {
		return true
	}
	if c.combs[i-1] == '>' {
		return d > 0 && c.matchAt(i-1, anc, anc[d-1], d-1)
	}
	for q := d - 1; q >= 0; q-- {
		if c.matchAt(i-1, anc, anc[q], q) {
			return true
		}
	}
	return false
}

func (c *hrCompound) match(el *hrElemInfo) bool {
	if c.tag != "" && c.tag != el.name {
		return false
	}
	for _, id := range c.ids {
		if v, ok := el.attr("id"); !ok || v != id {
			return false
		}
	}
	for _, cl := range c.class {
		v, ok := el.attr("class")
		if !ok || !hasWord(v, cl, false) {
			return false
		}
	}
	for i := range c.attrs {
		if !c.attrs[i].match(el) {
			return false
		}
	}
	for _, n := range c.nth {
		pos := el.index
		if n.ofType {
			pos = el.typeIndex
		}
		if !n.matches(pos) {
			return false
		}
	}
	for _, list := range c.not {
		for i := range list {
			if list[i].match(el) {
				return false
			}
		}
	}
	return true
}

func (n hrNth) matches(pos int) bool {
	if n.a == 0 {
		return pos == n.b
	}
	k := pos - n.b
	return k%n.a == 0 && k/n.a >= 0
}

func (el *hrElemInfo) attr(name string) (string, bool) {
	for i := range el.attrs {
		if el.attrs[i].lname == name {
			return el.attrs[i].value, true
		}
	}
	return "", false
}

func (a *hrAttrSel) match(el *hrElemInfo) bool {
	v, ok := el.attr(a.name)
	if !ok {
		return false
	}
	want := a.value
	if a.fold {
		v, want = strings.ToLower(v), strings.ToLower(want)
	}
	switch a.op {
	case 0:
		return true
	case '=':
		return v == want
	case '~':
		return hasWord(v, want, false)
	case '|':
		return v == want || strings.HasPrefix(v, want+"-")
	case '^':
		return want != "" && strings.HasPrefix(v, want)
	case '$':
		return want != "" && strings.HasSuffix(v, want)
	case '*':
		return want != "" && strings.Contains(v, want)
	}
	return false
}

// hasWord reports whether the whitespace-separated list v holds w.
func hasWord(v, w string, _ bool) bool {
	if w == "" {
		return false
	}
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r < 0x80 && isCSSSpace(byte(r)) }) {
		if f == w {
			return true
		}
	}
	return false
}
