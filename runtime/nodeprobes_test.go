package runtime

import (
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"edgerun/runtime/config"
)

var updateNodeAnswers = flag.Bool("update-node-answers", false, "rerun testdata/nodeprobes under node and rewrite answers/")

// TestNodeProbes runs each testdata/nodeprobes/probes/<module>.js inside a
// worker with nodejs_compat and compares every answer with Node's own,
// recorded in answers/<module>.json (see that directory's README).
func TestNodeProbes(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", "testdata", "nodeprobes"))
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(root, "probes", "*.js"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no probe files in %s (%v)", root, err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".js")
		t.Run(name, func(t *testing.T) {
			answers := filepath.Join(root, "answers", name+".json")
			if *updateNodeAnswers {
				out, err := exec.Command("node", filepath.Join(root, "node-run.mjs"), file).Output()
				if err != nil {
					t.Fatalf("node: %v", err)
				}
				if err := os.WriteFile(answers, out, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			wantJSON, err := os.ReadFile(answers)
			if err != nil {
				t.Fatalf("%v (record Node's answers with -update-node-answers)", err)
			}
			var want map[string]any
			if err := json.Unmarshal(wantJSON, &want); err != nil {
				t.Fatalf("%s: %v", answers, err)
			}
			got := probeInEdgerun(t, root, file)
			names := make([]string, 0, len(want))
			for k := range want {
				names = append(names, k)
			}
			sort.Strings(names)
			for _, k := range names {
				g, ok := got[k]
				if !ok {
					t.Errorf("%s: no answer from edgerun", k)
					continue
				}
				if !reflect.DeepEqual(g, want[k]) {
					gj, _ := json.Marshal(g)
					wj, _ := json.Marshal(want[k])
					t.Errorf("%s:\n  edgerun %s\n  node    %s", k, gj, wj)
				}
			}
			for k := range got {
				if _, ok := want[k]; !ok {
					t.Errorf("%s: not in %s (rerun with -update-node-answers)", k, filepath.Base(answers))
				}
			}
		})
	}
}

// probeInEdgerun serves a worker that runs the probes of file and returns
// its answers.
func probeInEdgerun(t *testing.T, root, file string) map[string]any {
	t.Helper()
	dir := t.TempDir()
	entry := "import { run } from " + jsString(filepath.Join(root, "run.js")) + ";\n" +
		"import { probes } from " + jsString(file) + ";\n" +
		"export default { async fetch() { return Response.json(await run(probes)); } };\n"
	toml := "name = \"probes\"\nmain = \"worker.js\"\ncompatibility_date = \"2025-09-01\"\ncompatibility_flags = [\"nodejs_compat\"]\n"
	for name, content := range map[string]string{"worker.js": entry, "wrangler.toml": toml} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	app := startAppWith(t, config.Options{Dir: dir}, false, nil)
	status, body := app.get(t, "/")
	if status != 200 {
		t.Fatalf("probes answered %d: %s", status, body)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatalf("probes answered %q: %v", body, err)
	}
	return got
}

func jsString(s string) string {
	b, _ := json.Marshal(filepath.ToSlash(s))
	return string(b)
}
