package runtime

import "testing"

// A served body stream that yields strings is sent as UTF-8 (workerd does
// the same), while reading one in the script fails with workerd's
// TypeError.
func TestBodyStreamOfStrings(t *testing.T) {
	a := startApp(t, fixture("body-strings"), nil)
	for _, c := range []struct {
		path   string
		status int
		body   string
	}{
		{"/", 200, "hello"},
		{"/plain", 200, "hello wörld"},
		{"/mixed", 200, "ab"},
		{"/text", 500, "TypeError: This ReadableStream did not return bytes."},
	} {
		status, body := a.get(t, c.path)
		if status != c.status || body != c.body {
			t.Errorf("GET %s = %d %q, want %d %q", c.path, status, body, c.status, c.body)
		}
	}
}
