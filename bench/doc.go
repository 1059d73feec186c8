// Package bench measures what tracing costs a traced function, with
// tracegen's runtime and with the tracing APIs it is compared with.
//
// It is a module of its own so that the peers it imports (opentracing-go,
// OpenTelemetry) never become dependencies of the runtime package, which
// keeps to the standard library. The package holds only benchmarks:
//
//   - noop_test.go: a span started and finished around the same function
//     body by tracegen's generated code with no tracer installed, by
//     opentracing-go's NoopTracer and by OpenTelemetry's noop tracer, next
//     to the uninstrumented function as the floor; with nothing in the
//     context (parent=none), with a span of the same noop tracer
//     (parent=local), and with what each library extracts from an incoming
//     request carrying a W3C traceparent (parent=remote).
//   - mock_test.go: the same generated code with tracegen's mock tracer
//     installed globally, next to opentracing-go's mock tracer.
//   - pgx_test.go: what pgx's connection code pays for a context that is
//     not context.Background, as a function instrumented with a tracer
//     installed passes on where its caller passed Background (pgx skips
//     its context watcher for Background alone).
//
// Each benchmark is named Benchmark<Group>/parent=<p>/impl=<i>, so that
// benchstat can put the implementations side by side. run.sh runs them all
// in one process with -count=10 and prints the benchstat tables and the
// ratios of tracegen's medians to each peer's:
//
//	cd bench && ./run.sh
//
// The targets for the noop path are zero allocations and at most
// one fifth of the time of each noop peer.
package bench
