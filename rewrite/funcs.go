package rewrite

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"strings"
	"sync/atomic"

	"github.com/dave/dst"
	"github.com/dave/dst/decorator"
)

// A function is rewritten with dst, on its own: its text is parsed and
// decorated, so that every comment in it is attached to a node and moves
// with it; the tree is changed and printed, and the new text replaces the
// old as one edit. Nothing outside the function moves.
//
// The text taken is the function from its func keyword: its doc comment
// never changes. A body on several lines is taken only as far as a change
// at its top can reach: the generated statements, and after them the
// statements gofmt may align with them, which are those that start on the
// next line and have a comment on their line. The rest of the body keeps
// its bytes, formatted or not, and dst does not pay for it.

// snippet is part of a function's text, from the func keyword to cut, the
// end of a line of the body, or the whole function.
type snippet struct {
	text  string // the part taken
	whole bool   // the whole function; else text + "\n}" is the function
}

func (sn snippet) source() string {
	if sn.whole {
		return snippetHeader + sn.text + "\n"
	}
	return snippetHeader + sn.text + "\n}\n"
}

// snippetHeader makes a function's text a file that dst can decorate.
const snippetHeader = "package p\n\n"

// parsedFunc is a snippet as go/ast parsed it.
type parsedFunc struct {
	sn   snippet
	fset *token.FileSet
	file *ast.File
	fd   *ast.FuncDecl
	tf   *token.File
}

func parseSnippet(sn snippet) (*parsedFunc, error) {
	p := &parsedFunc{sn: sn, fset: token.NewFileSet()}
	f, err := parser.ParseFile(p.fset, "", sn.source(), parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	if len(f.Decls) != 1 {
		return nil, fmt.Errorf("function text parses as %d declarations", len(f.Decls))
	}
	fd, ok := f.Decls[0].(*ast.FuncDecl)
	if !ok || fd.Body == nil {
		return nil, fmt.Errorf("function text does not parse as a function with a body")
	}
	p.file, p.fd, p.tf = f, fd, p.fset.File(f.Pos())
	return p, nil
}

func (p *parsedFunc) line(pos token.Pos) int { return p.tf.Line(pos) }

// off is an offset in the snippet's text.
func (p *parsedFunc) off(pos token.Pos) int { return p.tf.Offset(pos) - len(snippetHeader) }

// oneline reports whether the body is laid out on the line of its opening
// brace: all of it, or its first statement.
func (p *parsedFunc) oneline() bool {
	b := p.fd.Body
	return p.line(b.Lbrace) == p.line(b.Rbrace) || len(b.List) > 0 && p.line(b.List[0].Pos()) == p.line(b.Lbrace)
}

// generated finds the generated code: the number of statements at the top
// of the body up to the one the marker ends, and the marker; 0 and nil when
// there is none.
func (p *parsedFunc) generated() (int, *ast.Comment) {
	b := p.fd.Body
	for _, cg := range p.file.Comments {
		if cg.Pos() < b.Lbrace || cg.Pos() > b.Rbrace {
			continue
		}
		for _, c := range cg.List {
			if !isMarker(c) {
				continue
			}
			n := 0
			for _, st := range b.List {
				if st.Pos() < c.Pos() {
					n++
				}
			}
			return n, c
		}
	}
	return 0, nil
}

// window returns the part of the function that a change at the top of the
// body can affect, the first skip statements being generated code: see
// above. src holds the bytes tf describes.
func window(fd *ast.FuncDecl, tf *token.File, comments []*ast.CommentGroup, src []byte, skip int) snippet {
	whole := snippet{text: string(src[tf.Offset(fd.Pos()):tf.Offset(fd.End())]), whole: true}
	b := fd.Body
	line := tf.Line
	if line(b.Lbrace) == line(b.Rbrace) || len(b.List) > 0 && line(b.List[0].Pos()) == line(b.Lbrace) {
		return whole
	}
	commentIn := func(from, to token.Pos) bool {
		for _, cg := range comments {
			for _, c := range cg.List {
				if c.Pos() >= from && c.Pos() < to {
					return true
				}
			}
		}
		return false
	}
	lineEnd := func(p token.Pos) token.Pos {
		l := line(p)
		if l == tf.LineCount() {
			return token.Pos(tf.Base() + tf.Size())
		}
		return tf.LineStart(l+1) - 1
	}
	last := b.Lbrace // the end of what the window holds so far
	n := 0
	for i, st := range b.List {
		if i >= skip {
			adjacent := line(st.Pos()) == line(last)+1 && !commentIn(lineEnd(last), st.Pos())
			if !adjacent || !commentIn(st.Pos(), lineEnd(st.End())) {
				break
			}
		}
		last, n = st.End(), i+1
		if i >= skip && line(st.Pos()) != line(st.End()) {
			break // a statement on several lines ends gofmt's alignment
		}
	}
	// Trailing comments of the last statement are on its line.
	cut := lineEnd(last)
	if n == len(b.List) || line(cut) >= line(b.Rbrace) {
		return whole
	}
	if n < len(b.List) && b.List[n].Pos() <= cut {
		return whole // the next statement shares the line
	}
	return snippet{text: string(src[tf.Offset(fd.Pos()):tf.Offset(cut)])}
}

// decorated is a snippet decorated with dst.
type decorated struct {
	sn   snippet
	file *dst.File
	fd   *dst.FuncDecl
}

func decorate(p *parsedFunc) (*decorated, error) {
	f, err := decorator.NewDecorator(p.fset).DecorateFile(p.file)
	if err != nil {
		return nil, err
	}
	return &decorated{sn: p.sn, file: f, fd: f.Decls[0].(*dst.FuncDecl)}, nil
}

// restore prints the snippet as it now is.
func (d *decorated) restore() (string, error) {
	var buf bytes.Buffer
	if err := decorator.Fprint(&buf, d.file); err != nil {
		return "", err
	}
	out, ok := bytes.CutPrefix(buf.Bytes(), []byte(snippetHeader))
	if !ok {
		return "", fmt.Errorf("printed function does not start with the package clause")
	}
	out = bytes.TrimSuffix(out, []byte("\n"))
	if !d.sn.whole {
		if out, ok = bytes.CutSuffix(out, []byte("\n}")); !ok {
			return "", fmt.Errorf("printed function does not end with its closing brace")
		}
	}
	return string(out), nil
}

// strip removes the first n statements of the body, the generated code
// whose marker says info, and undoes what the marker records.
func (d *decorated) strip(n int, info markerInfo) {
	body := d.fd.Body
	// Comments written above or after the generated statements stay.
	var keep []string
	for _, st := range body.List[:n] {
		keep = append(keep, dropMarkers(st.Decorations().Start)...)
		keep = append(keep, dropMarkers(st.Decorations().End)...)
	}
	var lastAfter dst.SpaceType
	if n > 0 {
		lastAfter = body.List[n-1].Decorations().After
	}
	body.List = body.List[n:]
	if len(body.List) > 0 {
		first := body.List[0].Decorations()
		first.Start = append(keep, dropMarkers(first.Start)...)
	} else {
		body.Decs.Lbrace = append(body.Decs.Lbrace, keep...)
	}
	body.Decs.Lbrace = dropMarkers(body.Decs.Lbrace)
	if len(body.List) == 0 && !info.oneline {
		// An empty body on lines: {\n}, {\n\n}, { //\n} or { //\n\n}.
		if !endsLine(body.Decs.Lbrace) {
			body.Decs.Lbrace = append(body.Decs.Lbrace, "\n")
		}
		if lastAfter == dst.EmptyLine {
			body.Decs.Lbrace = append(body.Decs.Lbrace, "\n")
		}
	}
	if info.oneline {
		for _, st := range body.List {
			st.Decorations().Before, st.Decorations().After = dst.None, dst.None
		}
	}
	params, results := d.fd.Type.Params, d.fd.Type.Results
	if len(info.renamed) == 0 {
		legacyUnname(params, false)
		legacyUnname(results, true)
		return
	}
	for name, was := range info.renamed {
		for _, fl := range []*dst.FieldList{params, results} {
			for _, f := range dfields(fl) {
				if f.name == nil || f.name.Name != name {
					continue
				}
				if was == wasBlank {
					f.name.Name = "_"
				} else {
					unname(fl)
				}
			}
		}
	}
}

// dropMarkers returns decorations without marker comments.
func dropMarkers(decs dst.Decorations) dst.Decorations {
	var out dst.Decorations
	for _, d := range decs {
		if d == marker || strings.HasPrefix(d, marker+" ") {
			continue
		}
		out = append(out, d)
	}
	return out
}

// endsLine reports whether decorations end with a line break.
func endsLine(decs dst.Decorations) bool {
	if len(decs) == 0 {
		return false
	}
	last := decs[len(decs)-1]
	return last == "\n" || strings.HasPrefix(last, "//")
}

// withCode returns the snippet base, whose body's opening brace is at
// offset lbrace, with code, the generated statements with the marker on
// their last line, put at the top of the body: on lines of their own after
// the brace's line, or, for a body on one line, right after the brace
// (layout then puts the body on lines).
func withCode(base snippet, lbrace int, code string, oneline bool) snippet {
	lines := strings.Split(code, "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) != "" {
			lines[i] = "\t" + l
		}
	}
	block := strings.Join(lines, "\n")
	text := base.text
	at := lbrace + 1
	if oneline {
		block += "\n"
	} else if i := strings.IndexByte(text[at:], '\n'); i >= 0 {
		at += i
	} else {
		at = len(text)
	}
	return snippet{text: text[:at] + "\n" + block + text[at:], whole: base.whole}
}

// layout lays out the body after the first n (generated) statements were
// put at its top: a body on one line gets lines of its own, and empty
// statements go (they print as nothing, or a blank line, and would not be
// there when the result is read again).
func (d *decorated) layout(n int, oneline bool) {
	body := d.fd.Body
	var list []dst.Stmt
	var carry dst.Decorations
	for i, st := range body.List {
		if _, empty := st.(*dst.EmptyStmt); empty && i >= n {
			carry = append(carry, st.Decorations().Start...)
			carry = append(carry, st.Decorations().End...)
			continue
		}
		if len(carry) > 0 {
			st.Decorations().Start = append(carry, st.Decorations().Start...)
			carry = nil
		}
		list = append(list, st)
	}
	if len(carry) > 0 {
		body.Decs.End = append(carry, body.Decs.End...)
	}
	body.List = list
	if oneline {
		for _, st := range body.List {
			st.Decorations().Before, st.Decorations().After = dst.NewLine, dst.NewLine
		}
	}
}

// dfield is one parameter or result: a name of a field, or an unnamed
// field.
type dfield struct {
	f    *dst.Field
	name *dst.Ident // nil when unnamed
}

func dfields(fl *dst.FieldList) []dfield {
	if fl == nil {
		return nil
	}
	var out []dfield
	for _, f := range fl.List {
		if len(f.Names) == 0 {
			out = append(out, dfield{f: f})
		}
		for _, n := range f.Names {
			out = append(out, dfield{f: f, name: n})
		}
	}
	return out
}

// nameField gives parameter or result i of fl the name name if it has none
// or is "_", and says what it was: wasBlank, wasUnnamed or "" when it kept
// its name. Naming one field of an unnamed list names the others "_".
func nameField(fl *dst.FieldList, i int, name string) string {
	f := dfields(fl)[i]
	switch {
	case f.name != nil && f.name.Name != "_":
		return ""
	case f.name != nil:
		f.name.Name = name
		return wasBlank
	}
	for j, g := range fl.List {
		n := "_"
		if j == i {
			n = name
		}
		g.Names = []*dst.Ident{dst.NewIdent(n)}
	}
	fl.Opening, fl.Closing = true, true
	return wasUnnamed
}

// unname removes the names of a list's fields, one field per name.
func unname(fl *dst.FieldList) {
	var list []*dst.Field
	for _, f := range fl.List {
		for i := range max(1, len(f.Names)) {
			g := f
			if i > 0 {
				g = dst.Clone(f).(*dst.Field)
			}
			g.Names = nil
			list = append(list, g)
		}
	}
	fl.List = list
}

// legacyUnname undoes the names of tracegen before markers recorded them:
// a list with a tracegenX name was unnamed, a _tracegenX name was "_".
func legacyUnname(fl *dst.FieldList, results bool) {
	kinds := []string{"tracegenCtx", "tracegenReq"}
	if results {
		kinds = []string{"tracegenErr"}
	}
	unnamed := false
	for _, f := range dfields(fl) {
		if f.name == nil {
			continue
		}
		switch reserved, underscore := isReserved(f.name.Name, kinds...); {
		case reserved && underscore:
			f.name.Name = "_"
		case reserved:
			unnamed = true
		}
	}
	if unnamed {
		unname(fl)
	}
}

// isReserved reports whether name is one tracegen gives a parameter or
// result when the conventional one is taken, ^_?tracegen(Err|Ctx|Req)\d*$
// with one of the given kinds, and whether it is the form that stood for
// "_" (leading underscore) before markers recorded it.
func isReserved(name string, kinds ...string) (reserved, underscore bool) {
	underscore = strings.HasPrefix(name, "_")
	rest := strings.TrimPrefix(name, "_")
	var ok bool
	for _, kind := range kinds {
		if tail, found := strings.CutPrefix(rest, kind); found {
			rest, ok = tail, true
			break
		}
	}
	if !ok {
		return false, false
	}
	for _, r := range rest {
		if r < '0' || r > '9' {
			return false, false
		}
	}
	return true, underscore
}

// insertCode instruments a function that has no generated code, when the
// change leaves its body's existing lines alone: the body is on several
// lines, nothing follows its opening brace on that line, and no statement
// after it could be aligned with the new ones (base, from window, ends with
// the brace). The new statements are then lines of their own, formatted as
// gofmt would, put after the brace's line; dst names what the plan names in
// the signature, the one part of the existing text that changes. It reports
// false when the function is not of that shape; the result is what
// fullInsert, dst on the whole window, gives (tests check that).
func (s *source) insertCode(fd *ast.FuncDecl, base snippet, lbrace int, code string, plan *targetPlan) (string, bool, error) {
	if base.whole || lbrace != len(base.text)-1 || plan.info.oneline {
		return "", false, nil
	}
	sigEnd := s.off(fd.Type.End()) - s.off(fd.Pos())
	if base.text[sigEnd:] != " {" {
		return "", false, nil
	}
	block, err := formatStmts(code)
	if err != nil {
		return "", false, err
	}
	sig := base.text[:sigEnd]
	if len(plan.namings) > 0 || !canonicalSignature(s.fset, fd, sig) {
		p, err := parseSnippet(snippet{text: sig + " {\n}", whole: true})
		if err != nil {
			return "", false, nil
		}
		d, err := decorate(p)
		if err != nil {
			return "", false, nil
		}
		plan.apply(d, 0)
		out, err := d.restore()
		if err != nil {
			return "", false, nil
		}
		var ok bool
		if sig, ok = strings.CutSuffix(out, " {\n}"); !ok {
			return "", false, nil
		}
	}
	return sig + " {\n" + block, true, nil
}

// canonicalSignature reports whether sig, the text of fd from its func
// keyword through its signature, is as gofmt prints it (and so as dst
// would): without comments, for the printer leaves them out here.
func canonicalSignature(fset *token.FileSet, fd *ast.FuncDecl, sig string) bool {
	var buf bytes.Buffer
	err := format.Node(&buf, fset, &ast.FuncDecl{Recv: fd.Recv, Name: fd.Name, Type: fd.Type})
	return err == nil && buf.String() == sig
}

// fullInsert instruments the same function as insertCode does, with dst on
// the whole window: for the tests.
func fullInsert(base snippet, lbrace int, code string, plan *targetPlan) (string, error) {
	p, err := parseSnippet(withCode(base, lbrace, code, false))
	if err != nil {
		return "", err
	}
	return instrument(p, plan)
}

// instrument gives p, a window with the generated code put at the top of
// its body by withCode, the names and layout plan says, with dst.
func instrument(p *parsedFunc, plan *targetPlan) (string, error) {
	n, _ := p.generated()
	d, err := decorate(p)
	if err != nil {
		return "", err
	}
	plan.apply(d, n)
	return d.restore()
}

// compareInsert makes the rewriter check every insertCode result against
// fullInsert, counting differences in insertMismatches (for the tests).
var (
	compareInsert    bool
	insertMismatches atomic.Int64
)

// formatStmts formats statements as gofmt would in a function body: each
// line indented once, without a final newline.
func formatStmts(code string) (string, error) {
	src := "package p\n\nfunc _() {\n" + code + "\n}\n"
	out, err := format.Source([]byte(src))
	if err != nil {
		return "", err
	}
	body, ok := strings.CutPrefix(string(out), "package p\n\nfunc _() {\n")
	if !ok {
		return "", fmt.Errorf("formatted code does not start with its function")
	}
	if body, ok = strings.CutSuffix(body, "\n}\n"); !ok {
		return "", fmt.Errorf("formatted code does not end with its function")
	}
	return body, nil
}
