module github.com/tracegen/tracegen/e2e

go 1.26.0

replace (
	github.com/tracegen/tracegen/examples/twoservice => ../examples/twoservice
	github.com/tracegen/tracegen/runtime => ../runtime
	github.com/tracegen/tracegen/runtime/exporter/otlp => ../runtime/exporter/otlp
	github.com/tracegen/tracegen/runtime/exporter/otlp/otlpgrpc => ../runtime/exporter/otlp/otlpgrpc
	github.com/tracegen/tracegen/runtime/exporter/zipkin => ../runtime/exporter/zipkin
	github.com/tracegen/tracegen/runtime/setup => ../runtime/setup
	github.com/tracegen/tracegen/runtime/traceredis => ../runtime/traceredis
)

require (
	github.com/google/go-cmp v0.7.0
	github.com/tracegen/tracegen/examples/twoservice v0.0.0-00010101000000-000000000000
	github.com/tracegen/tracegen/runtime v0.0.0-00010101000000-000000000000
	github.com/tracegen/tracegen/runtime/exporter/otlp v0.0.0-00010101000000-000000000000
	github.com/tracegen/tracegen/runtime/exporter/otlp/otlpgrpc v0.0.0-00010101000000-000000000000
	github.com/tracegen/tracegen/runtime/exporter/zipkin v0.0.0-00010101000000-000000000000
	github.com/tracegen/tracegen/runtime/setup v0.0.0-00010101000000-000000000000
)

require (
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/jackc/pgpassfile v1.0.0 // indirect
	github.com/jackc/pgservicefile v0.0.0-20240606120523-5a60cdf6a761 // indirect
	github.com/jackc/pgx/v5 v5.13.0 // indirect
	github.com/jackc/puddle/v2 v2.2.3 // indirect
	github.com/redis/go-redis/v9 v9.23.0 // indirect
	github.com/tracegen/tracegen/runtime/traceredis v0.0.0-00010101000000-000000000000 // indirect
	go.opentelemetry.io/otel/metric v1.47.0 // indirect
	go.opentelemetry.io/otel/sdk v1.47.0 // indirect
	go.opentelemetry.io/otel/trace v1.47.0 // indirect
	go.uber.org/atomic v1.12.0 // indirect
	golang.org/x/net v0.61.0 // indirect
	golang.org/x/sync v0.24.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/text v0.43.0 // indirect
	google.golang.org/genproto/googleapis/rpc v0.0.0-20251202230838-ff82c1b0f217 // indirect
	google.golang.org/grpc v1.79.3 // indirect
	google.golang.org/protobuf v1.36.10 // indirect
)
