package rewrite

import (
	"fmt"
	"go/ast"
	"go/token"
	"regexp"
	"strconv"
	"strings"

	"github.com/tracegen/tracegen/templates"
)

// plan is what applying the directives to a stripped file produced.
type plan struct {
	edits   []edit
	planned map[int]bool // function indexes that get instrumentation
	diags   []posError
	warns   []posError
	code    []string // rendered code of each planned function
}

// importUse is a template import as the file will have it.
type importUse struct {
	templates.Import
	alias string
	add   bool // not imported yet: add it
}

// chooseImports decides the name of each template import in s: an existing
// import of the path used only as a package name, or a new name that
// collides with no identifier in the file (tracegen, tracegen2, ...).
func (s *source) chooseImports(imps []templates.Import, pkgScope map[string]bool) []importUse {
	taken := map[string]bool{}
	for name := range pkgScope {
		taken[name] = true
	}
	identNames(s.file, taken)
	qualifierOnly := s.qualifierOnlyNames()
	var out []importUse
	for _, imp := range imps {
		u := importUse{Import: imp}
		for _, spec := range s.file.Imports {
			path, _ := strconv.Unquote(spec.Path.Value)
			if path != imp.Path {
				continue
			}
			name := lastElem(path)
			if spec.Name != nil {
				name = spec.Name.Name
			} else if name != imp.Name {
				continue // the package name may differ from the path
			}
			if name != "_" && name != "." && qualifierOnly[name] {
				u.alias = name
				break
			}
		}
		if u.alias == "" {
			u.alias = freeName(imp.Name, taken, true)
			u.add = true
			taken[u.alias] = true
		}
		out = append(out, u)
	}
	return out
}

// qualifierOnlyNames lists the names that appear in the file only as import
// names or as the package of a qualified identifier.
func (s *source) qualifierOnlyNames() map[string]bool {
	qual := map[*ast.Ident]bool{}
	ast.Inspect(s.file, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			if id, ok := n.X.(*ast.Ident); ok {
				qual[id] = true
			}
		case *ast.ImportSpec:
			if n.Name != nil {
				qual[n.Name] = true
			}
		}
		return true
	})
	out := map[string]bool{}
	bad := map[string]bool{}
	ast.Inspect(s.file, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id != s.file.Name {
			if qual[id] {
				out[id.Name] = true
			} else {
				bad[id.Name] = true
			}
		}
		return true
	})
	for name := range bad {
		delete(out, name)
	}
	for _, spec := range s.file.Imports {
		if spec.Name == nil {
			path, _ := strconv.Unquote(spec.Path.Value)
			name := path[strings.LastIndex(path, "/")+1:]
			if !bad[name] {
				out[name] = true
			}
		}
	}
	return out
}

// funcTarget is one function to instrument.
type funcTarget struct {
	index int
	fd    *ast.FuncDecl
	dir   *directive
	facts *funcFacts
	name  string // display name
}

// applyFunc plans the instrumentation of one function of the stripped file.
func (s *source) applyFunc(t funcTarget, tmpl *templates.Template, pkgPath string, imports []importUse, p *plan) {
	fd, d, ff := t.fd, t.dir, t.facts
	fail := func(pos token.Pos, format string, args ...any) {
		p.diags = append(p.diags, posError{pos, fmt.Sprintf(format, args...)})
	}
	if fd.Body == nil {
		fail(d.pos, "//trace:span on %s, which has no body", t.name)
		return
	}
	params, results := fields(fd.Type.Params), fields(fd.Type.Results)
	if len(params) != len(ff.params) || len(results) != len(ff.results) {
		ff = syntaxFacts{}.facts("", fd, s.file)
	}
	ctxIdx, reqIdx := -1, -1
	for i, f := range ff.params {
		if f.ctx && ctxIdx < 0 {
			ctxIdx = i
		}
		if f.req && reqIdx < 0 {
			reqIdx = i
		}
	}
	if ctxIdx >= 0 {
		reqIdx = -1
	}
	switch {
	case d.root && ctxIdx >= 0:
		fail(d.pos, "root: %s already has a context.Context parameter", t.name)
		return
	case d.root && reqIdx >= 0:
		fail(d.pos, "root: %s already has an *http.Request parameter, whose context is used", t.name)
		return
	case !d.root && ctxIdx < 0 && reqIdx < 0:
		p.warns = append(p.warns, posError{d.pos, fmt.Sprintf("%s has no context.Context parameter; add root to start a root span", t.name)})
		return
	}

	taken := map[string]bool{}
	identNames(fd, taken)
	data := templates.Data{
		SpanName: d.name,
		PkgPath:  pkgPath,
		PkgName:  s.file.Name.Name,
		Func:     t.name,
		Kind:     d.kind,
		IfActive: d.ifActive,
		Import:   map[string]string{},
	}
	if data.SpanName == "" {
		data.SpanName = t.name
	}
	for _, u := range imports {
		data.Import[u.Name] = u.alias
	}
	var edits []edit
	if ctxIdx >= 0 {
		data.Ctx = s.nameField(fd.Type.Params, params, ctxIdx, "tracegenCtx", taken, &edits, false)
	}
	if reqIdx >= 0 {
		data.Req = s.nameField(fd.Type.Params, params, reqIdx, "tracegenReq", taken, &edits, false)
	}
	if !d.noError {
		errIdx := -1
		for i, f := range ff.results {
			if f.err {
				errIdx = i
			}
		}
		if errIdx >= 0 {
			data.Err = s.nameField(fd.Type.Results, results, errIdx, "tracegenErr", taken, &edits, true)
		}
	}
	for _, tag := range d.tags {
		i := -1
		for j, f := range params {
			if f.name != nil && f.name.Name == tag.param {
				i = j
			}
		}
		if i < 0 {
			fail(tag.pos, "tags: %s has no parameter named %s", t.name, tag.param)
			continue
		}
		f := ff.params[i]
		if f.tagKind == "" {
			what := "which cannot be recorded (want a string, number, bool, fmt.Stringer or error)"
			if !s.exactFacts {
				what = "which cannot be recorded without type information (file excluded by build constraints?)"
			}
			fail(tag.pos, "tags: parameter %s has type %s, %s", tag.param, f.typ, what)
			continue
		}
		value := tag.param
		if f.tagConv != "" {
			value = f.tagConv + "(" + tag.param + ")"
		}
		data.Tags = append(data.Tags, templates.Tag{Key: tag.param, Expr: tag.param, Kind: f.tagKind, Value: value})
	}
	if len(p.diags) > 0 {
		return
	}
	code, err := tmpl.Render(data)
	if err != nil {
		fail(d.pos, "%v", err)
		return
	}
	edits = append(edits, s.injectBody(fd, code))
	p.edits = append(p.edits, edits...)
	p.planned[t.index] = true
	p.code = append(p.code, code)
}

// nameField returns the name of parameter or result i, naming it first when
// it is "_" (_base) or unnamed (base, and the others "_").
func (s *source) nameField(fl *ast.FieldList, fs []field, i int, base string, taken map[string]bool, edits *[]edit, results bool) string {
	f := fs[i]
	if f.name != nil && f.name.Name != "_" {
		return f.name.Name
	}
	if f.name != nil {
		name := freeName("_"+base, taken, false)
		taken[name] = true
		*edits = append(*edits, edit{s.off(f.name.Pos()), s.off(f.name.End()), name})
		return name
	}
	name := freeName(base, taken, false)
	taken[name] = true
	parts := make([]string, len(fs))
	for j, g := range fs {
		n := "_"
		if j == i {
			n = name
		}
		parts[j] = n + " " + s.text(g.f.Type)
	}
	list := strings.Join(parts, ", ")
	if results && !fl.Opening.IsValid() {
		*edits = append(*edits, edit{s.off(fl.Pos()), s.off(fl.End()), "(" + list + ")"})
	} else {
		*edits = append(*edits, edit{s.off(fl.Opening) + 1, s.off(fl.Closing), list})
	}
	return name
}

// injectBody puts code at the top of fd's body, marking its last line.
func (s *source) injectBody(fd *ast.FuncDecl, code string) edit {
	indent := s.indentOf(fd.Pos())
	lb, rb := s.off(fd.Body.Lbrace), s.off(fd.Body.Rbrace)
	// A body whose first statement shares the brace's line is laid out
	// again like a one-line body; otherwise the code goes on new lines
	// after the brace's line (which may end with a comment).
	oneline := s.line(fd.Body.Lbrace) == s.line(fd.Body.Rbrace) ||
		len(fd.Body.List) > 0 && s.line(fd.Body.List[0].Pos()) == s.line(fd.Body.Lbrace)
	lines := strings.Split(code, "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) != "" {
			lines[i] = indent + "\t" + l
		}
	}
	mark := marker
	if oneline {
		mark = onelineMarker
	}
	lines[len(lines)-1] += " " + mark
	block := strings.Join(lines, "\n")
	if !oneline {
		at := s.lineEnd(lb)
		return edit{at, at, "\n" + block}
	}
	var b strings.Builder
	b.WriteString("{\n" + block + "\n")
	for _, st := range fd.Body.List {
		if _, empty := st.(*ast.EmptyStmt); empty {
			continue
		}
		b.WriteString(indent + "\t" + strings.TrimSpace(s.text(st)) + "\n")
	}
	b.WriteString(indent + "}")
	return edit{lb, rb + 1, b.String()}
}

// addImports adds the template imports the injected code uses.
func (s *source) addImports(imports []importUse, code []string) []edit {
	var specs []string
	for _, u := range imports {
		if !u.add {
			continue
		}
		used := regexp.MustCompile(`\b` + regexp.QuoteMeta(u.alias) + `\.`)
		for _, c := range code {
			if used.MatchString(c) {
				spec := strconv.Quote(u.Path) + " " + marker
				if u.alias != lastElem(u.Path) {
					spec = u.alias + " " + spec
				}
				specs = append(specs, spec)
				break
			}
		}
	}
	if len(specs) == 0 {
		return nil
	}
	var last *ast.GenDecl
	for _, d := range s.file.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
			last = gd
		}
	}
	if last != nil && last.Lparen.IsValid() && s.ownLine(last.Rparen) {
		at := s.lineStart(s.off(last.Rparen))
		return []edit{{at, at, "\n\t" + strings.Join(specs, "\n\t") + "\n"}}
	}
	var at int
	if last != nil {
		at = s.lineEnd(s.off(last.End()))
	} else {
		at = s.lineEnd(s.off(s.file.Name.End()))
	}
	return []edit{{at, at, "\n\nimport " + strings.Join(specs, "\nimport ")}}
}

// lastElem is the last element of an import path, the usual package name.
func lastElem(path string) string { return path[strings.LastIndex(path, "/")+1:] }

// ownLine reports whether only white space precedes p on its line.
func (s *source) ownLine(p token.Pos) bool {
	off := s.off(p)
	return len(strings.TrimSpace(string(s.src[s.lineStart(off):off]))) == 0
}
