module github.com/tracegen/tracegen/analyzer/golangci

go 1.26.0

replace github.com/tracegen/tracegen => ../..

require (
	github.com/golangci/plugin-module-register v0.1.2
	github.com/tracegen/tracegen v0.0.0-00010101000000-000000000000
	golang.org/x/tools v0.52.0
)

require (
	github.com/dave/dst v0.28.0 // indirect
	go.yaml.in/yaml/v3 v3.0.6 // indirect
	golang.org/x/mod v0.42.0 // indirect
	golang.org/x/sync v0.24.0 // indirect
)
