package webapi

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// The streaming rewriter behind HTMLRewriter. Input arrives in chunks
// (feed); golang.org/x/net/html's Tokenizer finds the tokens (tags,
// text, comments, doctypes, raw text of script/style/textarea/title, CDATA
// in foreign content). A token that no handler wants is copied to the
// output as its raw bytes, so what no handler changed comes out byte for
// byte. A token some handler wants becomes an event (next) that the JS
// side hands to its handlers, which change it through the token methods;
// the next call to next serializes it with its mutations. Nothing but the
// unfinished tail of the input (a tag cut by a chunk boundary) is held.
//
// The Tokenizer reads from an io.Reader and stops for good at the
// reader's error, so each chunk is tokenized by a fresh Tokenizer over
// the held tail plus the chunk, whose reader reports errNeedMore at its
// end: a token during which the reader ran dry is incomplete and waits
// for the next chunk (text is emitted up to a safe point first). Between
// chunks the only tokenizer state that matters is the raw-text element
// the input is inside; a fresh Tokenizer re-enters it from a synthetic
// start tag.

var errNeedMore = errors.New("html rewriter: need more input")

// Event kinds, as js/html-rewriter.js reads them.
const (
	hrEvElement = 1
	hrEvText    = 2
	hrEvComment = 3
	hrEvDoctype = 4
	hrEvEndTag  = 5
	hrEvEnd     = 6
)

// Handler flags of an on() entry.
const (
	hrHasElement  = 1
	hrHasComments = 2
	hrHasText     = 4
	hrHasDoctype  = 8
	hrHasEnd      = 16
)

type hrRewriter struct {
	sels     []*hrSelector
	flags    []int // per selector: hrHas*
	docFlags int   // onDocument handlers' union
	needAttr bool
	ofType   bool

	pending []byte // input not yet consumed (an unfinished token)
	final   bool   // the input has ended
	ended   bool   // the document end was handled
	z       *html.Tokenizer
	src     *needMoreReader
	held    *hrHeld // a token tokenized while its text node's end was queued
	rawTag  string  // raw-text element the input is inside
	inText  bool    // inside a text node (its last chunk not yet sent)
	textFor []int   // the text node's handlers

	root        hrOpen // the document, parent of the top-level elements
	stack       []*hrOpen
	suppress    int   // open elements whose content is removed
	activeText  []int // per selector: open matched elements with a text handler
	activeComms []int

	out []byte

	cur   *hrToken // the token handlers are looking at
	queue []hrToken
}

// hrOpen is an open element.
type hrOpen struct {
	info          hrElemInfo
	ns            string
	children      int
	types         map[string]int
	matched       []int // selectors it matched
	endMut        *hrMutations
	endName       string // set by the tagName setter
	removeContent bool
	endHandler    int // the JS end-tag handler's id, 0 for none
}

type hrMutations struct {
	before, after [][]byte
	replacement   [][]byte
	removed       bool
}

func (m *hrMutations) insertBefore(b []byte) { m.before = append(m.before, b) }
func (m *hrMutations) insertAfter(b []byte)  { m.after = append([][]byte{b}, m.after...) }
func (m *hrMutations) replace(b []byte)      { m.removed = true; m.replacement = [][]byte{b} }

// hrAttr is one attribute of a start tag.
type hrAttr struct {
	name  string // as written
	lname string // lower-case
	value string // raw (entities not decoded), as workerd gives it
	raw   []byte // its source text, nil once changed
}

// hrToken is a token handlers can see and change.
type hrToken struct {
	kind int
	mut  hrMutations
	sels []int // the selectors whose handlers see it

	raw  []byte
	text string // text chunk, comment text
	last bool   // last chunk of its text node

	// start tags
	el          *hrOpen
	rawName     string
	newName     string
	attrsParsed bool
	modified    bool // attributes or name changed: serialize from parts
	selfClosing bool
	canContent  bool
	textSet     bool // comment text set

	// end tags
	endName    string
	endHandler int
	// doctype
	doctype [3]*string
}

type needMoreReader struct {
	r   bytes.Reader
	dry bool
	eof bool // the real end: io.EOF instead of errNeedMore
}

func (r *needMoreReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err == io.EOF {
		r.dry = true
		if !r.eof {
			err = errNeedMore
		}
	}
	return n, err
}

func newHRRewriter(sels []*hrSelector, flags []int, docFlags int) *hrRewriter {
	r := &hrRewriter{sels: sels, flags: flags, docFlags: docFlags}
	r.activeText = make([]int, len(sels))
	r.activeComms = make([]int, len(sels))
	for _, s := range sels {
		r.needAttr = r.needAttr || s.needAttr
		r.ofType = r.ofType || s.ofType
	}
	r.root.ns = nsHTML
	return r
}

const (
	nsHTML   = "http://www.w3.org/1999/xhtml"
	nsSVG    = "http://www.w3.org/2000/svg"
	nsMathML = "http://www.w3.org/1998/Math/MathML"
)

// feed adds a chunk of input (nil with final at the end).
func (r *hrRewriter) feed(chunk []byte, final bool) {
	r.pending = append(r.pending, chunk...)
	r.final = r.final || final
	r.restart()
}

func (r *hrRewriter) restart() {
	src := r.pending
	if r.rawTag != "" {
		src = append([]byte("<"+r.rawTag+">"), r.pending...)
	}
	r.src = &needMoreReader{eof: r.final}
	r.src.r.Reset(src)
	r.z = html.NewTokenizer(r.src)
	if r.rawTag != "" {
		r.z.Next() // the synthetic start tag: the tokenizer is in raw text now
	}
}

// consume drops n bytes of the input (a token's raw bytes).
func (r *hrRewriter) consume(n int) { r.pending = r.pending[n:] }

func (r *hrRewriter) emit(b []byte) {
	if r.suppress == 0 {
		r.out = append(r.out, b...)
	}
}

func (r *hrRewriter) emitAll(bs [][]byte) {
	for _, b := range bs {
		r.emit(b)
	}
}

// take returns the output so far.
func (r *hrRewriter) take() []byte {
	out := r.out
	r.out = nil
	return out
}

// next finishes the current token and returns the next one handlers want;
// nil when the input so far is used up (or the document is done).
func (r *hrRewriter) next() *hrToken {
	if r.cur != nil {
		r.finish(r.cur)
		r.cur = nil
	}
	for {
		if len(r.queue) > 0 {
			t := r.queue[0]
			r.queue = r.queue[1:]
			if len(r.queue) == 0 {
				r.queue = nil
			}
			r.cur = &t
			return r.cur
		}
		if r.ended {
			return nil
		}
		if !r.step() {
			return nil
		}
	}
}

// step tokenizes one token into the queue; false when the input so far is
// used up. It runs only once the queue is empty, so the stack changes a
// tag makes never reach tokens still waiting to be written.
func (r *hrRewriter) step() bool {
	if r.held != nil {
		h := r.held
		r.held = nil
		r.token(h.tt, h.raw)
		return true
	}
	z := r.z
	z.AllowCDATA(r.top().ns != nsHTML)
	tt := z.Next()
	dry := r.src.dry
	if tt == html.ErrorToken {
		if r.final {
			r.finishDocument()
			return true
		}
		return false
	}
	raw := z.Raw()
	if tt == html.TextToken {
		if dry && !r.final {
			// The text may go on in the next chunk: send what is safe
			// and tokenize the rest again with the next chunk.
			n := safeTextEnd(raw)
			if n > 0 {
				r.text(raw[:n])
				r.consume(n)
			}
			r.restart()
			return len(r.queue) > 0
		}
		r.text(raw)
		r.consume(len(raw))
		return true
	}
	if dry && !r.final {
		return false // an unfinished tag, comment or doctype
	}
	raw = bytes.Clone(raw)
	r.consume(len(raw))
	if r.inText {
		// The text node ends here: its last chunk goes first.
		r.endText()
		r.held = &hrHeld{tt, raw}
		return true
	}
	r.token(tt, raw)
	return true
}

type hrHeld struct {
	tt  html.TokenType
	raw []byte
}

func (r *hrRewriter) token(tt html.TokenType, raw []byte) {
	switch tt {
	case html.StartTagToken, html.SelfClosingTagToken:
		r.startTag(raw, tt == html.SelfClosingTagToken)
		return
	}
	r.rawTag = ""
	switch tt {
	case html.EndTagToken:
		r.endTag(raw)
	case html.CommentToken:
		r.comment(raw)
	case html.DoctypeToken:
		r.doctype(raw)
	default:
		r.emit(raw)
	}
}

// safeTextEnd is how much of an unfinished text token can go out now: up
// to its last '<' (which may open a tag), less a UTF-8 sequence cut short.
func safeTextEnd(raw []byte) int {
	n := len(raw)
	if i := bytes.LastIndexByte(raw, '<'); i >= 0 {
		n = i
	}
	// hold back an incomplete UTF-8 sequence
	for k := 1; k <= 3 && k <= n; k++ {
		c := raw[n-k]
		if c < 0x80 {
			break
		}
		if c >= 0xC0 { // a lead byte
			if !utf8.FullRune(raw[n-k : n]) {
				n -= k
			}
			break
		}
	}
	return n
}

func (r *hrRewriter) top() *hrOpen {
	if len(r.stack) == 0 {
		return &r.root
	}
	return r.stack[len(r.stack)-1]
}

// textHandlers lists the selectors whose text handlers see text here.
func (r *hrRewriter) textHandlers() []int {
	var out []int
	for i, n := range r.activeText {
		if n > 0 {
			out = append(out, i)
		}
	}
	return out
}

// text queues a piece of a text node: one chunk per run of text, a '<'
// that opened no tag being a chunk of its own, as lol-html sends them.
func (r *hrRewriter) text(raw []byte) {
	if len(raw) == 0 {
		return
	}
	if !r.inText {
		r.inText = true
		r.textFor = r.textHandlers()
	}
	if len(r.textFor) == 0 && r.docFlags&hrHasText == 0 {
		r.emit(raw)
		return
	}
	if bytes.HasPrefix(raw, []byte("<![CDATA[")) {
		inner := bytes.TrimSuffix(raw[len("<![CDATA["):], []byte("]]>"))
		r.queue = append(r.queue, hrToken{kind: hrEvText, raw: bytes.Clone(raw), text: decodeText(inner), sels: r.textFor})
		return
	}
	for len(raw) > 0 {
		n := bytes.IndexByte(raw, '<')
		switch {
		case n == 0:
			n = 1
		case n < 0:
			n = len(raw)
		}
		piece := bytes.Clone(raw[:n])
		r.queue = append(r.queue, hrToken{kind: hrEvText, raw: piece, text: decodeText(piece), sels: r.textFor})
		raw = raw[n:]
	}
}

// endText ends the text node being read: its last, empty chunk.
func (r *hrRewriter) endText() {
	if !r.inText {
		return
	}
	r.inText = false
	if len(r.textFor) > 0 || r.docFlags&hrHasText != 0 {
		r.queue = append(r.queue, hrToken{kind: hrEvText, last: true, sels: r.textFor})
	}
	r.textFor = nil
}

func decodeText(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

func (r *hrRewriter) finishDocument() {
	// An unfinished tag at the end goes out as it came.
	r.emit(r.pending)
	r.pending = nil
	r.endText()
	r.ended = true
	if r.docFlags&hrHasEnd != 0 {
		r.queue = append(r.queue, hrToken{kind: hrEvEnd})
	}
}

// finish writes a token the handlers have seen, with their changes.
func (r *hrRewriter) finish(t *hrToken) {
	switch t.kind {
	case hrEvElement:
		r.finishStart(t)
		return
	case hrEvEndTag:
		r.finishEnd(t)
		return
	}
	r.emitAll(t.mut.before)
	if t.mut.removed {
		r.emitAll(t.mut.replacement)
	} else {
		switch {
		case t.kind == hrEvComment && t.textSet:
			r.emit([]byte("<!--" + t.text + "-->"))
		case t.kind == hrEvEnd:
		default:
			r.emit(t.raw)
		}
	}
	r.emitAll(t.mut.after)
}

// commentText is a comment's text: between <!-- and -->, or, for a bogus
// comment (<!x>, <?x>, </ x>), between the opening and the '>'.
func commentText(raw []byte) []byte {
	switch {
	case bytes.HasPrefix(raw, []byte("<!--")):
		b := raw[4:]
		for _, end := range []string{"--!>", "-->", "--", "-"} {
			if bytes.HasSuffix(b, []byte(end)) && len(b) >= len(end) {
				if end == "--" || end == "-" {
					break
				}
				return b[:len(b)-len(end)]
			}
		}
		return bytes.TrimSuffix(b, []byte(">"))
	case bytes.HasPrefix(raw, []byte("</")):
		return bytes.TrimSuffix(raw[2:], []byte(">"))
	case len(raw) >= 2:
		return bytes.TrimSuffix(raw[2:], []byte(">"))
	}
	return nil
}

// tagNameOf is the name of a tag from its raw text, as written.
func tagNameOf(raw []byte) string {
	i := 1
	if i < len(raw) && raw[i] == '/' {
		i++
	}
	j := i
	for j < len(raw) && !isTagSpace(raw[j]) && raw[j] != '/' && raw[j] != '>' {
		j++
	}
	return string(raw[i:j])
}

func isTagSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }
