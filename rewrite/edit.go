package rewrite

import (
	"bytes"
	"go/ast"
	"go/token"
	"sort"
	"strconv"
	"strings"
)

// edit replaces src[start:end] with text.
type edit struct {
	start, end int
	text       string
}

// applyEdits applies non-overlapping edits to src.
func applyEdits(src []byte, edits []edit) []byte {
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].start < edits[j].start })
	var buf bytes.Buffer
	buf.Grow(len(src) + 256)
	last := 0
	for _, e := range edits {
		if e.start < last {
			continue // overlapping: keep the first
		}
		buf.Write(src[last:e.start])
		buf.WriteString(e.text)
		last = e.end
	}
	buf.Write(src[last:])
	return buf.Bytes()
}

// source couples a parsed file with its bytes.
type source struct {
	fset *token.FileSet
	file *ast.File
	tf   *token.File
	src  []byte

	exactFacts bool // facts come from type checking
}

func (s *source) off(p token.Pos) int { return s.tf.Offset(p) }

func (s *source) text(n ast.Node) string { return string(s.src[s.off(n.Pos()):s.off(n.End())]) }

func (s *source) line(p token.Pos) int { return s.tf.Line(p) }

// lineEnd is the offset of the newline ending the line that holds offset
// off, or len(src).
func (s *source) lineEnd(off int) int {
	if i := bytes.IndexByte(s.src[off:], '\n'); i >= 0 {
		return off + i
	}
	return len(s.src)
}

func (s *source) lineStart(off int) int {
	return bytes.LastIndexByte(s.src[:off], '\n') + 1
}

// indentOf is the leading white space of the line holding p.
func (s *source) indentOf(p token.Pos) string {
	st := s.lineStart(s.off(p))
	i := st
	for i < len(s.src) && (s.src[i] == ' ' || s.src[i] == '\t') {
		i++
	}
	return string(s.src[st:i])
}

const (
	marker        = "//tracegen:generated"
	onelineMarker = marker + " oneline"
)

func isMarker(c *ast.Comment) bool {
	return c.Text == marker || strings.HasPrefix(c.Text, marker+" ")
}

// generatedBlock finds the injected code in fd's body: the marker comment
// ending it, or nil.
func (s *source) generatedBlock(fd *ast.FuncDecl) *ast.Comment {
	if fd.Body == nil {
		return nil
	}
	for _, cg := range s.file.Comments {
		if cg.Pos() < fd.Body.Lbrace {
			continue
		}
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

// isReserved reports whether name is one tracegen gives a parameter or
// result, ^_?tracegen(Err|Ctx|Req)\d*$ with one of the given
// kinds, and whether it is the form that
// stands for "_" (leading underscore).
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

// stripFields undoes the naming of parameters or results: a list with a
// tracegenX name was unnamed, a _tracegenX name was "_".
func (s *source) stripFields(fl *ast.FieldList, results bool) []edit {
	fs := fields(fl)
	unnamed := false
	var edits []edit
	for _, f := range fs {
		if f.name == nil {
			continue
		}
		kinds := []string{"tracegenCtx", "tracegenReq"}
		if results {
			kinds = []string{"tracegenErr"}
		}
		reserved, underscore := isReserved(f.name.Name, kinds...)
		switch {
		case reserved && underscore:
			edits = append(edits, edit{s.off(f.name.Pos()), s.off(f.name.End()), "_"})
		case reserved:
			unnamed = true
		}
	}
	if !unnamed {
		return edits
	}
	types := make([]string, len(fs))
	for i, f := range fs {
		types[i] = s.text(f.f.Type)
	}
	if results && len(fs) == 1 {
		return []edit{{s.off(fl.Opening), s.off(fl.Closing) + 1, types[0]}}
	}
	return []edit{{s.off(fl.Opening) + 1, s.off(fl.Closing), strings.Join(types, ", ")}}
}

// strip computes the file without any generated code.
func (s *source) strip() []byte {
	var edits []edit
	var removed [][2]token.Pos // generated blocks
	for _, fd := range funcDecls(s.file) {
		m := s.generatedBlock(fd)
		if m == nil {
			continue
		}
		edits = append(edits, s.stripFields(fd.Type.Params, false)...)
		edits = append(edits, s.stripFields(fd.Type.Results, true)...)
		removed = append(removed, [2]token.Pos{fd.Body.Lbrace, m.End()})
		lb := s.off(fd.Body.Lbrace)
		if m.Text != onelineMarker && len(fd.Body.List) > 0 {
			// From the newline before the first (injected) statement.
			start := s.lineStart(s.off(fd.Body.List[0].Pos())) - 1
			edits = append(edits, edit{max(start, lb+1), s.off(m.End()), ""})
			continue
		}
		var stmts []string
		for _, st := range fd.Body.List {
			if _, empty := st.(*ast.EmptyStmt); !empty && st.Pos() > m.End() {
				stmts = append(stmts, strings.TrimSpace(s.text(st)))
			}
		}
		body := "{}"
		if len(stmts) > 0 {
			body = "{ " + strings.Join(stmts, "; ") + " }"
		}
		edits = append(edits, edit{lb, s.off(fd.Body.Rbrace) + 1, body})
	}
	edits = append(edits, s.stripImports(removed)...)
	return applyEdits(s.src, edits)
}

// stripImports removes the imports tracegen added that nothing outside the
// removed blocks uses, with the blank line that set them apart.
func (s *source) stripImports(removed [][2]token.Pos) []edit {
	inRemoved := func(p token.Pos) bool {
		for _, r := range removed {
			if p >= r[0] && p < r[1] {
				return true
			}
		}
		return false
	}
	drop := map[int]bool{} // line numbers
	for _, imp := range s.file.Imports {
		if imp.Comment == nil || !isMarker(imp.Comment.List[0]) {
			continue
		}
		path, _ := strconv.Unquote(imp.Path.Value)
		alias := lastElem(path)
		if imp.Name != nil {
			alias = imp.Name.Name
		}
		used := false
		ast.Inspect(s.file, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && id.Name == alias && id != imp.Name && !inRemoved(id.Pos()) {
				used = true
			}
			return !used
		})
		if !used {
			drop[s.line(imp.Pos())] = true
		}
	}
	if len(drop) == 0 {
		return nil
	}
	// Lines to delete: each dropped import, and a blank line just before
	// a run of them.
	lines := make([]int, 0, len(drop))
	for l := range drop {
		lines = append(lines, l)
	}
	sort.Ints(lines)
	for _, l := range lines {
		if !drop[l-1] && l > 1 && s.blankLine(l-1) {
			drop[l-1] = true
		}
	}
	var edits []edit
	for l := range drop {
		start := s.off(s.tf.LineStart(l))
		end := s.lineEnd(start)
		if end < len(s.src) {
			end++
		}
		edits = append(edits, edit{start, end, ""})
	}
	return edits
}

func (s *source) blankLine(l int) bool {
	start := s.off(s.tf.LineStart(l))
	return len(bytes.TrimSpace(s.src[start:s.lineEnd(start)])) == 0
}
