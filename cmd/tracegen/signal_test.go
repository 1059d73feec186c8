//go:build unix

package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestInterruptedWrites interrupts tracegen at random moments of a run on
// a package of many files, many times: every file must then be its old or
// its new version, no temporary file may be left, and the next run must
// finish the package.
func TestInterruptedWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("builds tracegen and runs it many times")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "tracegen")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	env := offlineEnv(t)
	src := filepath.Join(dir, "src")
	writeFile(t, filepath.Join(src, "go.mod"), fmt.Sprintf(
		"module example.com/big\n\ngo 1.26\n\nrequire github.com/tracegen/tracegen/runtime v0.0.0\n\nreplace github.com/tracegen/tracegen/runtime => %s\n",
		filepath.Join(repoRoot(t), "runtime")))
	const files = 300
	for i := range files {
		writeFile(t, filepath.Join(src, "p", fmt.Sprintf("f%03d.go", i)), fmt.Sprintf(
			"package p\n\nimport \"context\"\n\n//trace:span\nfunc F%d(ctx context.Context) error { return ctx.Err() }\n", i))
	}
	// The instrumented package, and how long a whole run takes.
	want := filepath.Join(dir, "want")
	copyTree(t, src, want)
	start := time.Now()
	runIn(t, want, env, bin, "./...")
	whole := time.Since(start)

	for round := range 8 {
		work := filepath.Join(dir, fmt.Sprintf("work%d", round))
		copyTree(t, src, work)
		cmd := exec.Command(bin, "./...")
		cmd.Dir, cmd.Env = work, env
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rand.Int64N(int64(whole))))
		sig := []os.Signal{os.Interrupt, syscall.SIGTERM}[round%2]
		cmd.Process.Signal(sig)
		err := cmd.Wait()
		written := 0
		entries, _ := os.ReadDir(filepath.Join(work, "p"))
		for _, e := range entries {
			if strings.Contains(e.Name(), ".tracegen-") {
				t.Errorf("round %d: temporary file %s left", round, e.Name())
				continue
			}
			got, _ := os.ReadFile(filepath.Join(work, "p", e.Name()))
			old, _ := os.ReadFile(filepath.Join(src, "p", e.Name()))
			neu, _ := os.ReadFile(filepath.Join(want, "p", e.Name()))
			switch {
			case bytes.Equal(got, neu) && !bytes.Equal(got, old):
				written++
			case !bytes.Equal(got, old):
				t.Errorf("round %d: %s is neither its old nor its new version:\n%s", round, e.Name(), got)
			}
		}
		if err == nil && written != files {
			t.Errorf("round %d: exit 0 with %d of %d files written; stderr:\n%s", round, written, files, &stderr)
		}
		t.Logf("round %d: %v after %v: %d of %d files written (%v)", round, sig, whole, written, files, err)
		// The next run finishes the package.
		runIn(t, work, env, bin, "./...")
		for i := range files {
			name := fmt.Sprintf("f%03d.go", i)
			got, _ := os.ReadFile(filepath.Join(work, "p", name))
			neu, _ := os.ReadFile(filepath.Join(want, "p", name))
			if !bytes.Equal(got, neu) {
				t.Fatalf("round %d: the run after the interrupted one did not finish %s", round, name)
			}
		}
	}
}
