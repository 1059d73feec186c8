package main

import (
	"bytes"
	"errors"
	"flag"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"golang.org/x/tools/go/analysis/unitchecker"
	"golang.org/x/tools/imports"

	"github.com/tracegen/tracegen/analyzer"
)

// TestMain lets the test binary run as the tracegen command inside scripts.
func TestMain(m *testing.M) {
	testscript.Main(cleanupAfter{m}, map[string]func(){
		"tracegen": main,
		// The vet tool, as cmd/tracegen-vet builds it.
		"tracegen-vet": func() { unitchecker.Main(analyzer.Analyzer) },
	})
}

// cleanups run after all tests and benchmarks, for state they share.
var cleanups []func()

// cleanupAfter runs the cleanups once the tests have run.
type cleanupAfter struct{ m *testing.M }

func (c cleanupAfter) Run() int {
	code := c.m.Run()
	for _, f := range cleanups {
		f()
	}
	return code
}

var updateScripts = flag.Bool("update", false, "rewrite the scripts' files that cmp compares with the output")

// TestScript runs testdata/script/*.txtar against the real command. Each
// script's go.mod files may say $REPO for this repository's root, so that
// the scripts' modules build against its runtime offline, from the module
// cache.
func TestScript(t *testing.T) {
	repo := repoRoot(t)
	goEnv := goEnvironment(t)
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "script"),
		RequireExplicitExec: true,
		UpdateScripts:       *updateScripts,
		Setup: func(env *testscript.Env) error {
			env.Setenv("REPO", repo)
			for k, v := range goEnv {
				env.Setenv(k, v)
			}
			return expandRepo(env.WorkDir, repo)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"replace":   replaceCmd,
			"goimports": goimportsCmd,
			"code":      codeCmd,
		},
	})
}

// goimportsCmd is the script command "goimports -w file...": what the
// goimports command (and gopls' organize imports, which shares its code)
// does to each file, with goimports' own options, through the library it
// is built on. The command itself is not built here: it needs modules that
// nothing else requires.
func goimportsCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 || args[0] != "-w" {
		ts.Fatalf("usage: goimports -w file...")
	}
	for _, name := range args[1:] {
		path := ts.MkAbs(name)
		src, err := os.ReadFile(path)
		ts.Check(err)
		out, err := imports.Process(path, src, &imports.Options{TabWidth: 8, TabIndent: true, Comments: true, Fragment: true})
		ts.Check(err)
		ts.Check(os.WriteFile(path, out, 0o666))
	}
}

// codeCmd is the script command "code N command [args...]": it runs the
// command as exec does, keeping its output for stdout and stderr, and
// fails unless it exits with status N.
func codeCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: code N command [args...]")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			ts.Fatalf("%s: %v", args[1], err)
		}
		got = exit.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}

// replaceCmd is the script command "replace old new file": it replaces
// every old with new in file; old and new are Go string literal bodies, so
// \n is a newline.
func replaceCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: replace old new file")
	}
	unquote := func(s string) string {
		u, err := strconv.Unquote(`"` + strings.ReplaceAll(s, `"`, `\"`) + `"`)
		ts.Check(err)
		return u
	}
	old, repl := unquote(args[0]), unquote(args[1])
	path := ts.MkAbs(args[2])
	b, err := os.ReadFile(path)
	ts.Check(err)
	if !strings.Contains(string(b), old) {
		ts.Fatalf("replace: %q not found in %s", old, args[2])
	}
	ts.Check(os.WriteFile(path, []byte(strings.ReplaceAll(string(b), old, repl)), 0o666))
}

// goEnvironment is what the go command in a script needs to work offline
// against the caches of the machine running the tests. It first loads this
// module's whole module graph, with the caller's own settings, so that the
// cache holds the go.mod of every module in it: building needs only some,
// but "go get -tool" in a script reads them all.
func goEnvironment(t testing.TB) map[string]string {
	t.Helper()
	if out, err := exec.Command("go", "list", "-m", "all").CombinedOutput(); err != nil {
		t.Logf("go list -m all (the scripts may miss modules offline): %v\n%s", err, out)
	}
	out, err := exec.Command("go", "env", "GOMODCACHE", "GOCACHE", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	v := strings.Split(strings.TrimSpace(string(out)), "\n")
	return map[string]string{
		"GOMODCACHE":  v[0],
		"GOCACHE":     v[1],
		"GOROOT":      v[2],
		"GOPROXY":     "off",
		"GOSUMDB":     "off",
		"GOFLAGS":     "-mod=mod",
		"GOTOOLCHAIN": "local",
		"GOWORK":      "",
	}
}

// repoRoot is the directory of this repository's go.mod.
func repoRoot(t testing.TB) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/tracegen/tracegen").Output()
	if err != nil {
		t.Fatalf("finding the repository root: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// expandRepo replaces $REPO in the go.mod and go.work files under dir.
func expandRepo(dir, repo string) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || (d.Name() != "go.mod" && d.Name() != "go.work") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(path, bytes.ReplaceAll(b, []byte("$REPO"), []byte(repo)), 0o666)
	})
}
