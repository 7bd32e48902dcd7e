package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"edgerun/runtime"
)

// proxyPasswordEnv holds the fixed password of `edgerun proxy --user`: an
// environment variable, not a flag, since a command line is visible to
// every user of the machine (ps).
const proxyPasswordEnv = "EDGERUN_PROXY_PASSWORD"

// stringsFlag is a repeatable string flag.
type stringsFlag []string

func (s *stringsFlag) String() string     { return strings.Join(*s, ",") }
func (s *stringsFlag) Set(v string) error { *s = append(*s, v); return nil }

// proxyCmd runs the local Hyperdrive of the project's [[hyperdrive]]
// entries alone, with no worker: a pooling, caching PostgreSQL endpoint
// for any local program. It prints each binding's connection string on
// stdout (the only place its password is shown) and serves until SIGINT or
// SIGTERM.
func proxyCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("proxy", "Run the local Hyperdrive of the [[hyperdrive]] entries alone (no worker): a pooling, caching PostgreSQL\n"+
		"endpoint on loopback for psql, pgx, Node or any driver. Prints each binding's connection string.\n"+
		"Credentials are random per process unless --user is given with the password in $"+proxyPasswordEnv+".", stderr)
	var pf projectFlags
	pf.register(fs)
	var names stringsFlag
	fs.Var(&names, "binding", "run only this [[hyperdrive]] binding (repeatable; default: every entry)")
	port := fs.Int("port", 0, "the listener's port, with one binding selected (default: the entry's local_port, else one chosen at start)")
	user := fs.String("user", "", "fixed user name for clients (with $"+proxyPasswordEnv+"; default: random per process)")
	logFormat := fs.String("log-format", "pretty", "log format: pretty or json")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn or error")
	adminAddr := fs.String("admin", "", `admin listener for /healthz, /readyz, /health and /metrics: host:port, or "off" (default: [edgerun] admin, else 127.0.0.1:9787)`)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "edgerun proxy: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	log, prog, logOut, err := flagLogger(stderr, *logFormat, *logLevel)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	defer logOut.Sync()
	password := os.Getenv(proxyPasswordEnv)
	switch {
	case *user != "" && password == "":
		log.Error(fmt.Sprintf("--user needs the password in $%s", proxyPasswordEnv))
		return 2
	case *user == "" && password != "":
		log.Error(fmt.Sprintf("$%s is set: give the user name with --user too", proxyPasswordEnv))
		return 2
	}
	pf.noEntry = true
	cfg, err := pf.load(stderr, log)
	if err != nil {
		log.Error(err.Error())
		return 1
	}
	adminListen := cfg.Edgerun.Admin
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "admin" {
			adminListen = *adminAddr
		}
	})
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	p, err := runtime.OpenProxy(ctx, runtime.ProxyOptions{Config: cfg, Bindings: names, Port: *port, User: *user, Password: password, Log: log, Progress: prog})
	if err != nil {
		log.Error(err.Error())
		return 1
	}
	for _, b := range p.Bindings() {
		// stdout, never the log: the string carries the listener's password
		// (the origin's is never shown).
		fmt.Fprintf(stdout, "%s %s\n", b.Name(), b.Properties().ConnectionString)
	}
	if f, ok := stdout.(*os.File); ok {
		_ = f.Sync()
	}
	log.Info(fmt.Sprintf("%s: local Hyperdrive for %d binding(s) ready; the connection strings are on stdout", cfg.Name, len(p.Bindings())))
	serveAdmin(p, adminListen, log)
	<-ctx.Done()
	stop()
	log.Info("shutting down: closing client connections and pools")
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := p.Shutdown(sctx); err != nil {
		log.Error("shutdown: " + err.Error())
		return 1
	}
	return 0
}
