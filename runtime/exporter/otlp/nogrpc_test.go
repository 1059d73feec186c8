package otlp_test

import (
	"errors"
	"testing"

	"github.com/tracegen/tracegen/runtime/exporter/otlp"
)

// TestGRPCNotLinked: without the otlpgrpc import, WithGRPC is an error that
// names the import to add.
func TestGRPCNotLinked(t *testing.T) {
	_, err := otlp.New(otlp.WithGRPC("localhost:4317"))
	if !errors.Is(err, otlp.ErrNoGRPC) {
		t.Fatalf("New(WithGRPC) without otlpgrpc: %v, want ErrNoGRPC", err)
	}
	const want = `otlp: gRPC is not linked into this program: add import _ "github.com/tracegen/tracegen/runtime/exporter/otlp/otlpgrpc"`
	if err.Error() != want {
		t.Errorf("error %q\nwant  %q", err, want)
	}
}
