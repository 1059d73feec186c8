package otel_test

import (
	"testing"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	tracegen "github.com/tracegen/tracegen/runtime"
	otelbridge "github.com/tracegen/tracegen/runtime/bridge/otel"
	"github.com/tracegen/tracegen/runtime/harness"
)

// newSDK returns an OpenTelemetry SDK TracerProvider that records into a
// SpanRecorder, shut down when the test ends.
func newSDK(t testing.TB) (*sdktrace.TracerProvider, *tracetest.SpanRecorder) {
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	t.Cleanup(func() { _ = tp.Shutdown(t.Context()) })
	return tp, rec
}

// sdkProbe answers our harness from the SDK's own spans, found by span id
// among those the recorder saw start. It is a Probe and a TimeProbe; it is
// not a TagProbe or LogProbe because OpenTelemetry attributes and events
// keep only four scalar types, so the Go type a tag or log field was set
// with (int32 or uint64, say) cannot be read back.
type sdkProbe struct{ rec *tracetest.SpanRecorder }

var (
	_ harness.Probe     = sdkProbe{}
	_ harness.TimeProbe = sdkProbe{}
)

func (p sdkProbe) sdkSpan(s tracegen.Span) sdktrace.ReadOnlySpan {
	sc, ok := otelbridge.SpanContextOf(s.Context())
	if !ok {
		return nil
	}
	for _, os := range p.rec.Started() {
		if os.SpanContext().SpanID() == sc.SpanID() {
			return os
		}
	}
	return nil
}

func (p sdkProbe) SameTrace(a, b tracegen.Span) bool {
	ca, ok1 := otelbridge.SpanContextOf(a.Context())
	cb, ok2 := otelbridge.SpanContextOf(b.Context())
	return ok1 && ok2 && ca.TraceID() == cb.TraceID()
}

func (p sdkProbe) SameSpanContext(s tracegen.Span, sc tracegen.SpanContext) bool {
	want, ok1 := otelbridge.SpanContextOf(s.Context())
	got, ok2 := otelbridge.SpanContextOf(sc)
	return ok1 && ok2 && want.TraceID() == got.TraceID() && want.SpanID() == got.SpanID()
}

func (p sdkProbe) IsParent(parent, child tracegen.Span) bool {
	c := p.sdkSpan(child)
	if c == nil {
		return false
	}
	if parent == nil {
		return !c.Parent().IsValid()
	}
	ps, ok := otelbridge.SpanContextOf(parent.Context())
	return ok && c.Parent().SpanID() == ps.SpanID() && c.SpanContext().TraceID() == ps.TraceID()
}

func (p sdkProbe) Times(s tracegen.Span) (start, finish time.Time) {
	os := p.sdkSpan(s)
	if os == nil {
		return time.Time{}, time.Time{}
	}
	return os.StartTime(), os.EndTime()
}
