package golangci

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis/analysistest"
)

func TestMain(m *testing.M) {
	// The analyzer's testdata is a module of its own.
	os.Setenv("GOWORK", "off")
	os.Setenv("GOFLAGS", "-mod=mod")
	os.Exit(m.Run())
}

// TestPlugin builds the analyzers as golangci-lint does, from the
// registered plugin and decoded settings, and runs them on the analyzer's
// testdata.
func TestPlugin(t *testing.T) {
	newPlugin, err := register.GetPlugin("tracegen")
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPlugin(map[string]any{"config": ""})
	if err != nil {
		t.Fatal(err)
	}
	if mode := p.GetLoadMode(); mode != register.LoadModeTypesInfo {
		t.Errorf("load mode %q, want %q", mode, register.LoadModeTypesInfo)
	}
	analyzers, err := p.BuildAnalyzers()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := filepath.Abs("../testdata")
	if err != nil {
		t.Fatal(err)
	}
	analysistest.RunWithSuggestedFixes(t, dir, analyzers[0], "./...")
}

// TestNoRules: with norules, the rule file's functions are not reported.
func TestNoRules(t *testing.T) {
	p, err := New(map[string]any{"norules": true})
	if err != nil {
		t.Fatal(err)
	}
	analyzers, _ := p.BuildAnalyzers()
	dir, _ := filepath.Abs("../testdata")
	results := analysistest.Run(&quiet{T: t}, dir, analyzers[0], "./rules")
	for _, r := range results {
		if len(r.Diagnostics) != 0 {
			t.Errorf("norules: %d diagnostics, want none", len(r.Diagnostics))
		}
	}
}

// quiet is a testing.T whose errors (the // want comments norules leaves
// unmatched) are not failures.
type quiet struct{ *testing.T }

func (q *quiet) Errorf(format string, args ...any) {}

func TestSettingsErrors(t *testing.T) {
	_, err := New(map[string]any{"confg": "x.yaml"})
	if err == nil || !strings.Contains(err.Error(), `unknown field "confg"`) {
		t.Errorf("New with a misspelt setting: %v, want an unknown field error", err)
	}
}
