package tracer

import (
	"context"
	"reflect"
	"slices"
	"sync"
	"time"

	"github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/log"
)

// SpanData is a finished span as exporters receive it. Exporters must treat
// it as read-only: it may be shared between several exporters. An exporter
// may keep the pointer after ExportSpans returns unless it is a
// SpanReleaser, whose spans are reused once it returns.
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

	x    *spanExtras // tag and log storage, kept when the SpanData is reused
	pool *sync.Pool  // the tracer's pool it came from and goes back to; nil if not reused
}

// Clone returns a copy of s that shares nothing with it that the tracer
// may reuse: an exporter that is a SpanReleaser but keeps some spans (to
// retry them later, say) keeps clones.
func (s *SpanData) Clone() *SpanData {
	c := *s
	c.x, c.pool = nil, nil
	c.References = slices.Clone(s.References)
	c.Tags = slices.Clone(s.Tags)
	c.Logs = slices.Clone(s.Logs)
	for i := range c.Logs {
		c.Logs[i].Fields = slices.Clone(c.Logs[i].Fields)
	}
	return &c
}

// newReusedData returns a SpanData from pool, which holds SpanData (with
// their spanExtras) that exporters have released, or a new one for pool.
// The caller clears it (see StartSpanWithOptions).
func newReusedData(pool *sync.Pool) *SpanData {
	if d, ok := pool.Get().(*SpanData); ok {
		return d
	}
	return &SpanData{pool: pool}
}

// releaseData puts d back in the pool it came from, if any. Nothing may
// refer to d, its Tags, Logs or log fields afterwards. It is not cleared
// here but when it is reused, by the goroutine that writes it anyway, so
// that the exporting goroutine only reads it. What it refers to stays
// reachable until then, or until the pool lets it go at a garbage
// collection: at most one span's tags, logs and error.
func releaseData(d *SpanData) {
	if d.pool != nil {
		d.pool.Put(d)
	}
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

// A SpanReleaser is an Exporter that keeps nothing of the spans it is given
// once ExportSpans returns: not the *SpanData, nor their References, Tags,
// Logs or log Fields slices (strings and field values may be kept; they are
// never changed). When a tracer's only processor is a BatchProcessor in
// front of a SpanReleaser whose ReleasesSpans returns true, the tracer
// reuses the memory of exported spans for new ones, which saves most of
// the garbage a span makes. The exporters of runtime/exporter are
// SpanReleasers, except the tree exporter, which holds spans until their
// trace is complete.
type SpanReleaser interface {
	Exporter
	ReleasesSpans() bool
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
