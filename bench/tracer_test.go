package bench_test

// Benchmarks of tracegen's recording tracer (runtime/tracer) against the
// OpenTelemetry SDK, basictracer-go and jaeger-client-go, in one run:
//
//	cd bench && go test -run '^$' -bench 'Tracer' -benchmem -count 10 . > new.txt
//	go run golang.org/x/perf/cmd/benchstat@latest new.txt
//
// Each "child" benchmark starts and finishes a sampled child of a span held
// in a context.Context, as tracegen's generated code does, and hands the
// finished span to the tracer's batching pipeline with an exporter that
// discards: tracegen's BatchProcessor, the SDK's BatchSpanProcessor,
// jaeger's RemoteReporter with a discarding transport; basictracer has no
// batching and gets a discarding recorder.

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"

	basictracer "github.com/opentracing/basictracer-go"
	opentracing "github.com/opentracing/opentracing-go"
	otext "github.com/opentracing/opentracing-go/ext"
	otlog "github.com/opentracing/opentracing-go/log"
	jaeger "github.com/uber/jaeger-client-go"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/tracer"
)

var errTraced = errors.New("bench: failed")

// --- tracegen ---

func (e *trDiscard) ExportSpans(_ context.Context, s []*tracer.SpanData) error {
	e.n.Add(uint64(len(s)))
	return nil
}
func (e *trDiscard) Shutdown(context.Context) error { return nil }

// ReleasesSpans implements tracer.SpanReleaser: the exporter keeps nothing
// of the spans, so the tracer reuses their memory, as it does with the
// OTLP, Zipkin and JSON exporters.
func (e *trDiscard) ReleasesSpans() bool { return e.releases }

// trDiscard is a discarding exporter; with releases false it does not
// say so (it is not a SpanReleaser as far as the tracer can tell), like
// an exporter that keeps spans, and the tracer does not reuse them.
type trDiscard struct {
	n        atomic.Uint64
	releases bool
}

// trSetup installs a tracegen tracer as the global tracer and returns a
// context holding a root span. Its exporter releases spans.
func trSetup(b *testing.B, sampler tracer.Sampler) (context.Context, *tracer.Tracer, *tracer.BatchProcessor, *trDiscard) {
	return trSetupExporter(b, sampler, &trDiscard{releases: true})
}

func trSetupExporter(b *testing.B, sampler tracer.Sampler, exp *trDiscard) (context.Context, *tracer.Tracer, *tracer.BatchProcessor, *trDiscard) {
	bp := tracer.NewBatchProcessor(exp)
	tr := tracer.New(tracer.WithSampler(sampler), tracer.WithProcessor(bp), tracer.WithServiceName("bench"))
	if err := tracegen.SetGlobalTracer(tr); err != nil {
		b.Fatal(err)
	}
	root := tr.StartSpan("root")
	b.Cleanup(func() {
		root.Finish()
		_ = tr.Shutdown(context.Background())
		tracegen.ResetGlobalTracer()
	})
	return tracegen.ContextWithSpan(context.Background(), root), tr, bp, exp
}

//go:noinline
func trChild(ctx context.Context) (err error) {
	defer tracegen.Start(&ctx, "bench.child").End(&err)
	return nil
}

//go:noinline
func trChildTagsError(ctx context.Context, a, b string) (err error) {
	defer tracegen.Start(&ctx, "bench.child").TagString("a", a).TagString("b", b).End(&err)
	return errTraced
}

// --- OpenTelemetry SDK ---

type otelDiscard struct{ n atomic.Uint64 }

func (e *otelDiscard) ExportSpans(_ context.Context, s []sdktrace.ReadOnlySpan) error {
	e.n.Add(uint64(len(s)))
	return nil
}
func (e *otelDiscard) Shutdown(context.Context) error { return nil }

func otelSetup(b *testing.B) (context.Context, trace.Tracer, *sdktrace.TracerProvider, *otelDiscard) {
	exp := &otelDiscard{}
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithSampler(sdktrace.AlwaysSample()),
		sdktrace.WithSpanProcessor(sdktrace.NewBatchSpanProcessor(exp)),
	)
	tr := tp.Tracer("bench")
	ctx, root := tr.Start(context.Background(), "root")
	b.Cleanup(func() {
		root.End()
		_ = tp.Shutdown(context.Background())
	})
	return ctx, tr, tp, exp
}

//go:noinline
func otelChild(ctx context.Context, tr trace.Tracer) (err error) {
	_, span := tr.Start(ctx, "bench.child")
	defer span.End()
	return nil
}

//go:noinline
func otelChildTagsError(ctx context.Context, tr trace.Tracer, a, b string) (err error) {
	_, span := tr.Start(ctx, "bench.child")
	defer func() {
		if err != nil {
			span.RecordError(err)
			span.SetStatus(codes.Error, err.Error())
		}
		span.End()
	}()
	span.SetAttributes(attribute.String("a", a), attribute.String("b", b))
	return errTraced
}

// --- OpenTracing tracers (basictracer-go, jaeger-client-go) ---

type basicDiscard struct{}

func (basicDiscard) RecordSpan(basictracer.RawSpan) {}

type jaegerDiscard struct{}

func (jaegerDiscard) Append(*jaeger.Span) (int, error) { return 0, nil }
func (jaegerDiscard) Flush() (int, error)              { return 0, nil }
func (jaegerDiscard) Close() error                     { return nil }

func basicSetup(b *testing.B) (context.Context, opentracing.Tracer) {
	opts := basictracer.DefaultOptions()
	opts.ShouldSample = func(uint64) bool { return true }
	opts.Recorder = basicDiscard{}
	return otSetup(b, basictracer.NewWithOptions(opts), nil)
}

func jaegerSetup(b *testing.B) (context.Context, opentracing.Tracer) {
	tr, closer := jaeger.NewTracer("bench", jaeger.NewConstSampler(true),
		jaeger.NewRemoteReporter(jaegerDiscard{}))
	return otSetup(b, tr, func() { _ = closer.Close() })
}

func otSetup(b *testing.B, tr opentracing.Tracer, closeFn func()) (context.Context, opentracing.Tracer) {
	root := tr.StartSpan("root")
	b.Cleanup(func() {
		root.Finish()
		if closeFn != nil {
			closeFn()
		}
	})
	return opentracing.ContextWithSpan(context.Background(), root), tr
}

//go:noinline
func otChild(ctx context.Context, tr opentracing.Tracer) (err error) {
	span, _ := opentracing.StartSpanFromContextWithTracer(ctx, tr, "bench.child")
	defer span.Finish()
	return nil
}

//go:noinline
func otChildTagsError(ctx context.Context, tr opentracing.Tracer, a, b string) (err error) {
	span, _ := opentracing.StartSpanFromContextWithTracer(ctx, tr, "bench.child")
	defer func() {
		if err != nil {
			otext.Error.Set(span, true)
			span.LogFields(otlog.String("event", "error"), otlog.String("message", err.Error()),
				otlog.String("error.kind", reflect.TypeOf(err).String()), otlog.Error(err))
		}
		span.Finish()
	}()
	span.SetTag("a", a)
	span.SetTag("b", b)
	return errTraced
}

// BenchmarkTracerChild: start+finish of a sampled child span.
func BenchmarkTracerChild(b *testing.B) {
	b.Run("tracegen", func(b *testing.B) {
		ctx, _, _, _ := trSetup(b, tracer.AlwaysSample())
		b.ReportAllocs()
		for b.Loop() {
			_ = trChild(ctx)
		}
	})
	b.Run("tracegen-keep", func(b *testing.B) {
		ctx, _, _, _ := trSetupExporter(b, tracer.AlwaysSample(), &trDiscard{})
		b.ReportAllocs()
		for b.Loop() {
			_ = trChild(ctx)
		}
	})
	b.Run("otelsdk", func(b *testing.B) {
		ctx, tr, _, _ := otelSetup(b)
		b.ReportAllocs()
		for b.Loop() {
			_ = otelChild(ctx, tr)
		}
	})
	b.Run("basictracer", func(b *testing.B) {
		ctx, tr := basicSetup(b)
		b.ReportAllocs()
		for b.Loop() {
			_ = otChild(ctx, tr)
		}
	})
	b.Run("jaeger", func(b *testing.B) {
		ctx, tr := jaegerSetup(b)
		b.ReportAllocs()
		for b.Loop() {
			_ = otChild(ctx, tr)
		}
	})
}

// BenchmarkTracerChildTagsError: the same with two string tags and a
// returned error recorded (OTel: two attributes, RecordError, SetStatus).
func BenchmarkTracerChildTagsError(b *testing.B) {
	b.Run("tracegen", func(b *testing.B) {
		ctx, _, _, _ := trSetup(b, tracer.AlwaysSample())
		b.ReportAllocs()
		for b.Loop() {
			_ = trChildTagsError(ctx, "alpha", "beta")
		}
	})
	b.Run("tracegen-keep", func(b *testing.B) {
		ctx, _, _, _ := trSetupExporter(b, tracer.AlwaysSample(), &trDiscard{})
		b.ReportAllocs()
		for b.Loop() {
			_ = trChildTagsError(ctx, "alpha", "beta")
		}
	})
	b.Run("otelsdk", func(b *testing.B) {
		ctx, tr, _, _ := otelSetup(b)
		b.ReportAllocs()
		for b.Loop() {
			_ = otelChildTagsError(ctx, tr, "alpha", "beta")
		}
	})
	b.Run("basictracer", func(b *testing.B) {
		ctx, tr := basicSetup(b)
		b.ReportAllocs()
		for b.Loop() {
			_ = otChildTagsError(ctx, tr, "alpha", "beta")
		}
	})
	b.Run("jaeger", func(b *testing.B) {
		ctx, tr := jaegerSetup(b)
		b.ReportAllocs()
		for b.Loop() {
			_ = otChildTagsError(ctx, tr, "alpha", "beta")
		}
	})
}

// noopLike is a tracer that records nothing but is not a NoopTracer, so
// Start takes the same path as with a real tracer.
type noopLike struct{ tracegen.NoopTracer }

// BenchmarkTracerUnsampled: a child of an unsampled span (the sampler said
// drop at the root), against the noop paths.
func BenchmarkTracerUnsampled(b *testing.B) {
	b.Run("tracegen", func(b *testing.B) {
		ctx, _, _, _ := trSetup(b, tracer.ParentBased(tracer.NeverSample()))
		b.ReportAllocs()
		for b.Loop() {
			_ = trChild(ctx)
		}
	})
	b.Run("noop-installed", func(b *testing.B) {
		tracegen.ResetGlobalTracer()
		ctx := context.Background()
		b.ReportAllocs()
		for b.Loop() {
			_ = trChild(ctx)
		}
	})
	b.Run("noop-tracer", func(b *testing.B) {
		if err := tracegen.SetGlobalTracer(noopLike{}); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(tracegen.ResetGlobalTracer)
		ctx := tracegen.ContextWithSpan(context.Background(), noopLike{}.StartSpan("root"))
		b.ReportAllocs()
		for b.Loop() {
			_ = trChild(ctx)
		}
	})
}

// BenchmarkTracerBatchDrops: two goroutines finish spans as fast as they
// can into the batch processor with default settings and a discarding
// exporter; exported/started is the fraction that reached the exporter
// (1 means nothing was dropped).
func BenchmarkTracerBatchDrops(b *testing.B) {
	const goroutines = 2
	b.Run("tracegen", func(b *testing.B) {
		ctx, tr, bp, exp := trSetup(b, tracer.AlwaysSample())
		b.ReportAllocs()
		runParallel(b, goroutines, func() { _ = trChild(ctx) })
		if err := tr.ForceFlush(context.Background()); err != nil {
			b.Fatal(err)
		}
		st := bp.Stats()
		if got := exp.n.Load() + st.Dropped; got != uint64(b.N) {
			b.Fatalf("exported %d + dropped %d = %d, want every one of the %d spans counted", exp.n.Load(), st.Dropped, got, b.N)
		}
		b.ReportMetric(float64(exp.n.Load())/float64(b.N), "exported/started")
		b.ReportMetric(float64(st.Dropped)/float64(b.N), "dropped/started")
	})
	b.Run("otelsdk", func(b *testing.B) {
		ctx, tr, tp, exp := otelSetup(b)
		b.ReportAllocs()
		runParallel(b, goroutines, func() { _ = otelChild(ctx, tr) })
		if err := tp.ForceFlush(context.Background()); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(exp.n.Load())/float64(b.N), "exported/started")
	})
}

// runParallel runs b.N calls of f split over n goroutines.
func runParallel(b *testing.B, n int, f func()) {
	var wg sync.WaitGroup
	b.ResetTimer()
	for g := range n {
		count := b.N / n
		if g < b.N%n {
			count++
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range count {
				f()
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
}
