// Package templates holds the code tracegen injects into a traced function,
// as text/template files, and parses user-supplied ones.
//
// The built-in templates are "tracegen" (the default; it calls
// github.com/tracegen/tracegen/runtime), "opentracing" (opentracing-go) and
// "otel" (the OpenTelemetry API). Get one with [Builtin]; read a user's
// template with [ParseFile].
//
// # Template files
//
// A template file starts with zero or more import lines, one per package the
// injected code uses, each naming the identifier the template refers to it by
// and the import path:
//
//	//import tracegen "github.com/tracegen/tracegen/runtime"
//
// The rest is a text/template that renders one or more Go statements. They
// become the first statements of the function's body; the rewriter marks the
// last line with //tracegen:generated, which is how later runs find, update
// and remove the code. Render complete statements only: the block runs from
// the first body statement through the marked line.
//
// # Data
//
// The template executes with a [Data] value:
//
//	.SpanName   the span's name, unquoted (use the quote function)
//	.PkgPath    the import path of the function's package
//	.PkgName    the package's name
//	.Func       the function's display name, e.g. store.(*Store).Get
//	.Ctx        the context.Context parameter to start from, "" for a root
//	            span or when .Req is set; it may be nil, and must then stay
//	            nil
//	.Req        the *http.Request parameter whose context is used, "" if
//	            none; it may be nil
//	.Rebind     whether the code may give .Ctx (or .Req) a new value that
//	            carries the span. It is false when the function's caller
//	            could see the difference: the function returns, stores,
//	            sends or compares the context or a value built from it
//	            (tracegen list says which), or .Req is not the request of
//	            an HTTP handler (a function with an http.ResponseWriter
//	            parameter too). The span then starts from the context
//	            without replacing it.
//	.Err        the named error result to record, "" when not recorded
//	.Tags       the parameters to record, in directive order: each has
//	            .Key (the parameter's name), .Expr (the parameter),
//	            .Kind (string, int, uint, float, bool, stringer or error) and
//	            .Value (.Expr converted to string, int64, uint64, float64,
//	            bool, fmt.Stringer or error as .Kind says)
//	.Kind       span kind: "", internal, server, client, producer, consumer
//	.IfActive   start a span only if the context already carries one
//	.Import     map from each import line's identifier to the name the
//	            package has in the file (e.g. {{index .Import "tracegen"}}
//	            or {{.Import.tracegen}}); it differs when the file already
//	            uses the identifier
//
// Functions: quote (strconv.Quote), title (first letter upper case) and
// unsupported, which fails rendering with "option X is not supported by
// template T" so a template can refuse options it cannot honour.
//
// Local names the code declares should start with tracegen (tracegenSpan),
// a prefix reserved for generated code.
package templates
