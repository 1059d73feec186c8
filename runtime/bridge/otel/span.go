package otel

import (
	"context"
	"sync"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/fastpath"
	"github.com/tracegen/tracegen/runtime/log"
)

// span is a tracegen Span backed by an OpenTelemetry span.
//
// The OpenTelemetry span is started lazily, at the first call that needs
// it (Context, a log, Finish), with the start time taken when the tracegen
// span started. Until then the name, tags and span kind are only kept, so
// that the span.kind tag that tracegen.Start sets just after starting a
// span can still become the OpenTelemetry span kind, which cannot change
// once the span has started, and so that samplers see every early tag.
type span struct {
	tracer  *Tracer
	adopted bool // started by someone else; Finish does not end it

	mu       sync.Mutex
	otel     trace.Span   // nil until started
	ctx      *SpanContext // nil until started
	name     string
	start    time.Time
	parent   *SpanContext    // nil for a root span
	startCtx context.Context // set by StartSpanInContext: start in it
	links    []trace.Link
	kind     trace.SpanKind
	attrs    []attribute.KeyValue
	failed   bool // the error tag was set before the span started
	baggage  map[string]string
	finished bool
}

var (
	_ tracegen.Span        = (*span)(nil)
	_ fastpath.FieldTagger = (*span)(nil)
)

// started returns the OpenTelemetry span and the span context, starting the
// OpenTelemetry span if needed.
func (s *span) started() (trace.Span, *SpanContext) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.startLocked()
	return s.otel, s.ctx
}

func (s *span) startLocked() {
	if s.otel != nil {
		return
	}
	ctx := context.Background()
	switch {
	case s.startCtx != nil:
		ctx = s.startCtx
	case s.parent != nil && s.parent.otel.IsValid():
		ctx = s.parent.startContext()
	}
	opts := make([]trace.SpanStartOption, 0, 4)
	opts = append(opts, trace.WithTimestamp(s.start))
	if s.kind != trace.SpanKindUnspecified {
		opts = append(opts, trace.WithSpanKind(s.kind))
	}
	if len(s.attrs) > 0 {
		opts = append(opts, trace.WithAttributes(s.attrs...))
	}
	if len(s.links) > 0 {
		opts = append(opts, trace.WithLinks(s.links...))
	}
	_, s.otel = s.tracer.tracer.Start(ctx, s.name, opts...)
	if s.failed {
		s.otel.SetStatus(codes.Error, "")
	}
	s.ctx = &SpanContext{otel: s.otel.SpanContext(), baggage: s.baggage}
	s.attrs, s.links, s.parent, s.startCtx = nil, nil, nil, nil
}

// Context implements tracegen.Span; it starts the OpenTelemetry span.
func (s *span) Context() tracegen.SpanContext {
	_, sc := s.started()
	return sc
}

// Finish implements tracegen.Span.
func (s *span) Finish() { s.FinishWithOptions(tracegen.FinishOptions{}) }

// FinishWithOptions implements tracegen.Span: the log records become
// events at their timestamps, and the OpenTelemetry span ends at the finish
// time.
func (s *span) FinishWithOptions(opts tracegen.FinishOptions) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.finished {
		return
	}
	s.finished = true
	s.startLocked()
	for _, r := range opts.LogRecords {
		s.addEventLocked(r.Timestamp, r.Fields)
	}
	if s.adopted {
		return
	}
	if opts.FinishTime.IsZero() {
		s.otel.End() // the SDK reads the clock itself
		return
	}
	s.otel.End(trace.WithTimestamp(opts.FinishTime))
}

// SetOperationName implements tracegen.Span.
func (s *span) SetOperationName(operationName string) tracegen.Span {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.finished:
	case s.otel != nil:
		s.otel.SetName(operationName)
	default:
		s.name = operationName
	}
	return s
}

// SetTag implements tracegen.Span. See the package documentation for how
// tags become attributes, the span kind and the status.
func (s *span) SetTag(key string, value any) tracegen.Span {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.finished {
		s.setTagLocked(key, value)
	}
	return s
}

// SetTagField implements fastpath.FieldTagger, so Scope's typed tag
// methods set attributes without boxing.
func (s *span) SetTagField(f log.Field) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.finished:
	case f.Key() == "span.kind" || f.Key() == "error" || f.Type() == log.LazyLoggerType || f.Type() == log.NoopType:
		s.setTagLocked(f.Key(), f.Value())
	default:
		s.setAttributeLocked(fieldAttribute(f))
	}
}

func (s *span) setTagLocked(key string, value any) {
	switch key {
	case "span.kind":
		if k, ok := spanKindOf(value); ok && s.otel == nil {
			s.kind = k
			return
		}
	case "error":
		if v, ok := value.(bool); ok || value == "true" || value == "false" {
			if v || value == "true" {
				s.setFailedLocked("")
			}
			return
		}
	}
	s.setAttributeLocked(attributeOf(key, value))
}

func (s *span) setAttributeLocked(a attribute.KeyValue) {
	if s.otel != nil {
		s.otel.SetAttributes(a)
		return
	}
	s.attrs = append(s.attrs, a)
}

func (s *span) setFailedLocked(message string) {
	if s.otel != nil {
		s.otel.SetStatus(codes.Error, message)
		return
	}
	s.failed = true
}

// spanKindOf reads the span.kind tag's value.
func spanKindOf(v any) (trace.SpanKind, bool) {
	str, ok := v.(string)
	if !ok {
		return 0, false
	}
	switch str {
	case "server":
		return trace.SpanKindServer, true
	case "client":
		return trace.SpanKindClient, true
	case "producer":
		return trace.SpanKindProducer, true
	case "consumer":
		return trace.SpanKindConsumer, true
	case "internal":
		return trace.SpanKindInternal, true
	}
	return 0, false
}

// LogFields implements tracegen.Span: the log becomes an event, or an
// exception event with an Error status for event=error.
func (s *span) LogFields(fields ...log.Field) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.finished {
		return
	}
	s.startLocked()
	s.addEventLocked(time.Now(), fields)
}

func (s *span) addEventLocked(ts time.Time, fields []log.Field) {
	ev := eventOf(fields)
	if ts.IsZero() {
		ts = time.Now()
	}
	s.otel.AddEvent(ev.name, trace.WithTimestamp(ts), trace.WithAttributes(ev.attrs...))
	if ev.isError {
		s.otel.SetStatus(codes.Error, ev.message)
	}
}

// LogKV implements tracegen.Span. Bad arguments record the pairs before
// the problem and an error.object attribute describing it.
func (s *span) LogKV(alternatingKeyValues ...any) {
	fields, err := log.InterleavedKVToFields(alternatingKeyValues...)
	if err != nil {
		fields = append(fields, log.Error(err))
	}
	s.LogFields(fields...)
}

// SetBaggageItem implements tracegen.Span. Baggage lives in the span
// context; Inject writes it as OpenTelemetry (W3C) baggage.
func (s *span) SetBaggageItem(key, value string) tracegen.Span {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.finished {
		return s
	}
	s.baggage = withBaggage(s.baggage, key, value)
	if s.ctx != nil {
		s.ctx = &SpanContext{otel: s.ctx.otel, baggage: s.baggage}
	}
	return s
}

// BaggageItem implements tracegen.Span.
func (s *span) BaggageItem(key string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.baggage[key]
}

// Tracer implements tracegen.Span.
func (s *span) Tracer() tracegen.Tracer { return s.tracer }
