// Package rewrite finds the functions marked for tracing in Go packages and
// computes their instrumented (or stripped) source. It never writes files:
// Run returns the new contents and diagnostics, and the caller decides
// whether to write them, print a diff or fail a check.
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
//	tags=a,b        record these named parameters as tags (strings, numbers,
//	                bools, fmt.Stringer and error values; others are an error)
//	kind=KIND       span.kind: internal, server, client, producer or consumer
//	ifactive        start a span only if the context already carries one
//	noerror         do not record the returned error
//	root            the function has no context: start a root span
//
// An unknown directive in the trace: namespace, an unknown option, a repeated
// option or an option that does not apply (tags naming a missing parameter,
// root on a function that has a context) is an error at file:line:col, as is
// a directive that is not directly above a function declaration (closures
// are not targets) or one on a function without a body. A function with
// neither a context.Context nor an *http.Request parameter and no root option
// gets a warning and is left alone.
//
// # What is generated
//
// With the default template a traced function gets one statement, first in
// its body, ending with a //tracegen:generated comment:
//
//	func (s *Store) Get(ctx context.Context, key string) (_ string, err error) {
//		defer tracegen.Start(&ctx, "store.(*Store).Get").TagString("key", key).End(&err) //tracegen:generated err=unnamed
//		...
//
// Multi-statement templates mark their last statement the same way; the
// generated block runs from the first statement of the body through the
// marked line.
//
// The context parameter is found by type (context.Context however it is
// imported or aliased; the first if there are several). Without one, an
// *http.Request parameter is used: tracegen.StartRequest(&r, ...) starts the
// span from the request and re-binds r to carry it. root starts a root span,
// tracegen.Start(nil, ...).
//
// The returned error is recorded through a named result: the last result of
// type error. A context, request or error that the template uses and that
// has no name (or is _) gets one: ctx, r or err when that name appears
// nowhere in the function, else tracegenCtx, tracegenReq or tracegenErr
// (numbered if need be). A function that declares its own err thus keeps
// it, and no deferred closure or bare return changes meaning. Naming one
// field of an unnamed list names the others _. A template that does not use
// a field (an error it does not record) names nothing.
//
// The marker records what strip must undo besides removing the code:
//
//	//tracegen:generated [oneline] [NAME=_ | NAME=unnamed]...
//
// oneline says the body was on one line; NAME=_ that the parameter or
// result now called NAME was _; NAME=unnamed that it, and the others of its
// list, had no names.
//
// The runtime package is imported under a name no identifier in the file or
// the package uses (tracegen, tracegen2, ...), marked //tracegen:generated:
// as a group of its own at the end of the last import block (standard
// library imports of a template in a group before the others, as goimports
// groups them), or, in a file with single import declarations only, in a
// block made of the last one and marked "joined", so that goimports and
// gopls, which merge import declarations, leave the file alone. A file
// without imports gets a declaration of its own. Strip removes an import of
// a template's package that nothing else uses, marked or not (an import
// tool may have dropped the marker), turns a joined block back into the
// single declaration, and removes a marker a tool left on a line of its own.
//
// # Exactness
//
// Each function with a directive or generated code is rewritten with dst
// (github.com/dave/dst) on its own: its text from the func keyword is
// parsed and decorated, so that every comment is attached to a node and
// moves with it, changed (generated statements removed and inserted,
// fields named and unnamed, a one-line body laid out on lines), printed,
// and spliced back as one edit. Of a body on several lines only the part a
// change at its top can reach is taken: the generated statements and the
// statements after them that gofmt may align with them (those starting on
// the next line with a comment on their line); the rest of the body keeps
// its bytes. Imports and stray markers are text edits. Nothing outside the
// changed functions and imports moves, gofmt-clean or not; there is no
// whole-file format pass.
//
// Before returning a file, the rewriter checks its promises: the edits do
// not overlap and lie in functions, imports or marker lines, the imports
// still parse, and the comments the edits replaced are the comments they
// bring, markers aside. A failure is an internal error diagnostic, and the
// file is not changed. Apply starts from the stripped function, so applying
// twice changes nothing, a changed directive or a renamed function updates
// the generated code (Stale), and a deleted directive removes it (Orphan).
// A function whose generated code, names and marker are already what
// apply would produce is recognised without dst. strip(apply(x)) == x byte
// for byte for gofmt-clean x that does not use the reserved names or the
// //tracegen: comment namespace, and has no empty statement ("{ ; x }") in
// a one-line body of a traced function; FuzzRewrite checks all of this.
//
// # Edits
//
// Each File of a Result carries its Edits: sorted, non-overlapping byte
// ranges of the old contents with their new text, one per function and one
// per import change. RewritePackage computes them for a package another
// driver parsed and type-checked (a go/analysis pass, say), without loading
// anything.
//
// Generated files (// Code generated ... DO NOT EDIT.), files in vendor or
// testdata directories and files outside the main module (or workspace
// modules) are never changed. Files excluded by build constraints are
// rewritten too, using the syntax alone for types: context.Context and
// *http.Request are recognised through the file's imports, and only tags of
// predeclared types can be recorded there. A cgo file is rewritten in its
// original form, with types from cgo's output.
//
// # Cost
//
// Packages are listed once with go/packages (go list, no compiling);
// dependencies outside the main modules are read from export data, as go vet
// does, and the main modules' packages are type-checked from source, each
// file read once, GOMAXPROCS at a time, depth first. Of the function
// bodies, only those of the functions to rewrite are checked, for the
// rewriter follows their contexts; an error in another body is the
// compiler's to report. Files that contain neither "//trace:" nor
// "//tracegen:generated" are not rewritten, and their statements are
// dropped once parsed. A package is rewritten as soon as it is checked;
// then its syntax and type information go, and its types once the
// packages importing it are checked. With Config.Emit, its
// changed files go to the caller there and then. Memory thus follows the
// largest packages, not the module.
package rewrite
