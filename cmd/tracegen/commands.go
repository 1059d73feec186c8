package main

import (
	"bytes"
	"errors"
	"fmt"
	"go/token"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	"github.com/rogpeppe/go-internal/diff"
	"github.com/spf13/cobra"

	"github.com/tracegen/tracegen/internal/atomicfile"
	"github.com/tracegen/tracegen/rewrite"
	"github.com/tracegen/tracegen/templates"
)

// compute runs the rewriter, and returns its result with the template it
// used.
func compute(o *options, patterns []string, mode rewrite.Mode) (*rewrite.Result, *templates.Template, error) {
	cfg, err := o.config(patterns, mode)
	if err != nil {
		return nil, nil, err
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
	res, tmpl, err := compute(o, patterns, mode)
	if err != nil {
		return err
	}
	if len(res.Unresolved) > 0 && !o.diff && mode == rewrite.Apply {
		if !addRequirements(stderr, o.verbose, res.Unresolved) {
			return exitCodeError{exitError}
		}
		if res, tmpl, err = compute(o, patterns, mode); err != nil {
			return err
		}
	}
	printDiagnostics(stderr, res.Diagnostics)
	failed := res.HasErrors()
	if o.diff {
		writeDiffs(cmd.OutOrStdout(), res.Files)
	} else if len(res.Files) > 0 {
		roots, err := moduleRoots()
		if err != nil {
			return err
		}
		if !writeFiles(cmd, o, roots, res.Files) {
			failed = true
		} else if mode == rewrite.Apply {
			missing, err := findMissingImports(modulesOf(roots, res.Files), tmpl)
			if err != nil {
				return err
			}
			if !addRequirements(stderr, o.verbose, missing) {
				failed = true
			}
		}
	}
	if o.verbose {
		printSummary(stderr, res, mode, o.diff)
	}
	if failed {
		return exitCodeError{exitError}
	}
	return nil
}

// writeFiles writes files atomically, refusing any file outside the loaded
// modules or changed on disk since the rewriter read it. It reports whether
// every file was written; failures are printed on stderr.
func writeFiles(cmd *cobra.Command, o *options, roots []string, files []rewrite.File) bool {
	stderr := cmd.ErrOrStderr()
	dir := wd()
	// Each file is replaced on its own (atomicfile syncs it before the
	// rename); several at once, since most of the time is the syncs'.
	errs := make([]error, len(files))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i, f := range files {
		if !insideAny(roots, f.Path) {
			errs[i] = errNotLoaded
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			errs[i] = atomicfile.Replace(f.Path, f.Old, f.New)
		}()
	}
	wg.Wait()
	ok := true
	for i, f := range files {
		name := shortPath(dir, f.Path)
		switch err := errs[i]; {
		case err == errNotLoaded:
			fmt.Fprintf(stderr, "%s: not in a loaded module; not written\n", name)
		case errors.Is(err, atomicfile.ErrChanged):
			fmt.Fprintf(stderr, "%s: %v; not written\n", name, atomicfile.ErrChanged)
		case err != nil:
			fmt.Fprintf(stderr, "%s: %v\n", name, err)
		case o.verbose:
			fmt.Fprintf(stderr, "wrote %s\n", name)
		}
		ok = ok && errs[i] == nil
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
		return nil, fmt.Errorf("go list -m: %v: %s", err, strings.TrimSpace(stderr.String()))
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
	for _, t := range res.Targets {
		fmt.Fprintln(cmd.OutOrStdout(), targetLine(dir, t))
	}
	if failed {
		return exitCodeError{exitError}
	}
	return nil
}

// targetLine formats t as file:line:col: func span-name (state; reason).
// An orphan has no span name, shown as "-".
func targetLine(dir string, t rewrite.Target) string {
	span := t.SpanName
	if span == "" {
		span = "-"
	}
	return fmt.Sprintf("%s: %s %s (%s; %s)", shortPosition(dir, t.Pos), t.Func, span, t.State, t.Reason)
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

// shortPath returns path relative to dir as ./rel when it is inside dir,
// the way the go command prints file names, and path itself otherwise.
func shortPath(dir, path string) string {
	if dir == "" || !filepath.IsAbs(path) {
		return path
	}
	rel, err := filepath.Rel(dir, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return path
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
