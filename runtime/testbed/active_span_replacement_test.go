package testbed

import (
	"context"
	"testing"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/internal/deep"
	"github.com/tracegen/tracegen/runtime/mocktracer"
)

// replacementTask runs in its own goroutine. It starts its own span, then
// does some work on behalf of initial, a span started elsewhere, and
// finishes it, then starts a subtask under its own span again.
func replacementTask(ctx context.Context, tr tracegen.Tracer, initial tracegen.Span) (restored bool) {
	span, ctx := tracegen.StartSpanFromContextWithTracer(ctx, tr, "task")
	defer span.Finish()

	// "Activating" initial is deriving a context in which it is the active
	// span. Only code given initialCtx sees it, and nothing needs restoring
	// afterwards: ctx still holds the task's span.
	func() {
		initialCtx := tracegen.ContextWithSpan(ctx, initial)
		defer tracegen.SpanFromContext(initialCtx).Finish()
		_ = initialCtx // work strictly related to the initial span
	}()
	restored = tracegen.SpanFromContext(ctx) == span

	subtask, _ := tracegen.StartSpanFromContextWithTracer(ctx, tr, "subtask")
	subtask.Finish()
	return restored
}

func TestActiveSpanReplacement(t *testing.T) {
	t.Parallel()
	tr := mocktracer.New()

	initial := tr.StartSpan("initial")
	restored := make(chan bool, 1)
	go func() { restored <- replacementTask(context.Background(), tr, initial) }()
	if !receive(t, restored, "the task") {
		t.Error("after finishing the initial span, the task's context no longer held the task's span")
	}

	spans := tr.FinishedSpans()
	if diff := deep.Diff([]string{"initial", "subtask", "task"}, finishOrder(spans)); diff != "" {
		t.Errorf("finish order (-want +got):\n%s", diff)
	}
	// initial is unrelated to the task and its subtask.
	want := "initial\n" +
		"task\n" +
		"  subtask\n"
	if diff := deep.Diff(want, spanTree(spans)); diff != "" {
		t.Errorf("span tree (-want +got):\n%s", diff)
	}
	if n := traces(spans); n != 2 {
		t.Errorf("spans belong to %d traces, want 2", n)
	}
}
