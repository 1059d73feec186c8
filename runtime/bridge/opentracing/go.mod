module github.com/tracegen/tracegen/runtime/bridge/opentracing

go 1.22

replace github.com/tracegen/tracegen/runtime => ../..

require (
	github.com/google/go-cmp v0.7.0
	github.com/opentracing/opentracing-go v1.2.0
	github.com/tracegen/tracegen/runtime v0.0.0-00010101000000-000000000000
)

require (
	github.com/stretchr/testify v1.12.1 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
)
