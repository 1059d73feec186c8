package rewrite

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
)

// Instrumentation must change nothing but spans. The generated code gives a
// function's context (or a handler's request) the new span by rebinding the
// parameter, which is invisible to the function's callers only while the
// value stays inside the function: a context that is returned, stored where
// the caller can reach it, sent on a channel or compared (==, a switch, a
// type assertion, a map key) would differ from the one the caller gave.
// keepReason follows the parameter through the body, and through every
// value built from it that may hold it, and reports the first such use: the
// code then starts the span without rebinding.
//
// A value built from the parameter is one of a call that takes it (as an
// argument or receiver) and returns a type that may hold a context (see
// mayHold), a composite literal, conversion, selector, index or dereference
// of one, or a function literal that refers to it. Callees are trusted not
// to keep what they are given beyond the call, as the context package asks;
// the goroutines a function starts are callees too.
//
// With type information the parameter and the variables derived from it are
// objects, and results are judged by their types. Without it (a file
// excluded by build constraints) they are names, and every call that takes
// a derived value is taken to return one: that is conservative.

// flowUse is a use of the parameter that rebinding would make visible.
type flowUse struct {
	pos    token.Pos
	what   string // "returned", "stored", ...
	direct bool   // the parameter itself, not a value built from it
}

// flow follows one parameter through a function body.
type flow struct {
	info *types.Info // nil: names only

	objs    map[types.Object]bool // derived variables, with info
	names   map[string]bool       // derived variable names, without info
	results map[types.Object]bool // named results, with info
	resultN map[string]bool       // named results, without info
	locals  map[string]bool       // names declared in the function, without info
	param   string                // the parameter's name
	fd      *ast.FuncDecl

	grew    bool // a pass added a derived variable
	closure int  // how many function literals the walk is in
	use     *flowUse
	memo    map[types.Type]bool
}

// keepReason says why the parameter named name of fd must not be
// rebound, with info (nil when there is none) describing fd, whose first
// skip statements are generated code; "" means it may be. An unnamed or
// blank parameter may always be.
func keepReason(fd *ast.FuncDecl, name string, skip int, info *types.Info, fset *token.FileSet) string {
	if name == "" || name == "_" || fd == nil || fd.Body == nil || skip > len(fd.Body.List) {
		return ""
	}
	if info != nil && (info.Uses == nil || info.Defs == nil) {
		info = nil
	}
	f := &flow{info: info, param: name, fd: fd, memo: map[types.Type]bool{}}
	if info != nil {
		f.objs, f.results = map[types.Object]bool{}, map[types.Object]bool{}
		found := false
		for _, fld := range fd.Type.Params.List {
			for _, id := range fld.Names {
				if id.Name == name {
					if obj := info.Defs[id]; obj != nil {
						f.objs[obj], found = true, true
					}
				}
			}
		}
		if !found {
			// The body was not type-checked with this tree: fall back.
			info, f.info = nil, nil
		} else if fd.Type.Results != nil {
			for _, fld := range fd.Type.Results.List {
				for _, id := range fld.Names {
					if obj := info.Defs[id]; obj != nil {
						f.results[obj] = true
					}
				}
			}
		}
	}
	if info == nil {
		f.names = map[string]bool{name: true}
		f.resultN = map[string]bool{}
		if fd.Type.Results != nil {
			for _, fld := range fd.Type.Results.List {
				for _, id := range fld.Names {
					f.resultN[id.Name] = true
				}
			}
		}
		f.locals = declaredNames(fd)
	}
	for {
		f.grew = false
		for _, st := range fd.Body.List[skip:] {
			ast.Inspect(st, f.visit)
		}
		if f.use != nil {
			what := name
			if !f.use.direct {
				what = "a value built from " + name
			}
			if fset == nil {
				return fmt.Sprintf("%s is %s", what, f.use.what)
			}
			return fmt.Sprintf("%s is %s at line %d", what, f.use.what, fset.Position(f.use.pos).Line)
		}
		if !f.grew {
			return ""
		}
	}
}

// declaredNames lists every name fd declares: parameters, results and the
// variables and functions of its body.
func declaredNames(fd *ast.FuncDecl) map[string]bool {
	names := map[string]bool{}
	addFields := func(fl *ast.FieldList) {
		if fl == nil {
			return
		}
		for _, f := range fl.List {
			for _, id := range f.Names {
				names[id.Name] = true
			}
		}
	}
	if fd.Recv != nil {
		addFields(fd.Recv)
	}
	addFields(fd.Type.Params)
	addFields(fd.Type.Results)
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if n.Tok == token.DEFINE {
				for _, l := range n.Lhs {
					if id, ok := l.(*ast.Ident); ok {
						names[id.Name] = true
					}
				}
			}
		case *ast.ValueSpec:
			for _, id := range n.Names {
				names[id.Name] = true
			}
		case *ast.RangeStmt:
			if n.Tok == token.DEFINE {
				for _, e := range []ast.Expr{n.Key, n.Value} {
					if id, ok := e.(*ast.Ident); ok {
						names[id.Name] = true
					}
				}
			}
		case *ast.FuncLit:
			addFields(n.Type.Params)
			addFields(n.Type.Results)
		case *ast.TypeSwitchStmt:
			if as, ok := n.Assign.(*ast.AssignStmt); ok {
				for _, l := range as.Lhs {
					names[l.(*ast.Ident).Name] = true
				}
			}
		}
		return true
	})
	return names
}

// found records the first use: of e's value, at pos.
func (f *flow) found(e ast.Expr, pos token.Pos, what string) {
	if f.use == nil {
		id, ok := ast.Unparen(e).(*ast.Ident)
		f.use = &flowUse{pos, what, ok && id.Name == f.param && f.derived(id)}
	}
}

func (f *flow) visit(n ast.Node) bool {
	if f.use != nil {
		return false
	}
	switch n := n.(type) {
	case *ast.AssignStmt:
		f.assign(n.Lhs, n.Rhs, n.Tok)
	case *ast.ValueSpec:
		lhs := make([]ast.Expr, len(n.Names))
		for i, id := range n.Names {
			lhs[i] = id
		}
		f.assign(lhs, n.Values, token.DEFINE)
	case *ast.RangeStmt:
		if f.derived(n.X) {
			for _, e := range []ast.Expr{n.Key, n.Value} {
				if e != nil && f.holds(e) {
					f.store(e, n.Tok, n.X)
				}
			}
		}
	case *ast.FuncLit:
		// A closure's returns are its own: what it gives back is
		// followed where it is called.
		f.closure++
		ast.Inspect(n.Body, f.visit)
		f.closure--
		return false
	case *ast.ReturnStmt:
		if f.closure > 0 {
			break
		}
		for _, r := range n.Results {
			if f.derived(r) {
				f.found(r, r.Pos(), "returned")
			}
		}
	case *ast.SendStmt:
		if f.derived(n.Value) {
			f.found(n.Value, n.Value.Pos(), "sent on a channel")
		}
	case *ast.BinaryExpr:
		if n.Op == token.EQL || n.Op == token.NEQ {
			if f.derived(n.X) && !isNil(n.Y, f.info) {
				f.found(n.X, n.OpPos, "compared")
			} else if f.derived(n.Y) && !isNil(n.X, f.info) {
				f.found(n.Y, n.OpPos, "compared")
			}
		}
	case *ast.SwitchStmt:
		if n.Tag != nil && f.derived(n.Tag) {
			f.found(n.Tag, n.Tag.Pos(), "compared")
		}
	case *ast.TypeAssertExpr:
		if f.derived(n.X) {
			f.found(n.X, n.X.Pos(), "type-asserted")
		}
	case *ast.IndexExpr:
		if f.derived(n.Index) && f.isMap(n.X) {
			f.found(n.Index, n.Index.Pos(), "used as a map key")
		}
	case *ast.CompositeLit:
		if f.isMap(n) {
			for _, e := range n.Elts {
				if kv, ok := e.(*ast.KeyValueExpr); ok && f.derived(kv.Key) {
					f.found(kv.Key, kv.Key.Pos(), "used as a map key")
				}
			}
		}
	}
	return true
}

// assign follows derived values from rhs into lhs.
func (f *flow) assign(lhs, rhs []ast.Expr, tok token.Token) {
	if len(rhs) == 0 {
		return
	}
	if len(lhs) == len(rhs) {
		for i := range lhs {
			if f.derived(rhs[i]) {
				f.store(lhs[i], tok, rhs[i])
			}
		}
		return
	}
	// One expression of several values: a call, a comma-ok form.
	if len(rhs) == 1 && f.derived(rhs[0]) {
		for _, l := range lhs {
			if f.holds(l) {
				f.store(l, tok, rhs[0])
			}
		}
	}
}

// store records that the place e gets the derived value v.
func (f *flow) store(e ast.Expr, tok token.Token, v ast.Expr) {
	pos := v.Pos()
	e = ast.Unparen(e)
	if id, ok := e.(*ast.Ident); ok {
		if id.Name == "_" {
			return
		}
		if f.info == nil {
			switch {
			case f.resultN[id.Name]:
				f.found(v, pos, "returned")
			case tok == token.DEFINE || f.locals[id.Name]:
				f.addName(id.Name)
			default:
				f.found(v, pos, "stored in "+id.Name)
			}
			return
		}
		obj := f.info.Defs[id]
		if obj == nil {
			obj = f.info.Uses[id]
		}
		switch {
		case obj == nil:
		case f.results[obj]:
			f.found(v, pos, "returned")
		case f.isLocal(obj):
			f.addObj(obj)
		default:
			f.found(v, pos, "stored in "+id.Name)
		}
		return
	}
	// A field or element of a local value (not through a pointer, slice
	// or map) makes the whole value derived; any other place is outside.
	root := e
	for {
		switch x := root.(type) {
		case *ast.SelectorExpr:
			if !f.isValue(x.X) {
				f.found(v, pos, "stored")
				return
			}
			root = x.X
			continue
		case *ast.IndexExpr:
			if !f.isValue(x.X) {
				f.found(v, pos, "stored")
				return
			}
			root = x.X
			continue
		case *ast.ParenExpr:
			root = x.X
			continue
		}
		break
	}
	if id, ok := root.(*ast.Ident); ok {
		f.store(id, token.ASSIGN, v)
		return
	}
	f.found(v, pos, "stored")
}

func (f *flow) addObj(obj types.Object) {
	if !f.objs[obj] {
		f.objs[obj], f.grew = true, true
	}
}

func (f *flow) addName(name string) {
	if !f.names[name] {
		f.names[name], f.grew = true, true
	}
}

// isLocal reports whether obj is a variable of the function (a parameter
// or declared in its body).
func (f *flow) isLocal(obj types.Object) bool {
	v, ok := obj.(*types.Var)
	return ok && !v.IsField() && v.Pos() >= f.fd.Pos() && v.Pos() < f.fd.End()
}

// isValue reports whether e is a struct or array held by value, so that
// storing into a part of it stores into it.
func (f *flow) isValue(e ast.Expr) bool {
	if f.info == nil {
		return false
	}
	switch under(f.typeOf(e)).(type) {
	case *types.Struct, *types.Array:
		return true
	}
	return false
}

func (f *flow) isMap(e ast.Expr) bool {
	if f.info == nil {
		// Unknown but for a literal's own type: an index may be a
		// map's.
		if lit, ok := e.(*ast.CompositeLit); ok {
			switch lit.Type.(type) {
			case *ast.ArrayType, *ast.StructType:
				return false
			}
		}
		return true
	}
	t := f.typeOf(e)
	if t == nil {
		return true
	}
	_, m := t.Underlying().(*types.Map)
	return m
}

func isNil(e ast.Expr, info *types.Info) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok || id.Name != "nil" {
		return false
	}
	if info == nil {
		return true
	}
	_, isNil := info.Uses[id].(*types.Nil)
	return isNil
}

// holds reports whether the place or value e may hold a context.
func (f *flow) holds(e ast.Expr) bool {
	if f.info == nil {
		return true
	}
	return f.mayHold(f.typeOf(e))
}

// derived reports whether e's value is, or may hold, the parameter or a
// value built from it.
func (f *flow) derived(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident:
		if f.info == nil {
			return f.names[e.Name]
		}
		return f.objs[f.info.Uses[e]]
	case *ast.ParenExpr:
		return f.derived(e.X)
	case *ast.SelectorExpr:
		if f.info != nil {
			if _, pkg := f.info.Uses[identOf(e.X)].(*types.PkgName); pkg {
				return false
			}
			if f.isRequest(e.X) && !requestMethods[e.Sel.Name] {
				return false // the copy shares the request's fields
			}
		}
		return f.derived(e.X) && f.holds(e)
	case *ast.StarExpr:
		return f.derived(e.X) && f.holds(e)
	case *ast.UnaryExpr:
		if e.Op == token.AND {
			return f.derived(e.X)
		}
		return f.derived(e.X) && f.holds(e)
	case *ast.IndexExpr:
		return f.derived(e.X) && f.holds(e)
	case *ast.IndexListExpr:
		return f.derived(e.X) && f.holds(e)
	case *ast.SliceExpr:
		return f.derived(e.X)
	case *ast.TypeAssertExpr:
		return f.derived(e.X) && f.holds(e)
	case *ast.KeyValueExpr:
		return f.derived(e.Value)
	case *ast.CompositeLit:
		for _, el := range e.Elts {
			if f.derived(el) {
				return true
			}
		}
		return false
	case *ast.FuncLit:
		refers := false
		ast.Inspect(e.Body, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && f.derived(id) {
				refers = true
			}
			return !refers
		})
		return refers
	case *ast.CallExpr:
		return f.derivedCall(e)
	}
	return false
}

func identOf(e ast.Expr) *ast.Ident {
	id, _ := e.(*ast.Ident)
	return id
}

// contextMethods are the methods of context.Context: what they return is
// not the context (Value's values are the caller's).
var contextMethods = map[string]bool{"Deadline": true, "Done": true, "Err": true, "Value": true}

func (f *flow) derivedCall(call *ast.CallExpr) bool {
	if f.info != nil {
		if f.typeExpr(call.Fun) != nil {
			return len(call.Args) == 1 && f.derived(call.Args[0]) && f.holds(call)
		}
		if id := identOf(ast.Unparen(call.Fun)); id != nil {
			if b, ok := f.info.Uses[id].(*types.Builtin); ok {
				if b.Name() != "append" {
					return false
				}
			}
		}
	} else if id := identOf(call.Fun); id != nil {
		switch id.Name {
		case "len", "cap", "min", "max", "copy", "delete", "print", "println", "close", "clear", "panic", "recover", "complex", "real", "imag":
			return false
		}
	}
	in := f.derived(call.Fun)
	if sel, ok := call.Fun.(*ast.SelectorExpr); ok && contextMethods[sel.Sel.Name] && f.isContext(sel.X) {
		return false
	}
	for _, a := range call.Args {
		in = in || f.derived(a)
	}
	return in && f.holds(call)
}

// requestMethods are the methods of *http.Request whose results hold its
// context: anything else read from a request is the same in the copy the
// generated code makes for a handler.
var requestMethods = map[string]bool{"Context": true, "WithContext": true, "Clone": true}

func (f *flow) isRequest(e ast.Expr) bool {
	t := f.typeOf(e)
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	return t != nil && isNamed(t, "net/http", "Request")
}

// isContext reports whether e is a context.Context.
func (f *flow) isContext(e ast.Expr) bool {
	if f.info == nil {
		id := identOf(e)
		return id != nil && id.Name == f.param
	}
	t := f.typeOf(e)
	return t != nil && isNamed(t, "context", "Context")
}

// The body's types are worked out from the objects its identifiers
// denote (info.Defs and info.Uses): a map of every expression's type
// (info.Types) would cost the loader more than this analysis needs.
// typeOf returns e's type, nil when unknown, which callers take
// conservatively.
func (f *flow) typeOf(e ast.Expr) types.Type {
	switch e := e.(type) {
	case *ast.Ident:
		obj := f.info.Uses[e]
		if obj == nil {
			obj = f.info.Defs[e]
		}
		switch obj.(type) {
		case nil, *types.TypeName, *types.PkgName, *types.Builtin, *types.Nil:
			return nil
		}
		return obj.Type()
	case *ast.ParenExpr:
		return f.typeOf(e.X)
	case *ast.SelectorExpr:
		switch obj := f.info.Uses[e.Sel].(type) {
		case *types.Var, *types.Func, *types.Const:
			return obj.Type()
		}
		return nil
	case *ast.CallExpr:
		if t := f.typeExpr(e.Fun); t != nil {
			return t // a conversion
		}
		sig, ok := under(f.typeOf(e.Fun)).(*types.Signature)
		if !ok {
			return nil
		}
		if sig.Results().Len() == 1 {
			return sig.Results().At(0).Type()
		}
		return sig.Results()
	case *ast.StarExpr:
		if p, ok := under(f.typeOf(e.X)).(*types.Pointer); ok {
			return p.Elem()
		}
	case *ast.UnaryExpr:
		switch e.Op {
		case token.AND:
			if t := f.typeOf(e.X); t != nil {
				return types.NewPointer(t)
			}
		case token.ARROW:
			if c, ok := under(f.typeOf(e.X)).(*types.Chan); ok {
				return c.Elem()
			}
		default:
			return f.typeOf(e.X)
		}
	case *ast.IndexExpr:
		switch t := under(f.typeOf(e.X)).(type) {
		case *types.Map:
			return t.Elem()
		case *types.Slice:
			return t.Elem()
		case *types.Array:
			return t.Elem()
		case *types.Pointer:
			if a, ok := under(t.Elem()).(*types.Array); ok {
				return a.Elem()
			}
		case *types.Basic:
			return types.Typ[types.Byte]
		}
	case *ast.SliceExpr:
		return f.typeOf(e.X)
	case *ast.TypeAssertExpr:
		if e.Type != nil {
			return f.typeExpr(e.Type)
		}
	case *ast.CompositeLit:
		if e.Type != nil {
			return f.typeExpr(e.Type)
		}
	case *ast.BasicLit:
		return types.Typ[types.UntypedString] // a basic type: no context
	case *ast.BinaryExpr:
		switch e.Op {
		case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ, token.LAND, token.LOR:
			return types.Typ[types.Bool]
		}
		return f.typeOf(e.X)
	}
	return nil
}

// typeExpr returns the type e denotes when it is a type expression, else
// nil. Types it does not work out (struct and interface literals,
// instantiations) are nil too, or hold what may hold a context.
func (f *flow) typeExpr(e ast.Expr) types.Type {
	switch e := e.(type) {
	case *ast.Ident:
		if tn, ok := f.info.Uses[e].(*types.TypeName); ok {
			return tn.Type()
		}
	case *ast.SelectorExpr:
		if tn, ok := f.info.Uses[e.Sel].(*types.TypeName); ok {
			return tn.Type()
		}
	case *ast.ParenExpr:
		return f.typeExpr(e.X)
	case *ast.StarExpr:
		if t := f.typeExpr(e.X); t != nil {
			return types.NewPointer(t)
		}
	case *ast.ArrayType:
		if t := f.typeExpr(e.Elt); t != nil {
			return types.NewSlice(t) // what it holds is all that matters here
		}
	case *ast.MapType:
		k, v := f.typeExpr(e.Key), f.typeExpr(e.Value)
		if k != nil && v != nil {
			return types.NewMap(k, v)
		}
	case *ast.ChanType:
		if t := f.typeExpr(e.Value); t != nil {
			return types.NewChan(types.SendRecv, t)
		}
	case *ast.FuncType:
		return types.NewSignatureType(nil, nil, nil, nil, nil, false)
	case *ast.InterfaceType:
		return types.NewInterfaceType(nil, nil)
	}
	return nil
}

// under is t's underlying type, nil for nil.
func under(t types.Type) types.Type {
	if t == nil {
		return nil
	}
	return t.Underlying()
}

// mayHold reports whether a value of type t may hold a context: an
// interface other than error, a function, a type parameter, or a type made
// of one.
func (f *flow) mayHold(t types.Type) bool {
	if t == nil {
		return true
	}
	if v, ok := f.memo[t]; ok {
		return v
	}
	f.memo[t] = false // a type that refers to itself holds through its other parts
	var v bool
	switch u := types.Unalias(t).(type) {
	case *types.Named:
		v = !types.Identical(t, errorType) && f.mayHold(u.Underlying())
	case *types.Basic:
		v = false
	case *types.Interface:
		v = !types.Identical(u, errorIface)
	case *types.Pointer:
		v = f.mayHold(u.Elem())
	case *types.Slice:
		v = f.mayHold(u.Elem())
	case *types.Array:
		v = f.mayHold(u.Elem())
	case *types.Chan:
		v = f.mayHold(u.Elem())
	case *types.Map:
		v = f.mayHold(u.Key()) || f.mayHold(u.Elem())
	case *types.Struct:
		for i := range u.NumFields() {
			if f.mayHold(u.Field(i).Type()) {
				v = true
				break
			}
		}
	case *types.Tuple:
		for i := range u.Len() {
			if f.mayHold(u.At(i).Type()) {
				v = true
				break
			}
		}
	default: // functions, type parameters
		v = true
	}
	f.memo[t] = v
	return v
}
