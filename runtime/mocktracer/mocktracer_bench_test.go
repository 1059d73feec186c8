package mocktracer

import (
	"context"
	"testing"

	tracegen "github.com/tracegen/tracegen/runtime"
)

// BenchmarkStartFinish measures starting and finishing a child span with the
// mock tracer directly. Finished spans are dropped every 4096 iterations so
// that the benchmark does not measure a growing slice.
func BenchmarkStartFinish(b *testing.B) {
	tr := New()
	parent := tr.StartSpan("parent")
	ref := tracegen.ChildOf(parent.Context())
	b.ReportAllocs()
	i := 0
	for range b.N {
		tr.StartSpan("child", ref).Finish()
		if i++; i%4096 == 0 {
			tr.Reset()
		}
	}
}

//go:noinline
func tracedMock(ctx context.Context) (err error) {
	defer tracegen.Start(&ctx, "bench.traced").End(&err)
	return nil
}

// BenchmarkStartEnd measures the code tracegen injects with the mock tracer
// installed globally: Start+End of a child of the span in the context.
func BenchmarkStartEnd(b *testing.B) {
	tr := New()
	if err := tracegen.SetGlobalTracer(tr); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(tracegen.ResetGlobalTracer)
	ctx := tracegen.ContextWithSpan(context.Background(), tr.StartSpan("parent"))
	b.ReportAllocs()
	i := 0
	for range b.N {
		_ = tracedMock(ctx)
		if i++; i%4096 == 0 {
			tr.Reset()
		}
	}
}
