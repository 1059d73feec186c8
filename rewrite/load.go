package rewrite

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/tools/go/gcexportdata"
	"golang.org/x/tools/go/packages"
)

// loaded is one package of the main modules, type-checked from source.
type loaded struct {
	pkg     *packages.Package
	syntax  map[string]*ast.File // by file name, as parsed
	src     map[string][]byte    // contents of the files with markers
	bad     map[string]bool      // files that do not parse
	owns    map[string]bool      // files this package rewrites: first of its variants to list them
	info    *types.Info
	types   *types.Package   // what importers use
	checked *types.Package   // what info describes
	errs    []packages.Error // type and parse errors, trimmed files left out

	// users counts the packages being loaded that import this one and
	// are not checked yet; at zero, once visited, its types are dropped
	// (and the line tables of its files, which visit needs).
	users   int
	visited bool

	tfiles []*token.File // in the shared file set, removed with the types

	rules *ruleScope // nil when no rules apply

	// depOnly marks a package recompiled for another's tests (q [p.test]:
	// q imports p, whose tests import q). It is type-checked for its
	// importers only: it owns no file, and its errors are the plain
	// package's.
	depOnly bool
}

// load lists the packages (go list, no compiling), reads export data for
// the dependencies outside the main modules only, and type-checks the main
// modules' packages from source, in parallel and in dependency order. This
// is the work go vet does; go/packages with NeedTypes would also compile the
// main modules' packages to produce their export data.
//
// listed sees the packages before any is checked. Each package is handed
// to visit as soon as it is checked, in the same
// slot of the GOMAXPROCS it was checked in; then its syntax and type
// information are dropped, and its types once the packages importing it
// are checked. Memory grows with the largest packages, not the module.
//
// Of the function bodies, only those of the functions to rewrite are
// type-checked: errors in the others are the compiler's to report. Files
// with neither a directive nor generated code lose their statements as
// soon as they are parsed. Each file is read once.
func load(cfg Config, listed func([]*loaded), visit func(*loaded, *token.FileSet)) error {
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
	arch := make(chan goarchResult, 1)
	go func() { arch <- goEnvArch(cfg.Dir) }()
	pkgs, err := packages.Load(pcfg, patterns...)
	if err != nil {
		return goListError(err)
	}
	// go list leaves out of dir/... the directories whose every file the
	// build constraints exclude; their files are rewritten too, from
	// their syntax, so they are listed by name.
	if extra := excludedDirs(cfg.Dir, patterns, pkgs); len(extra) > 0 {
		more, err := packages.Load(pcfg, extra...)
		if err != nil {
			return goListError(err)
		}
		pkgs = append(pkgs, more...)
	}
	for _, p := range pkgs {
		// Not an error here: such files are rewritten from their syntax.
		p.Errors = slices.DeleteFunc(p.Errors, func(e packages.Error) bool {
			return strings.HasPrefix(e.Msg, "build constraints exclude all Go files in ")
		})
	}
	ga := <-arch
	if ga.err != nil {
		return ga.err
	}
	roots := map[string]*loaded{}
	var order []*loaded
	var notFound []string
	for _, p := range pkgs {
		if strings.HasSuffix(p.ID, ".test") {
			continue
		}
		if p.Module == nil || !p.Module.Main || len(p.GoFiles)+len(p.CompiledGoFiles)+len(p.IgnoredFiles) == 0 {
			// A pattern that names nothing, or nothing here: go list
			// says why, in the words go build and go vet use.
			for _, e := range p.Errors {
				if e.Kind == packages.ListError || e.Kind == packages.UnknownError {
					notFound = append(notFound, e.Msg)
				}
			}
			continue
		}
		l := &loaded{pkg: p, owns: map[string]bool{}}
		roots[p.ID] = l
		order = append(order, l)
	}
	if len(notFound) > 0 {
		return &PatternError{Msgs: notFound}
	}
	if len(order) == 0 {
		return &PatternError{Msgs: []string{fmt.Sprintf("%s matched no packages of the main module", strings.Join(patterns, " "))}}
	}
	if err := ruleSets(cfg, order); err != nil {
		return err
	}
	variants, err := testDependencies(pcfg, patterns, roots)
	if err != nil {
		return err
	}
	for _, l := range variants {
		roots[l.pkg.ID] = l
		order = append(order, l)
	}
	listed(order)
	owned := map[string]bool{}
	for _, l := range order {
		if l.depOnly {
			continue // its files are the plain package's
		}
		for _, list := range [][]string{l.pkg.GoFiles, l.pkg.IgnoredFiles} {
			for _, path := range list {
				if !owned[path] {
					owned[path], l.owns[path] = true, true
				}
			}
		}
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
			return fmt.Errorf("loading dependencies: %w", err)
		}
		for _, p := range dpkgs {
			exports[p.ID] = p.ExportFile
		}
	}

	rank := topoRank(order, roots)
	fset := token.NewFileSet()
	imp := &exportImporter{fset: fset, files: exports, pkgs: map[string]*types.Package{}}
	sizes := types.SizesFor("gc", ga.arch)
	// The roots each package imports, and the packages to check after
	// each: an import cycle (reported by go list) leaves its forward edge
	// out, and the import fails.
	imports := map[*loaded][]*loaded{}
	importers := map[*loaded][]*loaded{}
	pending := map[*loaded]int{}
	for _, l := range order {
		for _, dep := range l.pkg.Imports {
			if d := roots[dep.ID]; d != nil && rank[d] < rank[l] {
				imports[l] = append(imports[l], d)
				importers[d] = append(importers[d], l)
				pending[l]++
			}
		}
	}
	for l, ls := range importers {
		l.users = len(ls)
	}

	// GOMAXPROCS workers take the package made ready last first, so that
	// the importers of a package are checked soon after it and its types
	// can go: depth first, few packages are held at a time.
	var (
		mu    sync.Mutex
		cond  = sync.NewCond(&mu)
		ready []*loaded
		left  = len(order)
	)
	for i := len(order) - 1; i >= 0; i-- {
		if l := order[i]; pending[l] == 0 {
			ready = append(ready, l)
		}
	}
	sort.SliceStable(ready, func(i, j int) bool { return rank[ready[i]] > rank[ready[j]] })
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				for len(ready) == 0 && left > 0 {
					cond.Wait()
				}
				if left == 0 {
					mu.Unlock()
					return
				}
				l := ready[len(ready)-1]
				ready = ready[:len(ready)-1]
				depTypes := map[*loaded]*types.Package{}
				for _, d := range imports[l] {
					depTypes[d] = d.types
				}
				mu.Unlock()

				l.check(fset, roots, depTypes, imp, sizes)

				// The importers can be checked while this package
				// is rewritten.
				mu.Lock()
				for _, d := range imports[l] {
					if d.users--; d.users == 0 && d.visited {
						d.drop(fset)
					}
				}
				for _, im := range importers[l] {
					if pending[im]--; pending[im] == 0 {
						ready = append(ready, im)
					}
				}
				cond.Broadcast()
				mu.Unlock()

				visit(l, fset)
				l.syntax, l.src, l.info, l.checked = nil, nil, nil, nil

				mu.Lock()
				if l.visited = true; l.users == 0 {
					l.drop(fset)
				}
				left--
				cond.Broadcast()
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return nil
}

// testDependencies finds the packages of the main modules that go
// recompiles for another package's tests (q [p.test], when p's external
// tests import q and q imports p), which the roots' imports name but the
// first listing does not give: they are listed again with their
// dependencies, and returned to be type-checked from source.
func testDependencies(pcfg *packages.Config, patterns []string, roots map[string]*loaded) ([]*loaded, error) {
	missing := false
	for _, l := range roots {
		for _, imp := range l.pkg.Imports {
			missing = missing || roots[imp.ID] == nil && strings.Contains(imp.ID, " [")
		}
	}
	if !missing {
		return nil, nil
	}
	cfg := *pcfg
	cfg.Mode |= packages.NeedDeps
	pkgs, err := packages.Load(&cfg, patterns...)
	if err != nil {
		return nil, goListError(err)
	}
	var out []*loaded
	seen := map[string]bool{}
	packages.Visit(pkgs, func(p *packages.Package) bool {
		if seen[p.ID] {
			return false
		}
		seen[p.ID] = true
		if roots[p.ID] == nil && strings.Contains(p.ID, " [") && p.Module != nil && p.Module.Main {
			out = append(out, &loaded{pkg: p, owns: map[string]bool{}, depOnly: true})
		}
		return true
	}, nil)
	return out, nil
}

// drop lets go of a package's types and its files' line tables, once no
// package left to check needs them.
func (l *loaded) drop(fset *token.FileSet) {
	l.types = nil
	for _, tf := range l.tfiles {
		fset.RemoveFile(tf)
	}
	l.tfiles = nil
}

type goarchResult struct {
	arch string
	err  error
}

// goEnvArch asks the go command for GOARCH, which go env -w may have set.
func goEnvArch(dir string) goarchResult {
	cmd := exec.Command("go", "env", "GOARCH")
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return goarchResult{err: fmt.Errorf("go env GOARCH: %v: %s", err, bytes.TrimSpace(stderr.Bytes()))}
	}
	arch := strings.TrimSpace(string(out))
	if types.SizesFor("gc", arch) == nil {
		return goarchResult{err: fmt.Errorf("unsupported GOARCH %q", arch)}
	}
	return goarchResult{arch: arch}
}

// check reads, parses and type-checks one package.
func (l *loaded) check(fset *token.FileSet, roots map[string]*loaded, depTypes map[*loaded]*types.Package, imp *exportImporter, sizes types.Sizes) {
	l.syntax = map[string]*ast.File{}
	l.src = map[string][]byte{}
	l.bad = map[string]bool{}
	trimmed := map[string]bool{}
	var files []*ast.File
	goFiles := map[string]bool{}
	if l.rules != nil {
		for _, name := range l.pkg.GoFiles {
			goFiles[name] = true
		}
	}
	for _, name := range l.pkg.CompiledGoFiles {
		src, err := os.ReadFile(name)
		if err != nil {
			l.errs = append(l.errs, packages.Error{Pos: name, Msg: err.Error(), Kind: packages.ParseError})
			l.bad[name] = true
			continue
		}
		var f *ast.File
		// cgo's output is not named as the file it comes from, which
		// rules look at: rules may match it.
		if !l.depOnly && (hasMarkers(src) || l.rules != nil && (!goFiles[name] || l.rules.mayMatchFile(name))) {
			l.src[name] = src
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
			l.bad[name] = true
		}
		if f != nil {
			files = append(files, f)
			l.syntax[name] = f
			l.tfiles = append(l.tfiles, fset.File(f.Pos()))
		}
	}
	// Only the bodies of the functions to rewrite are checked: the
	// rewriter follows their contexts through them (see flow.go). The
	// others are set aside meanwhile; their errors are the compiler's to
	// report, and an emptied body's missing return is not one.
	var aside []setAside
	for _, f := range files {
		if l.src[fset.File(f.Pos()).Name()] != nil {
			aside = untargetedBodies(f, originalFile(fset, f), aside, l.rules)
		}
	}
	inAside := func(pos token.Pos) bool {
		for _, a := range aside {
			if a.body.Lbrace <= pos && pos <= a.body.Rbrace {
				return true
			}
		}
		return false
	}
	l.info = &types.Info{Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{}}
	conf := types.Config{
		Importer: importerFunc(func(path string) (*types.Package, error) {
			ip := l.pkg.Imports[path]
			if ip == nil {
				return nil, fmt.Errorf("package %s is not in the import graph", path)
			}
			if r := roots[ip.ID]; r != nil {
				if depTypes[r] == nil {
					return nil, fmt.Errorf("package %s could not be loaded", path)
				}
				return depTypes[r], nil
			}
			return imp.importID(ip.ID, path)
		}),
		Sizes: sizes,
		// With bodies set aside, an import may look unused.
		DisableUnusedImportCheck: true,
		Error: func(err error) {
			te, ok := err.(types.Error)
			if !ok {
				return
			}
			pos := fset.Position(te.Pos)
			if l.depOnly || trimmed[pos.Filename] || l.bad[pos.Filename] || inAside(te.Pos) {
				return // no bodies; or the syntax error says it all
			}
			l.errs = append(l.errs, packages.Error{Pos: pos.String(), Msg: te.Msg, Kind: packages.TypeError})
		},
	}
	if l.pkg.Module != nil && l.pkg.Module.GoVersion != "" {
		conf.GoVersion = "go" + l.pkg.Module.GoVersion
	}
	l.types, _ = conf.Check(l.pkg.PkgPath, fset, files, l.info)
	l.checked = l.types
	for _, a := range aside {
		a.body.List = a.list
	}
	if l.users > 0 && len(l.src) > 0 {
		// The packages importing this one need its declarations only.
		// The types just checked hold the local variables of the bodies
		// checked, and so would the chain of packages that imports them
		// (each package's types keep its imports' alive): importers get
		// types checked without bodies.
		conf.IgnoreFuncBodies, conf.Error = true, func(error) {}
		l.types, _ = conf.Check(l.pkg.PkgPath, fset, files, nil)
	}
}

// setAside is a function body's statements, removed for type checking.
type setAside struct {
	body *ast.BlockStmt
	list []ast.Stmt
}

// untargetedBodies empties the bodies of f's functions that have neither a
// directive nor generated code and that no rule of rs may select,
// appending them to aside.
func untargetedBodies(f *ast.File, name string, aside []setAside, rs *ruleScope) []setAside {
	var markers []token.Pos
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			if strings.HasPrefix(c.Text, marker) {
				markers = append(markers, c.Pos())
			}
		}
	}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil || len(fd.Body.List) == 0 || isTarget(fd, markers) || rs.mayMatch(name, fd) {
			continue
		}
		aside = append(aside, setAside{fd.Body, fd.Body.List})
		fd.Body.List = nil
	}
	return aside
}

// isTarget reports whether fd has a directive, or one of the markers in
// its body.
func isTarget(fd *ast.FuncDecl, markers []token.Pos) bool {
	if fd.Doc != nil {
		for _, c := range fd.Doc.List {
			if isDirective(c) {
				return true
			}
		}
	}
	i := sort.Search(len(markers), func(i int) bool { return markers[i] >= fd.Body.Lbrace })
	return i < len(markers) && markers[i] < fd.Body.Rbrace
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
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	data, err := exportData(b)
	if err != nil {
		return nil, fmt.Errorf("reading export data for %s: %w", id, err)
	}
	return gcexportdata.Read(bytes.NewReader(data), imp.fset, imp.pkgs, path)
}

// exportData finds the export data in a file go list -export names: the
// file itself (go1.28 on, the output of cmd/export), or the __.PKGDEF
// member of the compiler's archive, after the object header and "$$B".
func exportData(b []byte) ([]byte, error) {
	const magic = "!<arch>\n"
	if !bytes.HasPrefix(b, []byte(magic)) {
		return b, nil
	}
	// An archive member's header is 60 bytes: the name in the first 16,
	// the size in decimal at 48..58.
	const hdr = 60
	rest := b[len(magic):]
	if len(rest) < hdr || strings.TrimRight(string(rest[:16]), " ") != "__.PKGDEF" {
		return nil, errors.New("archive does not start with __.PKGDEF")
	}
	size, err := strconv.Atoi(strings.TrimSpace(string(rest[48:58])))
	if err != nil || size < 0 || hdr+size > len(rest) {
		return nil, errors.New("bad __.PKGDEF header")
	}
	member := rest[hdr : hdr+size]
	start := bytes.Index(member, []byte("\n$$B\n"))
	if start < 0 {
		return nil, errors.New("no export data in __.PKGDEF")
	}
	data := member[start+len("\n$$B\n"):]
	data = bytes.TrimSuffix(data, []byte("\n$$\n"))
	return data, nil
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

// PatternError is a package pattern that names no package of the main
// modules: Msgs are go list's messages, one per problem.
type PatternError struct{ Msgs []string }

func (e *PatternError) Error() string { return strings.Join(e.Msgs, "\n") }

// goListError turns packages.Load's error, which wraps the go command's
// exit status and standard error, into the go command's own message.
func goListError(err error) error {
	msg := err.Error()
	if _, after, ok := strings.Cut(msg, "stderr: "); ok {
		msg = after
	}
	msg = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(msg), "go: "))
	return &PatternError{Msgs: []string{msg}}
}

// excludedDirs returns, as patterns, the directories under the dir/...
// patterns that hold Go files but no package go list listed: those whose
// files the build constraints all exclude. Like go list, it skips
// directories named testdata or vendor or starting with . or _, and other
// modules.
func excludedDirs(dir string, patterns []string, pkgs []*packages.Package) []string {
	listed := map[string]bool{}
	for _, p := range pkgs {
		for _, list := range [][]string{p.GoFiles, p.CompiledGoFiles, p.IgnoredFiles} {
			for _, f := range list {
				listed[filepath.Dir(f)] = true
			}
		}
	}
	var out []string
	seen := map[string]bool{}
	for _, pat := range patterns {
		root, ok := strings.CutSuffix(pat, "/...")
		if !ok || !(root == "." || strings.HasPrefix(root, "./") || strings.HasPrefix(root, "../") || filepath.IsAbs(root)) {
			continue
		}
		if !filepath.IsAbs(root) {
			root = filepath.Join(dir, root)
		}
		filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || !d.IsDir() {
				return nil
			}
			name := d.Name()
			if path != root && (name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			if path != root {
				if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
					return filepath.SkipDir
				}
			}
			if listed[path] || seen[path] {
				return nil
			}
			if gos, _ := filepath.Glob(filepath.Join(path, "*.go")); len(gos) > 0 {
				seen[path] = true
				out = append(out, path)
			}
			return nil
		})
	}
	return out
}
