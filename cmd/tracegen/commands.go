package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/token"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"

	"github.com/rogpeppe/go-internal/diff"
	"github.com/spf13/cobra"

	"github.com/tracegen/tracegen/internal/atomicfile"
	"github.com/tracegen/tracegen/rewrite"
	"github.com/tracegen/tracegen/templates"
)

// compute runs the rewriter, and returns its result with the template it
// used.
func compute(o *options, patterns []string, mode rewrite.Mode) (*rewrite.Result, *templates.Template, error) {
	return computeTo(o, patterns, mode, nil)
}

// computeTo is compute that hands each changed file of a package without
// errors to w as soon as the package is done (see rewrite.Config.Emit).
func computeTo(o *options, patterns []string, mode rewrite.Mode, w *writer) (*rewrite.Result, *templates.Template, error) {
	cfg, err := o.config(patterns, mode)
	if err != nil {
		return nil, nil, err
	}
	if w != nil {
		cfg.Emit = w.write
		cfg.NoTargets = !o.verbose // only the summary counts them
	}
	res, err := rewrite.Run(cfg)
	if err != nil {
		return nil, nil, err
	}
	return res, cfg.Template.(*templates.Template), nil
}

// computeAndReport is compute that prints the diagnostics on stderr and
// reports whether any is an error.
func computeAndReport(cmd *cobra.Command, o *options, patterns []string, mode rewrite.Mode) (*rewrite.Result, bool, error) {
	res, _, err := compute(o, patterns, mode)
	if err != nil {
		return nil, false, err
	}
	printDiagnostics(cmd.ErrOrStderr(), res.Diagnostics)
	return res, res.HasErrors(), nil
}

// printDiagnostics prints every diagnostic as file:line:col: message, with
// the file relative to the current directory; warnings say so.
func printDiagnostics(w io.Writer, diags []rewrite.Diagnostic) {
	dir := wd()
	for _, d := range diags {
		msg := d.Message
		if d.Severity == rewrite.Warning {
			msg = "warning: " + msg
		}
		fmt.Fprintf(w, "%s: %s\n", shortPosition(dir, d.Pos), msg)
	}
}

// applyCmd writes the rewrite of patterns, or prints it as a diff with -d.
// Modules whose instrumented code lacks the requirement it imports get it
// (see addRequirements): before the rewrite is trusted, since type-checking
// that code failed, and after writing, for code that is new to a module.
func applyCmd(cmd *cobra.Command, o *options, patterns []string, mode rewrite.Mode) error {
	stderr := cmd.ErrOrStderr()
	dry := o.diff || o.listOnly // print, write nothing
	var w *writer
	if !dry {
		roots, err := moduleRoots()
		if err != nil {
			return err
		}
		w = newWriter(roots)
	}
	res, tmpl, err := computeTo(o, patterns, mode, w)
	if err != nil {
		return err
	}
	if len(res.Unresolved) > 0 && !dry && mode == rewrite.Apply {
		// Nothing was written: the run is redone with the requirement.
		if !addRequirements(stderr, o.verbose, res.Unresolved) {
			return exitCodeError{exitError}
		}
		if res, tmpl, err = computeTo(o, patterns, mode, w); err != nil {
			return err
		}
	}
	printDiagnostics(stderr, res.Diagnostics)
	failed := res.HasErrors()
	switch {
	case o.listOnly:
		dir := wd()
		for _, f := range res.Files {
			fmt.Fprintln(cmd.OutOrStdout(), shortPath(dir, f.Path))
		}
	case o.diff:
		writeDiffs(cmd.OutOrStdout(), res.Files)
	default:
		// Files of a run with unresolved imports, or rules to check
		// against the whole module, were held, not emitted.
		if res.Held {
			for _, f := range res.Files {
				w.write(f)
			}
		}
		if !w.wait(stderr, o.verbose) {
			failed = true
		} else if mode == rewrite.Apply && len(res.Files) > 0 {
			missing, err := findMissingImports(modulesOf(w.roots, res.Files), tmpl)
			if err != nil {
				return err
			}
			if !addRequirements(stderr, o.verbose, missing) {
				failed = true
			}
		}
	}
	if o.verbose {
		printSummary(stderr, res, mode, dry)
	}
	if failed {
		return exitCodeError{exitError}
	}
	return nil
}

// writer writes files atomically as the rewriter hands them over, several
// at once (most of the time is atomicfile's syncs), refusing any file
// outside the loaded modules or changed on disk since the rewriter read it.
//
// The first file written to a directory removes the temporary files a
// killed run left there. After SIGINT or SIGTERM no write starts; the
// writes under way finish (each file is then its old or its new version),
// and tracegen exits with status 2.
type writer struct {
	roots []string
	queue chan rewrite.File
	wg    sync.WaitGroup
	mu    sync.Mutex
	errs  map[string]error      // by path; nil for a file written
	dirs  map[string]*sync.Once // cleaning each of stale temporary files
	batch atomicfile.Batch

	stopped bool           // by a signal; under mu
	active  sync.WaitGroup // writes under way
	signals chan os.Signal
}

func newWriter(roots []string) *writer {
	// The queue lets the rewriter go on while files are synced.
	w := &writer{roots: roots, queue: make(chan rewrite.File, 64), errs: map[string]error{}, dirs: map[string]*sync.Once{},
		signals: make(chan os.Signal, 1)}
	signal.Notify(w.signals, os.Interrupt, syscall.SIGTERM)
	go w.onSignal()
	for range 8 {
		w.wg.Add(1)
		go func() {
			defer w.wg.Done()
			for f := range w.queue {
				w.mu.Lock()
				if w.stopped {
					w.errs[f.Path] = errInterrupted
					w.mu.Unlock()
					continue
				}
				w.active.Add(1)
				dir := filepath.Dir(f.Path)
				clean := w.dirs[dir]
				if clean == nil {
					clean = new(sync.Once)
					w.dirs[dir] = clean
				}
				w.mu.Unlock()
				var err error
				if !insideAny(w.roots, f.Path) {
					err = errNotLoaded
				} else {
					// Before any temporary file of this run is made there.
					clean.Do(func() { atomicfile.RemoveStale(dir) })
					err = w.batch.Replace(f.Path, f.Old, f.New)
				}
				w.mu.Lock()
				w.errs[f.Path] = err
				w.mu.Unlock()
				w.active.Done()
			}
		}()
	}
	return w
}

var errInterrupted = errors.New("interrupted")

// onSignal stops the writes at SIGINT or SIGTERM, lets those under way
// finish, and exits.
func (w *writer) onSignal() {
	sig, ok := <-w.signals
	if !ok {
		return
	}
	w.mu.Lock()
	w.stopped = true
	w.mu.Unlock()
	w.active.Wait()
	w.batch.Sync()
	w.mu.Lock()
	n := 0
	for _, err := range w.errs {
		if err == nil {
			n++
		}
	}
	w.mu.Unlock()
	fmt.Fprintf(os.Stderr, "tracegen: %v: stopped after writing %d %s; run tracegen again to finish\n", sig, n, plural(n, "file", "files"))
	os.Exit(exitError)
}

func (w *writer) write(f rewrite.File) { w.queue <- f }

// wait waits for the writes, then prints their failures (and with
// verbose, the files written) in path order, and reports whether all were
// written.
func (w *writer) wait(stderr io.Writer, verbose bool) bool {
	close(w.queue)
	w.wg.Wait()
	signal.Stop(w.signals)
	close(w.signals)
	w.batch.Sync()
	paths := make([]string, 0, len(w.errs))
	for p := range w.errs {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	dir := wd()
	ok := true
	for _, p := range paths {
		name := shortPath(dir, p)
		switch err := w.errs[p]; {
		case err == errNotLoaded:
			fmt.Fprintf(stderr, "%s: not in a loaded module; not written\n", name)
		case errors.Is(err, atomicfile.ErrChanged):
			fmt.Fprintf(stderr, "%s: %v; not written\n", name, atomicfile.ErrChanged)
		case err != nil:
			fmt.Fprintf(stderr, "%s: %v\n", name, err)
		case verbose:
			fmt.Fprintf(stderr, "wrote %s\n", name)
		}
		ok = ok && w.errs[p] == nil
	}
	return ok
}

var errNotLoaded = errors.New("not in a loaded module")

// moduleRoots lists the directories of the main modules: the module of the
// current directory, or every module of its workspace.
func moduleRoots() ([]string, error) {
	var stderr bytes.Buffer
	c := exec.Command("go", "list", "-m", "-f", "{{.Dir}}")
	c.Stderr = &stderr
	out, err := c.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return nil, errors.New(strings.TrimPrefix(msg, "go: "))
		}
		return nil, fmt.Errorf("go list -m: %v", err)
	}
	return strings.Fields(string(out)), nil
}

// insideAny reports whether path is inside one of the directories.
func insideAny(dirs []string, path string) bool {
	for _, d := range dirs {
		rel, err := filepath.Rel(d, path)
		if err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel) {
			return true
		}
	}
	return false
}

// checkCmd exits 1 when anything would change, printing what and a diff,
// or when a module lacks the requirement its instrumented code needs.
func checkCmd(cmd *cobra.Command, o *options, patterns []string) error {
	if o.format != "text" && o.format != "github" {
		return fmt.Errorf("-format=%s: want text or github", o.format)
	}
	res, _, err := compute(o, patterns, rewrite.Apply)
	if err != nil {
		return err
	}
	if len(res.Unresolved) > 0 {
		// The type errors this causes say nothing the missing
		// requirement does not.
		reportMissing(cmd.ErrOrStderr(), res.Unresolved)
		return exitCodeError{exitChanged}
	}
	printDiagnostics(cmd.ErrOrStderr(), res.Diagnostics)
	failed := res.HasErrors()
	out := cmd.OutOrStdout()
	dir := wd()
	if o.format == "github" {
		writeAnnotations(out, dir, res)
	}
	for _, t := range res.Targets {
		if t.State != rewrite.Current {
			fmt.Fprintln(out, targetLine(dir, t))
		}
	}
	writeDiffs(out, res.Files)
	if o.verbose {
		printSummary(cmd.ErrOrStderr(), res, rewrite.Apply, true)
	}
	switch {
	case failed:
		return exitCodeError{exitError}
	case len(res.Files) > 0:
		fmt.Fprintf(cmd.ErrOrStderr(), "tracegen: %d %s not current; run tracegen to update\n",
			len(res.Files), plural(len(res.Files), "file", "files"))
		return exitCodeError{exitChanged}
	}
	return nil
}

// listCmd prints every target.
func listCmd(cmd *cobra.Command, o *options, patterns []string) error {
	res, failed, err := computeAndReport(cmd, o, patterns, rewrite.Apply)
	if err != nil {
		return err
	}
	dir := wd()
	enc := json.NewEncoder(cmd.OutOrStdout())
	for _, t := range res.Targets {
		if o.json {
			enc.Encode(targetJSON(dir, t))
			continue
		}
		fmt.Fprintln(cmd.OutOrStdout(), targetLine(dir, t))
	}
	if failed {
		return exitCodeError{exitError}
	}
	return nil
}

// targetLine formats t as file:line:col: func [span-name] (state; reason),
// the span name only when it is not the function's, with "; note" before
// the parenthesis when the target has a note.
func targetLine(dir string, t rewrite.Target) string {
	fn := t.Func
	if t.SpanName != "" && t.SpanName != t.Func {
		fn += " " + t.SpanName
	}
	why := t.Reason
	if t.Note != "" {
		why += "; " + t.Note
	}
	return fmt.Sprintf("%s: %s (%s; %s)", shortPosition(dir, t.Pos), fn, t.State, why)
}

// listEntry is one function as list -json prints it (see the list
// command's help).
type listEntry struct {
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Column   int      `json:"column"`
	Function string   `json:"function"`
	Span     string   `json:"span"`
	State    string   `json:"state"`
	Reason   string   `json:"reason"`
	Rule     string   `json:"rule"`
	Note     string   `json:"note"`
	Options  []string `json:"options"`
}

func targetJSON(dir string, t rewrite.Target) listEntry {
	opts := t.Options
	if opts == nil {
		opts = []string{}
	}
	return listEntry{File: shortPath(dir, t.Pos.Filename), Line: t.Pos.Line, Column: t.Pos.Column, Function: t.Func,
		Span: t.SpanName, State: t.State.String(), Reason: t.Reason, Rule: t.Rule, Note: t.Note, Options: opts}
}

// writeDiffs prints a unified diff of each file, named a/path and b/path
// relative to the current directory so that git apply takes it.
func writeDiffs(w io.Writer, files []rewrite.File) {
	dir := wd()
	for _, f := range files {
		name := filepath.ToSlash(strings.TrimPrefix(shortPath(dir, f.Path), "./"))
		w.Write(diff.Diff("a/"+name, f.Old, "b/"+name, f.New))
	}
}

func printSummary(w io.Writer, res *rewrite.Result, mode rewrite.Mode, dryRun bool) {
	counts := map[rewrite.TargetState]int{}
	for _, t := range res.Targets {
		counts[t.State]++
	}
	verb := "changed"
	if dryRun {
		verb = "would change"
	}
	what := "instrumented"
	if mode == rewrite.Strip {
		what = "found"
	}
	fmt.Fprintf(w, "tracegen: %d %s %s; %d %s %s (%d current, %d missing, %d stale, %d orphan)\n",
		len(res.Files), plural(len(res.Files), "file", "files"), verb,
		len(res.Targets), plural(len(res.Targets), "function", "functions"), what,
		counts[rewrite.Current], counts[rewrite.Missing], counts[rewrite.Stale], counts[rewrite.Orphan])
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// shortPath returns path relative to dir, as ./rel inside dir and ../rel
// outside it, the way the go command prints file names; a relative path is
// returned as it is.
func shortPath(dir, path string) string {
	if dir == "" || !filepath.IsAbs(path) {
		return path
	}
	rel, err := filepath.Rel(dir, path)
	if err != nil {
		return path
	}
	if rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return rel // ../util/u.go, as the go command prints it
	}
	return "." + string(filepath.Separator) + rel
}

// shortPosition formats pos as file:line:col with a short file name.
func shortPosition(dir string, pos token.Position) string {
	pos.Filename = shortPath(dir, pos.Filename)
	if pos.Filename == "" {
		pos.Filename = "-"
	}
	return pos.String()
}

// writeAnnotations prints GitHub Actions workflow commands, one error
// annotation per diagnostic (a warning for a warning) and per function that
// is not current, with paths relative to dir, the repository's root when
// check runs there.
func writeAnnotations(w io.Writer, dir string, res *rewrite.Result) {
	annotate := func(level string, pos token.Position, msg string) {
		file := filepath.ToSlash(strings.TrimPrefix(shortPath(dir, pos.Filename), "."+string(filepath.Separator)))
		fmt.Fprintf(w, "::%s file=%s,line=%d,col=%d::%s\n", level, escapeProperty(file), pos.Line, pos.Column, escapeData(msg))
	}
	for _, d := range res.Diagnostics {
		level := "error"
		if d.Severity == rewrite.Warning {
			level = "warning"
		}
		annotate(level, d.Pos, d.Message)
	}
	for _, t := range res.Targets {
		if t.State != rewrite.Current {
			annotate("error", t.Pos, fmt.Sprintf("%s: instrumentation is %s; run tracegen to update", t.Func, t.State))
		}
	}
}

// escapeData and escapeProperty escape a workflow command's message and
// property values as the GitHub Actions toolkit does.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
