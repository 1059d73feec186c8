module github.com/tracegen/tracegen/runtime/exporter/zipkin

go 1.22

replace github.com/tracegen/tracegen/runtime => ../..

require (
	github.com/google/go-cmp v0.7.0
	github.com/openzipkin/zipkin-go v0.4.3
	github.com/tracegen/tracegen/runtime v0.0.0-00010101000000-000000000000
)
