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
// root on a function that has a context) is an error at file:line:col.
package rewrite
