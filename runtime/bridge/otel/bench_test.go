package otel_test

import (
	"context"
	"github.com/tracegen/tracegen/runtime/fastpath"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	tracegen "github.com/tracegen/tracegen/runtime"
	otelbridge "github.com/tracegen/tracegen/runtime/bridge/otel"
)

// discard is a span processor that drops every span, so the benchmarks
// measure starting and ending spans, not exporting them.
type discard struct{}

func (discard) OnStart(context.Context, sdktrace.ReadWriteSpan) {}
func (discard) OnEnd(sdktrace.ReadOnlySpan)                     {}
func (discard) Shutdown(context.Context) error                  { return nil }
func (discard) ForceFlush(context.Context) error                { return nil }

// BenchmarkStartFinish: a sampled child span started and finished through
// the bridge, against the SDK used directly for the same work.
func BenchmarkStartFinish(b *testing.B) {
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(discard{}), sdktrace.WithSampler(sdktrace.AlwaysSample()))
	b.Run("sdk", func(b *testing.B) {
		tr := tp.Tracer("bench")
		ctx, parent := tr.Start(context.Background(), "parent")
		defer parent.End()
		b.ReportAllocs()
		for range b.N {
			_, s := tr.Start(ctx, "child")
			s.End()
		}
	})
	b.Run("bridge", func(b *testing.B) {
		tr := otelbridge.NewTracer(tp)
		parent := tr.StartSpan("parent")
		opts := tracegen.StartSpanOptions{Parent: parent.Context()}
		b.ReportAllocs()
		for range b.N {
			fastpath.StartSpanWithOptions(tr, "child", opts).Finish()
		}
	})
	b.Run("bridge/Start-End", func(b *testing.B) {
		if err := tracegen.SetGlobalTracer(otelbridge.NewTracer(tp)); err != nil {
			b.Fatal(err)
		}
		defer tracegen.ResetGlobalTracer()
		parent := tracegen.GlobalTracer().StartSpan("parent")
		ctx := tracegen.ContextWithSpan(context.Background(), parent)
		b.ReportAllocs()
		for range b.N {
			c := ctx
			tracegen.Start(&c, "child").End(nil)
		}
	})
}
