// Package opentracing bridges tracegen and opentracing-go
// (github.com/opentracing/opentracing-go) in both directions.
//
// Wrap makes any tracegen Tracer (the recording tracer of package
// runtime/tracer, the mock tracer, or tracegen.GlobalTracer()) an
// opentracing-go Tracer, so libraries instrumented with opentracing-go record
// into tracegen's pipeline. It passes opentracing-go's own API harness with
// every check on:
//
//	tr := tracer.New(tracer.WithServiceName("shop"))
//	opentracing.SetGlobalTracer(otbridge.Wrap(tr))
//
// FromOpenTracing makes any opentracing-go Tracer (jaeger-client-go,
// basictracer-go, a vendor's tracer) a tracegen Tracer, so code rewritten by
// tracegen records into a pipeline that is already set up:
//
//	tracegen.SetGlobalTracer(otbridge.FromOpenTracing(jaegerTracer))
//
// # Mapping
//
// References (ChildOf, FollowsFrom), start and finish times, tags, typed log
// fields (every field type of either log package; lazy fields are expanded
// when logged), log records given at Finish, baggage and the three built-in
// formats map one to one. The carriers of one API are carriers of the other,
// because their TextMapWriter and TextMapReader interfaces have the same
// methods; FromOpenTracing also accepts http.Header and map[string]string as
// tracegen's tracers do. Errors of Inject and Extract are translated to the
// sentinel errors of the caller's API, so opentracing-go callers can compare
// them with == and tracegen callers with errors.Is.
//
// A reference to a span context of another tracer is ignored. The
// deprecated opentracing-go logging methods log now: LogEvent as an event
// field, LogEventWithPayload as event and payload fields, Log as its fields
// (its explicit timestamp is dropped, since a tracegen Span logs at an
// explicit time only through FinishWithOptions; BulkLogData given to
// FinishWithOptions keeps its timestamps). A tag value of opentracing-go's
// ext.SpanKindEnum type becomes a plain string. Toward an opentracing-go
// tracer, a zero finish time is sent as time.Now() (opentracing-go's rule,
// which its mocktracer does not apply itself) and a log.Object field holding
// nil as the string "<nil>" (its mocktracer panics on a nil object).
//
// # Unwrapping
//
// Wrap(FromOpenTracing(x)) is x and FromOpenTracing(Wrap(y)) is y: the
// bridge never stacks on itself. Unwrap, SpanOf and SpanContextOf reach the
// tracegen values inside Wrap's; OpenTracingTracer, OpenTracingSpan and
// OpenTracingSpanContext reach the opentracing-go values inside
// FromOpenTracing's.
package opentracing
