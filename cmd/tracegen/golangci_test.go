package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestGolangciLint runs testdata/golangci/*.txtar with a real golangci-lint
// that has tracegen's plugin built in: $GOLANGCI_LINT_BIN, which
// .ci/build-golangci-lint prints. Outside CI the test is skipped without
// it; in CI it fails.
func TestGolangciLint(t *testing.T) {
	bin := os.Getenv("GOLANGCI_LINT_BIN")
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("GOLANGCI_LINT_BIN is not set; in CI it must point at the binary .ci/build-golangci-lint prints")
		}
		t.Skip("GOLANGCI_LINT_BIN is not set; run with GOLANGCI_LINT_BIN=$(.ci/build-golangci-lint)")
	}
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("GOLANGCI_LINT_BIN: %v", err)
	}
	repo := repoRoot(t)
	goEnv := goEnvironment(t)
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "golangci"),
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			env.Setenv("REPO", repo)
			env.Setenv("GOLANGCI_LINT", bin)
			env.Setenv("GOLANGCI_LINT_CACHE", filepath.Join(env.WorkDir, ".golangci-cache"))
			for k, v := range goEnv {
				env.Setenv(k, v)
			}
			return expandRepo(env.WorkDir, repo)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){"replace": replaceCmd},
	})
}
