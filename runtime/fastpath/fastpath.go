// Package fastpath is for those who write a tracer, a bridge or an
// instrumentation package: the optional interfaces through which the
// runtime's Start, Scope and helpers go faster, and the helpers that
// tracers use to accept carriers and start spans from options.
//
// A tracer works without any of them; implementing one makes the generated
// code's hot path cheaper. Assert them at compile time:
//
//	var (
//		_ fastpath.SpanStarter  = (*Tracer)(nil)
//		_ fastpath.ErrorFinisher = (*span)(nil)
//	)
//
// The runtime finds them by their methods, so each interface here is the
// method set the runtime asks for (a test checks they stay the same).
package fastpath

import (
	"context"
	"net/http"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/log"
)

// SpanStarter is implemented by tracers that can start a span from an
// options struct. The runtime prefers it to StartSpan because it takes no
// variadic interface values and so allocates less.
type SpanStarter interface {
	StartSpanWithOptions(operationName string, opts tracegen.StartSpanOptions) tracegen.Span
}

// ContextStarter is implemented by tracers that start spans with the
// caller's context.Context at hand: bridges to tracing APIs that keep their
// own spans in contexts, such as OpenTelemetry's. Start, StartRequest and
// StartSpanFromContext use it instead of StartSpan when the tracer has it,
// with ctx the context the span starts in (its tracegen span, if any,
// already in opts.Parent), so that a span of the other API in ctx can be
// the parent. It returns the new span and the context in which it is
// active: ctx with the span set by ContextWithSpan, and with whatever the
// tracer keeps there besides (the other API's span, so that code
// instrumented with that API sees the new span as its parent). Whether a
// tracer implements it is checked once, by SetGlobalTracer.
type ContextStarter interface {
	StartSpanInContext(ctx context.Context, operationName string, opts tracegen.StartSpanOptions) (tracegen.Span, context.Context)
}

// ChildSkipper is implemented by spans. A span whose SkipChildren returns
// true tells Start and StartRequest that its tracer would record none of the
// children they could start under it, as for a span of an unsampled trace
// when the sampler follows the parent's decision. They then start no span:
// they return the zero Scope and leave the context as it is, so the
// function runs within its caller's span, and an unsampled trace costs the
// instrumented code about what no tracer costs. Baggage set through the
// context inside such a function is therefore set on the enclosing span.
// Tracer.StartSpan itself is not affected.
type ChildSkipper interface {
	SkipChildren() bool
}

// ErrorRecorder is implemented by spans that record an error exactly as
// tracegen.RecordError describes (the error tag and the error log with
// event, message, error.kind and error.object) but without the allocations
// of the SetTag and LogFields calls. RecordError uses it when present.
type ErrorRecorder interface {
	RecordError(err error)
}

// ErrorFinisher is implemented by spans that can record an error and finish
// in one step, as RecordError followed by Finish would: the error log's
// timestamp is then the span's end time. Scope.End uses it when present.
type ErrorFinisher interface {
	FinishWithError(err error)
}

// FieldTagger is implemented by spans that store typed tag values without
// boxing them into interfaces. Scope's tag methods use it when present.
type FieldTagger interface {
	SetTagField(f log.Field)
}

// StartSpanWithOptions starts a span on t from an options struct: through
// SpanStarter when t implements it, otherwise by turning opts back into
// StartSpanOption values. Instrumentation packages use it so that tracers
// with the fast path start spans without allocating for the options.
func StartSpanWithOptions(t tracegen.Tracer, operationName string, opts tracegen.StartSpanOptions) tracegen.Span {
	if s, ok := t.(SpanStarter); ok {
		return s.StartSpanWithOptions(operationName, opts)
	}
	var buf [3]tracegen.StartSpanOption
	args := buf[:0]
	for _, r := range opts.ParentReferences() {
		args = append(args, r)
	}
	if !opts.StartTime.IsZero() {
		args = append(args, tracegen.StartTime(opts.StartTime))
	}
	if opts.Tags != nil {
		args = append(args, tracegen.Tags(opts.Tags))
	}
	return t.StartSpan(operationName, args...)
}

// TextMapWriterOf returns carrier as a TextMapWriter: a TextMapWriter as it
// is, an http.Header as an HTTPHeadersCarrier, a map[string]string as a
// TextMapCarrier. Tracers use it to accept the carriers Go users expect.
func TextMapWriterOf(carrier any) (tracegen.TextMapWriter, bool) {
	switch c := carrier.(type) {
	case http.Header: // a TextMapWriter too, but named for clarity
		return tracegen.HTTPHeadersCarrier(c), true
	case tracegen.TextMapWriter:
		return c, true
	case map[string]string:
		return tracegen.TextMapCarrier(c), true
	}
	return nil, false
}

// TextMapReaderOf is the Extract counterpart of TextMapWriterOf.
func TextMapReaderOf(carrier any) (tracegen.TextMapReader, bool) {
	switch c := carrier.(type) {
	case tracegen.TextMapReader:
		return c, true
	case http.Header:
		return tracegen.HTTPHeadersCarrier(c), true
	case map[string]string:
		return tracegen.TextMapCarrier(c), true
	}
	return nil, false
}
