package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBinarySize builds a small HTTP service four ways and logs the sizes:
// not instrumented; instrumented with the console exporter; set up from the
// environment with setup.FromEnv (OTLP over HTTP, Zipkin, console); and the
// same with the gRPC transport imported. What tracing adds must stay small
// unless gRPC is asked for: setup.FromEnv at most 1.5 times the console
// binary, and gRPC linked only by its own import.
func TestBinarySize(t *testing.T) {
	if testing.Short() {
		t.Skip("builds four binaries")
	}
	dir := t.TempDir()
	size := map[string]int64{}
	builds := []struct{ name, pkg, tags string }{
		{"plain", "plain", ""},
		{"console", "console", ""},
		{"setup", "setup", ""},
		{"setupgrpc", "setup", "grpc"}, // setup/grpc.go imports otlpgrpc
	}
	for _, b := range builds {
		name := b.name
		bin := filepath.Join(dir, name)
		cmd := exec.Command("go", "build", "-trimpath", "-tags="+b.tags, "-o", bin, "./testdata/binsize/"+b.pkg)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", name, err, out)
		}
		fi, err := os.Stat(bin)
		if err != nil {
			t.Fatal(err)
		}
		size[name] = fi.Size()
		t.Logf("%-10s %6.2f MB", name, float64(fi.Size())/1e6)
	}
	ratio := float64(size["setup"]) / float64(size["console"])
	t.Logf("setup.FromEnv / console = %.2f; with gRPC / console = %.2f; console / plain = %.2f",
		ratio, float64(size["setupgrpc"])/float64(size["console"]), float64(size["console"])/float64(size["plain"]))
	if ratio > 1.5 {
		t.Errorf("setup.FromEnv over OTLP/HTTP is %.2f times the console-only binary, want at most 1.5", ratio)
	}
	if size["setupgrpc"] <= size["setup"] {
		t.Errorf("importing otlpgrpc did not grow the binary (%d <= %d): is gRPC linked without it?", size["setupgrpc"], size["setup"])
	}
	if out, err := exec.Command("go", "version", "-m", filepath.Join(dir, "setup")).Output(); err != nil {
		t.Fatal(err)
	} else if strings.Contains(string(out), "google.golang.org/grpc") {
		t.Errorf("the setup binary links gRPC:\n%s", out)
	}
}
