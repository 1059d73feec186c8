package otlp_test

import (
	"context"
	"log"
	"time"

	"github.com/tracegen/tracegen/runtime/exporter/otlp"
	"github.com/tracegen/tracegen/runtime/tracer"
)

// Send spans to an OpenTelemetry Collector (or Jaeger) over OTLP/HTTP with
// gzip, behind a batch processor.
func ExampleNew() {
	exp, err := otlp.New(
		otlp.WithEndpoint("http://localhost:4318/v1/traces"),
		otlp.WithGzip(),
		otlp.WithHeaders(map[string]string{"Authorization": "Bearer token"}),
		otlp.WithTimeout(5*time.Second),
	)
	if err != nil {
		log.Fatal(err)
	}
	tr := tracer.New(tracer.WithServiceName("checkout"), tracer.WithProcessor(tracer.NewBatchProcessor(exp)))
	defer tr.Shutdown(context.Background())

	span := tr.StartSpan("work")
	span.Finish()
}
