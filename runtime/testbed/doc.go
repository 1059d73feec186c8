// Package testbed holds the OpenTracing testbed scenarios, rewritten as Go
// tests against tracegen's runtime and its mock tracer. It has no API; read
// the tests. Each asserts the tree of finished spans (see spanTree) and
// passes under go test -race.
//
// OpenTracing's testbeds (opentracing-python's testbed directory and
// opentracing-java's opentracing-testbed) show how an active span survives
// threads, executors, callbacks and coroutines, with a ScopeManager that
// activates and deactivates spans. Go has no thread-local active span: the
// active span lives in a context.Context, which is passed on explicitly, is
// immutable, and so never needs restoring. That makes most scenarios
// shorter in Go, and a few of their problems disappear.
//
//   - Active span replacement: a goroutine starts its own span, does some
//     work for a span started elsewhere, finishes that span, and goes on
//     under its own. Go idiom: derive a context holding the other span for
//     that work only; the goroutine's own ctx still holds its span, so
//     there is nothing to restore.
//   - Client-server: a client sends a message over a channel to a server
//     goroutine. Go idiom: a context cannot cross the channel, so the span
//     context travels in the message, injected in the TextMap format into
//     a TextMapCarrier and extracted on the other side as the parent of the
//     server span (ext.RPCServerOption).
//   - Common request handler: one handler, like web middleware, starts a
//     span before each request and finishes it after, from different
//     goroutines, for concurrent requests. Go idiom: the span lives in the
//     request's own state, never in the shared handler, and the parent
//     comes from the request's context. The reference's workaround, a
//     parent fixed per handler, is kept to show why it is wrong: a later
//     request is still made its child.
//   - Late span finish: a parent span whose lifetime is not tied to its
//     children; subtasks in goroutines start children of it through the
//     generated code (tracegen.Start), and the caller finishes it after
//     they are done. Go idiom: pass the context; a sync.WaitGroup waits.
//   - Listener per request: each request gets its own listener holding the
//     request's span, which finishes the span when the response arrives in
//     another goroutine. Go idiom: the span is a field of the listener,
//     no context lookup needed.
//   - Multiple callbacks: one span covers several asynchronous callbacks,
//     each with a child span, and finishes when the last is done. Go idiom:
//     a sync.WaitGroup counts the pending callbacks and one more goroutine
//     finishes the span after Wait; the reference's hand-made reference
//     count on the span is not needed.
//   - Nested callbacks: a chain of callbacks, each started by the one
//     before in a new goroutine, tags one span; the last finishes it, fire
//     and forget. Go idiom: each callback receives the context and finds
//     the span with tracegen.SpanFromContext.
//   - Subtask span propagation: a parent task starts a child task in a
//     goroutine and waits for its result; both are traced through the
//     generated code. Go idiom: the child gets ctx as its argument, so its
//     span is the parent's child with no activation at all.
//
// Scenarios written with the generated-code API install the mock tracer
// globally and run one at a time; the others give their own tracer
// explicitly and run in parallel.
package testbed
