package runtime_test

import (
	"testing"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/mocktracer"
)

// installMock installs a new mock tracer as the global tracer until the test
// ends. Tests that call it change global state and must not be parallel.
func installMock(t *testing.T) *mocktracer.Tracer {
	t.Helper()
	tr := mocktracer.New()
	if err := tracegen.SetGlobalTracer(tr); err != nil {
		t.Fatalf("SetGlobalTracer: %v", err)
	}
	t.Cleanup(tracegen.ResetGlobalTracer)
	return tr
}

func asMock(t *testing.T, s tracegen.Span) *mocktracer.Span {
	t.Helper()
	m, ok := s.(*mocktracer.Span)
	if !ok {
		t.Fatalf("span is %T, want *mocktracer.Span", s)
	}
	return m
}

// onlyFinished returns the tracer's single finished span.
func onlyFinished(t *testing.T, tr *mocktracer.Tracer) *mocktracer.Span {
	t.Helper()
	spans := tr.FinishedSpans()
	if len(spans) != 1 {
		t.Fatalf("got %d finished spans, want 1: %v", len(spans), spans)
	}
	return spans[0]
}

// logKeys returns the keys of each log record.
func logKeys(s *mocktracer.Span) [][]string {
	var keys [][]string
	for _, r := range s.Logs() {
		var k []string
		for _, f := range r.Fields {
			k = append(k, f.Key)
		}
		keys = append(keys, k)
	}
	return keys
}

// logValue returns the value of the first field named key in any log.
func logValue(s *mocktracer.Span, key string) any {
	for _, r := range s.Logs() {
		for _, f := range r.Fields {
			if f.Key == key {
				return f.Value
			}
		}
	}
	return nil
}

// hideSpanStarter hides the SpanStarter method of a tracer, so that the
// helpers must go through StartSpan with options.
type hideSpanStarter struct{ t tracegen.Tracer }

func (h hideSpanStarter) StartSpan(name string, opts ...tracegen.StartSpanOption) tracegen.Span {
	return h.t.StartSpan(name, opts...)
}
func (h hideSpanStarter) Inject(sc tracegen.SpanContext, format, carrier any) error {
	return h.t.Inject(sc, format, carrier)
}
func (h hideSpanStarter) Extract(format, carrier any) (tracegen.SpanContext, error) {
	return h.t.Extract(format, carrier)
}

// plainSpan hides the FieldTagger method of a span.
type plainSpan struct{ tracegen.Span }

// plainSpans is a tracer whose spans are not FieldTaggers.
type plainSpans struct{ *mocktracer.Tracer }

func (p plainSpans) StartSpan(name string, opts ...tracegen.StartSpanOption) tracegen.Span {
	return plainSpan{p.Tracer.StartSpan(name, opts...)}
}

func (p plainSpans) StartSpanWithOptions(name string, o tracegen.StartSpanOptions) tracegen.Span {
	return plainSpan{p.Tracer.StartSpanWithOptions(name, o)}
}
