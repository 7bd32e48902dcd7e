package webapi

import (
	"time"

	"github.com/dop251/goja"
)

// dateNatives are date.js's: whether the host's zone is UTC all year,
// when goja's local-time Date methods already answer as Workers' do.
func (w *Worker) dateNatives(set nativeSet) {
	set("hostZoneIsUTC", func(goja.FunctionCall) goja.Value {
		_, jan := time.Date(2020, 1, 1, 0, 0, 0, 0, time.Local).Zone()
		_, jul := time.Date(2020, 7, 1, 0, 0, 0, 0, time.Local).Zone()
		return w.vm.ToValue(jan == 0 && jul == 0)
	})
}
