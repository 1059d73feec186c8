package testbed

import (
	"context"
	"testing"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/internal/deep"
)

// parentTask and childTask are traced functions as tracegen leaves them.
// The parent's span reaches the child goroutine in the context passed to
// it; nothing needs to be activated there.
func parentTask(ctx context.Context, msg string) (res string, err error) {
	defer tracegen.Start(&ctx, "parent").End(&err) //tracegen:generated
	ch := make(chan string, 1)
	go func() {
		r, _ := childTask(ctx, msg)
		ch <- r
	}()
	return <-ch, nil
}

func childTask(ctx context.Context, msg string) (res string, err error) {
	defer tracegen.Start(&ctx, "child").End(&err) //tracegen:generated
	return msg + "::response", nil
}

func TestSubtaskSpanPropagation(t *testing.T) {
	tr := installTracer(t)

	res := make(chan string, 1)
	go func() {
		r, _ := parentTask(context.Background(), "message")
		res <- r
	}()
	if got, want := receive(t, res, "the parent task"), "message::response"; got != want {
		t.Errorf("response %q, want %q", got, want)
	}

	spans := tr.FinishedSpans()
	if diff := deep.Diff([]string{"child", "parent"}, finishOrder(spans)); diff != "" {
		t.Errorf("finish order (-want +got):\n%s", diff)
	}
	want := "parent\n" +
		"  child\n"
	if diff := deep.Diff(want, spanTree(spans)); diff != "" {
		t.Errorf("span tree (-want +got):\n%s", diff)
	}
}
