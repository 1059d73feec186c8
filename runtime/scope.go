package runtime

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"runtime/debug"

	"github.com/tracegen/tracegen/runtime/internal/activectx"
	"github.com/tracegen/tracegen/runtime/log"
)

// Option changes what Start and StartRequest do. Options combine with |.
type Option uint32

const (
	// IfActive starts a span only if the context already carries one, so a
	// function traces only when it runs inside a trace (the instrumentation
	// library's require_active_trace).
	IfActive Option = 1 << iota
)

// kindShift is where the span kind is kept: three bits, leaving the low
// bits for flags.
const kindShift = 16

// The span kinds, set as the span.kind tag.
const (
	KindInternal Option = (iota + 1) << kindShift
	KindServer
	KindClient
	KindProducer
	KindConsumer

	kindMask Option = 7 << kindShift
)

var kindNames = [...]string{"", "internal", "server", "client", "producer", "consumer"}

func combine(opts []Option) Option {
	var o Option
	for _, x := range opts {
		o |= x
	}
	return o
}

// Scope is a span started by Start, to be finished by a deferred End.
// The zero Scope, returned when nothing is recorded, does nothing.
// Its tag methods return the scope, so they chain before End:
//
//	defer tracegen.Start(&ctx, "db.Query").TagString("table", table).End(&err)
type Scope struct {
	span Span
}

// Start starts a span named operationName as a child of the span in *ctx and
// stores the new span in *ctx, so that code using ctx afterwards sees it.
// A nil ctx, or a nil *ctx, starts a root span and stores nothing: a nil
// context stays nil, so the function's own check for one still sees it.
//
// With no tracer installed (see SetGlobalTracer), with IfActive and no
// span in *ctx, or under a span whose tracer records none of its children
// (see childSkipper), Start leaves *ctx alone and returns the zero Scope.
func Start(ctx *context.Context, operationName string, opts ...Option) Scope {
	if recording.Load() != nil {
		return start(ctx, operationName, opts, true)
	}
	return Scope{}
}

// StartFrom is Start for a function whose context must stay as it is: one
// that returns it, stores it or compares it (tracegen finds those). The span
// is a child of the span in ctx, and ctx is not changed, so the function's
// own calls are not under the span; a nil ctx starts a root span.
func StartFrom(ctx context.Context, operationName string, opts ...Option) Scope {
	if recording.Load() != nil {
		return start(&ctx, operationName, opts, false)
	}
	return Scope{}
}

// start is the part of Start and StartFrom that runs only when a tracer is
// installed; it is kept apart so that they can be inlined. It loads the
// tracer again rather than taking it as an argument, which keeps Start
// within the compiler's inlining budget (TestStartIsInlined guards it); a
// tracer reset between the two loads makes it return the zero Scope. The
// new context goes to *ctx only when rebind is set.
func start(ctx *context.Context, operationName string, opts []Option, rebind bool) Scope {
	b := recording.Load()
	if b == nil {
		return Scope{}
	}
	var parentCtx context.Context
	var parent SpanContext
	if ctx != nil {
		if parentCtx = *ctx; parentCtx != nil {
			// The contexts Start itself makes are recognised by type,
			// without a Value lookup.
			switch c := parentCtx.(type) {
			case *skipContext:
				return Scope{}
			case *activectx.Context:
				parent = c.Span().(Span).Context()
			default:
				switch v := parentCtx.Value(spanKey).(type) {
				case *skipContext:
					return Scope{}
				case Span:
					parent = v.Context()
				}
			}
		} else {
			// A nil context stays nil.
			parentCtx, rebind = context.Background(), false
		}
	}
	rebind = rebind && ctx != nil
	o := combine(opts)
	if parent == nil && o&IfActive != 0 {
		return Scope{}
	}
	if b.ctxStarter != nil {
		span, nctx := startInContext(b.ctxStarter, parentCtx, operationName, parent, o)
		if rebind {
			*ctx = nctx
		}
		return Scope{span: span}
	}
	span := startWithKind(b.tracer, operationName, parent, o)
	if rebind {
		*ctx = contextWithNewSpan(parentCtx, span)
	}
	return Scope{span: span}
}

// contextStarter is an optional interface of tracers that start spans with
// the caller's context.Context at hand: bridges to tracing APIs that keep
// their own spans in contexts, such as OpenTelemetry's. Start, StartRequest
// and StartSpanFromContext use it instead of StartSpan when the tracer has
// it, with ctx the context the span starts in (its tracegen span, if any,
// already in opts.Parent), so that a span of the other API in ctx can be the
// parent. It returns the new span and the context in which it is active:
// ctx with the span set by ContextWithSpan, and with whatever the tracer
// keeps there besides (the other API's span, so that code instrumented with
// that API sees the new span as its parent).
type contextStarter interface {
	StartSpanInContext(ctx context.Context, operationName string, opts StartSpanOptions) (Span, context.Context)
}

// startInContext starts a span of Start or StartRequest through a
// contextStarter. The span kind, which the other path sets as a tag after
// the start, is a start tag here: a bridge may need it to start the span.
func startInContext(cs contextStarter, ctx context.Context, operationName string, parent SpanContext, o Option) (Span, context.Context) {
	if ctx == nil {
		ctx = context.Background()
	}
	opts := StartSpanOptions{Parent: parent}
	if k := (o & kindMask) >> kindShift; k != 0 && int(k) < len(kindNames) {
		opts.Tags = map[string]any{"span.kind": kindNames[k]}
	}
	return cs.StartSpanInContext(ctx, operationName, opts)
}

// childSkipper is an optional interface of spans. A span whose SkipChildren
// returns true tells Start and StartRequest that its tracer would record
// none of the children they could start under it, as for a span of an
// unsampled trace when the sampler follows the parent's decision. They then
// start no span: they return the zero Scope and leave the context as it is,
// so the function runs within its caller's span, and an unsampled trace
// costs the instrumented code about what no tracer costs. Baggage set
// through the context inside such a function is therefore set on the
// enclosing span. Tracer.StartSpan itself is not affected.
type childSkipper interface {
	SkipChildren() bool
}

func skipsChildren(parent Span) bool {
	s, ok := parent.(childSkipper)
	return ok && s.SkipChildren()
}

// StartRequest is Start for an HTTP handler: the parent is the span in the
// request's context or, failing that, the span context extracted from the
// request's headers with the HTTPHeaders format. It then replaces *r with a
// shallow copy carrying the new context, so the handler sees the span. The
// span is tagged with the request's method and URL. With no parent in the
// context, the kind defaults to server.
func StartRequest(r **http.Request, operationName string, opts ...Option) Scope {
	b := recording.Load()
	if b == nil || r == nil || *r == nil {
		return Scope{}
	}
	span, ctx := startRequest(b, *r, operationName, combine(opts), true)
	if span == nil {
		return Scope{}
	}
	*r = (*r).WithContext(ctx)
	return Scope{span: span}
}

// StartFromRequest is StartRequest for a function that is given a request
// it does not own, or a handler whose request must stay as it is (one that
// stores or returns it): the parent is found the same way, the request is
// not changed, and the kind is only what opts say. A nil r starts a root
// span.
func StartFromRequest(r *http.Request, operationName string, opts ...Option) Scope {
	b := recording.Load()
	if b == nil {
		return Scope{}
	}
	if r == nil {
		return start(nil, operationName, opts, false)
	}
	span, _ := startRequest(b, r, operationName, combine(opts), false)
	if span == nil {
		return Scope{}
	}
	return Scope{span: span}
}

// startRequest starts the span of StartRequest and StartFromRequest, and
// for a handler returns it with the context it is active in (the request's,
// when the span is nil: none is recorded). For a handler, a server span is
// the default kind when the request's context has no span.
func startRequest(b *tracerBox, req *http.Request, operationName string, o Option, handler bool) (Span, context.Context) {
	ctx := req.Context()
	var parent SpanContext
	if p := SpanFromContext(ctx); p != nil {
		if skipsChildren(p) {
			return nil, ctx
		}
		parent = p.Context()
	} else {
		if sc, err := b.tracer.Extract(HTTPHeaders, HTTPHeadersCarrier(req.Header)); err == nil && sc != nil {
			parent = sc
		}
		if handler && o&kindMask == 0 {
			o |= KindServer
		}
	}
	if parent == nil && o&IfActive != 0 {
		return nil, ctx
	}
	var span Span
	if b.ctxStarter != nil {
		span, ctx = startInContext(b.ctxStarter, ctx, operationName, parent, o)
	} else {
		span = startWithKind(b.tracer, operationName, parent, o)
		if handler {
			ctx = contextWithNewSpan(ctx, span)
		}
	}
	span.SetTag("http.method", req.Method)
	if req.URL != nil {
		span.SetTag("http.url", req.URL.String())
	}
	return span, ctx
}

func startWithKind(t Tracer, operationName string, parent SpanContext, o Option) Span {
	span := startSpan(t, operationName, StartSpanOptions{Parent: parent})
	if k := (o & kindMask) >> kindShift; k != 0 && int(k) < len(kindNames) {
		span.SetTag("span.kind", kindNames[k])
	}
	return span
}

// Span returns the scope's span, or nil for the zero Scope.
func (s Scope) Span() Span { return s.span }

// End finishes the span. It must be called by defer directly, as in
// defer scope.End(&err), so that it can see a panic: a panic is recorded on
// the span (error=true and an error log with the message, the value's type
// and the stack) and raised again with the same value. If errp points to a
// non-nil error when the function returns, the error is recorded (error=true
// and a log with event=error, message and error.kind). A nil errp records no
// error.
func (s Scope) End(errp *error) {
	if s.span == nil {
		return
	}
	if r := recover(); r != nil {
		recordPanic(s.span, r)
		s.span.Finish()
		panic(r)
	}
	if errp != nil && *errp != nil {
		if f, ok := s.span.(errorFinisher); ok {
			f.FinishWithError(*errp)
			return
		}
		RecordError(s.span, *errp)
	}
	s.span.Finish()
}

// RecordError marks span as failed by err, following the OpenTracing
// conventions: the tag error=true and a log with event=error, message,
// error.kind (the error's Go type) and error.object. A nil err records nothing.
func RecordError(span Span, err error) {
	if span == nil || err == nil {
		return
	}
	if r, ok := span.(errorRecorder); ok {
		r.RecordError(err)
		return
	}
	span.SetTag("error", true)
	span.LogFields(
		log.String("event", "error"),
		log.String("message", err.Error()),
		log.String("error.kind", typeName(err)),
		log.Error(err),
	)
}

func recordPanic(span Span, r any) {
	span.SetTag("error", true)
	fields := []log.Field{
		log.String("event", "error"),
		log.String("message", fmt.Sprint(r)),
		log.String("error.kind", "panic: "+typeName(r)),
		log.String("stack", string(debug.Stack())),
	}
	if err, ok := r.(error); ok {
		fields = append(fields, log.Error(err))
	}
	span.LogFields(fields...)
}

func typeName(v any) string { return reflect.TypeOf(v).String() }

// errorRecorder is implemented by spans that record an error exactly as
// RecordError describes (the error tag and the error log with event,
// message, error.kind and error.object) but without the allocations of the
// SetTag and LogFields calls. RecordError uses it when present.
type errorRecorder interface {
	RecordError(err error)
}

// errorFinisher is implemented by spans that can record an error and
// finish in one step, as RecordError followed by Finish would: the error
// log's timestamp is then the span's end time. End uses it when present.
type errorFinisher interface {
	FinishWithError(err error)
}

// fieldTagger is implemented by spans that store typed tag values without
// boxing them into interfaces. Scope's tag methods use it when present.
type fieldTagger interface {
	SetTagField(f log.Field)
}

func (s Scope) setTag(f log.Field) {
	if ft, ok := s.span.(fieldTagger); ok {
		ft.SetTagField(f)
		return
	}
	s.span.SetTag(f.Key(), f.Value())
}

// TagString sets a string tag.
func (s Scope) TagString(key, value string) Scope {
	if s.span != nil {
		s.setTag(log.String(key, value))
	}
	return s
}

// TagInt sets an integer tag.
func (s Scope) TagInt(key string, value int64) Scope {
	if s.span != nil {
		s.setTag(log.Int64(key, value))
	}
	return s
}

// TagUint sets an unsigned integer tag.
func (s Scope) TagUint(key string, value uint64) Scope {
	if s.span != nil {
		s.setTag(log.Uint64(key, value))
	}
	return s
}

// TagFloat sets a floating-point tag.
func (s Scope) TagFloat(key string, value float64) Scope {
	if s.span != nil {
		s.setTag(log.Float64(key, value))
	}
	return s
}

// TagBool sets a boolean tag.
func (s Scope) TagBool(key string, value bool) Scope {
	if s.span != nil {
		s.setTag(log.Bool(key, value))
	}
	return s
}

// TagStringer sets a string tag from value.String(), called only when the
// span is recorded. A nil value, or a nil pointer inside it, sets "<nil>".
func (s Scope) TagStringer(key string, value fmt.Stringer) Scope {
	if s.span != nil {
		s.setTag(log.String(key, stringOf(value)))
	}
	return s
}

// TagError sets a string tag from value.Error(); a nil error sets "<nil>".
func (s Scope) TagError(key string, value error) Scope {
	if s.span != nil {
		msg := "<nil>"
		if value != nil {
			msg = value.Error()
		}
		s.setTag(log.String(key, msg))
	}
	return s
}

func stringOf(v fmt.Stringer) (str string) {
	if v == nil {
		return "<nil>"
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && rv.IsNil() {
		// A nil pointer's String method may or may not handle nil;
		// fmt's convention is to print <nil>.
		defer func() {
			if recover() != nil {
				str = "<nil>"
			}
		}()
	}
	return v.String()
}
