package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"

	"golang.org/x/mod/modfile"

	"github.com/tracegen/tracegen/internal/atomicfile"
	"github.com/tracegen/tracegen/rewrite"
	"github.com/tracegen/tracegen/rewrite/rules"
	"github.com/tracegen/tracegen/templates"
)

// Build-time mode through -toolexec: tracegen build runs the go command
// with itself as the -toolexec of the build. The go command hands it each
// compiler invocation; for a package of a main module it type-checks the
// files it is given against the export data the importcfg names,
// instruments them into copies in the compiler's own work folder (with
// the /*line*/ comments of lineMapped), and runs the compiler on the
// copies. Every other tool, and every package outside the main modules,
// runs exactly as asked, so the standard library and the dependencies
// share the go build cache with plain builds.
//
// The go command's cache key of a package (its action ID) covers its
// files, its imports, the compiler's identity and the package's -gcflags,
// not what tracegen does: so tracegen build gives the main modules'
// packages one more compiler flag, -tracegen=KEY, which the toolexec
// removes before the compiler sees it. KEY hashes everything the
// instrumented code depends on besides the sources: this binary, the
// template, the rule files and the modules the template's imports come
// from. A changed KEY rebuilds the main modules' packages, and plain go
// build, which has no such flag, never shares them.

// buildArg is the first argument of tracegen run as go's -toolexec in
// build-time mode; its second is the build state file.
const buildArg = "__build"

// keyFlag is the compiler flag that carries the configuration's key.
const keyFlag = "-tracegen="

// buildState is what the toolexec of a build reads, written by tracegen
// build once for each configuration.
type buildState struct {
	Key       string
	Modules   []buildModule // the main modules
	Template  string        // -template as given, a file's path made absolute
	RulesFile string        // -config, absolute; "" for each module's own
	NoRules   bool
	Dir       string   // where the go command runs
	ListFlags []string // the build flags that go list needs to build the template's imports as the build does
}

type buildModule struct{ Path, Dir string }

// failedEnv names the file a toolexec creates when tracegen itself fails
// the build (a directive's error): tracegen build then exits 2, not 1.
const failedEnv = "TRACEGEN_BUILD_FAILED"

// runBuild runs go verb with args in build-time mode, through -toolexec.
func runBuild(stdout, stderr io.Writer, o *options, verb string, args []string) error {
	dir := wd()
	// -C, which the go command takes first only, is done here.
	if len(args) > 0 && (args[0] == "-C" || args[0] == "--C") && len(args) > 1 {
		dir, args = absPath(dir, args[1]), args[2:]
	} else if len(args) > 0 && (strings.HasPrefix(args[0], "-C=") || strings.HasPrefix(args[0], "--C=")) {
		dir, args = absPath(dir, strings.SplitN(args[0], "=", 2)[1]), args[1:]
	}
	mods, hashFiles, err := mainModules(dir)
	if err != nil {
		return err
	}
	st := buildState{Modules: mods, Template: o.template, NoRules: o.noRules, Dir: dir}
	if isTemplateFile(st.Template) {
		st.Template = absPath(dir, st.Template)
	}
	if o.rulesFile != "" {
		st.RulesFile = absPath(dir, o.rulesFile)
	}
	tmpl, err := loadTemplate(st.Template)
	if err != nil {
		return err
	}
	// Rule files are checked here, once, not by each package's compile.
	if bad := checkRuleFiles(stderr, &st); bad {
		return exitCodeError{exitError}
	}
	scan, err := scanGoArgs(verb, args)
	if err != nil {
		return err
	}
	st.ListFlags = scan.listFlags
	h := sha256.New()
	fmt.Fprintf(h, "tracegen %s\n", versionString())
	if exe, err := os.Executable(); err == nil {
		if fi, err := os.Stat(exe); err == nil {
			fmt.Fprintf(h, "exe %s %d %d\n", exe, fi.Size(), fi.ModTime().UnixNano())
		}
	}
	fmt.Fprintf(h, "template %s\nconfig %s\nnorules %v\nlist %q\n", st.Template, st.RulesFile, st.NoRules, st.ListFlags)
	if isTemplateFile(st.Template) {
		hashFile(h, st.Template)
	}
	for _, m := range mods {
		fmt.Fprintf(h, "module %s %s\n", m.Path, m.Dir)
		hashFile(h, filepath.Join(m.Dir, rules.FileName))
	}
	if st.RulesFile != "" {
		hashFile(h, st.RulesFile)
	}
	for _, f := range hashFiles {
		hashFile(h, f)
	}
	if err := hashLocalImports(h, mods, hashFiles, tmpl); err != nil {
		return err
	}
	st.Key = hex.EncodeToString(h.Sum(nil)[:12])
	statePath, err := writeBuildState(&st)
	if err != nil {
		return err
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	shim, err := buildShim()
	if err != nil {
		return err
	}
	flags := []string{verb, "-toolexec=" + quoteArg(shim) + " " + quoteArg(exe) + " " + quoteArg(statePath)}
	for _, m := range mods {
		flags = append(flags, "-gcflags="+m.Path+"/...="+keyFlag+st.Key)
	}
	// The last -gcflags that matches a package gives its flags: the
	// user's (from GOFLAGS first, then the command line) keep theirs, with
	// the key added.
	for _, v := range goflagsGcflags() {
		flags = append(flags, "-gcflags="+withKey(v, st.Key))
	}
	args = scan.args
	for _, i := range scan.gcflags {
		name, value, _ := strings.Cut(args[i], "=")
		args[i] = name + "=" + withKey(value, st.Key)
	}
	failed, err := os.CreateTemp("", "tracegen-failed-")
	if err != nil {
		return err
	}
	failed.Close()
	os.Remove(failed.Name())
	defer os.Remove(failed.Name())
	c := exec.Command("go", append(flags, args...)...)
	c.Dir = dir
	c.Env = append(os.Environ(), failedEnv+"="+failed.Name())
	c.Stdin, c.Stdout, c.Stderr = os.Stdin, stdout, stderr
	if err := c.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			if _, err := os.Stat(failed.Name()); err == nil {
				return exitCodeError{exitError}
			}
			return exitCodeError{exit.ExitCode()}
		}
		return err
	}
	return nil
}

// quoteArg quotes s for a go command flag that holds a command line, as
// -toolexec does, when it has spaces.
func quoteArg(s string) string {
	if !strings.ContainsAny(s, " \t'\"") {
		return s
	}
	if !strings.Contains(s, "'") {
		return "'" + s + "'"
	}
	return `"` + s + `"`
}

func isTemplateFile(v string) bool {
	return strings.ContainsAny(v, `/\`) || strings.HasSuffix(v, ".tmpl")
}

func absPath(dir, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

// withKey adds the key flag to a -gcflags value, [pattern=]flags.
func withKey(v, key string) string {
	if v = strings.TrimSpace(v); v == "" || strings.HasPrefix(v, "-") {
		return strings.TrimSpace(v + " " + keyFlag + key)
	}
	pattern, flags, _ := strings.Cut(v, "=")
	return pattern + "=" + strings.TrimSpace(flags+" "+keyFlag+key)
}

// goflagsGcflags lists the -gcflags values in $GOFLAGS.
func goflagsGcflags() []string {
	var out []string
	for _, f := range strings.Fields(os.Getenv("GOFLAGS")) {
		name, value, ok := strings.Cut(strings.TrimPrefix(f, "-"), "=")
		if ok && (name == "gcflags" || name == "-gcflags") {
			out = append(out, value)
		}
	}
	return out
}

// goArgs is what tracegen build needs of the go command's arguments.
type goArgs struct {
	args      []string // the arguments, each flag's value joined to it by =
	gcflags   []int    // indexes in args of the -gcflags=value arguments
	listFlags []string // the ones go list needs to build as the build does
}

// goValueFlags are the go command's flags that take a value, for telling
// a flag's value from a package.
var goValueFlags = map[string]bool{
	"C": true, "o": true, "p": true, "asmflags": true, "buildmode": true, "compiler": true,
	"gccgoflags": true, "gcflags": true, "installsuffix": true, "ldflags": true, "mod": true,
	"modfile": true, "overlay": true, "pgo": true, "pkgdir": true, "tags": true, "toolexec": true,
	"coverpkg": true, "covermode": true, "exec": true, "vet": true, "run": true, "skip": true,
	"bench": true, "benchtime": true, "count": true, "cpu": true, "parallel": true, "timeout": true,
	"coverprofile": true, "cpuprofile": true, "memprofile": true, "memprofilerate": true,
	"blockprofile": true, "blockprofilerate": true, "mutexprofile": true, "mutexprofilefraction": true,
	"outputdir": true, "trace": true, "fuzz": true, "fuzztime": true, "fuzzminimizetime": true,
	"list": true, "shuffle": true, "fuzzcachedir": true,
}

// goListFlags are the build flags that change how a package is compiled:
// go list -export builds the template's imports with them.
var goListFlags = map[string]bool{
	"race": true, "msan": true, "asan": true, "tags": true, "gcflags": true, "asmflags": true,
	"trimpath": true, "mod": true, "modfile": true, "pgo": true, "buildmode": true,
	"compiler": true, "installsuffix": true, "linkshared": true,
}

// scanGoArgs reads the flags of go verb's arguments: up to the first
// package for build, run and vet, to -args for test (whose flags may
// follow its packages). Each -gcflags is made -gcflags=value.
func scanGoArgs(verb string, args []string) (goArgs, error) {
	args = slices.Clone(args)
	var out goArgs
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" || a == "-args" || a == "--args" {
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			if verb == "test" {
				continue // a package; test flags may follow
			}
			break
		}
		name, _, hasValue := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-"), "=")
		if name == "toolexec" || name == "overlay" {
			return out, fmt.Errorf("tracegen %s: -%s is tracegen's own in build-time mode", verb, name)
		}
		if goValueFlags[name] && !hasValue {
			if i+1 >= len(args) {
				break // the go command says what is missing
			}
			args[i] = "-" + name + "=" + args[i+1]
			args = slices.Delete(args, i+1, i+2)
			a = args[i]
		}
		if name == "gcflags" {
			out.gcflags = append(out.gcflags, i)
		}
		if goListFlags[name] {
			out.listFlags = append(out.listFlags, "-"+strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-"))
		}
	}
	out.args = args
	return out, nil
}

// mainModules finds the main modules as the go command would from dir:
// the go.work above it (or $GOWORK) and the modules it uses, or else the
// go.mod above it, without running the go command. It also returns the
// files whose contents choose the modules' dependencies.
func mainModules(dir string) ([]buildModule, []string, error) {
	gowork := os.Getenv("GOWORK")
	if gowork == "" {
		gowork = findUp(dir, "go.work")
	}
	if gowork != "" && gowork != "off" {
		data, err := os.ReadFile(gowork)
		if err != nil {
			return nil, nil, err
		}
		wf, err := modfile.ParseWork(gowork, data, nil)
		if err != nil {
			return nil, nil, err
		}
		files := []string{gowork, gowork + ".sum"}
		var mods []buildModule
		for _, u := range wf.Use {
			d := absPath(filepath.Dir(gowork), u.Path)
			m, err := readModule(d)
			if err != nil {
				return nil, nil, err
			}
			mods = append(mods, m)
			files = append(files, filepath.Join(d, "go.mod"), filepath.Join(d, "go.sum"))
		}
		return mods, files, nil
	}
	gomod := findUp(dir, "go.mod")
	if gomod == "" {
		return nil, nil, errors.New("go.mod file not found in current directory or any parent directory")
	}
	m, err := readModule(filepath.Dir(gomod))
	if err != nil {
		return nil, nil, err
	}
	return []buildModule{m}, []string{gomod, filepath.Join(m.Dir, "go.sum"), filepath.Join(m.Dir, "vendor", "modules.txt")}, nil
}

func readModule(dir string) (buildModule, error) {
	data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return buildModule{}, err
	}
	path := modfile.ModulePath(data)
	if path == "" {
		return buildModule{}, fmt.Errorf("%s: no module line", filepath.Join(dir, "go.mod"))
	}
	return buildModule{Path: path, Dir: dir}, nil
}

// findUp is the file named name in dir or the nearest directory above it.
func findUp(dir, name string) string {
	for {
		p := filepath.Join(dir, name)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// hashLocalImports adds to h the files of the local directories that
// provide the template's imports: the replacements in go.mod and go.work
// by a directory, and the main modules themselves. Versions of other
// modules are in the go.mod and go.sum files already hashed.
func hashLocalImports(h hash.Hash, mods []buildModule, files []string, tmpl *templates.Template) error {
	// The candidates: the main modules, and the replacements by a
	// directory. Each import comes from the longest module path that is a
	// prefix of it.
	type local struct{ path, dir string }
	var locals []local
	for _, m := range mods {
		locals = append(locals, local{m.Path, m.Dir})
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		var reps []*modfile.Replace
		switch filepath.Base(f) {
		case "go.mod":
			// Parse, not ParseLax, which leaves replacements out.
			mf, err := modfile.Parse(f, data, nil)
			if err != nil {
				return err
			}
			reps = mf.Replace
		case "go.work":
			wf, err := modfile.ParseWork(f, data, nil)
			if err != nil {
				return err
			}
			reps = wf.Replace
		}
		for _, r := range reps {
			if r.New.Version == "" {
				locals = append(locals, local{r.Old.Path, absPath(filepath.Dir(f), r.New.Path)})
			}
		}
	}
	var dirs []string
	for _, imp := range tmpl.Imports {
		best := -1
		for i, l := range locals {
			if (imp.Path == l.path || strings.HasPrefix(imp.Path, l.path+"/")) && (best < 0 || len(l.path) > len(locals[best].path)) {
				best = i
			}
		}
		if best >= 0 {
			dirs = append(dirs, locals[best].dir)
		}
	}
	sort.Strings(dirs)
	for _, d := range slices.Compact(dirs) {
		err := filepath.WalkDir(d, func(path string, e fs.DirEntry, err error) error {
			if err != nil {
				return nil // a missing replacement is the go command's to report
			}
			if e.IsDir() {
				if path != d && (strings.HasPrefix(e.Name(), ".") || e.Name() == "testdata") {
					return filepath.SkipDir
				}
				if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil && path != d {
					return filepath.SkipDir // another module
				}
				return nil
			}
			if strings.HasSuffix(path, ".go") || strings.HasSuffix(path, ".s") || e.Name() == "go.mod" {
				if fi, err := e.Info(); err == nil {
					fmt.Fprintf(h, "local %s %d %d\n", path, fi.Size(), fi.ModTime().UnixNano())
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// checkRuleFiles reports the errors of the rule files the build uses.
func checkRuleFiles(stderr io.Writer, st *buildState) bool {
	if st.NoRules {
		return false
	}
	bad := false
	check := func(path string, mustExist bool) {
		_, err := rules.Load(path)
		var list rules.ErrorList
		switch {
		case err == nil, errors.Is(err, os.ErrNotExist) && !mustExist:
		case errors.As(err, &list):
			var diags []rewrite.Diagnostic
			for _, e := range list {
				diags = append(diags, rewrite.Diagnostic{Pos: e.Pos, Severity: rewrite.Error, Message: e.Msg})
			}
			printDiagnostics(stderr, diags)
			bad = true
		default:
			fmt.Fprintf(stderr, "%s\n", err)
			bad = true
		}
	}
	if st.RulesFile != "" {
		check(st.RulesFile, true)
		return bad
	}
	for _, m := range st.Modules {
		check(filepath.Join(m.Dir, rules.FileName), false)
	}
	return bad
}

// writeBuildState writes st to the cache folder, named by its contents,
// unless it is there.
func writeBuildState(st *buildState) (string, error) {
	dir, err := buildCacheDir()
	if err != nil {
		return "", err
	}
	data, err := json.Marshal(st)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(data)
	path := filepath.Join(dir, "state-"+hex.EncodeToString(sum[:12])+".json")
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		// Used: not to be pruned (see below) for another week.
		if fi, err := os.Stat(path); err == nil && time.Since(fi.ModTime()) > 24*time.Hour {
			now := time.Now()
			os.Chtimes(path, now, now)
		}
		return path, nil
	}
	// A new configuration: the files of those not used for a week go.
	pruneOverlays(dir, overlayJSON{}, time.Now().Add(-overlayMaxAge))
	return path, atomicfile.WriteFile(path, data, 0o644)
}

// buildCacheDir is $TRACEGEN_CACHE/build, or tracegen/build in the user's
// cache folder.
func buildCacheDir() (string, error) {
	base, err := cacheBase()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(base, "build")
	return dir, os.MkdirAll(dir, 0o755)
}

// shimFS holds the -toolexec of build-time builds (see shim/main.go): a
// program of the standard library only, which starts fast. It answers the
// go command's questions of who each tool is, and hands tracegen the
// compiler invocations of the main modules' packages and the linker's.
//
//go:embed shim/*.go
var shimFS embed.FS

// buildShim returns the path of the shim in the cache folder, building it
// with the go command the first time.
func buildShim() (string, error) {
	dir, err := buildCacheDir()
	if err != nil {
		return "", err
	}
	files, err := shimFS.ReadDir("shim")
	if err != nil {
		return "", err
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s/%s\n", runtime.GOOS, runtime.GOARCH)
	sources := map[string][]byte{}
	for _, f := range files {
		data, err := shimFS.ReadFile("shim/" + f.Name())
		if err != nil {
			return "", err
		}
		sources[f.Name()] = data
		fmt.Fprintf(h, "%s %d\n", f.Name(), len(data))
		h.Write(data)
	}
	path := filepath.Join(dir, "shim-"+hex.EncodeToString(h.Sum(nil)[:12]))
	if runtime.GOOS == "windows" {
		path += ".exe"
	}
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	tmp, err := os.MkdirTemp(dir, ".shim-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	for name, data := range sources {
		if err := os.WriteFile(filepath.Join(tmp, name), data, 0o644); err != nil {
			return "", err
		}
	}
	if err := os.WriteFile(filepath.Join(tmp, "go.mod"), []byte("module tracegen.invalid/shim\n\ngo 1.21\n"), 0o644); err != nil {
		return "", err
	}
	out := filepath.Join(tmp, filepath.Base(path))
	c := exec.Command("go", "build", "-tags=tracegen_shim", "-trimpath", "-o", out, ".")
	c.Dir = tmp
	// For this machine, whatever the build it serves is for.
	c.Env = append(os.Environ(), "GOOS="+runtime.GOOS, "GOARCH="+runtime.GOARCH, "GOFLAGS=", "GOWORK=off", "CGO_ENABLED=0", "GOTOOLCHAIN=local")
	if msg, err := c.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building tracegen's -toolexec: %v\n%s", err, msg)
	}
	return path, os.Rename(out, path)
}

// buildTool runs one tool of a build-time build: args are the state file,
// then the tool and its arguments.
func buildTool(args []string, stdout, stderr io.Writer) int {
	if len(args) < 2 {
		fmt.Fprintln(stderr, "tracegen: toolexec: want the build state and a tool")
		return exitError
	}
	tool, toolArgs := args[1], args[2:]
	name := strings.TrimSuffix(filepath.Base(tool), ".exe")
	var err error
	switch name {
	case "compile":
		toolArgs, err = compileStep(args[0], toolArgs, stderr)
	case "link":
		toolArgs, err = linkStep(args[0], toolArgs)
	}
	if err != nil {
		// tracegen build exits 2, for an error of tracegen's own.
		if f := os.Getenv(failedEnv); f != "" {
			os.WriteFile(f, nil, 0o644)
		}
		var exit exitCodeError
		if errors.As(err, &exit) {
			return exit.code
		}
		fmt.Fprintf(stderr, "tracegen: %v\n", err)
		return exitError
	}
	return runTool(tool, toolArgs, stdout, stderr)
}

func runTool(tool string, args []string, stdout, stderr io.Writer) int {
	c := exec.Command(tool, args...)
	c.Stdin, c.Stdout, c.Stderr = os.Stdin, stdout, stderr
	if err := c.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return exit.ExitCode()
		}
		fmt.Fprintf(stderr, "tracegen: toolexec: %v\n", err)
		return exitError
	}
	return exitOK
}

func readBuildState(path string) (*buildState, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var st buildState
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return &st, nil
}

// compileStep instruments a main module's package for the compiler: it
// returns the compiler's arguments with the key flag removed and, when
// the package is instrumented, the copies in place of the files and an
// importcfg that has the template's imports.
func compileStep(statePath string, args []string, stderr io.Writer) ([]string, error) {
	key := slices.IndexFunc(args, func(a string) bool { return strings.HasPrefix(a, keyFlag) })
	if key < 0 {
		return args, nil
	}
	args = slices.Delete(slices.Clone(args), key, key+1)
	st, err := readBuildState(statePath)
	if err != nil {
		return nil, err
	}
	var pkgPath, importcfg, lang, out string
	for i := 0; i+1 < len(args); i++ {
		switch args[i] {
		case "-p":
			pkgPath = args[i+1]
		case "-importcfg":
			importcfg = args[i+1]
		case "-o":
			out = args[i+1]
		}
		if v, ok := strings.CutPrefix(args[i], "-lang="); ok {
			lang = v
		}
	}
	first := len(args)
	for first > 0 && strings.HasSuffix(args[first-1], ".go") && !strings.HasPrefix(args[first-1], "-") {
		first--
	}
	// The go command runs the compiler in the package's directory or its
	// module's, with the package's files and, for cgo, its output in the
	// work folder.
	dir := wd()
	pkgDir := dir
	objdir := filepath.Dir(out)
	for _, f := range args[first:] {
		if p := absPath(dir, f); filepath.Dir(p) != objdir {
			pkgDir = filepath.Dir(p)
			break
		}
	}
	// A main package is compiled as "main": the go command names its
	// import path (with " [p.test]" for a test variant) to tools.
	if ip, _, _ := strings.Cut(os.Getenv("TOOLEXEC_IMPORTPATH"), " "); ip != "" {
		pkgPath = ip
	}
	mod := st.moduleOf(pkgPath, pkgDir)
	if mod == nil || importcfg == "" || out == "" || first == len(args) {
		return args, nil
	}
	cfg, err := readImportcfg(importcfg)
	if err != nil {
		return nil, err
	}
	var set *rules.Set
	if !st.NoRules {
		path := st.RulesFile
		if path == "" {
			path = filepath.Join(mod.Dir, rules.FileName)
		}
		if set, err = rules.Load(path); errors.Is(err, os.ErrNotExist) && st.RulesFile == "" {
			set, err = nil, nil
		} else if err != nil {
			return nil, err // checked by tracegen build: changed since
		}
	}
	tmpl, err := loadTemplate(st.Template)
	if err != nil {
		return nil, err
	}
	res, err := rewrite.RewriteCompiled(&rewrite.Compiled{
		Path: pkgPath, Files: args[first:], Dir: dir, PkgDir: pkgDir,
		ImportMap: cfg.importMap, PackageFiles: cfg.packageFiles,
		GoVersion: lang, Arch: goarch(), ModuleDir: mod.Dir, Rules: set,
	}, tmpl)
	if err != nil {
		return nil, err
	}
	// Absolute positions: the go command shows them relative to where
	// it runs, as it does the compiler's.
	for _, d := range res.Diagnostics {
		msg := d.Message
		if d.Severity == rewrite.Warning {
			msg = "warning: " + msg
		}
		fmt.Fprintf(stderr, "%s: %s\n", d.Pos, msg)
	}
	if res.HasErrors() {
		return nil, exitCodeError{1}
	}
	if len(res.Files) == 0 {
		return args, nil
	}
	copyDir := filepath.Join(objdir, "tracegen")
	if err := os.MkdirAll(copyDir, 0o755); err != nil {
		return nil, err
	}
	compiled := map[string]int{}
	for i := first; i < len(args); i++ {
		compiled[absPath(dir, args[i])] = i
	}
	for _, f := range res.Files {
		var content []byte
		i, ok := compiled[f.Path]
		if ok {
			content = lineMapped(f)
		} else {
			// A cgo file: the compiler is given cgo's output for it.
			for j := first; j < len(args) && !ok; j++ {
				src, err := os.ReadFile(absPath(dir, args[j]))
				if err == nil && cgoOutputOf(src, f.Path) {
					i, ok = j, true
					if content, err = mappedOnto(new(bytes.Buffer), f, src, cgoMapping(src, f.Old)); err != nil {
						return nil, err
					}
				}
			}
			if !ok {
				return nil, fmt.Errorf("%s: the compiler is not given this file or cgo's output for it", f.Path)
			}
		}
		c := filepath.Join(copyDir, filepath.Base(args[i]))
		if err := os.WriteFile(c, content, 0o644); err != nil {
			return nil, err
		}
		args[i] = c
	}
	missing := cfg.missing(tmpl)
	if len(missing) == 0 {
		return args, nil
	}
	deps, err := templateDeps(st, tmpl)
	if err != nil {
		return nil, err
	}
	newcfg := filepath.Join(copyDir, "importcfg")
	if err := cfg.writeWith(newcfg, deps); err != nil {
		return nil, err
	}
	for i := range args {
		if args[i] == "-importcfg" && i+1 < len(args) {
			args[i+1] = newcfg
		}
	}
	return args, nil
}

// linkStep gives the linker the template's imports and their
// dependencies when the build's importcfg lacks them: the instrumented
// packages import them without the go command knowing.
func linkStep(statePath string, args []string) ([]string, error) {
	i := slices.Index(args, "-importcfg")
	if i < 0 || i+1 >= len(args) {
		return args, nil
	}
	st, err := readBuildState(statePath)
	if err != nil {
		return nil, err
	}
	tmpl, err := loadTemplate(st.Template)
	if err != nil {
		return nil, err
	}
	cfg, err := readImportcfg(args[i+1])
	if err != nil {
		return nil, err
	}
	if len(cfg.missing(tmpl)) == 0 {
		return args, nil
	}
	deps, err := templateDeps(st, tmpl)
	if err != nil {
		return nil, err
	}
	newcfg := args[i+1] + ".tracegen"
	if err := cfg.writeWith(newcfg, deps); err != nil {
		return nil, err
	}
	args = slices.Clone(args)
	args[i+1] = newcfg
	return args, nil
}

// moduleOf is the main module that holds package path, compiled in dir:
// its path is the module's or under it, and dir is in the module's tree
// and not in a vendor folder.
func (st *buildState) moduleOf(path, dir string) *buildModule {
	var best *buildModule
	for i := range st.Modules {
		m := &st.Modules[i]
		if path != m.Path && !strings.HasPrefix(path, m.Path+"/") {
			continue
		}
		rel, err := filepath.Rel(m.Dir, dir)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			continue
		}
		if slices.Contains(strings.Split(filepath.ToSlash(rel), "/"), "vendor") || nestedModule(m.Dir, dir) {
			continue
		}
		if best == nil || len(m.Dir) > len(best.Dir) {
			best = m
		}
	}
	return best
}

// nestedModule reports whether dir, inside the module at root, is in
// another module: a go.mod between them.
func nestedModule(root, dir string) bool {
	for d := dir; d != root && len(d) > len(root); d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return true
		}
	}
	return false
}

func goarch() string {
	if a := os.Getenv("GOARCH"); a != "" {
		return a
	}
	return runtime.GOARCH
}

// importcfg is a compiler's or linker's import configuration.
type importcfg struct {
	lines        []string
	importMap    map[string]string
	packageFiles map[string]string
}

func readImportcfg(path string) (*importcfg, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	cfg := &importcfg{importMap: map[string]string{}, packageFiles: map[string]string{}}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		cfg.lines = append(cfg.lines, line)
		verb, rest, _ := strings.Cut(line, " ")
		k, v, ok := strings.Cut(rest, "=")
		if !ok {
			continue
		}
		switch verb {
		case "importmap":
			cfg.importMap[k] = v
		case "packagefile":
			cfg.packageFiles[k] = v
		}
	}
	return cfg, sc.Err()
}

// missing lists the template's imports cfg has no package file for.
func (cfg *importcfg) missing(tmpl *templates.Template) []string {
	var out []string
	for _, imp := range tmpl.Imports {
		if _, ok := cfg.packageFiles[imp.Path]; !ok {
			out = append(out, imp.Path)
		}
	}
	return out
}

// writeWith writes cfg to path with the package files of deps it lacks.
func (cfg *importcfg) writeWith(path string, deps map[string]string) error {
	var b bytes.Buffer
	for _, l := range cfg.lines {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	paths := make([]string, 0, len(deps))
	for p := range deps {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		if _, ok := cfg.packageFiles[p]; !ok {
			fmt.Fprintf(&b, "packagefile %s=%s\n", p, deps[p])
		}
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// templateDeps is the export file of each of the template's imports and
// of their dependencies, built as the build builds (go list -export with
// its flags), kept in the cache folder for the state's key.
func templateDeps(st *buildState, tmpl *templates.Template) (map[string]string, error) {
	dir, err := buildCacheDir()
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s %s %q %s %s %s\n", st.Key, st.Dir, st.ListFlags, os.Getenv("GOCACHE"), os.Getenv("GOOS"), goarch())
	for _, v := range []string{"GOFLAGS", "CGO_ENABLED", "GOEXPERIMENT", "GOAMD64", "GOARM", "GOARM64"} {
		fmt.Fprintf(h, "%s=%s\n", v, os.Getenv(v))
	}
	path := filepath.Join(dir, "deps-"+hex.EncodeToString(h.Sum(nil)[:12])+".json")
	var deps map[string]string
	if data, err := os.ReadFile(path); err == nil && json.Unmarshal(data, &deps) == nil && allExist(deps) {
		return deps, nil
	}
	var paths []string
	for _, imp := range tmpl.Imports {
		paths = append(paths, imp.Path)
	}
	args := append([]string{"list", "-deps", "-export", "-json=ImportPath,Export,Error,DepsErrors"}, st.ListFlags...)
	args = append(args, "--")
	c := exec.Command("go", append(args, paths...)...)
	c.Dir = st.Dir
	c.Env = slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "TOOLEXEC_IMPORTPATH=") })
	var stderr bytes.Buffer
	c.Stderr = &stderr
	out, err := c.Output()
	deps = map[string]string{}
	var problems []string
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p struct {
			ImportPath, Export string
			Error              *struct{ Err string }
			DepsErrors         []*struct{ Err string }
		}
		if err := dec.Decode(&p); err != nil {
			return nil, fmt.Errorf("go list: %v", err)
		}
		if p.Error != nil {
			problems = append(problems, p.Error.Err)
		}
		if p.Export != "" {
			deps[p.ImportPath] = p.Export
		}
	}
	if len(problems) > 0 || err != nil {
		msg := strings.Join(problems, "\n")
		if msg == "" {
			msg = strings.TrimSpace(stderr.String())
		}
		return nil, fmt.Errorf("the instrumented code imports %s, which the build cannot provide: %s\n(run tracegen in the module to add its requirement)", strings.Join(paths, ", "), msg)
	}
	data, err := json.Marshal(deps)
	if err != nil {
		return nil, err
	}
	return deps, atomicfile.WriteFile(path, data, 0o644)
}

func allExist(files map[string]string) bool {
	for _, f := range files {
		if _, err := os.Stat(f); err != nil {
			return false
		}
	}
	return len(files) > 0
}
