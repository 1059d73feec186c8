module github.com/tracegen/tracegen/runtime/exporter/otlp

go 1.23.0

replace github.com/tracegen/tracegen/runtime => ../..

require (
	github.com/google/go-cmp v0.7.0
	github.com/tracegen/tracegen/runtime v0.0.0-00010101000000-000000000000
	go.opentelemetry.io/proto/otlp v1.9.0
	google.golang.org/protobuf v1.36.10
)
