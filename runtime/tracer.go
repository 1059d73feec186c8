package runtime

import "time"

// Tracer starts spans and moves span contexts across process boundaries.
type Tracer interface {
	// StartSpan starts a span with the given operation name. Options add
	// references, tags and an explicit start time. A tracer never returns nil.
	StartSpan(operationName string, opts ...StartSpanOption) Span

	// Inject writes sc into carrier in the given format. See Format for the
	// carriers each format takes, and the Err* values for the errors.
	Inject(sc SpanContext, format any, carrier any) error

	// Extract reads a span context from carrier in the given format. On any
	// error it returns a nil SpanContext; ErrSpanContextNotFound means the
	// carrier holds no span context at all.
	Extract(format any, carrier any) (SpanContext, error)
}

// spanStarter is implemented by tracers that can start a span from an options
// struct. Helpers in this package prefer it to StartSpan because it takes no
// variadic interface values and so allocates less.
type spanStarter interface {
	StartSpanWithOptions(operationName string, opts StartSpanOptions) Span
}

// StartSpanOptions collects what the StartSpanOption values say.
type StartSpanOptions struct {
	// References lists the spans this span refers to. A reference whose
	// context is nil is ignored.
	References []SpanReference

	// Parent, when References is empty, makes the span a child of Parent
	// exactly as References = {ChildOf(Parent)} would. It exists so the hot
	// path can name a parent without allocating a slice.
	Parent SpanContext

	// IgnoreActiveSpan makes the context helpers start a new trace instead of
	// a child of the span active in the context. Tracers need not read it.
	IgnoreActiveSpan bool

	// StartTime overrides the start time; the zero value means now.
	StartTime time.Time

	// Tags are set on the span when it starts. A tracer may keep the map, so
	// callers must not change it afterwards.
	Tags map[string]any
}

// Apply sets each option on o in order.
func (o *StartSpanOptions) Apply(opts ...StartSpanOption) {
	for _, opt := range opts {
		if opt != nil {
			opt.Apply(o)
		}
	}
}

// StartSpanOption changes how a span starts.
type StartSpanOption interface {
	Apply(*StartSpanOptions)
}

// SpanReferenceType is the kind of a reference between two spans.
type SpanReferenceType int

const (
	// ChildOfRef: the parent depends on the child's result.
	ChildOfRef SpanReferenceType = iota
	// FollowsFromRef: the parent does not wait for the child.
	FollowsFromRef
)

// SpanReference is a typed link to another span's context.
type SpanReference struct {
	Type              SpanReferenceType
	ReferencedContext SpanContext
}

// Apply adds the reference unless its context is nil.
func (r SpanReference) Apply(o *StartSpanOptions) {
	if r.ReferencedContext != nil {
		o.References = append(o.References, r)
	}
}

// ChildOf returns a reference making the new span a child of sc.
// A nil sc is ignored, so ChildOf(parent.Context()) is safe without a parent.
func ChildOf(sc SpanContext) SpanReference {
	return SpanReference{Type: ChildOfRef, ReferencedContext: sc}
}

// FollowsFrom returns a reference saying the new span follows from sc.
// A nil sc is ignored.
func FollowsFrom(sc SpanContext) SpanReference {
	return SpanReference{Type: FollowsFromRef, ReferencedContext: sc}
}

// ParentReferences returns the references o describes: References, or a
// ChildOf reference built from Parent. Tracers call it when starting a span.
func (o *StartSpanOptions) ParentReferences() []SpanReference {
	if len(o.References) == 0 && o.Parent != nil {
		return []SpanReference{ChildOf(o.Parent)}
	}
	return o.References
}

// IgnoreActiveSpan returns an option that makes StartSpanFromContext start
// a root span, ignoring the span active in the context.
func IgnoreActiveSpan() StartSpanOption { return ignoreActiveSpan{} }

type ignoreActiveSpan struct{}

func (ignoreActiveSpan) Apply(o *StartSpanOptions) { o.IgnoreActiveSpan = true }

// StartTime sets an explicit start time.
type StartTime time.Time

// Apply sets the start time.
func (t StartTime) Apply(o *StartSpanOptions) { o.StartTime = time.Time(t) }

// Tags sets several tags when the span starts.
type Tags map[string]any

// Apply adds the tags, later options winning on the same key.
func (t Tags) Apply(o *StartSpanOptions) {
	if o.Tags == nil {
		o.Tags = make(map[string]any, len(t))
	}
	for k, v := range t {
		o.Tags[k] = v
	}
}

// Tag sets one tag when the span starts. It also sets the tag on a running
// span through Set, so the standard tags in package ext are Tags too.
type Tag struct {
	Key   string
	Value any
}

// Apply adds the tag.
func (t Tag) Apply(o *StartSpanOptions) {
	if o.Tags == nil {
		o.Tags = make(map[string]any)
	}
	o.Tags[t.Key] = t.Value
}

// startSpan starts a span with opts, through spanStarter when t offers it.
func startSpan(t Tracer, operationName string, opts StartSpanOptions) Span {
	if s, ok := t.(spanStarter); ok {
		return s.StartSpanWithOptions(operationName, opts)
	}
	var buf [3]StartSpanOption
	args := buf[:0]
	for _, r := range opts.ParentReferences() {
		args = append(args, r)
	}
	if !opts.StartTime.IsZero() {
		args = append(args, StartTime(opts.StartTime))
	}
	if opts.Tags != nil {
		args = append(args, Tags(opts.Tags))
	}
	return t.StartSpan(operationName, args...)
}
