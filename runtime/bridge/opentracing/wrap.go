package opentracing

import (
	"errors"

	ot "github.com/opentracing/opentracing-go"
	"github.com/opentracing/opentracing-go/ext"
	otlog "github.com/opentracing/opentracing-go/log"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/fastpath"
	"github.com/tracegen/tracegen/runtime/log"
)

// Wrap returns t as an opentracing-go Tracer. Spans it starts are spans of
// t, wrapped; span contexts are t's, wrapped; Inject and Extract are t's,
// with the formats and errors translated. Wrap of a tracer made by
// FromOpenTracing returns the opentracing-go tracer it wraps, and a nil t
// gives a nil Tracer.
func Wrap(t tracegen.Tracer) ot.Tracer {
	switch w := t.(type) {
	case nil:
		return nil
	case *fromOT:
		return w.ot
	}
	return &wrappedTracer{t: t}
}

// Unwrap returns the tracegen Tracer inside a Tracer made by Wrap.
func Unwrap(t ot.Tracer) (tracegen.Tracer, bool) {
	w, ok := t.(*wrappedTracer)
	if !ok {
		return nil, false
	}
	return w.t, true
}

// SpanOf returns the tracegen Span inside a span of a Tracer made by Wrap.
func SpanOf(s ot.Span) (tracegen.Span, bool) {
	w, ok := s.(*wrappedSpan)
	if !ok {
		return nil, false
	}
	return w.s, true
}

// SpanContextOf returns the tracegen SpanContext inside a span context of a
// Tracer made by Wrap.
func SpanContextOf(sc ot.SpanContext) (tracegen.SpanContext, bool) {
	w, ok := sc.(wrappedContext)
	if !ok {
		return nil, false
	}
	return w.sc, true
}

// wrappedTracer is a tracegen Tracer seen as an opentracing-go Tracer.
type wrappedTracer struct{ t tracegen.Tracer }

// wrappedSpan is a tracegen Span seen as an opentracing-go Span. Methods that
// return the span return this same pointer, as opentracing-go expects.
type wrappedSpan struct {
	tracer *wrappedTracer
	s      tracegen.Span
}

// wrappedContext is a tracegen SpanContext seen as an opentracing-go one.
type wrappedContext struct{ sc tracegen.SpanContext }

var (
	_ ot.Tracer      = (*wrappedTracer)(nil)
	_ ot.Span        = (*wrappedSpan)(nil)
	_ ot.SpanContext = wrappedContext{}
)

// StartSpan starts a span of the wrapped tracer. References to span contexts
// of other tracers are ignored, as opentracing-go allows.
func (w *wrappedTracer) StartSpan(operationName string, opts ...ot.StartSpanOption) ot.Span {
	var so ot.StartSpanOptions
	for _, o := range opts {
		o.Apply(&so)
	}
	var o tracegen.StartSpanOptions
	if len(so.References) == 1 && so.References[0].Type == ot.ChildOfRef {
		// The common case needs no slice: Parent says the same.
		if c, ok := so.References[0].ReferencedContext.(wrappedContext); ok {
			o.Parent = c.sc
		}
		so.References = nil
	}
	for _, r := range so.References {
		c, ok := r.ReferencedContext.(wrappedContext)
		if !ok || c.sc == nil {
			continue
		}
		typ := tracegen.ChildOfRef
		if r.Type == ot.FollowsFromRef {
			typ = tracegen.FollowsFromRef
		}
		o.References = append(o.References, tracegen.SpanReference{Type: typ, ReferencedContext: c.sc})
	}
	o.StartTime = so.StartTime
	if len(so.Tags) > 0 {
		// ot's Tag and Tags options build a fresh map, which the tracer may
		// keep.
		o.Tags = so.Tags
		for k, v := range so.Tags {
			o.Tags[k] = tagValueFromOT(v)
		}
	}
	return &wrappedSpan{tracer: w, s: fastpath.StartSpanWithOptions(w.t, operationName, o)}
}

// tagValueFromOT turns opentracing-go's named tag types into plain values.
func tagValueFromOT(v any) any {
	if k, ok := v.(ext.SpanKindEnum); ok {
		return string(k)
	}
	return v
}

// Inject injects through the wrapped tracer. For the built-in formats sc
// must come from this bridge, or Inject returns ot.ErrInvalidSpanContext;
// other formats go to the wrapped tracer as they are.
func (w *wrappedTracer) Inject(sc ot.SpanContext, format any, carrier any) error {
	c, _ := sc.(wrappedContext)
	f, builtin := formatFromOT(format)
	if !builtin {
		return errorToOT(w.t.Inject(c.sc, format, carrier))
	}
	if c.sc == nil {
		return ot.ErrInvalidSpanContext
	}
	return errorToOT(w.t.Inject(c.sc, f, carrier))
}

// Extract extracts through the wrapped tracer.
func (w *wrappedTracer) Extract(format any, carrier any) (ot.SpanContext, error) {
	var f any = format
	if b, ok := formatFromOT(format); ok {
		f = b
	}
	sc, err := w.t.Extract(f, carrier)
	if err != nil {
		return nil, errorToOT(err)
	}
	if sc == nil {
		return nil, ot.ErrSpanContextNotFound
	}
	return wrappedContext{sc: sc}, nil
}

// formatFromOT maps opentracing-go's built-in formats onto ours. Their
// carriers need no conversion: ot.TextMapWriter and ot.TextMapReader have
// the method sets of ours, and Binary takes io.Writer and io.Reader in both.
func formatFromOT(format any) (tracegen.BuiltinFormat, bool) {
	f, ok := format.(ot.BuiltinFormat)
	if !ok {
		return 0, false
	}
	switch f {
	case ot.Binary:
		return tracegen.Binary, true
	case ot.TextMap:
		return tracegen.TextMap, true
	case ot.HTTPHeaders:
		return tracegen.HTTPHeaders, true
	}
	return 0, false
}

// errorToOT maps our sentinel errors onto opentracing-go's, which callers of
// an opentracing-go tracer compare with ==.
func errorToOT(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, tracegen.ErrUnsupportedFormat):
		return ot.ErrUnsupportedFormat
	case errors.Is(err, tracegen.ErrSpanContextNotFound):
		return ot.ErrSpanContextNotFound
	case errors.Is(err, tracegen.ErrInvalidSpanContext):
		return ot.ErrInvalidSpanContext
	case errors.Is(err, tracegen.ErrInvalidCarrier):
		return ot.ErrInvalidCarrier
	case errors.Is(err, tracegen.ErrSpanContextCorrupted):
		return ot.ErrSpanContextCorrupted
	}
	return err
}

// ForeachBaggageItem implements ot.SpanContext.
func (c wrappedContext) ForeachBaggageItem(handler func(k, v string) bool) {
	if c.sc != nil {
		c.sc.ForeachBaggageItem(handler)
	}
}

// Finish implements ot.Span.
func (s *wrappedSpan) Finish() { s.s.Finish() }

// FinishWithOptions implements ot.Span, including the deprecated BulkLogData.
func (s *wrappedSpan) FinishWithOptions(opts ot.FinishOptions) {
	var fo tracegen.FinishOptions
	fo.FinishTime = opts.FinishTime
	n := len(opts.LogRecords) + len(opts.BulkLogData)
	if n > 0 {
		fo.LogRecords = make([]tracegen.LogRecord, 0, n)
	}
	for _, r := range opts.LogRecords {
		fo.LogRecords = append(fo.LogRecords, tracegen.LogRecord{Timestamp: r.Timestamp, Fields: fieldsFromOT(r.Fields)})
	}
	for _, d := range opts.BulkLogData {
		r := d.ToLogRecord()
		fo.LogRecords = append(fo.LogRecords, tracegen.LogRecord{Timestamp: r.Timestamp, Fields: fieldsFromOT(r.Fields)})
	}
	s.s.FinishWithOptions(fo)
}

// Context implements ot.Span.
func (s *wrappedSpan) Context() ot.SpanContext { return wrappedContext{sc: s.s.Context()} }

// SetOperationName implements ot.Span.
func (s *wrappedSpan) SetOperationName(operationName string) ot.Span {
	s.s.SetOperationName(operationName)
	return s
}

// SetTag implements ot.Span.
func (s *wrappedSpan) SetTag(key string, value any) ot.Span {
	s.s.SetTag(key, tagValueFromOT(value))
	return s
}

// LogFields implements ot.Span.
func (s *wrappedSpan) LogFields(fields ...otlog.Field) { s.s.LogFields(fieldsFromOT(fields)...) }

// LogKV implements ot.Span: the wrapped span turns the arguments into
// fields, recording bad arguments as an error field.
func (s *wrappedSpan) LogKV(alternatingKeyValues ...any) { s.s.LogKV(alternatingKeyValues...) }

// SetBaggageItem implements ot.Span.
func (s *wrappedSpan) SetBaggageItem(key, value string) ot.Span {
	s.s.SetBaggageItem(key, value)
	return s
}

// BaggageItem implements ot.Span.
func (s *wrappedSpan) BaggageItem(key string) string { return s.s.BaggageItem(key) }

// Tracer implements ot.Span: the wrapping tracer.
func (s *wrappedSpan) Tracer() ot.Tracer { return s.tracer }

// LogEvent implements the deprecated ot.Span method as a log with an event
// field.
func (s *wrappedSpan) LogEvent(event string) { s.s.LogFields(log.String("event", event)) }

// LogEventWithPayload implements the deprecated ot.Span method as a log
// with event and payload fields.
func (s *wrappedSpan) LogEventWithPayload(event string, payload any) {
	s.s.LogFields(log.String("event", event), log.Object("payload", payload))
}

// Log implements the deprecated ot.Span method. A zero Timestamp means now;
// an explicit one is kept only if the log is given at Finish (our Span has
// no other way to log at a past time), so here the log is recorded now.
func (s *wrappedSpan) Log(data ot.LogData) {
	r := data.ToLogRecord()
	s.s.LogFields(fieldsFromOT(r.Fields)...)
}
