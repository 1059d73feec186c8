package testbed

import (
	"context"
	"sync"
	"testing"
	"time"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/internal/deep"
)

// lateTask is a traced function as tracegen leaves it: its span is a child
// of the span in ctx, whatever that span's lifetime.
func lateTask(ctx context.Context, name string, d time.Duration) (err error) {
	defer tracegen.Start(&ctx, name).End(&err) //tracegen:generated
	time.Sleep(d)
	return nil
}

func TestLateSpanFinish(t *testing.T) {
	tr := installTracer(t)

	// The parent's lifetime is not tied to its children: the subtasks get
	// a context holding it, and only the caller finishes it, later.
	parent := tr.StartSpan("parent")
	ctx := tracegen.ContextWithSpan(context.Background(), parent)
	var wg sync.WaitGroup
	for _, task := range []struct {
		name string
		d    time.Duration
	}{{"task1", 5 * time.Millisecond}, {"task2", 15 * time.Millisecond}} {
		wg.Add(1)
		go func() { defer wg.Done(); _ = lateTask(ctx, task.name, task.d) }()
	}
	wg.Wait()
	parent.Finish()

	// The reference testbed also expects task1 before task2, which their
	// sleeps make likely but a loaded machine need not honour.
	spans := tr.FinishedSpans()
	if got := finishOrder(spans); len(got) != 3 || got[2] != "parent" {
		t.Errorf("finish order %q, want the two tasks, then parent", got)
	}
	want := "parent\n" +
		"  task1\n" +
		"  task2\n"
	if diff := deep.Diff(want, spanTree(spans)); diff != "" {
		t.Errorf("span tree (-want +got):\n%s", diff)
	}
	end := spans[len(spans)-1].FinishTime()
	for _, s := range spans {
		if s.FinishTime().After(end) {
			t.Errorf("%v finished at %v, after its parent (%v)", s, s.FinishTime(), end)
		}
	}
}
