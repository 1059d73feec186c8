package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"

	"golang.org/x/mod/semver"

	"github.com/tracegen/tracegen/rewrite"
	"github.com/tracegen/tracegen/templates"
)

// The runtime module, which the default template's code imports, and the
// go line of its go.mod (runtimeGoLine is tested against the file).
const (
	runtimeModule = "github.com/tracegen/tracegen/runtime"
	runtimeGoLine = "1.22"
	toolModule    = "github.com/tracegen/tracegen"
)

// modulesOf returns the directories of the modules (of roots) that hold
// files.
func modulesOf(roots []string, files []rewrite.File) []string {
	seen := map[string]bool{}
	var dirs []string
	for _, f := range files {
		for _, r := range roots {
			if insideAny([]string{r}, f.Path) && !seen[r] {
				seen[r] = true
				dirs = append(dirs, r)
			}
		}
	}
	sort.Strings(dirs)
	return dirs
}

// findMissingImports asks the go command, in each module, whether the
// template's imports resolve, for code the module did not import before.
// It never changes go.mod (-mod=readonly).
func findMissingImports(modDirs []string, tmpl *templates.Template) ([]rewrite.Unresolved, error) {
	var paths []string
	for _, imp := range tmpl.Imports {
		paths = append(paths, imp.Path)
	}
	if len(paths) == 0 {
		return nil, nil
	}
	var missing []rewrite.Unresolved
	for _, dir := range modDirs {
		args := append([]string{"list", "-mod=readonly", "-e", "-json=ImportPath,Module,Error", "--"}, paths...)
		c := exec.Command("go", args...)
		c.Dir = dir
		var stderr bytes.Buffer
		c.Stderr = &stderr
		out, err := c.Output()
		if err != nil {
			return nil, fmt.Errorf("go list in %s: %v: %s", dir, err, strings.TrimSpace(stderr.String()))
		}
		dec := json.NewDecoder(bytes.NewReader(out))
		for dec.More() {
			var p struct {
				ImportPath string
				Module     *struct{ Path string }
				Error      *struct{ Err string }
			}
			if err := dec.Decode(&p); err != nil {
				return nil, fmt.Errorf("go list in %s: %v", dir, err)
			}
			if p.Module == nil && p.Error != nil {
				missing = append(missing, rewrite.Unresolved{ModuleDir: dir, Path: p.ImportPath})
			}
		}
	}
	return missing, nil
}

// toolVersion is the release of this binary's module, or "" for a build
// from a clone (devel). The runtime module is released with the same
// version, so it is the runtime version the generated code is made for.
func toolVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok || bi.Main.Path != toolModule || !semver.IsValid(bi.Main.Version) {
		return ""
	}
	return bi.Main.Version
}

// goModInfo is what requirement handling needs of a go.mod.
type goModInfo struct {
	goLine   string
	replaced map[string]bool // module paths with a replace directive
}

func readGoMod(dir string) (goModInfo, error) {
	c := exec.Command("go", "mod", "edit", "-json")
	c.Dir = dir
	var stderr bytes.Buffer
	c.Stderr = &stderr
	out, err := c.Output()
	if err != nil {
		return goModInfo{}, fmt.Errorf("go mod edit -json: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	var f struct {
		Go      string
		Replace []struct{ Old struct{ Path string } }
	}
	if err := json.Unmarshal(out, &f); err != nil {
		return goModInfo{}, err
	}
	info := goModInfo{goLine: f.Go, replaced: map[string]bool{}}
	for _, r := range f.Replace {
		info.replaced[r.Old.Path] = true
	}
	return info, nil
}

// addRequirements makes each module require what its instrumented code
// imports, where that can be done without the network and without raising
// the module's go line: the runtime module at the tool's own version (or,
// when go.mod replaces the runtime with a local copy, any version), added by
// "go get" from the module cache, so go.mod and go.sum are as go get makes
// them. Everything else is printed with the exact command to run, and
// reported as a failure.
func addRequirements(stderr io.Writer, verbose bool, missing []rewrite.Unresolved) bool {
	ok := true
	dir := wd()
	for _, m := range missing {
		goMod := shortPath(dir, filepath.Join(m.ModuleDir, "go.mod"))
		if m.Path != runtimeModule && !strings.HasPrefix(m.Path, runtimeModule+"/") {
			fmt.Fprintf(stderr, "%s: no requirement provides %s, which the injected code imports; run: go get %s\n", goMod, m.Path, m.Path)
			ok = false
			continue
		}
		info, err := readGoMod(m.ModuleDir)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", goMod, err)
			ok = false
			continue
		}
		version := toolVersion()
		if info.replaced[runtimeModule] {
			version = "v0.0.0" // the replacement is used whatever the version
		}
		command := "go get " + runtimeModule + "@" + version
		if version == "" {
			command = "go get " + runtimeModule + "@latest"
		}
		if semver.Compare("v"+info.goLine, "v"+runtimeGoLine) < 0 {
			fmt.Fprintf(stderr, "%s: does not require %s, which the injected code imports, and adding it raises the go line from %s to %s, "+
				"which changes the language of the module's code (loop variables are per iteration from go 1.22); to accept, run: %s\n",
				goMod, runtimeModule, info.goLine, runtimeGoLine, command)
			ok = false
			continue
		}
		if version == "" {
			fmt.Fprintf(stderr, "%s: does not require %s, which the injected code imports, and this tracegen is a development build "+
				"that cannot say which version matches it; run: %s (or, with a clone of tracegen, add a replace directive for it)\n",
				goMod, runtimeModule, command)
			ok = false
			continue
		}
		if err := goGetOffline(m.ModuleDir, runtimeModule, version); err != nil {
			fmt.Fprintf(stderr, "%s: does not require %s, which the injected code imports, and it is not in the module cache; run: %s\n",
				goMod, runtimeModule, command)
			ok = false
			continue
		}
		if verbose {
			fmt.Fprintf(stderr, "%s: added requirement %s %s\n", goMod, runtimeModule, version)
		}
	}
	return ok
}

// goGetOffline runs go get in dir with the module cache as the only
// source, then marks the requirement direct: go get of a module does not
// look at imports and writes "// indirect", though the module's own code
// imports it, as go mod tidy would say.
func goGetOffline(dir, path, version string) error {
	for _, args := range [][]string{
		{"get", path + "@" + version},
		{"mod", "edit", "-droprequire=" + path, "-require=" + path + "@" + version},
	} {
		c := exec.Command("go", args...)
		c.Dir = dir
		c.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=mod")
		if out, err := c.CombinedOutput(); err != nil {
			return fmt.Errorf("go %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
		}
	}
	return nil
}

// reportMissing prints, for check, each module that lacks a requirement.
func reportMissing(stderr io.Writer, missing []rewrite.Unresolved) {
	dir := wd()
	for _, m := range missing {
		fmt.Fprintf(stderr, "%s: does not require the module of %s, which the instrumented code imports; run tracegen to add it\n",
			shortPath(dir, filepath.Join(m.ModuleDir, "go.mod")), m.Path)
	}
}
