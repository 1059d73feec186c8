package bench

import (
	"context"
	"testing"

	"github.com/opentracing/opentracing-go"
	otmock "github.com/opentracing/opentracing-go/mocktracer"
	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/mocktracer"
)

// otMockTracer is opentracing-go's mock tracer, passed explicitly so that
// opentracing-go's global tracer stays its NoopTracer for BenchmarkNoop.
var otMockTracer = otmock.New()

// tracedOpenTracingMock is tracedOpenTracing with otMockTracer.
//
//go:noinline
func tracedOpenTracingMock(ctx context.Context) (err error) {
	span, ctx := opentracing.StartSpanFromContextWithTracer(ctx, otMockTracer, "bench.traced")
	defer span.Finish()
	if ctx == nil {
		return errNilContext
	}
	return nil
}

// resetEvery is how many spans a mock tracer keeps before a benchmark
// forgets them, so that it measures recording a span, not a growing slice.
const resetEvery = 4096

// benchMock runs f(ctx) b.N times, calling reset every resetEvery calls.
func benchMock(b *testing.B, ctx context.Context, f func(context.Context) error, reset func()) {
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_ = f(ctx)
		if i++; i == resetEvery {
			reset()
			i = 0
		}
	}
}

// BenchmarkMock measures the generated code with tracegen's mock tracer
// installed globally: Start+End of a root span (parent=none) and of a child
// of the span in the context (parent=local). Each span is recorded, with
// its ids, times and references. opentracing-go's mock tracer doing the
// same through StartSpanFromContextWithTracer is the reference point.
func BenchmarkMock(b *testing.B) {
	tr := mocktracer.New()
	if err := tracegen.SetGlobalTracer(tr); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(tracegen.ResetGlobalTracer)

	bg := context.Background()
	tgParent := tracegen.ContextWithSpan(bg, tr.StartSpan("parent"))
	otParent := opentracing.ContextWithSpan(bg, otMockTracer.StartSpan("parent"))

	cases := []struct {
		name  string
		ctx   context.Context
		f     func(context.Context) error
		reset func()
	}{
		{"parent=none/impl=tracegen", bg, tracedTracegen, tr.Reset},
		{"parent=none/impl=opentracing", bg, tracedOpenTracingMock, otMockTracer.Reset},
		{"parent=local/impl=tracegen", tgParent, tracedTracegen, tr.Reset},
		{"parent=local/impl=opentracing", otParent, tracedOpenTracingMock, otMockTracer.Reset},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			c.reset()
			benchMock(b, c.ctx, c.f, c.reset)
		})
	}
}

// TestMockRecords checks that the function BenchmarkMock measures records
// one span per call with the mock tracer, a child of the span in the context.
func TestMockRecords(t *testing.T) {
	tr := mocktracer.New()
	if err := tracegen.SetGlobalTracer(tr); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tracegen.ResetGlobalTracer)
	parent := tr.StartSpan("parent")
	ctx := tracegen.ContextWithSpan(context.Background(), parent)

	if err := tracedTracegen(ctx); err != nil {
		t.Fatal(err)
	}
	spans := tr.FinishedSpans()
	if len(spans) != 1 {
		t.Fatalf("got %d finished spans, want 1", len(spans))
	}
	got := spans[0]
	if got.OperationName() != "bench.traced" || got.ParentID() != parent.(*mocktracer.Span).SpanID() {
		t.Errorf("recorded %v, want bench.traced as a child of %v", got, parent)
	}
}
