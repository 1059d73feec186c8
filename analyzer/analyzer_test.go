package analyzer_test

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/tracegen/tracegen/analyzer"
)

func TestMain(m *testing.M) {
	// testdata is a module of its own, outside the repository's workspace.
	os.Setenv("GOWORK", "off")
	os.Setenv("GOFLAGS", "-mod=mod")
	os.Exit(m.Run())
}

// TestAnalyzer checks each diagnostic against the // want comments of
// testdata, and the files its fixes make against the .golden files.
func TestAnalyzer(t *testing.T) {
	dir, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	analysistest.RunWithSuggestedFixes(t, dir, analyzer.Analyzer, "./...")
}
