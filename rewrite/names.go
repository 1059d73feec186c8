package rewrite

import (
	"bytes"
	"go/ast"
	"go/printer"
	"go/token"
	"strconv"
)

// funcDecls lists a file's function declarations in order.
func funcDecls(file *ast.File) []*ast.FuncDecl {
	var fds []*ast.FuncDecl
	for _, d := range file.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok {
			fds = append(fds, fd)
		}
	}
	return fds
}

// funcKeys names each function declaration of a file uniquely and stably
// across rewrites: receiver type, name and, for repeated names (init, _),
// the occurrence.
func funcKeys(file *ast.File) []string {
	seen := map[string]int{}
	var keys []string
	for _, fd := range funcDecls(file) {
		k := fd.Name.Name
		if fd.Recv != nil && len(fd.Recv.List) > 0 {
			k = recvTypeName(fd.Recv.List[0].Type) + "." + k
		}
		seen[k]++
		if n := seen[k]; n > 1 {
			k += "#" + strconv.Itoa(n)
		}
		keys = append(keys, k)
	}
	return keys
}

// recvTypeName is the receiver's type name without pointer or type arguments.
func recvTypeName(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.StarExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		case *ast.Ident:
			return x.Name
		default:
			return "?"
		}
	}
}

// displayName is pkg.F, pkg.T.M or pkg.(*T).M, without type arguments.
func displayName(pkg string, fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return pkg + "." + fd.Name.Name
	}
	t := fd.Recv.List[0].Type
	if p, ok := t.(*ast.ParenExpr); ok {
		t = p.X
	}
	if star, ok := t.(*ast.StarExpr); ok {
		return pkg + ".(*" + recvTypeName(star.X) + ")." + fd.Name.Name
	}
	return pkg + "." + recvTypeName(t) + "." + fd.Name.Name
}

// identNames collects every identifier under n.
func identNames(n ast.Node, into map[string]bool) {
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			into[id.Name] = true
		}
		return true
	})
}

// freeName returns base, or base with the smallest number from 1 (or 2 when
// startAt2) appended, that is not in taken.
func freeName(base string, taken func(string) bool, startAt2 bool) string {
	if !taken(base) {
		return base
	}
	n := 1
	if startAt2 {
		n = 2
	}
	for ; ; n++ {
		if s := base + strconv.Itoa(n); !taken(s) {
			return s
		}
	}
}

// nameSet is the identifiers of a function, looked up when asked (a walk
// of the function finds one name faster than a set of all of them is
// built), and the names added since.
type nameSet struct {
	lookup func(string) bool
	added  map[string]bool
}

func (n *nameSet) has(name string) bool { return n.added[name] || n.lookup(name) }

func (n *nameSet) add(name string) {
	if n.added == nil {
		n.added = map[string]bool{}
	}
	n.added[name] = true
}

// setOf is a nameSet of the names in m.
func setOf(m map[string]bool) *nameSet {
	return &nameSet{lookup: func(name string) bool { return m[name] }}
}

func exprString(e ast.Expr) string {
	var buf bytes.Buffer
	printer.Fprint(&buf, token.NewFileSet(), e)
	return buf.String()
}
