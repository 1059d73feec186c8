package rewrite

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tracegen/tracegen/templates"
)

var update = flag.Bool("update", false, "rewrite the golden files in ../testdata/<case>/want")

// The golden cases are ../testdata/<case>: in/ is a package (any files and
// subdirectories), want/ is what it becomes, plus want/result.txt listing
// the targets and diagnostics. An optional file named template selects the
// built-in template (several: the case runs with each, into
// want-<template>), and tags the build tags.
const goldenDir = "../testdata"

func TestMain(m *testing.M) {
	// The golden module's dependencies (opentracing-go and OpenTelemetry for
	// the template cases) come from the module cache, or from the module
	// proxy on a fresh machine, checked against the repository's go.sum files.
	os.Setenv("GOFLAGS", "-mod=mod")
	os.Setenv("GOSUMDB", "off")
	os.Setenv("GOWORK", "off")
	// Every function instrumented without dst on its body is also
	// instrumented with it, for the tests to compare (gofmt-clean input
	// must come out the same).
	compareInsert = true
	os.Exit(m.Run())
}

type goldenCase struct {
	name     string // the case's directory in the golden module
	in, want string // its input and expected output under goldenDir
	template string
	tags     []string
	rules    bool // in/tracegen.yaml is the case's rule file
}

// goldenCases lists the cases. A case whose template file names several
// templates is run once with each, as <case>_<template>, into
// want-<template>.
func goldenCases(t *testing.T) []goldenCase {
	entries, err := os.ReadDir(goldenDir)
	if err != nil {
		t.Fatal(err)
	}
	var cases []goldenCase
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		base := filepath.Join(goldenDir, e.Name())
		var tags, tmpls []string
		if b, err := os.ReadFile(filepath.Join(base, "template")); err == nil {
			tmpls = strings.Fields(string(b))
		}
		if b, err := os.ReadFile(filepath.Join(base, "tags")); err == nil {
			tags = strings.Fields(string(b))
		}
		_, err := os.Stat(filepath.Join(base, "in", "tracegen.yaml"))
		hasRules := err == nil
		if len(tmpls) <= 1 {
			c := goldenCase{name: e.Name(), in: filepath.Join(base, "in"), want: filepath.Join(base, "want"), template: "tracegen", tags: tags, rules: hasRules}
			if len(tmpls) == 1 {
				c.template = tmpls[0]
			}
			cases = append(cases, c)
			continue
		}
		for _, tm := range tmpls {
			cases = append(cases, goldenCase{name: e.Name() + "_" + tm, in: filepath.Join(base, "in"), want: filepath.Join(base, "want-"+tm), template: tm, tags: tags, rules: hasRules})
		}
	}
	return cases
}

// readTree reads every file under dir, by slash path relative to dir.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func writeTree(t testing.TB, dir string, files map[string][]byte) {
	t.Helper()
	for rel, b := range files {
		path := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// goldenModule writes every case's input into one module, so that all
// outputs are built and vetted by a single go command.
func goldenModule(t *testing.T, cases []goldenCase) string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	gomod := fmt.Sprintf(`module example.com/golden

go 1.26

require (
	github.com/opentracing/opentracing-go v1.2.0
	github.com/tracegen/tracegen/runtime v0.0.0
	go.opentelemetry.io/otel v1.47.0
	go.opentelemetry.io/otel/sdk v1.47.0
	go.opentelemetry.io/otel/trace v1.47.0
)

replace github.com/tracegen/tracegen/runtime => %s
`, filepath.Join(root, "runtime"))
	// The checksums of those modules are in the go.sum of the repository's
	// modules that use them (the bridges, bench).
	sums, err := filepath.Glob("../runtime/bridge/*/go.sum")
	if err != nil {
		t.Fatal(err)
	}
	var sum []byte
	for _, f := range append(sums, "../bench/go.sum") {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sum = append(sum, b...)
	}
	writeTree(t, dir, map[string][]byte{"go.mod": []byte(gomod), "go.sum": sum})
	for _, c := range cases {
		writeTree(t, filepath.Join(dir, c.name), readTree(t, c.in))
	}
	return dir
}

// runCases runs the rewrite on every case, one Run per template and tag set,
// and one for each case with rules.
func runCases(t *testing.T, dir string, cases []goldenCase, mode Mode) map[string]*Result {
	t.Helper()
	groups := map[string][]string{}
	for _, c := range cases {
		key := c.template + "|" + strings.Join(c.tags, ",") + "|"
		if c.rules {
			key += filepath.Join(dir, c.name, "tracegen.yaml")
		}
		groups[key] = append(groups[key], "./"+c.name+"/...")
	}
	results := map[string]*Result{}
	for key, patterns := range groups {
		parts := strings.Split(key, "|")
		name, tags, rulesFile := parts[0], parts[1], parts[2]
		tmpl, err := templates.Builtin(name)
		if err != nil {
			t.Fatal(err)
		}
		cfg := Config{Dir: dir, Patterns: patterns, Template: tmpl, Mode: mode, RulesFile: rulesFile, NoRules: rulesFile == ""}
		if tags != "" {
			cfg.Tags = strings.Split(tags, ",")
		}
		res, err := Run(cfg)
		if err != nil {
			t.Fatalf("Run(%v): %v", patterns, err)
		}
		for _, p := range patterns {
			results[strings.TrimSuffix(strings.TrimPrefix(p, "./"), "/...")] = res
		}
	}
	return results
}

// caseOutput is the contents of a case after a run: every file, changed or not.
func caseOutput(t *testing.T, dir, name string, res *Result) map[string][]byte {
	files := readTree(t, filepath.Join(dir, name))
	prefix := filepath.Join(dir, name) + string(filepath.Separator)
	for _, f := range res.Files {
		if rel, ok := strings.CutPrefix(f.Path, prefix); ok {
			files[filepath.ToSlash(rel)] = f.New
		}
	}
	return files
}

// report lists a case's targets and diagnostics with paths relative to it.
func report(dir, name string, res *Result) []byte {
	prefix := filepath.Join(dir, name) + string(filepath.Separator)
	rel := func(s string) (string, bool) {
		r, ok := strings.CutPrefix(s, prefix)
		return filepath.ToSlash(r), ok
	}
	var lines []string
	for _, tg := range res.Targets {
		if p, ok := rel(tg.Pos.Filename); ok {
			why := tg.Reason
			if tg.Note != "" {
				why += "; " + tg.Note
			}
			lines = append(lines, fmt.Sprintf("target %s:%d:%d: %s span=%q %s (%s)", p, tg.Pos.Line, tg.Pos.Column, tg.Func, tg.SpanName, tg.State, why))
		}
	}
	for _, d := range res.Diagnostics {
		if p, ok := rel(d.Pos.Filename); ok {
			sev := "error"
			if d.Severity == Warning {
				sev = "warning"
			}
			lines = append(lines, fmt.Sprintf("%s %s:%d:%d: %s", sev, p, d.Pos.Line, d.Pos.Column, d.Message))
		}
	}
	return []byte(strings.Join(lines, "\n") + "\n")
}

func TestGolden(t *testing.T) {
	cases := goldenCases(t)
	dir := goldenModule(t, cases)

	mismatches := insertMismatches.Load()
	applied := runCases(t, dir, cases, Apply)
	if n := insertMismatches.Load() - mismatches; n > 0 {
		t.Errorf("%d functions were instrumented differently without dst on their bodies than with it", n)
	}
	outputs := map[string]map[string][]byte{}
	for _, c := range cases {
		got := caseOutput(t, dir, c.name, applied[c.name])
		got["result.txt"] = report(dir, c.name, applied[c.name])
		outputs[c.name] = got
		wantDir := c.want
		if *update {
			os.RemoveAll(wantDir)
			writeTree(t, wantDir, got)
			continue
		}
		in := readTree(t, c.in)
		for name, src := range got {
			if strings.HasSuffix(name, ".go") && isGofmt(in[name]) && !isGofmt(src) {
				t.Errorf("case %s: %s is gofmt-clean, its output is not:\n%s", c.name, name, src)
			}
		}
		want := readTree(t, wantDir)
		if diff := cmp.Diff(stringsOf(want), stringsOf(got)); diff != "" {
			t.Errorf("case %s: output differs from %s (-want +got); if the change is right, run go test ./rewrite -update\n%s", c.name, wantDir, diff)
		}
	}

	// Every output is built and vetted, tests included.
	for name, files := range outputs {
		delete(files, "result.txt")
		writeTree(t, filepath.Join(dir, name), files)
	}
	builds := [][]string{{"build", "./..."}, {"vet", "./..."}}
	for _, c := range cases {
		if len(c.tags) > 0 {
			builds = append(builds, []string{"vet", "-tags=" + strings.Join(c.tags, ","), "./" + c.name + "/..."})
		}
	}
	for _, args := range builds {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %s on the golden outputs: %v\n%s", strings.Join(args, " "), err, out)
		}
	}

	// Every case's own tests run against the instrumented code, with no
	// tracer and with a recording one installed: they must pass, both
	// ways alike.
	testWithTracers(t, dir, cases)

	// Apply again: nothing changes. Strip: the inputs come back, byte for byte.
	missed := fastPathMissed.Load()
	again := runCases(t, dir, cases, Apply)
	if n := fastPathMissed.Load() - missed; n > 0 {
		t.Errorf("applying again rewrote %d functions with dst that the dst-free check should have found current", n)
	}
	stripped := runCases(t, dir, cases, Strip)
	for _, c := range cases {
		for _, f := range again[c.name].Files {
			if strings.HasPrefix(f.Path, filepath.Join(dir, c.name)+string(filepath.Separator)) {
				t.Errorf("case %s: applying again changes %s:\n%s", c.name, f.Path, cmp.Diff(string(f.Old), string(f.New)))
			}
		}
		in := readTree(t, c.in)
		got := caseOutput(t, dir, c.name, stripped[c.name])
		if diff := cmp.Diff(stringsOf(in), stringsOf(got)); diff != "" {
			t.Errorf("case %s: strip(want) differs from the input (-in +stripped):\n%s", c.name, diff)
		}
	}
}

func stringsOf(m map[string][]byte) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = string(v)
	}
	return out
}

// goldenInputs lists every Go input file of the golden cases, for seeds.
func goldenInputs(t testing.TB) [][]byte {
	var srcs [][]byte
	paths, _ := filepath.Glob(filepath.Join(goldenDir, "*", "in", "*.go"))
	sort.Strings(paths)
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, b)
	}
	return srcs
}

// tracerFiles install a recording tracer for each template's API when
// TRACEGEN_GOLDEN_TRACER is set, in an init function of a case's test
// package; their test, which runs last, checks that spans were recorded.
var tracerFiles = map[string]string{
	"tracegen": `import (
	"os"
	"testing"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/mocktracer"
)

var zzTracer = mocktracer.New()

func init() {
	if os.Getenv("TRACEGEN_GOLDEN_TRACER") != "" {
		tracegen.SetGlobalTracer(zzTracer)
	}
}

func TestZZSpansRecorded(t *testing.T) {
	if os.Getenv("TRACEGEN_GOLDEN_TRACER") != "" && len(zzTracer.FinishedSpans()) == 0 {
		t.Error("the tracer recorded no spans")
	}
}
`,
	"opentracing": `import (
	"os"
	"testing"

	"github.com/opentracing/opentracing-go"
	"github.com/opentracing/opentracing-go/mocktracer"
)

var zzTracer = mocktracer.New()

func init() {
	if os.Getenv("TRACEGEN_GOLDEN_TRACER") != "" {
		opentracing.SetGlobalTracer(zzTracer)
	}
}

func TestZZSpansRecorded(t *testing.T) {
	if os.Getenv("TRACEGEN_GOLDEN_TRACER") != "" && len(zzTracer.FinishedSpans()) == 0 {
		t.Error("the tracer recorded no spans")
	}
}
`,
	"otel": `import (
	"os"
	"testing"

	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

var zzExporter = tracetest.NewInMemoryExporter()

func init() {
	if os.Getenv("TRACEGEN_GOLDEN_TRACER") != "" {
		otel.SetTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSyncer(zzExporter)))
	}
}

func TestZZSpansRecorded(t *testing.T) {
	if os.Getenv("TRACEGEN_GOLDEN_TRACER") != "" && len(zzExporter.GetSpans()) == 0 {
		t.Error("the tracer recorded no spans")
	}
}
`,
}

// testWithTracers runs the tests of every case that has some, in dir where
// the cases are instrumented, without a tracer and with one, and checks
// that every test passes both ways. A case whose tests install a tracer
// themselves gets none from here.
func testWithTracers(t *testing.T, dir string, cases []goldenCase) {
	t.Helper()
	var pkgs []string
	for _, c := range cases {
		in := readTree(t, c.in)
		pkg, hasTests, ownTracer := "", false, false
		for name, src := range in {
			if !strings.HasSuffix(name, ".go") || strings.Contains(name, "/") {
				continue
			}
			if strings.HasSuffix(name, "_test.go") {
				hasTests = true
				ownTracer = ownTracer || bytes.Contains(src, []byte("SetGlobalTracer"))
			} else if f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.PackageClauseOnly); err == nil {
				pkg = f.Name.Name
			}
		}
		if !hasTests {
			continue
		}
		pkgs = append(pkgs, "./"+c.name+"/")
		if ownTracer || pkg == "" {
			continue
		}
		src := "package " + pkg + "\n\n" + tracerFiles[c.template]
		writeTree(t, filepath.Join(dir, c.name), map[string][]byte{"zz_tracer_test.go": []byte(src)})
		defer os.Remove(filepath.Join(dir, c.name, "zz_tracer_test.go"))
	}
	results := make([]map[string]string, 2)
	for i, env := range []string{"", "1"} {
		cmd := exec.Command("go", append([]string{"test", "-count=1", "-json"}, pkgs...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "TRACEGEN_GOLDEN_TRACER="+env)
		out, err := cmd.Output()
		results[i] = map[string]string{}
		for _, line := range bytes.Split(out, []byte("\n")) {
			var ev struct{ Action, Package, Test, Output string }
			if json.Unmarshal(line, &ev) != nil || ev.Test == "" {
				continue
			}
			switch ev.Action {
			case "pass", "fail", "skip":
				results[i][ev.Package+" "+ev.Test] = ev.Action
			case "output":
				if strings.Contains(ev.Output, "--- FAIL") || strings.Contains(ev.Output, "_test.go:") {
					t.Logf("tracer=%q: %s: %s", env, ev.Test, strings.TrimSpace(ev.Output))
				}
			}
		}
		if err != nil {
			t.Errorf("go test on the instrumented cases (tracer=%q): %v", env, err)
		}
	}
	if len(results[0]) == 0 {
		t.Fatal("no tests ran")
	}
	if diff := cmp.Diff(results[0], results[1]); diff != "" {
		t.Errorf("test results without a tracer (-) and with one (+) differ:\n%s", diff)
	}
}
