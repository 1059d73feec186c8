// Package tracer is tracegen's recording tracer: it implements the runtime
// API with real trace and span ids, samplers and span limits, and hands
// finished spans to processors and exporters.
//
// # Setting up
//
//	tr := tracer.New(
//		tracer.WithServiceName("checkout"),
//		tracer.WithSampler(tracer.ParentBased(tracer.TraceIDRatio(0.1))),
//		tracer.WithProcessor(tracer.NewBatchProcessor(exp)),
//	)
//	tracegen.SetGlobalTracer(tr)
//	defer tr.Shutdown(ctx) // flushes
//
// The exporters are in runtime/exporter; runtime/setup builds all of this
// from the OTEL_* environment variables.
//
// # Ids and sampling
//
// Trace ids are 128 bits, span ids 64 bits, drawn from math/rand/v2's
// global source (the Go runtime's per-thread ChaCha8, seeded from the
// operating system): no lock, a few nanoseconds. Because the whole trace id
// is random, new traces carry W3C Level 2's random flag (FlagRandom).
// Children copy their parent's trace id, flags, trace state and baggage.
//
// The sampler decides when a span starts (see Sampler, AlwaysSample,
// NeverSample, TraceIDRatio and ParentBased, whose rules are
// OpenTelemetry's). A sampling.priority tag given at start overrides it:
// above zero records the span, zero drops it. Set later with SetTag, zero
// stops a recording span from being exported and clears the sampled flag
// for children started afterwards; a positive value cannot revive a span
// that was not recorded from its start.
//
// An unsampled span records nothing. It still carries a span context, so
// the trace id and the decision propagate to children and other processes;
// each unsampled span has its own span context, and baggage set on one is
// not seen by its parent. When the sampler would not sample the children of
// an unsampled span either (NeverSample, and ParentBased's default for local
// unsampled parents), the span says so (fastpath.ChildSkipper) and the
// generated code's runtime.Start starts no span under it at all: a traced
// function in an unsampled trace runs within its caller's span, costing
// about 1.5 times the no-tracer path and no allocation. (Baggage it sets
// through its context is then set on that enclosing span.)
//
// # Recording
//
// A recorded span is a 128-byte allocation, the span itself, which is
// also the context.Context in which runtime.Start makes it active
// (activectx.Context), and a SpanData it records into. Its first tag
// or log attaches room for three tags, a log and the error log of
// runtime.RecordError (which spans implement as fastpath.ErrorRecorder and
// fastpath.ErrorFinisher, so recording an error needs nothing more). When
// SpanData are reused (see After Finish), the span is all a span
// allocates, tags and an error included; otherwise the span and its
// SpanData are one allocation and the tag and log room a second. Start
// times come from one clock read (see clock.go): a time.Now anchor renewed
// every second plus the monotonic time since; end times and log times add
// the monotonic time elapsed since the start, so durations are exact and
// never negative. Tags and logs obey SpanLimits (OpenTelemetry's
// defaults), and what the limits drop is counted in SpanData. A span is
// safe for concurrent use; Finish takes effect once, and later calls are
// ignored.
//
// # After Finish
//
// The finished span's SpanData goes to every processor's OnEnd, and the
// span no longer touches it. Processors and exporters may keep it as long
// as they need, with one exception: when a tracer's only processor is a
// BatchProcessor in front of a SpanReleaser, an exporter that keeps
// nothing of the spans once ExportSpans returns (as the OTLP, Zipkin and
// JSON exporters of runtime/exporter do), the BatchProcessor gives each
// exported SpanData back, and the tracer reuses it, with its tag and log
// room, for a later span. That saves most of what a span allocates and
// collects (measured in bench/: a span with two tags and an error goes
// from about 0.9 KB in two allocations to 128 bytes in one, and its time
// from about a third of the OpenTelemetry SDK's to under a fifth). The
// span itself, and so every context.Context holding it, is never reused:
// its context stays valid after Finish, for children started later and
// for baggage. An exporter that wants to keep some spans anyway (to retry
// them later, say) keeps their Clone.
//
// BatchProcessor queues finished spans and exports them from one goroutine;
// OnEnd never waits, and every span it refuses is counted (Stats). Its
// default queue (DefaultMaxQueueSize, 16384 spans) is larger than
// OpenTelemetry's so that two goroutines finishing spans as fast as they
// can lose none.
package tracer
