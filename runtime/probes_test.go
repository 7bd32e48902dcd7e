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
	root := probesRoot(t, "nodeprobes")
	record := func(t *testing.T, file, answers string) {
		out, err := exec.Command("node", filepath.Join(root, "node-run.mjs"), file).Output()
		if err != nil {
			t.Fatalf("node: %v", err)
		}
		if err := os.WriteFile(answers, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if !*updateNodeAnswers {
		record = nil
	}
	for _, r := range runProbeFiles(t, root, record, nil) {
		for _, d := range r.differ {
			t.Error(d)
		}
	}
}

// TestWorkerdProbes runs each testdata/workerdprobes/probes/<api>.js inside
// edgerun and compares every answer with workerd's, recorded by
// scripts/record-workerd-answers. It prints the pass rate; a probe that
// differs must be listed in known-differences.json, and one listed there
// that now matches must come off the list, so the rate can only rise.
func TestWorkerdProbes(t *testing.T) {
	root := probesRoot(t, "workerdprobes")
	var known map[string]string // probe name → why it still differs
	b, err := os.ReadFile(filepath.Join(root, "known-differences.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &known); err != nil {
		t.Fatalf("known-differences.json: %v", err)
	}
	var total, passed int
	for _, r := range runProbeFiles(t, root, nil, known) {
		total += r.total
		passed += r.total - len(r.differ)
		for _, d := range r.differ {
			if _, ok := known[d.name]; !ok {
				t.Errorf("%s (not in known-differences.json: a regression, or a new probe edgerun fails)", d)
			}
		}
		for _, name := range r.matched {
			if _, ok := known[name]; ok {
				t.Errorf("%s: matches workerd now; take it off known-differences.json", name)
			}
		}
	}
	t.Logf("workerd probes: %d of %d answer as workerd does (%.1f%%)", passed, total, 100*float64(passed)/float64(max(total, 1)))
}

func probesRoot(t *testing.T, name string) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// probeResult is one probe file's outcome.
type probeResult struct {
	total   int
	differ  []probeDiff
	matched []string
}

type probeDiff struct{ name, got, want string }

func (d probeDiff) String() string {
	return d.name + ":\n  edgerun   " + d.got + "\n  reference " + d.want
}

// runProbeFiles runs every probes/*.js of root in edgerun (one subtest per
// file) against answers/<name>.json, which record (when not nil) writes
// first.
func runProbeFiles(t *testing.T, root string, record func(t *testing.T, file, answers string), known map[string]string) []probeResult {
	files, err := filepath.Glob(filepath.Join(root, "probes", "*.js"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no probe files in %s (%v)", root, err)
	}
	var results []probeResult
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".js")
		t.Run(name, func(t *testing.T) {
			answers := filepath.Join(root, "answers", name+".json")
			if record != nil {
				record(t, file, answers)
			}
			wantJSON, err := os.ReadFile(answers)
			if err != nil {
				t.Fatalf("%v (record the reference's answers first: see %s/README.md)", err, filepath.Base(root))
			}
			var want map[string]any
			if err := json.Unmarshal(wantJSON, &want); err != nil {
				t.Fatalf("%s: %v", answers, err)
			}
			got := probeInEdgerun(t, filepath.Join(filepath.Dir(root), "nodeprobes", "run.js"), file)
			names := make([]string, 0, len(want))
			for k := range want {
				names = append(names, k)
			}
			sort.Strings(names)
			r := probeResult{total: len(names)}
			for _, k := range names {
				g, ok := got[k]
				if !ok {
					r.differ = append(r.differ, probeDiff{k, "no answer", "an answer"})
					continue
				}
				if !reflect.DeepEqual(g, want[k]) {
					gj, _ := json.Marshal(g)
					wj, _ := json.Marshal(want[k])
					r.differ = append(r.differ, probeDiff{k, string(gj), string(wj)})
					continue
				}
				r.matched = append(r.matched, k)
			}
			for k := range got {
				if _, ok := want[k]; !ok {
					t.Errorf("%s: not in %s (record the reference's answers again)", k, filepath.Base(answers))
				}
			}
			results = append(results, r)
		})
	}
	return results
}

// probeInEdgerun serves a worker that runs the probes of file and returns
// its answers.
func probeInEdgerun(t *testing.T, runJS, file string) map[string]any {
	t.Helper()
	dir := t.TempDir()
	entry := "import { run } from " + jsString(runJS) + ";\n" +
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
		t.Fatalf("probes answered %d: %s\nserver log:\n%s", status, body, app.logs.String())
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
