package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/tracegen/tracegen/rewrite"
	"github.com/tracegen/tracegen/templates"
)

// Exit codes, as Go's own tools use them.
const (
	exitOK      = 0 // nothing to report
	exitChanged = 1 // check found files that are not current
	exitError   = 2 // diagnostics or a failure
)

// exitCodeError ends a command with an exit code and no further message;
// the command printed what it had to say.
type exitCodeError struct{ code int }

func (e exitCodeError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// run runs the tracegen command line with args and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == toolexecArg {
		return toolexec(args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == buildArg {
		return buildTool(args[1:], stdout, stderr)
	}
	cmd := newRootCmd()
	cmd.SetArgs(goStyleFlags(args, longFlags(cmd)))
	cmd.SetOut(stdout)
	cmd.SetErr(stderr)
	err := cmd.Execute()
	var exit exitCodeError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &exit):
		return exit.code
	}
	fmt.Fprintf(stderr, "tracegen: %v\n", err)
	return exitError
}

// goStyleFlags lets long flags be written with one dash, as Go's tools
// take them (-tags, -template), by doubling the dash for cobra.
func goStyleFlags(args []string, long map[string]bool) []string {
	out := make([]string, 0, len(args))
	for i, a := range args {
		if a == "--" {
			return append(out, args[i:]...)
		}
		name, _, _ := strings.Cut(strings.TrimPrefix(a, "-"), "=")
		if strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && len(name) > 1 && long[name] {
			a = "-" + a
		}
		out = append(out, a)
	}
	return out
}

// longFlags are the names of the flags of cmd and its subcommands that are
// longer than a letter.
func longFlags(cmd *cobra.Command) map[string]bool {
	names := map[string]bool{"help": true, "version": true} // cobra adds them when it runs
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		for _, fs := range []*pflag.FlagSet{c.Flags(), c.PersistentFlags()} {
			fs.VisitAll(func(f *pflag.Flag) {
				if len(f.Name) > 1 {
					names[f.Name] = true
				}
			})
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(cmd)
	return names
}

// options are the flags every command shares.
type options struct {
	tags      string
	template  string
	rulesFile string // -config: the rule file; "" for each module's tracegen.yaml
	noRules   bool
	verbose   bool
	diff      bool
	listOnly  bool   // -l: print the names of the files that would change
	json      bool   // list -json
	format    string // check -format

	cpuprofile string
}

func (o *options) addFlags(cmd *cobra.Command) {
	f := cmd.PersistentFlags()
	f.StringVar(&o.tags, "tags", "", "comma-separated build tags, as go build -tags takes them")
	f.StringVar(&o.template, "template", templates.Default,
		"template for the injected code: a built-in name ("+strings.Join(templates.Names, ", ")+") or a template file path")
	f.StringVar(&o.rulesFile, "config", "", "rule `file` selecting functions to trace (default: tracegen.yaml at each module's root, if any)")
	f.BoolVar(&o.noRules, "norules", false, "ignore rule files: only //trace: directives select functions")
	f.BoolVarP(&o.verbose, "verbose", "v", false, "print the files written and a summary on stderr")
}

// config builds the rewrite configuration for patterns.
func (o *options) config(patterns []string, mode rewrite.Mode) (rewrite.Config, error) {
	tmpl, err := loadTemplate(o.template)
	if err != nil {
		return rewrite.Config{}, err
	}
	return rewrite.Config{Dir: wd(), Patterns: orDot(patterns), Tags: o.tagList(), Template: tmpl, Mode: mode,
		RulesFile: o.rulesFile, NoRules: o.noRules}, nil
}

// tagList is -tags as a list.
func (o *options) tagList() []string {
	return strings.FieldsFunc(o.tags, func(r rune) bool { return r == ',' || r == ' ' })
}

// orDot is patterns, or "." when there are none.
func orDot(patterns []string) []string {
	if len(patterns) == 0 {
		return []string{"."}
	}
	return patterns
}

// loadTemplate takes a built-in template's name, or a file's path: a value
// with a path separator or a .tmpl suffix is a file.
func loadTemplate(v string) (*templates.Template, error) {
	if isTemplateFile(v) {
		return templates.ParseFile(v)
	}
	return templates.Builtin(v)
}

func newRootCmd() *cobra.Command {
	o := &options{}
	cmd := &cobra.Command{
		Use:   "tracegen [flags] [packages]",
		Short: "Instrument Go functions marked //trace:span with tracing spans",
		Long: `tracegen instruments, in place, every function of the named packages that
carries a //trace:span directive, and brings stale instrumentation up to date.
Packages are named as go build takes them; none means the current directory.
Run "go doc github.com/tracegen/tracegen/cmd/tracegen" for the manual.`,
		Example: `  tracegen ./...               instrument every package of the module
  tracegen -d ./store          show what would change, write nothing
  tracegen -tags=integration .
  tracegen --template otel ./...`,
		Args:          cobra.ArbitraryArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				if err := commandTypo(cmd, args[0]); err != nil {
					return err
				}
			}
			return applyCmd(cmd, o, args, rewrite.Apply)
		},
		Version: versionString(),
	}
	cmd.SuggestionsMinimumDistance = 2
	cmd.SetVersionTemplate("{{.Version}}\n")
	cmd.SetFlagErrorFunc(flagError)
	o.addFlags(cmd)
	// -cpuprofile, as Go's tools have it, for finding where the time goes.
	cmd.PersistentFlags().StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile to `file`")
	cmd.PersistentFlags().MarkHidden("cpuprofile")
	cmd.PersistentPreRunE = func(*cobra.Command, []string) error {
		if o.cpuprofile == "" {
			return nil
		}
		f, err := os.Create(o.cpuprofile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		cobra.OnFinalize(func() { pprof.StopCPUProfile(); f.Close() })
		return nil
	}
	cmd.Flags().BoolVarP(&o.diff, "diff", "d", false, "print a unified diff of the changes instead of writing them")
	cmd.Flags().BoolVarP(&o.listOnly, "l", "l", false, "print the names of the files that would change instead of writing them, as gofmt -l")
	cmd.AddCommand(
		newCheckCmd(o),
		newDiffCmd(o),
		newStripCmd(o),
		newListCmd(o),
		newOverlayCmd(o),
		newGoCmd(o, "build"),
		newGoCmd(o, "test"),
		newGoCmd(o, "run"),
		newGoCmd(o, "vet"),
		newVersionCmd(),
	)
	return cmd
}

func newCheckCmd(o *options) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "check [packages]",
		Short: "Fail if any instrumentation is missing or stale (for CI)",
		Long: `check computes what tracegen would write and writes nothing. When every file is
current it prints nothing and exits 0. Otherwise it prints each function whose
instrumentation is missing, stale or orphaned, then a unified diff, and exits 1.
Errors exit 2.`,
		Example:       "  tracegen check ./...",
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return checkCmd(cmd, o, args)
		},
	}
	cmd.Flags().StringVar(&o.format, "format", "text", "also print GitHub Actions annotations with github")
	return cmd
}

func newDiffCmd(o *options) *cobra.Command {
	return &cobra.Command{
		Use:           "diff [packages]",
		Short:         "Print the changes tracegen would make as a unified diff",
		Long:          "diff prints the changes that tracegen [packages] would write as a unified diff, and writes nothing. It is the same as tracegen -d.",
		Example:       "  tracegen diff ./...\n  tracegen diff ./... | git apply",
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.diff = true
			return applyCmd(cmd, o, args, rewrite.Apply)
		},
	}
}

func newStripCmd(o *options) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "strip [packages]",
		Short: "Remove all instrumentation tracegen generated",
		Long: `strip removes every statement and import tracegen generated, giving back the
source as it was before tracegen ran. Directives stay, so tracegen can apply
them again.`,
		Example:       "  tracegen strip ./...\n  tracegen strip -d ./store",
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return applyCmd(cmd, o, args, rewrite.Strip)
		},
	}
	cmd.Flags().BoolVarP(&o.diff, "diff", "d", false, "print a unified diff of the changes instead of writing them")
	cmd.Flags().BoolVarP(&o.listOnly, "l", "l", false, "print the names of the files that would change instead of writing them, as gofmt -l")
	return cmd
}

func newListCmd(o *options) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "list [packages]",
		Short: "List every function that is or would be instrumented",
		Long: `list prints one line for every function that is instrumented or would be:

	file:line:col: function [span-name] (state; reason[; note])

The span name is printed when it differs from the function's name. The
state is current, missing, stale or orphan (instrumented but no longer
marked, so tracegen would remove the instrumentation). The note says what
the generated code does not do, and why (a context it does not rebind).

With -json, list prints one JSON object per function instead:

	{"file": "./app.go", "line": 12, "column": 6, "function": "app.Get",
	 "span": "app.Get", "state": "missing", "reason": "//trace:span directive",
	 "rule": "", "note": "", "options": ["kind=client"]}

span is "" for an orphan; rule names the rule of tracegen.yaml that selected
the function (its name, or #N), "" for none; options are the directive's, as
written, or the rule's, written as a directive's.`,
		Example:       "  tracegen list ./...\n  tracegen list -json ./... | jq -r 'select(.state != \"current\") | .file'",
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return listCmd(cmd, o, args)
		},
	}
	cmd.Flags().BoolVar(&o.json, "json", false, "print one JSON object per function")
	return cmd
}

// commandTypo returns an error when word, the first package pattern, is a
// bare word close to a command's name: "tracegen chekc ./..." must not
// instrument anything. A package of such a name is written ./word.
func commandTypo(cmd *cobra.Command, word string) error {
	if strings.ContainsAny(word, `./\`) {
		return nil
	}
	s := cmd.SuggestionsFor(word)
	if len(s) == 0 {
		return nil
	}
	return fmt.Errorf("unknown command %q for %q\n\nDid you mean this?\n\t%s\n\nTo name a package %s, write ./%[4]s", word, cmd.Name(), strings.Join(s, "\n\t"), word)
}

// flagError words an unknown flag as Go's flag package does.
func flagError(cmd *cobra.Command, err error) error {
	msg := err.Error()
	name := ""
	if n, ok := strings.CutPrefix(msg, "unknown flag: "); ok {
		name = n
	} else if _, arg, ok := strings.Cut(msg, "unknown shorthand flag: "); ok {
		if _, a, ok := strings.Cut(arg, " in "); ok {
			name = a
		}
	}
	if name == "" {
		return err
	}
	return fmt.Errorf("flag provided but not defined: -%s\nrun '%s -help' for usage", strings.TrimLeft(name, "-"), cmd.CommandPath())
}

func newVersionCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:           "version",
		Short:         "Print tracegen's version",
		Example:       "  tracegen version\n  tracegen -version",
		Args:          cobra.NoArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintln(cmd.OutOrStdout(), versionString())
			return nil
		},
	}
	// The flags of the other commands do nothing here: only its own are
	// listed.
	cmd.SetUsageTemplate(`Usage:
  {{.UseLine}}{{if .HasExample}}

Examples:
{{.Example}}{{end}}

Flags:
{{.LocalFlags.FlagUsages | trimTrailingWhitespaces}}
`)
	return cmd
}

// versionString describes the running binary from its build information.
func versionString() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "tracegen (unknown version)"
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	s := "tracegen " + v
	var rev, modified string
	for _, kv := range bi.Settings {
		switch kv.Key {
		case "vcs.revision":
			rev = kv.Value
		case "vcs.modified":
			if kv.Value == "true" {
				modified = "+dirty"
			}
		}
	}
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		s += " " + rev + modified
	}
	return s + " " + bi.GoVersion
}

// wd is the directory paths are printed relative to.
func wd() string {
	d, _ := os.Getwd()
	return d
}
