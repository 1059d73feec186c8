package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tracegen/tracegen/internal/atomicfile"
	"github.com/tracegen/tracegen/rewrite"
	"github.com/tracegen/tracegen/rewrite/rules"
	"github.com/tracegen/tracegen/templates"
)

// Build-time mode through -overlay (tracegen overlay; tracegen vet, and
// coverage builds, see buildmode.go for the others): the instrumented files
// are written to a cache folder, never over the sources, and the go
// command reads them through -overlay. Each instrumented copy maps its
// lines back to the source with /*line*/ comments after every edit, so
// that stack traces, runtime.Caller, coverage and debuggers name the
// source's file and line.

func newOverlayCmd(o *options) *cobra.Command {
	return &cobra.Command{
		Use:   "overlay [packages]",
		Short: "Write the instrumented files aside and print a go build -overlay file",
		Long: `overlay instruments the named packages (none means every package of the main
modules) without touching them: it writes the instrumented copies to a cache
folder and prints the path of a JSON file for go build -overlay, which reads
them in place of the sources:

	go build -overlay=$(tracegen overlay) ./...

The copies keep the sources' line numbers. An unchanged tree reuses the last
overlay without instrumenting again, so go's build cache hits.`,
		Example:       "  go build -overlay=$(tracegen overlay) ./...\n  go test -overlay=$(tracegen overlay) ./...",
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			path, err := writeOverlay(cmd.ErrOrStderr(), o, args)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), path)
			return nil
		},
	}
}

// newGoCmd is tracegen build, test, run and vet: the go command with the
// overlay of every package of the main modules.
func newGoCmd(o *options, verb string) *cobra.Command {
	return &cobra.Command{
		Use:   verb + " [go " + verb + " flags and arguments]",
		Short: "Run go " + verb + " with the packages instrumented at build time",
		Long: `tracegen ` + verb + ` runs go ` + verb + ` with its arguments as given and tracegen as its
-toolexec, which instruments each package of the main modules as the
compiler is given it: the binary is traced, the sources are not written,
and the go build cache is shared with plain builds for every other package.
With coverage flags (and for vet) the go command reads the instrumented
copies through -overlay instead (see tracegen overlay).`,
		Example:            "  tracegen " + verb + " ./...",
		DisableFlagParsing: true,
		SilenceUsage:       true,
		SilenceErrors:      true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
				return cmd.Help()
			}
			args, err := tracegenFlags(o, verb, args)
			if err != nil {
				return err
			}
			if verb != "vet" && !wantsCover(args) {
				return runBuild(cmd.OutOrStdout(), cmd.ErrOrStderr(), o, verb, args)
			}
			o.tags = goTags(args)
			path, err := writeOverlay(cmd.ErrOrStderr(), o, nil)
			if err != nil {
				return err
			}
			// The go command's own flags come before its packages: -overlay
			// first is right for every verb.
			flags := []string{verb, "-overlay=" + path}
			if wantsCover(args) {
				// The cover tool reads the sources, not the overlay
				// (golang/go#73802): tracegen runs it on the copies.
				exe, err := os.Executable()
				if err != nil {
					return err
				}
				flags = append(flags, "-toolexec="+exe+" "+toolexecArg+" "+path)
			}
			c := exec.Command("go", append(flags, args...)...)
			c.Stdin, c.Stdout, c.Stderr = os.Stdin, cmd.OutOrStdout(), cmd.ErrOrStderr()
			if err := c.Run(); err != nil {
				var exit *exec.ExitError
				if errors.As(err, &exit) {
					return exitCodeError{exit.ExitCode()}
				}
				return err
			}
			return nil
		},
	}
}

// tracegenFlags takes tracegen's own flags, which the go command does not
// have (-template, -config, -norules), out of go command arguments, where
// the go command would read its flags: before the first package, or for go
// test before -args.
func tracegenFlags(o *options, verb string, args []string) ([]string, error) {
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" || a == "-args" || a == "--args" || !strings.HasPrefix(a, "-") && verb != "test" {
			rest = append(rest, args[i:]...)
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-"), "=")
		switch name {
		case "template", "config":
			if !hasValue {
				if i+1 >= len(args) {
					return nil, fmt.Errorf("flag needs an argument: -%s", name)
				}
				i++
				value = args[i]
			}
			if name == "template" {
				o.template = value
			} else {
				o.rulesFile = value
			}
		case "norules":
			o.noRules = !hasValue || value == "true"
		default:
			if goValueFlags[name] && !hasValue && i+1 < len(args) {
				rest = append(rest, a)
				i++
				a = args[i]
			}
			rest = append(rest, a)
		}
	}
	return rest, nil
}

// goTags is the value of the -tags flag among go command arguments.
func goTags(args []string) string {
	for i, a := range args {
		a = strings.TrimPrefix(a, "-")
		switch {
		case strings.HasPrefix(a, "-tags="), strings.HasPrefix(a, "tags="):
			return strings.SplitN(a, "=", 2)[1]
		case (a == "tags" || a == "-tags") && i+1 < len(args):
			return args[i+1]
		case a == "-": // "--": what follows is not the go command's
			return ""
		}
	}
	return ""
}

// overlayJSON is the file go build -overlay reads.
type overlayJSON struct {
	Replace map[string]string
}

// writeOverlay instruments patterns (none: every package of the main
// modules) into the cache folder and returns the overlay file's path. When
// nothing it depends on changed since the last call, it returns that
// call's file without instrumenting again.
func writeOverlay(stderr io.Writer, o *options, patterns []string) (string, error) {
	roots, err := moduleRoots()
	if err != nil {
		return "", err
	}
	if len(patterns) == 0 {
		for _, r := range roots {
			patterns = append(patterns, filepath.Join(r, "..."))
		}
	}
	cacheDir, err := overlayCacheDir()
	if err != nil {
		return "", err
	}
	key, err := overlayKey(o, roots, patterns)
	if err != nil {
		return "", err
	}
	index := filepath.Join(cacheDir, key+".json")
	if reusable(index) {
		return index, nil
	}
	cfg, err := o.config(patterns, rewrite.Apply)
	if err != nil {
		return "", err
	}
	cfg.NoTargets = true
	res, err := rewrite.Run(cfg)
	if err != nil {
		return "", err
	}
	printDiagnostics(stderr, res.Diagnostics)
	if res.HasErrors() {
		return "", exitCodeError{exitError}
	}
	tmpl := cfg.Template.(*templates.Template)
	if missing, err := findMissingImports(modulesOf(roots, res.Files), tmpl); err != nil {
		return "", err
	} else if len(missing) > 0 {
		reportMissing(stderr, missing)
		return "", exitCodeError{exitError}
	}
	ov := overlayJSON{Replace: map[string]string{}}
	for _, f := range res.Files {
		content := lineMapped(f)
		sum := sha256.Sum256(content)
		copyPath := filepath.Join(cacheDir, hex.EncodeToString(sum[:12])+"-"+filepath.Base(f.Path))
		if _, err := os.Stat(copyPath); err != nil {
			if err := atomicfile.WriteFile(copyPath, content, 0o644); err != nil {
				return "", err
			}
		}
		ov.Replace[f.Path] = copyPath
	}
	data, err := json.MarshalIndent(ov, "", "\t")
	if err != nil {
		return "", err
	}
	if err := atomicfile.WriteFile(index, data, 0o644); err != nil {
		return "", err
	}
	pruneOverlays(cacheDir, ov, time.Now().Add(-overlayMaxAge))
	return index, nil
}

// overlayMaxAge is how long a copy or an overlay file no run wrote is kept.
const overlayMaxAge = 7 * 24 * time.Hour

// pruneOverlays removes from dir the files last written before cutoff
// that ov does not use, so that the cache folder does not grow with every
// change. An overlay file whose copies are gone is written again when it
// is next needed (see reusable).
func pruneOverlays(dir string, ov overlayJSON, cutoff time.Time) {
	keep := map[string]bool{}
	for _, c := range ov.Replace {
		keep[filepath.Base(c)] = true
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if keep[e.Name()] || e.IsDir() || e.Name() == "go.mod" {
			continue
		}
		if fi, err := e.Info(); err == nil && fi.ModTime().Before(cutoff) {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// reusable reports whether the overlay file at path exists with every copy
// it names.
func reusable(path string) bool {
	data, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	var ov overlayJSON
	if json.Unmarshal(data, &ov) != nil {
		return false
	}
	for _, c := range ov.Replace {
		if _, err := os.Stat(c); err != nil {
			return false
		}
	}
	return true
}

// overlayCacheDir is where the copies go: $TRACEGEN_CACHE/overlay, or
// tracegen/overlay in the user's cache folder.
func overlayCacheDir() (string, error) {
	base, err := cacheBase()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(base, "overlay")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	// The copies are Go files: a go.mod keeps them out of the packages of
	// a module the cache folder is in (./...).
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		if err := atomicfile.WriteFile(filepath.Join(dir, "go.mod"), []byte("module tracegen.invalid/overlay\n"), 0o644); err != nil {
			return "", err
		}
	}
	return dir, nil
}

// cacheBase is $TRACEGEN_CACHE, or tracegen in the user's cache folder.
func cacheBase() (string, error) {
	if base := os.Getenv("TRACEGEN_CACHE"); base != "" {
		return base, nil
	}
	c, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache folder for build-time mode: %w (set TRACEGEN_CACHE)", err)
	}
	return filepath.Join(c, "tracegen"), nil
}

// overlayKey identifies everything the overlay depends on: this binary,
// the options, the environment the go command reads, and every Go file,
// rule file, go.mod and go.sum under the roots (path, size and time).
func overlayKey(o *options, roots, patterns []string) (string, error) {
	h := sha256.New()
	exe, _ := os.Executable()
	if fi, err := os.Stat(exe); err == nil {
		fmt.Fprintf(h, "exe %s %d %d\n", exe, fi.Size(), fi.ModTime().UnixNano())
	}
	fmt.Fprintf(h, "version %s\ntags %s\ntemplate %s\nconfig %s\nnorules %v\n", versionString(), o.tags, o.template, o.rulesFile, o.noRules)
	for _, p := range patterns {
		fmt.Fprintf(h, "pattern %s\n", p)
	}
	for _, v := range []string{"GOOS", "GOARCH", "GOFLAGS", "GOWORK", "CGO_ENABLED", "GOEXPERIMENT"} {
		fmt.Fprintf(h, "env %s=%s\n", v, os.Getenv(v))
	}
	if o.template != "" && isTemplateFile(o.template) {
		if err := hashFile(h, o.template); err != nil {
			return "", err
		}
	}
	if o.rulesFile != "" {
		if err := hashFile(h, o.rulesFile); err != nil {
			return "", err
		}
	}
	sort.Strings(roots)
	for _, root := range roots {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			name := d.Name()
			if d.IsDir() {
				if path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "vendor") {
					return filepath.SkipDir
				}
				return nil
			}
			if strings.HasSuffix(name, ".go") || name == "go.mod" || name == "go.sum" || name == "go.work" || name == rules.FileName {
				fi, err := d.Info()
				if err != nil {
					return err
				}
				fmt.Fprintf(h, "file %s %d %d\n", path, fi.Size(), fi.ModTime().UnixNano())
			}
			return nil
		})
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:16]), nil
}

func hashFile(w io.Writer, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	fmt.Fprintf(w, "content %s %x\n", path, sum)
	return nil
}

// lineMapped is f's new contents with a /*line*/ comment after each edit,
// giving the position in the source of the text that follows it, so that
// every line the rewrite did not write keeps its file and line.
func lineMapped(f rewrite.File) []byte {
	var b bytes.Buffer
	// The copy is named as its source from its first line: tools that are
	// given the copy's path (cover, see toolexec) report the source's.
	fmt.Fprintf(&b, "//line %s:1\n", f.Path)
	out, _ := mappedOnto(&b, f, f.Old, func(off int) (int, bool) { return off, true })
	return out
}

// mappedOnto writes to b the text base with f's edits applied and a
// /*line*/ comment after each, giving the position in f.Old of the text
// that follows: base is f.Old itself, or a text whose parts at holds
// offsets of (cgo's output, see cgoMapping). It fails when an edit's
// offsets have no place in base.
func mappedOnto(b *bytes.Buffer, f rewrite.File, base []byte, at func(off int) (int, bool)) ([]byte, error) {
	prev := 0
	for _, e := range f.Edits {
		start, ok1 := at(e.Start)
		end, ok2 := at(e.End)
		// The text replaced must be there as it is in the original.
		if !ok1 || !ok2 || start < prev || end < start || !bytes.Equal(base[start:end], f.Old[e.Start:e.End]) {
			return nil, fmt.Errorf("%s: the edit at offset %d has no place in the compiled file", f.Path, e.Start)
		}
		b.Write(base[prev:start])
		b.WriteString(e.New)
		prev = end
		if e.End == len(f.Old) {
			continue
		}
		oend := e.End
		if f.Old[oend] == '\n' && end < len(base) && base[end] == '\n' {
			// The edit's last line may end in a line comment (the
			// marker): the mapping starts on the next line.
			b.WriteByte('\n')
			oend++
			prev = end + 1
		}
		line := 1 + bytes.Count(f.Old[:oend], []byte("\n"))
		col := oend - (bytes.LastIndexByte(f.Old[:oend], '\n') + 1) + 1
		fmt.Fprintf(b, "/*line %s:%d:%d*/", f.Path, line, col)
	}
	b.Write(base[prev:])
	return b.Bytes(), nil
}

// wantsCover reports whether go command arguments ask for coverage.
func wantsCover(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		a = strings.TrimLeft(a, "-")
		if a == "cover" || strings.HasPrefix(a, "cover=") || strings.HasPrefix(a, "coverprofile") ||
			strings.HasPrefix(a, "coverpkg") || strings.HasPrefix(a, "covermode") {
			return true
		}
	}
	return false
}

// toolexecArg is the first argument of tracegen run as go's -toolexec.
const toolexecArg = "__toolexec"

// toolexec runs a tool of the go command's build, as -toolexec does:
// args are the overlay file, then the tool and its arguments. The cover
// tool gets the overlay's copy of each source it is given; every other
// tool runs as it was asked to.
func toolexec(args []string, stdout, stderr io.Writer) int {
	if len(args) < 2 {
		fmt.Fprintln(stderr, "tracegen: toolexec: want the overlay file and a tool")
		return exitError
	}
	tool, toolArgs := args[1], args[2:]
	if name := strings.TrimSuffix(filepath.Base(tool), ".exe"); name == "cover" {
		data, err := os.ReadFile(args[0])
		if err != nil {
			fmt.Fprintf(stderr, "tracegen: toolexec: %v\n", err)
			return exitError
		}
		var ov overlayJSON
		if err := json.Unmarshal(data, &ov); err != nil {
			fmt.Fprintf(stderr, "tracegen: toolexec: %s: %v\n", args[0], err)
			return exitError
		}
		toolArgs = append([]string(nil), toolArgs...)
		for i, a := range toolArgs {
			if c, ok := ov.Replace[a]; ok {
				toolArgs[i] = c
			}
		}
	}
	return runTool(tool, toolArgs, stdout, stderr)
}
