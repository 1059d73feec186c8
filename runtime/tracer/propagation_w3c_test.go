package tracer

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tracegen/tracegen/runtime/internal/deep"
)

// The ids of the W3C Trace Context spec's examples.
const (
	specTrace = "0af7651916cd43dd8448eb211c80319c"
	specSpan  = "b7ad6b7169203331"
)

func TestTraceContextExtractTraceparent(t *testing.T) {
	t.Parallel()
	ok := func(flags TraceFlags) scView { return scView{TraceID: specTrace, SpanID: specSpan, Flags: flags} }
	tp := func(v string) []string { return []string{"traceparent", v} }
	runExtractCases(t, TraceContextPropagator{}, SpanContext{}, []extractCase{
		{"spec example sampled", tp("00-" + specTrace + "-" + specSpan + "-01"), ok(FlagSampled), "ok"},
		{"spec example not sampled", tp("00-" + specTrace + "-" + specSpan + "-00"), ok(0), "ok"},
		{"level 2 random flag", tp("00-" + specTrace + "-" + specSpan + "-03"), ok(FlagSampled | FlagRandom), "ok"},
		{"unknown flags kept", tp("00-" + specTrace + "-" + specSpan + "-09"), ok(0x09), "ok"},
		{"OWS around the value", tp(" \t00-" + specTrace + "-" + specSpan + "-01\t "), ok(FlagSampled), "ok"},
		{"future version", tp("cc-" + specTrace + "-" + specSpan + "-01"), ok(FlagSampled), "ok"},
		{"future version with more fields", tp("cc-" + specTrace + "-" + specSpan + "-01-what-the-future-will-be-like"), ok(FlagSampled), "ok"},
		{"future version, no dash after flags", tp("cc-" + specTrace + "-" + specSpan + "-01.what-the-future-will-be-like"), scView{}, "corrupted"},
		{"future version too short", tp("cc-" + specTrace + "-" + specSpan + "-0"), scView{}, "corrupted"},
		{"version ff", tp("ff-" + specTrace + "-" + specSpan + "-01"), scView{}, "corrupted"},
		{"version 00 with more fields", tp("00-" + specTrace + "-" + specSpan + "-01-what"), scView{}, "corrupted"},
		{"version 00 trailing dash", tp("00-" + specTrace + "-" + specSpan + "-01-"), scView{}, "corrupted"},
		{"uppercase version", tp("0A-" + specTrace + "-" + specSpan + "-01"), scView{}, "corrupted"},
		{"uppercase trace id", tp("00-" + strings.ToUpper(specTrace) + "-" + specSpan + "-01"), scView{}, "corrupted"},
		{"uppercase span id", tp("00-" + specTrace + "-" + strings.ToUpper(specSpan) + "-01"), scView{}, "corrupted"},
		{"uppercase flags", tp("00-" + specTrace + "-" + specSpan + "-0A"), scView{}, "corrupted"},
		{"zero trace id", tp("00-" + zeroTrace + "-" + specSpan + "-01"), scView{}, "corrupted"},
		{"zero span id", tp("00-" + specTrace + "-" + zeroSpan + "-01"), scView{}, "corrupted"},
		{"short trace id", tp("00-" + specTrace[1:] + "-" + specSpan + "-01"), scView{}, "corrupted"},
		{"long span id", tp("00-" + specTrace + "-" + specSpan + "0-01"), scView{}, "corrupted"},
		{"non-hex trace id", tp("00-" + strings.Replace(specTrace, "a", "g", 1) + "-" + specSpan + "-01"), scView{}, "corrupted"},
		{"wrong separator", tp("00_" + specTrace + "-" + specSpan + "-01"), scView{}, "corrupted"},
		{"one-digit flags", tp("00-" + specTrace + "-" + specSpan + "-1"), scView{}, "corrupted"},
		{"empty", tp(""), scView{}, "corrupted"},
		{"three-digit version", tp("000-" + specTrace + "-" + specSpan + "-01"), scView{}, "corrupted"},
		{"one-digit version", tp("0-" + specTrace + "-" + specSpan + "-01"), scView{}, "corrupted"},
		{"dot in version", tp(".0-" + specTrace + "-" + specSpan + "-01"), scView{}, "corrupted"},
		{"dot in flags", tp("00-" + specTrace + "-" + specSpan + "-.0"), scView{}, "corrupted"},
		{"version 00 with a trailing dot", tp("00-" + specTrace + "-" + specSpan + "-01."), scView{}, "corrupted"},
		{"wrong header name", []string{"trace-parent", "00-" + specTrace + "-" + specSpan + "-01"}, scView{}, "notfound"},
		{"twice", []string{"traceparent", "00-" + specTrace + "-" + specSpan + "-01", "traceparent", "00-" + specTrace + "-" + specSpan + "-00"}, scView{}, "corrupted"},
		{"absent", []string{"other", "x"}, scView{}, "notfound"},
		{"uppercase key", []string{"TRACEPARENT", "00-" + specTrace + "-" + specSpan + "-01"}, ok(FlagSampled), "ok"},
		{"invalid traceparent, tracestate ignored", []string{"traceparent", "ff-" + specTrace + "-" + specSpan + "-01", "tracestate", "a=1"}, scView{}, "corrupted"},
	})
}

func TestTraceContextExtractTracestate(t *testing.T) {
	t.Parallel()
	tp := "00-" + specTrace + "-" + specSpan + "-01"
	with := func(ts string) scView {
		return scView{TraceID: specTrace, SpanID: specSpan, Flags: FlagSampled, TraceState: ts}
	}
	ts := func(vs ...string) []string {
		kv := []string{"traceparent", tp}
		for _, v := range vs {
			kv = append(kv, "tracestate", v)
		}
		return kv
	}
	members := func(n int) string {
		var b []string
		for i := range n {
			b = append(b, fmt.Sprintf("k%d=v%d", i, i))
		}
		return strings.Join(b, ",")
	}
	long := func(c byte, n int) string { return strings.Repeat(string(c), n) }
	runExtractCases(t, TraceContextPropagator{}, SpanContext{}, []extractCase{
		{"spec example", ts("congo=t61rcWkgMzE"), with("congo=t61rcWkgMzE"), "ok"},
		{"spec example two members", ts("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"), with("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"), "ok"},
		{"multi-tenant key", ts("fw529a3039@dt=jfw1,congo=x"), with("fw529a3039@dt=jfw1,congo=x"), "ok"},
		{"key starting with a digit (level 2)", ts("1a=b"), with("1a=b"), "ok"},
		{"key characters", ts("a_-*/0=v"), with("a_-*/0=v"), "ok"},
		{"value with spaces and punctuation", ts("a=b c!~"), with("a=b c!~"), "ok"},
		{"empty members and OWS removed", ts(" a=1 ,\t, b=2 ,,"), with("a=1,b=2"), "ok"},
		{"only empty members", ts(" , "), with(""), "ok"},
		{"two headers combined", ts("a=1", "b=2"), with("a=1,b=2"), "ok"},
		// Duplicates on receipt: the spec lets a receiver keep them or drop
		// them; the first (most recent) is kept, and the list is not lost.
		{"duplicate key across headers", ts("a=1", "a=2"), with("a=1"), "ok"},
		{"duplicate key", ts("a=1,b=2,a=3"), with("a=1,b=2"), "ok"},
		{"duplicate member", ts("foo=1,foo=1"), with("foo=1"), "ok"},
		{"duplicate key, other value", ts("foo=1,foo=2"), with("foo=1"), "ok"},
		{"32 members", ts(members(32)), with(members(32)), "ok"},
		{"33 members", ts(members(33)), with(""), "ok"},
		{"32 members and a duplicate", ts(members(32) + ",k0=again"), with(members(32)), "ok"},
		{"uppercase key", ts("Foo=1"), with(""), "ok"},
		{"key with a dot", ts("a.b=1"), with(""), "ok"},
		{"key of 256", ts(long('k', 256) + "=1"), with(long('k', 256) + "=1"), "ok"},
		{"key of 257", ts(long('k', 257) + "=1"), with(""), "ok"},
		// '@' is a key character like the others: the tenant and system
		// split of Level 1 is gone from the current grammar.
		{"tenant of 241", ts(long('t', 241) + "@s=1"), with(long('t', 241) + "@s=1"), "ok"},
		{"tenant of 242", ts(long('t', 242) + "@s=1"), with(long('t', 242) + "@s=1"), "ok"},
		{"key of 244 with @", ts(long('t', 200) + "@" + long('s', 43) + "=1"), with(long('t', 200) + "@" + long('s', 43) + "=1"), "ok"},
		{"system of 15", ts("t@" + long('s', 15) + "=1"), with("t@" + long('s', 15) + "=1"), "ok"},
		{"key starting with @", ts("@s=1"), with(""), "ok"},
		{"key ending with @", ts("foo@=1"), with("foo@=1"), "ok"},
		{"two at signs", ts("foo@@bar=1"), with("foo@@bar=1"), "ok"},
		{"system starting with a digit", ts("t@1s=1"), with("t@1s=1"), "ok"},
		{"no equals", ts("a"), with(""), "ok"},
		{"empty value", ts("a="), with(""), "ok"},
		{"equals in value", ts("a=b=c"), with(""), "ok"},
		{"tab in value", ts("a=b\tc"), with(""), "ok"},
		{"non-ASCII value", ts("a=é"), with(""), "ok"},
		{"value of 256", ts("a=" + long('v', 256)), with("a=" + long('v', 256)), "ok"},
		{"value of 257", ts("a=" + long('v', 257)), with(""), "ok"},
		{"all allowed characters", ts(allowedKey + "=" + allowedValue), with(allowedKey + "=" + allowedValue), "ok"},
		{"all allowed characters, vendor key", ts(allowedKey + "@a-z0-9_-*/=" + allowedValue), with(allowedKey + "@a-z0-9_-*/=" + allowedValue), "ok"},
		{"empty header then a member", ts("", "foo=1"), with("foo=1"), "ok"},
		{"space before equals", ts("foo =1"), with(""), "ok"},
		{"key ending with @ in a list", ts("foo@=1,bar=2"), with("foo@=1,bar=2"), "ok"},
		{"empty value spoils the list", ts("foo=,bar=3"), with(""), "ok"},
		{"32 members over four headers", ts(members(10), members(32)[len(members(10))+1:]), with(members(32)), "ok"},
		{"longer than the input limit", ts("a=1," + long(' ', maxTraceStateInput)), with(""), "ok"},
	})
}

// The characters the W3C test suite's all-allowed-characters case uses:
// every key character, and every value character (the value starting with
// a space).
var (
	allowedKey   = "abcdefghijklmnopqrstuvwxyz0123456789_-*/"
	allowedValue = func() string {
		var b []byte
		for c := byte(0x20); c <= 0x7e; c++ {
			if c != ',' && c != '=' {
				b = append(b, c)
			}
		}
		return string(b)
	}()
)

func TestTraceContextTracestateCut(t *testing.T) {
	t.Parallel()
	big := "big=" + strings.Repeat("x", 200)                                               // more than 128: removed first
	mid := func(i int) string { return fmt.Sprintf("m%d=%s", i, strings.Repeat("y", 96)) } // 100 each
	var in []string
	in = append(in, mid(0), big, mid(1), mid(2), mid(3), mid(4), mid(5))
	got, ok := parseTraceState(strings.Join(in, ","))
	// Without big: 6*100+5 = 605 > 512, so mid(5) goes too: 5*100+4 = 504.
	want := strings.Join([]string{mid(0), mid(1), mid(2), mid(3), mid(4)}, ",")
	if !ok {
		t.Fatal("tracestate rejected")
	}
	if diff := deep.Diff(want, got); diff != "" {
		t.Errorf("cut tracestate (-want +got):\n%s", diff)
	}
	if len(got) > maxTraceStateKept {
		t.Errorf("cut tracestate has %d characters, want at most %d", len(got), maxTraceStateKept)
	}
}

func TestTraceContextInject(t *testing.T) {
	t.Parallel()
	sc := mustSC(t, specTrace, specSpan, FlagSampled|FlagRandom|0x84)
	sc.TraceState = "rojo=00f067aa0ba902b7"
	tests := []struct {
		name string
		sc   SpanContext
		want map[string]string
	}{
		{"sampled random, unknown flags cleared", sc, map[string]string{
			"traceparent": "00-" + specTrace + "-" + specSpan + "-03",
			"tracestate":  "rojo=00f067aa0ba902b7",
		}},
		{"not sampled, no state", mustSC(t, specTrace, specSpan, 0), map[string]string{
			"traceparent": "00-" + specTrace + "-" + specSpan + "-00",
		}},
		{"no ids", SpanContext{TraceState: "a=1"}.WithBaggage("k", "v"), map[string]string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if diff := deep.Diff(tc.want, injected(TraceContextPropagator{}, tc.sc)); diff != "" {
				t.Errorf("injected (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTraceContextExtractKeepsBaggage(t *testing.T) {
	t.Parallel()
	start := SpanContext{TraceState: "old=1"}.WithBaggage("k", "v")
	got, err := TraceContextPropagator{}.Extract(headerCarrier("traceparent", "00-"+specTrace+"-"+specSpan+"-01"), start)
	if err != nil {
		t.Fatal(err)
	}
	want := scView{TraceID: specTrace, SpanID: specSpan, Flags: FlagSampled, Baggage: map[string]string{"k": "v"}}
	if diff := deep.Diff(want, viewOf(got)); diff != "" {
		t.Errorf("extracted (-want +got):\n%s", diff)
	}
}
