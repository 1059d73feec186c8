package opentracing

import (
	"errors"
	"io"
	"sync/atomic"
	"time"

	ot "github.com/opentracing/opentracing-go"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/bridge/internal/textmapcodec"
	"github.com/tracegen/tracegen/runtime/fastpath"
	"github.com/tracegen/tracegen/runtime/log"
)

// FromOpenTracing returns an opentracing-go tracer as a tracegen Tracer, so
// generated code and tracegen's instrumentation can record into it.
//
// The bridge keeps tracegen's Span contract even where the wrapped tracer is
// laxer: only the first Finish has an effect and calls that change a span
// after Finish are ignored. LogKV with bad arguments records the good pairs
// and an error.object field, as tracegen's tracers do. Inject and Extract
// accept tracegen's carriers (including http.Header and map[string]string);
// when the wrapped tracer does not support Binary (as opentracing-go's
// mocktracer does not), Binary is served by encoding the TextMap carrier's
// entries, so every tracegen format works.
//
// FromOpenTracing of a tracer made by Wrap returns the tracegen tracer it
// wraps, and a nil t gives a nil Tracer.
func FromOpenTracing(t ot.Tracer) tracegen.Tracer {
	switch w := t.(type) {
	case nil:
		return nil
	case *wrappedTracer:
		return w.t
	}
	return &fromOT{ot: t}
}

// OpenTracingTracer returns the opentracing-go Tracer inside a Tracer made
// by FromOpenTracing.
func OpenTracingTracer(t tracegen.Tracer) (ot.Tracer, bool) {
	f, ok := t.(*fromOT)
	if !ok {
		return nil, false
	}
	return f.ot, true
}

// OpenTracingSpan returns the opentracing-go Span inside a span of a Tracer
// made by FromOpenTracing.
func OpenTracingSpan(s tracegen.Span) (ot.Span, bool) {
	f, ok := s.(*fromOTSpan)
	if !ok {
		return nil, false
	}
	return f.s, true
}

// OpenTracingSpanContext returns the opentracing-go SpanContext inside a
// span context of a Tracer made by FromOpenTracing.
func OpenTracingSpanContext(sc tracegen.SpanContext) (ot.SpanContext, bool) {
	f, ok := sc.(fromOTContext)
	if !ok || f.sc == nil {
		return nil, false
	}
	return f.sc, true
}

// fromOT is an opentracing-go Tracer seen as a tracegen Tracer.
type fromOT struct{ ot ot.Tracer }

// fromOTSpan is an opentracing-go Span seen as a tracegen Span.
type fromOTSpan struct {
	tracer   *fromOT
	s        ot.Span
	finished atomic.Bool
}

// fromOTContext is an opentracing-go SpanContext seen as a tracegen one.
type fromOTContext struct{ sc ot.SpanContext }

var (
	_ tracegen.Tracer      = (*fromOT)(nil)
	_ fastpath.SpanStarter = (*fromOT)(nil)
	_ tracegen.Span        = (*fromOTSpan)(nil)
	_ tracegen.SpanContext = fromOTContext{}
)

// StartSpan implements tracegen.Tracer.
func (t *fromOT) StartSpan(operationName string, opts ...tracegen.StartSpanOption) tracegen.Span {
	var o tracegen.StartSpanOptions
	o.Apply(opts...)
	return t.StartSpanWithOptions(operationName, o)
}

// StartSpanWithOptions implements fastpath.SpanStarter. References to span
// contexts of other tracers are ignored.
func (t *fromOT) StartSpanWithOptions(operationName string, o tracegen.StartSpanOptions) tracegen.Span {
	var buf [4]ot.StartSpanOption
	args := buf[:0]
	for _, r := range o.ParentReferences() {
		c, ok := r.ReferencedContext.(fromOTContext)
		if !ok || c.sc == nil {
			continue
		}
		typ := ot.ChildOfRef
		if r.Type == tracegen.FollowsFromRef {
			typ = ot.FollowsFromRef
		}
		args = append(args, ot.SpanReference{Type: typ, ReferencedContext: c.sc})
	}
	if !o.StartTime.IsZero() {
		args = append(args, ot.StartTime(o.StartTime))
	}
	if len(o.Tags) > 0 {
		args = append(args, ot.Tags(o.Tags))
	}
	return &fromOTSpan{tracer: t, s: t.ot.StartSpan(operationName, args...)}
}

// formatToOT maps our built-in formats onto opentracing-go's.
func formatToOT(f tracegen.BuiltinFormat) (ot.BuiltinFormat, bool) {
	switch f {
	case tracegen.Binary:
		return ot.Binary, true
	case tracegen.TextMap:
		return ot.TextMap, true
	case tracegen.HTTPHeaders:
		return ot.HTTPHeaders, true
	}
	return 0, false
}

// Inject implements tracegen.Tracer. Formats other than our built-in ones
// go to the wrapped tracer as they are.
func (t *fromOT) Inject(sc tracegen.SpanContext, format any, carrier any) error {
	c, _ := sc.(fromOTContext)
	b, builtin := format.(tracegen.BuiltinFormat)
	if !builtin {
		if c.sc == nil {
			return tracegen.ErrInvalidSpanContext
		}
		return errorFromOT(t.ot.Inject(c.sc, format, carrier))
	}
	f, ok := formatToOT(b)
	if !ok {
		return tracegen.ErrUnsupportedFormat
	}
	if c.sc == nil {
		return tracegen.ErrInvalidSpanContext
	}
	if f == ot.Binary {
		return t.injectBinary(c.sc, carrier)
	}
	w, ok := fastpath.TextMapWriterOf(carrier)
	if !ok {
		return tracegen.ErrInvalidCarrier
	}
	// Our TextMapWriter has ot.TextMapWriter's method set.
	return errorFromOT(t.ot.Inject(c.sc, f, ot.TextMapWriter(w)))
}

func (t *fromOT) injectBinary(sc ot.SpanContext, carrier any) error {
	w, ok := carrier.(io.Writer)
	if !ok {
		return tracegen.ErrInvalidCarrier
	}
	err := t.ot.Inject(sc, ot.Binary, w)
	if err != ot.ErrUnsupportedFormat {
		return errorFromOT(err)
	}
	m := ot.TextMapCarrier{}
	if err := t.ot.Inject(sc, ot.TextMap, m); err != nil {
		return errorFromOT(err)
	}
	return textmapcodec.Encode(w, m)
}

// Extract implements tracegen.Tracer.
func (t *fromOT) Extract(format any, carrier any) (tracegen.SpanContext, error) {
	b, builtin := format.(tracegen.BuiltinFormat)
	if !builtin {
		return wrapExtracted(t.ot.Extract(format, carrier))
	}
	f, ok := formatToOT(b)
	if !ok {
		return nil, tracegen.ErrUnsupportedFormat
	}
	if f == ot.Binary {
		return t.extractBinary(carrier)
	}
	r, ok := fastpath.TextMapReaderOf(carrier)
	if !ok {
		return nil, tracegen.ErrInvalidCarrier
	}
	return wrapExtracted(t.ot.Extract(f, ot.TextMapReader(r)))
}

func (t *fromOT) extractBinary(carrier any) (tracegen.SpanContext, error) {
	r, ok := carrier.(io.Reader)
	if !ok {
		return nil, tracegen.ErrInvalidCarrier
	}
	sc, err := t.ot.Extract(ot.Binary, r)
	if err != ot.ErrUnsupportedFormat {
		return wrapExtracted(sc, err)
	}
	m, err := textmapcodec.Extract(r)
	if err != nil {
		return nil, err
	}
	return wrapExtracted(t.ot.Extract(ot.TextMap, ot.TextMapCarrier(m)))
}

func wrapExtracted(sc ot.SpanContext, err error) (tracegen.SpanContext, error) {
	if err != nil {
		return nil, errorFromOT(err)
	}
	if sc == nil {
		return nil, tracegen.ErrSpanContextNotFound
	}
	return fromOTContext{sc: sc}, nil
}

// errorFromOT maps opentracing-go's sentinel errors onto ours.
func errorFromOT(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ot.ErrUnsupportedFormat):
		return tracegen.ErrUnsupportedFormat
	case errors.Is(err, ot.ErrSpanContextNotFound):
		return tracegen.ErrSpanContextNotFound
	case errors.Is(err, ot.ErrInvalidSpanContext):
		return tracegen.ErrInvalidSpanContext
	case errors.Is(err, ot.ErrInvalidCarrier):
		return tracegen.ErrInvalidCarrier
	case errors.Is(err, ot.ErrSpanContextCorrupted):
		return tracegen.ErrSpanContextCorrupted
	}
	return err
}

// ForeachBaggageItem implements tracegen.SpanContext.
func (c fromOTContext) ForeachBaggageItem(handler func(k, v string) bool) {
	if c.sc != nil {
		c.sc.ForeachBaggageItem(handler)
	}
}

// Finish implements tracegen.Span; only the first call has an effect.
func (s *fromOTSpan) Finish() {
	if s.finished.CompareAndSwap(false, true) {
		s.s.Finish()
	}
}

// FinishWithOptions implements tracegen.Span; only the first Finish or
// FinishWithOptions call has an effect.
func (s *fromOTSpan) FinishWithOptions(opts tracegen.FinishOptions) {
	if !s.finished.CompareAndSwap(false, true) {
		return
	}
	// opentracing-go says a zero FinishTime means now, but not every
	// tracer (its mocktracer, for one) does it; the bridge does.
	fo := ot.FinishOptions{FinishTime: opts.FinishTime}
	if fo.FinishTime.IsZero() {
		fo.FinishTime = time.Now()
	}
	if len(opts.LogRecords) > 0 {
		fo.LogRecords = make([]ot.LogRecord, len(opts.LogRecords))
		for i, r := range opts.LogRecords {
			fo.LogRecords[i] = ot.LogRecord{Timestamp: r.Timestamp, Fields: fieldsToOT(r.Fields)}
		}
	}
	s.s.FinishWithOptions(fo)
}

// Context implements tracegen.Span.
func (s *fromOTSpan) Context() tracegen.SpanContext { return fromOTContext{sc: s.s.Context()} }

// SetOperationName implements tracegen.Span.
func (s *fromOTSpan) SetOperationName(operationName string) tracegen.Span {
	if !s.finished.Load() {
		s.s.SetOperationName(operationName)
	}
	return s
}

// SetTag implements tracegen.Span.
func (s *fromOTSpan) SetTag(key string, value any) tracegen.Span {
	if !s.finished.Load() {
		s.s.SetTag(key, value)
	}
	return s
}

// LogFields implements tracegen.Span.
func (s *fromOTSpan) LogFields(fields ...log.Field) {
	if !s.finished.Load() {
		s.s.LogFields(fieldsToOT(fields)...)
	}
}

// LogKV implements tracegen.Span. Bad arguments record the pairs before
// the problem and an error.object field describing it; it never panics,
// whatever the wrapped tracer would do.
func (s *fromOTSpan) LogKV(alternatingKeyValues ...any) {
	if s.finished.Load() {
		return
	}
	fields, err := log.InterleavedKVToFields(alternatingKeyValues...)
	if err != nil {
		fields = append(fields, log.Error(err))
	}
	s.s.LogFields(fieldsToOT(fields)...)
}

// SetBaggageItem implements tracegen.Span.
func (s *fromOTSpan) SetBaggageItem(key, value string) tracegen.Span {
	if !s.finished.Load() {
		s.s.SetBaggageItem(key, value)
	}
	return s
}

// BaggageItem implements tracegen.Span.
func (s *fromOTSpan) BaggageItem(key string) string { return s.s.BaggageItem(key) }

// Tracer implements tracegen.Span: the bridging tracer.
func (s *fromOTSpan) Tracer() tracegen.Tracer { return s.tracer }
