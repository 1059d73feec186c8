// Package runtime is the tracing API that code instrumented by tracegen calls,
// and a complete Go rendering of the OpenTracing API for code written by hand.
//
// Import it under the name tracegen, as the generated code does:
//
//	import tracegen "github.com/tracegen/tracegen/runtime"
//
// # Concepts
//
// A [Tracer] starts [Span]s. A span has an operation name, a start and finish
// time, tags, logs and baggage, and a [SpanContext] that identifies it and
// travels to other processes through [Tracer.Inject] and [Tracer.Extract].
// Spans refer to earlier spans with [ChildOf] and [FollowsFrom] references.
//
// Inside a process, the active span travels in a [context.Context]:
// [ContextWithSpan] stores it, [SpanFromContext] reads it and
// [StartSpanFromContext] starts a child of it. This is Go's counterpart of
// OpenTracing's ScopeManager and request-local storage.
//
// # The global tracer
//
// [GlobalTracer] is a [NoopTracer] until [SetGlobalTracer] installs a real
// one. Tracers and spans obtained before that keep working: GlobalTracer
// returns a handle that always delegates to the tracer installed now.
//
// # Generated code
//
// tracegen injects one statement at the top of each traced function:
//
//	defer tracegen.Start(&ctx, "store.(*Store).Get").End(&err) //tracegen:generated
//
// [Start] starts a child of the span in ctx and stores the new span in ctx,
// so callees see it; [Scope.End] finishes it, recording a returned error and
// a panic, which it re-raises. With no tracer installed, Start and End do
// almost nothing and allocate nothing. A function whose callers would see
// its context change (it returns, stores or compares it) gets [StartFrom],
// which leaves ctx alone; an HTTP handler gets [StartRequest], which gives
// its request the span, and any other function taking a request
// [StartFromRequest], which leaves it alone.
//
// Sub-packages: log holds typed log fields; ext the standard tag names;
// mocktracer a tracer for tests; harness a compliance suite for any Tracer.
package runtime
