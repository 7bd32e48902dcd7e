package webapi

import (
	"bytes"
	"io"
	"mime/multipart"
	"strings"

	"github.com/dop251/goja"
)

// formDataNatives are the multipart/form-data parser Body.formData()
// (body.js) reads a FormData with.
func (w *Worker) formDataNatives(set nativeSet) {
	vm := w.vm
	set("parseMultipart", func(c goja.FunctionCall) goja.Value {
		parts, err := parseMultipart(w.bytesArg(c.Argument(0)), c.Argument(1).String())
		if err != nil {
			panic(vm.NewTypeError("Failed to parse multipart/form-data body: " + err.Error()))
		}
		out := make([]any, len(parts))
		for i, p := range parts {
			obj := vm.NewObject()
			_ = obj.Set("name", p.name)
			if p.isFile {
				_ = obj.Set("filename", p.filename)
			}
			_ = obj.Set("type", p.contentType)
			_ = obj.Set("data", w.newUint8Array(p.data))
			out[i] = obj
		}
		return vm.NewArray(out...)
	})
}

type formPart struct {
	name, filename, contentType string
	isFile                      bool
	data                        []byte
}

func parseMultipart(body []byte, boundary string) ([]formPart, error) {
	r := multipart.NewReader(bytes.NewReader(body), boundary)
	var parts []formPart
	for {
		p, err := r.NextRawPart()
		if err == io.EOF {
			return parts, nil
		}
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(p)
		if err != nil {
			return nil, err
		}
		_, params, _ := strings.Cut(p.Header.Get("Content-Disposition"), ";")
		fp := formPart{name: p.FormName(), data: data, contentType: p.Header.Get("Content-Type")}
		if strings.Contains(params, "filename") {
			fp.isFile = true
			fp.filename = p.FileName()
		}
		parts = append(parts, fp)
	}
}
