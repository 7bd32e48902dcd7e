package deploy

import (
	"debug/elf"
	"encoding/json"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The Dockerfile builds: its build stage's commands, run on the context
// .dockerignore leaves, make a static binary (the runtime stage has no C
// library) at the path the runtime stage copies, and the image's
// entrypoint and default arguments are a command that binary takes.
func TestDockerfile(t *testing.T) {
	df, err := readDockerfile()
	if err != nil {
		t.Fatal(err)
	}
	if len(df.stages) != 2 {
		t.Fatalf("%d stages, want build + runtime", len(df.stages))
	}
	build, final := df.stages[0], df.final()

	// The build stage's Go is at least the one go.mod asks for.
	goMod, err := os.ReadFile(filepath.Join(repoRoot, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	tag, ok := strings.CutPrefix(build.from, "golang:")
	if !ok {
		t.Fatalf("build stage FROM %s, want a golang image", build.from)
	}
	imageGo, _, _ := strings.Cut(tag, "-")
	if v := goDirective(string(goMod)); versionLess(imageGo, v) {
		t.Fatalf("build stage's Go %s is older than go.mod's go %s", imageGo, v)
	}
	if !slices.ContainsFunc(build.runs, func(r string) bool { return strings.Contains(r, "CGO_ENABLED=0 go build") }) {
		t.Fatalf("no RUN builds with CGO_ENABLED=0: %q", build.runs)
	}
	// The runtime stage is distroless static as its nonroot user, the
	// Deployment's runAsUser.
	if !strings.HasPrefix(final.from, "gcr.io/distroless/static") || !strings.HasSuffix(final.from, ":nonroot") {
		t.Fatalf("runtime stage FROM %s, want distroless static, nonroot", final.from)
	}
	if final.user != "65532:65532" {
		t.Fatalf("USER %q, want distroless's nonroot 65532:65532", final.user)
	}

	binary := imageBinary(t)
	f, err := elf.Open(binary)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Fatal("the binary needs a dynamic loader; distroless static has none")
		}
	}
	out, err := exec.Command(binary, "version").CombinedOutput()
	if want := "edgerun " + build.args["VERSION"] + "\n"; err != nil || string(out) != want {
		t.Fatalf("edgerun version = %q, %v; want %q (the ARG VERSION the build links in)", out, err, want)
	}

	// ENTRYPOINT runs the copied binary's serve; CMD's flags are serve's.
	var dest string
	for _, c := range final.copies {
		if c.from == build.name {
			dest = inStage(final.workdir, c.dest)
		}
	}
	if len(final.entrypoint) != 2 || final.entrypoint[0] != dest || final.entrypoint[1] != "serve" {
		t.Fatalf("ENTRYPOINT %q, want [%q serve]", final.entrypoint, dest)
	}
	args, err := parseArgs(final.cmd, serveFlags(t, binary))
	if err != nil {
		t.Fatalf("CMD %q: %v", final.cmd, err)
	}
	if args["ip"] != "0.0.0.0" {
		t.Fatalf("CMD listens on %q: a container's loopback is its own, want 0.0.0.0", args["ip"])
	}
	_, adminPort, _ := strings.Cut(args["admin"], ":")
	if want := []string{args["port"], adminPort}; !slices.Equal(final.expose, want) {
		t.Fatalf("EXPOSE %q, want CMD's worker and admin ports %q", final.expose, want)
	}
}

// Every file `go build ./cmd/edgerun` reads is in the build context, and
// what it does not read (tests, fixtures, node_modules, state, docs) is
// not sent to the builder.
func TestDockerignoreKeepsTheBuildsFiles(t *testing.T) {
	pm, err := dockerignore()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "list", "-deps", "-json=Module,Dir,GoFiles,EmbedFiles,SFiles,Name", "./cmd/edgerun")
	cmd.Dir = repoRoot
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	needed := []string{"go.mod", "go.sum", "cmd/edgerun/default.pgo"} // default.pgo: go build's -pgo=auto
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p struct {
			Dir                         string
			Module                      *struct{ Path string }
			GoFiles, EmbedFiles, SFiles []string
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		if p.Module == nil || p.Module.Path != "edgerun" {
			continue // the standard library and the module cache
		}
		rel, err := filepath.Rel(root, p.Dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range slices.Concat(p.GoFiles, p.EmbedFiles, p.SFiles) {
			needed = append(needed, path.Join(filepath.ToSlash(rel), f))
		}
	}
	if len(needed) < 100 {
		t.Fatalf("go list named %d of the module's files", len(needed))
	}
	for _, f := range needed {
		if excluded(pm, f) {
			t.Errorf("%s: the build reads it, .dockerignore leaves it out", f)
		}
	}
	for _, f := range []string{
		".git/HEAD", "README.md", "testdata/apps/package.json", "testdata/apps/node_modules/pg/package.json",
		"runtime/testdata/x.js", "runtime/server_test.go", ".edgerun/state/kv.db", "examples/hello/index.js",
		"bench/README.md", "cmd/edgerun/.edgerun/state/kv.db", "deploy/deployment.yaml",
	} {
		if !excluded(pm, f) {
			t.Errorf("%s: the build never reads it, .dockerignore sends it", f)
		}
	}
}

func goDirective(goMod string) string {
	for _, line := range strings.Split(goMod, "\n") {
		if v, ok := strings.CutPrefix(line, "go "); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// versionLess compares Go versions ("1.26", "1.26.0") by their numbers;
// a missing patch counts as the newest of that release line, as a
// golang:1.26 image is.
func versionLess(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		if as[i] != bs[i] {
			return len(as[i]) < len(bs[i]) || len(as[i]) == len(bs[i]) && as[i] < bs[i]
		}
	}
	return false
}
