package rewrite

import (
	"errors"
	"go/ast"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/tracegen/tracegen/rewrite/rules"
)

// ruleScope is the rule set a package's functions are matched against.
type ruleScope struct {
	set     *rules.Set
	pkgDir  string
	pkgPath string

	mu    sync.Mutex
	files map[string]*rules.FileRules // the rules for each file, once found
}

func newRuleScope(set *rules.Set, pkgDir, pkgPath string) *ruleScope {
	return &ruleScope{set: set, pkgDir: pkgDir, pkgPath: pkgPath, files: map[string]*rules.FileRules{}}
}

// forFile returns the rules that may select functions of file.
func (rs *ruleScope) forFile(file string) *rules.FileRules {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	fr := rs.files[file]
	if fr == nil {
		fr = rs.set.ForFile(rs.pkgDir, rs.pkgPath, file)
		rs.files[file] = fr
	}
	return fr
}

// mayMatchFile reports whether rules may select functions of file: it
// must then be read with its comments and its bodies checked.
func (rs *ruleScope) mayMatchFile(file string) bool {
	return rs != nil && rs.forFile(file).Any()
}

// mayMatch reports whether rules may select fd of file, whose signature
// is not known yet.
func (rs *ruleScope) mayMatch(file string, fd *ast.FuncDecl) bool {
	if rs == nil || fd.Body == nil {
		return false
	}
	fr := rs.forFile(file)
	if !fr.Any() {
		return false
	}
	f := rs.ruleFunc(file, fd, 0)
	return fr.MayMatch(&f)
}

// ruleFunc describes fd for rules, without its signature; gen statements
// at the top of its body are generated code.
func (rs *ruleScope) ruleFunc(file string, fd *ast.FuncDecl, gen int) rules.Func {
	f := rules.Func{PkgDir: rs.pkgDir, PkgPath: rs.pkgPath, File: file, Name: fd.Name.Name}
	if fd.Body != nil {
		f.Stmts = len(fd.Body.List) - gen
	}
	if fd.Recv != nil && len(fd.Recv.List) > 0 {
		t := fd.Recv.List[0].Type
		for {
			p, ok := t.(*ast.ParenExpr)
			if !ok {
				break
			}
			t = p.X
		}
		_, f.Pointer = t.(*ast.StarExpr)
		f.Recv = recvTypeName(t)
	}
	return f
}

// match returns the rule that selects fd, whose facts ff are known, or nil.
func (rs *ruleScope) match(file string, fd *ast.FuncDecl, gen int, ff *funcFacts) *rules.Rule {
	if rs == nil || fd.Body == nil {
		return nil
	}
	fr := rs.forFile(file)
	if !fr.Any() {
		return nil
	}
	f := rs.ruleFunc(file, fd, gen)
	for _, p := range ff.params {
		f.Context = f.Context || p.ctx
		f.Request = f.Request || p.req
	}
	for _, r := range ff.results {
		f.Error = f.Error || r.err
	}
	return fr.Match(&f)
}

// hasContext reports whether the function has a context or a request to
// start a span from.
func (ff *funcFacts) hasContext() bool {
	for _, p := range ff.params {
		if p.ctx || p.req {
			return true
		}
	}
	return false
}

// withRule is the directive the function is traced by when rule selects
// it: d's options (d may be nil) over the rule's.
func withRule(d *directive, rule *rules.Rule, fd *ast.FuncDecl, ff *funcFacts) *directive {
	o := rule.Options
	out := &directive{pos: fd.Name.Pos(), rule: rule, ruleOnly: true}
	if d != nil {
		*out = *d
		out.rule = rule
	}
	if out.name == "" {
		out.name = o.Span
	}
	if len(out.tags) == 0 {
		for i := range o.Tags {
			out.tags = append(out.tags, tagOpt{param: o.Tags[i].Param, pos: fd.Name.Pos(), rule: &o.Tags[i]})
		}
	}
	if out.kind == "" {
		out.kind = o.Kind
	}
	out.ifActive = out.ifActive || o.IfActive
	out.noError = out.noError || o.NoError
	out.root = out.root || o.Root && !ff.hasContext()
	return out
}

// spanName expands the placeholders of d's span name for fd.
func (s *source) spanName(d *directive, fd *ast.FuncDecl, pkgPath string) string {
	if !strings.Contains(d.name, "{") {
		return d.name
	}
	recv := ""
	if fd.Recv != nil && len(fd.Recv.List) > 0 {
		recv = recvTypeName(fd.Recv.List[0].Type)
	}
	return rules.SpanName(d.name, s.file.Name.Name, pkgPath, recv, fd.Name.Name)
}

// rulesError is a rule file that cannot be used: Run reports its problems
// as diagnostics and rewrites nothing.
type rulesError struct{ diags []Diagnostic }

func (e *rulesError) Error() string { return "bad rule file" }

// ruleSets finds the rule set of each package: cfg.RulesFile's, or the
// tracegen.yaml at the root of the package's module, if any.
func ruleSets(cfg Config, order []*loaded) error {
	if cfg.NoRules {
		return nil
	}
	sets := map[string]*rules.Set{} // by file
	var diags []Diagnostic
	get := func(path string, mustExist bool) *rules.Set {
		if s, ok := sets[path]; ok {
			return s
		}
		s, err := rules.Load(path)
		var list rules.ErrorList
		switch {
		case errors.As(err, &list):
			for _, e := range list {
				diags = append(diags, Diagnostic{Pos: e.Pos, Severity: Error, Message: e.Msg})
			}
		case errors.Is(err, os.ErrNotExist) && !mustExist:
		case err != nil:
			diags = append(diags, Diagnostic{Pos: token.Position{Filename: path}, Severity: Error, Message: err.Error()})
		}
		if s != nil && len(s.Rules) == 0 {
			s = nil
		}
		sets[path] = s
		return s
	}
	for _, l := range order {
		var set *rules.Set
		if cfg.RulesFile != "" {
			path := cfg.RulesFile
			if !filepath.IsAbs(path) && cfg.Dir != "" {
				path = filepath.Join(cfg.Dir, path)
			}
			set = get(path, true)
		} else {
			set = get(filepath.Join(l.pkg.Module.Dir, rules.FileName), false)
		}
		if set != nil {
			l.rules = newRuleScope(set, packageDir(l), l.pkg.PkgPath)
		}
	}
	if len(diags) > 0 {
		return &rulesError{diags}
	}
	return nil
}

// packageDir is the directory of a listed package's files.
func packageDir(l *loaded) string {
	for _, list := range [][]string{l.pkg.GoFiles, l.pkg.CompiledGoFiles, l.pkg.IgnoredFiles, l.pkg.OtherFiles} {
		if len(list) > 0 {
			return filepath.Dir(list[0])
		}
	}
	return l.pkg.Module.Dir
}

// wholeTree reports whether the patterns, from dir, name every package
// under the rule file's directory: only then can a rule be known to select
// nothing, or a tag to fit none of its functions.
func wholeTree(dir string, patterns []string, set *rules.Set) bool {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return false
	}
	for _, p := range patterns {
		root, ok := strings.CutSuffix(filepath.ToSlash(p), "/...")
		if !ok || !(filepath.IsAbs(root) || root == "." || root == ".." || strings.HasPrefix(root, "./") || strings.HasPrefix(root, "../")) {
			continue
		}
		if !filepath.IsAbs(root) {
			root = filepath.Join(abs, root)
		}
		rs := rules.Set{Dir: root}
		if rs.Covers(set.Dir) {
			return true
		}
	}
	return false
}

// ruleChecks reports, for the rule sets whose whole tree was loaded, each
// rule that selected nothing (a warning) and each tag of a rule that no
// function it selected could record (an error).
func ruleChecks(sets []*rules.Set, uses []ruleUse) []Diagnostic {
	hits := map[*rules.Rule]int{}
	recorded := map[*rules.Tag]bool{}
	for _, u := range uses {
		hits[u.rule]++
		for _, t := range u.tags {
			recorded[t] = true
		}
	}
	var diags []Diagnostic
	for _, s := range sets {
		for _, r := range s.Rules {
			if hits[r] == 0 {
				diags = append(diags, Diagnostic{Pos: r.Pos, Severity: Warning, Message: "rule " + r.Label() + " selects no function"})
				continue
			}
			for i := range r.Options.Tags {
				if t := &r.Options.Tags[i]; !recorded[t] {
					diags = append(diags, Diagnostic{Pos: t.Pos, Severity: Error,
						Message: "tags: no function rule " + r.Label() + " selects has a parameter " + t.Param + " that can be recorded"})
				}
			}
		}
	}
	return diags
}
