package rewrite

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"

	"github.com/tracegen/tracegen/rewrite/rules"
	"github.com/tracegen/tracegen/templates"
)

// Compiled is a package as one compiler invocation of a build sees it:
// the files it is given and the export data of its imports, as an
// importcfg lists them. It is what build-time mode instruments.
type Compiled struct {
	Path   string   // the package path (-p)
	Files  []string // as the compiler is given them; cgo's output maps back through //line
	Dir    string   // the directory the compiler runs in, for relative Files
	PkgDir string   // the package's directory; files elsewhere are cgo's output

	ImportMap    map[string]string // import path -> package path, for the ones that differ
	PackageFiles map[string]string // package path -> export data file

	GoVersion string // the -lang the package is compiled with; "" for none
	Arch      string // GOARCH, for sizes

	// ModuleDir is the main module's root: only files inside it, and not
	// in its vendor folder, are rewritten.
	ModuleDir string
	Rules     *rules.Set // nil: none
}

// RewriteCompiled computes the rewrite of a compiled package, as
// RewritePackage does, parsing and type-checking it first. Files without
// a directive, generated code or a rule that may select their functions
// are neither kept nor type-checked from their bodies. A package with a
// type error is not rewritten (its Result is empty): the compiler reports
// the error in the user's own code. Result.Files name the original files,
// those the //line comments of cgo's output name.
func RewriteCompiled(c *Compiled, tmpl *templates.Template) (*Result, error) {
	fset := token.NewFileSet()
	var rs *ruleScope
	if c.Rules != nil {
		rs = newRuleScope(c.Rules, c.PkgDir, c.Path)
	}
	srcs := make([][]byte, len(c.Files))
	marked := make([]bool, len(c.Files)) // a directive, generated code, or a rule may select
	candidate := false
	for i, name := range c.Files {
		src, err := os.ReadFile(c.abs(name))
		if err != nil {
			return nil, err
		}
		srcs[i] = src
		marked[i] = hasMarkers(src) || rs.mayMatchFile(c.abs(name))
		candidate = candidate || marked[i]
	}
	if !candidate {
		return &Result{}, nil
	}
	var files, rewritable []*ast.File
	var aside []setAside
	trimmed := map[string]bool{}
	read := map[string][]byte{}
	for i, name := range c.Files {
		path := c.abs(name)
		mode := parser.SkipObjectResolution
		// cgo's output is not named as the file it comes from, which
		// rules look at: rules may match it.
		keep := marked[i] || rs != nil && filepath.Dir(path) != c.PkgDir
		if keep {
			mode |= parser.ParseComments
		}
		f, err := parser.ParseFile(fset, path, srcs[i], mode)
		if err != nil {
			return &Result{}, nil // the compiler's to report
		}
		files = append(files, f)
		if !keep {
			trimBodies(f)
			trimmed[path] = true
			continue
		}
		read[path] = srcs[i]
		orig := originalFile(fset, f)
		if !inModule(c.ModuleDir, orig) {
			continue
		}
		aside = untargetedBodies(f, orig, aside, rs)
		rewritable = append(rewritable, f)
	}
	if len(rewritable) == 0 {
		return &Result{}, nil
	}
	imp := &exportImporter{fset: fset, files: c.PackageFiles, pkgs: map[string]*types.Package{}}
	info := &types.Info{Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{}}
	inAside := func(pos token.Pos) bool {
		for _, a := range aside {
			if a.body.Lbrace <= pos && pos <= a.body.Rbrace {
				return true
			}
		}
		return false
	}
	typeErr := false
	conf := types.Config{
		Importer: importerFunc(func(path string) (*types.Package, error) {
			if p, ok := c.ImportMap[path]; ok {
				path = p
			}
			return imp.importID(path, path)
		}),
		Sizes:                    types.SizesFor("gc", c.Arch),
		GoVersion:                c.GoVersion,
		DisableUnusedImportCheck: true, // bodies are set aside
		Error: func(err error) {
			// Bodies set aside or trimmed are not checked; errors in
			// them are not the code's.
			if te, ok := err.(types.Error); ok && !trimmed[fset.PositionFor(te.Pos, false).Filename] && !inAside(te.Pos) {
				typeErr = true
			}
		},
	}
	pkg, _ := conf.Check(c.Path, fset, files, info)
	for _, a := range aside {
		a.body.List = a.list
	}
	if typeErr {
		return &Result{}, nil
	}
	res, err := RewritePackage(&Package{
		Fset: fset, Files: rewritable, Info: info, Types: pkg, Rules: c.Rules,
		ReadFile: func(name string) ([]byte, error) {
			if src, ok := read[name]; ok {
				return src, nil
			}
			return os.ReadFile(name) // the original of cgo's output
		},
	}, Apply, tmpl)
	return res, err
}

func (c *Compiled) abs(name string) string {
	if filepath.IsAbs(name) {
		return name
	}
	return filepath.Join(c.Dir, name)
}
