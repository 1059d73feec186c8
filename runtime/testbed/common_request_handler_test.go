package testbed

import (
	"context"
	"testing"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/ext"
	"github.com/tracegen/tracegen/runtime/internal/deep"
	"github.com/tracegen/tracegen/runtime/mocktracer"
)

// requestHandler is middleware shared by every request of a client, as in
// web frameworks: before starts a span for a request, after finishes it.
// The two run in different goroutines, and many requests run at once, so
// the span lives in the request's own state, never in the handler.
type requestHandler struct {
	tracer tracegen.Tracer
	// parent, if not nil, is the parent of every request's span: the
	// "bad solution" of the reference testbed, as it is fixed per handler,
	// not per request.
	parent tracegen.SpanContext
	// fromContext makes the span a child of the span in the request's
	// context, the Go way; otherwise the active span is ignored.
	fromContext bool
}

// requestState is what one request carries from before to after.
type requestState struct {
	span tracegen.Span
}

func (h requestHandler) before(ctx context.Context, state *requestState) {
	opts := []tracegen.StartSpanOption{ext.SpanKindRPCClient}
	switch {
	case h.parent != nil:
		opts = append(opts, tracegen.ChildOf(h.parent))
	case !h.fromContext:
		opts = append(opts, tracegen.IgnoreActiveSpan())
	}
	state.span, _ = tracegen.StartSpanFromContextWithTracer(ctx, h.tracer, "send", opts...)
}

func (h requestHandler) after(state *requestState) {
	if state.span != nil {
		state.span.Finish()
	}
}

// handlerClient runs each request's before and after steps in goroutines
// of their own, one after the other, as an executor would.
type handlerClient struct {
	handler requestHandler
}

func (c handlerClient) send(ctx context.Context, msg string) <-chan string {
	res := make(chan string, 1)
	go func() {
		var state requestState
		step := func(f func()) {
			done := make(chan struct{})
			go func() { defer close(done); f() }()
			<-done
		}
		step(func() { c.handler.before(ctx, &state) })
		step(func() { c.handler.after(&state) })
		res <- msg + "::response"
	}()
	return res
}

func (c handlerClient) sendSync(t *testing.T, ctx context.Context, msg string) {
	t.Helper()
	if got, want := receive(t, c.send(ctx, msg), msg), msg+"::response"; got != want {
		t.Errorf("response %q, want %q", got, want)
	}
}

func TestCommonRequestHandler(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// withParent sends the requests in a context holding a span named
		// parent; fixParent also gives the handler parent's context.
		withParent, fixParent bool
		// fromContext is the handler's setting.
		fromContext bool
		// lateRequest sends one more request after parent has finished,
		// with no span in its context.
		lateRequest bool
		want        string
		wantTraces  int
	}{{
		// Concurrent requests through one handler get a span each, in
		// traces of their own.
		name: "concurrent requests",
		want: "send span.kind=client\n" +
			"send span.kind=client\n",
		wantTraces: 2,
	}, {
		// The handler ignores the span in the context: no relation.
		name:       "active span not picked",
		withParent: true,
		want: "parent\n" +
			"send span.kind=client\n",
		wantTraces: 2,
	}, {
		// A parent fixed in the handler is used by every request, also one
		// sent after the parent has finished.
		name:        "parent fixed per handler",
		withParent:  true,
		fixParent:   true,
		lateRequest: true,
		want: "parent\n" +
			"  send span.kind=client\n" +
			"  send span.kind=client\n",
		wantTraces: 1,
	}, {
		// The Go way: the request's context carries its parent, so each
		// request gets the right one and the late request starts a trace.
		name:        "parent from the request context",
		withParent:  true,
		fromContext: true,
		lateRequest: true,
		want: "parent\n" +
			"  send span.kind=client\n" +
			"send span.kind=client\n",
		wantTraces: 2,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tr := mocktracer.New()
			h := requestHandler{tracer: tr, fromContext: tt.fromContext}
			ctx := context.Background()

			if !tt.withParent {
				c := handlerClient{handler: h}
				r1, r2 := c.send(ctx, "message1"), c.send(ctx, "message2")
				for _, r := range []<-chan string{r1, r2} {
					receive(t, r, "a response")
				}
			} else {
				parent := tr.StartSpan("parent")
				if tt.fixParent {
					h.parent = parent.Context()
				}
				c := handlerClient{handler: h}
				c.sendSync(t, tracegen.ContextWithSpan(ctx, parent), "with_parent")
				parent.Finish()
				if tt.lateRequest {
					c.sendSync(t, ctx, "late")
				}
			}

			spans := tr.FinishedSpans()
			if diff := deep.Diff(tt.want, spanTree(spans)); diff != "" {
				t.Errorf("span tree (-want +got):\n%s", diff)
			}
			if n := traces(spans); n != tt.wantTraces {
				t.Errorf("spans belong to %d traces, want %d", n, tt.wantTraces)
			}
		})
	}
}
