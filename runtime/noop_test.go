package runtime_test

import (
	"bytes"
	"net/http"
	"testing"
	"time"

	tracegen "github.com/tracegen/tracegen/runtime"
)

func TestNoopTracerPropagation(t *testing.T) {
	t.Parallel()
	var tr tracegen.NoopTracer
	sc := tr.StartSpan("op").Context()
	tests := []struct {
		format     any
		carrier    any
		wantInject error
	}{
		{tracegen.TextMap, tracegen.TextMapCarrier{}, nil},
		{tracegen.HTTPHeaders, http.Header{}, nil},
		{tracegen.Binary, new(bytes.Buffer), nil},
		{"custom", nil, tracegen.ErrUnsupportedFormat},
		{tracegen.BuiltinFormat(3), nil, tracegen.ErrUnsupportedFormat},
	}
	for _, tt := range tests {
		if err := tr.Inject(sc, tt.format, tt.carrier); err != tt.wantInject {
			t.Errorf("Inject(%v) = %v, want %v", tt.format, err, tt.wantInject)
		}
		wantExtract := tracegen.ErrSpanContextNotFound
		if tt.wantInject != nil {
			wantExtract = tt.wantInject
		}
		got, err := tr.Extract(tt.format, tt.carrier)
		if err != wantExtract || got != nil {
			t.Errorf("Extract(%v) = %v, %v, want nil, %v", tt.format, got, err, wantExtract)
		}
	}
}

func TestNoopSpan(t *testing.T) {
	t.Parallel()
	var tr tracegen.NoopTracer
	span := tr.StartSpan("op", tracegen.Tags{"k": 1})
	if span.Context() == nil || span.Tracer() == nil {
		t.Fatal("noop span has a nil context or tracer")
	}
	if span.SetTag("k", 1) != span || span.SetBaggageItem("k", "v") != span || span.SetOperationName("x") != span {
		t.Error("noop span setters do not return the span")
	}
	if got := span.BaggageItem("k"); got != "" {
		t.Errorf("BaggageItem = %q, want empty", got)
	}
	calls := 0
	span.Context().ForeachBaggageItem(func(k, v string) bool { calls++; return true })
	if calls != 0 {
		t.Errorf("noop context has %d baggage items", calls)
	}
	span.LogKV("odd")
	span.FinishWithOptions(tracegen.FinishOptions{FinishTime: time.Now()})
	if s := tr.StartSpanWithOptions("op", tracegen.StartSpanOptions{}); s != span {
		t.Errorf("StartSpanWithOptions = %v, want the shared noop span", s)
	}
}

// TestNoopAllocatesNothing checks the noop tracer's methods. LogFields and
// LogKV are left out: their variadic slice is allocated by the caller of an
// interface method, whatever the tracer.
func TestNoopAllocatesNothing(t *testing.T) {
	var tr tracegen.Tracer = tracegen.NoopTracer{}
	n := testing.AllocsPerRun(100, func() {
		span := tr.StartSpan("op")
		span.SetTag("k", "v").SetBaggageItem("k", "v").SetOperationName("x")
		_ = span.BaggageItem("k")
		_ = span.Context()
		_, _ = tr.Extract(tracegen.HTTPHeaders, nil)
		span.Finish()
	})
	if n != 0 {
		t.Errorf("noop tracer allocated %v times per run, want 0", n)
	}
}
