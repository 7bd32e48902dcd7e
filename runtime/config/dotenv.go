package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// DotenvEntry is one KEY=value assignment of a dotenv file.
type DotenvEntry struct {
	Key   string
	Value string
	Line  int // 1-based line of the key
}

// jsSpace is JavaScript's \s, which the dotenv package's pattern relies on
// (Go's \s is ASCII only).
const jsSpace = `[\t\n\v\f\r \x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}\x{feff}]`

// dotenvLine is the dotenv package's LINE pattern (dotenv 16, which wrangler
// uses to read .dev.vars), with \s spelled out. Go's regexp picks the same
// match a backtracking engine would, so values come out as in wrangler:
// optional "export ", KEY=value or KEY: value, single/double/backtick quoted
// values that may span lines, and # comments after unquoted values.
var dotenvLine = regexp.MustCompile(strings.ReplaceAll(
	"(?m)^\\s*(?:export\\s+)?([\\w.-]+)(?:\\s*=\\s*?|:\\s+?)"+
		"(\\s*'(?:\\\\'|[^'])*'|\\s*\"(?:\\\\\"|[^\"])*\"|\\s*`(?:\\\\`|[^`])*`|[^#\\r\\n]+)?"+
		"\\s*(?:#.*)?$",
	`\s`, jsSpace))

// ParseDotenv parses a dotenv file exactly as wrangler does for .dev.vars.
// Later assignments to the same key win (callers apply entries in order).
// Double-quoted values turn \n and \r into newlines and carriage returns;
// other escapes are kept as written. ignored lists the lines that are neither
// an assignment, a comment nor blank: dotenv skips them silently, we let the
// caller warn.
func ParseDotenv(src []byte) (entries []DotenvEntry, ignored []int) {
	text := strings.ReplaceAll(string(src), "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")

	lineStarts := []int{0}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			lineStarts = append(lineStarts, i+1)
		}
	}
	lineAt := func(off int) int { // 1-based line containing byte offset off
		lo, hi := 0, len(lineStarts)
		for lo+1 < hi {
			mid := (lo + hi) / 2
			if lineStarts[mid] <= off {
				lo = mid
			} else {
				hi = mid
			}
		}
		return lo + 1
	}

	covered := make([]bool, len(lineStarts)+1)
	for _, m := range dotenvLine.FindAllStringSubmatchIndex(text, -1) {
		value := ""
		if m[4] >= 0 {
			value = text[m[4]:m[5]]
		}
		entries = append(entries, DotenvEntry{Key: text[m[2]:m[3]], Value: dotenvValue(value), Line: lineAt(m[2])})
		end := m[1]
		if end > m[0] {
			end-- // a match ending at a newline does not cover the next line
		}
		for l := lineAt(m[0]); l <= lineAt(end); l++ {
			covered[l] = true
		}
	}
	for l, start := range lineStarts {
		end := len(text)
		if l+1 < len(lineStarts) {
			end = lineStarts[l+1]
		}
		content := strings.TrimFunc(text[start:end], isJSSpace)
		if !covered[l+1] && content != "" && !strings.HasPrefix(content, "#") {
			ignored = append(ignored, l+1)
		}
	}
	return entries, ignored
}

// dotenvValue post-processes a raw match as dotenv does: trim, drop one pair
// of matching outer quotes, and expand \n and \r inside double quotes.
func dotenvValue(raw string) string {
	v := strings.TrimFunc(raw, isJSSpace)
	if v == "" {
		return v
	}
	quote := v[0]
	if len(v) >= 2 && (quote == '\'' || quote == '"' || quote == '`') && v[len(v)-1] == quote {
		v = v[1 : len(v)-1]
	}
	if quote == '"' {
		v = strings.ReplaceAll(v, `\n`, "\n")
		v = strings.ReplaceAll(v, `\r`, "\r")
	}
	return v
}

func isJSSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}

// secretsFile is what loadSecrets found.
type secretsFile struct {
	values map[string]string
	lines  map[string]int // key → line, in the file the value came from
	files  map[string]string
	paths  []string // files read, in order
}

// loadSecrets applies wrangler's rules for local secrets:
//   - with --env X, .dev.vars.X beside the config file, if it exists, is the
//     only file read; otherwise .dev.vars;
//   - with no .dev.vars file at all, and unless
//     CLOUDFLARE_LOAD_DEV_VARS_FROM_DOT_ENV=false, the .env files
//     (.env, .env.local, .env.X, .env.X.local — later ones win) are merged
//     and ${VAR} references expanded, as wrangler does with dotenv-expand.
//
// A file named by a display path (relative if the config path was) so that
// warnings read like the config file's.
func loadSecrets(dir, displayDir, env string, getenv func(string) (string, bool), prob *problems) (*secretsFile, error) {
	out := &secretsFile{values: map[string]string{}, lines: map[string]int{}, files: map[string]string{}}
	candidates := []string{".dev.vars"}
	if env != "" {
		candidates = []string{".dev.vars." + env, ".dev.vars"}
	}
	for _, name := range candidates {
		found, err := out.read(dir, displayDir, name, prob)
		if err != nil || found {
			return out, err
		}
	}
	if v, ok := getenv("CLOUDFLARE_LOAD_DEV_VARS_FROM_DOT_ENV"); ok && strings.EqualFold(strings.TrimSpace(v), "false") {
		return out, nil
	}
	envFiles := []string{".env", ".env.local"}
	if env != "" {
		envFiles = append(envFiles, ".env."+env, ".env."+env+".local")
	}
	for _, name := range envFiles {
		if _, err := out.read(dir, displayDir, name, prob); err != nil {
			return out, err
		}
	}
	if len(out.paths) > 0 {
		out.values = expandDotenv(out.values)
	}
	return out, nil
}

// read merges one dotenv file into s; found is false when it does not exist.
func (s *secretsFile) read(dir, displayDir, name string, prob *problems) (found bool, err error) {
	display := filepath.Join(displayDir, name)
	data, err := os.ReadFile(filepath.Join(dir, name))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, &Error{File: display, Message: "cannot read local secrets file: " + err.Error(), Err: err}
	}
	entries, ignored := ParseDotenv(data)
	for _, l := range ignored {
		prob.warnAt(display, l, "line ignored: not a KEY=value assignment")
	}
	for _, e := range entries {
		if msg := reservedBindingName(e.Key); msg != "" {
			prob.errorAt(display, e.Line, "%s", msg)
			continue
		}
		s.values[e.Key] = e.Value
		s.lines[e.Key] = e.Line
		s.files[e.Key] = display
	}
	s.paths = append(s.paths, display)
	return true, nil
}

var dotenvRef = regexp.MustCompile(`\\\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)`)

// expandDotenv resolves $NAME, ${NAME}, ${NAME:-default} (unset or empty)
// and ${NAME-default} (unset) against the merged values; \$ is a literal $.
// Like wrangler (without CLOUDFLARE_INCLUDE_PROCESS_ENV), the process
// environment is not consulted. References are resolved recursively; a cycle
// resolves to the empty string.
func expandDotenv(values map[string]string) map[string]string {
	out := make(map[string]string, len(values))
	resolving := map[string]bool{}
	var resolve func(name string) (string, bool)
	var expand func(s string) string
	resolve = func(name string) (string, bool) {
		if v, done := out[name]; done {
			return v, true
		}
		raw, ok := values[name]
		if !ok || resolving[name] {
			return "", ok
		}
		resolving[name] = true
		v := expand(raw)
		resolving[name] = false
		out[name] = v
		return v, true
	}
	expand = func(s string) string {
		return dotenvRef.ReplaceAllStringFunc(s, func(ref string) string {
			if ref == `\$` {
				return "$"
			}
			m := dotenvRef.FindStringSubmatch(ref)
			name := m[1] + m[4]
			v, set := resolve(name)
			switch m[2] {
			case ":-":
				if v == "" {
					return expand(m[3])
				}
			case "-":
				if !set {
					return expand(m[3])
				}
			}
			return v
		})
	}
	for name := range values {
		resolve(name)
	}
	return out
}
