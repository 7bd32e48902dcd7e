package url

import (
	"testing"

	"github.com/dop251/goja"
)

const benchURL = "https://api.example.com/v1/users/12345/orders?status=shipped&limit=50&cursor=eyJpZCI6MTIzfQ"

// BenchmarkEnable is the per-isolate cost of defining the globals.
func BenchmarkEnable(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		vm := goja.New()
		b.StartTimer()
		if err := Enable(vm); err != nil {
			b.Fatal(err)
		}
	}
}

// benchScript runs fn(url) in a loop inside JS, so that the measured cost is
// the API's and not Go→JS call overhead.
func benchScript(b *testing.B, body, input string) {
	vm := newRuntime(b)
	fn, err := vm.RunString("(function (input, n) { let r; for (let i = 0; i < n; i++) { " + body + " } return r; })")
	if err != nil {
		b.Fatal(err)
	}
	call, _ := goja.AssertFunction(fn)
	b.ReportAllocs()
	b.ResetTimer()
	if _, err := call(goja.Undefined(), vm.ToValue(input), vm.ToValue(b.N)); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkNewURLPathname is the per-request pattern new URL(request.url).pathname.
func BenchmarkNewURLPathname(b *testing.B) {
	benchScript(b, "r = new URL(input).pathname;", benchURL)
}

// BenchmarkSearchParamsGet adds a query lookup.
func BenchmarkSearchParamsGet(b *testing.B) {
	benchScript(b, "r = new URL(input).searchParams.get('limit');", benchURL)
}

// BenchmarkNewURLSlowPath parses a URL the fast path declines (a relative
// reference against a base) with the full state machine.
func BenchmarkNewURLSlowPath(b *testing.B) {
	benchScript(b, "r = new URL('../orders?x=1', input).href;", benchURL)
}

// BenchmarkSearchParamsSet mutates url.searchParams and reads href back.
func BenchmarkSearchParamsSet(b *testing.B) {
	benchScript(b, "const u = new URL(input); u.searchParams.set('limit', '10'); r = u.href;", benchURL)
}

// BenchmarkParseFast is the Go-side parser alone.
func BenchmarkParseFast(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := parse(benchURL, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseStateMachine is the general parser on the same input, for
// comparison with the fast path.
func BenchmarkParseStateMachine(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		u, err := basicParse(benchURL, nil, nil, noOverride)
		if err != nil {
			b.Fatal(err)
		}
		_ = u.record()
	}
}
