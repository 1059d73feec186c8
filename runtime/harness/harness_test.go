package harness_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
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

// flawedTracer is a mock tracer with one deliberate defect, to prove that
// the harness notices it.
type flawedTracer struct {
	*mocktracer.Tracer
	flaw string
}

func (f flawedTracer) StartSpan(name string, opts ...tracegen.StartSpanOption) tracegen.Span {
	var o tracegen.StartSpanOptions
	o.Apply(opts...)
	return f.StartSpanWithOptions(name, o)
}

func (f flawedTracer) StartSpanWithOptions(name string, o tracegen.StartSpanOptions) tracegen.Span {
	switch f.flaw {
	case "drops parents":
		o.References, o.Parent = nil, nil
	case "stringifies start tags":
		for k, v := range o.Tags {
			o.Tags[k] = fmt.Sprint(v)
		}
	}
	return f.Tracer.StartSpanWithOptions(name, o)
}

func (f flawedTracer) Inject(sc tracegen.SpanContext, format, carrier any) error {
	err := f.Tracer.Inject(sc, format, carrier)
	switch {
	case f.flaw == "accepts foreign contexts" && errors.Is(err, tracegen.ErrInvalidSpanContext):
		return nil
	case f.flaw == "accepts unknown formats" && errors.Is(err, tracegen.ErrUnsupportedFormat):
		return nil
	}
	return err
}

func (f flawedTracer) Extract(format, carrier any) (tracegen.SpanContext, error) {
	sc, err := f.Tracer.Extract(format, carrier)
	if f.flaw == "typed nil on error" && err != nil {
		return (*mocktracer.SpanContext)(nil), err
	}
	return sc, err
}

// TestFlawedTracerHelper runs the harness on a flawed tracer when it runs as
// a child process of TestHarnessFindsFlaws; on its own it does nothing.
func TestFlawedTracerHelper(t *testing.T) {
	flaw := os.Getenv("HARNESS_TEST_FLAW")
	if flaw == "" {
		return
	}
	harness.Run(t, func() (tracegen.Tracer, func()) {
		return flawedTracer{Tracer: mocktracer.New(), flaw: flaw}, nil
	}, harness.UseProbe(mockProbe{}))
}

func TestHarnessFindsFlaws(t *testing.T) {
	t.Parallel()
	tests := []struct {
		flaw       string
		wantFailed []string
	}{
		{"drops parents", []string{"StartSpanWithParent", "FollowsFrom", "StartSpanFromContext", "StartEndHelpers"}},
		{"stringifies start tags", []string{"StartTags"}},
		{"accepts foreign contexts", []string{"InvalidInject"}},
		{"accepts unknown formats", []string{"UnknownFormat"}},
		{"typed nil on error", []string{"UnknownFormat", "InvalidExtract", "ExtractFromEmptyCarrier", "CorruptedCarrier"}},
	}
	for _, tt := range tests {
		t.Run(tt.flaw, func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(os.Args[0], "-test.run=^TestFlawedTracerHelper$", "-test.v")
			cmd.Env = append(os.Environ(), "HARNESS_TEST_FLAW="+tt.flaw)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("the harness passed a tracer that %s:\n%s", tt.flaw, out)
			}
			for _, check := range tt.wantFailed {
				if !strings.Contains(string(out), "--- FAIL: TestFlawedTracerHelper/"+check+" ") {
					t.Errorf("check %s did not fail for a tracer that %s:\n%s", check, tt.flaw, out)
				}
			}
		})
	}
}
