package webapi

import "github.com/dop251/goja"

// dispatchNatives are dispatch.js's: how the prelude answers the host for
// a request — respond(id, status, statusText, flatHeaders, contentType,
// body, finished, manual), fail(id, error, finished), finished(id) — and, for a
// body the script is still writing, respondStream, streamChunk and
// streamEnd (stream_out.go).
func (w *Worker) dispatchNatives(set nativeSet) {
	set("respond", w.nativeRespond)
	set("respondStream", w.nativeRespondStream)
	set("streamChunk", w.nativeStreamChunk)
	set("streamEnd", w.nativeStreamEnd)
	set("fail", w.nativeFail)
	set("finished", w.nativeFinished)
}

func (w *Worker) nativeRespond(c goja.FunctionCall) goja.Value {
	x, ok := w.calls[c.Argument(0).ToInteger()]
	if !ok || x.responded {
		return goja.Undefined()
	}
	resp := &Response{
		Status:     int(c.Argument(1).ToInteger()),
		StatusText: c.Argument(2).String(),
		Headers:    c.Argument(3).String(),
		// encodeBody: "manual"
		EncodeManual: c.Argument(7).ToBoolean(),
	}
	if ct := c.Argument(4); !goja.IsNull(ct) && !goja.IsUndefined(ct) {
		resp.ContentType = ct.String()
	}
	if err := checkHead(resp.Status, resp.StatusText, resp.Headers, resp.ContentType); err != nil {
		x.responded = true
		x.Sink.Respond(nil, err)
		if c.Argument(6).ToBoolean() {
			w.finish(c.Argument(0).ToInteger())
		}
		return goja.Undefined()
	}
	switch b := c.Argument(5); {
	case goja.IsNull(b) || goja.IsUndefined(b):
	case isString(b):
		resp.Body = []byte(b.String())
	default:
		resp.Body = append([]byte(nil), w.bytesArg(b)...)
	}
	x.responded = true
	x.Sink.Respond(resp, nil)
	if c.Argument(6).ToBoolean() {
		w.finish(c.Argument(0).ToInteger())
	}
	return goja.Undefined()
}

func isString(v goja.Value) bool {
	_, ok := v.(goja.String)
	return ok
}

func (w *Worker) nativeFail(c goja.FunctionCall) goja.Value {
	x, ok := w.calls[c.Argument(0).ToInteger()]
	if !ok || x.responded {
		return goja.Undefined()
	}
	err := w.jsError(c.Argument(1)) // may be interrupted: x stays unanswered for the isolate's retirement to answer
	x.responded = true
	x.Sink.Respond(nil, err)
	if c.Argument(2).ToBoolean() {
		w.finish(c.Argument(0).ToInteger())
	}
	return goja.Undefined()
}

func (w *Worker) nativeFinished(c goja.FunctionCall) goja.Value {
	w.finish(c.Argument(0).ToInteger())
	return goja.Undefined()
}

func (w *Worker) finish(id int64) {
	if x, ok := w.calls[id]; ok {
		delete(w.calls, id)
		w.iso.EndScope(x.Scope)
		x.Sink.Finish()
	}
}
