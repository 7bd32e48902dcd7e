package hyperdrive

import (
	"os"
	"testing"

	"github.com/dop251/goja"
)

// BenchmarkStatementOps prices one step of the cached read route's binding
// calls (#16 item 4) in a JavaScript loop on one isolate, against a real
// PostgreSQL whose row is already in the query cache: prepare(), bind(),
// first() answered from the cache, the whole chain, and the goja baselines
// it is compared with (a Promise.resolve, an object literal). Per-op
// instruction counts: callgrind with two -benchtime values (bench/README);
// STATEMENT_OP='expr' adds an ad hoc one.
func BenchmarkStatementOps(b *testing.B) {
	ops := []struct{ name, body string }{
		{"empty", `i`},
		{"prepare", `db.prepare(Q)`},
		{"bind", `p.bind(5)`},
		{"first-hit", `s.first()`},
		{"chain-hit", `db.prepare(Q).bind(5).first()`},
		{"promise-resolve", `Promise.resolve(o)`},
		{"object-literal", `({ id: i, name: "item-5" })`},
	}
	if body := os.Getenv("STATEMENT_OP"); body != "" {
		ops = append(ops, struct{ name, body string }{"adhoc", body})
	}
	bd, dsn := openTest(b, Config{})
	direct(b, dsn, "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL); INSERT INTO items VALUES (5, 'item-5')")
	for _, op := range ops {
		b.Run(op.name, func(b *testing.B) {
			iso := isolateWith(b, bd)
			var loop goja.Callable
			filled := make(chan string, 1)
			err := iso.Do(func() error {
				vm := iso.Runtime()
				_ = vm.Set("__filled", func(s string) { filled <- s })
				v, err := vm.RunString(`(function () {
					const Q = "SELECT id, name FROM items WHERE id = ?";
					const p = db.prepare(Q), s = p.bind(5), o = { id: 5, name: "item-5" };
					s.first().then(r => __filled(JSON.stringify(r)), e => __filled(String(e)));
					return function (n) { let x; for (let i = 0; i < n; i++) x = ` + op.body + `; return x; };
				})()`)
				if err != nil {
					return err
				}
				loop, _ = goja.AssertFunction(v)
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			if got := <-filled; got != `{"id":5,"name":"item-5"}` {
				b.Fatalf("filling the cache: %s", got)
			}
			b.ReportAllocs()
			b.ResetTimer()
			if err := iso.Do(func() error { _, err := loop(goja.Undefined(), iso.Runtime().ToValue(b.N)); return err }); err != nil {
				b.Fatal(err)
			}
		})
	}
}
