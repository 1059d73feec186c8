package rewrite

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"
)

// TestKeepReason checks the context flow on its own, with type information
// and with names only (a file excluded by build constraints), which must be
// at least as conservative.
func TestKeepReason(t *testing.T) {
	fset := token.NewFileSet()
	imp := importer.ForCompiler(fset, "source", nil)
	for _, tc := range []struct {
		body        string
		typed, bare string // "" when ctx may be rebound
	}{
		{"return ctx.Err()", "", ""},
		{"return ctx", "ctx is returned", "ctx is returned"},
		{"c2 := ctx; return c2", "a value built from ctx is returned", "a value built from ctx is returned"},
		{"x := use(ctx); return x", "", "a value built from ctx is returned"},
		{"v := ctx.Value(1); return v", "", ""},
		{"r, _ := newRequest(ctx); return r", "a value built from ctx is returned", "a value built from ctx is returned"},
		{"_, err := newRequest(ctx); return err", "", "a value built from ctx is returned"},
		{"global = ctx; return nil", "ctx is stored in global", "ctx is stored in global"},
		{"s := &holder{}; s.c = ctx; return nil", "ctx is stored", "ctx is stored"},
		{"var h holder; h.c = ctx; return h", "a value built from ctx is returned", "ctx is stored"},
		{"if ctx == context.Background() { return nil }; return 1", "ctx is compared", "ctx is compared"},
		{"if ctx == nil { return nil }; return 1", "", ""},
		{"go use(ctx); return nil", "", ""},
		{"f := func() int { return use(ctx) }; return f()", "", "a value built from ctx is returned"},
		{"f := func() context.Context { return ctx }; return f", "a value built from ctx is returned", "a value built from ctx is returned"},
		{"{ ctx := context.Background(); return ctx }", "", "ctx is returned"},
		{"ch <- ctx; return nil", "ctx is sent on a channel", "ctx is sent on a channel"},
		{"switch ctx.(type) { case nil: }; return nil", "ctx is type-asserted", "ctx is type-asserted"},
		{"m := map[context.Context]int{ctx: 1}; return len(m)", "ctx is used as a map key", "ctx is used as a map key"},
		{"ctx, cancel := context.WithCancel(ctx); defer cancel(); return use(ctx)", "", "a value built from ctx is returned"},
	} {
		src := `package p

import "context"

var global context.Context
var ch chan context.Context

type request struct{ ctx context.Context }

func newRequest(ctx context.Context) (*request, error) { return &request{ctx}, nil }

type holder struct{ c context.Context }

func use(ctx context.Context) int { return 0 }

func F(ctx context.Context) any {
	` + tc.body + `
}
`
		f, err := parser.ParseFile(fset, "p.go", src, parser.SkipObjectResolution)
		if err != nil {
			t.Fatalf("%s: %v", tc.body, err)
		}
		var fd *ast.FuncDecl
		for _, d := range f.Decls {
			if d, ok := d.(*ast.FuncDecl); ok && d.Name.Name == "F" {
				fd = d
			}
		}
		info := &types.Info{Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{}}
		conf := types.Config{Importer: imp}
		if _, err := conf.Check("p", fset, []*ast.File{f}, info); err != nil {
			t.Fatalf("%s: %v", tc.body, err)
		}
		for _, m := range []struct {
			info *types.Info
			want string
		}{{info, tc.typed}, {nil, tc.bare}} {
			got := keepReason(fd, "ctx", 0, m.info, fset)
			if m.want == "" && got != "" || m.want != "" && !strings.HasPrefix(got, m.want+" at line") {
				t.Errorf("%s (typed %v): %q, want %q", tc.body, m.info != nil, got, m.want)
			}
		}
	}
}
