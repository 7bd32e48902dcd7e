package hyperdrive

// Results as the JS surface returns them: all/run's { results, success,
// meta }, first(), raw(). Isolate goroutine only.

import (
	"fmt"

	"github.com/dop251/goja"

	"edgerun/isolates"
)

// firstColumn is first(column): that column of the first row, null without
// rows, an error when the result has no such column.
func (r *result) firstColumn(iso *isolates.Isolate, column string) (goja.Value, error) {
	idx := -1
	for i, c := range r.columns {
		if c == column {
			idx = i // a later duplicate name wins, as in a row object
		}
	}
	if idx < 0 {
		return nil, &codedError{CodeUndefinedColumn, fmt.Errorf("Column not found: %s", column)}
	}
	if len(r.rows) == 0 {
		return goja.Null(), nil
	}
	return toJS(iso, r.rows[0][idx])
}

func (r *result) toJS(iso *isolates.Isolate, mode int) (goja.Value, error) {
	vm := iso.Runtime()
	switch mode {
	case modeFirst:
		if len(r.rows) == 0 {
			return goja.Null(), nil
		}
		return r.rowObject(iso, r.rows[0])
	case modeRaw, modeRawNames:
		rows := make([]any, 0, len(r.rows)+1)
		if mode == modeRawNames {
			cols := make([]any, len(r.columns))
			for i, c := range r.columns {
				cols[i] = c
			}
			rows = append(rows, vm.NewArray(cols...))
		}
		for _, row := range r.rows {
			vals := make([]any, len(row))
			for j, v := range row {
				jv, err := toJS(iso, v)
				if err != nil {
					return nil, err
				}
				vals[j] = jv
			}
			rows = append(rows, vm.NewArray(vals...))
		}
		return vm.NewArray(rows...), nil
	}
	results := make([]any, len(r.rows))
	for i, row := range r.rows {
		obj, err := r.rowObject(iso, row)
		if err != nil {
			return nil, err
		}
		results[i] = obj
	}
	out := vm.NewObject()
	_ = out.Set("success", true)
	_ = out.Set("meta", r.meta(vm))
	_ = out.Set("results", vm.NewArray(results...))
	return out, nil
}

func (r *result) rowObject(iso *isolates.Isolate, row []any) (goja.Value, error) {
	obj := iso.Runtime().NewObject()
	for i, col := range r.columns {
		v, err := toJS(iso, row[i])
		if err != nil {
			return nil, err
		}
		if col == "__proto__" {
			// Set would change the row's prototype (to a JSON object the
			// database returned, even); a column is always an own property.
			_ = obj.DefineDataProperty(col, v, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
			continue
		}
		_ = obj.Set(col, v)
	}
	return obj, nil
}

func (r *result) meta(vm *goja.Runtime) *goja.Object {
	m := vm.NewObject()
	servedBy := r.servedBy
	if r.cached {
		servedBy = "cache"
	}
	_ = m.Set("served_by", servedBy)
	_ = m.Set("duration", float64(r.duration.Microseconds())/1000)
	_ = m.Set("changes", r.rowsAffected)
	_ = m.Set("last_row_id", goja.Null())
	_ = m.Set("changed_db", r.writes && r.rowsAffected > 0 || r.writes && len(r.columns) == 0)
	_ = m.Set("size_after", goja.Null())
	_ = m.Set("rows_read", len(r.rows))
	_ = m.Set("rows_written", r.rowsAffected)
	_ = m.Set("cached", r.cached)
	_ = m.Set("command", r.command)
	return m
}
