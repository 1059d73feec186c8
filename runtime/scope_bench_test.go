package runtime

import (
	"context"
	"errors"
	"testing"
)

//go:noinline
func tracedNoop(ctx context.Context) (err error) {
	defer Start(&ctx, "bench.traced").End(&err)
	return nil
}

// BenchmarkStartEndNoop measures the code tracegen injects when no tracer
// is installed: the cost every instrumented function pays by default.
func BenchmarkStartEndNoop(b *testing.B) {
	ResetGlobalTracer()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		_ = tracedNoop(ctx)
	}
}

var errBench = errors.New("bench")

//go:noinline
func untraced(ctx context.Context) (err error) {
	if ctx == nil {
		return errBench
	}
	return nil
}

// BenchmarkUntraced is the same function without instrumentation, the floor
// the noop path is compared with.
func BenchmarkUntraced(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		_ = untraced(ctx)
	}
}
