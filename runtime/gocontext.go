package runtime

import (
	"context"
	"fmt"
	"time"
)

// spanKey is the context key of the active span. It is a pointer, so that
// context's key comparison is a pointer comparison.
var spanKey = new(activeSpanKey)

type activeSpanKey struct{ _ byte }

// ContextWithSpan returns a copy of ctx in which span is the active span.
// A nil span hides any span of an outer context: SpanFromContext then
// returns nil.
func ContextWithSpan(ctx context.Context, span Span) context.Context {
	if ctx == nil {
		ctx = context.Background()
	}
	if skipsChildren(span) {
		return &skipContext{ActiveContext{parent: ctx, span: span}}
	}
	return context.WithValue(ctx, spanKey, span)
}

// skipContext is the context in which a span whose SkipChildren is true
// (see ChildSkipper) is active: an ActiveContext whose active-span value is
// the skipContext itself, so that Start recognises it by its type, both
// directly and in contexts made from it, without asking the span.
type skipContext struct{ ActiveContext }

func (c *skipContext) Value(key any) any {
	if key == any(spanKey) {
		return c
	}
	return c.parent.Value(key)
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
		return v.span
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
	if cs, ok := tracer.(ContextStarter); ok {
		if ctx == nil {
			ctx = context.Background()
		}
		return cs.StartSpanInContext(ctx, operationName, o)
	}
	span := startSpan(tracer, operationName, o)
	return span, contextWithNewSpan(ctx, span)
}

// ActiveContext is a context.Context in which a span is active, kept inside
// the span itself. A tracer's span type gives Start one by implementing
// ContextHolder; Start then fills it with the caller's context instead of
// allocating a context.WithValue, so the span and the context that holds it
// are a single allocation. It has its parent's deadline, cancellation and
// values, and SpanFromContext finds the span in it.
//
// The zero ActiveContext is unused. Start, StartRequest and
// StartSpanFromContext fill it at most once, for a span the tracer has just
// returned, before the span is visible to any other goroutine; the tracer
// must return a new span, with its own ActiveContext, for every call.
type ActiveContext struct {
	parent context.Context
	span   Span
}

var _ context.Context = (*ActiveContext)(nil)

// ContextHolder is implemented by spans that carry an ActiveContext.
type ContextHolder interface {
	// ActiveContext returns the span's ActiveContext, or nil if the span
	// has none to give.
	ActiveContext() *ActiveContext
}

// Deadline implements context.Context: the parent's deadline.
func (c *ActiveContext) Deadline() (deadline time.Time, ok bool) { return c.parent.Deadline() }

// Done implements context.Context: the parent's Done channel.
func (c *ActiveContext) Done() <-chan struct{} { return c.parent.Done() }

// Err implements context.Context: the parent's error.
func (c *ActiveContext) Err() error { return c.parent.Err() }

// Value implements context.Context: the span for the active-span key, the
// parent's values for any other key.
func (c *ActiveContext) Value(key any) any {
	if key == any(spanKey) {
		return c.span
	}
	return c.parent.Value(key)
}

// String describes the context as context.WithValue's contexts do.
func (c *ActiveContext) String() string {
	return fmt.Sprintf("%v.WithSpan(%T)", c.parent, c.span)
}

// contextWithNewSpan is ContextWithSpan for a span the tracer has just
// created: it uses the span's ActiveContext when it has one.
func contextWithNewSpan(parent context.Context, span Span) context.Context {
	if parent == nil {
		parent = context.Background()
	}
	if h, ok := span.(ContextHolder); ok {
		if c := h.ActiveContext(); c != nil && c.parent == nil {
			c.parent, c.span = parent, span
			return c
		}
	}
	return ContextWithSpan(parent, span)
}
