package runtime

import (
	"context"

	"github.com/tracegen/tracegen/runtime/internal/activectx"
)

// spanKey is the context key of the active span.
var spanKey = activectx.Key

// ContextWithSpan returns a copy of ctx in which span is the active span.
// A nil span hides any span of an outer context: SpanFromContext then
// returns nil.
func ContextWithSpan(ctx context.Context, span Span) context.Context {
	if ctx == nil {
		ctx = context.Background()
	}
	if skipsChildren(span) {
		c := &skipContext{}
		c.Fill(ctx, span)
		return c
	}
	return context.WithValue(ctx, spanKey, span)
}

// skipContext is the context in which a span whose SkipChildren is true
// (see childSkipper) is active: an activectx.Context whose active-span value is
// the skipContext itself, so that Start recognises it by its type, both
// directly and in contexts made from it, without asking the span.
type skipContext struct{ activectx.Context }

func (c *skipContext) Value(key any) any {
	if key == any(spanKey) {
		return c
	}
	return c.Parent().Value(key)
}

// SpanFromContext returns the active span of ctx, or nil if there is none.
func SpanFromContext(ctx context.Context) Span {
	if ctx == nil {
		return nil
	}
	switch v := ctx.Value(spanKey).(type) {
	case Span:
		return v
	case *skipContext:
		return v.Span().(Span)
	}
	return nil
}

// StartSpanFromContext starts a span with the global tracer, as a child of
// the active span of ctx if there is one, and returns it with a context in
// which it is active. An explicit ChildOf or FollowsFrom option replaces the
// implicit parent; IgnoreActiveSpan starts a new trace.
func StartSpanFromContext(ctx context.Context, operationName string, opts ...StartSpanOption) (Span, context.Context) {
	return StartSpanFromContextWithTracer(ctx, GlobalTracer(), operationName, opts...)
}

// StartSpanFromContextWithTracer is StartSpanFromContext with a given tracer.
func StartSpanFromContextWithTracer(ctx context.Context, tracer Tracer, operationName string, opts ...StartSpanOption) (Span, context.Context) {
	var o StartSpanOptions
	o.Apply(opts...)
	if len(o.References) == 0 && !o.IgnoreActiveSpan {
		if parent := SpanFromContext(ctx); parent != nil {
			o.Parent = parent.Context()
		}
	}
	if _, ok := tracer.(globalHandle); ok {
		tracer = CurrentTracer()
	}
	if cs, ok := tracer.(contextStarter); ok {
		if ctx == nil {
			ctx = context.Background()
		}
		return cs.StartSpanInContext(ctx, operationName, o)
	}
	span := startSpan(tracer, operationName, o)
	return span, contextWithNewSpan(ctx, span)
}

// contextHolder is implemented by spans that carry the context in which
// they are active (see package activectx).
type contextHolder interface {
	// ActiveContext returns the span's context, or nil if the span has
	// none to give.
	ActiveContext() *activectx.Context
}

// contextWithNewSpan is ContextWithSpan for a span the tracer has just
// created: it uses the span's own context when it has one.
func contextWithNewSpan(parent context.Context, span Span) context.Context {
	if parent == nil {
		parent = context.Background()
	}
	if h, ok := span.(contextHolder); ok {
		if c := h.ActiveContext(); c != nil && c.Fill(parent, span) {
			return c
		}
	}
	return ContextWithSpan(parent, span)
}
