package bench_test

// W3C Trace Context inject+extract round trips into an http.Header:
// tracegen's propagator (runtime/tracer) against OpenTelemetry's
// propagation.TraceContext, for the same sampled span context with and
// without a two-member tracestate.
//
//	cd bench && go test -run '^$' -bench Propagat -benchmem -count 6 . | tee /tmp/prop.txt
//	go run golang.org/x/perf/cmd/benchstat@latest -col /impl /tmp/prop.txt
//
// impl=tracegen calls the propagator directly with an http.Header carrier,
// as OpenTelemetry's is called with propagation.HeaderCarrier;
// impl=tracegen-tracer goes through the runtime API (Tracer.Inject and
// Extract with the HTTPHeaders format and a plain http.Header), which also
// returns the extracted context as a pointer.

import (
	"context"
	"net/http"
	"testing"

	"github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/tracer"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

var (
	propTraceID = [16]byte{0x0a, 0xf7, 0x65, 0x19, 0x16, 0xcd, 0x43, 0xdd, 0x84, 0x48, 0xeb, 0x21, 0x1c, 0x80, 0x31, 0x9c}
	propSpanID  = [8]byte{0xb7, 0xad, 0x6b, 0x71, 0x69, 0x20, 0x33, 0x31}
)

const propTraceState = "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"

func BenchmarkPropagationW3C(b *testing.B) {
	for _, state := range []string{"", propTraceState} {
		name := "tracestate=none"
		if state != "" {
			name = "tracestate=2"
		}
		b.Run(name+"/impl=tracegen", func(b *testing.B) {
			p := tracer.TraceContextPropagator{}
			sc := tracer.SpanContext{TraceID: propTraceID, SpanID: propSpanID, Flags: tracer.FlagSampled, TraceState: state}
			h := runtime.HTTPHeadersCarrier(http.Header{})
			b.ReportAllocs()
			for b.Loop() {
				p.Inject(sc, h)
				got, err := p.Extract(h, tracer.SpanContext{})
				if err != nil || got.SpanID != sc.SpanID || got.TraceState != state {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/impl=tracegen-tracer", func(b *testing.B) {
			tr := tracer.New(tracer.WithPropagator(tracer.TraceContextPropagator{}))
			sc := tracer.SpanContext{TraceID: propTraceID, SpanID: propSpanID, Flags: tracer.FlagSampled, TraceState: state}
			var ref runtime.SpanContext = &sc // as Span.Context returns it
			h := http.Header{}
			b.ReportAllocs()
			for b.Loop() {
				if err := tr.Inject(ref, runtime.HTTPHeaders, h); err != nil {
					b.Fatal(err)
				}
				got, err := tr.Extract(runtime.HTTPHeaders, h)
				if err != nil {
					b.Fatal(err)
				}
				if c, _ := tracer.SpanContextOf(got); c.SpanID != sc.SpanID || c.TraceState != state {
					b.Fatal("wrong context")
				}
			}
		})
		b.Run(name+"/impl=otel", func(b *testing.B) {
			p := propagation.TraceContext{}
			ts, err := trace.ParseTraceState(state)
			if err != nil {
				b.Fatal(err)
			}
			sc := trace.NewSpanContext(trace.SpanContextConfig{
				TraceID: propTraceID, SpanID: propSpanID, TraceFlags: trace.FlagsSampled, TraceState: ts, Remote: true,
			})
			ctx := trace.ContextWithRemoteSpanContext(context.Background(), sc)
			h := propagation.HeaderCarrier(http.Header{})
			b.ReportAllocs()
			for b.Loop() {
				p.Inject(ctx, h)
				got := trace.SpanContextFromContext(p.Extract(context.Background(), h))
				if got.SpanID() != sc.SpanID() || got.TraceState().Len() != ts.Len() {
					b.Fatal("wrong context")
				}
			}
		})
	}
}
