//go:build grpc

package main

// Built with -tags grpc, the service links the OTLP gRPC transport too.
import _ "github.com/tracegen/tracegen/runtime/exporter/otlp/otlpgrpc"
