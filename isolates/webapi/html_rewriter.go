package webapi

import (
	"strings"

	"github.com/dop251/goja"

	"edgerun/isolates"
)

// hrMaxPending bounds the input the rewriter holds while a token is cut
// by chunk boundaries (a start tag or comment megabytes long): past it the
// rewrite fails, as lol-html's memory limit makes it fail on workerd.
const hrMaxPending = 8 << 20

// htmlRewriterNatives are html-rewriter.js's: the selector parser and the
// streaming rewriter (html_rewriter_engine.go), which the JS side holds in
// private fields and drives chunk by chunk, handing each event to the
// script's handlers.
func (w *Worker) htmlRewriterNatives(set nativeSet) {
	vm := w.vm
	typeError := func(msg string) { panic(vm.NewTypeError(msg)) }
	rwArg := func(c goja.FunctionCall) *hrRewriter {
		r, ok := isolates.Export(c.Argument(0)).(*hrRewriter)
		if !ok {
			typeError("Illegal invocation")
		}
		return r
	}
	// cur is the token handlers are looking at (the JS side checks that its
	// handler is still running); kinds lists the kinds the call applies to.
	cur := func(c goja.FunctionCall, kinds ...int) *hrToken {
		t := rwArg(c).cur
		if t == nil {
			typeError("This content token is no longer valid. Content tokens are only valid during the execution of the relevant content handler.")
		}
		for _, k := range kinds {
			if t.kind == k {
				return t
			}
		}
		typeError("Illegal invocation")
		return nil
	}
	set("hrParse", func(c goja.FunctionCall) goja.Value {
		sel, err := parseHRSelector(c.Argument(0).String())
		if err != nil {
			typeError("Parser error: " + err.Error())
		}
		return vm.ToValue(sel)
	})
	set("hrNew", func(c goja.FunctionCall) goja.Value {
		var sels []*hrSelector
		var flags []int
		arr := c.Argument(0).ToObject(vm)
		n := int(arr.Get("length").ToInteger())
		for i := 0; i < n; i++ {
			entry := arr.Get(itoa(i)).ToObject(vm)
			sel, ok := isolates.Export(entry.Get("0")).(*hrSelector)
			if !ok {
				typeError("Illegal invocation")
			}
			sels = append(sels, sel)
			flags = append(flags, int(entry.Get("1").ToInteger()))
		}
		return vm.ToValue(newHRRewriter(sels, flags, int(c.Argument(1).ToInteger())))
	})
	set("hrFeed", func(c goja.FunctionCall) goja.Value {
		r := rwArg(c)
		if v := c.Argument(1); goja.IsNull(v) || goja.IsUndefined(v) {
			r.feed(nil, true)
		} else {
			b := w.bytesArg(v)
			if len(r.pending)+len(b) > hrMaxPending {
				typeError("The memory limit has been exceeded.")
			}
			r.feed(b, false)
		}
		return goja.Undefined()
	})
	// hrNext: the next event, as [kind, selectors, text, lastInTextNode]
	// ([5, endTagHandlerID] for an end tag), or null.
	set("hrNext", func(c goja.FunctionCall) goja.Value {
		r := rwArg(c)
		t := r.next()
		if t == nil {
			return goja.Null()
		}
		sels := make([]any, len(t.sels))
		for i, s := range t.sels {
			sels[i] = s
		}
		switch t.kind {
		case hrEvText:
			return vm.NewArray(t.kind, vm.NewArray(sels...), t.text, t.last)
		case hrEvEndTag:
			return vm.NewArray(t.kind, t.endHandler)
		}
		return vm.NewArray(t.kind, vm.NewArray(sels...))
	})
	set("hrTake", func(c goja.FunctionCall) goja.Value {
		out := rwArg(c).take()
		if len(out) == 0 {
			return goja.Null()
		}
		return w.newUint8Array(out)
	})

	// Elements.
	set("hrTagName", func(c goja.FunctionCall) goja.Value {
		t := cur(c, hrEvElement)
		if t.newName != "" {
			return vm.ToValue(strings.ToLower(t.newName))
		}
		return vm.ToValue(t.el.info.name)
	})
	set("hrSetTagName", func(c goja.FunctionCall) goja.Value {
		t := cur(c, hrEvElement)
		name := c.Argument(1).String()
		if msg := tagNameError(name); msg != "" {
			typeError("Parser error: " + msg)
		}
		t.newName, t.modified = name, true
		if t.canContent {
			t.el.endName = name
		}
		return goja.Undefined()
	})
	set("hrNamespace", func(c goja.FunctionCall) goja.Value { return vm.ToValue(cur(c, hrEvElement).el.ns) })
	set("hrAttributes", func(c goja.FunctionCall) goja.Value {
		attrs := cur(c, hrEvElement).attrs()
		out := make([]any, len(attrs))
		for i, a := range attrs {
			out[i] = vm.NewArray(a.lname, a.value)
		}
		return vm.NewArray(out...)
	})
	set("hrGetAttribute", func(c goja.FunctionCall) goja.Value {
		t := cur(c, hrEvElement)
		if i := t.findAttr(c.Argument(1).String()); i >= 0 {
			return vm.ToValue(t.attrs()[i].value)
		}
		return goja.Null()
	})
	set("hrHasAttribute", func(c goja.FunctionCall) goja.Value {
		return vm.ToValue(cur(c, hrEvElement).findAttr(c.Argument(1).String()) >= 0)
	})
	set("hrSetAttribute", func(c goja.FunctionCall) goja.Value {
		t := cur(c, hrEvElement)
		name := c.Argument(1).String()
		if msg := attrNameError(name); msg != "" {
			typeError("Parser error: " + msg)
		}
		t.setAttr(name, c.Argument(2).String())
		return goja.Undefined()
	})
	set("hrRemoveAttribute", func(c goja.FunctionCall) goja.Value {
		cur(c, hrEvElement).removeAttr(c.Argument(1).String())
		return goja.Undefined()
	})
	set("hrOnEndTag", func(c goja.FunctionCall) goja.Value {
		t := cur(c, hrEvElement)
		if !t.canContent {
			typeError("Parser error: No end tag.")
		}
		t.el.endHandler = int(c.Argument(1).ToInteger())
		return goja.Undefined()
	})

	// Every kind: inserting content, removing, replacing.
	set("hrInsert", func(c goja.FunctionCall) goja.Value {
		t := cur(c, hrEvElement, hrEvText, hrEvComment, hrEvEndTag, hrEvEnd)
		where := c.Argument(1).String()
		var content []byte
		if s := c.Argument(2).String(); c.Argument(3).ToBoolean() {
			content = []byte(s)
		} else {
			content = escapeHTMLText(s)
		}
		if t.kind == hrEvElement {
			t.elementInsert(where, content)
			return goja.Undefined()
		}
		switch where {
		case "before", "append":
			t.mut.insertBefore(content)
		case "after":
			t.mut.insertAfter(content)
		case "replace":
			if t.kind != hrEvEnd {
				t.mut.replace(content)
			}
		}
		return goja.Undefined()
	})
	set("hrRemove", func(c goja.FunctionCall) goja.Value {
		t := cur(c, hrEvElement, hrEvText, hrEvComment, hrEvEndTag)
		if t.kind == hrEvElement {
			t.elementRemove(c.Argument(1).ToBoolean())
		} else {
			t.mut.removed = true
		}
		return goja.Undefined()
	})
	set("hrRemoved", func(c goja.FunctionCall) goja.Value {
		return vm.ToValue(cur(c, hrEvElement, hrEvText, hrEvComment).mut.removed)
	})

	// Comments, doctypes, end tags.
	set("hrSetText", func(c goja.FunctionCall) goja.Value {
		t := cur(c, hrEvComment)
		s := c.Argument(1).String()
		if strings.Contains(s, "-->") {
			typeError("Parser error: Comment text shouldn't contain comment closing sequence (`-->`).")
		}
		t.text, t.textSet = s, true
		return goja.Undefined()
	})
	set("hrText", func(c goja.FunctionCall) goja.Value { return vm.ToValue(cur(c, hrEvComment, hrEvText).text) })
	set("hrDoctype", func(c goja.FunctionCall) goja.Value {
		t := cur(c, hrEvDoctype)
		out := make([]any, 3)
		for i, p := range t.doctype {
			if p == nil {
				out[i] = goja.Null()
			} else {
				out[i] = *p
			}
		}
		return vm.NewArray(out...)
	})
	set("hrEndTagName", func(c goja.FunctionCall) goja.Value {
		t := cur(c, hrEvEndTag)
		if t.endName != "" {
			return vm.ToValue(strings.ToLower(t.endName))
		}
		return vm.ToValue(strings.ToLower(tagNameOf(t.raw)))
	})
	set("hrSetEndTagName", func(c goja.FunctionCall) goja.Value {
		t := cur(c, hrEvEndTag)
		name := c.Argument(1).String()
		if msg := tagNameError(name); msg != "" {
			typeError("Parser error: " + msg)
		}
		t.endName = name
		return goja.Undefined()
	})
}

// elementInsert places content around or inside an element, as lol-html
// does: before the start tag; after the end tag (after the start tag for
// an element without content); prepend/setInnerContent right after the
// start tag, append right before the end tag; replace instead of the
// whole element.
func (t *hrToken) elementInsert(where string, content []byte) {
	el := t.el
	endMut := func() *hrMutations {
		if el.endMut == nil {
			el.endMut = &hrMutations{}
		}
		return el.endMut
	}
	switch where {
	case "before":
		t.mut.insertBefore(content)
	case "after":
		if t.canContent {
			endMut().insertAfter(content)
		} else {
			t.mut.insertAfter(content)
		}
	case "prepend":
		if t.canContent {
			t.mut.insertAfter(content)
		}
	case "append":
		if t.canContent {
			endMut().insertBefore(content)
		}
	case "inner":
		if t.canContent {
			t.removeContent()
			t.mut.insertAfter(content)
		}
	case "replace":
		t.mut.replace(content)
		if t.canContent {
			t.removeContent()
			endMut().removed = true
		}
	}
}

func (t *hrToken) removeContent() {
	t.mut.after = nil
	if t.el.endMut != nil {
		t.el.endMut.before = nil
	}
	t.el.removeContent = true
}

// elementRemove removes the element, with its content unless keep.
func (t *hrToken) elementRemove(keep bool) {
	t.mut.removed = true
	if !t.canContent {
		return
	}
	if !keep {
		t.removeContent()
	}
	if t.el.endMut == nil {
		t.el.endMut = &hrMutations{}
	}
	t.el.endMut.removed = true
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}
