//go:build unix

package runtime

// The same checks as drivers_test.go, with each app run by Node instead of edgerun: the
// apps bundled by esbuild for Node and served by a small node:http wrapper around their
// fetch handler. This pins what the reference runtime answers, so a failure of an app under
// edgerun is edgerun's, not the test's. Without node it is skipped, and fails under CI=true.

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"edgerun/bindings/localpg"
	"edgerun/bindings/localpg/pgtest"
	"edgerun/runtime/npmtest"

	"github.com/evanw/esbuild/pkg/api"
)

// nodeServer wraps a bundled worker's default export in node:http: env comes from the
// EDGERUN_TEST_ENV JSON, ctx.waitUntil promises are awaited after the response, and the
// listening port is printed as the first line.
const nodeServer = `
import http from "node:http";
const env = JSON.parse(process.env.EDGERUN_TEST_ENV);
globalThis.__edgerunTestEnv = env; // read by the cloudflare:workers shim as the bundle loads
const { default: worker } = await import(process.argv[2]);
http.createServer(async (req, res) => {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const body = chunks.length ? Buffer.concat(chunks) : undefined;
  const request = new Request("http://" + req.headers.host + req.url, {
    method: req.method, headers: req.headers, body: req.method === "GET" ? undefined : body,
  });
  const waits = [];
  const ctx = { waitUntil: (p) => waits.push(p), passThroughOnException() {} };
  try {
    const response = await worker.fetch(request, env, ctx);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  } catch (e) {
    res.writeHead(500); res.end(String(e && e.stack || e));
  }
  await Promise.allSettled(waits);
}).listen(0, "127.0.0.1", function () { console.log(this.address().port); });
`

// cloudflareWorkersShim stands in for cloudflare:workers under Node.
const cloudflareWorkersShim = `export const env = globalThis.__edgerunTestEnv;
export function waitUntil() {}
`

func requireNode(t *testing.T) string {
	t.Helper()
	node := npmtest.Node(t)
	ensureNodeModules(t)
	return node
}

// serveUnderNode bundles testdata/apps/<app> for Node and serves it with env.
func serveUnderNode(t *testing.T, node, app string, env map[string]any) *testApp {
	t.Helper()
	dir := t.TempDir()
	shim := filepath.Join(dir, "cloudflare-workers.js")
	server := filepath.Join(dir, "server.mjs")
	bundle := filepath.Join(dir, "worker.mjs")
	for path, text := range map[string]string{shim: cloudflareWorkersShim, server: nodeServer} {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := loadDriverApp(t, app, "")
	result := api.Build(api.BuildOptions{
		EntryPoints: []string{cfg.Main},
		Bundle:      true,
		Platform:    api.PlatformNode,
		Format:      api.FormatESModule,
		Outfile:     bundle,
		Write:       true,
		// pg is CommonJS and requires Node's built-ins: give the ES module a require.
		Banner: map[string]string{"js": `import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);`},
		Plugins: []api.Plugin{{Name: "cloudflare-workers-shim", Setup: func(b api.PluginBuild) {
			b.OnResolve(api.OnResolveOptions{Filter: `^cloudflare:workers$`}, func(api.OnResolveArgs) (api.OnResolveResult, error) {
				return api.OnResolveResult{Path: shim}, nil
			})
		}}},
		LogLevel: api.LogLevelSilent,
	})
	if len(result.Errors) > 0 {
		t.Fatalf("bundling %s for node: %v", app, result.Errors)
	}
	envJSON, err := json.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, node, server, bundle)
	cmd.Env = append(os.Environ(), "EDGERUN_TEST_ENV="+string(envJSON), "NODE_NO_WARNINGS=1")
	if ca, ok := env["__ca_file"].(string); ok {
		// pg treats sslmode=require as verify-full: Node must trust the test server's CA.
		cmd.Env = append(cmd.Env, "NODE_EXTRA_CA_CERTS="+ca)
	}
	logs := &logBuffer{}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); _ = cmd.Wait() })
	lines := bufio.NewScanner(stdout)
	portc := make(chan string, 1)
	go func() {
		if lines.Scan() {
			portc <- strings.TrimSpace(lines.Text())
		}
		close(portc)
		for lines.Scan() { // hono/logger and console output
			_, _ = io.WriteString(logs, lines.Text()+"\n")
		}
	}()
	select {
	case port, ok := <-portc:
		if !ok {
			t.Fatalf("node exited before listening: %s", logs.String())
		}
		return &testApp{base: "http://127.0.0.1:" + port, logs: logs}
	case <-time.After(20 * time.Second):
		t.Fatalf("node did not listen within 20s: %s", logs.String())
	}
	return nil
}

// TestDriverAppsUnderNode: the checks of TestDriverApps, TestDriverAppHono and
// TestDriverAppNodeCompat, with Node serving the apps.
func TestDriverAppsUnderNode(t *testing.T) {
	node := requireNode(t)
	for _, app := range dbApps {
		t.Run(app.name, func(t *testing.T) {
			t.Parallel()
			plain := pgtest.NewDatabase(t)
			if _, err := localpg.Migrate(t.Context(), plain, filepath.Join(appsDir, "migrations")); err != nil {
				t.Fatal(err)
			}
			dsn := plain
			env := map[string]any{}
			if app.sslmode != "" {
				dsn, _ = pgtest.WithSSLMode(plain, app.sslmode)
				ca := filepath.Join(t.TempDir(), "ca.crt")
				if err := os.WriteFile(ca, pgtest.CACertPEM(t), 0o644); err != nil {
					t.Fatal(err)
				}
				env["__ca_file"] = ca
			}
			env["HYPERDRIVE"] = map[string]any{"connectionString": dsn}
			for k, v := range app.vars {
				env[k] = v
			}
			checkDBApp(t, app, serveUnderNode(t, node, app.appDir(), env), plain)
		})
	}
	t.Run("hono", func(t *testing.T) {
		t.Parallel()
		greeting := "hi " + randomToken()
		checkHono(t, serveUnderNode(t, node, "hono", map[string]any{"GREETING": greeting}), greeting)
	})
	t.Run("nodecompat", func(t *testing.T) {
		t.Parallel()
		checkNodeCompat(t, serveUnderNode(t, node, "nodecompat", map[string]any{}))
	})
}
