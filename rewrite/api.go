package rewrite

import (
	"go/ast"
	"go/token"
	"go/types"
	"os"
	"path/filepath"

	"github.com/tracegen/tracegen/rewrite/rules"
	"github.com/tracegen/tracegen/templates"
)

// Package is a package already parsed and type-checked, as a go/analysis
// pass or another driver has it, for RewritePackage.
type Package struct {
	Fset  *token.FileSet
	Files []*ast.File    // parsed with comments; cgo's output maps back through //line
	Info  *types.Info    // Defs and Uses are read (the bodies' too, for contexts)
	Types *types.Package // its scope keeps added imports from taking package names

	// ReadFile returns a file's contents, as (*analysis.Pass).ReadFile
	// does; nil means os.ReadFile.
	ReadFile func(filename string) ([]byte, error)

	// Rules select functions besides directives; nil means none. The
	// checks that need every function a rule selects (that it selects
	// some, that each tag fits some) are Run's.
	Rules *rules.Set
}

// RewritePackage computes the rewrite of pkg's files in mode, with the
// template tmpl (nil means the default), without loading anything: the
// result's Files carry the edits a driver applies or reports. Diagnostics
// are the rewriter's own (directives, tags, templates); pkg's type errors
// are the driver's to report. Unresolved is left empty.
func RewritePackage(pkg *Package, mode Mode, tmpl *templates.Template) (*Result, error) {
	tmpl, err := templateOf(tmpl)
	if err != nil {
		return nil, err
	}
	read := pkg.ReadFile
	if read == nil {
		read = os.ReadFile
	}
	var scope map[string]bool
	if pkg.Types != nil {
		scope = map[string]bool{}
		for _, name := range pkg.Types.Scope().Names() {
			scope[name] = true
		}
	}
	pj := &pkgJob{fset: pkg.Fset}
	var rs *ruleScope
	if pkg.Rules != nil && len(pkg.Files) > 0 {
		pkgPath := ""
		if pkg.Types != nil {
			pkgPath = pkg.Types.Path()
		}
		rs = newRuleScope(pkg.Rules, filepath.Dir(originalFile(pkg.Fset, pkg.Files[0])), pkgPath)
	}
	for _, f := range pkg.Files {
		name := originalFile(pkg.Fset, f)
		src, err := read(name)
		if err != nil {
			pj.errs = append(pj.errs, errorDiag(name, err))
			continue
		}
		job := fileJob{path: name, src: src, read: true, facts: syntaxFacts{}, pkgScope: scope, rules: rs}
		if pkg.Types != nil {
			job.pkgPath = pkg.Types.Path()
		}
		if pkg.Info != nil {
			job.facts = collectTypedFacts(f, pkg.Info, pkg.Fset)
		}
		// The tree is reused when it is of exactly these bytes, with the
		// comments (a file with markers has some).
		if tf := pkg.Fset.File(f.Pos()); tf != nil && tf.Name() == name && tf.Size() == len(src) && f.Comments != nil {
			job.syntax, job.fset = f, pkg.Fset
		}
		pj.files = append(pj.files, job)
	}
	pj.rewrite(tmpl, mode)
	res := &Result{}
	pj.collect(res)
	sortResult(res)
	return res, nil
}
