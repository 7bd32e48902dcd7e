package runtime

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// cloudflare:workers, a WorkerEntrypoint default export, import() of a
// computed specifier and AsyncLocalStorage, through real HTTP.
func TestCloudflareWorkersModule(t *testing.T) {
	app := startApp(t, fixture("cloudflare-workers"), nil)

	status, body := app.get(t, "/env")
	if want := `{"atStart":"hello","now":"hello","same":true,"hasCtx":"function","classes":["function","function",true]}`; status != 200 || body != want {
		t.Fatalf("/env = %d %s, want %s", status, body, want)
	}

	// waitUntil from cloudflare:workers keeps the request's work alive
	// after the response.
	if status, body := app.get(t, "/wait?id=a"); status != 200 || body != "scheduled a" {
		t.Fatalf("/wait = %d %s", status, body)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, body := app.get(t, "/done?id=a")
		if body == "true" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the waitUntil work never ran")
		}
		time.Sleep(10 * time.Millisecond)
	}

	for _, tc := range []struct {
		spec   string
		status int
		want   string
	}{
		{"cloudflare:workers", 200, `{"keys":["DurableObject","RpcTarget","WorkerEntrypoint","WorkflowEntrypoint","default","env","waitUntil"]}`},
		{"node:async_hooks", 200, ""},
		{"./elsewhere.js", 404, `{"error":"No such module \"./elsewhere.js\"."}`},
		{"cloudflare:nope", 404, `{"error":"No such module \"cloudflare:nope\": edgerun provides cloudflare:sockets, cloudflare:workers."}`},
	} {
		status, body := app.get(t, "/import?spec="+tc.spec)
		if status != tc.status || (tc.want != "" && body != tc.want) {
			t.Errorf("import(%q) = %d %s, want %d %s", tc.spec, status, body, tc.status, tc.want)
		}
		if tc.spec == "node:async_hooks" && !strings.Contains(body, `"AsyncLocalStorage"`) {
			t.Errorf("import(node:async_hooks) = %s", body)
		}
	}

	// Concurrent requests in the same isolates each see their own store
	// after awaits and timers, and nothing leaks into a request without one.
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			id := fmt.Sprint("r", i)
			_, body := app.get(t, fmt.Sprintf("/als?id=%s&ms=%d", id, (i*7)%15))
			var got map[string]string
			if err := json.Unmarshal([]byte(body), &got); err != nil || got["afterSleep"] != id || got["afterTimer"] != id {
				errs <- fmt.Errorf("request %s saw %s", id, body)
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if _, body := app.get(t, "/als-outside"); body != `{"store":null}` {
		t.Errorf("/als-outside = %s", body)
	}
}
