package mocktracer

import (
	"fmt"
	"sync"
	"time"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/fastpath"
	"github.com/tracegen/tracegen/runtime/log"
)

// Span is a span of the mock tracer. Its accessors return copies and are safe
// to call at any time, also while other goroutines use the span.
type Span struct {
	tracer    *Tracer
	parentID  uint64
	startTime time.Time

	mu            sync.Mutex
	context       SpanContext
	operationName string
	tags          map[string]any
	logs          []LogRecord
	references    []tracegen.SpanReference
	finishTime    time.Time
	finished      bool
}

var (
	_ tracegen.Span        = (*Span)(nil)
	_ fastpath.FieldTagger = (*Span)(nil)
)

// KeyValue is one field of a recorded log. Value has the Go type the field
// was created with: string, bool, int, int32, int64, uint32, uint64, float32,
// float64, error, or the value given to log.Object or LogKV.
type KeyValue struct {
	Key   string
	Value any
}

// LogRecord is a recorded log: its time and fields. Lazy fields are expanded
// when the log is recorded; no-op fields are dropped.
type LogRecord struct {
	Timestamp time.Time
	Fields    []KeyValue
}

// SpanContext returns the span's context as this package's type.
func (s *Span) SpanContext() SpanContext {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.context
}

// TraceID returns the id of the span's trace.
func (s *Span) TraceID() uint64 { return s.SpanContext().TraceID }

// SpanID returns the span's id.
func (s *Span) SpanID() uint64 { return s.SpanContext().SpanID }

// ParentID returns the span id of the span's parent, or 0 for a root span.
func (s *Span) ParentID() uint64 { return s.parentID }

// OperationName returns the span's current operation name.
func (s *Span) OperationName() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.operationName
}

// StartTime returns the start time.
func (s *Span) StartTime() time.Time { return s.startTime }

// FinishTime returns the finish time, or the zero time before Finish.
func (s *Span) FinishTime() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.finishTime
}

// Finished reports whether Finish or FinishWithOptions has been called.
func (s *Span) Finished() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.finished
}

// Tags returns a copy of the span's tags, never nil.
func (s *Span) Tags() map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	tags := make(map[string]any, len(s.tags))
	for k, v := range s.tags {
		tags[k] = v
	}
	return tags
}

// Tag returns the value of one tag, or nil if it is not set.
func (s *Span) Tag(key string) any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tags[key]
}

// Logs returns a copy of the span's logs in the order they were recorded,
// the log records given to FinishWithOptions last.
func (s *Span) Logs() []LogRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	logs := make([]LogRecord, len(s.logs))
	for i, r := range s.logs {
		logs[i] = LogRecord{Timestamp: r.Timestamp, Fields: append([]KeyValue(nil), r.Fields...)}
	}
	return logs
}

// References returns a copy of the references the span started with, nil
// references left out.
func (s *Span) References() []tracegen.SpanReference {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]tracegen.SpanReference(nil), s.references...)
}

// String describes the span for test failure messages.
func (s *Span) String() string {
	sc := s.SpanContext()
	return fmt.Sprintf("span %q (trace %d, span %d, parent %d)", s.OperationName(), sc.TraceID, sc.SpanID, s.parentID)
}

// Tracer returns the tracer that started the span.
func (s *Span) Tracer() tracegen.Tracer { return s.tracer }

// Context returns the span's context, also after Finish.
func (s *Span) Context() tracegen.SpanContext { return s.SpanContext() }

// SetOperationName renames the span unless it has finished.
func (s *Span) SetOperationName(operationName string) tracegen.Span {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.finished {
		s.operationName = operationName
	}
	return s
}

// SetTag sets a tag, keeping the value as given, unless the span has
// finished.
func (s *Span) SetTag(key string, value any) tracegen.Span {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.setTagLocked(key, value)
	return s
}

// SetTagField sets a typed tag; the tag's value is f.Value().
func (s *Span) SetTagField(f log.Field) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.setTagLocked(f.Key(), f.Value())
}

func (s *Span) setTagLocked(key string, value any) {
	if s.finished {
		return
	}
	if s.tags == nil {
		s.tags = make(map[string]any)
	}
	s.tags[key] = value
}

// LogFields records a log at the current time unless the span has finished.
func (s *Span) LogFields(fields ...log.Field) {
	s.logAt(time.Now(), fields)
}

// LogKV records a log from alternating keys and values. An odd number of
// arguments or a non-string key records the pairs converted before the
// problem followed by an error.object field describing it.
func (s *Span) LogKV(alternatingKeyValues ...any) {
	fields, err := log.InterleavedKVToFields(alternatingKeyValues...)
	if err != nil {
		fields = append(fields, log.Error(err))
	}
	s.logAt(time.Now(), fields)
}

func (s *Span) logAt(ts time.Time, fields []log.Field) {
	rec := LogRecord{Timestamp: ts, Fields: keyValues(fields)}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.finished {
		s.logs = append(s.logs, rec)
	}
}

// SetBaggageItem sets a baggage item unless the span has finished. The span
// gets a new context; contexts handed out before keep the old baggage.
func (s *Span) SetBaggageItem(key, value string) tracegen.Span {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.finished {
		s.context = s.context.WithBaggageItem(key, value)
	}
	return s
}

// BaggageItem returns a baggage item, or "".
func (s *Span) BaggageItem(key string) string {
	return s.SpanContext().Baggage[key]
}

// Finish finishes the span now. Only the first Finish or FinishWithOptions
// has an effect.
func (s *Span) Finish() { s.FinishWithOptions(tracegen.FinishOptions{}) }

// FinishWithOptions finishes the span at opts.FinishTime (now if zero) and
// appends opts.LogRecords, each with its own timestamp, to the logs. The span
// then appears in the tracer's FinishedSpans. Only the first Finish or
// FinishWithOptions has an effect.
func (s *Span) FinishWithOptions(opts tracegen.FinishOptions) {
	end := opts.FinishTime
	if end.IsZero() {
		end = time.Now()
	}
	recs := make([]LogRecord, len(opts.LogRecords))
	for i, r := range opts.LogRecords {
		recs[i] = LogRecord{Timestamp: r.Timestamp, Fields: keyValues(r.Fields)}
	}
	s.mu.Lock()
	if s.finished {
		s.mu.Unlock()
		return
	}
	s.finished = true
	s.finishTime = end
	s.logs = append(s.logs, recs...)
	s.mu.Unlock()
	s.tracer.recordFinished(s)
}

// keyValues turns typed fields into KeyValues, expanding lazy fields and
// dropping no-op fields.
func keyValues(fields []log.Field) []KeyValue {
	c := collector{kvs: make([]KeyValue, 0, len(fields))}
	for _, f := range fields {
		switch f.Type() {
		case log.NoopType:
		case log.LazyLoggerType:
			f.Marshal(&c)
		default:
			c.kvs = append(c.kvs, KeyValue{Key: f.Key(), Value: f.Value()})
		}
	}
	return c.kvs
}

// collector is the log.Encoder that receives the fields of lazy loggers.
type collector struct{ kvs []KeyValue }

func (c *collector) add(k string, v any)             { c.kvs = append(c.kvs, KeyValue{Key: k, Value: v}) }
func (c *collector) EmitString(k, v string)          { c.add(k, v) }
func (c *collector) EmitBool(k string, v bool)       { c.add(k, v) }
func (c *collector) EmitInt(k string, v int)         { c.add(k, v) }
func (c *collector) EmitInt32(k string, v int32)     { c.add(k, v) }
func (c *collector) EmitInt64(k string, v int64)     { c.add(k, v) }
func (c *collector) EmitUint32(k string, v uint32)   { c.add(k, v) }
func (c *collector) EmitUint64(k string, v uint64)   { c.add(k, v) }
func (c *collector) EmitFloat32(k string, v float32) { c.add(k, v) }
func (c *collector) EmitFloat64(k string, v float64) { c.add(k, v) }
func (c *collector) EmitObject(k string, v any)      { c.add(k, v) }
func (c *collector) EmitLazyLogger(ll log.LazyLogger) {
	if ll != nil {
		ll(c)
	}
}
