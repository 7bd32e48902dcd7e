package webapi

import "testing"

// BenchmarkCompilePrelude prices the once-per-process compile of the Web
// API prelude, which a server's start waits for.
func BenchmarkCompilePrelude(b *testing.B) {
	b.ReportAllocs()
	for range b.N {
		if _, err := compilePrelude(preludeSource()); err != nil {
			b.Fatal(err)
		}
	}
}
