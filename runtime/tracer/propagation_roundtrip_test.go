package tracer

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/internal/deep"
)

// roundTripPropagators are the propagators with what each carries of a
// span context: want maps the injected context's view to the extracted one
// (nil Baggage and zero ids when nothing is carried: then Extract must say
// not found).
var roundTripPropagators = []struct {
	name string
	p    Propagator
	want func(scView) scView
}{
	{"tracecontext", TraceContextPropagator{}, carries(FlagSampled|FlagRandom, true, nil)},
	{"baggage", BaggagePropagator{}, func(v scView) scView {
		return scView{TraceID: zeroTrace, SpanID: zeroSpan, Baggage: v.Baggage}
	}},
	{"default", DefaultPropagator(), carries(FlagSampled|FlagRandom, true, identity)},
	{"b3", B3Propagator{}, carries(FlagSampled, false, nil)},
	{"b3multi", B3Propagator{Multi: true}, carries(FlagSampled, false, nil)},
	{"jaeger", JaegerPropagator{}, carries(FlagSampled, false, headerBaggage)},
	{"ottrace", OTTracePropagator{}, carries(FlagSampled, false, headerBaggage)},
	{"all", mustParse("tracecontext,baggage,b3,b3multi,jaeger,ottrace"), carries(FlagSampled, true, func(m map[string]string) map[string]string {
		out := headerBaggage(m)
		for k, v := range m {
			out[k] = v
		}
		return out
	})},
}

func mustParse(list string) Propagator {
	p, err := ParsePropagators(list)
	if err != nil {
		panic(err)
	}
	return p
}

func identity(m map[string]string) map[string]string { return m }

// headerBaggage is what the one-field-per-item formats keep: keys that
// are tokens, lowercased.
func headerBaggage(m map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		if isToken(k) {
			out[strings.ToLower(k)] = v
		}
	}
	return out
}

// carries returns the expectation of a propagator of ids that keeps flags,
// the trace state if traceState, and baggage as baggage maps it (none if
// nil).
func carries(flags TraceFlags, traceState bool, baggage func(map[string]string) map[string]string) func(scView) scView {
	return func(v scView) scView {
		v.Flags &= flags
		if !traceState {
			v.TraceState = ""
		}
		if baggage == nil || v.Baggage == nil {
			v.Baggage = nil
		} else {
			v.Baggage = baggage(v.Baggage)
		}
		return v
	}
}

func roundTripContexts(t testing.TB) map[string]SpanContext {
	sampled := mustSC(t, specTrace, specSpan, FlagSampled|FlagRandom)
	sampled.TraceState = "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"
	sampled = sampled.WithBaggage("user", "Amélie").WithBaggage("odd key", "a=b; c\td,é%").WithBaggage("Kiff-loves", "Amy Wong")
	return map[string]SpanContext{
		"sampled with state and baggage": sampled,
		"unsampled 64-bit":               mustSC(t, "0000000000000000"+specSpan, "00000000000000a1", 0),
		"sampled plain":                  mustSC(t, specTrace, specSpan, FlagSampled),
	}
}

func TestPropagatorRoundTrip(t *testing.T) {
	t.Parallel()
	for _, rp := range roundTripPropagators {
		for scName, sc := range roundTripContexts(t) {
			want := rp.want(viewOf(sc))
			wantErr := "ok"
			if want.TraceID == zeroTrace && want.Baggage == nil {
				wantErr, want = "notfound", viewOf(SpanContext{})
			}
			carriers := map[string]func() (runtime.TextMapWriter, runtime.TextMapReader){
				"TextMapCarrier": func() (runtime.TextMapWriter, runtime.TextMapReader) {
					c := runtime.TextMapCarrier{}
					return c, c
				},
				"HTTPHeadersCarrier": func() (runtime.TextMapWriter, runtime.TextMapReader) {
					c := runtime.HTTPHeadersCarrier{}
					return c, c
				},
				"http.Header Set": func() (runtime.TextMapWriter, runtime.TextMapReader) {
					h := http.Header{}
					return headerSetter{h}, runtime.HTTPHeadersCarrier(h)
				},
			}
			for cName, mk := range carriers {
				t.Run(rp.name+"/"+scName+"/"+cName, func(t *testing.T) {
					t.Parallel()
					w, r := mk()
					rp.p.Inject(sc, w)
					got, err := rp.p.Extract(r, SpanContext{})
					if diff := deep.Diff(wantErr, errName(err)); diff != "" {
						t.Fatalf("error (-want +got):\n%s", diff)
					}
					if diff := deep.Diff(want, viewOf(got)); diff != "" {
						t.Errorf("round trip (-want +got):\n%s", diff)
					}
				})
			}
		}
	}
}

// headerSetter writes through http.Header.Set, as a carrier that is not
// runtime.HTTPHeadersCarrier does.
type headerSetter struct{ h http.Header }

func (s headerSetter) Set(k, v string) { s.h.Set(k, v) }

func TestTracerRoundTrip(t *testing.T) {
	t.Parallel()
	for _, rp := range roundTripPropagators {
		if rp.name == "baggage" {
			continue
		}
		t.Run(rp.name, func(t *testing.T) {
			t.Parallel()
			tr := New(WithPropagator(rp.p))
			sc := roundTripContexts(t)["sampled with state and baggage"]
			for _, format := range []runtime.BuiltinFormat{runtime.TextMap, runtime.HTTPHeaders} {
				carriers := []any{http.Header{}, runtime.TextMapCarrier{}, map[string]string{}}
				if format == runtime.HTTPHeaders {
					carriers = append(carriers, runtime.HTTPHeadersCarrier{})
				}
				for _, c := range carriers {
					if err := tr.Inject(sc, format, c); err != nil {
						t.Fatalf("%v %T: Inject: %v", format, c, err)
					}
					got, err := tr.Extract(format, c)
					if err != nil {
						t.Fatalf("%v %T: Extract: %v", format, c, err)
					}
					gc, _ := SpanContextOf(got)
					want := rp.want(viewOf(sc))
					if diff := deep.Diff(want, viewOf(gc)); diff != "" || !gc.Remote {
						t.Errorf("%v %T: round trip (-want +got):\n%s\nRemote %v", format, c, diff, gc.Remote)
					}
				}
			}
			var buf bytes.Buffer
			if err := tr.Inject(sc, runtime.Binary, &buf); err != nil {
				t.Fatal(err)
			}
			got, err := tr.Extract(runtime.Binary, &buf)
			if err != nil {
				t.Fatal(err)
			}
			gc, _ := SpanContextOf(got)
			if diff := deep.Diff(viewOf(sc), viewOf(gc)); diff != "" {
				t.Errorf("Binary round trip (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTracerExtractCorruptedTraceparent(t *testing.T) {
	t.Parallel()
	tr := New()
	tests := []struct {
		name    string
		headers http.Header
		want    string
		baggage map[string]string
	}{
		{"version ff", http.Header{"Traceparent": {"ff-" + specTrace + "-" + specSpan + "-01"}}, "corrupted", nil},
		{"zero trace id with baggage", http.Header{"Traceparent": {"00-" + zeroTrace + "-" + specSpan + "-01"}, "Baggage": {"k=v"}}, "ok", map[string]string{"k": "v"}},
		{"nothing", http.Header{}, "notfound", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := tr.Extract(runtime.HTTPHeaders, tc.headers)
			if diff := deep.Diff(tc.want, errName(err)); diff != "" {
				t.Fatalf("error (-want +got):\n%s", diff)
			}
			if err != nil {
				return
			}
			gc, _ := SpanContextOf(got)
			want := scView{TraceID: zeroTrace, SpanID: zeroSpan, Baggage: tc.baggage}
			if diff := deep.Diff(want, viewOf(gc)); diff != "" {
				t.Errorf("extracted (-want +got):\n%s", diff)
			}
		})
	}
}
