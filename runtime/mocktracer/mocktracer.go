// Package mocktracer is a Tracer that keeps every span in memory, for unit
// tests of code that is traced.
//
// Install it, run the code under test, and inspect what was recorded:
//
//	tr := mocktracer.New()
//	tracegen.SetGlobalTracer(tr)
//	defer tracegen.ResetGlobalTracer()
//
//	_ = store.Get(ctx, "k") // traced with //trace:span
//
//	spans := tr.FinishedSpans()
//	// spans[0].OperationName(), spans[0].Tags(), spans[0].Logs(), ...
//
// Spans keep tag and log values with the Go types they were given (an int
// stays an int), record their references, parent, baggage and times, and
// appear in FinishedSpans in the order they finished. Span and trace ids are
// small integers counted per tracer, so tests can predict them.
//
// The tracer propagates span contexts in the TextMap, HTTPHeaders and Binary
// formats and returns the runtime package's sentinel errors exactly. All
// methods are safe for concurrent use.
package mocktracer

import (
	"github.com/tracegen/tracegen/runtime/fastpath"
	"sync"
	"sync/atomic"
	"time"

	tracegen "github.com/tracegen/tracegen/runtime"
)

// Tracer records spans in memory. Create one with New.
type Tracer struct {
	lastID atomic.Uint64

	mu       sync.Mutex
	finished []*Span
}

var (
	_ tracegen.Tracer      = (*Tracer)(nil)
	_ fastpath.SpanStarter = (*Tracer)(nil)
)

// New returns a tracer with no spans.
func New() *Tracer { return &Tracer{} }

// FinishedSpans returns the spans finished so far, in the order their Finish
// calls happened. The slice is a copy; finished spans no longer change.
func (t *Tracer) FinishedSpans() []*Span {
	t.mu.Lock()
	defer t.mu.Unlock()
	spans := make([]*Span, len(t.finished))
	copy(spans, t.finished)
	return spans
}

// Reset forgets the finished spans. Ids keep counting from where they were,
// so spans started before Reset never share an id with later ones.
func (t *Tracer) Reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.finished = nil
}

// StartSpan starts a span. See StartSpanWithOptions.
func (t *Tracer) StartSpan(operationName string, opts ...tracegen.StartSpanOption) tracegen.Span {
	var o tracegen.StartSpanOptions
	o.Apply(opts...)
	return t.StartSpanWithOptions(operationName, o)
}

// StartSpanWithOptions starts a span described by opts.
//
// The span belongs to the trace of its parent: the first ChildOf reference to
// a context of this package, or failing that the first such FollowsFrom
// reference (opts.Parent counts as a ChildOf reference when References is
// empty). Without one the span starts a new trace. References to contexts of
// other tracers are recorded but do not make a parent. The baggage of every
// referenced context of this package is copied, in order, later references
// winning on the same key. Tags are copied; a zero StartTime means now.
func (t *Tracer) StartSpanWithOptions(operationName string, opts tracegen.StartSpanOptions) tracegen.Span {
	return t.newSpan(operationName, opts)
}

func (t *Tracer) newSpan(operationName string, opts tracegen.StartSpanOptions) *Span {
	refs := opts.ParentReferences()
	start := opts.StartTime
	if start.IsZero() {
		start = time.Now()
	}
	s := &Span{
		tracer:        t,
		operationName: operationName,
		startTime:     start,
	}
	if len(refs) > 0 {
		s.references = append([]tracegen.SpanReference(nil), refs...)
	}
	spanID := t.nextID()
	ctx := SpanContext{TraceID: spanID, SpanID: spanID}
	if parent, ok := parentOf(refs); ok {
		ctx.TraceID = parent.TraceID
		s.parentID = parent.SpanID
	}
	ctx.Baggage = mergedBaggage(refs)
	s.context = ctx
	if len(opts.Tags) > 0 {
		s.tags = make(map[string]any, len(opts.Tags))
		for k, v := range opts.Tags {
			s.tags[k] = v
		}
	}
	return s
}

func (t *Tracer) nextID() uint64 { return t.lastID.Add(1) }

func (t *Tracer) recordFinished(s *Span) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.finished = append(t.finished, s)
}

// parentOf picks the context that makes a span's parent: the first ChildOf
// reference to one of our contexts, else the first FollowsFrom one.
func parentOf(refs []tracegen.SpanReference) (SpanContext, bool) {
	for _, want := range [...]tracegen.SpanReferenceType{tracegen.ChildOfRef, tracegen.FollowsFromRef} {
		for _, r := range refs {
			if r.Type != want {
				continue
			}
			if sc, ok := contextOf(r.ReferencedContext); ok {
				return sc, true
			}
		}
	}
	return SpanContext{}, false
}

func mergedBaggage(refs []tracegen.SpanReference) map[string]string {
	var merged map[string]string
	var only map[string]string // reused as is while one context has baggage
	for _, r := range refs {
		sc, ok := contextOf(r.ReferencedContext)
		if !ok || len(sc.Baggage) == 0 {
			continue
		}
		switch {
		case only == nil && merged == nil:
			only = sc.Baggage
		default:
			if merged == nil {
				merged = make(map[string]string, len(only)+len(sc.Baggage))
				for k, v := range only {
					merged[k] = v
				}
			}
			for k, v := range sc.Baggage {
				merged[k] = v
			}
		}
	}
	if merged != nil {
		return merged
	}
	return only
}
