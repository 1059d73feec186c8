package testbed

import (
	"context"
	"testing"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/ext"
	"github.com/tracegen/tracegen/runtime/internal/deep"
	"github.com/tracegen/tracegen/runtime/mocktracer"
)

// responseListener is told of one request's response. Each request has its
// own, holding that request's span, so it needs no context lookup.
type responseListener struct {
	span tracegen.Span
}

func (l responseListener) onResponse(string) { l.span.Finish() }

// listenerClient sends each request in a goroutine of its own, which calls
// the request's listener when the response arrives.
type listenerClient struct {
	tracer tracegen.Tracer
}

func (c listenerClient) sendSync(ctx context.Context, msg string) string {
	span, _ := tracegen.StartSpanFromContextWithTracer(ctx, c.tracer, "send", ext.SpanKindRPCClient)
	listener := responseListener{span: span}
	res := make(chan string, 1)
	go func() {
		r := msg + "::response"
		listener.onResponse(r)
		res <- r
	}()
	return <-res
}

func TestListenerPerRequest(t *testing.T) {
	t.Parallel()
	tr := mocktracer.New()
	c := listenerClient{tracer: tr}
	if got, want := c.sendSync(context.Background(), "message"), "message::response"; got != want {
		t.Errorf("response %q, want %q", got, want)
	}
	want := "send span.kind=client\n"
	if diff := deep.Diff(want, spanTree(tr.FinishedSpans())); diff != "" {
		t.Errorf("span tree (-want +got):\n%s", diff)
	}
}
