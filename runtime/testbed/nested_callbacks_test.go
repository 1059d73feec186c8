package testbed

import (
	"context"
	"strconv"
	"testing"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/internal/deep"
	"github.com/tracegen/tracegen/runtime/mocktracer"
)

// nestedCallback is the depth-th of a chain of callbacks, each run in a
// goroutine started by the one before. Each gets the context and finds the
// span there; the last one finishes it and closes done.
func nestedCallback(ctx context.Context, depth, last int, done chan<- struct{}) {
	span := tracegen.SpanFromContext(ctx)
	key := strconv.Itoa(depth)
	span.SetTag("key"+key, key)
	if depth == last {
		span.Finish()
		close(done)
		return
	}
	go nestedCallback(ctx, depth+1, last, done)
}

func TestNestedCallbacks(t *testing.T) {
	t.Parallel()
	tr := mocktracer.New()

	// Fire and forget: the caller starts the span and the chain, and
	// returns without waiting; the chain's last callback finishes the span.
	done := make(chan struct{})
	func() {
		span, ctx := tracegen.StartSpanFromContextWithTracer(context.Background(), tr, "one")
		_ = span // finished by the last callback, not here
		go nestedCallback(ctx, 1, 3, done)
	}()
	wait(t, done, "the callback chain")

	want := "one key1=1 key2=2 key3=3\n"
	if diff := deep.Diff(want, spanTree(tr.FinishedSpans())); diff != "" {
		t.Errorf("span tree (-want +got):\n%s", diff)
	}
}
