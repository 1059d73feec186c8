package tracer

import (
	"context"
	"reflect"
	"time"

	"github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/log"
)

// SpanData is a finished span as exporters receive it. Exporters must treat
// it as read-only: it may be shared between several exporters. The tracer
// does not pool or reuse it, so an exporter may keep the pointer after
// ExportSpans returns.
type SpanData struct {
	Name    string
	Context SpanContext

	// Parent is the context of the ChildOf parent (or of the first
	// reference when there is no ChildOf); zero for a root span.
	Parent SpanContext

	// References are the references the span started with. A span whose
	// only reference is ChildOf its Parent (runtime.Start's spans, for
	// one) has none here: Parent says it all.
	References []Reference

	// Kind is the span.kind tag's value ("server", "client", "producer",
	// "consumer", or "" for internal).
	Kind string

	Start, End time.Time

	// Tags in the order they were first set; a later SetTag of the same key
	// replaces the value in place. span.kind is kept in Kind, not here.
	Tags []log.Field

	// Logs in the order they were recorded.
	Logs []runtime.LogRecord

	// Error is true when the error tag was set to true.
	Error bool

	// Resource describes the process that recorded the span.
	Resource *Resource

	// Dropped counts what span limits discarded.
	DroppedTags, DroppedLogs, DroppedLogFields int
}

// Reference is a typed link to another span.
type Reference struct {
	Type    runtime.SpanReferenceType
	Context SpanContext
}

// Resource describes the process that recorded the spans: the service name
// and resource attributes (OTEL_RESOURCE_ATTRIBUTES), shared by all its spans.
type Resource struct {
	ServiceName string
	Attributes  []log.Field
}

// Exporter sends finished spans somewhere. ExportSpans is never called
// concurrently by the tracer's processors; it must honour ctx's deadline.
type Exporter interface {
	ExportSpans(ctx context.Context, spans []*SpanData) error
	Shutdown(ctx context.Context) error
}

// Processor receives every finished, sampled span. OnEnd is called on the
// goroutine that finished the span and must not block.
type Processor interface {
	OnEnd(s *SpanData)
	ForceFlush(ctx context.Context) error
	Shutdown(ctx context.Context) error
}

// errorLogLen is the number of fields in RecordError's log.
const errorLogLen = 4

// appendErrorLog appends the fields of an error log to fields, following
// the OpenTracing conventions (as runtime.RecordError does).
func appendErrorLog(fields []log.Field, err error) []log.Field {
	return append(fields,
		log.String("event", "error"),
		log.String("message", err.Error()),
		log.String("error.kind", reflect.TypeOf(err).String()),
		log.Error(err),
	)
}
