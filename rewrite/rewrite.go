package rewrite

import (
	"fmt"
	"go/token"
)

// Mode says what Run computes.
type Mode int

const (
	// Apply instruments every marked function and brings stale
	// instrumentation up to date.
	Apply Mode = iota
	// Strip removes all instrumentation tracegen generated.
	Strip
)

// Config says which packages to load and what to do with them.
type Config struct {
	// Dir is the directory the package patterns are resolved from; "" is
	// the current directory.
	Dir string

	// Patterns are package patterns as go build takes them; none means ".".
	Patterns []string

	// Tags are extra build tags, as -tags takes them.
	Tags []string

	// Template renders the injected code; nil means the built-in default.
	// It is a *templates.Template.
	Template any

	Mode Mode

	// Emit, when set, is given each changed file as soon as its package
	// is done, if the package has no error, so that a caller can write it
	// and the run need not hold every file: Result.Files then lists only
	// the files' paths. Calls come one at a time. Files are held, and
	// Emit is not called, when Result.Unresolved is not empty: instrumented
	// packages cannot be checked then, and the caller will run again.
	Emit func(File)

	// RulesFile is the rule file (see package rules) whose rules select
	// functions of every package, relative package patterns starting at its
	// directory. "" means the tracegen.yaml at the root of each package's
	// module, if there is one.
	RulesFile string

	// NoRules ignores rule files: only directives select functions.
	NoRules bool

	// NoTargets leaves Result.Targets empty, for callers that do not need
	// them: a run then holds nothing for each function it sees.
	NoTargets bool
}

// Result is what Run computed.
type Result struct {
	// Files lists the files whose contents change, in path order.
	Files []File

	// Targets lists every function that is or would be instrumented.
	Targets []Target

	// Diagnostics are the problems found, in file order. Files of a package
	// with an error diagnostic are not in Files.
	Diagnostics []Diagnostic

	// Unresolved lists the template's imports that packages of the main
	// modules import but whose modules do not provide: instrumented code
	// whose module lacks the requirement. Type-checking such a package
	// fails with "could not import", among the Diagnostics.
	Unresolved []Unresolved

	// Held says Config.Emit was not called: Files holds the changed files
	// whole, for the caller to write. Emit is held when Unresolved is not
	// empty, and when rules with tags must first see every function.
	Held bool
}

// Unresolved is an import of the template that a main module cannot
// resolve.
type Unresolved struct {
	ModuleDir string // the main module's directory
	Path      string // the import path
}

// File is one changed file.
type File struct {
	Path     string // absolute path
	Old, New []byte

	// Edits make New from Old: sorted, not overlapping, one for each
	// function and one for each change to the imports.
	Edits []Edit
}

// TargetState says whether a target's instrumentation is current.
type TargetState int

const (
	Current TargetState = iota // instrumented as the directive says
	Missing                    // marked but not instrumented
	Stale                      // instrumented, but not as the directive now says
	Orphan                     // instrumented, but no longer marked
)

func (s TargetState) String() string {
	switch s {
	case Current:
		return "current"
	case Missing:
		return "missing"
	case Stale:
		return "stale"
	case Orphan:
		return "orphan"
	}
	return fmt.Sprintf("TargetState(%d)", int(s))
}

// Target is one function that is or would be instrumented.
type Target struct {
	Pos       token.Position // the function's name
	Directive token.Position // the //trace:span comment; zero for an Orphan
	Func      string         // display name, e.g. store.(*Store).Get
	SpanName  string
	Reason    string // why it is selected, e.g. "//trace:span directive" or "rule store"
	Rule      string // the rule that selected it, by name or #N; "" for none
	State     TargetState

	// Options are the directive's options as written (kind=client).
	Options []string

	// Note says what the generated code does not do, and why: that it
	// starts the span without rebinding the context, which the function
	// returns or stores, say. Empty when there is nothing to say.
	Note string
}

// Severity of a diagnostic.
type Severity int

const (
	Error Severity = iota
	Warning
)

// Diagnostic is a problem at a position.
type Diagnostic struct {
	Pos      token.Position
	Severity Severity
	Message  string
}

// String formats d as file:line:col: message, as Go's tools do.
func (d Diagnostic) String() string {
	return fmt.Sprintf("%s: %s", d.Pos, d.Message)
}

// HasErrors reports whether any diagnostic is an error.
func (r *Result) HasErrors() bool {
	for _, d := range r.Diagnostics {
		if d.Severity == Error {
			return true
		}
	}
	return false
}
