package localpg_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"edgerun/bindings/localpg"
	"edgerun/bindings/localpg/pgtest"
)

// TestMain stops the one pgtest server the migration tests share, and doubles as the helper
// process of TestServerStopsWhenParentDies.
func TestMain(m *testing.M) {
	if dir := os.Getenv(localpg.HelperDataDirEnv); dir != "" {
		runHelper(dir)
	}
	code := m.Run()
	pgtest.StopAll()
	os.Exit(code)
}

func runHelper(dataDir string) {
	if _, err := localpg.Start(context.Background(), localpg.Options{DataDir: dataDir}); err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	pidFile, err := os.ReadFile(filepath.Join(dataDir, "pgdata", "postmaster.pid"))
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	pid, _, _ := strings.Cut(string(pidFile), "\n")
	fmt.Println("pid:", pid)
	time.Sleep(time.Hour) // until killed
}
