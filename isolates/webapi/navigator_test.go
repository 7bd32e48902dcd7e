package webapi

import "testing"

// TestNavigatorUserAgent: libraries detect Workers by navigator.userAgent
// (as wrangler and workerd report it), so it must be exactly this.
func TestNavigatorUserAgent(t *testing.T) {
	iso, _ := newTestWorker(t, nil)
	var got string
	err := iso.Do(func() error {
		v, err := iso.Runtime().RunString(`navigator.userAgent`)
		if err == nil {
			got = v.String()
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got != "Cloudflare-Workers" {
		t.Fatalf("navigator.userAgent = %q", got)
	}
}
