package opentracing_test

import (
	"testing"

	ot "github.com/opentracing/opentracing-go"
	otmock "github.com/opentracing/opentracing-go/mocktracer"

	tracegen "github.com/tracegen/tracegen/runtime"
	otbridge "github.com/tracegen/tracegen/runtime/bridge/opentracing"
	"github.com/tracegen/tracegen/runtime/fastpath"
	"github.com/tracegen/tracegen/runtime/tracer"
)

// BenchmarkWrapStartFinish: a child span started and finished through Wrap
// over the recording tracer, against the recording tracer used directly.
func BenchmarkWrapStartFinish(b *testing.B) {
	tr := tracer.New()
	b.Run("direct", func(b *testing.B) {
		parent := tr.StartSpan("parent")
		opt := tracegen.ChildOf(parent.Context())
		b.ReportAllocs()
		for range b.N {
			tr.StartSpan("child", opt).Finish()
		}
	})
	b.Run("bridge", func(b *testing.B) {
		otr := otbridge.Wrap(tr)
		parent := otr.StartSpan("parent")
		opt := ot.ChildOf(parent.Context())
		b.ReportAllocs()
		for range b.N {
			otr.StartSpan("child", opt).Finish()
		}
	})
}

// BenchmarkFromOpenTracingStartFinish: a child span started and finished
// through FromOpenTracing over opentracing-go's NoopTracer (the bridge's own
// cost) and its mocktracer, against the mocktracer used directly.
func BenchmarkFromOpenTracingStartFinish(b *testing.B) {
	for _, tt := range []struct {
		name string
		ot   ot.Tracer
	}{
		{"noop", ot.NoopTracer{}},
		{"mocktracer", otmock.New()},
	} {
		b.Run(tt.name+"/direct", func(b *testing.B) {
			parent := tt.ot.StartSpan("parent")
			opt := ot.ChildOf(parent.Context())
			b.ReportAllocs()
			for range b.N {
				tt.ot.StartSpan("child", opt).Finish()
				if m, ok := tt.ot.(*otmock.MockTracer); ok {
					m.Reset()
				}
			}
		})
		b.Run(tt.name+"/bridge", func(b *testing.B) {
			tr := otbridge.FromOpenTracing(tt.ot)
			parent := tr.StartSpan("parent")
			opts := tracegen.StartSpanOptions{Parent: parent.Context()}
			b.ReportAllocs()
			for range b.N {
				fastpath.StartSpanWithOptions(tr, "child", opts).Finish()
				if m, ok := tt.ot.(*otmock.MockTracer); ok {
					m.Reset()
				}
			}
		})
	}
}
