package runtime

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"edgerun/runtime/config"
)

// TestProcessEnvAndVersion: process.env holds the worker's text vars and
// secrets (JSON vars as JSON) once nodejs_compat_populate_process_env
// applies (nodejs_compat from 2025-04-01), nothing before; process.version
// is workerd's.
func TestProcessEnvAndVersion(t *testing.T) {
	worker := `import process from "node:process";
export default { fetch() {
  return Response.json({ env: { ...process.env }, version: process.version, node: process.versions.node, cwd: process.cwd() });
} };
`
	for _, tc := range []struct {
		date string
		want map[string]any
	}{
		{"2025-09-01", map[string]any{"GREETING": "hi", "LIMITS": `{"list":[1,"a"],"n":1}`, "SECRET_TOKEN": "s3cret"}},
		{"2025-03-01", map[string]any{}},
	} {
		t.Run(tc.date, func(t *testing.T) {
			dir := t.TempDir()
			toml := "name = \"env\"\nmain = \"worker.js\"\ncompatibility_date = \"" + tc.date + "\"\n" +
				"compatibility_flags = [\"nodejs_compat\"]\n[vars]\nGREETING = \"hi\"\nLIMITS = { n = 1, list = [1, \"a\"] }\n"
			for name, content := range map[string]string{"worker.js": worker, "wrangler.toml": toml, ".dev.vars": "SECRET_TOKEN=s3cret\n"} {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			app := startAppWith(t, config.Options{Dir: dir}, false, nil)
			status, body := app.get(t, "/")
			if status != 200 {
				t.Fatalf("answered %d: %s", status, body)
			}
			var got struct {
				Env     map[string]any
				Version string
				Node    string
				Cwd     string
			}
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatalf("%s: %v", body, err)
			}
			if !reflect.DeepEqual(got.Env, tc.want) {
				t.Errorf("process.env = %v, want %v", got.Env, tc.want)
			}
			if got.Version != "v22.19.0" || got.Node != "22.19.0" || got.Cwd != "/" {
				t.Errorf("version %q, versions.node %q, cwd %q", got.Version, got.Node, got.Cwd)
			}
		})
	}
}
