package tracer

import (
	"encoding/hex"
	"errors"
	"net/http"
	"testing"

	"github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/internal/deep"
)

// scView is what the propagation tests compare: a SpanContext with its
// baggage visible to cmp.
type scView struct {
	TraceID    string
	SpanID     string
	Flags      TraceFlags
	TraceState string
	Baggage    map[string]string
}

func viewOf(sc SpanContext) scView {
	v := scView{TraceID: sc.TraceID.String(), SpanID: sc.SpanID.String(), Flags: sc.Flags, TraceState: sc.TraceState}
	if sc.BaggageLen() > 0 {
		v.Baggage = map[string]string{}
		sc.ForeachBaggageItem(func(k, val string) bool { v.Baggage[k] = val; return true })
	}
	return v
}

const (
	zeroTrace = "00000000000000000000000000000000"
	zeroSpan  = "0000000000000000"
)

// mustSC builds a span context from hex ids.
func mustSC(t testing.TB, traceID, spanID string, flags TraceFlags) SpanContext {
	t.Helper()
	var sc SpanContext
	if b, err := hex.DecodeString(traceID); err != nil || len(b) != 16 {
		t.Fatalf("bad trace id %q", traceID)
	} else {
		copy(sc.TraceID[:], b)
	}
	if b, err := hex.DecodeString(spanID); err != nil || len(b) != 8 {
		t.Fatalf("bad span id %q", spanID)
	} else {
		copy(sc.SpanID[:], b)
	}
	sc.Flags = flags
	return sc
}

// headerCarrier builds an http.Header carrier from key, value pairs; a key
// may repeat.
func headerCarrier(kv ...string) runtime.HTTPHeadersCarrier {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return runtime.HTTPHeadersCarrier(h)
}

// errName names the propagation errors for table comparisons.
func errName(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, runtime.ErrSpanContextNotFound):
		return "notfound"
	case errors.Is(err, runtime.ErrSpanContextCorrupted):
		return "corrupted"
	}
	return err.Error()
}

// extractCase is one Extract input and its expected outcome.
type extractCase struct {
	name    string
	carrier []string // key, value pairs
	want    scView   // compared when err is "ok"
	err     string   // "ok", "notfound" or "corrupted"
}

// runExtractCases runs cases through p with an http.Header carrier and with
// a generic TextMapReader whose keys are lowercase, starting from start.
// Extract must return start unchanged on error.
func runExtractCases(t *testing.T, p Propagator, start SpanContext, cases []extractCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			readers := map[string]runtime.TextMapReader{"http.Header": headerCarrier(tc.carrier...)}
			if !hasRepeatedKey(tc.carrier) {
				m := runtime.TextMapCarrier{}
				for i := 0; i+1 < len(tc.carrier); i += 2 {
					m[tc.carrier[i]] = tc.carrier[i+1]
				}
				readers["TextMapCarrier"] = m
			} else {
				readers["pairs"] = pairReader(tc.carrier)
			}
			for name, r := range readers {
				got, err := p.Extract(r, start)
				if diff := deep.Diff(tc.err, errName(err)); diff != "" {
					t.Errorf("%s: error (-want +got):\n%s", name, diff)
				}
				want := tc.want
				if tc.err != "ok" {
					want = viewOf(start)
				}
				if diff := deep.Diff(want, viewOf(got)); diff != "" {
					t.Errorf("%s: span context (-want +got):\n%s", name, diff)
				}
			}
		})
	}
}

func hasRepeatedKey(kv []string) bool {
	seen := map[string]bool{}
	for i := 0; i < len(kv); i += 2 {
		k := http.CanonicalHeaderKey(kv[i])
		if seen[k] {
			return true
		}
		seen[k] = true
	}
	return false
}

// pairReader is a TextMapReader that can hold a key more than once.
type pairReader []string

func (p pairReader) ForeachKey(handler func(k, v string) error) error {
	for i := 0; i+1 < len(p); i += 2 {
		if err := handler(p[i], p[i+1]); err != nil {
			return err
		}
	}
	return nil
}

// injected returns what p writes for sc into a TextMapCarrier.
func injected(p Propagator, sc SpanContext) map[string]string {
	m := runtime.TextMapCarrier{}
	p.Inject(sc, m)
	return map[string]string(m)
}
