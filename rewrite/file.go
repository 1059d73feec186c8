package rewrite

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"

	"github.com/tracegen/tracegen/templates"
)

// hasMarkers is the cheap test for files that may need work: a directive or
// generated code.
func hasMarkers(src []byte) bool {
	return bytes.Contains(src, []byte(directivePrefix)) || bytes.Contains(src, []byte(marker))
}

// fileJob is one file to rewrite.
type fileJob struct {
	path    string
	src     []byte
	pkgPath string
	facts   factSource

	// syntax, when set, is the file already parsed with comments from
	// exactly src, in fset.
	syntax *ast.File
	fset   *token.FileSet

	// pkgScope lists the package-level names declared in other files,
	// which an added import must not take.
	pkgScope map[string]bool
}

// fileResult is what rewriting one file computed.
type fileResult struct {
	apply, strip []byte // new contents in each mode
	targets      []Target
	diags        []Diagnostic
	generated    bool // a generated file, left alone
}

func parse(path string, src []byte) (*source, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	return &source{fset: fset, file: f, tf: fset.File(f.Pos()), src: src}, nil
}

// rewriteFile computes the stripped and the instrumented contents of a file,
// the targets in it and its diagnostics. Instrumenting always starts from
// the stripped file, which makes it idempotent and brings stale code up to
// date; strip only removes what apply added, so it gives back the original.
func rewriteFile(job fileJob, tmpl *templates.Template) fileResult {
	res := fileResult{apply: job.src, strip: job.src}
	var cur *source
	var err error
	if job.syntax != nil {
		cur = &source{fset: job.fset, file: job.syntax, tf: job.fset.File(job.syntax.Pos()), src: job.src}
	} else {
		cur, err = parse(job.path, job.src)
	}
	if err != nil {
		res.diags = append(res.diags, errorDiag(job.path, err))
		return res
	}
	if ast.IsGenerated(cur.file) {
		res.generated = true
		return res
	}
	diag := func(s *source, sev Severity, e posError) {
		res.diags = append(res.diags, Diagnostic{Pos: s.fset.Position(e.pos), Severity: sev, Message: e.msg})
	}
	dirs, derrs := findDirectives(cur.file)
	for _, e := range derrs {
		diag(cur, Error, e)
	}
	if len(derrs) > 0 {
		return res
	}
	// Output is gofmt'd when the original (the file without generated code)
	// was gofmt-clean. Removing generated code can leave alignment that
	// gofmt undoes, but never a change of line count; a file that is clean
	// only because of the generated code is not.
	stripped := cur.strip()
	clean := isGofmt(job.src)
	if clean && !bytes.Equal(stripped, job.src) {
		formatted, err := format.Source(stripped)
		if err != nil {
			res.diags = append(res.diags, internalDiag(job.path, "strip", err))
			return res
		}
		clean = bytes.Count(formatted, []byte("\n")) == bytes.Count(stripped, []byte("\n"))
		if clean {
			stripped = formatted
		}
	}
	res.strip = stripped

	base, err := parse(job.path, stripped)
	if err != nil {
		res.diags = append(res.diags, internalDiag(job.path, "strip", err))
		return res
	}
	base.exactFacts = job.facts.exact()
	imports := base.chooseImports(tmpl.Imports, job.pkgScope)
	p := &plan{planned: map[int]bool{}}
	keys := funcKeys(base.file)
	curFuncs := funcDecls(cur.file)
	for i, fd := range funcDecls(base.file) {
		d := dirs[i]
		if d == nil || d.ignore {
			continue
		}
		name := displayName(base.file.Name.Name, fd)
		base.applyFunc(funcTarget{index: i, fd: fd, dir: d, facts: job.facts.facts(keys[i], fd, base.file), name: name},
			tmpl, job.pkgPath, imports, p)
	}
	for _, e := range p.diags {
		diag(cur, Error, e)
	}
	for _, e := range p.warns {
		diag(cur, Warning, e)
	}
	if len(p.diags) > 0 {
		return res
	}
	out := applyEdits(stripped, append(p.edits, base.addImports(imports, p.code)...))
	if clean && bytes.Equal(out, job.src) {
		// Up to date: the file is gofmt-clean, and so is out.
		res.apply = job.src
		for i, fd := range curFuncs {
			if p.planned[i] {
				res.targets = append(res.targets, cur.target(fd, dirs[i], Current))
			}
		}
		return res
	}
	if clean {
		formatted, err := format.Source(out)
		if err != nil {
			res.diags = append(res.diags, internalDiag(job.path, "apply", err))
			return res
		}
		out = formatted
	}
	res.apply = out

	after, err := parse(job.path, out)
	if err != nil {
		res.diags = append(res.diags, internalDiag(job.path, "apply", err))
		res.apply = job.src
		return res
	}
	afterFuncs := funcDecls(after.file)
	for i, fd := range curFuncs {
		d := dirs[i]
		has := cur.generatedBlock(fd) != nil
		switch {
		case p.planned[i]:
			state := Current
			switch {
			case !has:
				state = Missing
			case i < len(afterFuncs) && cur.text(fd) != after.text(afterFuncs[i]):
				state = Stale
			}
			res.targets = append(res.targets, cur.target(fd, d, state))
		case has:
			res.targets = append(res.targets, cur.target(fd, nil, Orphan))
		}
	}
	return res
}

// findDirectives maps function indexes to their directive and reports
// directives that are misspelt, malformed or not above a function.
func findDirectives(f *ast.File) (map[int]*directive, []posError) {
	dirs := map[int]*directive{}
	var errs []posError
	attached := map[*ast.Comment]bool{}
	for i, fd := range funcDecls(f) {
		if fd.Doc == nil {
			continue
		}
		for _, c := range fd.Doc.List {
			if !isDirective(c) {
				continue
			}
			attached[c] = true
			d, err := parseDirective(c)
			if err != nil {
				errs = append(errs, *err)
				continue
			}
			if dirs[i] != nil {
				errs = append(errs, posError{c.Slash, "more than one //trace: directive on " + fd.Name.Name})
				continue
			}
			dirs[i] = d
		}
	}
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			if isDirective(c) && !attached[c] {
				errs = append(errs, posError{c.Slash, "//trace: directive must be directly above a function declaration"})
			}
		}
	}
	return dirs, errs
}

func isGofmt(src []byte) bool {
	out, err := format.Source(src)
	return err == nil && bytes.Equal(out, src)
}

func errorDiag(path string, err error) Diagnostic {
	pos, msg := firstError(err)
	if pos.Filename == "" {
		pos.Filename = path
	}
	return Diagnostic{Pos: pos, Severity: Error, Message: msg}
}

func internalDiag(path, what string, err error) Diagnostic {
	return Diagnostic{Pos: token.Position{Filename: path}, Severity: Error,
		Message: fmt.Sprintf("internal error: %s produced invalid Go (please report): %v", what, err)}
}

// target describes fd, instrumented by d (nil for an Orphan).
func (s *source) target(fd *ast.FuncDecl, d *directive, state TargetState) Target {
	t := Target{Pos: s.fset.Position(fd.Name.Pos()), Func: displayName(s.file.Name.Name, fd), State: state}
	if d == nil {
		t.Reason = "generated code without a //trace:span directive"
		return t
	}
	t.Reason = "//trace:span directive"
	t.SpanName = d.name
	if t.SpanName == "" {
		t.SpanName = t.Func
	}
	t.Directive = s.fset.Position(d.pos)
	return t
}
