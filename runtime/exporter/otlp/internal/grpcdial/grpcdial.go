// Package grpcdial is where the otlpgrpc package plugs the gRPC transport
// into the otlp exporter, so that otlp itself, and every program that does
// not import otlpgrpc, links no gRPC code.
package grpcdial

import (
	"context"

	"github.com/tracegen/tracegen/runtime/exporter/internal/retry"
)

// Config is what the exporter's options say about the gRPC connection.
type Config struct {
	Target  string // host:port
	TLS     bool
	Headers map[string]string // sent as metadata
	Gzip    bool
	Retry   retry.Policy
}

// Conn sends encoded ExportTraceServiceRequests.
type Conn interface {
	// Export sends one request and returns the encoded response and the
	// number of attempts made.
	Export(ctx context.Context, request []byte) (response []byte, attempts int, err error)
	Close() error
}

// Dial opens a connection. It is nil until package otlpgrpc is imported,
// whose init sets it; nothing else writes it.
var Dial func(Config) (Conn, error)
