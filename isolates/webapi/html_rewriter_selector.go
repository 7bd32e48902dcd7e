package webapi

import "strings"

// The selectors HTMLRewriter accepts: the subset workerd's lol-html
// supports (type, *, #id, .class, the attribute operators with the i and
// s flags, :nth-child/:first-child/:nth-of-type/:first-of-type, :not of
// compound selectors, descendant and child combinators, lists), parsed
// here and matched against the open-element stack a streaming rewriter
// keeps. A selector library such as cascadia matches *html.Node trees
// (parents and siblings); a streaming rewriter has only the stack of open
// elements and each one's sibling counts, and workerd's error messages,
// which scripts see, are lol-html's: both are easier to honour with a
// small parser of our own.

// hrSelector is one parsed selector list.
type hrSelector struct {
	alts     []hrComplex
	needAttr bool // some compound tests attributes, ids or classes
	ofType   bool // some compound counts siblings by type
}

// hrComplex is compound (combinator compound)*, left to right; combs[i]
// joins parts[i] and parts[i+1]: ' ' (descendant) or '>' (child).
type hrComplex struct {
	parts []hrCompound
	combs []byte
}

type hrCompound struct {
	tag   string // lower-case; "" for any
	ids   []string
	class []string
	attrs []hrAttrSel
	nth   []hrNth
	not   [][]hrCompound // each :not(list): matches when no compound of the list matches
}

type hrAttrSel struct {
	name  string // lower-case
	op    byte   // 0 exists, '=', '~', '|', '^', '$', '*'
	value string
	fold  bool // the i flag
}

type hrNth struct {
	ofType bool
	a, b   int
}

// hrElemInfo is what matching reads of an element.
type hrElemInfo struct {
	name      string // lower-case
	attrs     []hrAttr
	index     int // 1-based among its element siblings
	typeIndex int // 1-based among its siblings of the same name
}

type hrSelectorError string

func (e hrSelectorError) Error() string { return string(e) }

const (
	errSelEmpty      = hrSelectorError("The selector is empty.")
	errSelEnd        = hrSelectorError("Unexpected end of selector.")
	errSelToken      = hrSelectorError("Unexpected token in selector.")
	errSelAttrName   = hrSelectorError("Missing attribute name in attribute selector.")
	errSelDangling   = hrSelectorError("Dangling combinator in selector.")
	errSelAttrToken  = hrSelectorError("Unexpected token in the attribute selector.")
	errSelPseudo     = hrSelectorError("Unsupported pseudo-class or pseudo-element in selector.")
	errSelNamespace  = hrSelectorError("Selectors with explicit namespaces are not supported.")
	errSelClassName  = hrSelectorError("Invalid or unescaped class name in selector.")
	errSelNegation   = hrSelectorError("Nested negation in selector.")
	errSelCombinator = "Unsupported combinator `%c` in selector."
)

type selParser struct {
	s   string
	pos int
}

// parseHRSelector parses a selector list, with lol-html's errors.
func parseHRSelector(s string) (*hrSelector, error) {
	p := &selParser{s: s}
	sel := &hrSelector{}
	for {
		c, err := p.complex()
		if err != nil {
			return nil, err
		}
		sel.alts = append(sel.alts, c)
		p.ws()
		if p.eof() {
			break
		}
		if p.peek() != ',' {
			return nil, errSelToken
		}
		p.pos++
	}
	for _, c := range sel.alts {
		for i := range c.parts {
			sel.scan(&c.parts[i])
		}
	}
	return sel, nil
}

func (sel *hrSelector) scan(c *hrCompound) {
	if len(c.ids) > 0 || len(c.class) > 0 || len(c.attrs) > 0 {
		sel.needAttr = true
	}
	for _, n := range c.nth {
		if n.ofType {
			sel.ofType = true
		}
	}
	for _, list := range c.not {
		for i := range list {
			sel.scan(&list[i])
		}
	}
}

func (p *selParser) eof() bool  { return p.pos >= len(p.s) }
func (p *selParser) peek() byte { return p.s[p.pos] }

func isCSSSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

func (p *selParser) ws() bool {
	start := p.pos
	for !p.eof() && isCSSSpace(p.peek()) {
		p.pos++
	}
	return p.pos > start
}

func (p *selParser) complex() (hrComplex, error) {
	var c hrComplex
	p.ws()
	first, err := p.compound(false)
	if err != nil {
		return c, err
	}
	if first == nil {
		return c, errSelEmpty
	}
	c.parts = append(c.parts, *first)
	for {
		space := p.ws()
		if p.eof() || p.peek() == ',' || p.peek() == ')' {
			return c, nil
		}
		comb := byte(' ')
		switch ch := p.peek(); ch {
		case '>':
			comb = '>'
			p.pos++
			p.ws()
		case '+', '~':
			return c, hrSelectorError(strings.Replace(errSelCombinator, "%c", string(ch), 1))
		default:
			if !space {
				return c, errSelToken
			}
		}
		next, err := p.compound(false)
		if err != nil {
			return c, err
		}
		if next == nil {
			if comb == '>' || p.eof() {
				return c, errSelDangling
			}
			if p.peek() == '+' || p.peek() == '~' {
				return c, hrSelectorError(strings.Replace(errSelCombinator, "%c", string(p.peek()), 1))
			}
			return c, errSelDangling
		}
		c.combs = append(c.combs, comb)
		c.parts = append(c.parts, *next)
	}
}

// compound parses one compound selector; nil when none starts here.
func (p *selParser) compound(inNot bool) (*hrCompound, error) {
	c := &hrCompound{}
	any := false
	if !p.eof() {
		switch ch := p.peek(); {
		case ch == '*':
			p.pos++
			any = true
			if !p.eof() && p.peek() == '|' {
				return nil, errSelNamespace
			}
		case ch == '|':
			return nil, errSelNamespace
		case p.identStart():
			name := p.ident()
			if !p.eof() && p.peek() == '|' {
				return nil, errSelNamespace
			}
			c.tag = strings.ToLower(name)
			any = true
		}
	}
	for !p.eof() {
		switch p.peek() {
		case '#':
			p.pos++
			if !p.nameStart() {
				if !any {
					return nil, errSelEmpty
				}
				return nil, errSelToken
			}
			c.ids = append(c.ids, p.name())
		case '.':
			p.pos++
			if p.eof() {
				return nil, errSelEnd
			}
			if !p.identStart() {
				return nil, errSelClassName
			}
			c.class = append(c.class, p.ident())
		case '[':
			p.pos++
			a, err := p.attr()
			if err != nil {
				return nil, err
			}
			c.attrs = append(c.attrs, a)
		case ':':
			if err := p.pseudo(c, inNot); err != nil {
				return nil, err
			}
		default:
			if !any {
				return nil, nil
			}
			return c, nil
		}
		any = true
	}
	if !any {
		return nil, nil
	}
	return c, nil
}

func (p *selParser) attr() (hrAttrSel, error) {
	var a hrAttrSel
	p.ws()
	if p.eof() {
		return a, errSelEnd
	}
	if p.peek() == '|' || p.peek() == '*' {
		return a, errSelNamespace
	}
	if !p.identStart() {
		return a, errSelAttrName
	}
	a.name = strings.ToLower(p.ident())
	if !p.eof() && p.peek() == '|' && (p.pos+1 >= len(p.s) || p.s[p.pos+1] != '=') {
		return a, errSelNamespace
	}
	p.ws()
	if p.eof() {
		return a, errSelEnd
	}
	if p.peek() == ']' {
		p.pos++
		return a, nil
	}
	switch ch := p.peek(); ch {
	case '=':
		a.op = '='
		p.pos++
	case '~', '|', '^', '$', '*':
		if p.pos+1 >= len(p.s) {
			return a, errSelEnd
		}
		if p.s[p.pos+1] != '=' {
			return a, errSelAttrToken
		}
		a.op = ch
		p.pos += 2
	default:
		return a, errSelAttrToken
	}
	p.ws()
	if p.eof() {
		return a, errSelEnd
	}
	switch ch := p.peek(); {
	case ch == '"' || ch == '\'':
		v, ok := p.str()
		if !ok {
			return a, errSelEnd
		}
		a.value = v
	case p.identStart():
		a.value = p.ident()
	case ch == ']':
		return a, errSelEnd
	default:
		return a, errSelAttrToken
	}
	p.ws()
	if p.eof() {
		return a, errSelEnd
	}
	if p.identStart() {
		switch strings.ToLower(p.ident()) {
		case "i":
			a.fold = true
		case "s":
		default:
			return a, errSelToken
		}
		p.ws()
		if p.eof() {
			return a, errSelEnd
		}
	}
	if p.peek() != ']' {
		return a, errSelToken
	}
	p.pos++
	return a, nil
}

func (p *selParser) pseudo(c *hrCompound, inNot bool) error {
	p.pos++ // ':'
	if p.eof() {
		return errSelEnd
	}
	if p.peek() == ':' {
		return errSelPseudo
	}
	if !p.identStart() {
		return errSelPseudo
	}
	name := strings.ToLower(p.ident())
	if p.eof() || p.peek() != '(' {
		switch name {
		case "first-child":
			c.nth = append(c.nth, hrNth{a: 0, b: 1})
		case "first-of-type":
			c.nth = append(c.nth, hrNth{ofType: true, a: 0, b: 1})
		default:
			return errSelPseudo
		}
		return nil
	}
	p.pos++ // '('
	switch name {
	case "nth-child", "nth-of-type":
		end := strings.IndexByte(p.s[p.pos:], ')')
		if end < 0 {
			return errSelEnd
		}
		a, b, ok := parseANB(p.s[p.pos : p.pos+end])
		if !ok {
			return errSelToken
		}
		p.pos += end + 1
		c.nth = append(c.nth, hrNth{ofType: name == "nth-of-type", a: a, b: b})
		return nil
	case "not":
		var list []hrCompound
		for {
			p.ws()
			if !p.eof() && p.peek() == ':' && strings.HasPrefix(strings.ToLower(p.s[p.pos:]), ":not(") && inNot {
				return errSelNegation
			}
			inner, err := p.compound(true)
			if err != nil {
				return err
			}
			if inner == nil {
				if p.eof() {
					return errSelEnd
				}
				return errSelToken
			}
			list = append(list, *inner)
			p.ws()
			if p.eof() {
				return errSelEnd
			}
			switch p.peek() {
			case ',':
				p.pos++
				continue
			case ')':
				p.pos++
				c.not = append(c.not, list)
				return nil
			case '>', '+', '~':
				return errSelPseudo
			default:
				// A descendant combinator inside :not is a combinator
				// lol-html's stack machine cannot negate.
				return errSelPseudo
			}
		}
	}
	return errSelPseudo
}
