package runtime

import "context"

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
	return context.WithValue(ctx, spanKey, span)
}

// SpanFromContext returns the active span of ctx, or nil if there is none.
func SpanFromContext(ctx context.Context) Span {
	if ctx == nil {
		return nil
	}
	s, _ := ctx.Value(spanKey).(Span)
	return s
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
	span := startSpan(tracer, operationName, o)
	return span, ContextWithSpan(ctx, span)
}
