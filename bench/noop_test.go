package bench

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/opentracing/opentracing-go"
	tracegen "github.com/tracegen/tracegen/runtime"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// The functions below have one body, instrumented as each library is
// normally used. They are not inlined, so every benchmark pays for a real
// call, a deferred finish and the named error result, as traced code does.

var errNilContext = errors.New("nil context")

// untraced is the floor: the body without any instrumentation.
//
//go:noinline
func untraced(ctx context.Context) (err error) {
	if ctx == nil {
		return errNilContext
	}
	return nil
}

// tracedTracegen carries the line tracegen injects.
//
//go:noinline
func tracedTracegen(ctx context.Context) (err error) {
	defer tracegen.Start(&ctx, "bench.traced").End(&err) //tracegen:generated
	if ctx == nil {
		return errNilContext
	}
	return nil
}

// tracedOpenTracing is the opentracing-go idiom, with its global tracer.
//
//go:noinline
func tracedOpenTracing(ctx context.Context) (err error) {
	span, ctx := opentracing.StartSpanFromContext(ctx, "bench.traced")
	defer span.Finish()
	if ctx == nil {
		return errNilContext
	}
	return nil
}

// otelTracer is what an instrumented package keeps in a package variable.
var otelTracer trace.Tracer = noop.NewTracerProvider().Tracer("bench")

// tracedOTel is the OpenTelemetry idiom.
//
//go:noinline
func tracedOTel(ctx context.Context) (err error) {
	ctx, span := otelTracer.Start(ctx, "bench.traced")
	defer span.End()
	if ctx == nil {
		return errNilContext
	}
	return nil
}

// benchCall runs f(ctx) b.N times.
func benchCall(b *testing.B, ctx context.Context, f func(context.Context) error) {
	b.ReportAllocs()
	for b.Loop() {
		_ = f(ctx)
	}
}

// BenchmarkNoop measures a traced function with each library's noop
// tracer: the cost every instrumented call pays when tracing is off.
//
// The parent key says what the context holds:
//
//   - none: nothing, as in a call from untraced code.
//   - local: a span started by the same noop tracer, as in a call from
//     another traced function.
//   - remote: whatever each library's usual extraction leaves from an
//     incoming request whose headers carry a W3C traceparent. tracegen's
//     and opentracing-go's noop tracers extract nothing, so their context
//     stays empty; OpenTelemetry's W3C propagator, which works without an
//     SDK, stores the remote span context, which its noop tracer then
//     returns without allocating.
func BenchmarkNoop(b *testing.B) {
	tracegen.ResetGlobalTracer()
	if _, ok := opentracing.GlobalTracer().(opentracing.NoopTracer); !ok {
		b.Fatalf("opentracing-go's global tracer is %T, want its NoopTracer", opentracing.GlobalTracer())
	}
	bg := context.Background()
	tgLocal := tracegen.ContextWithSpan(bg, tracegen.NoopTracer{}.StartSpan("parent"))
	otLocal := opentracing.ContextWithSpan(bg, opentracing.NoopTracer{}.StartSpan("parent"))
	_, otelSpan := otelTracer.Start(bg, "parent")
	otelLocal := trace.ContextWithSpan(bg, otelSpan)
	tgRemote, otRemote, otelRemote := extractIncoming(b)

	cases := []struct {
		name string
		ctx  context.Context
		f    func(context.Context) error
	}{
		{"parent=none/impl=untraced", bg, untraced},
		{"parent=none/impl=tracegen", bg, tracedTracegen},
		{"parent=none/impl=opentracing", bg, tracedOpenTracing},
		{"parent=none/impl=otel", bg, tracedOTel},
		{"parent=local/impl=untraced", tgLocal, untraced},
		{"parent=local/impl=tracegen", tgLocal, tracedTracegen},
		{"parent=local/impl=opentracing", otLocal, tracedOpenTracing},
		{"parent=local/impl=otel", otelLocal, tracedOTel},
		{"parent=remote/impl=untraced", bg, untraced},
		{"parent=remote/impl=tracegen", tgRemote, tracedTracegen},
		{"parent=remote/impl=opentracing", otRemote, tracedOpenTracing},
		{"parent=remote/impl=otel", otelRemote, tracedOTel},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) { benchCall(b, c.ctx, c.f) })
	}
}

// extractIncoming returns the contexts that tracegen, opentracing-go and
// OpenTelemetry, with no tracer installed, build from the headers of a
// request that carries a W3C trace context.
func extractIncoming(tb testing.TB) (tg, ot, otel context.Context) {
	h := http.Header{}
	h.Set("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
	bg := context.Background()

	tg = bg
	if sc, err := tracegen.GlobalTracer().Extract(tracegen.HTTPHeaders, h); err == nil {
		tg = tracegen.ContextWithSpan(bg, tracegen.GlobalTracer().StartSpan("server", tracegen.ChildOf(sc)))
	}
	ot = bg
	if sc, err := opentracing.GlobalTracer().Extract(opentracing.HTTPHeaders, opentracing.HTTPHeadersCarrier(h)); err == nil {
		ot = opentracing.ContextWithSpan(bg, opentracing.GlobalTracer().StartSpan("server", opentracing.ChildOf(sc)))
	}
	otel = propagation.TraceContext{}.Extract(bg, propagation.HeaderCarrier(h))
	if !trace.SpanContextFromContext(otel).IsRemote() {
		tb.Fatal("OpenTelemetry's W3C propagator extracted no remote span context")
	}
	return tg, ot, otel
}

// TestNoopAllocations holds tracegen's noop path to the target of
// zero allocations, with and without a parent span, and with a NoopTracer
// installed explicitly, which must take the same path.
func TestNoopAllocations(t *testing.T) {
	bg := context.Background()
	parent := tracegen.ContextWithSpan(bg, tracegen.NoopTracer{}.StartSpan("parent"))
	for _, install := range []bool{false, true} {
		tracegen.ResetGlobalTracer()
		if install {
			if err := tracegen.SetGlobalTracer(tracegen.NoopTracer{}); err != nil {
				t.Fatal(err)
			}
		}
		for _, ctx := range []context.Context{bg, parent} {
			if n := testing.AllocsPerRun(1000, func() { _ = tracedTracegen(ctx) }); n != 0 {
				t.Errorf("installed=%v parent=%v: %v allocations per call, want 0", install, ctx != bg, n)
			}
		}
	}
	tracegen.ResetGlobalTracer()
}
