package rewrite

import (
	"bytes"
	"go/ast"
	"go/token"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tracegen/tracegen/templates"
)

// Imports are plain text edits: the rest of the import block keeps its
// bytes. The rules:
//
//   - A template import the new code uses and the file lacks is added, with
//     a marker, as a group of its own at the end of the last import block.
//     A file with single import declarations only has the last one joined
//     into a block with it (marked "joined"), so that goimports and gopls,
//     which merge import declarations, leave the file as it is. A file
//     without imports gets a declaration of its own.
//   - An import of a template's package, or one with a marker, that nothing
//     outside the generated code uses and the new code does not use is
//     removed, marked or not: a tool that organises imports may have moved
//     it and dropped the marker, and an unused import does not compile. A
//     block tracegen joined becomes the single declaration again.
//   - A marker outside generated code and import lines, as such tools leave
//     when they move an import, is removed.

// importUse is a template import as the file will have it.
type importUse struct {
	templates.Import
	alias string
	add   bool // not imported yet: add it
}

// chooseImports decides the name of each template import in s: an existing
// import of the path used only as a package name, or a new name that
// collides with no identifier in the file (tracegen, tracegen2, ...).
func (s *source) chooseImports(imps []templates.Import, pkgScope map[string]bool, names *fileNames) []importUse {
	added := map[string]bool{}
	taken := func(name string) bool { return pkgScope[name] || names.has(name) || added[name] }
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
			if name != "_" && name != "." && names.qualifierOnly(name) {
				u.alias = name
				break
			}
		}
		if u.alias == "" {
			u.alias = freeName(imp.Name, taken, true)
			u.add = true
			added[u.alias] = true
		}
		out = append(out, u)
	}
	return out
}

// fileNames is what the rewriter needs to know of a file's identifiers.
type fileNames struct {
	flags map[string]nameFlags
}

// nameFlags say how a name is used in a file.
type nameFlags uint8

const (
	nameSeen      nameFlags = 1 << iota // as an identifier
	nameQualifier                       // as an import name or package qualifier
	nameOther                           // otherwise
	nameOutside                         // outside the imports and the generated code
	nameImplicit                        // the last element of an unnamed import's path
)

// has reports whether the file has an identifier name.
func (fn *fileNames) has(name string) bool { return fn.flags[name]&nameSeen != 0 }

// qualifierOnly reports whether name is used only as an import name or a
// package qualifier (or is an unnamed import's package name, not otherwise
// used).
func (fn *fileNames) qualifierOnly(name string) bool {
	f := fn.flags[name]
	return f&(nameQualifier|nameImplicit) != 0 && f&nameOther == 0
}

// outside reports whether name is used outside the imports and the
// generated code.
func (fn *fileNames) outside(name string) bool { return fn.flags[name]&nameOutside != 0 }

// names walks the file once for fileNames; gen are the ranges of the
// generated code.
func (s *source) names(gen [][2]token.Pos) *fileNames {
	fn := &fileNames{flags: map[string]nameFlags{}}
	record := func(id *ast.Ident, qualifier, inImports bool) {
		f := fn.flags[id.Name] | nameSeen
		if qualifier {
			f |= nameQualifier
		} else {
			f |= nameOther
		}
		if !inImports && !inRanges(id.Pos(), gen) {
			f |= nameOutside
		}
		fn.flags[id.Name] = f
	}
	for _, d := range s.file.Decls {
		isImport := false
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
			isImport = true
		}
		ast.Inspect(d, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.SelectorExpr:
				if id, ok := n.X.(*ast.Ident); ok {
					record(id, true, isImport)
					record(n.Sel, false, isImport)
					return false
				}
			case *ast.ImportSpec:
				if n.Name != nil {
					record(n.Name, true, isImport)
				}
				return false
			case *ast.Ident:
				record(n, false, isImport)
			}
			return true
		})
	}
	for _, spec := range s.file.Imports {
		if spec.Name == nil {
			name := lastElem(importPath(spec))
			fn.flags[name] |= nameImplicit
		}
	}
	return fn
}

func importPath(spec *ast.ImportSpec) string {
	path, _ := strconv.Unquote(spec.Path.Value)
	return path
}

// importName is the name a file refers to an import by.
func importName(spec *ast.ImportSpec) string {
	if spec.Name != nil {
		return spec.Name.Name
	}
	return lastElem(importPath(spec))
}

// lastElem is the last element of an import path, the usual package name.
func lastElem(path string) string { return path[strings.LastIndex(path, "/")+1:] }

// specMarker is the marker comment of an import, or nil.
func specMarker(spec *ast.ImportSpec) *ast.Comment {
	if spec.Comment != nil {
		for _, c := range spec.Comment.List {
			if isMarker(c) {
				return c
			}
		}
	}
	return nil
}

// importDecl is an import declaration and what happens to it.
type importDecl struct {
	gd      *ast.GenDecl
	removed map[*ast.ImportSpec]bool
	joined  bool // a removed import says the block was joined
}

func (d *importDecl) remaining() []*ast.ImportSpec {
	var out []*ast.ImportSpec
	for _, sp := range d.gd.Specs {
		if spec := sp.(*ast.ImportSpec); !d.removed[spec] {
			out = append(out, spec)
		}
	}
	return out
}

func (d *importDecl) isC() bool {
	for _, sp := range d.gd.Specs {
		if importPath(sp.(*ast.ImportSpec)) == "C" {
			return true
		}
	}
	return false
}

// importEdits computes the edits to the imports for new generated code code
// (the code of every instrumented function, in the file's order), given
// the chosen imports and the ranges of the file's current generated code.
func (s *source) importEdits(tmpl *templates.Template, imports []importUse, code []string, gen [][2]token.Pos, names *fileNames) []edit {
	usedByCode := func(alias string) bool {
		re := regexp.MustCompile(`\b` + regexp.QuoteMeta(alias) + `\.`)
		for _, c := range code {
			if re.MatchString(c) {
				return true
			}
		}
		return false
	}
	tmplPath := map[string]bool{}
	for _, imp := range tmpl.Imports {
		tmplPath[imp.Path] = true
	}
	kept := map[string]bool{} // aliases of chosen existing imports the code uses
	for _, u := range imports {
		if !u.add && usedByCode(u.alias) {
			kept[u.alias] = true
		}
	}

	var decls []*importDecl
	for _, d := range s.file.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		id := &importDecl{gd: gd, removed: map[*ast.ImportSpec]bool{}}
		for _, sp := range gd.Specs {
			spec := sp.(*ast.ImportSpec)
			m := specMarker(spec)
			name := importName(spec)
			if m == nil && !tmplPath[importPath(spec)] || name == "_" || name == "." {
				continue
			}
			if kept[name] || names.outside(name) {
				continue
			}
			id.removed[spec] = true
			if m != nil && parseMarker(m.Text).joined {
				id.joined = true
			}
		}
		decls = append(decls, id)
	}

	var adds []string
	for _, u := range imports {
		if u.add && usedByCode(u.alias) {
			spec := strconv.Quote(u.Path)
			if u.alias != lastElem(u.Path) {
				spec = u.alias + " " + spec
			}
			adds = append(adds, spec)
		}
	}
	sort.Slice(adds, func(i, j int) bool { return specPath(adds[i]) < specPath(adds[j]) })

	var edits []edit
	target, how := s.addTarget(decls, len(adds) > 0)
	for _, d := range decls {
		switch {
		case d == target && how == addJoin:
			edits = append(edits, s.joinEdit(d, adds))
		case d == target && how == addGroup:
			edits = append(edits, s.removeSpecEdits(d)...)
			edits = append(edits, s.groupEdit(d, adds, d.joined))
		case len(d.removed) > 0:
			edits = append(edits, s.removeEdits(d)...)
		}
	}
	if target == nil && len(adds) > 0 {
		edits = append(edits, s.declEdit(decls, adds))
	}
	return append(edits, s.strayMarkerEdits(gen)...)
}

// specPath is the import path of an import as added, without quotes.
func specPath(spec string) string {
	p, _ := strconv.Unquote(spec[strings.IndexByte(spec, '"'):])
	return p
}

type addHow int

const (
	addNone  addHow = iota
	addGroup        // a group at the end of a block
	addJoin         // join a single declaration into a block
)

// addTarget picks the declaration imports are added to: the last block
// that keeps an import, or else the last single declaration, neither
// importing "C" (its preamble must stay its own).
func (s *source) addTarget(decls []*importDecl, adding bool) (*importDecl, addHow) {
	if !adding {
		return nil, addNone
	}
	for i := len(decls) - 1; i >= 0; i-- {
		d := decls[i]
		if d.gd.Lparen.IsValid() && !d.isC() && len(d.remaining()) > 0 && s.ownLine(d.gd.Rparen) {
			return d, addGroup
		}
	}
	for i := len(decls) - 1; i >= 0; i-- {
		d := decls[i]
		if !d.gd.Lparen.IsValid() && !d.isC() && len(d.removed) == 0 && s.joinable(d) {
			return d, addJoin
		}
	}
	return nil, addNone
}

// joinable reports whether a single import declaration can be made a block:
// "import" and the import on one line, after it nothing but a line comment.
func (s *source) joinable(d *importDecl) bool {
	spec := d.gd.Specs[0].(*ast.ImportSpec)
	if s.line(d.gd.Pos()) != s.line(spec.Pos()) || s.line(spec.Pos()) != s.line(spec.End()) {
		return false
	}
	between := string(s.src[s.off(d.gd.Pos())+len("import") : s.off(spec.Pos())])
	return strings.TrimSpace(between) == "" && s.onlyLineComment(spec)
}

// onlyLineComment reports whether nothing but white space and the import's
// own line comment follow it on its line.
func (s *source) onlyLineComment(spec *ast.ImportSpec) bool {
	end := s.off(spec.End())
	if spec.Comment != nil && len(spec.Comment.List) == 1 && s.line(spec.Comment.Pos()) == s.line(spec.End()) {
		end = s.off(spec.Comment.End())
	}
	return strings.TrimSpace(string(s.src[end:s.lineEnd(end)])) == ""
}

// specLine is the text of an import from its start to the end of its line.
func (s *source) specLine(spec *ast.ImportSpec) string {
	start := s.off(spec.Pos())
	return strings.TrimRight(string(s.src[start:s.lineEnd(start)]), " \t\r")
}

// markedSpecs lays out imports in a block, each with a marker, opt on the
// first. As goimports groups them, the standard library's come first and
// the others in a group of their own; gofmt aligns the markers of a group.
func markedSpecs(adds []string, opt string) string {
	var std, other []string
	for _, a := range adds {
		if p := specPath(a); strings.Contains(strings.SplitN(p, "/", 2)[0], ".") {
			other = append(other, a)
		} else {
			std = append(std, a)
		}
	}
	var groups []string
	first := true
	for _, g := range [][]string{std, other} {
		if len(g) == 0 {
			continue
		}
		width := 0
		for _, a := range g {
			width = max(width, utf8.RuneCountInString(a))
		}
		lines := make([]string, len(g))
		for i, a := range g {
			m := marker
			if first && opt != "" {
				m += " " + opt
			}
			first = false
			lines[i] = "\t" + a + strings.Repeat(" ", width-utf8.RuneCountInString(a)+1) + m
		}
		groups = append(groups, strings.Join(lines, "\n"))
	}
	return strings.Join(groups, "\n\n")
}

func (s *source) joinEdit(d *importDecl, adds []string) edit {
	spec := d.gd.Specs[0].(*ast.ImportSpec)
	start := s.off(d.gd.Pos())
	end := s.lineEnd(s.off(spec.Pos()))
	return edit{start, end, "import (\n\t" + s.specLine(spec) + "\n\n" + markedSpecs(adds, joinedOpt) + "\n)"}
}

func (s *source) groupEdit(d *importDecl, adds []string, joined bool) edit {
	at := s.lineStart(s.off(d.gd.Rparen))
	opt := ""
	if joined {
		opt = joinedOpt
	}
	return edit{at, at, "\n" + markedSpecs(adds, opt) + "\n"}
}

// declEdit adds a declaration of its own after the last import declaration,
// or after the package clause.
func (s *source) declEdit(decls []*importDecl, adds []string) edit {
	at := s.lineEnd(s.off(s.file.Name.End()))
	if len(decls) > 0 {
		at = s.lineEnd(s.off(decls[len(decls)-1].gd.End()))
	}
	lines := make([]string, len(adds))
	for i, a := range adds {
		lines[i] = "import " + a + " " + marker
	}
	return edit{at, at, "\n\n" + strings.Join(lines, "\n")}
}

// removeEdits removes d's removed imports: the whole declaration when none
// is left, the block made single again when tracegen joined it and one is
// left, else the imports' lines.
func (s *source) removeEdits(d *importDecl) []edit {
	rest := d.remaining()
	switch {
	case len(rest) == 0:
		return []edit{s.lineRangeEdit(s.line(d.gd.Pos()), s.line(d.gd.End()), true)}
	case d.joined && len(rest) == 1 && d.gd.Lparen.IsValid() && s.unjoinable(d, rest[0]):
		return []edit{{s.off(d.gd.Pos()), s.off(d.gd.Rparen) + 1, "import " + s.specLine(rest[0])}}
	}
	return s.removeSpecEdits(d)
}

// unjoinable reports whether the block has nothing but the import left,
// on a line of its own, and the removed imports.
func (s *source) unjoinable(d *importDecl, left *ast.ImportSpec) bool {
	if s.line(left.Pos()) == s.line(d.gd.Lparen) || s.line(left.End()) == s.line(d.gd.Rparen) || !s.onlyLineComment(left) {
		return false
	}
	for _, cg := range s.file.Comments {
		if cg.Pos() < d.gd.Lparen || cg.Pos() > d.gd.Rparen {
			continue
		}
		for _, c := range cg.List {
			if !isMarker(c) && (left.Comment == nil || c != left.Comment.List[0]) {
				return false
			}
		}
	}
	return true
}

// removeSpecEdits deletes the lines of d's removed imports, and a blank
// line before a run of them that ends the block or another blank line.
func (s *source) removeSpecEdits(d *importDecl) []edit {
	drop := map[int]bool{}
	var edits []edit
	for spec := range d.removed {
		if s.line(spec.Pos()) == s.line(d.gd.Lparen) || s.line(spec.End()) == s.line(d.gd.Rparen) || !s.ownLine(spec.Pos()) || !s.onlyLineComment(spec) {
			end := s.off(spec.End())
			if spec.Comment != nil {
				end = s.off(spec.Comment.End())
			}
			edits = append(edits, edit{s.off(spec.Pos()), end, ""})
			continue
		}
		drop[s.line(spec.Pos())] = true
	}
	lines := make([]int, 0, len(drop))
	for l := range drop {
		lines = append(lines, l)
	}
	sort.Ints(lines)
	for i, l := range lines {
		if i > 0 && lines[i-1] == l-1 {
			continue // not the start of a run
		}
		end := l
		for drop[end+1] {
			end++
		}
		after := end + 1
		if s.blankLine(l-1) && (after == s.line(d.gd.Rparen) || s.blankLine(after)) {
			drop[l-1] = true
		}
	}
	for l := range drop {
		edits = append(edits, s.lineRangeEdit(l, l, false))
	}
	return edits
}

// lineRangeEdit deletes lines first through last, and with blankBefore the
// blank line before them.
func (s *source) lineRangeEdit(first, last int, blankBefore bool) edit {
	if blankBefore && first > 1 && s.blankLine(first-1) {
		first--
	}
	start := s.off(s.tf.LineStart(first))
	end := s.lineEnd(s.off(s.tf.LineStart(last)))
	if end < len(s.src) {
		end++
	}
	return edit{start, end, ""}
}

// strayMarkerEdits removes markers that are neither in generated code nor
// on an import line.
func (s *source) strayMarkerEdits(gen [][2]token.Pos) []edit {
	onImport := map[*ast.Comment]bool{}
	for _, spec := range s.file.Imports {
		if m := specMarker(spec); m != nil {
			onImport[m] = true
		}
	}
	var edits []edit
	for _, cg := range s.file.Comments {
		for _, c := range cg.List {
			if !isMarker(c) || onImport[c] || inRanges(c.Pos(), gen) {
				continue
			}
			start, end := s.off(c.Pos()), s.off(c.End())
			ls := s.lineStart(start)
			if len(bytes.TrimSpace(s.src[ls:start])) == 0 && len(bytes.TrimSpace(s.src[end:s.lineEnd(end)])) == 0 {
				l := s.line(c.Pos())
				last := l
				if s.blankLine(l-1) && s.blankLine(l+1) {
					last++ // or two blank lines would be left
				}
				edits = append(edits, s.lineRangeEdit(l, last, false))
				continue
			}
			for start > ls && (s.src[start-1] == ' ' || s.src[start-1] == '\t') {
				start--
			}
			edits = append(edits, edit{start, end, ""})
		}
	}
	return edits
}

func inRanges(p token.Pos, ranges [][2]token.Pos) bool {
	for _, r := range ranges {
		if p >= r[0] && p < r[1] {
			return true
		}
	}
	return false
}

// ownLine reports whether only white space precedes p on its line.
func (s *source) ownLine(p token.Pos) bool {
	off := s.off(p)
	return len(bytes.TrimSpace(s.src[s.lineStart(off):off])) == 0
}

func (s *source) blankLine(l int) bool {
	if l < 1 || l > s.tf.LineCount() {
		return false
	}
	start := s.off(s.tf.LineStart(l))
	return len(bytes.TrimSpace(s.src[start:s.lineEnd(start)])) == 0
}
