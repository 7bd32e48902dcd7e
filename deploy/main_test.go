package deploy

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"

	"edgerun/bindings/localpg/pgtest"
)

// repoRoot is the build context: the Dockerfile's directory.
const repoRoot = ".."

// scratch holds what the tests build and lay out. Its directories are
// readable by everyone: the pod's process runs as the Deployment's user.
var scratch string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "edgerun-deploy-")
	if err == nil {
		err = os.Chmod(dir, 0o755)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	scratch = dir
	code := m.Run()
	pgtest.StopAll()
	os.RemoveAll(dir)
	os.Exit(code)
}

// image is the result of running the Dockerfile's build stage.
var image struct {
	once    sync.Once
	binary  string // the file the runtime stage copies, on this machine
	context string // the build context .dockerignore leaves, copied
	err     error
}

// imageBinary runs the build stage of the Dockerfile as Docker would run it
// on this context, and returns the file the runtime stage takes from it:
// each RUN, through sh, with the stage's ARGs, in a copy of the context
// that .dockerignore leaves standing in for the WORKDIR. The module and
// build caches are this machine's, as the Dockerfile's cache mounts are the
// builder's.
func imageBinary(t *testing.T) string {
	t.Helper()
	image.once.Do(func() { image.binary, image.context, image.err = buildImage() })
	if image.err != nil {
		t.Fatal(image.err)
	}
	return image.binary
}

func buildImage() (binary, context string, err error) {
	df, err := readDockerfile()
	if err != nil {
		return "", "", fmt.Errorf("Dockerfile: %w", err)
	}
	final := df.final()
	var from *copyStep
	for i, c := range final.copies {
		if c.from != "" {
			from = &final.copies[i]
		}
	}
	if from == nil {
		return "", "", fmt.Errorf("Dockerfile: the last stage copies nothing from a build stage")
	}
	build := df.stage(from.from)
	if build == nil {
		return "", "", fmt.Errorf("Dockerfile: COPY --from=%s names no stage", from.from)
	}
	context = filepath.Join(scratch, "context")
	if err := copyContext(repoRoot, context); err != nil {
		return "", "", fmt.Errorf("build context: %w", err)
	}
	env := os.Environ()
	for k, v := range build.args {
		env = append(env, k+"="+v)
	}
	for _, run := range build.runs {
		cmd := exec.Command("sh", "-c", run)
		cmd.Dir, cmd.Env = context, env
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", "", fmt.Errorf("RUN %s: %v\n%s", run, err, out)
		}
	}
	if len(from.src) != 1 {
		return "", "", fmt.Errorf("COPY --from=%s: want one source, got %v", from.from, from.src)
	}
	rel, err := filepath.Rel(inStage(build.workdir, "."), inStage(build.workdir, from.src[0]))
	if err != nil || strings.HasPrefix(rel, "..") {
		return "", "", fmt.Errorf("COPY --from=%s %s: outside the build stage's WORKDIR %s, where these tests cannot follow it", from.from, from.src[0], build.workdir)
	}
	binary = filepath.Join(context, rel)
	if err := os.Chmod(filepath.Dir(binary), 0o755); err != nil {
		return "", "", err
	}
	return binary, context, nil
}

// dockerignore is the context's .dockerignore, as Docker reads it.
func dockerignore() (*patternmatcher.PatternMatcher, error) {
	f, err := os.Open(filepath.Join(repoRoot, ".dockerignore"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	patterns, err := ignorefile.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf(".dockerignore: %w", err)
	}
	return patternmatcher.New(patterns)
}

// excluded says whether Docker leaves rel (slash-separated, relative to
// the context) out of the context. A path is out when the last pattern
// matching it or a parent directory excludes it, as BuildKit decides.
func excluded(pm *patternmatcher.PatternMatcher, rel string) bool {
	out, err := pm.MatchesOrParentMatches(rel)
	return err == nil && out
}

// copyContext copies the files .dockerignore keeps from src to dst. An
// excluded directory that no exception pattern reaches into is skipped
// whole, as Docker skips it.
func copyContext(src, dst string) error {
	pm, err := dockerignore()
	if err != nil {
		return err
	}
	return filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		rel = filepath.ToSlash(rel)
		if rel == "." {
			return os.MkdirAll(dst, 0o755)
		}
		if excluded(pm, rel) {
			if d.IsDir() && !exceptionInside(pm, rel) {
				return filepath.SkipDir
			}
			return nil
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		return copyFile(path, target)
	})
}

func exceptionInside(pm *patternmatcher.PatternMatcher, dir string) bool {
	for _, p := range pm.Patterns() {
		if p.Exclusion() && strings.HasPrefix(p.String(), dir+"/") {
			return true
		}
	}
	return false
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	info, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, info.Mode().Perm()|0o444)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// serveFlags are the flags `edgerun serve --help` lists, with whether each
// takes a value (boolean flags do not).
func serveFlags(t *testing.T, binary string) map[string]bool {
	t.Helper()
	// --help exits 0 and writes the usage to stderr.
	out, err := exec.Command(binary, "serve", "--help").CombinedOutput()
	if err != nil {
		t.Fatalf("edgerun serve --help: %v\n%s", err, out)
	}
	flags := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^  -(\S+)(?: (\S+))?$`).FindAllStringSubmatch(string(out), -1) {
		flags[m[1]] = m[2] != ""
	}
	if len(flags) < 5 {
		t.Fatalf("found %d flags in serve --help:\n%s", len(flags), out)
	}
	return flags
}

// parseArgs reads a command line as Go's flag package does: -name or
// --name, a value as the next argument or after "=". It fails on a flag
// serve does not have, or a missing value.
func parseArgs(args []string, known map[string]bool) (map[string]string, error) {
	got := map[string]string{}
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, ok := strings.CutPrefix(a, "--")
		if !ok {
			name, ok = strings.CutPrefix(a, "-")
		}
		if !ok || name == "" {
			return nil, fmt.Errorf("argument %q is not a flag (serve takes none)", a)
		}
		name, value, hasValue := strings.Cut(name, "=")
		takesValue, known := known[name]
		switch {
		case !known:
			return nil, fmt.Errorf("flag %q is not one of edgerun serve's", a)
		case takesValue && !hasValue:
			if i+1 == len(args) {
				return nil, fmt.Errorf("flag %q needs a value", a)
			}
			i++
			value = args[i]
		case !takesValue && !hasValue:
			value = "true"
		}
		got[name] = value
	}
	return got, nil
}
