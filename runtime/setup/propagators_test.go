package setup

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/tracer"
)

func TestFromEnvPropagators(t *testing.T) {
	tests := []struct {
		list    string
		headers []string // the canonical header keys Inject writes
	}{
		{"tracecontext,baggage", []string{"Baggage", "Traceparent"}},
		{"b3,jaeger", []string{"B3", "Uber-Trace-Id", "Uberctx-K"}},
		{"b3multi", []string{"X-B3-Sampled", "X-B3-Spanid", "X-B3-Traceid"}},
		{"ottrace", []string{"Ot-Baggage-K", "Ot-Tracer-Sampled", "Ot-Tracer-Spanid", "Ot-Tracer-Traceid"}},
	}
	for _, tc := range tests {
		t.Run(tc.list, func(t *testing.T) {
			setEnv(t, map[string]string{EnvTracesExporter: "none", EnvPropagators: tc.list})
			t.Cleanup(runtime.ResetGlobalTracer)
			shutdown, err := FromEnv(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			defer shutdown(context.Background())
			tr := runtime.GlobalTracer()
			span := tr.StartSpan("x")
			defer span.Finish()
			span.SetBaggageItem("k", "v")
			h := http.Header{}
			if err := tr.Inject(span.Context(), runtime.HTTPHeaders, h); err != nil {
				t.Fatal(err)
			}
			var keys []string
			for k := range h {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			if diff := cmp.Diff(tc.headers, keys); diff != "" {
				t.Errorf("injected headers (-want +got):\n%s", diff)
			}
			got, err := tr.Extract(runtime.HTTPHeaders, h)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := tracer.SpanContextOf(span.Context())
			gc, _ := tracer.SpanContextOf(got)
			if gc.TraceID != want.TraceID || gc.SpanID != want.SpanID || gc.IsSampled() != want.IsSampled() {
				t.Errorf("extracted %v/%v sampled %v, want %v/%v sampled %v", gc.TraceID, gc.SpanID, gc.IsSampled(), want.TraceID, want.SpanID, want.IsSampled())
			}
			if tc.list == "b3multi" {
				return // B3 carries no baggage
			}
			if gc.Baggage("k") != "v" {
				t.Errorf("extracted baggage k = %q, want v", gc.Baggage("k"))
			}
		})
	}
}

func TestFromEnvPropagatorErrorNamesEntry(t *testing.T) {
	setEnv(t, map[string]string{EnvPropagators: "b3,xray"})
	_, err := FromEnv(context.Background())
	if err == nil || !strings.Contains(err.Error(), `OTEL_PROPAGATORS="b3,xray"`) || !strings.Contains(err.Error(), `"xray"`) {
		t.Errorf("error %v, want one naming OTEL_PROPAGATORS and the entry xray", err)
	}
}
