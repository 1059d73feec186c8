// Package rules reads tracegen's rule file, tracegen.yaml, and matches
// functions against its rules.
//
// A rule selects functions by where they are and what they look like, and
// says how to trace them, with the options a //trace:span directive takes:
//
//	rules:
//	  - name: store                     # for list and messages; default #N
//	    packages: ./internal/store/...  # go list patterns, relative to the file
//	    files: "*.go"                   # globs: a base name, or a path with /
//	    receivers: "(*Store)"           # globs; (*T) pointer only, (T) value only
//	    funcs: ["Get*", "re:^List"]     # globs, or re: and a regular expression
//	    exported: true                  # exported functions only
//	    only: methods                   # methods or functions
//	    signature: {context: true, request: false, error: true}
//	    min_statements: 2               # bodies of at least 2 statements
//	    exclude:                        # any of these leaves a function out
//	      tests: true                   # _test.go files
//	      packages: ./internal/store/mock
//	      files: "*_gen.go"
//	      receivers: "*Mock"
//	      funcs: String
//	    span: "{pkg}.{recv}.{func}"     # span name
//	    tags: [id]                      # parameters recorded as tags
//	    kind: client
//	    ifactive: true
//	    noerror: true
//	    root: true                      # functions without a context too
//
// Every selector given must hold. A list value is a choice: any item may
// match. Rules are tried in order and the first that selects a function
// gives its options. Without root, a rule never selects a function that has
// neither a context.Context nor an *http.Request parameter. Generated files
// (// Code generated ... DO NOT EDIT.) are never selected.
//
// A span name may use {pkg} (the package name), {path} (its import path),
// {recv} (the receiver's type name, without * or type parameters) and
// {func} (the function's name); an empty {recv} takes one "." next to it
// along, so "{pkg}.{recv}.{func}" names a function pkg.Func. The default
// is the directive's: pkg.Func, pkg.Type.Method or pkg.(*Type).Method.
//
// A tag naming a parameter is recorded for the selected functions that have
// such a parameter of a type that can be recorded; that none has one is an
// error, reported by the caller once all functions are seen.
package rules

import (
	"errors"
	"fmt"
	"go/token"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// FileName is the name of the rule file looked for at a module's root.
const FileName = "tracegen.yaml"

// Set is the rules of one file.
type Set struct {
	Path  string // the file
	Dir   string // its directory: relative package patterns start here
	Rules []*Rule
}

// Rule is one rule of a file.
type Rule struct {
	Name  string         // as given; "" when none was
	Index int            // 1-based position in the file
	Pos   token.Position // of the rule

	packages, files, receivers, funcs []matcher
	exclude                           struct{ packages, files, receivers, funcs []matcher }
	excludeTests                      bool
	exported                          bool
	only                              string // "", "methods" or "functions"
	minStmts                          int
	sig                               struct{ context, request, error *bool }

	Options Options
}

// Options are how a rule traces the functions it selects: a directive's
// options.
type Options struct {
	Span     string // span name template; "" for the default
	SpanPos  token.Position
	Tags     []Tag
	Kind     string
	IfActive bool
	NoError  bool
	Root     bool
}

// Tag is a parameter to record as a tag.
type Tag struct {
	Param string
	Pos   token.Position
}

// Label names the rule in messages and list: its name, or #N.
func (r *Rule) Label() string {
	if r.Name != "" {
		return r.Name
	}
	return "#" + strconv.Itoa(r.Index)
}

// Directive is the rule's options as a //trace:span directive would write
// them, for list.
func (o *Options) Directive() []string {
	var out []string
	if o.Span != "" {
		out = append(out, "name="+quoteIfNeeded(o.Span))
	}
	if len(o.Tags) > 0 {
		var ps []string
		for _, t := range o.Tags {
			ps = append(ps, t.Param)
		}
		out = append(out, "tags="+strings.Join(ps, ","))
	}
	if o.Kind != "" {
		out = append(out, "kind="+o.Kind)
	}
	for _, f := range []struct {
		on   bool
		name string
	}{{o.IfActive, "ifactive"}, {o.NoError, "noerror"}, {o.Root, "root"}} {
		if f.on {
			out = append(out, f.name)
		}
	}
	return out
}

func quoteIfNeeded(s string) string {
	if strings.ContainsAny(s, " \t\"") {
		return strconv.Quote(s)
	}
	return s
}

// Func is what rules look at in a function.
type Func struct {
	PkgDir  string // the package's directory, absolute
	PkgPath string
	File    string // absolute path
	Name    string
	Recv    string // the receiver's base type name; "" for a function
	Pointer bool   // the receiver is a pointer
	Stmts   int    // statements in the body

	// From the signature.
	Context, Request, Error bool
}

// Exported reports whether the function is exported.
func (f *Func) Exported() bool { return token.IsExported(f.Name) }

// Match returns the first rule that selects f, or nil.
func (s *Set) Match(f *Func) *Rule { return s.ForFile(f.PkgDir, f.PkgPath, f.File).Match(f) }

// MayMatch reports whether a rule may select f, its signature unknown.
func (s *Set) MayMatch(f *Func) bool { return s.ForFile(f.PkgDir, f.PkgPath, f.File).MayMatch(f) }

// MayMatchFile reports whether a rule may select functions of the file.
func (s *Set) MayMatchFile(pkgDir, pkgPath, file string) bool {
	return s.ForFile(pkgDir, pkgPath, file).Any()
}

// ForFile returns the rules that may select functions of the file, of the
// package at pkgDir: those whose package and file selectors hold. Matching
// a file's functions against them alone is what makes matching cheap.
func (s *Set) ForFile(pkgDir, pkgPath, file string) *FileRules {
	w := s.where(pkgDir, pkgPath, file)
	fr := &FileRules{}
	for _, r := range s.Rules {
		if r.selectsFile(w) {
			fr.rules = append(fr.rules, r)
		}
	}
	return fr
}

// FileRules are the rules of a set that may select functions of one file.
type FileRules struct{ rules []*Rule }

// Any reports whether there is any.
func (fr *FileRules) Any() bool { return len(fr.rules) > 0 }

// Match returns the first rule that selects f, a function of the file, or
// nil.
func (fr *FileRules) Match(f *Func) *Rule {
	for _, r := range fr.rules {
		if r.selects(f, true) {
			return r
		}
	}
	return nil
}

// MayMatch reports whether a rule may select f, a function of the file,
// its signature unknown.
func (fr *FileRules) MayMatch(f *Func) bool {
	for _, r := range fr.rules {
		if r.selects(f, false) {
			return true
		}
	}
	return false
}

// Covers reports whether dir is in the tree the set's file is at the root
// of.
func (s *Set) Covers(dir string) bool {
	rel, err := filepath.Rel(s.Dir, dir)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// where is a file's place as rules see it.
type where struct {
	dir     string // the package's directory, relative to the set's, with /
	pkgPath string // the package's import path, without _test
	file    string // the file, relative to the set's directory, with /
	base    string // the file's base name
	test    bool
}

func (s *Set) where(pkgDir, pkgPath, file string) where {
	w := where{pkgPath: strings.TrimSuffix(pkgPath, "_test"), base: filepath.Base(file), test: strings.HasSuffix(file, "_test.go")}
	rel, _ := filepath.Rel(s.Dir, pkgDir)
	w.dir = filepath.ToSlash(rel)
	rel, _ = filepath.Rel(s.Dir, file)
	w.file = filepath.ToSlash(rel)
	return w
}

func (r *Rule) selectsFile(w where) bool {
	if r.excludeTests && w.test {
		return false
	}
	pkgOK := func(m matcher) bool { return m.matchPackage(w.dir, w.pkgPath) }
	fileOK := func(m matcher) bool { return m.matchFile(w.file, w.base) }
	return anyOr(r.packages, pkgOK) && !anyOf(r.exclude.packages, pkgOK) &&
		anyOr(r.files, fileOK) && !anyOf(r.exclude.files, fileOK)
}

// selects reports whether r selects f, whose file it may select functions
// of; without typed, f's signature is not known.
func (r *Rule) selects(f *Func, typed bool) bool {
	if r.only == "methods" && f.Recv == "" || r.only == "functions" && f.Recv != "" {
		return false
	}
	if r.exported && !f.Exported() || f.Stmts < r.minStmts {
		return false
	}
	recvOK := func(m matcher) bool { return f.Recv != "" && m.matchRecv(f.Recv, f.Pointer) }
	nameOK := func(m matcher) bool { return m.match(f.Name) }
	if len(r.receivers) > 0 && !anyOf(r.receivers, recvOK) || anyOf(r.exclude.receivers, recvOK) ||
		!anyOr(r.funcs, nameOK) || anyOf(r.exclude.funcs, nameOK) {
		return false
	}
	if typed {
		for _, c := range []struct {
			want *bool
			has  bool
		}{{r.sig.context, f.Context}, {r.sig.request, f.Request}, {r.sig.error, f.Error}} {
			if c.want != nil && *c.want != c.has {
				return false
			}
		}
		if !r.Options.Root && !f.Context && !f.Request {
			return false
		}
	}
	return true
}

// anyOr reports whether some matcher holds; an empty list holds.
func anyOr(ms []matcher, ok func(matcher) bool) bool { return len(ms) == 0 || anyOf(ms, ok) }

func anyOf(ms []matcher, ok func(matcher) bool) bool { return slices.ContainsFunc(ms, ok) }

// matcher is one pattern of a selector.
type matcher struct {
	text string
	re   *regexp.Regexp // for re: patterns, and package patterns
	// For package patterns: relative to the rule file, or an import path.
	relative bool
	// For receivers: (*T) or (T).
	pointer, value bool
	// Globs that need no path.Match: a literal, or a prefix and *.
	literal bool
	prefix  string
}

func (m matcher) match(s string) bool {
	switch {
	case m.re != nil:
		return m.re.MatchString(s)
	case m.literal:
		return s == m.text
	case m.prefix != "":
		return strings.HasPrefix(s, m.prefix)
	}
	ok, _ := path.Match(m.text, s)
	return ok
}

func (m matcher) matchRecv(name string, pointer bool) bool {
	if m.pointer && !pointer || m.value && pointer {
		return false
	}
	return m.match(name)
}

func (m matcher) matchFile(rel, base string) bool {
	if strings.Contains(m.text, "/") {
		return m.match(rel)
	}
	return m.match(base)
}

func (m matcher) matchPackage(rel, pkgPath string) bool {
	if m.relative {
		// Packages outside the rule file's tree match no relative pattern.
		return rel != ".." && !strings.HasPrefix(rel, "../") && m.re.MatchString(rel)
	}
	return m.re.MatchString(pkgPath)
}

// packagePattern compiles a pattern as go list takes it: ... matches any
// string, and x/... matches x itself too.
func packagePattern(p string) (matcher, error) {
	m := matcher{text: p}
	if p == "." || strings.HasPrefix(p, "./") {
		m.relative = true
		p = strings.TrimPrefix(strings.TrimPrefix(p, "."), "/")
	} else if strings.HasPrefix(p, "../") || filepath.IsAbs(p) {
		return m, errors.New("package pattern must start with ./ or be an import path")
	}
	if p == "" {
		p = "."
	}
	expr := regexp.QuoteMeta(p)
	expr = strings.ReplaceAll(expr, `/\.\.\.`, `(/.*)?`)
	expr = strings.ReplaceAll(expr, `\.\.\.`, `.*`)
	m.re = regexp.MustCompile(`^` + expr + `$`)
	return m, nil
}

// Load reads and parses the rule file at path.
func Load(path string) (*Set, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// ErrorList is the problems of a rule file, each at its position.
type ErrorList []Error

// Error is a problem at a position of a rule file.
type Error struct {
	Pos token.Position
	Msg string
}

func (e Error) Error() string { return fmt.Sprintf("%s: %s", e.Pos, e.Msg) }

func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// SpanKinds are the values of a kind option, a rule's or a directive's.
var SpanKinds = []string{"internal", "server", "client", "producer", "consumer"}

// Parse parses a rule file's contents; path names it in errors and its
// directory is where relative package patterns start. The error is an
// ErrorList.
func Parse(file string, data []byte) (*Set, error) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, err
	}
	p := &parser{file: file}
	s := &Set{Path: abs, Dir: filepath.Dir(abs)}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		p.errs = append(p.errs, Error{Pos: token.Position{Filename: file, Line: yamlErrLine(err), Column: 1}, Msg: yamlErrMsg(err)})
		return nil, p.errs
	}
	if len(doc.Content) == 0 {
		return s, nil // empty: no rules
	}
	root := doc.Content[0]
	for k, v := range p.mapping(root, "the file") {
		switch k.Value {
		case "rules":
			if v.Kind != yaml.SequenceNode {
				p.errorf(v, "rules must be a list")
				continue
			}
			for i, n := range v.Content {
				if r := p.rule(n, i+1); r != nil {
					s.Rules = append(s.Rules, r)
				}
			}
		default:
			p.unknownKey(k, "", "rules")
		}
	}
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	return s, nil
}

type parser struct {
	file string
	errs ErrorList
}

func (p *parser) pos(n *yaml.Node) token.Position {
	return token.Position{Filename: p.file, Line: n.Line, Column: n.Column}
}

func (p *parser) errorf(n *yaml.Node, format string, args ...any) {
	p.errs = append(p.errs, Error{Pos: p.pos(n), Msg: fmt.Sprintf(format, args...)})
}

// mapping yields the pairs of a mapping node, reporting repeated keys.
func (p *parser) mapping(n *yaml.Node, what string) func(func(k, v *yaml.Node) bool) {
	return func(yield func(k, v *yaml.Node) bool) {
		if n.Kind != yaml.MappingNode {
			p.errorf(n, "%s must be a mapping of keys to values", what)
			return
		}
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if seen[k.Value] {
				p.errorf(k, "%s given twice", k.Value)
				continue
			}
			seen[k.Value] = true
			if !yield(k, v) {
				return
			}
		}
	}
}

func (p *parser) rule(n *yaml.Node, index int) *Rule {
	r := &Rule{Index: index, Pos: p.pos(n)}
	before := len(p.errs)
	var sigNode, rootNode *yaml.Node
	for k, v := range p.mapping(n, "a rule") {
		switch k.Value {
		case "name":
			r.Name = p.str(v)
		case "packages":
			r.packages = p.patterns(v, packagePattern)
		case "files":
			r.files = p.patterns(v, globPattern)
		case "receivers":
			r.receivers = p.patterns(v, receiverPattern)
		case "funcs":
			r.funcs = p.patterns(v, namePattern)
		case "exported":
			r.exported = p.boolean(v)
		case "only":
			switch r.only = p.str(v); r.only {
			case "methods", "functions", "":
			default:
				p.errorf(v, "only: %q is neither methods nor functions", r.only)
			}
		case "min_statements":
			r.minStmts = p.count(v)
		case "signature":
			sigNode = v
			for sk, sv := range p.mapping(v, "signature") {
				b := p.boolean(sv)
				switch sk.Value {
				case "context":
					r.sig.context = &b
				case "request":
					r.sig.request = &b
				case "error":
					r.sig.error = &b
				default:
					p.unknownKey(sk, " in signature", "context", "request", "error")
				}
			}
		case "exclude":
			for ek, ev := range p.mapping(v, "exclude") {
				switch ek.Value {
				case "tests":
					r.excludeTests = p.boolean(ev)
				case "packages":
					r.exclude.packages = p.patterns(ev, packagePattern)
				case "files":
					r.exclude.files = p.patterns(ev, globPattern)
				case "receivers":
					r.exclude.receivers = p.patterns(ev, receiverPattern)
				case "funcs":
					r.exclude.funcs = p.patterns(ev, namePattern)
				default:
					p.unknownKey(ek, " in exclude", "tests", "packages", "files", "receivers", "funcs")
				}
			}
		case "span":
			r.Options.Span, r.Options.SpanPos = p.str(v), p.pos(v)
			if err := CheckSpanName(r.Options.Span); err != nil {
				p.errorf(v, "span: %v", err)
			}
		case "tags":
			for _, t := range p.list(v) {
				name := p.str(t)
				if !token.IsIdentifier(name) || name == "_" {
					p.errorf(t, "tags: %q is not a parameter name", name)
					continue
				}
				r.Options.Tags = append(r.Options.Tags, Tag{Param: name, Pos: p.pos(t)})
			}
		case "kind":
			r.Options.Kind = p.str(v)
			if !slices.Contains(SpanKinds, r.Options.Kind) {
				p.errorf(v, "unknown span kind %q (want internal, server, client, producer or consumer)", r.Options.Kind)
			}
		case "ifactive":
			r.Options.IfActive = p.boolean(v)
		case "noerror":
			r.Options.NoError = p.boolean(v)
		case "root":
			rootNode = v
			r.Options.Root = p.boolean(v)
		default:
			p.unknownKey(k, " in a rule", ruleKeys...)
		}
	}
	// Options that cannot apply.
	if r.Options.Root && r.sig.context != nil && *r.sig.context {
		p.errorf(rootNode, "root cannot apply: signature.context selects functions that have a context")
	}
	if r.Options.Root && r.sig.request != nil && *r.sig.request {
		p.errorf(rootNode, "root cannot apply: signature.request selects functions whose request carries the context")
	}
	if r.sig.context != nil && !*r.sig.context && r.sig.request != nil && !*r.sig.request && !r.Options.Root {
		p.errorf(sigNode, "signature: a function with neither a context nor a request is selected only with root")
	}
	if len(p.errs) > before {
		return nil
	}
	return r
}

var ruleKeys = []string{"name", "packages", "files", "receivers", "funcs", "exported", "only", "signature",
	"min_statements", "exclude", "span", "tags", "kind", "ifactive", "noerror", "root"}

// unknownKey reports a key that is none of keys: the one it is a typo of,
// or the list.
func (p *parser) unknownKey(k *yaml.Node, where string, keys ...string) {
	for _, want := range keys {
		if editDistance(k.Value, want) <= 2 {
			p.errorf(k, "unknown key %q%s (did you mean %s?)", k.Value, where, want)
			return
		}
	}
	list := strings.Join(keys, ", ")
	if i := strings.LastIndex(list, ", "); i >= 0 {
		list = list[:i] + " or " + list[i+2:]
	}
	p.errorf(k, "unknown key %q%s (want %s)", k.Value, where, list)
}

// editDistance is the Levenshtein distance of a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

func (p *parser) str(n *yaml.Node) string {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		p.errorf(n, "want a string")
		return ""
	}
	return n.Value
}

func (p *parser) boolean(n *yaml.Node) bool {
	var b bool
	if n.Kind != yaml.ScalarNode || n.Decode(&b) != nil {
		p.errorf(n, "want true or false")
	}
	return b
}

func (p *parser) count(n *yaml.Node) int {
	var c int
	if n.Kind != yaml.ScalarNode || n.Decode(&c) != nil || c < 0 {
		p.errorf(n, "want a number of statements (0 or more)")
	}
	return c
}

// list accepts a sequence, or a single scalar as a list of one.
func (p *parser) list(n *yaml.Node) []*yaml.Node {
	switch n.Kind {
	case yaml.ScalarNode:
		return []*yaml.Node{n}
	case yaml.SequenceNode:
		return n.Content
	}
	p.errorf(n, "want a string or a list of strings")
	return nil
}

func (p *parser) patterns(n *yaml.Node, compile func(string) (matcher, error)) []matcher {
	var out []matcher
	for _, item := range p.list(n) {
		text := p.str(item)
		if text == "" {
			if item.Kind == yaml.ScalarNode && item.Tag != "!!null" {
				p.errorf(item, "empty pattern")
			}
			continue
		}
		m, err := compile(text)
		if err != nil {
			p.errorf(item, "%q: %v", text, err)
			continue
		}
		out = append(out, m)
	}
	return out
}

// namePattern is a glob, or re: and a regular expression.
func namePattern(s string) (matcher, error) {
	if expr, ok := strings.CutPrefix(s, "re:"); ok {
		re, err := regexp.Compile(expr)
		if err != nil {
			return matcher{}, fmt.Errorf("bad regular expression: %s", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
		}
		return matcher{text: s, re: re}, nil
	}
	return globPattern(s)
}

func globPattern(s string) (matcher, error) {
	if _, err := path.Match(s, ""); err != nil {
		return matcher{}, errors.New("bad glob: syntax error in pattern")
	}
	m := matcher{text: s}
	const meta = `*?[\\`
	switch i := strings.IndexAny(s, meta); {
	case i < 0:
		m.literal = true
	case i == len(s)-1 && s[i] == '*' && i > 0 && !strings.Contains(s, "/"):
		m.prefix = s[:i]
	}
	return m, nil
}

// receiverPattern is a name pattern, in (*...) for pointer receivers only
// or (...) for value receivers only.
func receiverPattern(s string) (matcher, error) {
	var pointer, value bool
	if inner, ok := strings.CutPrefix(s, "("); ok {
		inner, ok = strings.CutSuffix(inner, ")")
		if !ok {
			return matcher{}, errors.New("unbalanced parentheses: write (*T) for pointer receivers, (T) for values")
		}
		if inner, pointer = strings.CutPrefix(inner, "*"); !pointer {
			value = true
		}
		s = inner
	}
	m, err := namePattern(s)
	m.pointer, m.value = pointer, value
	return m, err
}

// yaml.v3 reports syntax errors as "yaml: line N: message", N counted
// from 0 (the line of the construct the error is in).
var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): `)

func yamlErrLine(err error) int {
	if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n + 1
	}
	return 1
}

func yamlErrMsg(err error) string {
	msg := yamlLineRE.ReplaceAllString(err.Error(), "")
	return strings.TrimPrefix(msg, "yaml: ")
}

// CheckSpanName reports an unknown {placeholder} in a span name template.
func CheckSpanName(s string) error {
	for rest := s; ; {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			return nil
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return fmt.Errorf("unclosed { in %q", s)
		}
		switch ph := rest[i+1 : i+j]; ph {
		case "pkg", "path", "recv", "func":
		default:
			return fmt.Errorf("unknown placeholder {%s} (want {pkg}, {path}, {recv} or {func})", ph)
		}
		rest = rest[i+j+1:]
	}
}

// SpanName expands a span name template for a function.
func SpanName(tmpl, pkgName, pkgPath, recv, fn string) string {
	if !strings.Contains(tmpl, "{") {
		return tmpl
	}
	if recv == "" {
		tmpl = strings.ReplaceAll(tmpl, "{recv}.", "")
		tmpl = strings.ReplaceAll(tmpl, ".{recv}", "")
	}
	return strings.NewReplacer("{pkg}", pkgName, "{path}", pkgPath, "{recv}", recv, "{func}", fn).Replace(tmpl)
}
