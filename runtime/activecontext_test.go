package runtime_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/internal/activectx"
	"github.com/tracegen/tracegen/runtime/mocktracer"
)

// holderSpan is a mock span that carries its own ActiveContext and records
// FinishWithError calls.
type holderSpan struct {
	*mocktracer.Span
	active      activectx.Context
	finishedErr []error
}

func (s *holderSpan) ActiveContext() *activectx.Context { return &s.active }

func (s *holderSpan) FinishWithError(err error) {
	s.finishedErr = append(s.finishedErr, err)
	tracegen.RecordError(s.Span, err)
	s.Span.Finish()
}

// holderTracer returns holderSpans, or the same one every time when reuse
// is set (which a real tracer must not do; the runtime copes).
type holderTracer struct {
	*mocktracer.Tracer
	reuse *holderSpan
}

func (t *holderTracer) StartSpan(name string, opts ...tracegen.StartSpanOption) tracegen.Span {
	if t.reuse != nil {
		return t.reuse
	}
	return &holderSpan{Span: t.Tracer.StartSpan(name, opts...).(*mocktracer.Span)}
}

func (t *holderTracer) StartSpanWithOptions(name string, opts tracegen.StartSpanOptions) tracegen.Span {
	if t.reuse != nil {
		return t.reuse
	}
	return &holderSpan{Span: t.Tracer.StartSpanWithOptions(name, opts).(*mocktracer.Span)}
}

func installHolder(t *testing.T) *holderTracer {
	t.Helper()
	tr := &holderTracer{Tracer: mocktracer.New()}
	if err := tracegen.SetGlobalTracer(tr); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tracegen.ResetGlobalTracer)
	return tr
}

type ctxKey string

func TestStartUsesTheSpansActiveContext(t *testing.T) {
	installHolder(t)
	cause := errors.New("client went away")
	parent, cancel := context.WithCancelCause(context.WithValue(context.Background(), ctxKey("user"), "ada"))
	parent, cancelTimeout := context.WithTimeout(parent, time.Hour)
	defer cancelTimeout()

	ctx := parent
	scope := tracegen.Start(&ctx, "op")
	span := scope.Span().(*holderSpan)
	if ctx != context.Context(&span.active) {
		t.Fatalf("Start stored %T, want the span's own ActiveContext", ctx)
	}
	if got := tracegen.SpanFromContext(ctx); got != tracegen.Span(span) {
		t.Errorf("SpanFromContext = %v, want the new span", got)
	}
	if got := ctx.Value(ctxKey("user")); got != "ada" {
		t.Errorf("parent's value = %v, want ada", got)
	}
	pd, _ := parent.Deadline()
	if d, ok := ctx.Deadline(); !ok || !d.Equal(pd) {
		t.Errorf("Deadline = %v, %v; want the parent's %v", d, ok, pd)
	}
	if !strings.Contains(ctx.(interface{ String() string }).String(), "WithSpan(*runtime_test.holderSpan)") {
		t.Errorf("String() = %q, want it to name the span", ctx)
	}

	derived, stop := context.WithCancel(ctx)
	defer stop()
	if ctx.Err() != nil {
		t.Fatalf("Err before cancel = %v", ctx.Err())
	}
	cancel(cause)
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("Done not closed when the parent was canceled")
	}
	select {
	case <-derived.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("a context derived from the span's context was not canceled with the parent")
	}
	if !errors.Is(ctx.Err(), context.Canceled) || context.Cause(ctx) != cause || context.Cause(derived) != cause {
		t.Errorf("Err %v, Cause %v, derived Cause %v; want Canceled and %v", ctx.Err(), context.Cause(ctx), context.Cause(derived), cause)
	}
	scope.End(nil)
}

func TestStartWithAnActiveContextInUse(t *testing.T) {
	tr := installHolder(t)
	tr.reuse = &holderSpan{Span: tr.Tracer.StartSpan("shared").(*mocktracer.Span)}
	first, second := context.WithValue(context.Background(), ctxKey("n"), 1), context.WithValue(context.Background(), ctxKey("n"), 2)
	ctx1, ctx2 := first, second
	tracegen.Start(&ctx1, "a")
	tracegen.Start(&ctx2, "b")
	if ctx1 != context.Context(&tr.reuse.active) || ctx2 == context.Context(&tr.reuse.active) {
		t.Fatalf("contexts %T and %T: want the ActiveContext used once, then a context of its own", ctx1, ctx2)
	}
	if ctx1.Value(ctxKey("n")) != 1 || ctx2.Value(ctxKey("n")) != 2 {
		t.Errorf("values %v and %v, want each context to keep its own parent's (1, 2)", ctx1.Value(ctxKey("n")), ctx2.Value(ctxKey("n")))
	}
	if tracegen.SpanFromContext(ctx2) != tracegen.Span(tr.reuse) {
		t.Error("the second context does not hold the span")
	}
}

func TestEndUsesErrorFinisher(t *testing.T) {
	installHolder(t)
	var span *holderSpan
	f := func(ctx context.Context, fail error) (err error) {
		defer func() { _ = err }()
		scope := tracegen.Start(&ctx, "f")
		span = scope.Span().(*holderSpan)
		defer scope.End(&err)
		return fail
	}
	_ = f(context.Background(), errNotFound)
	if len(span.finishedErr) != 1 || span.finishedErr[0] != errNotFound {
		t.Errorf("FinishWithError calls %v, want one with %v", span.finishedErr, errNotFound)
	}
	wantErrorRecorded(t, span.Span, errNotFound, "*errors.errorString")

	_ = f(context.Background(), nil)
	if len(span.finishedErr) != 0 || span.FinishTime().IsZero() {
		t.Errorf("without an error: FinishWithError calls %v, finished %v; want Finish only", span.finishedErr, span.FinishTime())
	}
}

// skipper is a span under which the tracer records no children.
type skipper struct{ tracegen.Span }

func (skipper) SkipChildren() bool { return true }

func TestStartUnderAChildSkipper(t *testing.T) {
	tr := installHolder(t)
	parent, cancel := context.WithCancel(context.WithValue(context.Background(), ctxKey("user"), "ada"))
	defer cancel()
	sk := skipper{tracegen.NoopTracer{}.StartSpan("unsampled")}
	ctx := tracegen.ContextWithSpan(parent, sk)
	if got := tracegen.SpanFromContext(ctx); got != tracegen.Span(sk) {
		t.Errorf("SpanFromContext = %v, want the skipping span", got)
	}
	if ctx.Value(ctxKey("user")) != "ada" {
		t.Error("the parent's values are lost")
	}
	// Directly, and through a context derived from it: no span, the
	// context is left alone.
	derived := context.WithValue(ctx, ctxKey("more"), 1)
	for name, c := range map[string]context.Context{"direct": ctx, "derived": derived} {
		before := c
		if s := tracegen.Start(&c, "skipped"); s.Span() != nil || c != before {
			t.Errorf("%s: Start under a ChildSkipper returned %v and replaced the context: %v", name, s.Span(), c != before)
		}
	}
	if n := len(tr.FinishedSpans()); n != 0 {
		t.Errorf("%d spans recorded under a ChildSkipper", n)
	}
	cancel()
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the skipping span's context is not canceled with its parent")
	}
	if !errors.Is(ctx.Err(), context.Canceled) {
		t.Errorf("Err = %v", ctx.Err())
	}
}

// ctxStarter is a mock tracer that starts spans through ContextStarter and
// leaves a mark of its own in the contexts it returns.
type ctxStarter struct {
	*mocktracer.Tracer
	got []context.Context
}

func (t *ctxStarter) StartSpanInContext(ctx context.Context, name string, opts tracegen.StartSpanOptions) (tracegen.Span, context.Context) {
	t.got = append(t.got, ctx)
	span := t.Tracer.StartSpanWithOptions(name, opts)
	return span, tracegen.ContextWithSpan(context.WithValue(ctx, ctxKey("starter"), name), span)
}

func TestContextStarter(t *testing.T) {
	tr := &ctxStarter{Tracer: mocktracer.New()}
	if err := tracegen.SetGlobalTracer(tr); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tracegen.ResetGlobalTracer)
	outer := context.WithValue(context.Background(), ctxKey("user"), "ada")

	ctx := outer
	scope := tracegen.Start(&ctx, "client call", tracegen.KindClient)
	if len(tr.got) != 1 || tr.got[0] != outer {
		t.Fatalf("StartSpanInContext got contexts %v, want the caller's", tr.got)
	}
	if ctx.Value(ctxKey("starter")) != "client call" || tracegen.SpanFromContext(ctx) != scope.Span() {
		t.Errorf("Start did not store the context the tracer returned")
	}
	inner := ctx
	tracegen.Start(&inner, "inner").End(nil)
	scope.End(nil)
	spans := tr.FinishedSpans()
	if len(spans) != 2 {
		t.Fatalf("%d spans finished, want 2", len(spans))
	}
	client, child := spans[1], spans[0]
	if client.Tag("span.kind") != "client" || child.ParentID() != client.SpanID() {
		t.Errorf("client span kind %v, inner's parent %d; want client and %d", client.Tag("span.kind"), child.ParentID(), client.SpanID())
	}

	req := httptest.NewRequest("GET", "/orders", nil)
	tracegen.StartRequest(&req, "handler").End(nil)
	if req.Context().Value(ctxKey("starter")) != "handler" {
		t.Error("StartRequest did not use the context the tracer returned")
	}

	span, sctx := tracegen.StartSpanFromContext(outer, "api")
	if sctx.Value(ctxKey("starter")) != "api" || tracegen.SpanFromContext(sctx) != span {
		t.Error("StartSpanFromContext with the global tracer did not go through ContextStarter")
	}
	span.Finish()
}
