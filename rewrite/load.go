package rewrite

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"runtime"
	"strings"
	"sync"

	"golang.org/x/tools/go/gcexportdata"
	"golang.org/x/tools/go/packages"
)

// loaded is one package of the main modules, type-checked from source.
type loaded struct {
	pkg    *packages.Package
	syntax map[string]*ast.File // by file name, as parsed
	info   *types.Info
	types  *types.Package
	errs   []packages.Error // type and parse errors, trimmed files left out

	done chan struct{}
}

// load lists the packages (go list, no compiling), reads export data for
// the dependencies outside the main modules only, and type-checks the main
// modules' packages from source, in parallel and in dependency order. This
// is the work go vet does; go/packages with NeedTypes would also compile the
// main modules' packages to produce their export data.
//
// Files with neither a directive nor generated code are type-checked
// without function bodies: the rewriter needs only their declarations.
func load(cfg Config) ([]*loaded, *token.FileSet, error) {
	pcfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles |
			packages.NeedImports | packages.NeedModule,
		Dir:   cfg.Dir,
		Tests: true,
	}
	if len(cfg.Tags) > 0 {
		pcfg.BuildFlags = []string{"-tags=" + strings.Join(cfg.Tags, ",")}
	}
	patterns := cfg.Patterns
	if len(patterns) == 0 {
		patterns = []string{"."}
	}
	pkgs, err := packages.Load(pcfg, patterns...)
	if err != nil {
		return nil, nil, fmt.Errorf("loading packages: %w", err)
	}
	roots := map[string]*loaded{}
	var order []*loaded
	for _, p := range pkgs {
		if p.Module == nil || !p.Module.Main || strings.HasSuffix(p.ID, ".test") {
			continue
		}
		l := &loaded{pkg: p, done: make(chan struct{})}
		roots[p.ID] = l
		order = append(order, l)
	}

	// Export data for every import that is not itself a root.
	depSet := map[string]bool{}
	for _, l := range order {
		for _, imp := range l.pkg.Imports {
			if roots[imp.ID] == nil && imp.ID != "unsafe" && imp.ID != "C" {
				depSet[imp.ID] = true
			}
		}
	}
	exports := map[string]string{} // package ID -> export file
	if len(depSet) > 0 {
		deps := make([]string, 0, len(depSet))
		for id := range depSet {
			deps = append(deps, id)
		}
		dcfg := *pcfg
		dcfg.Mode = packages.NeedName | packages.NeedExportFile
		dcfg.Tests = false
		dpkgs, err := packages.Load(&dcfg, deps...)
		if err != nil {
			return nil, nil, fmt.Errorf("loading dependencies: %w", err)
		}
		for _, p := range dpkgs {
			exports[p.ID] = p.ExportFile
		}
	}

	rank := topoRank(order, roots)
	fset := token.NewFileSet()
	imp := &exportImporter{fset: fset, files: exports, pkgs: map[string]*types.Package{}}
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for _, l := range order {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(l.done)
			// Wait for the roots this package imports, then take a slot.
			for _, dep := range l.pkg.Imports {
				if d := roots[dep.ID]; d != nil && rank[d] < rank[l] {
					<-d.done
				}
			}
			sem <- struct{}{}
			defer func() { <-sem }()
			l.check(fset, roots, rank, imp)
		}()
	}
	wg.Wait()
	return order, fset, nil
}

// check parses and type-checks one package.
func (l *loaded) check(fset *token.FileSet, roots map[string]*loaded, rank map[*loaded]int, imp *exportImporter) {
	l.syntax = map[string]*ast.File{}
	trimmed := map[string]bool{}
	var files []*ast.File
	for _, name := range l.pkg.CompiledGoFiles {
		src, err := os.ReadFile(name)
		if err != nil {
			l.errs = append(l.errs, packages.Error{Pos: name, Msg: err.Error(), Kind: packages.ParseError})
			continue
		}
		var f *ast.File
		if hasMarkers(src) {
			f, err = parser.ParseFile(fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
		} else {
			f, err = parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
			if f != nil {
				trimBodies(f)
				trimmed[name] = true
			}
		}
		if err != nil {
			pos, msg := firstError(err)
			l.errs = append(l.errs, packages.Error{Pos: pos.String(), Msg: msg, Kind: packages.ParseError})
		}
		if f != nil {
			files = append(files, f)
			l.syntax[name] = f
		}
	}
	l.info = &types.Info{Defs: map[*ast.Ident]types.Object{}}
	conf := types.Config{
		Importer: importerFunc(func(path string) (*types.Package, error) {
			ip := l.pkg.Imports[path]
			if ip == nil {
				return nil, fmt.Errorf("package %s is not in the import graph", path)
			}
			if r := roots[ip.ID]; r != nil {
				if rank[r] >= rank[l] || r.types == nil {
					return nil, fmt.Errorf("package %s could not be loaded", path)
				}
				return r.types, nil
			}
			return imp.importID(ip.ID, path)
		}),
		Sizes: types.SizesFor("gc", goarch()),
		Error: func(err error) {
			te, ok := err.(types.Error)
			if !ok {
				return
			}
			pos := fset.Position(te.Pos)
			if trimmed[pos.Filename] {
				return
			}
			l.errs = append(l.errs, packages.Error{Pos: pos.String(), Msg: te.Msg, Kind: packages.TypeError})
		},
	}
	if l.pkg.Module != nil && l.pkg.Module.GoVersion != "" {
		conf.GoVersion = "go" + l.pkg.Module.GoVersion
	}
	l.types, _ = conf.Check(l.pkg.PkgPath, fset, files, l.info)
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// exportImporter reads packages from export data files, shared by all the
// packages being checked.
type exportImporter struct {
	mu    sync.Mutex
	fset  *token.FileSet
	files map[string]string         // package ID -> export file
	pkgs  map[string]*types.Package // by package path, as gcexportdata wants
}

func (imp *exportImporter) importID(id, path string) (*types.Package, error) {
	if path == "unsafe" {
		return types.Unsafe, nil
	}
	imp.mu.Lock()
	defer imp.mu.Unlock()
	if p := imp.pkgs[path]; p != nil && p.Complete() {
		return p, nil
	}
	file := imp.files[id]
	if file == "" {
		return nil, fmt.Errorf("no export data for %s", id)
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := gcexportdata.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("reading export data for %s: %w", id, err)
	}
	return gcexportdata.Read(r, imp.fset, imp.pkgs, path)
}

// topoRank numbers packages so that each comes after the roots it imports;
// an import cycle (reported by go list) leaves one edge pointing forward.
func topoRank(order []*loaded, roots map[string]*loaded) map[*loaded]int {
	rank := map[*loaded]int{}
	visiting := map[*loaded]bool{}
	var visit func(l *loaded)
	visit = func(l *loaded) {
		if _, ok := rank[l]; ok || visiting[l] {
			return
		}
		visiting[l] = true
		for _, dep := range l.pkg.Imports {
			if d := roots[dep.ID]; d != nil {
				visit(d)
			}
		}
		rank[l] = len(rank)
	}
	for _, l := range order {
		visit(l)
	}
	return rank
}

func goarch() string {
	if a := os.Getenv("GOARCH"); a != "" {
		return a
	}
	return runtime.GOARCH
}
