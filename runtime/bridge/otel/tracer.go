package otel

import (
	"context"
	"github.com/tracegen/tracegen/runtime/fastpath"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	tracegen "github.com/tracegen/tracegen/runtime"
)

// ScopeName is the default instrumentation scope name of the OpenTelemetry
// tracer the bridge uses.
const ScopeName = "github.com/tracegen/tracegen/runtime/bridge/otel"

// Tracer is a tracegen Tracer whose spans are OpenTelemetry spans of a
// TracerProvider. Make one with NewTracer. It is safe for concurrent use.
type Tracer struct {
	tracer     trace.Tracer
	propagator propagation.TextMapPropagator
}

var (
	_ tracegen.Tracer         = (*Tracer)(nil)
	_ fastpath.SpanStarter    = (*Tracer)(nil)
	_ fastpath.ContextStarter = (*Tracer)(nil)
)

// Option configures NewTracer.
type Option interface{ apply(*config) }

type config struct {
	propagator propagation.TextMapPropagator
	scopeName  string
	tracerOpts []trace.TracerOption
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// WithPropagator sets the propagator of Inject and Extract. The default is
// W3C Trace Context and W3C Baggage; pass otel.GetTextMapPropagator() to
// follow the application's global OpenTelemetry propagator instead.
func WithPropagator(p propagation.TextMapPropagator) Option {
	return optionFunc(func(c *config) { c.propagator = p })
}

// WithScope sets the instrumentation scope of the OpenTelemetry tracer
// (default ScopeName, no options).
func WithScope(name string, opts ...trace.TracerOption) Option {
	return optionFunc(func(c *config) { c.scopeName, c.tracerOpts = name, opts })
}

// NewTracer returns a tracegen Tracer that records through tp.
func NewTracer(tp trace.TracerProvider, opts ...Option) *Tracer {
	c := config{scopeName: ScopeName}
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}
	if c.propagator == nil {
		c.propagator = propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})
	}
	return &Tracer{tracer: tp.Tracer(c.scopeName, c.tracerOpts...), propagator: c.propagator}
}

// StartSpan implements tracegen.Tracer.
func (t *Tracer) StartSpan(operationName string, opts ...tracegen.StartSpanOption) tracegen.Span {
	var o tracegen.StartSpanOptions
	o.Apply(opts...)
	return t.StartSpanWithOptions(operationName, o)
}

// StartSpanWithOptions implements fastpath.SpanStarter. The OpenTelemetry
// span's parent is the first ChildOf reference, or the first FollowsFrom
// reference if there is no ChildOf; every other reference becomes a link
// with the attribute opentracing.ref_type. References to span contexts of
// other tracers are ignored. Baggage is inherited from every reference,
// the earlier reference winning on the same key.
func (t *Tracer) StartSpanWithOptions(operationName string, o tracegen.StartSpanOptions) tracegen.Span {
	s := &span{tracer: t, name: operationName, start: o.StartTime}
	if s.start.IsZero() {
		s.start = time.Now()
	}
	parent := -1
	refs := o.ParentReferences()
	for i, r := range refs {
		c, ok := SpanContextOf(r.ReferencedContext)
		if !ok {
			continue
		}
		if parent < 0 || r.Type == tracegen.ChildOfRef && refs[parent].Type != tracegen.ChildOfRef {
			parent = i
		}
		for k, v := range c.baggage {
			if _, dup := s.baggage[k]; !dup {
				if s.baggage == nil {
					s.baggage = make(map[string]string, len(c.baggage))
				}
				s.baggage[k] = v
			}
		}
	}
	for i, r := range refs {
		c, ok := SpanContextOf(r.ReferencedContext)
		if !ok {
			continue
		}
		if i == parent {
			s.parent = c
			continue
		}
		s.links = append(s.links, trace.Link{
			SpanContext: c.otel,
			Attributes:  []attribute.KeyValue{attribute.String("opentracing.ref_type", refType(r.Type))},
		})
	}
	for k, v := range o.Tags {
		s.setTagLocked(k, v)
	}
	return s
}

// StartSpanInContext implements fastpath.ContextStarter, which the
// generated code's tracegen.Start, StartRequest and StartSpanFromContext
// use: it starts the span in ctx and returns a context in which it is
// active both as the tracegen span and as the OpenTelemetry span. So an
// OpenTelemetry span in ctx (from otelhttp, say) is the parent of a
// tracegen span started under it, and OpenTelemetry-instrumented code
// called with the returned context starts children of the tracegen span:
// parent links hold across the two APIs in both directions. The parent is
// the OpenTelemetry span in ctx when there is one, being the innermost (the
// tracegen span in ctx, opts.Parent, is it or one of its ancestors);
// explicit references and IgnoreActiveSpan are honoured as by
// StartSpanWithOptions.
func (t *Tracer) StartSpanInContext(ctx context.Context, operationName string, opts tracegen.StartSpanOptions) (tracegen.Span, context.Context) {
	s := t.StartSpanWithOptions(operationName, opts).(*span)
	if len(opts.References) == 0 && !opts.IgnoreActiveSpan && trace.SpanContextFromContext(ctx).IsValid() {
		s.parent, s.startCtx = nil, ctx
		for _, m := range baggage.FromContext(ctx).Members() {
			k := decodeKey(m.Key())
			if _, dup := s.baggage[k]; !dup {
				if s.baggage == nil {
					s.baggage = make(map[string]string)
				}
				s.baggage[k] = m.Value()
			}
		}
	}
	os, sc := s.started()
	ctx = trace.ContextWithSpan(ctx, os)
	if len(sc.baggage) > 0 {
		ctx = baggage.ContextWithBaggage(ctx, otelBaggage(sc.baggage))
	}
	return s, tracegen.ContextWithSpan(ctx, s)
}

// ContextFromOTel returns ctx with the OpenTelemetry span active in ctx
// (put there by otelhttp, otelgrpc or any OpenTelemetry instrumentation)
// as the active tracegen span, so that tracegen.Start and
// StartSpanFromContext under it start OpenTelemetry children of it. The
// OpenTelemetry baggage in ctx becomes the span's baggage. The adopted
// span's tags and logs go to the OpenTelemetry span; its Finish does
// nothing, since the span belongs to the code that started it. Without a
// valid OpenTelemetry span in ctx, ctx is returned as it is.
//
// tracegen.Start and StartRequest find the OpenTelemetry span in their
// context themselves (see StartSpanInContext); this call is for the rest:
// Tracer.StartSpan, which has no context, and the IfActive option (the
// directive's ifactive), which looks for a tracegen span.
func (t *Tracer) ContextFromOTel(ctx context.Context) context.Context {
	os := trace.SpanFromContext(ctx)
	sc := os.SpanContext()
	if !sc.IsValid() {
		return ctx
	}
	s := &span{tracer: t, adopted: true, otel: os, name: "", start: time.Now()}
	var bag map[string]string
	for _, m := range baggage.FromContext(ctx).Members() {
		if bag == nil {
			bag = make(map[string]string)
		}
		bag[decodeKey(m.Key())] = m.Value()
	}
	s.ctx = &SpanContext{otel: sc, baggage: bag}
	s.baggage = bag
	return tracegen.ContextWithSpan(ctx, s)
}

// ContextForOTel returns ctx with the OpenTelemetry span of the active
// tracegen span (if it is a span of this bridge) as the active
// OpenTelemetry span, so that OpenTelemetry-instrumented libraries called
// from tracegen-instrumented code start children of it. Its baggage is set
// as OpenTelemetry baggage too. Otherwise ctx is returned as it is.
func ContextForOTel(ctx context.Context) context.Context {
	s, ok := tracegen.SpanFromContext(ctx).(*span)
	if !ok {
		return ctx
	}
	os, sc := s.started()
	ctx = trace.ContextWithSpan(ctx, os)
	if len(sc.baggage) > 0 {
		ctx = baggage.ContextWithBaggage(ctx, otelBaggage(sc.baggage))
	}
	return ctx
}

// OTelSpan returns the OpenTelemetry span of a span of this bridge,
// starting it if it has not started yet.
func OTelSpan(s tracegen.Span) (trace.Span, bool) {
	bs, ok := s.(*span)
	if !ok {
		return nil, false
	}
	os, _ := bs.started()
	return os, true
}

// refType names a reference type as OpenTracing's ref_type values do.
func refType(t tracegen.SpanReferenceType) string {
	if t == tracegen.FollowsFromRef {
		return "follows_from"
	}
	return "child_of"
}
