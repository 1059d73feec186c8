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
// trace:span instruments the function; trace:ignore excludes it from rules.
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
//	func (s *Store) Get(ctx context.Context, key string) (_ string, tracegenErr error) {
//		defer tracegen.Start(&ctx, "store.(*Store).Get").TagString("key", key).End(&tracegenErr) //tracegen:generated
//		...
//
// Multi-statement templates mark their last statement the same way; the
// generated block runs from the first statement of the body through the
// marked line. A body that was on one line is marked "//tracegen:generated
// oneline" so that strip can put it back on one line.
//
// The context parameter is found by type (context.Context however it is
// imported or aliased; the first if there are several). Without one, an
// *http.Request parameter is used: tracegen.StartRequest(&r, ...) starts the
// span from the request and re-binds r to carry it. root starts a root span,
// tracegen.Start(nil, ...).
//
// The returned error is recorded through a named result: the last result of
// type error. Unnamed results are named, _ for the others and tracegenErr for
// the error; a result named _ becomes _tracegenErr. Unnamed or _ context and
// request parameters get tracegenCtx, _tracegenCtx, tracegenReq or
// _tracegenReq the same way. A number is appended when the name is taken in
// the function. Names matching ^_?tracegen(Err|Ctx|Req)\d*$ are reserved:
// strip turns them back into what they were, which is how it restores the
// original bytes. Because the error result is named with a reserved name,
// code that declares its own err, shadows it or uses bare returns is
// unaffected.
//
// The runtime package is imported under a name no identifier in the file or
// the package uses (tracegen, tracegen2, ...), on a line of its own marked
// //tracegen:generated: in a separate group at the end of the last
// parenthesised import declaration, or as its own declaration. Strip removes
// it when nothing else uses the name.
//
// # Exactness
//
// Rewriting is done by text edits at positions from go/parser, so every byte
// outside the edits is kept: comments, directives, build constraints and
// //go:generate lines. A gofmt-clean file stays gofmt-clean (the result is
// run through go/format); a file that was not is edited without
// reformatting. Apply starts from the stripped file, so applying twice
// changes nothing, a changed directive or a renamed function updates the
// generated code (Stale), and a deleted directive removes it (Orphan).
// strip(apply(x)) == x byte for byte for gofmt-clean x that does not use the
// reserved names or the //tracegen: comment namespace.
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
// does, and the main modules' packages are type-checked from source in
// parallel. Files that contain neither "//trace:" nor "//tracegen:generated"
// are type-checked without function bodies, since only declarations are
// needed from them, and are not rewritten.
package rewrite
