package main

import (
	"os/exec"
	"strings"
	"testing"
)

// layers: a package under the first prefix may not import (in its code or
// its tests) a package under any of the others. Dependencies flow one way:
// cmd → runtime → {bindings, isolates}, and bindings may use isolates'
// bridge, never the reverse (DESIGN.md, CONTRIBUTING.md).
var layers = []struct {
	pkg       string
	forbidden []string
}{
	{"edgerun/isolates", []string{"edgerun/bindings", "edgerun/runtime", "edgerun/cmd"}},
	{"edgerun/bindings", []string{"edgerun/runtime", "edgerun/cmd"}},
	{"edgerun/runtime", []string{"edgerun/cmd"}},
}

func TestLayering(t *testing.T) {
	out, err := exec.Command("go", "list", "-f",
		`{{.ImportPath}} {{join .Imports " "}} {{join .TestImports " "}} {{join .XTestImports " "}}`, "edgerun/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	pkgs := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(pkgs) < 10 {
		t.Fatalf("go list found %d packages", len(pkgs))
	}
	for _, line := range pkgs {
		fields := strings.Fields(line)
		for _, v := range violations(fields[0], fields[1:]) {
			t.Errorf("%s imports %s: dependencies flow cmd → runtime → {bindings, isolates}", fields[0], v)
		}
	}
}

// violations lists the imports of pkg that its layer forbids.
func violations(pkg string, imports []string) []string {
	var bad []string
	for _, l := range layers {
		if !under(pkg, l.pkg) {
			continue
		}
		for _, imp := range imports {
			for _, f := range l.forbidden {
				if under(imp, f) {
					bad = append(bad, imp)
				}
			}
		}
	}
	return bad
}

func under(pkg, prefix string) bool { return pkg == prefix || strings.HasPrefix(pkg, prefix+"/") }

// The rule itself can fail: a forbidden import is reported.
func TestLayeringReportsAForbiddenImport(t *testing.T) {
	if v := violations("edgerun/isolates/webapi", []string{"fmt", "edgerun/bindings/kv"}); len(v) != 1 || v[0] != "edgerun/bindings/kv" {
		t.Fatalf("violations = %v", v)
	}
	if v := violations("edgerun/bindings/hyperdrive", []string{"edgerun/isolates", "edgerun/bindings/hyperdrive/sqlscan"}); len(v) != 0 {
		t.Fatalf("allowed imports reported: %v", v)
	}
	if v := violations("edgerun/runtimex", []string{"edgerun/cmd/edgerun"}); len(v) != 0 {
		t.Fatalf("a prefix is not a package: %v", v)
	}
}
