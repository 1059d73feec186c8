module github.com/tracegen/tracegen/runtime/exporter/otlp/otlpgrpc

go 1.26.0

replace (
	github.com/tracegen/tracegen/runtime => ../../..
	github.com/tracegen/tracegen/runtime/exporter/otlp => ..
)

require (
	github.com/google/go-cmp v0.7.0
	github.com/tracegen/tracegen/runtime v0.0.0-00010101000000-000000000000
	github.com/tracegen/tracegen/runtime/exporter/otlp v0.0.0-00010101000000-000000000000
	go.opentelemetry.io/proto/otlp v1.9.0
	google.golang.org/grpc v1.79.3
	google.golang.org/protobuf v1.36.10
)

require (
	github.com/grpc-ecosystem/grpc-gateway/v2 v2.27.3 // indirect
	go.opentelemetry.io/otel v1.47.0 // indirect
	go.opentelemetry.io/otel/sdk/metric v1.47.0 // indirect
	golang.org/x/net v0.61.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/text v0.43.0 // indirect
	google.golang.org/genproto/googleapis/api v0.0.0-20251202230838-ff82c1b0f217 // indirect
	google.golang.org/genproto/googleapis/rpc v0.0.0-20251202230838-ff82c1b0f217 // indirect
)
