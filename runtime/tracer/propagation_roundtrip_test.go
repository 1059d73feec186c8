package tracer

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tracegen/tracegen/runtime"
)

// roundTripPropagators are the propagators with what each carries of a
// span context: ids, flags it keeps, trace state, baggage.
var roundTripPropagators = []struct {
	name       string
	p          Propagator
	flags      TraceFlags // the flags that survive
	traceState bool
	baggage    bool
	ids        bool
}{
	{"tracecontext", TraceContextPropagator{}, FlagSampled | FlagRandom, true, false, true},
	{"baggage", BaggagePropagator{}, 0, false, true, false},
	{"default", DefaultPropagator(), FlagSampled | FlagRandom, true, true, true},
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
			want := viewOf(SpanContext{})
			if rp.ids {
				want.TraceID, want.SpanID, want.Flags = sc.TraceID.String(), sc.SpanID.String(), sc.Flags&rp.flags
			}
			if rp.traceState {
				want.TraceState = sc.TraceState
			}
			if rp.baggage {
				want.Baggage = viewOf(sc).Baggage
			}
			wantErr := "ok"
			if !rp.ids && want.Baggage == nil {
				wantErr = "notfound"
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
					if diff := cmp.Diff(wantErr, errName(err)); diff != "" {
						t.Fatalf("error (-want +got):\n%s", diff)
					}
					if diff := cmp.Diff(want, viewOf(got)); diff != "" {
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
		if !rp.ids {
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
					want := viewOf(sc)
					want.Flags &= rp.flags
					if !rp.baggage {
						want.Baggage = nil
					}
					if diff := cmp.Diff(want, viewOf(gc)); diff != "" || !gc.Remote {
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
			if diff := cmp.Diff(viewOf(sc), viewOf(gc)); diff != "" {
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
			if diff := cmp.Diff(tc.want, errName(err)); diff != "" {
				t.Fatalf("error (-want +got):\n%s", diff)
			}
			if err != nil {
				return
			}
			gc, _ := SpanContextOf(got)
			want := scView{TraceID: zeroTrace, SpanID: zeroSpan, Baggage: tc.baggage}
			if diff := cmp.Diff(want, viewOf(gc)); diff != "" {
				t.Errorf("extracted (-want +got):\n%s", diff)
			}
		})
	}
}
