package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestCLI(t *testing.T) {
	cases := []struct {
		name     string
		args     []string
		code     int
		out, err string // substrings expected on stdout / stderr
	}{
		{"version", []string{"version"}, 0, "edgerun " + version, ""},
		{"help", []string{"--help"}, 0, "Usage:\n  edgerun <command>", ""},
		{"unknown command", []string{"deploy"}, 2, "", `unknown command "deploy"`},
		{"dev help", []string{"dev", "--help"}, 0, "", "-port int"},
		{"build ok", []string{"build", "-c", fixture("ts-app") + "/wrangler.toml"}, 0, "✔ ts-app: bundle", ""},
		{"build syntax error names the .ts file, line and column", []string{"build", "-c", fixture("syntax-error") + "/wrangler.toml"}, 1, "", "src/index.ts:4:28: Unexpected \")\""},
		{"bad config names its line", []string{"dev", "-c", fixture("bad-config") + "/wrangler.toml"}, 1, "", "wrangler.toml:5:"},
		{"bad --var", []string{"dev", "--var", "novalue"}, 2, "", "want KEY:VALUE"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(c.args, &stdout, &stderr)
			if code != c.code {
				t.Errorf("exit code = %d, want %d\nstdout: %s\nstderr: %s", code, c.code, stdout.String(), stderr.String())
			}
			if !strings.Contains(stdout.String(), c.out) {
				t.Errorf("stdout lacks %q:\n%s", c.out, stdout.String())
			}
			if !strings.Contains(stderr.String(), c.err) {
				t.Errorf("stderr lacks %q:\n%s", c.err, stderr.String())
			}
		})
	}
}
