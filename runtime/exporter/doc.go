// Package exporter is the home of tracegen's span exporters. Each lives in
// its own sub-package and implements tracer.Exporter; put a batch processor
// (tracer.NewBatchProcessor) in front of each one:
//
//   - console: JSON lines to any io.Writer or file (the zero-setup default),
//     and a human-readable span tree (console.NewTree(os.Stderr)).
//   - zipkin: Zipkin v2 JSON over HTTP (POST /api/v2/spans).
//   - otlp: OTLP over HTTP/protobuf (POST /v1/traces, optional gzip) or gRPC,
//     to an OpenTelemetry Collector or Jaeger.
//
// The HTTP exporters share one retry policy: exponential backoff with jitter
// on 429, 502, 503, 504 and network errors, honouring Retry-After, bounded by
// the export context's deadline.
//
// runtime/setup builds a tracer with these exporters from the OTEL_*
// environment variables.
package exporter
