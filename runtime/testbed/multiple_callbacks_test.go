package testbed

import (
	"context"
	"sync"
	"testing"
	"time"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/internal/deep"
)

// callbackTask is one asynchronous callback, traced as tracegen would
// trace it.
func callbackTask(ctx context.Context, d time.Duration) (err error) {
	defer tracegen.Start(&ctx, "task").End(&err) //tracegen:generated
	time.Sleep(d)
	return nil
}

// submitCallbacks starts a span covering n callbacks and returns at once.
// The span finishes when the last callback is done, whichever it is; done
// is closed after that. In Go the count of pending callbacks is a
// sync.WaitGroup, and one more goroutine waits for it.
func submitCallbacks(ctx context.Context, n int) (done <-chan struct{}) {
	span, ctx := tracegen.StartSpanFromContext(ctx, "parent")
	var wg sync.WaitGroup
	for i := range n {
		// Different delays, in the reverse order of submission, vary
		// which callback finishes last.
		d := time.Duration(n-i) * 2 * time.Millisecond
		wg.Add(1)
		go func() { defer wg.Done(); _ = callbackTask(ctx, d) }()
	}
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		wg.Wait()
		span.Finish()
	}()
	return finished
}

func TestMultipleCallbacks(t *testing.T) {
	tr := installTracer(t)

	wait(t, submitCallbacks(context.Background(), 3), "the callbacks")

	spans := tr.FinishedSpans()
	if diff := deep.Diff([]string{"task", "task", "task", "parent"}, finishOrder(spans)); diff != "" {
		t.Errorf("finish order (-want +got):\n%s", diff)
	}
	want := "parent\n" +
		"  task\n" +
		"  task\n" +
		"  task\n"
	if diff := deep.Diff(want, spanTree(spans)); diff != "" {
		t.Errorf("span tree (-want +got):\n%s", diff)
	}
}
