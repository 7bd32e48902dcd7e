// Command pgserver runs a throwaway PostgreSQL for the bench scripts: it starts
// edgerun's managed server (localpg, which also works as root) on a fresh
// temporary data directory, optionally applies a migrations directory, prints
// the connection string as one line on stdout, and on SIGTERM or SIGINT stops
// the server and deletes the data directory.
//
// Usage: pgserver [-migrations dir] [-database name]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"edgerun/bindings/localpg"
)

const (
	startTimeout = 60 * time.Second
	stopTimeout  = 30 * time.Second
)

func main() {
	migrations := flag.String("migrations", "", "directory of *.sql migrations to apply before printing the connection string")
	database := flag.String("database", "bench", "database to create and name in the connection string")
	flag.Parse()
	log.SetPrefix("pgserver: ")
	log.SetFlags(0)
	if err := run(*migrations, *database); err != nil {
		log.Fatal(err)
	}
}

func run(migrations, database string) (err error) {
	signals, stopSignals := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stopSignals()

	dir, err := os.MkdirTemp("", "edgerun-bench-pg-")
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, os.RemoveAll(dir)) }()
	// MkdirTemp makes it 0700; as root the server runs as another user, who must enter it.
	if err := os.Chmod(dir, 0o755); err != nil {
		return err
	}

	startCtx, cancel := context.WithTimeout(signals, startTimeout)
	defer cancel()
	server, err := localpg.Start(startCtx, localpg.Options{DataDir: dir, Database: database, StartTimeout: startTimeout})
	if err != nil {
		return fmt.Errorf("starting PostgreSQL: %w", err)
	}
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), stopTimeout)
		defer cancel()
		err = errors.Join(err, server.Stop(stopCtx))
	}()

	if migrations != "" {
		applied, err := localpg.Migrate(startCtx, server.ConnString(), migrations)
		if err != nil {
			return fmt.Errorf("migrations: %w", err)
		}
		log.Printf("applied %s", strings.Join(applied, ", "))
	}
	// The bench script waits for this line: the database is ready once it is printed.
	fmt.Println(server.ConnString())
	<-signals.Done()
	return nil
}
