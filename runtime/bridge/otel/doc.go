// Package otel delivers tracegen's spans through any OpenTelemetry
// TracerProvider, so teams with an OpenTelemetry SDK pipeline (exporters,
// processors, samplers, resource) get the spans of tracegen-instrumented
// code in it, parent links intact.
//
//	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exporter))
//	tracegen.SetGlobalTracer(otelbridge.NewTracer(tp))
//
// Every span of the bridge is an OpenTelemetry span of a tracer named
// ScopeName (see WithScope); its SpanContext (see SpanContextOf) carries the
// OpenTelemetry trace and span ids and tracegen's baggage.
//
// # Mapping
//
//   - Parent: the first ChildOf reference is the OpenTelemetry parent; with
//     none, the first FollowsFrom reference (OpenTelemetry has no
//     follows-from). Every other reference becomes a link with the
//     attribute opentracing.ref_type ("child_of" or "follows_from"). A
//     span context from Extract is a remote parent.
//   - Tags become attributes: strings, bools, integers (as int64; a uint64
//     above the int64 range as a decimal string), floats (as float64) and
//     slices of those keep their type; errors and fmt.Stringers become their
//     text, anything else fmt's %v. Two tags are special. span.kind
//     ("server", "client", "producer", "consumer", "internal") sets the span
//     kind if it is set before the span is first used; tracegen.Start's
//     kinds always are, since the OpenTelemetry span is started lazily (at
//     the first Context, log or Finish call) with the start time of the
//     tracegen span. Later it is kept as an attribute. error=true (or
//     "true") sets the status to Error; it is not kept as an attribute.
//   - Logs become events named by their event field ("log" without one),
//     the other fields becoming attributes. A log with event=error, as
//     tracegen.RecordError and Scope.End write it, becomes an exception
//     event as OpenTelemetry's RecordError writes it (exception.type from
//     error.kind, exception.message from message, exception.stacktrace from
//     stack) and sets the status to Error with the message. Log records
//     given to FinishWithOptions keep their timestamps.
//   - Finish ends the OpenTelemetry span at the finish time. Only the
//     first Finish counts; later changes are ignored.
//   - Baggage is kept in the bridge's SpanContext, inherited by children,
//     and injected and extracted as OpenTelemetry (W3C) baggage. Keys that
//     are not W3C tokens are percent-encoded on the wire, as tracegen's own
//     W3C Baggage propagator does.
//
// # Propagation
//
// TextMap and HTTPHeaders go through an OpenTelemetry TextMapPropagator:
// W3C Trace Context and W3C Baggage unless WithPropagator says otherwise
// (WithPropagator(otel.GetTextMapPropagator()) follows the application's
// global one). Binary writes the same entries in a small length-prefixed
// encoding of the bridge's own. Extract reports ErrSpanContextNotFound for a
// carrier without the propagator's trace fields and ErrSpanContextCorrupted
// for one whose trace fields the propagator rejects. Spans of a
// TracerProvider that records nothing (OpenTelemetry's noop provider) have
// no valid ids, so Inject writes no trace fields for them.
//
// # Mixing with OpenTelemetry instrumentation
//
// The generated code (tracegen.Start, StartRequest) and
// StartSpanFromContext hand the bridge the context.Context a span starts in
// (the Tracer is a fastpath.ContextStarter): an OpenTelemetry span in it
// (from otelhttp, say) is the parent of the tracegen span, and the context
// the function continues with carries the new span as the active
// OpenTelemetry span too, so OpenTelemetry-instrumented libraries it calls
// start children of it. Where code starts spans without a context
// (Tracer.StartSpan) or uses the ifactive option, which looks for a
// tracegen span, Tracer.ContextFromOTel and ContextForOTel join the two
// explicitly.
package otel
