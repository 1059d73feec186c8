package harness_test

import (
	"testing"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/harness"
	"github.com/tracegen/tracegen/runtime/mocktracer"
)

// mockProbe answers the harness's questions from the mock tracer's ids.
type mockProbe struct{}

var (
	_ harness.Probe    = mockProbe{}
	_ harness.TagProbe = mockProbe{}
)

func (mockProbe) SameTrace(a, b tracegen.Span) bool {
	return a.(*mocktracer.Span).TraceID() == b.(*mocktracer.Span).TraceID()
}

func (mockProbe) SameSpanContext(span tracegen.Span, sc tracegen.SpanContext) bool {
	m, ok := sc.(mocktracer.SpanContext)
	s := span.(*mocktracer.Span)
	return ok && m.TraceID == s.TraceID() && m.SpanID == s.SpanID()
}

func (mockProbe) IsParent(parent, child tracegen.Span) bool {
	c := child.(*mocktracer.Span)
	if parent == nil {
		return c.ParentID() == 0 && c.TraceID() == c.SpanID()
	}
	p := parent.(*mocktracer.Span)
	return c.ParentID() == p.SpanID() && c.TraceID() == p.TraceID()
}

func (mockProbe) Tag(span tracegen.Span, key string) (any, bool) {
	v, ok := span.(*mocktracer.Span).Tags()[key]
	return v, ok
}

func TestMockTracer(t *testing.T) {
	harness.Run(t, func() (tracegen.Tracer, func()) {
		return mocktracer.New(), nil
	}, harness.UseProbe(mockProbe{}))
}

func TestNoopTracer(t *testing.T) {
	harness.Run(t, func() (tracegen.Tracer, func()) {
		return tracegen.NoopTracer{}, nil
	}, harness.CheckBaggageValues(false), harness.CheckInject(false), harness.CheckExtract(false))
}

// TestGlobalTracerHandle runs the harness on the GlobalTracer handle, taken
// before a mock tracer is installed: every call must reach the mock tracer.
func TestGlobalTracerHandle(t *testing.T) {
	harness.Run(t, func() (tracegen.Tracer, func()) {
		handle := tracegen.GlobalTracer()
		if err := tracegen.SetGlobalTracer(mocktracer.New()); err != nil {
			t.Fatal(err)
		}
		return handle, tracegen.ResetGlobalTracer
	}, harness.UseProbe(mockProbe{}))
}

// TestGlobalTracerHandleUninstalled runs the harness on the GlobalTracer
// handle with no tracer installed, where it behaves as the NoopTracer.
func TestGlobalTracerHandleUninstalled(t *testing.T) {
	harness.Run(t, func() (tracegen.Tracer, func()) {
		tracegen.ResetGlobalTracer()
		return tracegen.GlobalTracer(), nil
	}, harness.CheckBaggageValues(false), harness.CheckInject(false), harness.CheckExtract(false))
}
