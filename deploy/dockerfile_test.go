package deploy

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// dockerfile is the part of a Dockerfile these tests read: its stages, in
// order, each with its instructions.
type dockerfile struct {
	stages []*stage
}

type stage struct {
	from, name string
	args       map[string]string // ARG defaults, in scope for later RUNs
	workdir    string
	runs       []string   // RUN commands (shell form), BuildKit flags removed
	copies     []copyStep // COPY instructions
	user       string
	expose     []string
	entrypoint []string // exec form only
	cmd        []string
}

type copyStep struct {
	from     string // --from stage, or "" for the build context
	src      []string
	dest     string
	workdir  string // WORKDIR when the COPY ran
	runsDone int    // RUNs before this COPY
}

// parseDockerfile reads Dockerfile syntax: comments, line continuations
// with a backslash, instruction keywords in any case. It knows the
// instructions edgerun's Dockerfile uses and fails on others, so a new one
// gets a deliberate look in these tests.
func parseDockerfile(src string) (*dockerfile, error) {
	df := &dockerfile{}
	for n, line := range logicalLines(src) {
		keyword, rest, _ := strings.Cut(line, " ")
		rest = strings.TrimSpace(rest)
		keyword = strings.ToUpper(keyword)
		if keyword != "FROM" && len(df.stages) == 0 {
			if keyword == "ARG" { // global ARGs before the first FROM
				continue
			}
			return nil, fmt.Errorf("instruction %d: %s before FROM", n+1, keyword)
		}
		var st *stage
		if len(df.stages) > 0 {
			st = df.stages[len(df.stages)-1]
		}
		switch keyword {
		case "FROM":
			f := strings.Fields(rest)
			s := &stage{args: map[string]string{}}
			switch {
			case len(f) == 1:
				s.from = f[0]
			case len(f) == 3 && strings.EqualFold(f[1], "AS"):
				s.from, s.name = f[0], f[2]
			default:
				return nil, fmt.Errorf("instruction %d: FROM %q", n+1, rest)
			}
			df.stages = append(df.stages, s)
		case "ARG":
			name, def, _ := strings.Cut(rest, "=")
			st.args[name] = def
		case "WORKDIR":
			st.workdir = rest
		case "RUN":
			for strings.HasPrefix(rest, "--") {
				_, rest, _ = strings.Cut(rest, " ")
				rest = strings.TrimSpace(rest)
			}
			if rest == "" || strings.HasPrefix(rest, "[") {
				return nil, fmt.Errorf("instruction %d: RUN needs a shell-form command", n+1)
			}
			st.runs = append(st.runs, rest)
		case "COPY":
			c := copyStep{workdir: st.workdir, runsDone: len(st.runs)}
			f := strings.Fields(rest)
			for len(f) > 0 && strings.HasPrefix(f[0], "--") {
				if v, ok := strings.CutPrefix(f[0], "--from="); ok {
					c.from = v
				}
				f = f[1:]
			}
			if len(f) < 2 {
				return nil, fmt.Errorf("instruction %d: COPY needs a source and a destination", n+1)
			}
			c.src, c.dest = f[:len(f)-1], f[len(f)-1]
			st.copies = append(st.copies, c)
		case "USER":
			st.user = rest
		case "EXPOSE":
			st.expose = append(st.expose, strings.Fields(rest)...)
		case "ENTRYPOINT", "CMD":
			var argv []string
			if err := json.Unmarshal([]byte(rest), &argv); err != nil {
				return nil, fmt.Errorf("instruction %d: %s must be in exec form (a JSON array): %v", n+1, keyword, err)
			}
			if keyword == "CMD" {
				st.cmd = argv
			} else {
				st.entrypoint = argv
			}
		default:
			return nil, fmt.Errorf("instruction %d: %s is not an instruction these tests know", n+1, keyword)
		}
	}
	if len(df.stages) == 0 {
		return nil, fmt.Errorf("no FROM")
	}
	return df, nil
}

// logicalLines joins continued lines and drops comments and blank lines.
// A comment line inside a continued instruction is dropped too, as Docker
// does.
func logicalLines(src string) []string {
	var out []string
	var cur strings.Builder
	for _, raw := range strings.Split(src, "\n") {
		line := strings.TrimSpace(raw)
		if strings.HasPrefix(line, "#") || (line == "" && cur.Len() == 0) {
			continue
		}
		if body, ok := strings.CutSuffix(line, "\\"); ok {
			cur.WriteString(strings.TrimSpace(body) + " ")
			continue
		}
		cur.WriteString(line)
		if s := strings.TrimSpace(cur.String()); s != "" {
			out = append(out, s)
		}
		cur.Reset()
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}

func (df *dockerfile) stage(name string) *stage {
	for _, s := range df.stages {
		if s.name == name {
			return s
		}
	}
	return nil
}

// final is the stage the image is made of.
func (df *dockerfile) final() *stage { return df.stages[len(df.stages)-1] }

// inStage resolves a path as the stage's WORKDIR does.
func inStage(workdir, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join("/", workdir, p)
}

func readDockerfile() (*dockerfile, error) {
	src, err := os.ReadFile(filepath.Join(repoRoot, "Dockerfile"))
	if err != nil {
		return nil, err
	}
	return parseDockerfile(string(src))
}

// The parser takes any text without panicking, and what it accepts has a
// stage for every FROM and no empty command.
func FuzzParseDockerfile(f *testing.F) {
	if src, err := os.ReadFile(filepath.Join(repoRoot, "Dockerfile")); err == nil {
		f.Add(string(src))
	}
	f.Add("FROM a AS b\nRUN x \\\n  # note\n  y\nCOPY --from=b /p /q\nCMD [\"x\"]\n")
	f.Add("from scratch\nrun --mount=type=cache \\\n")
	f.Fuzz(func(t *testing.T, src string) {
		df, err := parseDockerfile(src)
		if err != nil {
			return
		}
		froms := 0
		for _, line := range logicalLines(src) {
			if k, _, _ := strings.Cut(line, " "); strings.EqualFold(k, "FROM") {
				froms++
			}
		}
		if len(df.stages) != froms {
			t.Fatalf("%d stages for %d FROMs", len(df.stages), froms)
		}
		for _, s := range df.stages {
			for _, r := range s.runs {
				if strings.TrimSpace(r) == "" {
					t.Fatalf("empty RUN accepted from %q", src)
				}
			}
		}
	})
}

func TestParseDockerfile(t *testing.T) {
	df, err := parseDockerfile("# c\nFROM golang:1 AS build\nARG V=1\nWORKDIR /src\nRUN --mount=type=cache,target=/x \\\n    # inside\n    go build \\\n  -o bin/x .\nFROM scratch\nCOPY --from=build /src/bin/x /x\nENTRYPOINT [\"/x\"]\n")
	if err != nil {
		t.Fatal(err)
	}
	b := df.stage("build")
	if b == nil || b.args["V"] != "1" || b.workdir != "/src" || len(b.runs) != 1 || b.runs[0] != "go build -o bin/x ." {
		t.Fatalf("build stage = %+v", b)
	}
	c := df.final().copies[0]
	if c.from != "build" || c.src[0] != "/src/bin/x" || c.dest != "/x" || df.final().entrypoint[0] != "/x" {
		t.Fatalf("final stage = %+v", df.final())
	}
	for _, bad := range []string{"", "RUN x", "FROM a\nONBUILD RUN x", "FROM a\nCMD x", "FROM a\nRUN [\"x\"]", "FROM a b"} {
		if _, err := parseDockerfile(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}
