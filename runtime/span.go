package runtime

import (
	"time"

	"github.com/tracegen/tracegen/runtime/log"
)

// SpanContext is the part of a span that crosses process boundaries: its
// identity and its baggage. Implementations are immutable.
type SpanContext interface {
	// ForeachBaggageItem calls handler for each baggage item until it
	// returns false.
	ForeachBaggageItem(handler func(k, v string) bool)
}

// Span is one timed operation.
//
// After Finish, calls that change the span are ignored, Finish itself
// records nothing more, and Context still returns the span's context.
// No method panics on odd input.
type Span interface {
	// Finish sets the end time to now and records the span. Only the first
	// Finish or FinishWithOptions call has an effect.
	Finish()

	// FinishWithOptions finishes with an explicit time and log records.
	FinishWithOptions(opts FinishOptions)

	// Context returns the span's context, also after Finish.
	Context() SpanContext

	// SetOperationName renames the span.
	SetOperationName(operationName string) Span

	// SetTag sets a tag. The value is kept as given: a tracer must not turn
	// an int into a string.
	SetTag(key string, value any) Span

	// LogFields records a log with typed fields at the current time.
	LogFields(fields ...log.Field)

	// LogKV records a log from alternating keys and values. An odd number
	// of arguments or a non-string key is recorded as an error field
	// instead; it never panics.
	LogKV(alternatingKeyValues ...any)

	// SetBaggageItem sets a baggage item, which travels with the span's
	// context to every descendant started after the call.
	SetBaggageItem(key, value string) Span

	// BaggageItem returns a baggage item, or "" if it is not set.
	BaggageItem(key string) string

	// Tracer returns the tracer that started the span.
	Tracer() Tracer
}

// LogRecord is a log with an explicit timestamp.
type LogRecord struct {
	Timestamp time.Time
	Fields    []log.Field
}

// FinishOptions are the arguments of Span.FinishWithOptions.
type FinishOptions struct {
	// FinishTime is the end time; the zero value means now.
	FinishTime time.Time

	// LogRecords are logs to record with the span, each with its own
	// timestamp, which must lie between the start and finish times.
	LogRecords []LogRecord
}
