package tracer

import (
	"net/http"
	"testing"

	"github.com/tracegen/tracegen/runtime"
)

// BenchmarkPropagation injects a sampled span context into an http.Header
// and extracts it again, with each propagator.
func BenchmarkPropagation(b *testing.B) {
	sc := mustSC(b, specTrace, specSpan, FlagSampled|FlagRandom)
	withState := sc
	withState.TraceState = "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"
	withBaggage := sc.WithBaggage("user", "Amélie").WithBaggage("tenant", "acme")
	cases := []struct {
		name string
		p    Propagator
		sc   SpanContext
	}{
		{"tracecontext", TraceContextPropagator{}, sc},
		{"tracecontext/tracestate", TraceContextPropagator{}, withState},
		{"default/baggage", DefaultPropagator(), withBaggage},
		{"b3", B3Propagator{}, sc},
		{"b3multi", B3Propagator{Multi: true}, sc},
		{"jaeger", JaegerPropagator{}, sc},
		{"ottrace", OTTracePropagator{}, sc},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			h := runtime.HTTPHeadersCarrier(http.Header{})
			b.ReportAllocs()
			for range b.N {
				c.p.Inject(c.sc, h)
				got, err := c.p.Extract(h, SpanContext{})
				if err != nil || got.SpanID != c.sc.SpanID {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPropagationExtractInvalid extracts headers that are rejected.
func BenchmarkPropagationExtractInvalid(b *testing.B) {
	cases := map[string]http.Header{
		"traceparent uppercase": {"Traceparent": {"00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01"}},
		"baggage oversized":     {"Baggage": {string(make([]byte, 1<<20))}},
	}
	for name, h := range cases {
		b.Run(name, func(b *testing.B) {
			p := DefaultPropagator()
			b.ReportAllocs()
			for range b.N {
				if _, err := p.Extract(runtime.HTTPHeadersCarrier(h), SpanContext{}); err == nil {
					b.Fatal("accepted")
				}
			}
		})
	}
}
