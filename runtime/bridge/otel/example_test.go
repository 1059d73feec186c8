package otel_test

import (
	"context"
	"errors"
	"fmt"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	tracegen "github.com/tracegen/tracegen/runtime"
	otelbridge "github.com/tracegen/tracegen/runtime/bridge/otel"
)

func fetch(ctx context.Context) (err error) {
	defer tracegen.Start(&ctx, "fetch").End(&err)
	return query(ctx)
}

func query(ctx context.Context) (err error) {
	defer tracegen.Start(&ctx, "query", tracegen.KindClient).End(&err)
	return errors.New("timeout")
}

// Generated code delivers its spans into an OpenTelemetry SDK pipeline; here
// an in-memory exporter stands for a real one.
func Example() {
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	defer func() { _ = tp.Shutdown(context.Background()) }()

	if err := tracegen.SetGlobalTracer(otelbridge.NewTracer(tp)); err != nil {
		panic(err)
	}
	defer tracegen.ResetGlobalTracer()

	_ = fetch(context.Background())

	spans := exp.GetSpans()
	for _, s := range spans {
		fmt.Printf("%s kind=%v status=%v events=%s child-of-fetch=%v\n", s.Name, s.SpanKind, s.Status.Code,
			s.Events[0].Name, s.Parent.SpanID() == spans[1].SpanContext.SpanID())
	}
	// Output:
	// query kind=client status=Error events=exception child-of-fetch=true
	// fetch kind=internal status=Error events=exception child-of-fetch=false
}

// An HTTP handler wrapped by OpenTelemetry instrumentation hands its span
// over to tracegen-instrumented code.
func ExampleTracer_ContextFromOTel() {
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	bridge := otelbridge.NewTracer(tp)
	if err := tracegen.SetGlobalTracer(bridge); err != nil {
		panic(err)
	}
	defer tracegen.ResetGlobalTracer()

	// What otelhttp does before calling the handler:
	ctx, span := tp.Tracer("otelhttp").Start(context.Background(), "GET /items")
	_ = fetch(bridge.ContextFromOTel(ctx))
	span.End()

	for _, s := range exp.GetSpans() {
		fmt.Printf("%s in trace %v\n", s.Name, s.SpanContext.TraceID() == span.SpanContext().TraceID())
	}
	// Output:
	// query in trace true
	// fetch in trace true
	// GET /items in trace true
}
