package runtime_test

import (
	"context"
	"testing"
	"time"

	"github.com/tracegen/tracegen/runtime/internal/deep"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/mocktracer"
)

func TestContextWithSpan(t *testing.T) {
	t.Parallel()
	tr := mocktracer.New()
	outer := tr.StartSpan("outer")
	ctx := tracegen.ContextWithSpan(context.Background(), outer)
	if got := tracegen.SpanFromContext(ctx); got != outer {
		t.Errorf("SpanFromContext = %v, want the outer span", got)
	}
	hidden := tracegen.ContextWithSpan(ctx, nil)
	if got := tracegen.SpanFromContext(hidden); got != nil {
		t.Errorf("SpanFromContext after ContextWithSpan(nil) = %v, want nil", got)
	}
	if got := tracegen.SpanFromContext(context.Background()); got != nil {
		t.Errorf("SpanFromContext(Background) = %v, want nil", got)
	}
	//lint:ignore SA1012 a nil context must be tolerated
	if got := tracegen.SpanFromContext(nil); got != nil {
		t.Errorf("SpanFromContext(nil) = %v, want nil", got)
	}
	//lint:ignore SA1012 a nil context must be tolerated
	fromNil := tracegen.ContextWithSpan(nil, outer)
	if got := tracegen.SpanFromContext(fromNil); got != outer {
		t.Errorf("ContextWithSpan(nil ctx) holds %v, want the span", got)
	}
}

func TestStartSpanFromContextWithTracer(t *testing.T) {
	t.Parallel()
	start := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name   string
		tracer func(*mocktracer.Tracer) tracegen.Tracer
	}{
		{"span starter", func(m *mocktracer.Tracer) tracegen.Tracer { return m }},
		{"plain tracer", func(m *mocktracer.Tracer) tracegen.Tracer { return hideSpanStarter{m} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mock := mocktracer.New()
			tr := tt.tracer(mock)
			outer := asMock(t, mock.StartSpan("outer"))
			explicit := asMock(t, mock.StartSpan("explicit"))
			ctx := tracegen.ContextWithSpan(context.Background(), outer)

			cases := []struct {
				name       string
				ctx        context.Context
				opts       []tracegen.StartSpanOption
				wantParent *mocktracer.Span
			}{
				{name: "child of the active span", ctx: ctx, wantParent: outer},
				{name: "nil references ignored", ctx: ctx, opts: []tracegen.StartSpanOption{tracegen.ChildOf(nil), tracegen.FollowsFrom(nil)}, wantParent: outer},
				{name: "explicit ChildOf beats the context", ctx: ctx, opts: []tracegen.StartSpanOption{tracegen.ChildOf(explicit.Context())}, wantParent: explicit},
				{name: "explicit FollowsFrom beats the context", ctx: ctx, opts: []tracegen.StartSpanOption{tracegen.FollowsFrom(explicit.Context())}, wantParent: explicit},
				{name: "ignore active span", ctx: ctx, opts: []tracegen.StartSpanOption{tracegen.IgnoreActiveSpan()}},
				{name: "hidden outer span", ctx: tracegen.ContextWithSpan(ctx, nil)},
				{name: "empty context", ctx: context.Background()},
			}
			for _, c := range cases {
				opts := append(c.opts, tracegen.StartTime(start), tracegen.Tag{Key: "k", Value: 1})
				span, got := tracegen.StartSpanFromContextWithTracer(c.ctx, tr, c.name, opts...)
				s := asMock(t, span)
				if tracegen.SpanFromContext(got) != span {
					t.Errorf("%s: the returned context does not hold the new span", c.name)
				}
				if c.wantParent == nil {
					if s.ParentID() != 0 {
						t.Errorf("%s: parent %d, want a root", c.name, s.ParentID())
					}
				} else if s.ParentID() != c.wantParent.SpanID() || s.TraceID() != c.wantParent.TraceID() {
					t.Errorf("%s: parent %d trace %d, want %s", c.name, s.ParentID(), s.TraceID(), c.wantParent)
				}
				if !s.StartTime().Equal(start) || s.Tag("k") != 1 {
					t.Errorf("%s: start %v tag %#v, want %v and 1", c.name, s.StartTime(), s.Tag("k"), start)
				}
			}
		})
	}
}

func TestStartSpanFromContextUsesTheGlobalTracer(t *testing.T) {
	tr := installMock(t)
	outer := asMock(t, tr.StartSpan("outer"))
	ctx := tracegen.ContextWithSpan(context.Background(), outer)
	span, got := tracegen.StartSpanFromContext(ctx, "child", tracegen.Tags{"k": "v"})
	span.Finish()
	child := onlyFinished(t, tr)
	if tracegen.SpanFromContext(got) != span {
		t.Error("the returned context does not hold the new span")
	}
	if child.ParentID() != outer.SpanID() {
		t.Errorf("parent = %d, want %d", child.ParentID(), outer.SpanID())
	}
	if diff := deep.Diff(map[string]any{"k": "v"}, child.Tags()); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
}
