package rewrite

import (
	"bytes"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"sort"
	"strings"
	"testing"

	"github.com/tracegen/tracegen/templates"
)

// exactSeeds are inputs that once lost a comment or a byte.
var exactSeeds = []string{
	"func F(ctx context.Context) error { return nil /* ok */ }",
	"func G(ctx context.Context) error { /* why */ return nil }",
	"func H(ctx context.Context) (\n\tint, // count\n\terror,\n) {\n\treturn 0, nil\n}",
	"func I(ctx context.Context) (int /* n */, error) { return 0, nil }",
	"func J(context.Context /* the ctx */, int) error { return nil }",
	"func K(ctx context.Context) { // why\n\tx()\n}",
	"func L(ctx context.Context) {\n\n\tx() // first\n}",
	"func M(ctx context.Context) {\n}",
	"func N(_ context.Context, _ int) (_ int, _ error) { return 0, nil }",
	"func O(ctx context.Context) (n int, err error) {\n\tn, err = 1, nil\n\treturn\n}",
	"func P(ctx context.Context) (int, error) {\n\terr := error(nil)\n\treturn 0, err\n}",
}

// sloppySeeds are not gofmt-clean: apply must not format anything outside
// the functions it changes.
var sloppySeeds = []string{
	"package p\nimport \"context\"\nvar   x=1\n//trace:span\nfunc F(ctx context.Context)error{return nil}\nfunc   G( ) {  }\n",
	"package p\n\nimport (\n\"context\"\n  \"fmt\"\n)\n\nvar _ = fmt.Sprint\n\n//trace:span\nfunc F(ctx context.Context) {\n  x := 1\n  _ = x\n}\ntype T struct{a int;b string}\n",
	"package p\nimport \"context\" // why\n//trace:span\nfunc F(ctx context.Context){;0}\n",
}

// FuzzRewrite checks the rewriter's promises on any source that parses:
// the output parses and keeps every comment (rewriteFile checks that itself
// and reports an internal error if not); bytes outside the changed
// functions and imports are the input's; applying again changes nothing;
// and for gofmt-clean input without reserved names, the output is
// gofmt-clean and stripping it gives back the input byte for byte.
func FuzzRewrite(f *testing.F) {
	for _, src := range goldenInputs(f) {
		f.Add(src)
	}
	for _, fn := range exactSeeds {
		f.Add([]byte("package p\n\nimport \"context\"\n\n//trace:span\n" + fn + "\n"))
	}
	for _, src := range sloppySeeds {
		f.Add([]byte(src))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if _, err := parser.ParseFile(token.NewFileSet(), "in.go", src, parser.SkipObjectResolution); err != nil {
			return
		}
		if bytes.Contains(src, []byte(markerKeyword)) {
			return // the marker namespace is reserved for generated code
		}
		mismatches := insertMismatches.Load()
		out, diags, err := Source("in.go", src, Apply, nil)
		if err != nil {
			t.Fatalf("Source on parsable input: %v", err)
		}
		mismatched := insertMismatches.Load() > mismatches
		for _, d := range diags {
			if strings.Contains(d.Message, "internal error") {
				t.Fatalf("%s\ninput:\n%s", d, src)
			}
		}
		if _, err := parser.ParseFile(token.NewFileSet(), "out.go", out, parser.SkipObjectResolution); err != nil {
			t.Fatalf("output does not parse: %v\n%s", err, out)
		}
		checkOutside(t, src, out)
		in, _ := parser.ParseFile(token.NewFileSet(), "in.go", src, parser.ParseComments)
		got, _ := parser.ParseFile(token.NewFileSet(), "out.go", out, parser.ParseComments)
		if lost, added := commentDiff(in, got); lost != "" || added != "" {
			t.Fatalf("comments lost %q, added %q:\ninput:\n%s\noutput:\n%s", lost, added, src, out)
		}
		again, _, err := Source("out.go", out, Apply, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again, out) {
			t.Fatalf("not idempotent:\nfirst:\n%s\nsecond:\n%s", out, again)
		}
		if hasError(diags) || bytes.Contains(src, []byte("tracegen")) || !isGofmt(src) || hasEmptyStmt(src) {
			return
		}
		if !isGofmt(out) {
			t.Fatalf("gofmt-clean input, output is not:\ninput:\n%s\noutput:\n%s", src, out)
		}
		if mismatched {
			t.Fatalf("instrumenting without dst on the body differs from dst on the whole window:\n%s", src)
		}
		// What the dst-free check finds current dst leaves as it is, but for
		// layout (a blank line dst would drop): apply and check agree.
		if misses := fastPathMisses(t, out, false); len(misses) > 0 {
			t.Fatalf("the dst-free check disagrees with dst:\n%s\noutput:\n%s", strings.Join(misses, "\n"), out)
		}
		back, _, err := Source("out.go", out, Strip, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(back, src) {
			t.Fatalf("strip(apply(x)) != x:\ninput:\n%s\napplied:\n%s\nstripped:\n%s", src, out, back)
		}
	})
}

// TestExactSeeds checks the seeds that once lost comments on their own, so
// that plain go test covers them.
func TestExactSeeds(t *testing.T) {
	for _, fn := range exactSeeds {
		src := []byte("package p\n\nimport \"context\"\n\n//trace:span\n" + fn + "\n")
		out, diags, err := Source("in.go", src, Apply, nil)
		if err != nil || hasError(diags) {
			t.Fatalf("%s: %v %v", fn, err, diags)
		}
		if bytes.Equal(out, src) || !bytes.Contains(out, []byte(marker)) {
			t.Errorf("%s: not instrumented:\n%s", fn, out)
		}
		if misses := fastPathMisses(t, out, true); len(misses) > 0 {
			t.Errorf("%s: %s", fn, strings.Join(misses, "\n"))
		}
		in, _ := parser.ParseFile(token.NewFileSet(), "in.go", src, parser.ParseComments)
		got, _ := parser.ParseFile(token.NewFileSet(), "out.go", out, parser.ParseComments)
		if lost, added := commentDiff(in, got); lost != "" || added != "" {
			t.Errorf("%s: comments lost %q, added %q", fn, lost, added)
		}
		if !isGofmt(out) {
			t.Errorf("%s: output is not gofmt-clean:\n%s", fn, out)
		}
		back, _, err := Source("out.go", out, Strip, nil)
		if err != nil || !bytes.Equal(back, src) {
			t.Errorf("%s: strip(apply(x)) != x (%v):\napplied:\n%s\nstripped:\n%s", fn, err, out, back)
		}
	}
	for _, src := range sloppySeeds {
		out, _, err := Source("in.go", []byte(src), Apply, nil)
		if err != nil {
			t.Fatal(err)
		}
		checkOutside(t, []byte(src), out)
	}
}

// checkOutside checks that out keeps the bytes of src outside the
// functions with a directive or generated code and the import
// declarations: every other declaration, and what lies between them.
func checkOutside(t *testing.T, src, out []byte) {
	t.Helper()
	pieces := func(b []byte) []string {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "x.go", b, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			t.Fatalf("%v\n%s", err, b)
		}
		tf := fset.File(f.Pos())
		var ps []string
		prevEnd := -1
		for _, d := range f.Decls {
			if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
				continue
			}
			start, end := tf.Offset(d.Pos()), tf.Offset(d.End())
			if prevEnd >= 0 {
				ps = append(ps, string(b[prevEnd:start]))
			}
			prevEnd = end
			if fd, ok := d.(*ast.FuncDecl); ok && touched(fd, f) {
				ps = append(ps, "func "+fd.Name.Name) // its doc is in the gap
				continue
			}
			ps = append(ps, string(b[start:end]))
		}
		if prevEnd >= 0 {
			ps = append(ps, string(b[prevEnd:]))
		}
		return ps
	}
	a, b := pieces(src), pieces(out)
	if strings.Join(a, "\x00") != strings.Join(b, "\x00") {
		t.Fatalf("bytes outside the changed functions and imports differ:\ninput:\n%s\noutput:\n%s", src, out)
	}
}

// touched reports whether the rewriter may change fd: it has a directive
// or generated code.
func touched(fd *ast.FuncDecl, f *ast.File) bool {
	if fd.Doc != nil {
		for _, c := range fd.Doc.List {
			if isDirective(c) {
				return true
			}
		}
	}
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			if isMarker(c) && c.Pos() > fd.Pos() && c.Pos() < fd.End() {
				return true
			}
		}
	}
	return false
}

// hasEmptyStmt reports whether a function body has an empty statement of
// its own (gofmt keeps "{ ; x }" on one line): apply lays such a body out
// on lines, where the empty statement is not printed, so strip cannot give
// it back.
func hasEmptyStmt(src []byte) bool {
	f, err := parser.ParseFile(token.NewFileSet(), "x.go", src, parser.SkipObjectResolution)
	if err != nil {
		return false
	}
	for _, fd := range funcDecls(f) {
		if fd.Body == nil {
			continue
		}
		for _, st := range fd.Body.List {
			if e, ok := st.(*ast.EmptyStmt); ok && !e.Implicit {
				return true
			}
		}
	}
	return false
}

func hasError(diags []Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

func isGofmt(src []byte) bool {
	out, err := format.Source(src)
	return err == nil && bytes.Equal(out, src)
}

// fastPathMisses lists the instrumented functions of src, the output of
// apply, that the dst-free check (source.current) finds current and the
// dst rewrite would change (wrong), and, with all, those it does not find
// current (slower only).
func fastPathMisses(t *testing.T, src []byte, all bool) []string {
	t.Helper()
	tmpl, err := templates.Builtin("")
	if err != nil {
		t.Fatal(err)
	}
	s, err := parse("out.go", src)
	if err != nil {
		t.Fatal(err)
	}
	s.exactFacts = false
	dirs, bad, _ := findDirectives(s.file)
	imports := s.chooseImports(tmpl.Imports, nil, s.names(nil))
	var misses []string
	for i, fd := range funcDecls(s.file) {
		m := s.generatedBlock(fd)
		d := dirs[i]
		if m == nil || d == nil || d.ignore || bad[i] {
			continue
		}
		tg := funcTarget{fd: fd, dir: d, name: displayName(s.file.Name.Name, fd), facts: syntaxFacts{}.facts("", fd, s.file)}
		ctxIdx, reqIdx, ok := s.checkTarget(tg, func(token.Pos, string, ...any) {})
		if !ok {
			continue
		}
		fast := s.current(fd, m, tg, ctxIdx, reqIdx, tmpl, "p", imports) != nil
		fr, err := s.rewriteFunc(fd, m, tg, true, ctxIdx, reqIdx, tmpl, "p", imports, func(token.Pos, string, ...any) {})
		if err != nil || fr.plan == nil {
			misses = append(misses, fd.Name.Name+": dst rewrite failed")
			continue
		}
		// Layout aside: dst may format what the fast path takes as it is.
		slowCurrent := normComment(fr.applied) == normComment(string(src[fr.start:fr.end]))
		switch {
		case !fast && all:
			misses = append(misses, fd.Name.Name+": not current by the fast path")
		case fast && !slowCurrent:
			misses = append(misses, fd.Name.Name+": current by the fast path, changed by dst:\n"+fr.applied)
		}
	}
	return misses
}

// commentDiff compares the comments of two files as multisets, markers
// aside and white space normalised, and returns one comment only a has and
// one only b has.
func commentDiff(a, b *ast.File) (onlyA, onlyB string) {
	count := map[string]int{}
	each := func(f *ast.File, delta int) {
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				if !isMarker(c) {
					count[normComment(c.Text)] += delta
				}
			}
		}
	}
	each(a, 1)
	each(b, -1)
	keys := make([]string, 0, len(count))
	for k := range count {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		switch n := count[k]; {
		case n > 0 && onlyA == "":
			onlyA = k
		case n < 0 && onlyB == "":
			onlyB = k
		}
	}
	return onlyA, onlyB
}
