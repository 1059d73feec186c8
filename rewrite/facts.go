package rewrite

import (
	"go/ast"
	"go/token"
	"go/types"
	"maps"
	"strconv"
	"strings"
)

// typeFact is what the rewriter needs to know about one parameter or result.
type typeFact struct {
	ctx bool // context.Context
	req bool // *net/http.Request
	rw  bool // net/http.ResponseWriter
	err bool // error

	tagKind string // string, int, uint, float, bool, stringer or error; "" if not recordable
	tagConv string // conversion to apply for the tag ("int64"), "" for none
	typ     string // the type, for messages
}

// funcFacts describes a function's signature, one entry per parameter or
// result name (or per type when unnamed), in order.
type funcFacts struct {
	params, results []typeFact

	// The declaration the facts come from, with the type information and
	// file set of its body when it was type-checked, for keep.
	fd   *ast.FuncDecl
	info *types.Info
	fset *token.FileSet
}

// keep says why the parameter named name must not be rebound by the
// generated code, the first skip statements of the body being generated
// code; "" means it may be. See flow.go.
func (ff *funcFacts) keep(name string, skip int) string {
	return keepReason(ff.fd, name, skip, ff.info, ff.fset)
}

// factSource gives the facts of a function declaration.
type factSource interface {
	facts(key string, fd *ast.FuncDecl, file *ast.File) *funcFacts
	// exact reports whether facts come from type checking.
	exact() bool
}

// typedFacts gives the facts of a type-checked file's functions, computed
// when asked for: most functions of a file are not instrumented.
type typedFacts struct {
	decls map[string]*ast.FuncDecl // of the type-checked file, by funcKey
	info  *types.Info
	fset  *token.FileSet
}

func (t *typedFacts) facts(key string, fd *ast.FuncDecl, file *ast.File) *funcFacts {
	if d := t.decls[key]; d != nil {
		if ff := typedFuncFacts(d, t.info, t.fset); ff != nil {
			return ff
		}
	}
	return syntaxFacts{}.facts(key, fd, file)
}

func (*typedFacts) exact() bool { return true }

// collectTypedFacts gives the facts of the functions of a type-checked
// file, whose positions fset holds.
func collectTypedFacts(file *ast.File, info *types.Info, fset *token.FileSet) *typedFacts {
	t := &typedFacts{decls: map[string]*ast.FuncDecl{}, info: info, fset: fset}
	keys := funcKeys(file)
	for i, fd := range funcDecls(file) {
		t.decls[keys[i]] = fd
	}
	return t
}

// typedFuncFacts computes the facts of fd from its type; nil when it has
// none.
func typedFuncFacts(fd *ast.FuncDecl, info *types.Info, fset *token.FileSet) *funcFacts {
	obj, ok := info.Defs[fd.Name].(*types.Func)
	if !ok {
		return nil
	}
	sig := obj.Signature()
	ff := &funcFacts{fd: fd, info: info, fset: fset}
	for p := range sig.Params().Variables() {
		ff.params = append(ff.params, classifyType(p.Type()))
	}
	for r := range sig.Results().Variables() {
		ff.results = append(ff.results, classifyType(r.Type()))
	}
	return ff
}

var (
	errorType   = types.Universe.Lookup("error").Type()
	errorIface  = errorType.Underlying().(*types.Interface)
	stringerTyp = types.NewInterfaceType([]*types.Func{
		types.NewFunc(0, nil, "String", types.NewSignatureType(nil, nil, nil, nil,
			types.NewTuple(types.NewParam(0, nil, "", types.Typ[types.String])), false)),
	}, nil).Complete()
)

func isNamed(t types.Type, pkg, name string) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == pkg && n.Obj().Name() == name
}

// classifyType says what a parameter or result of type t is to the rewriter.
func classifyType(t types.Type) typeFact {
	f := typeFact{typ: types.TypeString(t, func(p *types.Package) string { return p.Name() })}
	f.ctx = isNamed(t, "context", "Context")
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		f.req = isNamed(p.Elem(), "net/http", "Request")
	}
	f.rw = isNamed(t, "net/http", "ResponseWriter")
	f.err = types.Identical(t, errorType)
	f.tagKind, f.tagConv = tagKindOf(t)
	return f
}

func tagKindOf(t types.Type) (kind, conv string) {
	if _, isParam := types.Unalias(t).(*types.TypeParam); isParam {
		return "", ""
	}
	if types.Identical(t, errorType) || types.Implements(t, errorIface) && !isBasic(t) {
		return "error", ""
	}
	if types.Implements(t, stringerTyp) {
		return "stringer", ""
	}
	b, ok := t.Underlying().(*types.Basic)
	if !ok {
		return "", ""
	}
	exact := func(want types.BasicKind, name string) string {
		if types.Identical(t, types.Typ[want]) {
			return ""
		}
		return name
	}
	switch info := b.Info(); {
	case info&types.IsString != 0:
		return "string", exact(types.String, "string")
	case info&types.IsBoolean != 0:
		return "bool", exact(types.Bool, "bool")
	case info&types.IsInteger != 0 && info&types.IsUnsigned != 0:
		return "uint", exact(types.Uint64, "uint64")
	case info&types.IsInteger != 0:
		return "int", exact(types.Int64, "int64")
	case info&types.IsFloat != 0:
		return "float", exact(types.Float64, "float64")
	}
	return "", ""
}

func isBasic(t types.Type) bool {
	_, ok := t.Underlying().(*types.Basic)
	return ok
}

// syntaxFacts derives facts from the source alone, for files that were not
// type-checked (excluded by build constraints, or Source). It recognises
// context.Context and *http.Request through the file's imports (named and dot
// imports included), error, and the predeclared basic types.
//
// Aliases of context.Context and *http.Request count as they: those the
// package declares in its type-checked files (aliases, from the loader),
// and those of the file itself.
type syntaxFacts struct {
	aliases map[string]string // alias name -> "ctx" or "req"
}

func (syntaxFacts) exact() bool { return false }

// packageAliases lists the aliases of context.Context and *http.Request
// that pkg declares, for syntaxFacts.
func packageAliases(pkg *types.Package) map[string]string {
	if pkg == nil {
		return nil
	}
	var m map[string]string
	for _, name := range pkg.Scope().Names() {
		tn, ok := pkg.Scope().Lookup(name).(*types.TypeName)
		if !ok || !tn.IsAlias() {
			continue
		}
		f := classifyType(tn.Type())
		if f.ctx || f.req {
			if m == nil {
				m = map[string]string{}
			}
			m[name] = map[bool]string{true: "ctx", false: "req"}[f.ctx]
		}
	}
	return m
}

// fileAliases adds to aliases those file declares at package level.
func fileAliases(file *ast.File, imports map[string][]string, aliases map[string]string) map[string]string {
	out, copied := aliases, false
	for _, d := range file.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.TYPE {
			continue
		}
		for _, sp := range gd.Specs {
			ts := sp.(*ast.TypeSpec)
			if !ts.Assign.IsValid() {
				continue
			}
			f := classifyExpr(ts.Type, imports)
			if f.ctx || f.req {
				if !copied {
					out, copied = maps.Clone(aliases), true
					if out == nil {
						out = map[string]string{}
					}
				}
				out[ts.Name.Name] = map[bool]string{true: "ctx", false: "req"}[f.ctx]
			}
		}
	}
	return out
}

func (sf syntaxFacts) facts(_ string, fd *ast.FuncDecl, file *ast.File) *funcFacts {
	imports := importNames(file)
	aliases := fileAliases(file, imports, sf.aliases)
	ff := &funcFacts{fd: fd}
	each := func(fl *ast.FieldList, add func(typeFact)) {
		if fl == nil {
			return
		}
		for _, field := range fl.List {
			tf := classifyExpr(field.Type, imports)
			if id, ok := field.Type.(*ast.Ident); ok {
				tf.ctx = tf.ctx || aliases[id.Name] == "ctx"
				tf.req = tf.req || aliases[id.Name] == "req"
			}
			for range max(1, len(field.Names)) {
				add(tf)
			}
		}
	}
	each(fd.Type.Params, func(t typeFact) { ff.params = append(ff.params, t) })
	each(fd.Type.Results, func(t typeFact) { ff.results = append(ff.results, t) })
	return ff
}

// importNames maps the names under which a file imports packages to their
// paths; dot imports are under ".".
func importNames(file *ast.File) map[string][]string {
	m := map[string][]string{}
	for _, imp := range file.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		name := path[strings.LastIndex(path, "/")+1:]
		if imp.Name != nil {
			name = imp.Name.Name
		}
		m[name] = append(m[name], path)
	}
	return m
}

func qualified(e ast.Expr, imports map[string][]string, path, name string) bool {
	has := func(q string) bool {
		for _, p := range imports[q] {
			if p == path {
				return true
			}
		}
		return false
	}
	switch e := e.(type) {
	case *ast.SelectorExpr:
		x, ok := e.X.(*ast.Ident)
		return ok && e.Sel.Name == name && has(x.Name)
	case *ast.Ident:
		return e.Name == name && has(".")
	}
	return false
}

var basicKinds = map[string][2]string{
	"string": {"string", ""}, "bool": {"bool", ""},
	"int": {"int", "int64"}, "int8": {"int", "int64"}, "int16": {"int", "int64"}, "int32": {"int", "int64"}, "rune": {"int", "int64"}, "int64": {"int", ""},
	"uint": {"uint", "uint64"}, "uint8": {"uint", "uint64"}, "byte": {"uint", "uint64"}, "uint16": {"uint", "uint64"}, "uint32": {"uint", "uint64"}, "uintptr": {"uint", "uint64"}, "uint64": {"uint", ""},
	"float32": {"float", "float64"}, "float64": {"float", ""},
	"error": {"error", ""},
}

func classifyExpr(e ast.Expr, imports map[string][]string) typeFact {
	f := typeFact{typ: exprString(e)}
	f.ctx = qualified(e, imports, "context", "Context")
	if star, ok := e.(*ast.StarExpr); ok {
		f.req = qualified(star.X, imports, "net/http", "Request")
	}
	f.rw = qualified(e, imports, "net/http", "ResponseWriter")
	if id, ok := e.(*ast.Ident); ok {
		f.err = id.Name == "error"
		if k, ok := basicKinds[id.Name]; ok {
			f.tagKind, f.tagConv = k[0], k[1]
		}
	}
	return f
}
