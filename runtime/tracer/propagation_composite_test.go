package tracer

import (
	"strings"
	"testing"

	"github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/internal/deep"
)

// stubPropagator returns a fixed result from Extract and records Inject.
type stubPropagator struct {
	field string
	tid   string // trace id set on success
	err   error
}

func (s stubPropagator) Fields() []string { return []string{s.field, "shared"} }

func (s stubPropagator) Inject(_ SpanContext, w runtime.TextMapWriter) { w.Set(s.field, "x") }

func (s stubPropagator) Extract(_ runtime.TextMapReader, sc SpanContext) (SpanContext, error) {
	if s.err != nil {
		return sc, s.err
	}
	out := sc.WithBaggage(s.field, s.tid)
	copy(out.TraceID[:], s.tid)
	return out, nil
}

func TestCompositeExtractMerge(t *testing.T) {
	t.Parallel()
	var (
		notFound  = runtime.ErrSpanContextNotFound
		corrupted = runtime.ErrSpanContextCorrupted
	)
	tid := func(s string) string {
		var id TraceID
		copy(id[:], s)
		return id.String()
	}
	tests := []struct {
		name    string
		ps      []Propagator
		want    scView
		wantErr string
	}{
		{"later overrides, baggage merges", []Propagator{stubPropagator{"a", "first", nil}, stubPropagator{"b", "second", nil}},
			scView{TraceID: tid("second"), SpanID: zeroSpan, Baggage: map[string]string{"a": "first", "b": "second"}}, "ok"},
		{"a failure leaves the result", []Propagator{stubPropagator{"a", "first", nil}, stubPropagator{"b", "", corrupted}},
			scView{TraceID: tid("first"), SpanID: zeroSpan, Baggage: map[string]string{"a": "first"}}, "ok"},
		{"corrupted when none succeeded", []Propagator{stubPropagator{"a", "", notFound}, stubPropagator{"b", "", corrupted}},
			viewOf(SpanContext{}), "corrupted"},
		{"not found when all were not found", []Propagator{stubPropagator{"a", "", notFound}, stubPropagator{"b", "", notFound}},
			viewOf(SpanContext{}), "notfound"},
		{"empty composite", nil, viewOf(SpanContext{}), "notfound"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := NewCompositePropagator(tc.ps...).Extract(runtime.TextMapCarrier{}, SpanContext{})
			if diff := deep.Diff(tc.wantErr, errName(err)); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if diff := deep.Diff(tc.want, viewOf(got)); diff != "" {
				t.Errorf("extracted (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCompositeInjectAndFields(t *testing.T) {
	t.Parallel()
	c := NewCompositePropagator(stubPropagator{field: "a"}, stubPropagator{field: "b"})
	if diff := deep.Diff([]string{"a", "shared", "b"}, c.Fields()); diff != "" {
		t.Errorf("Fields (-want +got):\n%s", diff)
	}
	if diff := deep.Diff(map[string]string{"a": "x", "b": "x"}, injected(c, SpanContext{})); diff != "" {
		t.Errorf("injected (-want +got):\n%s", diff)
	}
	if diff := deep.Diff([]string{"traceparent", "tracestate", "baggage"}, DefaultPropagator().Fields()); diff != "" {
		t.Errorf("DefaultPropagator Fields (-want +got):\n%s", diff)
	}
}

func TestParsePropagators(t *testing.T) {
	t.Parallel()
	tests := []struct {
		list    string
		fields  []string
		wantErr string // a substring of the error
	}{
		{"tracecontext,baggage", []string{"traceparent", "tracestate", "baggage"}, ""},
		{" TraceContext , baggage,tracecontext,", []string{"traceparent", "tracestate", "baggage"}, ""},
		{"baggage", []string{"baggage"}, ""},
		{"none", nil, ""},
		{"", nil, "no propagator"},
		{" , ", nil, "no propagator"},
		{"none,baggage", nil, "none listed with others"},
		{"tracecontext,xray", nil, `unknown propagator "xray"`},
		{"ottrace-v2", nil, `unknown propagator "ottrace-v2"`},
	}
	for _, tc := range tests {
		t.Run(tc.list, func(t *testing.T) {
			t.Parallel()
			p, err := ParsePropagators(tc.list)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := deep.Diff(tc.fields, p.Fields()); diff != "" {
				t.Errorf("Fields (-want +got):\n%s", diff)
			}
		})
	}
}
