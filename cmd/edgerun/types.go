package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"edgerun/runtime"
	"edgerun/runtime/config"
	"edgerun/runtime/typesgen"
)

// typesCmd writes worker-configuration.d.ts, as `wrangler types` does:
// Env with every binding and var of the configuration, typed. Without
// --env it covers the top level and every [env.<name>], as wrangler does,
// so one file serves every environment.
func typesCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("types", "Write TypeScript declarations of env (every binding and var, typed) from the configuration,\n"+
		"as `wrangler types` does: edgerun types [flags] [path]. path defaults to "+typesgen.DefaultOutput+" next to\n"+
		"the configuration file; a path given is relative to the current directory. Add it to tsconfig.json's \"types\".", stderr)
	var pf projectFlags
	pf.register(fs)
	envInterface := fs.String("env-interface", "Env", "name of the global interface that extends Cloudflare.Env")
	strictVars := fs.Bool("strict-vars", true, "type vars by their values (string literal types); false: by their kinds (string, number, …)")
	check := fs.Bool("check", false, "write nothing; exit 1 if the file is missing or differs from what would be written")
	var out string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		if out != "" {
			fmt.Fprintf(stderr, "edgerun types: unexpected argument %q\n", fs.Arg(0))
			return 2
		}
		// The path may come before flags, as in `wrangler types out.d.ts --env-interface X`.
		out, args = fs.Arg(0), fs.Args()[1:]
	}
	if len(pf.vars.values) > 0 {
		fmt.Fprintln(stderr, "edgerun types: --var values are not part of the configuration and would not be typed")
		return 2
	}
	log, _ := runtime.NewLogger(stderr, "pretty", slog.LevelInfo)
	out, src, command, err := generateTypes(pf, log, out, typesgen.Options{EnvInterface: *envInterface, LooseVars: !*strictVars})
	if err != nil {
		fmt.Fprintf(stderr, "✘ %v\n", err)
		return 1
	}
	if *check {
		have, err := os.ReadFile(out)
		if err != nil || !bytes.Equal(have, src) {
			fmt.Fprintf(stderr, "✘ %s is out of date: run %s\n", out, command)
			return 1
		}
		fmt.Fprintf(stdout, "✔ %s is up to date\n", out)
		return 0
	}
	if err := os.WriteFile(out, src, 0o644); err != nil {
		fmt.Fprintf(stderr, "✘ %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "✔ wrote %s (interface %s)\n", out, *envInterface)
	return 0
}

// generateTypes returns the declarations for pf's project, the file they
// belong in (out, or worker-configuration.d.ts next to the configuration)
// and the command line that regenerates them.
func generateTypes(pf projectFlags, log *slog.Logger, out string, opts typesgen.Options) (path string, src []byte, command string, err error) {
	pf.noEntry = true // types need the configuration only
	cfgs, err := typesConfigs(pf, log)
	if err != nil {
		return "", nil, "", err
	}
	words := []string{"edgerun types"}
	if opts.EnvInterface != "" && opts.EnvInterface != "Env" {
		words = append(words, "--env-interface "+opts.EnvInterface)
	}
	if pf.env != "" {
		words = append(words, "--env "+pf.env)
	}
	if opts.LooseVars {
		words = append(words, "--strict-vars=false")
	}
	opts.Command = strings.Join(words, " ")
	src, err = typesgen.Generate(cfgs, opts)
	if err != nil {
		return "", nil, "", err
	}
	if out == "" {
		out = filepath.Join(cfgs[0].Dir, typesgen.DefaultOutput)
	}
	return out, src, opts.Command, nil
}

// devTypes is `dev --types` / [dev] generate_types: worker-configuration.d.ts
// is rewritten at start when the configuration changed it, as wrangler dev
// does. A failure is logged; serving goes on.
func devTypes(pf projectFlags, log *slog.Logger) {
	pf.vars = varFlag{} // --var values are not part of the configuration
	pf.env = ""         // the file edgerun types writes: every environment
	out, src, _, err := generateTypes(pf, log, "", typesgen.Options{})
	if err == nil {
		if have, rerr := os.ReadFile(out); rerr == nil && bytes.Equal(have, src) {
			log.Debug(out + " is up to date")
			return
		}
		err = os.WriteFile(out, src, 0o644)
	}
	if err != nil {
		log.Warn(fmt.Sprintf("types: %v", err))
		return
	}
	log.Info("wrote " + out + " (the configuration's types changed)")
}

// typesConfigs loads the selected environment, or without --env the top
// level and then each environment the file defines.
func typesConfigs(pf projectFlags, log *slog.Logger) ([]*config.Config, error) {
	if pf.env != "" {
		cfg, err := pf.loadWith(log, os.LookupEnv)
		if err != nil {
			return nil, err
		}
		return []*config.Config{cfg}, nil
	}
	// CLOUDFLARE_ENV would select one environment; the file covers all.
	getenv := func(k string) (string, bool) {
		if k == "CLOUDFLARE_ENV" {
			return "", false
		}
		return os.LookupEnv(k)
	}
	top, err := pf.loadWith(log, getenv)
	if err != nil {
		return nil, err
	}
	cfgs := []*config.Config{top}
	for _, name := range top.Environments {
		pf.env = name
		cfg, err := pf.loadWith(log, getenv)
		if err != nil {
			return nil, err
		}
		cfgs = append(cfgs, cfg)
	}
	return cfgs, nil
}
