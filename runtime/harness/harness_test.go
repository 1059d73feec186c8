package harness_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"testing"
	"time"

	"github.com/tracegen/tracegen/runtime/internal/deep"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/harness"
	"github.com/tracegen/tracegen/runtime/log"
	"github.com/tracegen/tracegen/runtime/mocktracer"
)

// mockProbe answers the harness's questions from the mock tracer's ids.
type mockProbe struct{}

// mockOf returns the mock span behind span, also inside a flawedSpan.
func mockOf(span tracegen.Span) *mocktracer.Span {
	if f, ok := span.(flawedSpan); ok {
		return f.Span
	}
	return span.(*mocktracer.Span)
}

var (
	_ harness.Probe     = mockProbe{}
	_ harness.TagProbe  = mockProbe{}
	_ harness.TimeProbe = mockProbe{}
	_ harness.LogProbe  = mockProbe{}
)

func (mockProbe) SameTrace(a, b tracegen.Span) bool {
	return mockOf(a).TraceID() == mockOf(b).TraceID()
}

func (mockProbe) SameSpanContext(span tracegen.Span, sc tracegen.SpanContext) bool {
	m, ok := sc.(mocktracer.SpanContext)
	s := mockOf(span)
	return ok && m.TraceID == s.TraceID() && m.SpanID == s.SpanID()
}

func (mockProbe) IsParent(parent, child tracegen.Span) bool {
	c := mockOf(child)
	if parent == nil {
		return c.ParentID() == 0 && c.TraceID() == c.SpanID()
	}
	p := mockOf(parent)
	return c.ParentID() == p.SpanID() && c.TraceID() == p.TraceID()
}

func (mockProbe) Times(span tracegen.Span) (start, finish time.Time) {
	s := mockOf(span)
	return s.StartTime(), s.FinishTime()
}

// Logs turns the mock's logs back into typed fields.
func (mockProbe) Logs(span tracegen.Span) []tracegen.LogRecord {
	var recs []tracegen.LogRecord
	for _, r := range mockOf(span).Logs() {
		rec := tracegen.LogRecord{Timestamp: r.Timestamp}
		for _, kv := range r.Fields {
			f, err := log.InterleavedKVToFields(kv.Key, kv.Value)
			if err != nil {
				panic(err)
			}
			rec.Fields = append(rec.Fields, f...)
		}
		recs = append(recs, rec)
	}
	return recs
}

func (mockProbe) Tag(span tracegen.Span, key string) (any, bool) {
	v, ok := mockOf(span).Tags()[key]
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
	case "ignores start times":
		o.StartTime = time.Time{}
	case "drops odd log arguments":
		return flawedSpan{f.Tracer.StartSpanWithOptions(name, o).(*mocktracer.Span)}
	}
	return f.Tracer.StartSpanWithOptions(name, o)
}

// flawedSpan drops LogKV calls with an odd number of arguments.
type flawedSpan struct{ *mocktracer.Span }

func (f flawedSpan) LogKV(kv ...any) {
	if len(kv)%2 == 0 {
		f.Span.LogKV(kv...)
	}
}

func (f flawedSpan) SetTag(key string, value any) tracegen.Span {
	f.Span.SetTag(key, value)
	return f
}

func (f flawedSpan) SetBaggageItem(key, value string) tracegen.Span {
	f.Span.SetBaggageItem(key, value)
	return f
}

func (f flawedSpan) SetOperationName(name string) tracegen.Span {
	f.Span.SetOperationName(name)
	return f
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

var failedCheck = regexp.MustCompile(`--- FAIL: TestFlawedTracerHelper/(\w+) `)

// TestHarnessFindsFlaws runs the harness on tracers with one flaw each and
// checks that exactly the checks concerned fail.
func TestHarnessFindsFlaws(t *testing.T) {
	t.Parallel()
	tests := []struct {
		flaw       string
		wantFailed []string
	}{
		{"drops parents", []string{
			"StartSpanWithParent", "FollowsFrom", "StartSpanWithOptions", "CallsAfterFinish", "BaggageInheritance",
			"TextMapPropagation", "HTTPHeadersPropagation", "BinaryPropagation", "StartSpanFromContext",
			"StartEndHelpers", "StartRequestHelper",
		}},
		{"stringifies start tags", []string{"StartTags"}},
		{"ignores start times", []string{"ExplicitTimes", "FinishIdempotent"}},
		{"drops odd log arguments", []string{"LogKVBadArguments"}},
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
			var failed []string
			for _, m := range failedCheck.FindAllStringSubmatch(string(out), -1) {
				failed = append(failed, m[1])
			}
			if diff := deep.Diff(tt.wantFailed, failed); diff != "" {
				t.Errorf("failed checks for a tracer that %s (-want +got):\n%s\n%s", tt.flaw, diff, out)
			}
		})
	}
}
