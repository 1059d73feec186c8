package analyzer

import (
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/tracegen/tracegen/rewrite"
	"github.com/tracegen/tracegen/rewrite/rules"
	"github.com/tracegen/tracegen/templates"
)

// Config is what New makes an Analyzer from: the tracegen command's
// options.
type Config struct {
	// Rules is the rule file; "" means the tracegen.yaml next to the go.mod
	// above each package's files, if there is one.
	Rules string
	// NoRules ignores rule files.
	NoRules bool
	// Template is a built-in template's name or a template file; "" means
	// the default.
	Template string
}

// Analyzer is the analyzer with its configuration taken from its flags,
// -config, -norules and -template, as go vet -vettool passes them.
var Analyzer = newWithFlags()

func newWithFlags() *analysis.Analyzer {
	c := &Config{}
	a := newAnalyzer(func() Config { return *c })
	a.Flags.StringVar(&c.Rules, "config", "", "rule file (default: tracegen.yaml next to the module's go.mod)")
	a.Flags.BoolVar(&c.NoRules, "norules", false, "ignore rule files: only //trace: directives select functions")
	a.Flags.StringVar(&c.Template, "template", "", "template of the injected code: a built-in name or a file")
	return a
}

// New returns an analyzer with the configuration c, for drivers that pass
// settings rather than flags (golangci-lint).
func New(c Config) *analysis.Analyzer {
	return newAnalyzer(func() Config { return c })
}

func newAnalyzer(config func() Config) *analysis.Analyzer {
	st := &state{config: config, sets: map[string]setResult{}}
	return &analysis.Analyzer{
		Name: "tracegen",
		Doc:  "report functions whose tracing is missing, stale or orphaned, and calls that break the trace\n\nSee https://pkg.go.dev/github.com/tracegen/tracegen/analyzer.",
		URL:  "https://pkg.go.dev/github.com/tracegen/tracegen/analyzer",
		Run:  st.run,
	}
}

// state is what an analyzer keeps across the packages it sees: the
// template and rule files, read once.
type state struct {
	config func() Config

	tmplOnce sync.Once
	tmpl     *templates.Template
	tmplErr  error

	mu   sync.Mutex
	sets map[string]setResult // by rule file
}

type setResult struct {
	set *rules.Set
	err error
}

func (st *state) template() (*templates.Template, error) {
	st.tmplOnce.Do(func() {
		name := st.config().Template
		if strings.ContainsAny(name, `/\`) || strings.HasSuffix(name, ".tmpl") {
			st.tmpl, st.tmplErr = templates.ParseFile(name)
		} else {
			st.tmpl, st.tmplErr = templates.Builtin(name)
		}
	})
	return st.tmpl, st.tmplErr
}

// rules returns the rule set for a package in dir, nil when there is none.
func (st *state) rules(dir string) (*rules.Set, error) {
	c := st.config()
	if c.NoRules {
		return nil, nil
	}
	path, mustExist := c.Rules, true
	if path == "" {
		root := moduleRoot(dir)
		if root == "" {
			return nil, nil
		}
		path, mustExist = filepath.Join(root, rules.FileName), false
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	r, ok := st.sets[path]
	if !ok {
		r.set, r.err = rules.Load(path)
		if !mustExist && errors.Is(r.err, os.ErrNotExist) {
			r.err = nil
		}
		st.sets[path] = r
	}
	return r.set, r.err
}

// moduleRoot is the directory of the go.mod at or above dir, "" if none.
func moduleRoot(dir string) string {
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

func (st *state) run(pass *analysis.Pass) (any, error) {
	if len(pass.Files) == 0 {
		return nil, nil
	}
	tmpl, err := st.template()
	if err != nil {
		return nil, err
	}
	first := pass.Fset.PositionFor(pass.Files[0].Package, true).Filename
	set, err := st.rules(filepath.Dir(first))
	if err != nil {
		// The rule file is not Go: its problems are reported on the
		// package, with their own positions.
		var list rules.ErrorList
		if !errors.As(err, &list) {
			list = rules.ErrorList{{Pos: token.Position{Filename: st.config().Rules}, Msg: err.Error()}}
		}
		for _, e := range list {
			pass.Reportf(pass.Files[0].Package, "%s", e.Error())
		}
		return nil, nil
	}
	res, err := rewrite.RewritePackage(&rewrite.Package{
		Fset: pass.Fset, Files: pass.Files, Info: pass.TypesInfo, Types: pass.Pkg,
		ReadFile: pass.ReadFile, Rules: set,
	}, rewrite.Apply, tmpl)
	if err != nil {
		return nil, err
	}
	files := newFileIndex(pass)
	for _, d := range res.Diagnostics {
		pos, ok := files.pos(d.Pos)
		msg := d.Message
		if !ok {
			pos, msg = pass.Files[0].Package, d.String()
		}
		pass.Report(analysis.Diagnostic{Pos: pos, Message: msg})
	}
	changed := map[string]rewrite.File{}
	for _, f := range res.Files {
		changed[f.Path] = f
	}
	for _, t := range res.Targets {
		if t.State != rewrite.Current {
			reportTarget(pass, files, t, changed[t.Pos.Filename], res.Targets)
		}
		if t.State != rewrite.Orphan {
			if fd := files.funcAt(t.Pos); fd != nil {
				brokenTraces(pass, fd)
			}
		}
	}
	return nil, nil
}

// reportTarget reports a function whose instrumentation is not current,
// with the edits of f that make it so: the function's, and the file's
// others (imports, markers), which every fix of the file shares.
func reportTarget(pass *analysis.Pass, files *fileIndex, t rewrite.Target, f rewrite.File, all []rewrite.Target) {
	pos, ok := files.pos(t.Pos)
	if !ok || f.Path == "" {
		return // not in this pass's files, or not rewritten (an error says why)
	}
	tf := pass.Fset.File(pos)
	var own []rewrite.Edit
	var shared []rewrite.Edit
	for _, e := range f.Edits {
		switch {
		case e.Start <= t.Pos.Offset && t.Pos.Offset < e.End:
			own = append(own, e)
		case !holdsTarget(e, f.Path, all):
			shared = append(shared, e)
		}
	}
	if len(own) == 0 {
		return
	}
	var edits []analysis.TextEdit
	for _, e := range append(own, shared...) {
		edits = append(edits, analysis.TextEdit{Pos: tf.Pos(e.Start), End: tf.Pos(e.End), NewText: []byte(e.New)})
	}
	what := map[rewrite.TargetState]string{rewrite.Missing: "missing", rewrite.Stale: "stale", rewrite.Orphan: "orphaned"}[t.State]
	verb := map[rewrite.TargetState]string{rewrite.Missing: "Instrument", rewrite.Stale: "Update the instrumentation of", rewrite.Orphan: "Remove the instrumentation of"}[t.State]
	pass.Report(analysis.Diagnostic{
		Pos:      pos,
		Category: what,
		Message:  fmt.Sprintf("%s: instrumentation %s (%s); run tracegen", t.Func, what, t.Reason),
		SuggestedFixes: []analysis.SuggestedFix{{
			Message:   verb + " " + t.Func,
			TextEdits: edits,
		}},
	})
}

func holdsTarget(e rewrite.Edit, path string, all []rewrite.Target) bool {
	for _, t := range all {
		if t.Pos.Filename == path && e.Start <= t.Pos.Offset && t.Pos.Offset < e.End {
			return true
		}
	}
	return false
}

// fileIndex finds the pass's files and functions by position.
type fileIndex struct {
	byName map[string]*token.File
	funcs  map[token.Pos]*ast.FuncDecl // by the position of the name
}

func newFileIndex(pass *analysis.Pass) *fileIndex {
	x := &fileIndex{byName: map[string]*token.File{}, funcs: map[token.Pos]*ast.FuncDecl{}}
	for _, f := range pass.Files {
		tf := pass.Fset.File(f.Pos())
		x.byName[tf.Name()] = tf
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok {
				x.funcs[fd.Name.Pos()] = fd
			}
		}
	}
	return x
}

// pos converts a position the rewriter reports to one of the pass.
func (x *fileIndex) pos(p token.Position) (token.Pos, bool) {
	tf := x.byName[p.Filename]
	if tf == nil || p.Offset > tf.Size() {
		return token.NoPos, false
	}
	return tf.Pos(p.Offset), true
}

func (x *fileIndex) funcAt(p token.Position) *ast.FuncDecl {
	pos, ok := x.pos(p)
	if !ok {
		return nil
	}
	return x.funcs[pos]
}

// brokenTraces reports the calls in fd, an instrumented function, that
// pass context.Background() or context.TODO() to a context parameter while
// fd's own context is in scope.
func brokenTraces(pass *analysis.Pass, fd *ast.FuncDecl) {
	own, replacement := ownContext(pass, fd)
	if own == nil || fd.Body == nil {
		return
	}
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sig, ok := types.Unalias(pass.TypesInfo.TypeOf(call.Fun)).(*types.Signature)
		if !ok {
			return true // a conversion
		}
		for i, arg := range call.Args {
			name := emptyContext(pass.TypesInfo, arg)
			if name == "" || !isContext(paramType(sig, i)) {
				continue
			}
			scope := pass.Pkg.Scope().Innermost(arg.Pos())
			if scope == nil {
				continue
			}
			if _, obj := scope.LookupParent(own.Name(), arg.Pos()); obj != own {
				continue // shadowed
			}
			with := replacement
			if with == "" {
				with = own.Name()
			}
			pass.Report(analysis.Diagnostic{
				Pos:      arg.Pos(),
				End:      arg.End(),
				Category: "brokentrace",
				Message: fmt.Sprintf("context.%s() breaks the trace of %s: its spans start a new trace; pass %s (context.WithoutCancel(%s) to outlive it)",
					name, fd.Name.Name, with, with),
				SuggestedFixes: []analysis.SuggestedFix{{
					Message:   "Pass " + with,
					TextEdits: []analysis.TextEdit{{Pos: arg.Pos(), End: arg.End(), NewText: []byte(with)}},
				}},
			})
		}
		return true
	})
}

// ownContext is fd's context parameter, or its request parameter with
// the expression of the request's context; nil when it has neither with a
// name.
func ownContext(pass *analysis.Pass, fd *ast.FuncDecl) (types.Object, string) {
	var req types.Object
	for _, field := range fd.Type.Params.List {
		for _, name := range field.Names {
			obj := pass.TypesInfo.Defs[name]
			if obj == nil || name.Name == "_" {
				continue
			}
			if isContext(obj.Type()) {
				return obj, ""
			}
			if p, ok := types.Unalias(obj.Type()).(*types.Pointer); ok && isNamed(p.Elem(), "net/http", "Request") && req == nil {
				req = obj
			}
		}
	}
	if req != nil {
		return req, req.Name() + ".Context()"
	}
	return nil, ""
}

// emptyContext says whether e is a call of context.Background or
// context.TODO: the function's name, or "".
func emptyContext(info *types.Info, e ast.Expr) string {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(call.Args) != 0 {
		return ""
	}
	fn, ok := typeutil.Callee(info, call).(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "context" {
		return ""
	}
	if name := fn.Name(); name == "Background" || name == "TODO" {
		return name
	}
	return ""
}

// paramType is the type of the parameter argument i binds to.
func paramType(sig *types.Signature, i int) types.Type {
	params := sig.Params()
	n := params.Len()
	switch {
	case n == 0:
		return nil
	case sig.Variadic() && i >= n-1:
		if s, ok := params.At(n - 1).Type().(*types.Slice); ok {
			return s.Elem()
		}
		return nil
	case i < n:
		return params.At(i).Type()
	}
	return nil
}

func isContext(t types.Type) bool { return t != nil && isNamed(t, "context", "Context") }

func isNamed(t types.Type, pkg, name string) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == pkg && n.Obj().Name() == name
}
