package tracer

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/fastpath"
	"github.com/tracegen/tracegen/runtime/internal/activectx"
	"github.com/tracegen/tracegen/runtime/log"
)

// A recorded span is two parts: the span, which is also the span's
// context.Context in the generated code (see activectx.Context) and
// stays valid as long as anything refers to it, and the SpanData it
// records into, which the processors receive when it finishes. Tags and
// logs live in a spanExtras attached to the SpanData on the first tag or
// log, with room for the common case (two tags and the error tag, and the
// error log of RecordError).
//
// When the tracer's only processor is a BatchProcessor whose exporter keeps
// nothing of the spans (SpanReleaser), the SpanData and its spanExtras are
// reused once exported: a span then costs one small allocation, tags and
// an error included. Otherwise the span and its SpanData are allocated
// together, and the spanExtras separately when needed.
const (
	inlineTags = 3
	inlineLogs = 1
)

type spanExtras struct {
	tags      [inlineTags]log.Field
	logs      [inlineLogs]runtime.LogRecord
	errFields [errorLogLen]log.Field
	errUsed   bool // errFields holds a log
}

// span is a recorded span. Everything it records lives in data until it
// finishes; then data belongs to the processors, and the span touches it
// no more (every method checks finished under mu first).
type span struct {
	tracer *Tracer

	// ctx is the span's current context: nil for &sc until baggage or
	// the sampled flag change, then a new one each time, never changed in
	// place, so every *SpanContext handed out stays immutable; Finish
	// copies the last one into data.Context.
	ctx atomic.Pointer[SpanContext]
	sc  SpanContext

	mu       sync.Mutex
	finished bool // under mu
	dropped  bool // sampling.priority 0 set after start: do not export
	data     *SpanData

	// active is the context.Context in which runtime.Start makes the span
	// active, so that the span and its context are one allocation.
	active activectx.Context
}

// spanWithData is a span and its SpanData in one allocation, for tracers
// that do not reuse SpanData.
type spanWithData struct {
	s span
	d SpanData
}

// ActiveContext implements the runtime's context holder.
func (s *span) ActiveContext() *activectx.Context { return &s.active }

// extras returns the span's tag and log storage, allocating it the first
// time. The caller holds mu.
func (s *span) extras() *spanExtras {
	if s.data.x == nil {
		s.data.x = new(spanExtras)
	}
	return s.data.x
}

var (
	_ runtime.Span           = (*span)(nil)
	_ fastpath.FieldTagger   = (*span)(nil)
	_ fastpath.ErrorRecorder = (*span)(nil)
	_ fastpath.ErrorFinisher = (*span)(nil)
)

// StartSpanWithOptions implements fastpath.SpanStarter. The parent is the
// first ChildOf reference whose context this tracer made, or failing that
// the first such FollowsFrom reference, or opts.Parent when there are no
// references. Other tracers' contexts are ignored.
//
// An unsampled span is not recorded, but it has its own ids and baggage,
// which propagate. Under an unsampled span whose children the sampler would
// not sample either, the generated code's runtime.Start starts no span at
// all (see fastpath.ChildSkipper), so that path costs no allocation.
func (t *Tracer) StartSpanWithOptions(operationName string, opts runtime.StartSpanOptions) runtime.Span {
	var (
		parent    SpanContext
		hasParent bool
	)
	if len(opts.References) == 0 {
		parent, hasParent = SpanContextOf(opts.Parent)
	} else {
		parent, hasParent = pickParent(opts.References)
	}
	if hasParent && !parent.IsValid() {
		// Baggage without ids (from Extract): a new trace keeping the
		// baggage.
		hasParent = false
	}

	var traceID TraceID
	var spanID SpanID
	flags := parent.Flags &^ FlagSampled
	if hasParent {
		traceID = parent.TraceID // the span id waits for the decision
	} else {
		traceID, spanID = t.idGen.NewIDs()
		flags = 0
		if t.randomIDs {
			flags = FlagRandom
		}
	}

	sample, forced := false, false
	if opts.Tags != nil {
		if v, ok := opts.Tags["sampling.priority"]; ok {
			sample, forced = samplingPriority(v)
		}
	}
	if !forced && hasParent && !parent.Remote && parent.IsSampled() && t.sampleLocalSampledChildren {
		sample = true
	} else if !forced {
		sample = t.sampler.ShouldSample(SamplingParameters{
			Parent: parent, HasParent: hasParent, TraceID: traceID, Name: operationName,
		})
	}
	if hasParent {
		spanID = t.idGen.NewSpanID(traceID)
	}
	if !sample {
		nr := &nonRecordingSpan{tracer: t}
		nr.sc = SpanContext{TraceID: traceID, SpanID: spanID, Flags: flags, TraceState: parent.TraceState, baggage: parent.baggage}
		nr.ctx.Store(&nr.sc)
		return nr
	}

	var (
		s    *span
		d    *SpanData
		pool *sync.Pool
	)
	if t.reuse {
		pool = &t.dataPool
		s = &span{tracer: t, data: newReusedData(pool)}
		d = s.data
	} else {
		sd := &spanWithData{}
		s, d = &sd.s, &sd.d
		s.tracer, s.data = t, d
	}
	x := d.x // a reused SpanData keeps its tag and log storage
	if x != nil {
		x.errUsed = false
	}
	recorded := parent
	if !hasParent {
		recorded = SpanContext{}
	}
	// Every field is set, so that a reused SpanData starts clear.
	*d = SpanData{Name: operationName, Parent: recorded, Resource: t.resource, x: x, pool: pool}
	s.sc = SpanContext{TraceID: traceID, SpanID: spanID, Flags: flags | FlagSampled, TraceState: parent.TraceState, baggage: parent.baggage}
	if len(opts.References) > 1 || len(opts.References) == 1 && opts.References[0].Type != runtime.ChildOfRef {
		d.References = referencesOf(opts.References)
	}
	if opts.StartTime.IsZero() {
		d.Start = t.clock.now()
	} else {
		d.Start = opts.StartTime
	}
	if len(opts.Tags) > 0 {
		for k, v := range opts.Tags {
			f := fieldOf(k, v)
			s.setTagLocked(&f, v)
		}
	}
	return s
}

// pickParent chooses the parent among references: the first ChildOf, else
// the first FollowsFrom, counting only contexts of this package.
func pickParent(refs []runtime.SpanReference) (SpanContext, bool) {
	var (
		first SpanContext
		found bool
	)
	for _, r := range refs {
		c, ok := SpanContextOf(r.ReferencedContext)
		if !ok {
			continue
		}
		if r.Type == runtime.ChildOfRef {
			return c, true
		}
		if !found {
			first, found = c, true
		}
	}
	return first, found
}

func referencesOf(refs []runtime.SpanReference) []Reference {
	var buf []Reference
	for _, r := range refs {
		if c, ok := SpanContextOf(r.ReferencedContext); ok {
			buf = append(buf, Reference{Type: r.Type, Context: c})
		}
	}
	if len(buf) == 0 {
		return nil
	}
	return buf
}

// now returns the current time from the span's start time and the
// monotonic clock: one clock read instead of time.Now's two, and never
// before the start.
func (s *span) now() time.Time {
	return s.data.Start.Add(time.Since(s.data.Start))
}

// context returns the span's current context.
func (s *span) context() *SpanContext {
	if c := s.ctx.Load(); c != nil {
		return c
	}
	return &s.sc
}

// Context implements runtime.Span. It returns a *SpanContext, also after
// Finish.
func (s *span) Context() runtime.SpanContext { return s.context() }

// Tracer implements runtime.Span.
func (s *span) Tracer() runtime.Tracer { return s.tracer }

// SetOperationName implements runtime.Span.
func (s *span) SetOperationName(operationName string) runtime.Span {
	s.mu.Lock()
	if !s.finished {
		s.data.Name = operationName
	}
	s.mu.Unlock()
	return s
}

// SetTag implements runtime.Span. The value keeps its type: strings,
// booleans, integers and floats as typed fields, anything else as an
// Object field. span.kind goes to SpanData.Kind; sampling.priority 0 stops
// the span from being exported (and a later positive value undoes that);
// error=true sets SpanData.Error.
func (s *span) SetTag(key string, value any) runtime.Span {
	s.mu.Lock()
	if !s.finished {
		f := fieldOf(key, value)
		s.setTagLocked(&f, value)
	}
	s.mu.Unlock()
	return s
}

// SetTagField implements fastpath.FieldTagger: the typed field is stored as
// it is, without boxing its value.
func (s *span) SetTagField(f log.Field) {
	s.mu.Lock()
	if !s.finished {
		s.setTagLocked(&f, nil)
	}
	s.mu.Unlock()
}

// setTagLocked stores *f. value is f's value when the caller has it boxed
// already, or nil.
func (s *span) setTagLocked(f *log.Field, value any) {
	key := f.Key()
	switch key {
	case "span.kind":
		if v, ok := valueOr(f, value).(string); ok {
			if v == "internal" {
				v = ""
			}
			s.data.Kind = v
			return
		}
	case "sampling.priority":
		if sample, ok := samplingPriority(valueOr(f, value)); ok && sample == s.dropped {
			s.dropped = !sample
			c := *s.context()
			c.Flags ^= FlagSampled
			s.ctx.Store(&c)
		}
	case "error":
		if f.Type() == log.BoolType {
			s.data.Error = valueOr(f, value).(bool)
		}
	}
	if f.Type() == log.StringType && s.tracer.limits.MaxValueLength < int(^uint(0)>>1) {
		if str := f.Value().(string); len(str) > s.tracer.limits.MaxValueLength {
			t := log.String(key, truncate(str, s.tracer.limits.MaxValueLength))
			f = &t
		}
	}
	s.putTagLocked(f)
}

// putTagLocked replaces the tag with f's key, or appends f within the
// tag limit.
func (s *span) putTagLocked(f *log.Field) {
	tags := s.data.Tags
	for i := range tags {
		if tags[i].Key() == f.Key() {
			tags[i] = *f
			return
		}
	}
	if len(tags) >= s.tracer.limits.MaxTags {
		s.data.DroppedTags++
		return
	}
	if cap(tags) == 0 {
		tags = s.extras().tags[:0]
	}
	s.data.Tags = append(tags, *f)
}

func valueOr(f *log.Field, value any) any {
	if value != nil {
		return value
	}
	return f.Value()
}

// fieldOf turns a tag value into a typed field.
func fieldOf(key string, v any) log.Field {
	switch v := v.(type) {
	case string:
		return log.String(key, v)
	case bool:
		return log.Bool(key, v)
	case int:
		return log.Int(key, v)
	case int32:
		return log.Int32(key, v)
	case int64:
		return log.Int64(key, v)
	case uint32:
		return log.Uint32(key, v)
	case uint64:
		return log.Uint64(key, v)
	case float32:
		return log.Float32(key, v)
	case float64:
		return log.Float64(key, v)
	case log.Field:
		return v
	}
	return log.Object(key, v)
}

// LogFields implements runtime.Span.
func (s *span) LogFields(fields ...log.Field) {
	s.mu.Lock()
	if !s.finished {
		s.logLocked(s.now(), fields)
	}
	s.mu.Unlock()
}

// LogKV implements runtime.Span. Bad arguments are recorded as the fields
// converted before the bad one and an error.object field saying what was
// wrong.
func (s *span) LogKV(alternatingKeyValues ...any) {
	fields, err := log.InterleavedKVToFields(alternatingKeyValues...)
	if err != nil {
		fields = append(fields, log.Error(err))
	}
	s.LogFields(fields...)
}

// logLocked records one log record, applying the limits. fields is kept
// as given unless a limit makes a copy necessary.
func (s *span) logLocked(ts time.Time, fields []log.Field) {
	lim := &s.tracer.limits
	if len(s.data.Logs) >= lim.MaxLogs {
		s.data.DroppedLogs++
		return
	}
	if len(fields) > lim.MaxFieldsPerLog {
		s.data.DroppedLogFields += len(fields) - lim.MaxFieldsPerLog
		fields = fields[:lim.MaxFieldsPerLog:lim.MaxFieldsPerLog]
	}
	if lim.MaxValueLength < int(^uint(0)>>1) {
		fields = truncateFields(fields, lim.MaxValueLength)
	}
	if cap(s.data.Logs) == 0 {
		s.data.Logs = s.extras().logs[:0]
	}
	s.data.Logs = append(s.data.Logs, runtime.LogRecord{Timestamp: ts, Fields: fields})
}

// truncateFields returns fields with long string values cut to n bytes,
// copying the slice only if something is cut.
func truncateFields(fields []log.Field, n int) []log.Field {
	copied := false
	for i, f := range fields {
		if f.Type() != log.StringType {
			continue
		}
		str := f.Value().(string)
		if len(str) <= n {
			continue
		}
		if !copied {
			fields = append([]log.Field(nil), fields...)
			copied = true
		}
		fields[i] = log.String(f.Key(), truncate(str, n))
	}
	return fields
}

// RecordError implements fastpath.ErrorRecorder: the error tag and the
// error log that runtime.RecordError describes, with the log's fields kept
// in the span's own storage the first time.
func (s *span) RecordError(err error) {
	if err == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.finished {
		return
	}
	s.recordErrorLocked(s.now(), err)
}

// errorTag is the tag RecordError sets.
var errorTag = log.Bool("error", true)

func (s *span) recordErrorLocked(ts time.Time, err error) {
	s.data.Error = true
	s.putTagLocked(&errorTag)
	x := s.extras()
	var fields []log.Field
	if !x.errUsed {
		x.errUsed = true
		fields = x.errFields[:0:errorLogLen]
	}
	s.logLocked(ts, appendErrorLog(fields, err))
}

// FinishWithError implements fastpath.ErrorFinisher: RecordError and Finish
// with one clock read, the error log stamped with the end time.
func (s *span) FinishWithError(err error) {
	if err == nil {
		s.Finish()
		return
	}
	s.mu.Lock()
	if s.finished {
		s.mu.Unlock()
		return
	}
	s.finished = true
	end := s.now()
	s.recordErrorLocked(end, err)
	s.finishLocked(end, nil)
}

// SetBaggageItem implements runtime.Span. The span gets a new context; the
// parent's and earlier children's contexts are unchanged.
func (s *span) SetBaggageItem(key, value string) runtime.Span {
	s.mu.Lock()
	if !s.finished {
		c := s.context().WithBaggage(key, value)
		s.ctx.Store(&c)
	}
	s.mu.Unlock()
	return s
}

// BaggageItem implements runtime.Span.
func (s *span) BaggageItem(key string) string { return s.context().Baggage(key) }

// Finish implements runtime.Span.
func (s *span) Finish() { s.FinishWithOptions(runtime.FinishOptions{}) }

// FinishWithOptions implements runtime.Span. Only the first call has an
// effect. The finished span goes to every processor unless the tracer has
// been shut down or sampling.priority was set to 0.
func (s *span) FinishWithOptions(opts runtime.FinishOptions) {
	s.mu.Lock()
	if s.finished {
		s.mu.Unlock()
		return
	}
	s.finished = true
	end := opts.FinishTime
	if end.IsZero() {
		end = s.now()
	}
	s.finishLocked(end, opts.LogRecords)
}

// finishLocked ends the span at end, adds logs, unlocks mu and hands the
// span's data to the processors, or releases it when it is not exported.
func (s *span) finishLocked(end time.Time, logs []runtime.LogRecord) {
	d := s.data
	d.End = end
	for _, r := range logs {
		s.logLocked(r.Timestamp, r.Fields)
	}
	d.Context = *s.context()
	export := !s.dropped
	s.mu.Unlock()
	if !export || s.tracer.shutdown.Load() {
		releaseData(d)
		return
	}
	for _, p := range s.tracer.processors {
		p.OnEnd(d)
	}
}

// nonRecordingSpan is an unsampled span: it records nothing but carries a
// span context, so the trace and the sampling decision propagate. It is its
// own runtime.SpanContext, so that children can share it.
type nonRecordingSpan struct {
	tracer *Tracer
	ctx    atomic.Pointer[SpanContext]
	sc     SpanContext
	mu     sync.Mutex // serialises baggage updates
}

var (
	_ runtime.Span           = (*nonRecordingSpan)(nil)
	_ runtime.SpanContext    = (*nonRecordingSpan)(nil)
	_ fastpath.FieldTagger   = (*nonRecordingSpan)(nil)
	_ fastpath.ErrorRecorder = (*nonRecordingSpan)(nil)
	_ fastpath.ChildSkipper  = (*nonRecordingSpan)(nil)
)

// ForeachBaggageItem implements runtime.SpanContext.
func (s *nonRecordingSpan) ForeachBaggageItem(handler func(k, v string) bool) {
	s.ctx.Load().ForeachBaggageItem(handler)
}

// SkipChildren implements fastpath.ChildSkipper: true when the tracer's
// sampler never samples the child of a local unsampled span.
func (s *nonRecordingSpan) SkipChildren() bool { return s.tracer.skipUnsampledChildren }

func (s *nonRecordingSpan) Context() runtime.SpanContext            { return s }
func (s *nonRecordingSpan) Tracer() runtime.Tracer                  { return s.tracer }
func (s *nonRecordingSpan) SetOperationName(string) runtime.Span    { return s }
func (s *nonRecordingSpan) SetTag(string, any) runtime.Span         { return s }
func (s *nonRecordingSpan) SetTagField(log.Field)                   {}
func (s *nonRecordingSpan) RecordError(error)                       {}
func (s *nonRecordingSpan) LogFields(...log.Field)                  {}
func (s *nonRecordingSpan) LogKV(...any)                            {}
func (s *nonRecordingSpan) Finish()                                 {}
func (s *nonRecordingSpan) FinishWithOptions(runtime.FinishOptions) {}
func (s *nonRecordingSpan) BaggageItem(key string) string           { return s.ctx.Load().Baggage(key) }

// SetBaggageItem implements runtime.Span. Baggage travels with unsampled
// traces too.
func (s *nonRecordingSpan) SetBaggageItem(key, value string) runtime.Span {
	s.mu.Lock()
	c := s.ctx.Load().WithBaggage(key, value)
	s.ctx.Store(&c)
	s.mu.Unlock()
	return s
}
