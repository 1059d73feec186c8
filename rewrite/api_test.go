package rewrite

import (
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"

	"github.com/tracegen/tracegen/rewrite/rules"
)

// TestRewritePackage drives the rewriter as a go/analysis pass would, with
// packages another loader parsed and type-checked, and checks that it
// computes what Run computes for the same files, edits included.
func TestRewritePackage(t *testing.T) {
	var cases []goldenCase
	for _, c := range goldenCases(t) {
		if c.template == "tracegen" && len(c.tags) == 0 {
			cases = append(cases, c)
		}
	}
	dir := goldenModule(t, cases)
	runs := runCases(t, dir, cases, Apply)
	want := map[string]File{}
	for _, res := range runs {
		for _, f := range res.Files {
			want[f.Path] = f
		}
	}

	var patterns []string
	for _, c := range cases {
		patterns = append(patterns, "./"+c.name+"/...")
	}
	pkgs, err := packages.Load(&packages.Config{
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles | packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo,
		Dir:  dir,
		Fset: token.NewFileSet(),
	}, patterns...)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, p := range pkgs {
		if len(p.Errors) > 0 {
			t.Logf("%s: %v", p.PkgPath, p.Errors)
			continue // the cases that are errors on purpose
		}
		pkg := &Package{Fset: p.Fset, Files: p.Syntax, Info: p.TypesInfo, Types: p.Types}
		for _, c := range cases {
			if rel, err := filepath.Rel(filepath.Join(dir, c.name), p.GoFiles[0]); c.rules && err == nil && !strings.HasPrefix(rel, "..") {
				if pkg.Rules, err = rules.Load(filepath.Join(dir, c.name, "tracegen.yaml")); err != nil {
					t.Fatal(err)
				}
			}
		}
		res, err := RewritePackage(pkg, Apply, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.HasErrors() {
			t.Errorf("%s: %v", p.PkgPath, res.Diagnostics)
			continue
		}
		got := map[string]File{}
		for _, f := range res.Files {
			got[f.Path] = f
			out, err := applyEdits(f.Old, importEdits(f.Edits))
			if err != nil || string(out) != string(f.New) {
				t.Errorf("%s: the edits do not make New from Old (%v)", f.Path, err)
			}
		}
		for _, name := range p.CompiledGoFiles {
			if filepath.Ext(name) != ".go" || filepath.Dir(name) != filepath.Dir(p.GoFiles[0]) {
				continue
			}
			w, g := want[name], got[name]
			if string(w.New) != string(g.New) {
				t.Errorf("%s: RewritePackage gives\n%s\nRun gives\n%s", name, g.New, w.New)
			}
			if len(w.Edits) != len(g.Edits) {
				t.Errorf("%s: %d edits, Run has %d", name, len(g.Edits), len(w.Edits))
			}
			if w.New != nil {
				checked++
			}
		}
	}
	if checked < 10 {
		t.Errorf("only %d files compared", checked)
	}
}

func importEdits(es []Edit) []edit {
	out := make([]edit, len(es))
	for i, e := range es {
		out[i] = edit{e.Start, e.End, e.New}
	}
	return out
}
