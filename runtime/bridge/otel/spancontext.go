package otel

import (
	"context"
	"sync/atomic"

	"go.opentelemetry.io/otel/trace"

	tracegen "github.com/tracegen/tracegen/runtime"
)

// SpanContext is the context of a span of this bridge: OpenTelemetry's span
// context (trace id, span id, flags, trace state) and tracegen's baggage.
// It is immutable; spans hand out *SpanContext.
type SpanContext struct {
	otel    trace.SpanContext
	baggage map[string]string // never changed once set

	// parentCtx caches the context.Context in which children of this span
	// context start, so that only the first child pays for building it.
	parentCtx atomic.Pointer[context.Context]
}

// startContext returns a context whose span context is c, for starting
// OpenTelemetry children of it.
func (c *SpanContext) startContext() context.Context {
	if p := c.parentCtx.Load(); p != nil {
		return *p
	}
	ctx := trace.ContextWithSpanContext(context.Background(), c.otel)
	c.parentCtx.Store(&ctx)
	return ctx
}

var _ tracegen.SpanContext = (*SpanContext)(nil)

// OTel returns the OpenTelemetry span context.
func (c *SpanContext) OTel() trace.SpanContext { return c.otel }

// TraceID returns the OpenTelemetry trace id.
func (c *SpanContext) TraceID() trace.TraceID { return c.otel.TraceID() }

// SpanID returns the OpenTelemetry span id.
func (c *SpanContext) SpanID() trace.SpanID { return c.otel.SpanID() }

// ForeachBaggageItem implements tracegen.SpanContext.
func (c *SpanContext) ForeachBaggageItem(handler func(k, v string) bool) {
	for k, v := range c.baggage {
		if !handler(k, v) {
			return
		}
	}
}

// SpanContextOf returns sc as this bridge's SpanContext, if it is one.
func SpanContextOf(sc tracegen.SpanContext) (*SpanContext, bool) {
	c, ok := sc.(*SpanContext)
	return c, ok && c != nil
}

// withBaggage returns a copy of m with key set to value.
func withBaggage(m map[string]string, key, value string) map[string]string {
	out := make(map[string]string, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	out[key] = value
	return out
}
