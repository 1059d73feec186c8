package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
)

// spanDump is the test file added to the copied example: it runs the shop
// with the mock tracer and writes each finished span as a JSON line.
const spanDump = `package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"testing"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/mocktracer"
)

func TestDumpSpans(t *testing.T) {
	tr := mocktracer.New()
	if err := tracegen.SetGlobalTracer(tr); err != nil {
		t.Fatal(err)
	}
	run(context.Background(), io.Discard)
	f, err := os.Create(os.Getenv("SPAN_DUMP"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	enc := json.NewEncoder(f)
	for _, s := range tr.FinishedSpans() {
		rec := map[string]any{
			"id": s.SpanID(), "parent": s.ParentID(), "name": s.OperationName(),
			"error": s.Tag("error") == true, "kind": s.Tag("span.kind"),
		}
		for _, l := range s.Logs() {
			for _, kv := range l.Fields {
				if kv.Key == "error.kind" {
					rec["errorKind"] = kv.Value
				}
			}
		}
		if err := enc.Encode(rec); err != nil {
			t.Fatal(err)
		}
	}
}
`

type dumpedSpan struct {
	ID        uint64 `json:"id"`
	Parent    uint64 `json:"parent"`
	Name      string `json:"name"`
	Error     bool   `json:"error"`
	Kind      any    `json:"kind"`
	ErrorKind string `json:"errorKind"`
}

// TestExampleSpanTree instruments a copy of examples/shop with the built
// tracegen, runs it with the mock tracer and checks the span tree: names,
// parent links, errors and the recorded panic.
func TestExampleSpanTree(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a module")
	}
	t.Parallel()
	repo := repoRoot(t)
	dir := t.TempDir()
	copyGoFiles(t, filepath.Join(repo, "examples", "shop"), dir)
	writeFile(t, filepath.Join(dir, "go.mod"), fmt.Sprintf(
		"module example.com/shop\n\ngo 1.26\n\nrequire github.com/tracegen/tracegen/runtime v0.0.0\n\nreplace github.com/tracegen/tracegen/runtime => %s\n", filepath.Join(repo, "runtime")))
	writeFile(t, filepath.Join(dir, "dump_test.go"), spanDump)

	bin := buildTracegen(t)
	env := offlineEnv(t)
	runIn(t, dir, env, bin, ".")
	runIn(t, dir, env, bin, "check", ".")
	dump := filepath.Join(t.TempDir(), "spans.jsonl")
	runIn(t, dir, append(env, "SPAN_DUMP="+dump), "go", "test", "-count=1", "-run=TestDumpSpans", ".")

	got := spanTree(t, readSpans(t, dump))
	want := []string{
		"main.(*Shop).Checkout",
		"  main.(*Shop).reserve",
		"  main.(*Shop).reserve",
		"  main.charge [client]",
		"  main.ship",
		"    main.parseAddress",
		"main.(*Shop).Checkout error=*fmt.wrapError",
		"  main.(*Shop).reserve error=*fmt.wrapError",
		"main.(*Shop).Checkout error=*errors.errorString",
		"  main.(*Shop).reserve",
		"  main.charge [client]",
		"  main.ship error=*errors.errorString",
		"    main.parseAddress error=panic: string",
	}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("span tree (-want +got):\n%s", diff)
	}
}

// spanTree renders spans as indented lines, children under their parents
// in start order (ids grow as spans start).
func spanTree(t *testing.T, spans []dumpedSpan) []string {
	t.Helper()
	children := map[uint64][]dumpedSpan{}
	known := map[uint64]bool{}
	for _, s := range spans {
		known[s.ID] = true
	}
	for _, s := range spans {
		p := s.Parent
		if !known[p] {
			if p != 0 {
				t.Errorf("span %s has parent %d, which never finished", s.Name, p)
			}
			p = 0
		}
		children[p] = append(children[p], s)
	}
	var lines []string
	var walk func(parent uint64, depth int)
	walk = func(parent uint64, depth int) {
		kids := children[parent]
		slices.SortFunc(kids, func(a, b dumpedSpan) int { return cmp.Compare(a.ID, b.ID) })
		for _, s := range kids {
			line := strings.Repeat("  ", depth) + s.Name
			if s.Kind != nil {
				line += fmt.Sprintf(" [%v]", s.Kind)
			}
			if s.Error {
				line += " error=" + s.ErrorKind
			}
			lines = append(lines, line)
			walk(s.ID, depth+1)
		}
	}
	walk(0, 0)
	return lines
}

func readSpans(t *testing.T, path string) []dumpedSpan {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var spans []dumpedSpan
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var s dumpedSpan
		if err := json.Unmarshal([]byte(line), &s); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		spans = append(spans, s)
	}
	return spans
}

// buildTracegen builds the command into a temporary directory.
func buildTracegen(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "tracegen")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// offlineEnv is the environment for the go command in a temporary module
// that replaces this repository: the module cache, no network.
func offlineEnv(t testing.TB) []string {
	t.Helper()
	env := os.Environ()
	for k, v := range goEnvironment(t) {
		env = append(env, k+"="+v)
	}
	return env
}

func runIn(t testing.TB, dir string, env []string, name string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

func copyGoFiles(t testing.TB, from, to string) {
	t.Helper()
	matches, err := filepath.Glob(filepath.Join(from, "*.go"))
	if err != nil || len(matches) == 0 {
		t.Fatalf("no Go files in %s: %v", from, err)
	}
	for _, m := range matches {
		b, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(to, filepath.Base(m)), string(b))
	}
}

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
