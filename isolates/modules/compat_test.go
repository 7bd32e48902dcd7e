package modules

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

func TestCompatForFollowsWorkerdDates(t *testing.T) {
	for _, tc := range []struct {
		date  string
		flags []string
		want  Compat
	}{
		{"2025-09-01", nil, Compat{}},
		{"2024-01-01", []string{"nodejs_compat"}, Compat{Mode: ModeV1}},
		{"2024-09-22", []string{"nodejs_compat"}, Compat{Mode: ModeV1}},
		{"2024-09-23", []string{"nodejs_compat"}, Compat{Mode: ModeV2}},
		{"2025-03-31", []string{"nodejs_compat"}, Compat{Mode: ModeV2}},
		{"2025-04-01", []string{"nodejs_compat"}, Compat{Mode: ModeV2, PopulateProcessEnv: true}},
		{"", []string{"nodejs_compat"}, Compat{Mode: ModeV2, PopulateProcessEnv: true}},
		{"2024-01-01", []string{"nodejs_compat_v2"}, Compat{Mode: ModeV2}},
		{"2025-09-01", []string{"nodejs_compat", "no_nodejs_compat_v2"}, Compat{Mode: ModeV1, PopulateProcessEnv: true}},
		{"2025-09-01", []string{"nodejs_compat", "nodejs_compat_do_not_populate_process_env"}, Compat{Mode: ModeV2}},
		{"2024-01-01", []string{"nodejs_compat", "nodejs_compat_populate_process_env"}, Compat{Mode: ModeV1, PopulateProcessEnv: true}},
		{"2025-09-01", []string{"nodejs_als"}, Compat{Mode: ModeALS}},
	} {
		if got := CompatFor(tc.date, tc.flags); got != tc.want {
			t.Errorf("CompatFor(%q, %v) = %+v, want %+v", tc.date, tc.flags, got, tc.want)
		}
	}
}

func TestResolveByMode(t *testing.T) {
	v2, v1, als, none := Compat{Mode: ModeV2}, Compat{Mode: ModeV1}, Compat{Mode: ModeALS}, Compat{}
	for _, tc := range []struct {
		spec   string
		c      Compat
		id     string // "" = not a built-in here
		errHas string // a *ResolveError containing this
	}{
		{"cloudflare:workers", none, "cloudflare:workers", ""},
		{"cloudflare:nope", v2, "", "edgerun provides cloudflare:sockets, cloudflare:workers"},
		{"node:async_hooks", v2, "node:async_hooks", ""},
		{"async_hooks", v2, "node:async_hooks", ""},
		{"async_hooks", v1, "", ""},
		{"node:async_hooks", v1, "node:async_hooks", ""},
		{"node:async_hooks", als, "node:async_hooks", ""},
		{"node:fs", v2, "node:fs", ""},
		{"fs", v2, "node:fs", ""},
		{"node:fs", v1, "", "nodejs_compat_v2"},
		{"node:fs", als, "", "nodejs_compat"},
		{"node:async_hooks", none, "", `Add the "nodejs_compat" compatibility flag`},
		{"events", none, "", ""},
		{"node:nope", v2, "", "not a Node.js built-in"},
		{"./local", v2, "", ""},
		{"lodash", v2, "", ""},
		{"lodash/fp", v2, "", ""},
	} {
		id, ok, err := Resolve(tc.spec, tc.c)
		if tc.errHas != "" {
			var re *ResolveError
			if !errors.As(err, &re) || !strings.Contains(err.Error(), tc.errHas) || ok {
				t.Errorf("Resolve(%q, %s) = %q, %v, %v; want an error with %q", tc.spec, tc.c.Mode, id, ok, err, tc.errHas)
			}
			continue
		}
		if err != nil || ok != (tc.id != "") || id != tc.id {
			t.Errorf("Resolve(%q, %s) = %q, %v, %v; want %q", tc.spec, tc.c.Mode, id, ok, err, tc.id)
		}
	}
}

// Every implemented module has its file, and every file is registered.
func TestEveryModuleFileIsRegistered(t *testing.T) {
	files := map[string]bool{}
	for _, b := range builtins {
		files[fileOf(b.id)] = true
		// Each compiles (they are compiled lazily in use: this is where
		// a syntax error in one shows).
		if _, err := programs[b.id](); err != nil {
			t.Errorf("%s: %v", b.id, err)
		}
	}
	var walk func(dir string)
	walk = func(dir string) {
		entries, err := jsFiles.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			p := dir + "/" + e.Name()
			if e.IsDir() {
				walk(p)
			} else if !files[p] {
				t.Errorf("%s is not registered in builtins", p)
			}
		}
	}
	walk("js")
}

// A module's internal files are not built-ins a script can import.
func TestInternalModulesAreNotResolvable(t *testing.T) {
	for _, spec := range []string{"node:internal/streams/readable", "internal/streams/readable"} {
		if id, ok, _ := Resolve(spec, Compat{Mode: ModeV2}); ok {
			t.Errorf("Resolve(%q) = %q; internal modules must not resolve", spec, id)
		}
	}
}

// A syntax error in a module's file is reported at its own file, line and
// column (the factory's head shares the first line).
func TestModuleSyntaxErrorNamesTheFile(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"let x = ;\n", "js/node/demo.js:1:9"},
		{"// fine\nconst a = 1;\nconst a = 2;\n", "js/node/demo.js:3:"},
	} {
		fsys := fstest.MapFS{"js/node/demo.js": {Data: []byte(tc.src)}}
		_, err := compileModule(fsys, "node:demo")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("compile %q: %v, want an error at %s", tc.src, err, tc.want)
		}
	}
	if _, err := compileModule(fstest.MapFS{"js/node/demo.js": {Data: []byte("module.exports = 1;")}}, "node:demo"); err != nil {
		t.Errorf("a good file: %v", err)
	}
}
