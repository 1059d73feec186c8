package rewrite

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/tracegen/tracegen/rewrite/rules"
	"github.com/tracegen/tracegen/templates"
)

// Run loads the packages cfg names, with types, and computes the rewrite.
// The error is for failures that stop everything (no go command, bad
// patterns, a bad template); problems in the source are Diagnostics.
//
// Packages are listed once (go list, without compiling them); dependencies
// outside the main modules come from export data, and the main modules'
// packages are type-checked from source, with the bodies of the functions
// to rewrite only. Files that contain neither a directive nor generated
// code are not rewritten.
func Run(cfg Config) (*Result, error) {
	tmpl, err := templateOf(cfg.Template)
	if err != nil {
		return nil, err
	}
	var (
		mu   sync.Mutex
		jobs []*pkgJob
		res  = &Result{}
		emit func(File)
	)
	// A package and its test variants (the package compiled with its
	// tests, the external test package) are written together or not at
	// all: an error in any holds back the files of all.
	groups := map[string]*variants{}
	var checkedSets []*rules.Set // rule sets whose whole tree is loaded
	listed := func(pkgs []*loaded) {
		res.Unresolved = unresolvedImports(pkgs, tmpl)
		patterns := cfg.Patterns
		if len(patterns) == 0 {
			patterns = []string{"."}
		}
		tags := false
		for _, l := range pkgs {
			if l.rules == nil || slices.Contains(checkedSets, l.rules.set) || !wholeTree(cfg.Dir, patterns, l.rules.set) {
				continue
			}
			checkedSets = append(checkedSets, l.rules.set)
			for _, r := range l.rules.set.Rules {
				tags = tags || len(r.Options.Tags) > 0
			}
		}
		// A rule's tags are checked against all the functions it selects,
		// so nothing is written before every package is done.
		if len(res.Unresolved) == 0 && !tags {
			emit = cfg.Emit
		}
		res.Held = emit == nil && cfg.Emit != nil
		for _, l := range pkgs {
			k := variantsKey(l)
			if groups[k] == nil {
				groups[k] = &variants{}
			}
			groups[k].left++
		}
	}
	var emitMu sync.Mutex // Emit is called one at a time; guards groups
	err = load(cfg, listed, func(l *loaded, fset *token.FileSet) {
		pj := newPkgJob(l, fset, cfg.Dir)
		pj.rewrite(tmpl, cfg.Mode)
		if cfg.NoTargets {
			for _, r := range pj.results {
				if r != nil {
					r.targets = nil
				}
			}
		}
		emitMu.Lock()
		g := groups[variantsKey(l)]
		g.jobs = append(g.jobs, pj)
		g.bad = g.bad || pj.bad()
		if g.left--; g.left == 0 {
			if emit != nil && !g.bad {
				g.bad = readOnly(g.jobs)
			}
			for _, pj := range g.jobs {
				pj.heldBack = g.bad
				if emit == nil || g.bad {
					continue
				}
				for _, f := range pj.changed() {
					emit(f)
				}
				pj.emitted = true
				for i, r := range pj.results {
					if r != nil {
						pj.files[i].src, r.out, r.edits = nil, nil, nil
					}
				}
			}
			g.jobs = nil
		}
		emitMu.Unlock()
		if len(pj.files) > 0 || len(pj.errs) > 0 {
			mu.Lock()
			jobs = append(jobs, pj)
			mu.Unlock()
		}
	})
	var rerr *rulesError
	if errors.As(err, &rerr) {
		return &Result{Diagnostics: rerr.diags}, nil
	}
	if err != nil {
		return nil, err
	}
	n := 0
	var uses []ruleUse
	for _, pj := range jobs {
		for _, r := range pj.results {
			if r != nil {
				n += len(r.targets)
				uses = append(uses, r.ruleUse...)
			}
		}
	}
	res.Targets = make([]Target, 0, n)
	for i, pj := range jobs {
		pj.collect(res)
		jobs[i] = nil // let it go as it is copied
	}
	if diags := ruleChecks(checkedSets, uses); len(diags) > 0 {
		res.Diagnostics = append(res.Diagnostics, diags...)
		if (&Result{Diagnostics: diags}).HasErrors() {
			res.Files = nil // a rule is wrong: nothing is written
		}
	}
	sortResult(res)
	return res, nil
}

// newPkgJob lists the files of a checked package to rewrite: its Go files
// (the original of each cgo file) and those its build constraints exclude,
// the ones it owns among the test variants of a package.
func newPkgJob(l *loaded, fset *token.FileSet, dir string) *pkgJob {
	pkg := l.pkg
	pj := &pkgJob{fset: fset}
	if !l.depOnly {
		pj.errs = packageErrors(l, dir)
	}
	sf := syntaxFacts{aliases: packageAliases(l.checked)}
	syntaxByFile := map[string]*ast.File{}
	for name, f := range l.syntax {
		if l.bad[name] {
			continue
		}
		syntaxByFile[originalFile(fset, f)] = f
	}
	var scope map[string]bool
	if l.checked != nil {
		scope = map[string]bool{}
		for _, name := range l.checked.Scope().Names() {
			scope[name] = true
		}
	}
	add := func(path string, job fileJob) {
		if l.bad[path] || !strings.HasSuffix(path, ".go") || !inModule(pkg.Module.Dir, path) || !l.owns[path] {
			return
		}
		job.path, job.pkgPath, job.pkgScope, job.rules = path, pkg.PkgPath, scope, l.rules
		pj.files = append(pj.files, job)
	}
	for _, path := range pkg.GoFiles {
		var job fileJob
		f := syntaxByFile[path]
		job.facts = sf
		if f != nil && l.checked != nil {
			info := l.info
			job.typedFacts = func() factSource { return collectTypedFacts(f, info, fset) }
		}
		if src, ok := l.src[path]; ok && f != nil && fset.File(f.Pos()).Name() == path {
			// Read and parsed with comments by the loader.
			job.src, job.syntax, job.fset, job.read = src, f, fset, true
		} else if _, compiled := l.syntax[path]; compiled {
			job.read = true // read by the loader: no markers
		}
		add(path, job)
	}
	for _, path := range pkg.IgnoredFiles {
		add(path, fileJob{facts: sf})
	}
	return pj
}

// unresolvedImports finds the template's imports that the loaded packages
// import but go list could not place in any module.
func unresolvedImports(loaded []*loaded, tmpl *templates.Template) []Unresolved {
	paths := map[string]bool{}
	for _, imp := range tmpl.Imports {
		paths[imp.Path] = true
	}
	seen := map[Unresolved]bool{}
	var out []Unresolved
	for _, l := range loaded {
		for path, imp := range l.pkg.Imports {
			u := Unresolved{ModuleDir: l.pkg.Module.Dir, Path: path}
			if paths[path] && imp.Module == nil && !seen[u] {
				seen[u] = true
				out = append(out, u)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].ModuleDir != out[j].ModuleDir {
			return out[i].ModuleDir < out[j].ModuleDir
		}
		return out[i].Path < out[j].Path
	})
	return out
}

// pkgJob is the work for one package: its files and what they gave.
type pkgJob struct {
	files   []fileJob
	fset    *token.FileSet
	results []*fileResult
	errs    []Diagnostic
	emitted bool // changed files went to Config.Emit

	// heldBack says a variant of the package (see variants) has errors:
	// none of its files is written.
	heldBack bool
}

// variants are the loaded forms of one package: itself, compiled with its
// tests, and its external test package.
type variants struct {
	left int // not visited yet
	jobs []*pkgJob
	bad  bool
}

// variantsKey is the package path the variants of l share.
func variantsKey(l *loaded) string { return strings.TrimSuffix(l.pkg.PkgPath, "_test") }

// rewrite rewrites the package's files. Files the loader read without
// markers are done; the others are read here, once.
func (pj *pkgJob) rewrite(tmpl *templates.Template, mode Mode) {
	pj.results = make([]*fileResult, len(pj.files))
	for i := range pj.files {
		job := &pj.files[i]
		pj.results[i] = pj.rewriteOne(job, tmpl, mode)
		// What the file's rewrite needed and the result does not.
		job.syntax, job.fset, job.facts, job.typedFacts, job.pkgScope = nil, nil, nil, nil, nil
		if r := pj.results[i]; r == nil || !r.changed {
			job.src = nil
		}
	}
}

func (pj *pkgJob) rewriteOne(job *fileJob, tmpl *templates.Template, mode Mode) *fileResult {
	if job.read && job.src == nil {
		return nil // no markers
	}
	if job.src == nil {
		src, err := os.ReadFile(job.path)
		if err != nil {
			return &fileResult{diags: []Diagnostic{errorDiag(job.path, err)}}
		}
		job.src = src
	}
	if !hasMarkers(job.src) && !job.rules.mayMatchFile(job.path) {
		return nil
	}
	if job.typedFacts != nil {
		job.facts = job.typedFacts()
	}
	r := rewriteFile(*job, tmpl, mode)
	r.targets = slices.Clip(r.targets)
	if r.changed = !bytes.Equal(r.out, job.src); !r.changed {
		r.out, r.edits = nil, nil // nothing to keep
	}
	return &r
}

// bad reports whether the package has an error: its files are not written.
func (pj *pkgJob) bad() bool {
	if len(pj.errs) > 0 {
		return true
	}
	for _, r := range pj.results {
		if r != nil {
			for _, d := range r.diags {
				if d.Severity == Error {
					return true
				}
			}
		}
	}
	return false
}

// changed lists the package's changed files.
func (pj *pkgJob) changed() []File {
	var out []File
	for i, r := range pj.results {
		if r != nil && r.changed {
			out = append(out, File{Path: pj.files[i].path, Old: pj.files[i].src, New: r.out, Edits: exportEdits(r.edits)})
		}
	}
	return out
}

// collect adds what the package gave to res: its diagnostics and targets
// and, when it has no errors, its changed files (only their paths, when
// they were emitted and let go).
func (pj *pkgJob) collect(res *Result) {
	res.Diagnostics = append(res.Diagnostics, pj.errs...)
	for _, r := range pj.results {
		if r != nil {
			res.Diagnostics = append(res.Diagnostics, r.diags...)
			for i := range r.targets {
				res.Targets = append(res.Targets, r.targets[i].Target())
			}
		}
	}
	if !pj.bad() && !pj.heldBack {
		res.Files = append(res.Files, pj.changed()...)
	}
}

// templateOf accepts nil (the default), a *templates.Template, or a string
// naming a built-in template.
func templateOf(t any) (*templates.Template, error) {
	switch t := t.(type) {
	case nil:
		return templates.Builtin("")
	case *templates.Template:
		if t == nil {
			return templates.Builtin("")
		}
		return t, nil
	case string:
		return templates.Builtin(t)
	}
	return nil, fmt.Errorf("rewrite: Config.Template is %T, want *templates.Template", t)
}

// trimBodies drops the statements of every function, for files whose bodies
// do not matter: type-checking signatures only is much cheaper.
func trimBodies(f *ast.File) {
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
			fd.Body.List = nil
		}
	}
}

// packageErrors converts a package's list, parse and type errors to
// diagnostics.
func packageErrors(l *loaded, dir string) []Diagnostic {
	var diags []Diagnostic
	for _, e := range append(l.pkg.Errors, l.errs...) {
		pos, msg := parsePosition(e.Pos), e.Msg
		if e.Pos == "" || e.Pos == "-" {
			if at, m, ok := cutPosition(msg); ok {
				pos, msg = at, m
			}
		}
		if pos.Filename != "" && pos.Filename != "-" && !filepath.IsAbs(pos.Filename) && dir != "" {
			pos.Filename = filepath.Join(dir, pos.Filename)
		}
		diags = append(diags, Diagnostic{Pos: pos, Severity: Error, Message: msg})
	}
	return diags
}

// cutPosition splits "file:line:col: message".
func cutPosition(s string) (token.Position, string, bool) {
	i := strings.Index(s, ": ")
	for i >= 0 {
		if p := parsePosition(s[:i]); p.Line > 0 {
			return p, s[i+2:], true
		}
		j := strings.Index(s[i+2:], ": ")
		if j < 0 {
			break
		}
		i += 2 + j
	}
	return token.Position{}, s, false
}

// originalFile is the file a syntax tree came from, following //line
// directives so that cgo's output maps back to the .go file.
func originalFile(fset *token.FileSet, f *ast.File) string {
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok {
			return fset.PositionFor(fd.Pos(), true).Filename
		}
	}
	return fset.PositionFor(f.Package, true).Filename
}

// inModule reports whether path is in the module at dir and not in a
// vendor or testdata directory.
func inModule(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return false
	}
	for _, part := range strings.Split(filepath.Dir(rel), string(filepath.Separator)) {
		if part == "vendor" || part == "testdata" {
			return false
		}
	}
	return true
}

// parsePosition parses file:line:col as go/packages reports positions.
func parsePosition(s string) token.Position {
	var p token.Position
	parts := strings.Split(s, ":")
	nums := 0
	for i := len(parts) - 1; i > 0 && nums < 2; i-- {
		n, err := strconv.Atoi(parts[i])
		if err != nil {
			break
		}
		if nums == 0 {
			p.Column = n
		} else {
			p.Line = n
		}
		nums++
		parts = parts[:i]
	}
	if nums == 1 {
		p.Line, p.Column = p.Column, 0
	}
	p.Filename = strings.Join(parts, ":")
	return p
}

func sortResult(r *Result) {
	sort.Slice(r.Files, func(i, j int) bool { return r.Files[i].Path < r.Files[j].Path })
	less := func(a, b token.Position) bool {
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	}
	sort.SliceStable(r.Targets, func(i, j int) bool { return less(r.Targets[i].Pos, r.Targets[j].Pos) })
	sort.SliceStable(r.Diagnostics, func(i, j int) bool {
		a, b := r.Diagnostics[i], r.Diagnostics[j]
		if a.Pos != b.Pos {
			return less(a.Pos, b.Pos)
		}
		return a.Message < b.Message
	})
	// The test variants of a package report its errors again.
	diags := r.Diagnostics[:0]
	for i, d := range r.Diagnostics {
		if i == 0 || d != r.Diagnostics[i-1] {
			diags = append(diags, d)
		}
	}
	r.Diagnostics = diags
}

// Source rewrites one file without loading its package, for tests and
// fuzzing. With no type information, context.Context and *http.Request are
// recognised through the file's imports, and tags only of predeclared types
// can be recorded. The package path is taken to be the package name. The
// error reports source that does not parse; the contents are returned
// unchanged when there is an error diagnostic.
func Source(filename string, src []byte, mode Mode, tmpl *templates.Template) ([]byte, []Diagnostic, error) {
	if tmpl == nil {
		var err error
		if tmpl, err = templates.Builtin(""); err != nil {
			return nil, nil, err
		}
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filename, src, parser.PackageClauseOnly)
	if err != nil {
		return nil, nil, err
	}
	if _, err := parser.ParseFile(fset, filename, src, parser.SkipObjectResolution); err != nil {
		return nil, nil, err
	}
	r := rewriteFile(fileJob{path: filename, src: src, pkgPath: f.Name.Name, facts: syntaxFacts{}}, tmpl, mode)
	for _, d := range r.diags {
		if d.Severity == Error {
			return src, r.diags, nil
		}
	}
	return r.out, r.diags, nil
}

func firstError(err error) (token.Position, string) {
	var list scanner.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		return list[0].Pos, list[0].Msg
	}
	return token.Position{}, err.Error()
}

// readOnly reports whether a file the jobs would change is read-only, with
// an error diagnostic for each: like gofmt -w, tracegen does not write it,
// nor anything else of its package.
func readOnly(jobs []*pkgJob) bool {
	found := false
	for _, pj := range jobs {
		for _, f := range pj.changed() {
			if fi, err := os.Stat(f.Path); err == nil && fi.Mode().Perm()&0o200 == 0 {
				pj.errs = append(pj.errs, Diagnostic{Pos: token.Position{Filename: f.Path}, Severity: Error,
					Message: "the file is read-only: its package is not written"})
				found = true
			}
		}
	}
	return found
}
