package tracer

import (
	"encoding/hex"

	"github.com/tracegen/tracegen/runtime"
)

// TraceID is a 128-bit trace identifier, as in W3C Trace Context.
type TraceID [16]byte

// SpanID is a 64-bit span identifier.
type SpanID [8]byte

// IsValid reports whether id is not all zeros.
func (id TraceID) IsValid() bool { return id != TraceID{} }

// IsValid reports whether id is not all zeros.
func (id SpanID) IsValid() bool { return id != SpanID{} }

// String returns 32 lowercase hex digits.
func (id TraceID) String() string { return hex.EncodeToString(id[:]) }

// String returns 16 lowercase hex digits.
func (id SpanID) String() string { return hex.EncodeToString(id[:]) }

// TraceFlags are the W3C trace flags.
type TraceFlags byte

const (
	// FlagSampled: the span is recorded and exported.
	FlagSampled TraceFlags = 0x01
	// FlagRandom: the trace id's right-most 7 bytes are random (W3C Level 2).
	FlagRandom TraceFlags = 0x02
)

// Sampled reports whether the sampled flag is set.
func (f TraceFlags) Sampled() bool { return f&FlagSampled != 0 }

// SpanContext identifies a span of this tracer and carries its baggage. It is
// immutable: methods that change it return a copy.
type SpanContext struct {
	TraceID TraceID
	SpanID  SpanID
	Flags   TraceFlags

	// Remote is true for a context extracted from a carrier.
	Remote bool

	// TraceState is the W3C tracestate value, kept as received.
	TraceState string

	// baggage is shared between copies and never changed in place.
	baggage map[string]string
}

var _ runtime.SpanContext = SpanContext{}

// IsValid reports whether both ids are set.
func (c SpanContext) IsValid() bool { return c.TraceID.IsValid() && c.SpanID.IsValid() }

// IsSampled reports whether the sampled flag is set.
func (c SpanContext) IsSampled() bool { return c.Flags.Sampled() }

// ForeachBaggageItem implements runtime.SpanContext.
func (c SpanContext) ForeachBaggageItem(handler func(k, v string) bool) {
	for k, v := range c.baggage {
		if !handler(k, v) {
			return
		}
	}
}

// Baggage returns one baggage item, or "".
func (c SpanContext) Baggage(key string) string { return c.baggage[key] }

// BaggageLen returns the number of baggage items.
func (c SpanContext) BaggageLen() int { return len(c.baggage) }

// WithBaggage returns a copy of c with key set to value. The receiver is not
// changed, so a child's baggage never reaches its parent.
func (c SpanContext) WithBaggage(key, value string) SpanContext {
	m := make(map[string]string, len(c.baggage)+1)
	for k, v := range c.baggage {
		m[k] = v
	}
	m[key] = value
	c.baggage = m
	return c
}
