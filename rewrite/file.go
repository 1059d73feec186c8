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
func rewriteFile(job fileJob, tmpl *templates.Template, mode Mode) fileResult {
	res := fileResult{apply: job.src, strip: job.src}
	cur, err := job.source()
	if err != nil {
		res.diags = append(res.diags, errorDiag(job.path, err))
		return res
	}
	if ast.IsGenerated(cur.file) {
		res.generated = true
		return res
	}
	report := func(sev Severity, errs []posError) {
		for _, e := range errs {
			res.diags = append(res.diags, Diagnostic{Pos: cur.fset.Position(e.pos), Severity: sev, Message: e.msg})
		}
	}
	dirs, derrs := findDirectives(cur.file)
	if report(Error, derrs); len(derrs) > 0 {
		return res
	}

	// Plan on the stripped text as it comes; if applying gives back the
	// file, it is up to date and nothing needs formatting.
	raw := cur.strip()
	base := cur
	if !bytes.Equal(raw, job.src) {
		if base, err = parse(job.path, raw); err != nil {
			res.diags = append(res.diags, internalDiag(job.path, "strip", err))
			return res
		}
	}
	p := base.planApply(job, tmpl, dirs)
	report(Warning, p.warns)
	if report(Error, p.diags); len(p.diags) > 0 {
		return res
	}
	out := applyEdits(raw, p.edits)
	if mode == Apply && bytes.Equal(out, job.src) {
		res.targets = cur.targets(dirs, p.planned, nil)
		return res
	}

	stripped, clean, err := cur.formatStripped(raw)
	if err != nil {
		res.diags = append(res.diags, internalDiag(job.path, "strip", err))
		return res
	}
	res.strip = stripped
	if !bytes.Equal(stripped, raw) {
		if base, err = parse(job.path, stripped); err != nil {
			res.diags = append(res.diags, internalDiag(job.path, "strip", err))
			return res
		}
		p = base.planApply(job, tmpl, dirs)
		out = applyEdits(stripped, p.edits)
	}
	if clean {
		if out, err = format.Source(out); err != nil {
			res.diags = append(res.diags, internalDiag(job.path, "apply", err))
			return res
		}
	}
	var after *source
	if !bytes.Equal(out, job.src) && (!clean || cur.hasGenerated()) {
		// Compare function by function for Stale; and when out was not
		// formatted, this is the check that it parses.
		if after, err = parse(job.path, out); err != nil {
			res.diags = append(res.diags, internalDiag(job.path, "apply", err))
			return res
		}
	}
	res.apply = out
	res.targets = cur.targets(dirs, p.planned, after)
	return res
}

// hasGenerated reports whether any function of s has generated code.
func (s *source) hasGenerated() bool {
	for _, fd := range funcDecls(s.file) {
		if s.generatedBlock(fd) != nil {
			return true
		}
	}
	return false
}

// source parses the job's file, or reuses the syntax tree it came with.
func (job fileJob) source() (*source, error) {
	if job.syntax != nil {
		return &source{fset: job.fset, file: job.syntax, tf: job.fset.File(job.syntax.Pos()), src: job.src}, nil
	}
	return parse(job.path, job.src)
}

// formatStripped says whether output is to be gofmt'd and formats the
// stripped text raw if so: when the original (the file without generated
// code) was gofmt-clean. Removing generated code can leave alignment that
// gofmt undoes, but never a change of line count; a file that is clean only
// because of the generated code is not clean.
func (s *source) formatStripped(raw []byte) (stripped []byte, clean bool, err error) {
	clean = isGofmt(s.src)
	if !clean || bytes.Equal(raw, s.src) {
		return raw, clean, nil
	}
	formatted, err := format.Source(raw)
	if err != nil {
		return nil, false, err
	}
	if bytes.Count(formatted, []byte("\n")) != bytes.Count(raw, []byte("\n")) {
		return raw, false, nil
	}
	return formatted, true, nil
}

// planApply plans the instrumentation of every function with a
// //trace:span directive in the stripped file s, and the imports it needs.
func (s *source) planApply(job fileJob, tmpl *templates.Template, dirs map[int]*directive) *plan {
	s.exactFacts = job.facts.exact()
	imports := s.chooseImports(tmpl.Imports, job.pkgScope)
	p := &plan{planned: map[int]bool{}}
	keys := funcKeys(s.file)
	for i, fd := range funcDecls(s.file) {
		d := dirs[i]
		if d == nil || d.ignore {
			continue
		}
		t := funcTarget{index: i, fd: fd, dir: d, facts: job.facts.facts(keys[i], fd, s.file),
			name: displayName(s.file.Name.Name, fd)}
		s.applyFunc(t, tmpl, job.pkgPath, imports, p)
	}
	p.edits = append(p.edits, s.addImports(imports, p.code)...)
	return p
}

// targets lists the functions of s that are or would be instrumented, with
// their state given the rewritten file after (nil when s is up to date).
func (s *source) targets(dirs map[int]*directive, planned map[int]bool, after *source) []Target {
	var afterFuncs []*ast.FuncDecl
	if after != nil {
		afterFuncs = funcDecls(after.file)
	}
	var out []Target
	for i, fd := range funcDecls(s.file) {
		has := s.generatedBlock(fd) != nil
		switch {
		case planned[i]:
			state := Current
			switch {
			case !has:
				state = Missing
			case i < len(afterFuncs) && s.text(fd) != after.text(afterFuncs[i]):
				state = Stale
			}
			out = append(out, s.target(fd, dirs[i], state))
		case has:
			out = append(out, s.target(fd, nil, Orphan))
		}
	}
	return out
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
