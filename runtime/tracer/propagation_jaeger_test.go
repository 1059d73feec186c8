package tracer

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tracegen/tracegen/runtime/internal/deep"
)

func TestJaegerExtract(t *testing.T) {
	t.Parallel()
	ok := func(traceID, spanID string, flags TraceFlags) scView {
		return scView{TraceID: traceID, SpanID: spanID, Flags: flags}
	}
	withBaggage := func(v scView, kv ...string) scView {
		v.Baggage = map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Baggage[kv[i]] = kv[i+1]
		}
		return v
	}
	id := func(v string) []string { return []string{"uber-trace-id", v} }
	var many []string
	for i := range 70 {
		many = append(many, fmt.Sprintf("uberctx-k%02d", i), "v")
	}
	cases := []extractCase{
		{"128-bit sampled", id(specTrace + ":" + specSpan + ":0:1"), ok(specTrace, specSpan, FlagSampled), "ok"},
		{"64-bit not sampled", id(b3Trace64 + ":" + specSpan + ":" + b3Parent + ":0"), ok("0000000000000000"+b3Trace64, specSpan, 0), "ok"},
		{"short ids left-padded", id("abc:1f:0:1"), ok("00000000000000000000000000000abc", "000000000000001f", FlagSampled), "ok"},
		{"uppercase hex", id(strings.ToUpper(specTrace) + ":" + strings.ToUpper(specSpan) + ":0:1"), ok(specTrace, specSpan, FlagSampled), "ok"},
		{"debug means sampled", id(specTrace + ":" + specSpan + ":0:2"), ok(specTrace, specSpan, FlagSampled), "ok"},
		{"two-digit flags", id(specTrace + ":" + specSpan + ":0:03"), ok(specTrace, specSpan, FlagSampled), "ok"},
		{"other flag bits only", id(specTrace + ":" + specSpan + ":0:4"), ok(specTrace, specSpan, 0), "ok"},
		{"URL-encoded", id(specTrace + "%3A" + specSpan + "%3a0%3A1"), ok(specTrace, specSpan, FlagSampled), "ok"},
		{"zero trace id", id("0:" + specSpan + ":0:1"), scView{}, "corrupted"},
		{"zero span id", id(specTrace + ":0:0:1"), scView{}, "corrupted"},
		{"33-digit trace id", id("1" + specTrace + ":" + specSpan + ":0:1"), scView{}, "corrupted"},
		{"17-digit span id", id(specTrace + ":1" + specSpan + ":0:1"), scView{}, "corrupted"},
		{"three fields", id(specTrace + ":" + specSpan + ":1"), scView{}, "corrupted"},
		{"five fields", id(specTrace + ":" + specSpan + ":0:1:0"), scView{}, "corrupted"},
		{"empty parent", id(specTrace + ":" + specSpan + "::1"), scView{}, "corrupted"},
		{"three-digit flags", id(specTrace + ":" + specSpan + ":0:100"), scView{}, "corrupted"},
		{"non-hex", id("xyz:" + specSpan + ":0:1"), scView{}, "corrupted"},
		{"bad escape", id(specTrace + "%3" + specSpan + ":0:1"), scView{}, "corrupted"},
		{"empty", id(""), scView{}, "corrupted"},
		{"twice", []string{"uber-trace-id", "1:2:0:1", "uber-trace-id", "1:2:0:1"}, scView{}, "corrupted"},
		{"corrupted ids drop baggage", []string{"uber-trace-id", "x", "uberctx-k", "v"}, scView{}, "corrupted"},
		{"ids and baggage", []string{"uber-trace-id", specTrace + ":" + specSpan + ":0:1", "uberctx-User-Name", "Am%C3%A9lie+W", "uberctx-plain", "a%zz"},
			withBaggage(ok(specTrace, specSpan, FlagSampled), "user-name", "Amélie W", "plain", "a%zz"), "ok"},
		{"baggage only", []string{"uberctx-k", "v"}, withBaggage(ok(zeroTrace, zeroSpan, 0), "k", "v"), "ok"},
		{"prefix alone is not baggage", []string{"uberctx-", "v"}, scView{}, "notfound"},
		{"absent", []string{"traceparent", "x"}, scView{}, "notfound"},
	}
	runExtractCases(t, JaegerPropagator{}, SpanContext{}, cases)

	t.Run("baggage limit", func(t *testing.T) {
		t.Parallel()
		got, err := JaegerPropagator{}.Extract(headerCarrier(many...), SpanContext{})
		if err != nil {
			t.Fatal(err)
		}
		if got.BaggageLen() != maxBaggageMembers {
			t.Errorf("%d baggage items, want %d", got.BaggageLen(), maxBaggageMembers)
		}
	})
}

func TestJaegerInject(t *testing.T) {
	t.Parallel()
	sc := mustSC(t, specTrace, specSpan, FlagSampled|FlagRandom).WithBaggage("user", "Amélie W").WithBaggage("bad key", "x").WithBaggage("ctl", "a\nb")
	tests := []struct {
		name string
		sc   SpanContext
		want map[string]string
	}{
		{"128-bit with baggage", sc, map[string]string{
			"uber-trace-id": specTrace + ":" + specSpan + ":0:1",
			"uberctx-user":  "Am%C3%A9lie+W",
			"uberctx-ctl":   "a%0Ab",
		}},
		{"64-bit not sampled", mustSC(t, "0000000000000000"+b3Trace64, "00000000000000a1", 0), map[string]string{
			"uber-trace-id": b3Trace64 + ":00000000000000a1:0:0",
		}},
		{"baggage only", SpanContext{}.WithBaggage("k", "v"), map[string]string{"uberctx-k": "v"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if diff := deep.Diff(tc.want, injected(JaegerPropagator{}, tc.sc)); diff != "" {
				t.Errorf("injected (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOTTraceExtract(t *testing.T) {
	t.Parallel()
	ok := func(traceID, spanID string, flags TraceFlags) scView {
		return scView{TraceID: traceID, SpanID: spanID, Flags: flags}
	}
	ids := func(tid, sid, sampled string, more ...string) []string {
		return append([]string{"ot-tracer-traceid", tid, "ot-tracer-spanid", sid, "ot-tracer-sampled", sampled}, more...)
	}
	cases := []extractCase{
		{"64-bit", ids(b3Trace64, specSpan, "true"), ok("0000000000000000"+b3Trace64, specSpan, FlagSampled), "ok"},
		{"128-bit", ids(specTrace, specSpan, "false"), ok(specTrace, specSpan, 0), "ok"},
		{"basictracer unpadded", ids("abc", "1f", "1"), ok("00000000000000000000000000000abc", "000000000000001f", FlagSampled), "ok"},
		{"uppercase hex, TRUE", ids(strings.ToUpper(specTrace), strings.ToUpper(specSpan), "TRUE"), ok(specTrace, specSpan, FlagSampled), "ok"},
		{"with baggage", ids(specTrace, specSpan, "true", "ot-baggage-User", "Amy Wong"),
			scView{TraceID: specTrace, SpanID: specSpan, Flags: FlagSampled, Baggage: map[string]string{"user": "Amy Wong"}}, "ok"},
		{"baggage only", []string{"ot-baggage-k", "v"}, scView{TraceID: zeroTrace, SpanID: zeroSpan, Baggage: map[string]string{"k": "v"}}, "ok"},
		{"no sampled field", []string{"ot-tracer-traceid", specTrace, "ot-tracer-spanid", specSpan}, scView{}, "corrupted"},
		{"sampled only", []string{"ot-tracer-sampled", "true"}, scView{}, "corrupted"},
		{"bad sampled", ids(specTrace, specSpan, "yes"), scView{}, "corrupted"},
		{"zero trace id", ids("0", specSpan, "true"), scView{}, "corrupted"},
		{"zero span id", ids(specTrace, zeroSpan, "true"), scView{}, "corrupted"},
		{"33-digit trace id", ids("1"+specTrace, specSpan, "true"), scView{}, "corrupted"},
		{"non-hex span id", ids(specTrace, "xyz", "true"), scView{}, "corrupted"},
		{"empty span id", ids(specTrace, "", "true"), scView{}, "corrupted"},
		{"absent", []string{"traceparent", "x"}, scView{}, "notfound"},
	}
	runExtractCases(t, OTTracePropagator{}, SpanContext{}, cases)
}

func TestOTTraceInject(t *testing.T) {
	t.Parallel()
	sc := mustSC(t, "0000000000000000"+b3Trace64, specSpan, FlagSampled).WithBaggage("user", "Amy Wong").WithBaggage("bad key", "x").WithBaggage("ctl", "a\nb")
	want := map[string]string{
		"ot-tracer-traceid": b3Trace64,
		"ot-tracer-spanid":  specSpan,
		"ot-tracer-sampled": "true",
		"ot-baggage-user":   "Amy Wong",
	}
	if diff := deep.Diff(want, injected(OTTracePropagator{}, sc)); diff != "" {
		t.Errorf("injected (-want +got):\n%s", diff)
	}
	want = map[string]string{"ot-tracer-traceid": specTrace, "ot-tracer-spanid": specSpan, "ot-tracer-sampled": "false"}
	if diff := deep.Diff(want, injected(OTTracePropagator{}, mustSC(t, specTrace, specSpan, 0))); diff != "" {
		t.Errorf("injected 128-bit (-want +got):\n%s", diff)
	}
}
