package tracer

import (
	"net/http"
	"strings"
	"testing"

	"github.com/tracegen/tracegen/runtime/internal/deep"
)

// The ids of the openzipkin/b3-propagation README's examples.
const (
	b3Trace   = "80f198ee56343ba864fe8b2a57d3eff7"
	b3Span    = "e457b5a2e4d86bd1"
	b3Parent  = "05e3ac9a4f6e3b90"
	b3Trace64 = "463ac35c9f6413ad"
)

func TestB3Extract(t *testing.T) {
	t.Parallel()
	ok := func(traceID string, flags TraceFlags) scView {
		return scView{TraceID: traceID, SpanID: b3Span, Flags: flags}
	}
	single := func(v string) []string { return []string{"b3", v} }
	multi := func(kv ...string) []string { return kv }
	cases := []extractCase{
		{"README single", single(b3Trace + "-" + b3Span + "-1-" + b3Parent), ok(b3Trace, FlagSampled), "ok"},
		{"single, no parent", single(b3Trace + "-" + b3Span + "-1"), ok(b3Trace, FlagSampled), "ok"},
		{"single, not sampled", single(b3Trace + "-" + b3Span + "-0"), ok(b3Trace, 0), "ok"},
		{"single, debug", single(b3Trace + "-" + b3Span + "-d"), ok(b3Trace, FlagSampled), "ok"},
		{"single, deferred", single(b3Trace + "-" + b3Span), ok(b3Trace, 0), "ok"},
		{"single, 64-bit trace id", single(b3Trace64 + "-" + b3Span + "-1"), ok("0000000000000000"+b3Trace64, FlagSampled), "ok"},
		{"single, OWS", single(" " + b3Trace + "-" + b3Span + "-1 "), ok(b3Trace, FlagSampled), "ok"},
		{"single, sampling only 0", single("0"), scView{}, "notfound"},
		{"single, sampling only 1", single("1"), scView{}, "notfound"},
		{"single, sampling only d", single("d"), scView{}, "notfound"},
		{"single, uppercase", single(strings.ToUpper(b3Trace) + "-" + b3Span + "-1"), scView{}, "corrupted"},
		{"single, 24-digit trace id", single(b3Trace[:24] + "-" + b3Span + "-1"), scView{}, "corrupted"},
		{"single, short span id", single(b3Trace + "-" + b3Span[1:] + "-1"), scView{}, "corrupted"},
		{"single, zero trace id", single(zeroTrace + "-" + b3Span + "-1"), scView{}, "corrupted"},
		{"single, zero span id", single(b3Trace + "-" + zeroSpan + "-1"), scView{}, "corrupted"},
		{"single, bad sampling", single(b3Trace + "-" + b3Span + "-true"), scView{}, "corrupted"},
		{"single, empty sampling", single(b3Trace + "-" + b3Span + "-"), scView{}, "corrupted"},
		{"single, bad parent", single(b3Trace + "-" + b3Span + "-1-xyz"), scView{}, "corrupted"},
		{"single, extra field", single(b3Trace + "-" + b3Span + "-1-" + b3Parent + "-x"), scView{}, "corrupted"},
		{"single, span id only", single(b3Span), scView{}, "corrupted"},
		{"single, empty", single(""), scView{}, "corrupted"},
		{"single twice", []string{"b3", b3Trace + "-" + b3Span + "-1", "b3", b3Trace + "-" + b3Span + "-0"}, scView{}, "corrupted"},
		{"README multi", multi("X-B3-TraceId", b3Trace, "X-B3-ParentSpanId", b3Parent, "X-B3-SpanId", b3Span, "X-B3-Sampled", "1"), ok(b3Trace, FlagSampled), "ok"},
		{"multi, 64-bit", multi("X-B3-TraceId", b3Trace64, "X-B3-SpanId", b3Span, "X-B3-Sampled", "0"), ok("0000000000000000"+b3Trace64, 0), "ok"},
		{"multi, sampled true", multi("X-B3-TraceId", b3Trace, "X-B3-SpanId", b3Span, "X-B3-Sampled", "true"), ok(b3Trace, FlagSampled), "ok"},
		{"multi, sampled false", multi("X-B3-TraceId", b3Trace, "X-B3-SpanId", b3Span, "X-B3-Sampled", "false"), ok(b3Trace, 0), "ok"},
		{"multi, debug flag", multi("X-B3-TraceId", b3Trace, "X-B3-SpanId", b3Span, "X-B3-Flags", "1"), ok(b3Trace, FlagSampled), "ok"},
		{"multi, debug wins over sampled 0", multi("X-B3-TraceId", b3Trace, "X-B3-SpanId", b3Span, "X-B3-Sampled", "0", "X-B3-Flags", "1"), ok(b3Trace, FlagSampled), "ok"},
		{"multi, deferred", multi("x-b3-traceid", b3Trace, "x-b3-spanid", b3Span), ok(b3Trace, 0), "ok"},
		{"multi, sampled only", multi("X-B3-Sampled", "0"), scView{}, "notfound"},
		{"multi, no span id", multi("X-B3-TraceId", b3Trace, "X-B3-Sampled", "1"), scView{}, "corrupted"},
		{"multi, no trace id", multi("X-B3-SpanId", b3Span), scView{}, "corrupted"},
		{"multi, bad sampled", multi("X-B3-TraceId", b3Trace, "X-B3-SpanId", b3Span, "X-B3-Sampled", "yes"), scView{}, "corrupted"},
		{"multi, uppercase trace id", multi("X-B3-TraceId", strings.ToUpper(b3Trace), "X-B3-SpanId", b3Span), scView{}, "corrupted"},
		{"multi, bad parent", multi("X-B3-TraceId", b3Trace, "X-B3-SpanId", b3Span, "X-B3-ParentSpanId", "0"), scView{}, "corrupted"},
		{"multi, trace id twice", multi("X-B3-TraceId", b3Trace, "X-B3-TraceId", b3Trace, "X-B3-SpanId", b3Span), scView{}, "corrupted"},
		{"single wins over multi", multi("b3", b3Trace+"-"+b3Span+"-1", "X-B3-TraceId", b3Trace64, "X-B3-SpanId", b3Parent, "X-B3-Sampled", "0"), ok(b3Trace, FlagSampled), "ok"},
		{"corrupted single, valid multi", multi("b3", "garbage", "X-B3-TraceId", b3Trace, "X-B3-SpanId", b3Span), ok(b3Trace, 0), "ok"},
		{"sampling-only single, valid multi", multi("b3", "0", "X-B3-TraceId", b3Trace, "X-B3-SpanId", b3Span, "X-B3-Sampled", "1"), ok(b3Trace, FlagSampled), "ok"},
		{"corrupted single, no multi", multi("b3", "garbage", "X-B3-Sampled", "1"), scView{}, "corrupted"},
		{"absent", multi("traceparent", "x"), scView{}, "notfound"},
	}
	for _, p := range []B3Propagator{{}, {Multi: true}} {
		runExtractCases(t, p, SpanContext{}, cases)
	}
}

func TestB3Inject(t *testing.T) {
	t.Parallel()
	sc := mustSC(t, b3Trace, b3Span, FlagSampled|FlagRandom)
	unsampled := mustSC(t, "0000000000000000"+b3Trace64, b3Span, 0)
	tests := []struct {
		name string
		p    B3Propagator
		sc   SpanContext
		want map[string]string
	}{
		{"single", B3Propagator{}, sc, map[string]string{"b3": b3Trace + "-" + b3Span + "-1"}},
		{"single unsampled 64-bit", B3Propagator{}, unsampled, map[string]string{"b3": "0000000000000000" + b3Trace64 + "-" + b3Span + "-0"}},
		{"multi", B3Propagator{Multi: true}, sc, map[string]string{"x-b3-traceid": b3Trace, "x-b3-spanid": b3Span, "x-b3-sampled": "1"}},
		{"multi unsampled", B3Propagator{Multi: true}, unsampled, map[string]string{"x-b3-traceid": "0000000000000000" + b3Trace64, "x-b3-spanid": b3Span, "x-b3-sampled": "0"}},
		{"no ids", B3Propagator{}, SpanContext{}.WithBaggage("k", "v"), map[string]string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if diff := deep.Diff(tc.want, injected(tc.p, tc.sc)); diff != "" {
				t.Errorf("injected (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCanonicalKeys checks that each field's canonical form, used to read
// and write http.Header directly, is what http.CanonicalHeaderKey gives.
func TestCanonicalKeys(t *testing.T) {
	t.Parallel()
	pairs := [][2]string{
		{"traceparent", "Traceparent"}, {"tracestate", "Tracestate"}, {"baggage", "Baggage"},
		{b3Single, b3SingleCanon}, {b3TraceID, b3TraceIDCanon}, {b3SpanID, b3SpanIDCanon},
		{b3ParentID, b3ParentIDCanon}, {b3Sampled, b3SampledCanon}, {b3FlagsKey, b3FlagsKeyCanon},
		{jaegerHeader, jaegerHeaderCanon},
		{otTraceID, otTraceIDCanon}, {otSpanID, otSpanIDCanon}, {otSampled, otSampledCanon},
	}
	for _, p := range pairs {
		if got := http.CanonicalHeaderKey(p[0]); got != p[1] {
			t.Errorf("canonical form of %q is %q, the code uses %q", p[0], got, p[1])
		}
	}
}
