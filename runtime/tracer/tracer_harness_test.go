package tracer

import (
	"context"
	"testing"
	"time"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/harness"
)

// probe answers the harness from the spans' own data.
type probe struct{}

var (
	_ harness.Probe     = probe{}
	_ harness.TagProbe  = probe{}
	_ harness.TimeProbe = probe{}
	_ harness.LogProbe  = probe{}
)

func ctxOf(s tracegen.Span) SpanContext {
	c, _ := SpanContextOf(s.Context())
	return c
}

func (probe) SameTrace(a, b tracegen.Span) bool { return ctxOf(a).TraceID == ctxOf(b).TraceID }

func (probe) SameSpanContext(s tracegen.Span, sc tracegen.SpanContext) bool {
	c, ok := SpanContextOf(sc)
	want := ctxOf(s)
	return ok && c.TraceID == want.TraceID && c.SpanID == want.SpanID
}

func (probe) IsParent(parent, child tracegen.Span) bool {
	cs, ok := child.(*span)
	if !ok {
		return false
	}
	if parent == nil {
		return !cs.data.Parent.IsValid()
	}
	p := ctxOf(parent)
	return cs.data.Parent.SpanID == p.SpanID && cs.data.Parent.TraceID == p.TraceID && cs.context().TraceID == p.TraceID
}

func (probe) Tag(s tracegen.Span, key string) (any, bool) {
	rs := s.(*span)
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if key == "span.kind" && rs.data.Kind != "" {
		return rs.data.Kind, true
	}
	for _, f := range rs.data.Tags {
		if f.Key() == key {
			return f.Value(), true
		}
	}
	return nil, false
}

func (probe) Times(s tracegen.Span) (start, finish time.Time) {
	rs := s.(*span)
	rs.mu.Lock()
	defer rs.mu.Unlock()
	return rs.data.Start, rs.data.End
}

func (probe) Logs(s tracegen.Span) []tracegen.LogRecord {
	rs := s.(*span)
	rs.mu.Lock()
	defer rs.mu.Unlock()
	return append([]tracegen.LogRecord(nil), rs.data.Logs...)
}

// TestHarness runs the compliance harness with every check on, the tracer
// feeding a batch processor.
func TestHarness(t *testing.T) {
	harness.Run(t, func() (tracegen.Tracer, func()) {
		exp := &memExporter{}
		tr := New(WithProcessor(NewBatchProcessor(exp)))
		return tr, func() {
			if err := tr.Shutdown(context.Background()); err != nil {
				t.Errorf("Shutdown: %v", err)
			}
		}
	}, harness.UseProbe(probe{}))
}
