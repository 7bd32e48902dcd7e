package runtime

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestDateIsUTCWhateverTheHostZone runs the workerd probes (Intl's and
// the Date ones among them, recorded in UTC as Workers run) in a child
// process whose TZ is America/New_York, and checks there that the host's
// own zone (its log times) stayed New York's: the isolate's Date is UTC,
// the process's time.Local is not touched.
func TestDateIsUTCWhateverTheHostZone(t *testing.T) {
	if os.Getenv("EDGERUN_TZ_CHILD") == "1" {
		if _, off := time.Date(2020, 7, 1, 0, 0, 0, 0, time.Local).Zone(); off != -4*3600 {
			t.Fatalf("the child's host zone is %s (offset %d): TZ did not take", time.Local, off)
		}
		return
	}
	if testing.Short() {
		t.Skip("runs a child test process")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^(TestDateIsUTCWhateverTheHostZone|TestWorkerdProbes)$", "-test.v")
	cmd.Env = append(os.Environ(), "TZ=America/New_York", "EDGERUN_TZ_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("under TZ=America/New_York: %v\n%s", err, out)
	}
	for _, want := range []string{"--- PASS: TestWorkerdProbes", "--- PASS: TestDateIsUTCWhateverTheHostZone"} {
		if !strings.Contains(string(out), want) {
			t.Fatalf("child output lacks %q:\n%s", want, out)
		}
	}
}
