package mocktracer

import tracegen "github.com/tracegen/tracegen/runtime"

// SpanContext is the context of a mock span: its ids and baggage.
//
// It is a value; Baggage is shared between contexts and must not be changed.
// WithBaggageItem returns a context with a new map.
type SpanContext struct {
	TraceID uint64
	SpanID  uint64
	Baggage map[string]string
}

var _ tracegen.SpanContext = SpanContext{}

// ForeachBaggageItem calls handler for each baggage item until it returns
// false.
func (c SpanContext) ForeachBaggageItem(handler func(k, v string) bool) {
	for k, v := range c.Baggage {
		if !handler(k, v) {
			return
		}
	}
}

// WithBaggageItem returns a copy of c with the baggage item set.
func (c SpanContext) WithBaggageItem(key, value string) SpanContext {
	b := make(map[string]string, len(c.Baggage)+1)
	for k, v := range c.Baggage {
		b[k] = v
	}
	b[key] = value
	c.Baggage = b
	return c
}

// contextOf returns sc as this package's SpanContext, if it is one (a value
// or a non-nil pointer).
func contextOf(sc tracegen.SpanContext) (SpanContext, bool) {
	switch c := sc.(type) {
	case SpanContext:
		return c, true
	case *SpanContext:
		if c != nil {
			return *c, true
		}
	}
	return SpanContext{}, false
}
