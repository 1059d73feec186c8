package tracer

import "github.com/tracegen/tracegen/runtime"

// Propagator writes span contexts to, and reads them from, text carriers
// (the TextMap and HTTPHeaders formats).
type Propagator interface {
	// Inject writes the fields of sc this propagator knows into carrier.
	Inject(sc SpanContext, carrier runtime.TextMapWriter)

	// Extract reads carrier and returns sc with what it found merged in:
	// a propagator of ids replaces the ids, flags and trace state, a
	// propagator of baggage adds baggage. The error is
	// runtime.ErrSpanContextNotFound when the carrier has none of its
	// fields and runtime.ErrSpanContextCorrupted when they are invalid; sc
	// is then returned unchanged.
	Extract(carrier runtime.TextMapReader, sc SpanContext) (SpanContext, error)

	// Fields lists the carrier keys the propagator reads and writes, in
	// lowercase.
	Fields() []string
}
