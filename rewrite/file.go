package rewrite

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/tracegen/tracegen/rewrite/rules"
	"github.com/tracegen/tracegen/templates"
)

// hasMarkers is the cheap test for files that may need work: a directive or
// generated code.
func hasMarkers(src []byte) bool {
	if bytes.Contains(src, []byte(directivePrefix)) || bytes.Contains(src, []byte(marker)) {
		return true
	}
	for _, s := range nearMissWords {
		if bytes.Contains(src, []byte(s)) {
			return true // a misspelt directive, to warn about
		}
	}
	return false
}

// fileJob is one file to rewrite.
type fileJob struct {
	path    string
	src     []byte
	pkgPath string
	facts   factSource

	// typedFacts, when set, computes facts from type information, for a
	// file that turns out to need them.
	typedFacts func() factSource

	// syntax, when set, is the file already parsed with comments from
	// exactly src, in fset.
	syntax *ast.File
	fset   *token.FileSet

	// read says the loader read the file; src is nil if it has no markers.
	read bool

	// pkgScope lists the package-level names declared in other files,
	// which an added import must not take.
	pkgScope map[string]bool

	// rules select functions besides directives; nil when none apply.
	rules *ruleScope
}

// fileResult is what rewriting one file computed.
type fileResult struct {
	out       []byte // the new contents in the mode asked for
	edits     []edit // that make them from the old
	targets   []target
	diags     []Diagnostic
	ruleUse   []ruleUse // what rules selected, for the checks of a whole run
	generated bool      // a generated file, left alone
	changed   bool      // out differs from the file
}

func parse(path string, src []byte) (*source, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	return &source{fset: fset, file: f, tf: fset.File(f.Pos()), src: src}, nil
}

// source parses the job's file, or reuses the syntax tree it came with.
func (job fileJob) source() (*source, error) {
	if job.syntax != nil {
		return &source{fset: job.fset, file: job.syntax, tf: job.fset.File(job.syntax.Pos()), src: job.src}, nil
	}
	return parse(job.path, job.src)
}

// rewriteFile computes the new contents of a file in mode, the targets in
// it and its diagnostics.
//
// Each function with a directive or generated code is rewritten on its own
// with dst (funcRewrite): its generated code is removed, and in Apply mode
// the current code is injected, so that apply is idempotent, brings stale
// code up to date and strip gives back what apply was given. The function's
// new text is one edit; the imports are edits of their own. Nothing else in
// the file changes, and before returning, rewriteFile checks that: the
// edits do not overlap and lie in the functions and imports, the output
// parses, and it has the same comments as the input (markers aside).
func rewriteFile(job fileJob, tmpl *templates.Template, mode Mode) fileResult {
	res := fileResult{out: job.src}
	cur, err := job.source()
	if err != nil {
		res.diags = append(res.diags, errorDiag(job.path, err))
		return res
	}
	if ast.IsGenerated(cur.file) {
		res.generated = true
		return res
	}
	cur.exactFacts = job.facts.exact()
	failed := false
	report := func(sev Severity, pos token.Pos, format string, args ...any) {
		failed = failed || sev == Error
		res.diags = append(res.diags, Diagnostic{Pos: cur.fset.Position(pos), Severity: sev, Message: fmt.Sprintf(format, args...)})
	}
	fail := func(pos token.Pos, format string, args ...any) { report(Error, pos, format, args...) }
	warn := func(pos token.Pos, format string, args ...any) { report(Warning, pos, format, args...) }
	internal := func(pos token.Pos, what string, err error) {
		fail(pos, "internal error: %s (please report): %v", what, err)
	}

	dirs, bad, derrs := findDirectives(cur.file)
	for _, e := range derrs {
		fail(e.pos, "%s", e.msg)
	}
	for _, e := range nearMisses(cur.file) {
		warn(e.pos, "%s", e.msg)
	}
	keys := funcKeys(cur.file)
	fds := funcDecls(cur.file)
	markers := make([]*ast.Comment, len(fds))
	var gen [][2]token.Pos // the current generated code
	for i, fd := range fds {
		if markers[i] = cur.generatedBlock(fd); markers[i] != nil {
			gen = append(gen, [2]token.Pos{fd.Body.Lbrace, markers[i].End()})
		}
	}
	names := cur.names(gen)
	imports := cur.chooseImports(tmpl.Imports, job.pkgScope, names)
	var (
		edits []edit
		code  []string
	)
	for i, fd := range fds {
		m := markers[i]
		d := dirs[i]
		if bad[i] {
			continue // a function with a bad directive is left as it is
		}
		t := funcTarget{fd: fd, name: displayName(cur.file.Name.Name, fd), gen: generatedCount(fd, m)}
		use := -1 // in res.ruleUse
		if (d == nil || !d.ignore) && job.rules.mayMatch(job.path, fd) {
			t.facts = cur.factsOf(job.facts, keys[i], fd)
			if rule := job.rules.match(job.path, fd, t.gen, t.facts); rule != nil {
				d = withRule(d, rule, fd, t.facts)
				use = len(res.ruleUse)
				res.ruleUse = append(res.ruleUse, ruleUse{rule: rule})
			}
		}
		planned := d != nil && !d.ignore
		if m == nil && !planned {
			continue
		}
		if m != nil {
			if t.facts == nil {
				t.facts = cur.factsOf(job.facts, keys[i], fd)
			}
			if id, name := usesGivenName(t.facts, parseMarker(m.Text), t.gen); id != nil {
				// Stripping would unname a field the body uses.
				fail(id.Pos(), "%s uses %s, which the marker says tracegen named (%s=%s): name it in the signature and take %s=%s out of the marker",
					t.name, name, name, parseMarker(m.Text).renamed[name], name, parseMarker(m.Text).renamed[name])
				continue
			}
		}
		if planned {
			d.name = cur.spanName(d, fd, job.pkgPath)
		}
		t.dir = d
		ctxIdx, reqIdx := -1, -1
		if planned {
			if t.facts == nil {
				t.facts = cur.factsOf(job.facts, keys[i], fd)
			}
			var ok bool
			var why string // the last problem, for list
			check := func(pos token.Pos, format string, args ...any) {
				why = fmt.Sprintf(format, args...)
				fail(pos, "%s", why)
			}
			if ctxIdx, reqIdx, ok = cur.checkTarget(t, check); !ok {
				planned = false
				if m == nil {
					res.targets = append(res.targets, cur.target(fd, d, Missing))
					res.targets[len(res.targets)-1].note = "cannot be instrumented: " + why
					continue
				}
			}
		}
		if planned && m != nil && mode == Apply {
			if plan := cur.current(fd, m, t, ctxIdx, reqIdx, tmpl, job.pkgPath, imports); plan != nil {
				if use >= 0 {
					res.ruleUse[use].tags = plan.ruleTags
				}
				code = append(code, plan.code)
				res.targets = append(res.targets, cur.target(fd, d, Current))
				res.targets[len(res.targets)-1].note = plan.note
				continue
			}
			fastPathMissed.Add(1)
		}
		fr, err := cur.rewriteFunc(fd, m, t, planned, ctxIdx, reqIdx, tmpl, job.pkgPath, imports, fail)
		if err != nil {
			internal(fd.Pos(), "rewriting "+t.name, err)
			continue
		}
		if planned && fr.plan == nil {
			continue // reported
		}
		old := string(job.src[fr.start:fr.end])
		if planned && use >= 0 {
			res.ruleUse[use].tags = fr.plan.ruleTags
		}
		if planned {
			code = append(code, fr.plan.code)
			res.targets = append(res.targets, cur.target(fd, d, stateOf(m != nil, fr.applied != old)))
			res.targets[len(res.targets)-1].note = fr.plan.note
		} else {
			res.targets = append(res.targets, cur.target(fd, nil, Orphan))
		}
		text := fr.applied
		if mode == Strip || !planned {
			text = fr.stripped
		}
		if text != old {
			edits = append(edits, edit{fr.start, fr.end, text})
		}
	}
	if mode == Strip {
		code = nil
	}
	if len(edits) == 0 && len(gen) == 0 && !bytes.Contains(job.src, []byte(marker)) {
		return res // nothing generated, nothing to generate
	}
	edits = append(edits, cur.importEdits(tmpl, imports, code, gen, names)...)
	if len(edits) == 0 {
		return res
	}
	out, err := applyEdits(job.src, edits)
	if err == nil {
		err = cur.verify(out, edits)
	}
	if err != nil {
		internal(cur.file.Package, mode.verb()+" the file", err)
		return res
	}
	res.out, res.edits = out, edits
	return res
}

// usesGivenName finds, in the type-checked function of ff, a use outside
// its generated code (the first gen statements) of a field the marker
// says tracegen named: stripping would leave that use undefined. It needs
// types; without them it finds nothing.
func usesGivenName(ff *funcFacts, info markerInfo, gen int) (*ast.Ident, string) {
	if ff == nil || ff.info == nil || ff.fd == nil || ff.fd.Body == nil || len(info.renamed) == 0 {
		return nil, ""
	}
	objs := map[types.Object]string{}
	for _, fl := range []*ast.FieldList{ff.fd.Type.Params, ff.fd.Type.Results} {
		if fl == nil {
			continue
		}
		for _, f := range fl.List {
			for _, n := range f.Names {
				if _, ok := info.renamed[n.Name]; ok {
					if obj := ff.info.Defs[n]; obj != nil {
						objs[obj] = n.Name
					}
				}
			}
		}
	}
	if len(objs) == 0 {
		return nil, ""
	}
	var found *ast.Ident
	var name string
	for _, st := range ff.fd.Body.List[min(gen, len(ff.fd.Body.List)):] {
		ast.Inspect(st, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && found == nil {
				if nm, ok := objs[ff.info.Uses[id]]; ok {
					found, name = id, nm
				}
			}
			return found == nil
		})
		if found != nil {
			break
		}
	}
	return found, name
}

// factsOf gives the facts of fd, from source when they are exact and
// match its syntax, else from its syntax.
func (s *source) factsOf(src factSource, key string, fd *ast.FuncDecl) *funcFacts {
	ff := src.facts(key, fd, s.file)
	if len(ff.params) != countFields(fd.Type.Params) || len(ff.results) != countFields(fd.Type.Results) {
		ff = syntaxFacts{}.facts("", fd, s.file)
	}
	return ff
}

// ruleUse is a function a rule selected, and the rule's tags it records.
type ruleUse struct {
	rule *rules.Rule
	tags []*rules.Tag
}

// generatedCount is how many statements at the top of fd's body are
// generated code, whose marker is m (nil when there is none).
func generatedCount(fd *ast.FuncDecl, m *ast.Comment) int {
	k := 0
	if m != nil && fd.Body != nil {
		for _, st := range fd.Body.List {
			if st.Pos() < m.Pos() {
				k++
			}
		}
	}
	return k
}

// fastPathMissed counts the instrumented functions that source.current did
// not find current, for the tests: output of apply must not be among them.
var fastPathMissed atomic.Int64

// funcResult is what rewriting one function gave: the new texts of the
// range start:end of the file, stripped and (when planned) instrumented.
type funcResult struct {
	start, end        int
	stripped, applied string
	plan              *targetPlan
}

// rewriteFunc strips fd's generated code (marker m, nil when there is
// none) and, when planned, instruments the stripped function as t says.
// Both run with dst on the window of the function a change can reach. A
// nil plan means a problem was reported with fail.
func (s *source) rewriteFunc(fd *ast.FuncDecl, m *ast.Comment, t funcTarget, planned bool, ctxIdx, reqIdx int, tmpl *templates.Template, pkgPath string, imports []importUse, fail func(token.Pos, string, ...any)) (*funcResult, error) {
	k := 0
	if m != nil {
		for _, st := range fd.Body.List {
			if st.Pos() < m.Pos() {
				k++
			}
		}
	}
	base := window(fd, s.tf, s.file.Comments, s.src, k)
	if m != nil && parseMarker(m.Text).oneline {
		// Stripping puts the body back on one line: all of it.
		base = snippet{text: s.text(fd), whole: true}
	}
	fr := &funcResult{start: s.off(fd.Pos())}
	fr.end = fr.start + len(base.text)
	var was *markerInfo // what the stripped code's marker said
	if m != nil {
		p, err := parseSnippet(base)
		if err != nil {
			return nil, err
		}
		n, mk := p.generated()
		d, err := decorate(p)
		if err != nil {
			return nil, err
		}
		info := parseMarker(mk.Text)
		was = &info
		d.strip(n, info)
		if base.text, err = d.restore(); err != nil {
			return nil, err
		}
	}
	fr.stripped = base.text
	if !planned {
		return fr, nil
	}
	// The stripped function: its signature, its names (none of which the
	// names to give may take) and where its body starts.
	taken := map[string]bool{}
	var sig sigView
	var lbrace int // offset in base.text
	if was == nil {
		identNames(fd, taken)
		sig = sigView{params: fieldNamesOf(fd.Type.Params), results: fieldNamesOf(fd.Type.Results), oneline: s.oneline(fd)}
		lbrace = s.off(fd.Body.Lbrace) - fr.start
	} else {
		p, err := parseSnippet(base)
		if err != nil {
			return nil, err
		}
		identNames(p.fd, taken)
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && s.off(id.Pos()) >= fr.end {
				taken[id.Name] = true
			}
			return true
		})
		sig = viewOf(p)
		// The layout the body had before it was instrumented, which
		// printing the stripped body may not show.
		sig.oneline = was.oneline
		lbrace = p.off(p.fd.Body.Lbrace)
	}
	fr.plan = s.planTarget(sig, t, ctxIdx, reqIdx, setOf(taken), tmpl, pkgPath, imports, fail)
	if fr.plan == nil {
		return fr, nil
	}
	code := fr.plan.code + " " + fr.plan.info.String()
	if was == nil {
		if applied, ok, err := s.insertCode(fd, base, lbrace, code, fr.plan); err != nil || ok {
			if err != nil {
				fail(t.dir.pos, "template %s renders invalid Go for %s: %v", tmpl.Name, t.name, err)
				fr.plan = nil
				return fr, nil
			}
			fr.applied = applied
			if compareInsert {
				full, err := fullInsert(base, lbrace, code, fr.plan)
				if err != nil || full != applied {
					insertMismatches.Add(1)
				}
			}
			return fr, nil
		}
	}
	p2, err := parseSnippet(withCode(base, lbrace, code, fr.plan.info.oneline))
	if err != nil {
		fail(t.dir.pos, "template %s renders invalid Go for %s: %v", tmpl.Name, t.name, err)
		fr.plan = nil
		return fr, nil
	}
	if fr.applied, err = instrument(p2, fr.plan); err != nil {
		return nil, err
	}
	return fr, nil
}

func (m Mode) verb() string {
	if m == Strip {
		return "stripping"
	}
	return "instrumenting"
}

func stateOf(has, changed bool) TargetState {
	switch {
	case !has:
		return Missing
	case changed:
		return Stale
	}
	return Current
}

// verify checks the rewriter's promises on out, made from s by edits: each
// edit lies in a function or the imports, out parses, and its comments are
// those of s, markers aside.
func (s *source) verify(out []byte, edits []edit) error {
	var allowed [][2]int
	for _, fd := range funcDecls(s.file) {
		allowed = append(allowed, [2]int{s.off(fd.Pos()), s.off(fd.End())})
	}
	importsEnd := s.lineEnd(s.off(s.file.Name.End()))
	for _, d := range s.file.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
			importsEnd = max(importsEnd, s.lineEnd(s.off(gd.End())))
		}
	}
	allowed = append(allowed, [2]int{s.lineStart(s.off(s.file.Name.Pos())), min(importsEnd+1, len(s.src))})
	for _, cg := range s.file.Comments {
		for _, c := range cg.List {
			if isMarker(c) {
				// Its line, and a blank line after it.
				start := s.lineStart(s.off(c.Pos()))
				end := min(s.lineEnd(start)+1, len(s.src))
				if s.blankLine(s.line(c.Pos()) + 1) {
					end = min(s.lineEnd(end)+1, len(s.src))
				}
				allowed = append(allowed, [2]int{start, end})
			}
		}
	}
	for _, e := range edits {
		ok := false
		for _, a := range allowed {
			ok = ok || e.start >= a[0] && e.end <= a[1]
		}
		if !ok {
			return fmt.Errorf("edit of bytes %d:%d is outside the functions and imports", e.start, e.end)
		}
	}
	// The imports still parse. (The functions' new texts were printed from
	// syntax trees; the fuzzer parses the whole output.)
	if _, err := parser.ParseFile(token.NewFileSet(), s.tf.Name(), out, parser.ImportsOnly); err != nil {
		return fmt.Errorf("the result does not parse: %v", err)
	}
	count := map[string]int{}
	for _, e := range edits {
		var sc scanner.Scanner
		sc.Init(token.NewFileSet().AddFile("", -1, len(e.text)), []byte(e.text), nil, scanner.ScanComments)
		for {
			_, tok, lit := sc.Scan()
			if tok == token.EOF {
				break
			}
			if tok == token.COMMENT && !isMarkerText(lit) {
				count[normComment(lit)]--
			}
		}
	}
	// Comments: those the edits replaced are those they bring.
	for _, cg := range s.file.Comments {
		for _, c := range cg.List {
			off := s.off(c.Pos())
			for _, e := range edits {
				if off >= e.start && off < e.end && !isMarker(c) {
					count[normComment(c.Text)]++
				}
			}
		}
	}
	for text, n := range count {
		switch {
		case n > 0:
			return fmt.Errorf("the comment %q is lost", text)
		case n < 0:
			return fmt.Errorf("the comment %q appeared", text)
		}
	}
	return nil
}

// normComment is a comment's text with white space normalised: the printer
// trims trailing blanks and re-indents block comments.
func normComment(text string) string { return strings.Join(strings.Fields(text), " ") }

// oneline reports whether fd's body is laid out on the line of its opening
// brace: all of it, or its first statement.
func (s *source) oneline(fd *ast.FuncDecl) bool {
	b := fd.Body
	return s.line(b.Lbrace) == s.line(b.Rbrace) || len(b.List) > 0 && s.line(b.List[0].Pos()) == s.line(b.Lbrace)
}

// countFields is the number of parameters or results of a list: one for
// each name, or for each type when they are unnamed.
func countFields(fl *ast.FieldList) int {
	if fl == nil {
		return 0
	}
	n := 0
	for _, f := range fl.List {
		n += max(1, len(f.Names))
	}
	return n
}

// generatedBlock finds the injected code in fd's body: the marker comment
// ending it, or nil.
func (s *source) generatedBlock(fd *ast.FuncDecl) *ast.Comment {
	if fd.Body == nil {
		return nil
	}
	i := sort.Search(len(s.file.Comments), func(i int) bool { return s.file.Comments[i].Pos() >= fd.Body.Lbrace })
	for _, cg := range s.file.Comments[i:] {
		if cg.Pos() > fd.Body.Rbrace {
			break
		}
		for _, c := range cg.List {
			if isMarker(c) {
				return c
			}
		}
	}
	return nil
}

// findDirectives maps function indexes to their directive, marks the
// functions whose directives are bad, and reports directives that are
// misspelt, malformed or not above a function.
func findDirectives(f *ast.File) (map[int]*directive, map[int]bool, []posError) {
	dirs := map[int]*directive{}
	bad := map[int]bool{}
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
				bad[i] = true
				continue
			}
			if dirs[i] != nil {
				errs = append(errs, posError{c.Slash, "more than one //trace: directive on " + fd.Name.Name})
				bad[i] = true
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
	return dirs, bad, errs
}

func errorDiag(path string, err error) Diagnostic {
	pos, msg := firstError(err)
	if pos.Filename == "" {
		pos.Filename = path
	}
	return Diagnostic{Pos: pos, Severity: Error, Message: msg}
}

// target is a Target as a file's result holds it until Run returns: half
// the size, for results grow with the module.
type target struct {
	pos, dir    position // of the name; of the directive, zero for an Orphan
	state       TargetState
	fn, span    string // span is "" for the default, fn
	file, dfile string // file names, as the positions have them
	note        string
	opts        string // the directive's options, as written
	rule        string // the label of the rule that selected the function
	ruleOnly    bool   // and there is no directive
}

type position struct{ off, line, col int32 }

func compact(p token.Position) position {
	return position{int32(p.Offset), int32(p.Line), int32(p.Column)}
}

func (p position) expand(file string) token.Position {
	return token.Position{Filename: file, Offset: int(p.off), Line: int(p.line), Column: int(p.col)}
}

// Target expands t.
func (t *target) Target() Target {
	out := Target{Pos: t.pos.expand(t.file), Func: t.fn, SpanName: t.span, State: t.state, Note: t.note}
	if t.state == Orphan {
		out.Reason = "generated code without a //trace:span directive"
		return out
	}
	out.Rule = t.rule
	switch {
	case t.ruleOnly:
		out.Reason = "rule " + t.rule
	case t.rule != "":
		out.Reason = "//trace:span directive, with rule " + t.rule + "'s other options"
	default:
		out.Reason = "//trace:span directive"
	}
	if out.SpanName == "" {
		out.SpanName = t.fn
	}
	if !t.ruleOnly {
		out.Directive = t.dir.expand(t.dfile)
	}
	out.Options = strings.Fields(t.opts)
	return out
}

// target describes fd, instrumented by d (nil for an Orphan).
func (s *source) target(fd *ast.FuncDecl, d *directive, state TargetState) target {
	pos := s.fset.Position(fd.Name.Pos())
	t := target{pos: compact(pos), file: pos.Filename, fn: displayName(s.file.Name.Name, fd), state: state}
	if d != nil && d.rule != nil {
		t.rule = d.rule.Label()
	}
	if d != nil && d.ruleOnly {
		t.ruleOnly, t.span = true, d.name
		t.opts = strings.Join(d.rule.Options.Directive(), " ")
	} else if d != nil {
		dir := s.fset.Position(d.pos)
		t.dir, t.dfile, t.span = compact(dir), dir.Filename, d.name
		line := s.src[s.off(d.pos):]
		if i := bytes.IndexByte(line, '\n'); i >= 0 {
			line = line[:i]
		}
		if _, opts, ok := strings.Cut(strings.TrimSpace(string(line)), " "); ok {
			t.opts = strings.TrimSpace(opts)
		}
	}
	return t
}
