package rewrite

import (
	"go/ast"
	"go/scanner"
	"go/token"

	"github.com/tracegen/tracegen/rewrite/rules"
	"github.com/tracegen/tracegen/templates"
)

// funcTarget is one function to instrument.
type funcTarget struct {
	fd    *ast.FuncDecl // as the file has it
	dir   *directive
	facts *funcFacts
	name  string // display name
	gen   int    // how many statements at the top of fd's body are generated
}

// Names the injected code gives a context, request or error that has none,
// conventional first; the reserved one, numbered if need be, is for when
// the conventional one is taken in the function.
var fieldNames = map[string][2]string{
	"ctx": {"ctx", "tracegenCtx"},
	"req": {"r", "tracegenReq"},
	"err": {"err", "tracegenErr"},
}

// checkTarget reports what makes t impossible to instrument, as errors. It
// returns the indexes
// of the context or request parameter, -1 when there is none.
func (s *source) checkTarget(t funcTarget, fail func(token.Pos, string, ...any)) (ctxIdx, reqIdx int, ok bool) {
	fd, d, ff := t.fd, t.dir, t.facts
	if fd.Body == nil {
		fail(d.pos, "//trace:span on %s, which has no body", t.name)
		return -1, -1, false
	}
	if r := fd.Type.Results; r != nil && len(r.List) == 0 && r.Opening.IsValid() && s.commentIn(r.Opening, r.Closing) {
		// gofmt drops the parentheses and moves the comment into the
		// body, which no rewrite can keep.
		fail(d.pos, "%s has an empty result list () holding a comment; remove the parentheses to instrument it", t.name)
		return -1, -1, false
	}
	ctxIdx, reqIdx = -1, -1
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
		return -1, -1, false
	case d.root && reqIdx >= 0:
		fail(d.pos, "root: %s already has an *http.Request parameter, whose context is used", t.name)
		return -1, -1, false
	case !d.root && ctxIdx < 0 && reqIdx < 0:
		// A directive the code cannot honour: check must fail.
		fail(d.pos, "%s has no context.Context parameter; add root to start a root span", t.name)
		return -1, -1, false
	}
	return ctxIdx, reqIdx, true
}

// naming is a parameter or result the generated code names.
type naming struct {
	results bool
	i       int
	name    string
}

// targetPlan is what instrumenting one function takes: the code, its
// marker, and the names to give.
type targetPlan struct {
	code    string
	info    markerInfo
	namings []naming
	note    string // what the code does not do, and why (Target.Note)

	ruleTags []*rules.Tag // the rule's tags recorded
}

// sigView is the signature of a stripped function: the name of each
// parameter and result, "" when unnamed; and the body's layout.
type sigView struct {
	params, results []string
	oneline         bool
}

func fieldNamesOf(fl *ast.FieldList) []string {
	var out []string
	for _, f := range fields(fl) {
		name := ""
		if f.name != nil {
			name = f.name.Name
		}
		out = append(out, name)
	}
	return out
}

func viewOf(p *parsedFunc) sigView {
	return sigView{params: fieldNamesOf(p.fd.Type.Params), results: fieldNamesOf(p.fd.Type.Results), oneline: p.oneline()}
}

// planTarget renders the code for the stripped function sig, choosing the
// names the code needs among those free in the function (taken holds the
// identifiers it has). It returns nil after reporting why it cannot.
func (s *source) planTarget(sig sigView, t funcTarget, ctxIdx, reqIdx int, taken *nameSet, tmpl *templates.Template, pkgPath string, imports []importUse, fail func(token.Pos, string, ...any)) *targetPlan {
	d, ff := t.dir, t.facts
	pf, rf := sig.params, sig.results
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
		taken.add(u.alias)
	}

	// Each field the template may use gets a name: its own, or one to give
	// it, which is given only if the template uses it.
	type choice struct {
		naming
		was string
		set func(string)
	}
	var choices []choice
	choose := func(results bool, fs []string, i int, kind string, set func(string)) {
		if fs[i] != "" && fs[i] != "_" {
			set(fs[i])
			return
		}
		names := fieldNames[kind]
		name := names[0]
		if taken.has(name) {
			name = freeName(names[1], taken.has, false)
		}
		taken.add(name)
		set(name)
		was := wasUnnamed
		if fs[i] == "_" {
			was = wasBlank
		}
		choices = append(choices, choice{naming{results, i, name}, was, set})
	}
	if ctxIdx >= 0 {
		choose(false, pf, ctxIdx, "ctx", func(n string) { data.Ctx = n })
	}
	if reqIdx >= 0 {
		choose(false, pf, reqIdx, "req", func(n string) { data.Req = n })
	}
	if !d.noError {
		errIdx := -1
		for i, f := range ff.results {
			if f.err {
				errIdx = i
			}
		}
		if errIdx >= 0 {
			choose(true, rf, errIdx, "err", func(n string) { data.Err = n })
		}
	}
	// The context (or request) is rebound only where the function's
	// callers cannot see it: see flow.go.
	var note string
	switch {
	case ctxIdx >= 0:
		if why := ff.keep(pf[ctxIdx], t.gen); why != "" {
			note = why + ": the span starts from it without rebinding it"
		} else {
			data.Rebind = true
		}
	case reqIdx >= 0:
		handler := false
		for _, f := range ff.params {
			handler = handler || f.rw
		}
		if !handler {
			note = "not an HTTP handler: the span starts from the request's context, and the request is not replaced"
		} else if why := ff.keep(pf[reqIdx], t.gen); why != "" {
			note = why + ": the span starts from its context, and it is not replaced"
		} else {
			data.Rebind = true
		}
	default:
		data.Rebind = true // nothing to rebind
	}
	ok := true
	var ruleTags []*rules.Tag
	for _, tag := range d.tags {
		i := -1
		for j, name := range pf {
			if name == tag.param {
				i = j
			}
		}
		if tag.rule != nil && (i < 0 || ff.params[i].tagKind == "") {
			continue // a rule's tag: for the functions that have it
		}
		if tag.rule != nil {
			ruleTags = append(ruleTags, tag.rule)
		}
		if i < 0 {
			fail(tag.pos, "tags: %s has no parameter named %s", t.name, tag.param)
			ok = false
			continue
		}
		f := ff.params[i]
		if f.tagKind == "" {
			what := "which cannot be recorded (want a string, number, bool, fmt.Stringer or error)"
			if !s.exactFacts {
				what = "which cannot be recorded without type information (file excluded by build constraints?)"
			}
			fail(tag.pos, "tags: parameter %s has type %s, %s", tag.param, f.typ, what)
			ok = false
			continue
		}
		value := tag.param
		if f.tagConv != "" {
			value = f.tagConv + "(" + tag.param + ")"
		}
		data.Tags = append(data.Tags, templates.Tag{Key: tag.param, Expr: tag.param, Kind: f.tagKind, Value: value})
	}
	if !ok {
		return nil
	}
	code, err := tmpl.Render(data)
	if err != nil {
		fail(d.pos, "%v", err)
		return nil
	}
	plan := &targetPlan{code: code, info: markerInfo{oneline: sig.oneline, renamed: map[string]string{}}, note: note, ruleTags: ruleTags}
	for _, c := range choices {
		// A name the template does not use is not given.
		c.set("")
		without, err := tmpl.Render(data)
		c.set(c.name)
		if err == nil && without == code {
			continue
		}
		plan.info.renamed[c.name] = c.was
		plan.namings = append(plan.namings, c.naming)
	}
	return plan
}

// apply gives the planned names in d, whose first n statements are the
// generated code.
func (plan *targetPlan) apply(d *decorated, n int) {
	for _, nm := range plan.namings {
		fl := d.fd.Type.Params
		if nm.results {
			fl = d.fd.Type.Results
		}
		nameField(fl, nm.i, nm.name)
	}
	d.layout(n, plan.info.oneline)
}

// field is one parameter or result: a name of a field, or an unnamed field.
type field struct {
	f    *ast.Field
	name *ast.Ident // nil when unnamed
}

func fields(fl *ast.FieldList) []field {
	if fl == nil {
		return nil
	}
	var out []field
	for _, f := range fl.List {
		if len(f.Names) == 0 {
			out = append(out, field{f: f})
		}
		for _, n := range f.Names {
			out = append(out, field{f: f, name: n})
		}
	}
	return out
}

// current returns the plan for fd when its generated code (marker m) is
// what instrumenting the stripped function would generate, and nil when it
// may not be. It needs no dst: it reads the stripped function off the
// marker, plans it, and compares names, marker and code tokens. Apply and
// check both take a function it finds current as it is, so they agree.
func (s *source) current(fd *ast.FuncDecl, m *ast.Comment, t funcTarget, ctxIdx, reqIdx int, tmpl *templates.Template, pkgPath string, imports []importUse) *targetPlan {
	info := parseMarker(m.Text)
	body := fd.Body
	k := 0
	for _, st := range body.List {
		if st.Pos() < m.Pos() {
			k++
		}
	}
	if k == 0 {
		return nil
	}
	gen := body.List[:k]
	// Laid out as apply lays it out: the code on the lines after the
	// brace's, the marker ending it, every other statement on lines of
	// its own.
	if s.line(gen[0].Pos()) != s.line(body.Lbrace)+1 || s.line(m.Pos()) != s.line(gen[k-1].End()) {
		return nil
	}
	prev := s.line(m.End())
	for _, st := range body.List[k:] {
		if _, empty := st.(*ast.EmptyStmt); empty || s.line(st.Pos()) <= prev {
			return nil
		}
		prev = s.line(st.End())
	}
	if s.line(body.Rbrace) <= prev {
		return nil
	}

	// The signature before the names the marker records were given.
	params, results := fieldNamesOf(fd.Type.Params), fieldNamesOf(fd.Type.Results)
	sig := sigView{params: append([]string(nil), params...), results: append([]string(nil), results...), oneline: info.oneline}
	introduced := map[*ast.Ident]bool{}
	for _, list := range []struct {
		fl    *ast.FieldList
		names []string
	}{{fd.Type.Params, sig.params}, {fd.Type.Results, sig.results}} {
		for i, f := range fields(list.fl) {
			if f.name == nil {
				continue
			}
			if r, _ := isReserved(f.name.Name, "tracegenCtx", "tracegenReq", "tracegenErr"); r && len(info.renamed) == 0 {
				return nil // named before markers recorded it: strip knows
			}
			switch info.renamed[f.name.Name] {
			case wasBlank:
				list.names[i] = "_"
				introduced[f.name] = true
			case wasUnnamed:
				for j := range list.names {
					list.names[j] = ""
				}
				for _, g := range fields(list.fl) {
					introduced[g.name] = true
				}
			}
		}
	}
	// The function's names, but those the generated code and the marker
	// introduced.
	taken := &nameSet{lookup: func(name string) bool {
		found := false
		ast.Inspect(fd, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && id.Name == name && !introduced[id] && (id.Pos() < body.Lbrace || id.Pos() >= m.End()) {
				found = true
			}
			return !found
		})
		return found
	}}
	failed := false
	plan := s.planTarget(sig, t, ctxIdx, reqIdx, taken, tmpl, pkgPath, imports, func(token.Pos, string, ...any) { failed = true })
	if plan == nil || failed || plan.info.String() != m.Text {
		return nil
	}
	for _, nm := range plan.namings {
		names := sig.params
		if nm.results {
			names = sig.results
		}
		if names[nm.i] == "" {
			for j := range names {
				names[j] = "_"
			}
		}
		names[nm.i] = nm.name
	}
	if !equalStrings(sig.params, params) || !equalStrings(sig.results, results) {
		return nil
	}
	if !sameTokens(s.src[s.off(gen[0].Pos()):s.off(gen[k-1].End())], []byte(plan.code)) {
		return nil
	}
	return plan
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// sameTokens reports whether two pieces of Go have the same tokens, line
// breaks aside.
func sameTokens(a, b []byte) bool {
	var sa, sb scanner.Scanner
	fs := token.NewFileSet()
	sa.Init(fs.AddFile("", -1, len(a)), a, nil, 0)
	sb.Init(fs.AddFile("", -1, len(b)), b, nil, 0)
	next := func(sc *scanner.Scanner) (token.Token, string) {
		for {
			_, tok, lit := sc.Scan()
			if tok == token.SEMICOLON && lit == "\n" {
				continue
			}
			return tok, lit
		}
	}
	for {
		ta, la := next(&sa)
		tb, lb := next(&sb)
		if ta != tb || la != lb {
			return false
		}
		if ta == token.EOF {
			return sa.ErrorCount == 0 && sb.ErrorCount == 0
		}
	}
}

// commentIn reports whether a comment of the file starts in [from, to).
func (s *source) commentIn(from, to token.Pos) bool {
	for _, cg := range s.file.Comments {
		if cg.End() <= from || cg.Pos() >= to {
			continue
		}
		for _, c := range cg.List {
			if c.Pos() >= from && c.Pos() < to {
				return true
			}
		}
	}
	return false
}
