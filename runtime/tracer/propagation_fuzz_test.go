package tracer

import (
	"reflect"
	"strings"
	"testing"

	"github.com/tracegen/tracegen/runtime"
)

// The fuzz targets check, for each parser: it never panics; what it
// accepts is within the limits; and injecting what it accepted then
// extracting it again gives the same ids, flags and baggage.

// checkReinject injects got with p and extracts it again, expecting the
// same ids and the flags in keep.
func checkReinject(t *testing.T, p Propagator, got SpanContext, keep TraceFlags) SpanContext {
	t.Helper()
	c := runtime.TextMapCarrier{}
	p.Inject(got, c)
	for k, v := range c {
		if len(v) > maxBaggageBytes+len(k) {
			t.Fatalf("injected %s of %d bytes", k, len(v))
		}
	}
	again, err := p.Extract(c, SpanContext{})
	if err != nil {
		t.Fatalf("extract of injected %v: %v", c, err)
	}
	if again.TraceID != got.TraceID || again.SpanID != got.SpanID || again.Flags != got.Flags&keep {
		t.Fatalf("re-extracted %v/%v/%02x, want %v/%v/%02x (injected %v)", again.TraceID, again.SpanID, byte(again.Flags),
			got.TraceID, got.SpanID, byte(got.Flags&keep), c)
	}
	return again
}

// checkBaggageBounds checks the baggage limits.
func checkBaggageBounds(t *testing.T, sc SpanContext) {
	t.Helper()
	if sc.BaggageLen() > maxBaggageMembers {
		t.Fatalf("%d baggage items", sc.BaggageLen())
	}
}

// checkSubset checks that every item of sub is in sc with the same value.
func checkSubset(t *testing.T, sub, sc SpanContext) {
	t.Helper()
	sub.ForeachBaggageItem(func(k, v string) bool {
		if w := sc.Baggage(k); w != v {
			t.Fatalf("baggage %q = %q after the round trip, was %q", k, v, w)
		}
		return true
	})
}

func FuzzTraceparent(f *testing.F) {
	for _, s := range []string{
		"00-" + specTrace + "-" + specSpan + "-01",
		"00-" + specTrace + "-" + specSpan + "-03",
		"cc-" + specTrace + "-" + specSpan + "-09-what-the-future-will-be-like",
		"ff-" + specTrace + "-" + specSpan + "-01",
		"00-" + zeroTrace + "-" + specSpan + "-01",
		" 00-" + specTrace + "-" + specSpan + "-01\t",
	} {
		f.Add(s, "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE")
	}
	f.Fuzz(func(t *testing.T, traceparent, tracestate string) {
		p := TraceContextPropagator{}
		got, err := p.Extract(runtime.TextMapCarrier{"traceparent": traceparent, "tracestate": tracestate}, SpanContext{})
		if err != nil {
			return
		}
		if !got.IsValid() {
			t.Fatalf("accepted %q with invalid ids", traceparent)
		}
		if len(got.TraceState) > maxTraceStateKept {
			t.Fatalf("trace state of %d characters", len(got.TraceState))
		}
		again := checkReinject(t, p, got, knownFlags)
		if again.TraceState != got.TraceState {
			t.Fatalf("trace state %q re-extracted as %q", got.TraceState, again.TraceState)
		}
	})
}

func FuzzTracestate(f *testing.F) {
	for _, s := range []string{
		"congo=t61rcWkgMzE", "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE", "fw529a3039@dt=jfw1",
		" a=1 ,, b=2", "a=1,a=2", "A=1", "a=b=c", "t@s@x=1", strings.Repeat("k=v,", 33),
		"big=" + strings.Repeat("x", 200) + "," + strings.Repeat("m=yyyyyyyy,", 3),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseTraceState(s)
		if !ok {
			return
		}
		if len(got) > maxTraceStateKept {
			t.Fatalf("kept %d characters", len(got))
		}
		again, ok := parseTraceState(got)
		if !ok || again != got {
			t.Fatalf("kept %q, which parses as %q, %v", got, again, ok)
		}
	})
}

func FuzzBaggage(f *testing.F) {
	for _, s := range []string{
		"userId=alice,serverNode=DF%2028,isProduction=false",
		"userId=Am%C3%A9lie",
		"key1=value1;property1;property2, key2 = value2, key3=value3; propertyKey=propertyValue",
		"odd%20key=a%FFb", "k", "k=%zz", ",,k=v,,",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := BaggagePropagator{}
		got, err := p.Extract(runtime.TextMapCarrier{"baggage": s}, SpanContext{})
		if err != nil {
			return
		}
		checkBaggageBounds(t, got)
		c := runtime.TextMapCarrier{}
		p.Inject(got, c)
		if len(c["baggage"]) > maxBaggageBytes {
			t.Fatalf("injected %d bytes", len(c["baggage"]))
		}
		again, err := p.Extract(c, SpanContext{})
		if err != nil && got.BaggageLen() > 0 && c["baggage"] != "" {
			t.Fatalf("extract of injected %q: %v", c["baggage"], err)
		}
		checkSubset(t, again, got)
		if !strings.Contains(s, "%") && again.BaggageLen() != got.BaggageLen() {
			t.Fatalf("%d items re-extracted from %q, want %d", again.BaggageLen(), c["baggage"], got.BaggageLen())
		}
	})
}

func FuzzB3Single(f *testing.F) {
	for _, s := range []string{
		b3Trace + "-" + b3Span + "-1-" + b3Parent, b3Trace64 + "-" + b3Span + "-d",
		b3Trace + "-" + b3Span, "0", "d", b3Trace + "-" + b3Span + "-1-",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range []B3Propagator{{}, {Multi: true}} {
			got, err := p.Extract(runtime.TextMapCarrier{"b3": s}, SpanContext{})
			if err != nil {
				continue
			}
			if !got.IsValid() {
				t.Fatalf("accepted %q with invalid ids", s)
			}
			checkReinject(t, p, got, FlagSampled)
		}
	})
}

func FuzzB3Multi(f *testing.F) {
	f.Add(b3Trace, b3Span, b3Parent, "1", "")
	f.Add(b3Trace64, b3Span, "", "true", "1")
	f.Add(b3Trace, "", "", "0", "")
	f.Fuzz(func(t *testing.T, traceID, spanID, parentID, sampled, flags string) {
		c := runtime.TextMapCarrier{}
		for k, v := range map[string]string{"X-B3-TraceId": traceID, "X-B3-SpanId": spanID, "X-B3-ParentSpanId": parentID, "X-B3-Sampled": sampled, "X-B3-Flags": flags} {
			if v != "" {
				c[k] = v
			}
		}
		for _, p := range []B3Propagator{{}, {Multi: true}} {
			got, err := p.Extract(c, SpanContext{})
			if err != nil {
				continue
			}
			if !got.IsValid() {
				t.Fatalf("accepted %v with invalid ids", c)
			}
			checkReinject(t, p, got, FlagSampled)
		}
	})
}

func FuzzJaeger(f *testing.F) {
	f.Add(specTrace+":"+specSpan+":0:1", "user", "Am%C3%A9lie+W")
	f.Add(b3Trace64+"%3A"+specSpan+"%3A0%3A3", "k", "a%zz")
	f.Add("abc:1f:0:2", "", "")
	f.Fuzz(func(t *testing.T, id, key, value string) {
		p := JaegerPropagator{}
		got, err := p.Extract(runtime.TextMapCarrier{"uber-trace-id": id, "uberctx-" + key: value}, SpanContext{})
		if err != nil {
			return
		}
		checkBaggageBounds(t, got)
		again := checkReinject(t, p, got, FlagSampled)
		if got.IsValid() && got.TraceState != "" {
			t.Fatalf("trace state %q from Jaeger", got.TraceState)
		}
		if isToken(strings.ToLower(key)) && !hasCTL(value) && again.BaggageLen() != got.BaggageLen() {
			t.Fatalf("baggage %v re-extracted as %v", viewOf(got).Baggage, viewOf(again).Baggage)
		}
		checkSubset(t, again, got)
	})
}

func FuzzOT(f *testing.F) {
	f.Add(b3Trace64, specSpan, "true", "user", "Amy")
	f.Add(specTrace, "1f", "FALSE", "k", "v")
	f.Fuzz(func(t *testing.T, traceID, spanID, sampled, key, value string) {
		p := OTTracePropagator{}
		c := runtime.TextMapCarrier{"ot-tracer-traceid": traceID, "ot-tracer-spanid": spanID, "ot-tracer-sampled": sampled, "ot-baggage-" + key: value}
		got, err := p.Extract(c, SpanContext{})
		if err != nil {
			return
		}
		checkBaggageBounds(t, got)
		again := checkReinject(t, p, got, FlagSampled)
		checkSubset(t, again, got)
	})
}

func FuzzBinary(f *testing.F) {
	sc := mustSC(f, specTrace, specSpan, FlagSampled|FlagRandom).WithBaggage("k", "v").WithBaggage("user", "Amélie")
	sc.TraceState = "rojo=1"
	f.Add(EncodeBinary(sc))
	f.Add(EncodeBinary(SpanContext{}))
	f.Add([]byte{1})
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := DecodeBinary(b)
		if err != nil {
			return
		}
		checkBaggageBounds(t, got)
		enc := EncodeBinary(got)
		if len(enc) > len(b) {
			t.Fatalf("decoded %d bytes, which encode as %d", len(b), len(enc))
		}
		again, err := DecodeBinary(enc)
		if err != nil {
			t.Fatalf("decode of encoded %x: %v", enc, err)
		}
		if !reflect.DeepEqual(viewOf(again), viewOf(got)) {
			t.Fatalf("decoded %+v, re-decoded %+v", viewOf(got), viewOf(again))
		}
	})
}
