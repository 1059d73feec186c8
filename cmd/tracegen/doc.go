// Tracegen instruments Go functions with tracing spans. A developer marks a
// function with a //trace:span directive, or writes rules in tracegen.yaml
// that select functions (see Rules); tracegen rewrites the function, in
// place, so that it starts a child span from its incoming context.Context,
// passes the span's context on to the body, and finishes the span on
// return, recording a returned error and a panic (which is raised again).
//
// For example, tracegen turns
//
//	//trace:span tags=key
//	func (s *Store) Get(ctx context.Context, key string) (string, error) {
//		...
//	}
//
// into
//
//	//trace:span tags=key
//	func (s *Store) Get(ctx context.Context, key string) (_ string, err error) {
//		defer tracegen.Start(&ctx, "store.(*Store).Get").TagString("key", key).End(&err) //tracegen:generated err=unnamed
//		...
//	}
//
// and adds the import of github.com/tracegen/tracegen/runtime under a name
// that collides with nothing in the file. The result is named err because
// err is free in Get; a function that uses err itself gets tracegenErr.
// Everything it adds is marked //tracegen:generated, and the marker records
// what was named, so that a second run changes nothing, a changed directive
// updates the code, a deleted directive removes it, and strip gives back the
// original bytes. Only the changed functions and imports change; the files
// stay as goimports and gopls would have them.
//
// # Usage
//
//	tracegen [flags] [packages]
//	tracegen check [flags] [packages]
//	tracegen diff [flags] [packages]
//	tracegen strip [-d] [flags] [packages]
//	tracegen list [flags] [packages]
//	tracegen overlay [flags] [packages]
//	tracegen build|test|run|vet [go flags and arguments]
//	tracegen version
//
// Packages are named as go build takes them (./..., import paths,
// directories); none means the package in the current directory. tracegen
// works from any directory of a module or of a go.work workspace, and only
// ever writes files of the main modules (the workspace's modules); vendor/
// and testdata/ directories and generated files ("// Code generated ... DO
// NOT EDIT.") are never touched. Files excluded by the current build
// constraints are processed too, so that every build configuration is
// instrumented.
//
// tracegen with no command instruments the packages in place and brings
// stale instrumentation up to date. Each file is written atomically: a
// temporary file in the same directory is written, synced, given the
// original's permissions and renamed over it. A file that changed on disk
// since tracegen read it is not written, nor is a read-only file (nor
// anything else of its package); a symbolic link is written through, and
// owner and group are kept. After SIGINT or SIGTERM no write starts, those
// under way finish and tracegen exits 2; temporary files a killed run left
// are removed by the next. When a package has an error
// (a bad directive, a file that does not parse, a type error in a
// declaration or in a function to instrument; other function bodies are
// left to the compiler) none of its files is written, its test files and
// external test package included; other packages are.
//
// The injected code imports github.com/tracegen/tracegen/runtime. When a
// module holding instrumented code does not require it, tracegen adds the
// requirement with
// go get from the module cache, at the version matching tracegen (any
// version when go.mod replaces the runtime with a local copy), and marks it
// direct. Where that needs the network, or would raise a go line below
// 1.22, it prints the go get command to run and exits 2, as it does for the
// APIs the otel and opentracing templates import; check exits 1 while a
// requirement is missing.
//
// check writes nothing. When all instrumentation is current it prints
// nothing and exits 0; otherwise it prints each function whose
// instrumentation is missing, stale or orphaned, then a unified diff of what
// tracegen would write, and exits 1. Run it in CI.
//
// diff (or tracegen -d) prints the unified diff of what tracegen would write,
// and writes nothing. The diff's file names are a/path and b/path relative to
// the current directory, so it applies with git apply or patch -p1 there.
// (Both refuse a path with ..: a diff of ../other applies from a directory
// above both.)
//
// strip removes everything tracegen generated, including the runtime import,
// and leaves the directives; with -d it prints the diff instead.
//
// list prints every function that is or would be instrumented, one a line:
//
//	file:line:col: function [span-name] (state; reason[; note])
//
// with the span name only when it is not the function's, and where state is
// current, missing (marked, not yet instrumented), stale (instrumented
// differently from what the directive now says) or orphan (instrumented but
// no longer marked). The note says what the generated code does not do and
// why. list -json prints one JSON object per function instead (tracegen
// list -h shows the fields).
//
// tracegen -l and strip -l print the names of the files that would change,
// as gofmt -l does, and write nothing.
//
// build, test and run instrument at build time instead, never writing the
// sources: they run the go command with their arguments and a -toolexec of
// tracegen's (a small program built once into the cache folder), through
// which tracegen instruments each package of the main modules as the
// compiler is given it (type-checked against the export data of the
// build) and leaves every other package and tool alone. The main modules'
// packages get a -tracegen=KEY compiler flag, which keys the go build cache
// on the tracegen binary, the template and the rule files, and which
// tracegen removes before the compiler runs. The copies keep the sources'
// line numbers with /*line*/ comments. With coverage flags, and for vet,
// the go command is given an overlay instead (see overlay), as the cover
// tool and vet read the sources.
//
// overlay writes the instrumented copies of every package of the main
// modules to a cache folder ($TRACEGEN_CACHE/overlay, or tracegen/overlay
// in the user's cache folder) and prints the path of a file for go
// -overlay: go vet -overlay=$(tracegen overlay) ./... An unchanged tree
// reuses the last overlay.
//
// version (or -version) prints the version of the tracegen binary, from
// its build information.
//
// completion bash|zsh|fish|powershell prints a shell completion script;
// tracegen completion bash -h says how to install it.
//
// A first argument that is a bare word close to a command's name
// (tracegen chekc) is an unknown command, not a package pattern: write such
// a package ./word.
//
// # Flags
//
// Flags may be written with one dash or two, before or after the command:
//
//	-tags list
//		comma-separated build tags, as go build -tags takes them; they choose
//		the configuration that is type-checked.
//	-template name-or-file
//		the code to inject: a built-in template, tracegen (the default, which
//		calls github.com/tracegen/tracegen/runtime), opentracing
//		(github.com/opentracing/opentracing-go) or otel (the OpenTelemetry
//		API), or the path of a template file (a value containing a path
//		separator or ending in .tmpl). See package
//		github.com/tracegen/tracegen/templates for the template language. A
//		template that does not render Go statements is an error.
//	-config file
//		the rule file; by default, the tracegen.yaml at the root of each
//		package's module, if there is one.
//	-norules
//		ignore rule files: only directives select functions.
//	-v, -verbose
//		print each file written and a summary on stderr.
//	-d, -diff
//		(tracegen and strip) print a unified diff instead of writing.
//
// # Rules
//
// A rule file selects functions without a directive on each. Rules are
// tried in order; the first that selects a function gives its options:
//
//	rules:
//	  - name: store
//	    packages: ./internal/store/...
//	    receivers: "(*Store)"
//	    exported: true
//	    span: "{pkg}.{recv}.{func}"
//	    tags: [key]
//
// //trace:ignore beats every rule, and a function's own //trace:span options
// beat the rule's. Every selector and option is described in package
// github.com/tracegen/tracegen/rewrite/rules. Errors in the file are
// reported as tracegen.yaml:line:col and nothing is written; a rule that
// selects nothing is a warning. list names the rule that chose each
// function.
//
// The same check runs under go vet, go fix and golangci-lint: see package
// github.com/tracegen/tracegen/analyzer and command tracegen-vet.
//
// # Directives
//
// A directive is a line comment directly above a function declaration, after
// its doc comment if it has one, written with no space after the slashes:
//
//	//trace:span [option ...]
//	//trace:ignore
//
// The first instruments the function; the second excludes it from rules.
// Options are space separated; values may be Go double-quoted strings:
//
//	name=NAME       span name; default pkg.Func, pkg.Type.Method or pkg.(*Type).Method
//	                (generic types and functions without their type arguments)
//	tags=a,b        record these named parameters as tags (strings, numbers,
//	                bools, fmt.Stringer and error values; others are an error)
//	kind=KIND       span.kind: internal, server, client, producer or consumer
//	ifactive        start a span only if the context already carries one
//	noerror         do not record the returned error
//	root            the function has no context: start a root span
//
// The context is found by type: a parameter of type context.Context, however
// context is imported or aliased; an unnamed or _ context parameter is given
// a name. An *http.Request parameter supplies the context; a handler's
// request is replaced by one carrying the span, so the handler body sees it.
// A marked function with neither is an error (check fails), unless the root
// option asks for a root span.
//
// An unknown directive in the trace: namespace, an unknown option, a repeated
// option or an option that does not apply (tags naming a missing parameter,
// root on a function that has a context) is an error at file:line:col. A
// comment that looks meant as a directive but is not one (// trace:span,
// //trace: span, //tracespan) gets a warning saying how to write it, and
// is ignored.
//
// # Output and exit status
//
// Problems are printed on stderr as file:line:col: message, all of them, with
// file names relative to the current directory; warnings say "warning:".
// The exit status is 0 when all went well, 1 when check found files that are
// not current, and 2 on errors.
//
// # go generate
//
// With tracegen recorded as a tool of the module:
//
//	go get -tool github.com/tracegen/tracegen/cmd/tracegen
//
// a package instruments itself when go generate runs, with this line in any
// of its files:
//
//	//go:generate go tool tracegen
//
// Without the tool directive, use go run, which builds the version the
// module requires:
//
//	//go:generate go run github.com/tracegen/tracegen/cmd/tracegen
//
// go generate runs the command in the package's directory, so tracegen
// instruments that package.
//
// # Example
//
// From a clone of the repository, instrument the example program and run it
// to see its spans printed as a tree:
//
//	go run ./cmd/tracegen ./examples/shop && go run ./examples/shop
//
// and give it back its original source with
//
//	go run ./cmd/tracegen strip ./examples/shop
package main
