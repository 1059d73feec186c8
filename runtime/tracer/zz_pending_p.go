package tracer

// A minimal W3C traceparent/baggage propagator and binary codec that the
// tracer uses until the spec-complete propagators (W3C Trace Context Level 2
// and Baggage validation, B3, Jaeger, OT, composite; issue 4) replace this
// file. It round-trips this tracer's own contexts; it does not apply every
// rule of the specs to foreign input.

import (
	"encoding/binary"
	"encoding/hex"
	"net/url"
	"strings"

	"github.com/tracegen/tracegen/runtime"
)

// DefaultPropagator returns the propagator the tracer uses when none is
// configured: W3C traceparent, tracestate and baggage.
func DefaultPropagator() Propagator { return stubW3C{} }

type stubW3C struct{}

func (stubW3C) Fields() []string { return []string{"traceparent", "tracestate", "baggage"} }

func (stubW3C) Inject(sc SpanContext, w runtime.TextMapWriter) {
	if sc.IsValid() {
		w.Set("traceparent", "00-"+sc.TraceID.String()+"-"+sc.SpanID.String()+"-"+hex.EncodeToString([]byte{byte(sc.Flags)}))
		if sc.TraceState != "" {
			w.Set("tracestate", sc.TraceState)
		}
	}
	var parts []string
	sc.ForeachBaggageItem(func(k, v string) bool {
		parts = append(parts, url.QueryEscape(k)+"="+url.QueryEscape(v))
		return true
	})
	if len(parts) > 0 {
		w.Set("baggage", strings.Join(parts, ","))
	}
}

func (stubW3C) Extract(r runtime.TextMapReader, sc SpanContext) (SpanContext, error) {
	out := sc
	found, bad := false, false
	_ = r.ForeachKey(func(k, v string) error {
		switch strings.ToLower(k) {
		case "traceparent":
			found = true
			p := strings.Split(v, "-")
			if len(p) != 4 || len(p[1]) != 32 || len(p[2]) != 16 || len(p[3]) != 2 {
				bad = true
				return nil
			}
			t, e1 := hex.DecodeString(p[1])
			s, e2 := hex.DecodeString(p[2])
			f, e3 := hex.DecodeString(p[3])
			if e1 != nil || e2 != nil || e3 != nil {
				bad = true
				return nil
			}
			copy(out.TraceID[:], t)
			copy(out.SpanID[:], s)
			out.Flags = TraceFlags(f[0])
		case "tracestate":
			out.TraceState = v
		case "baggage":
			found = true
			for _, kv := range strings.Split(v, ",") {
				k, v, ok := strings.Cut(kv, "=")
				k, e1 := url.QueryUnescape(k)
				v, e2 := url.QueryUnescape(v)
				if !ok || e1 != nil || e2 != nil {
					bad = true
					return nil
				}
				out = out.WithBaggage(k, v)
			}
		}
		return nil
	})
	if bad {
		return sc, runtime.ErrSpanContextCorrupted
	}
	if !found {
		return sc, runtime.ErrSpanContextNotFound
	}
	return out, nil
}

// EncodeBinary is a stand-in until the binary codec lands.
func EncodeBinary(sc SpanContext) []byte {
	b := append([]byte{0}, sc.TraceID[:]...)
	b = append(b, sc.SpanID[:]...)
	b = append(b, byte(sc.Flags))
	b = binary.AppendUvarint(b, uint64(sc.BaggageLen()))
	sc.ForeachBaggageItem(func(k, v string) bool {
		b = binary.AppendUvarint(b, uint64(len(k)))
		b = append(b, k...)
		b = binary.AppendUvarint(b, uint64(len(v)))
		b = append(b, v...)
		return true
	})
	return b
}

// DecodeBinary is a stand-in until the binary codec lands.
func DecodeBinary(b []byte) (SpanContext, error) {
	var sc SpanContext
	if len(b) < 26 || b[0] != 0 {
		return sc, runtime.ErrSpanContextCorrupted
	}
	copy(sc.TraceID[:], b[1:17])
	copy(sc.SpanID[:], b[17:25])
	sc.Flags = TraceFlags(b[25])
	b = b[26:]
	n, k := binary.Uvarint(b)
	if k <= 0 {
		return SpanContext{}, runtime.ErrSpanContextCorrupted
	}
	b = b[k:]
	for i := uint64(0); i < n; i++ {
		var kv [2]string
		for j := range kv {
			l, k := binary.Uvarint(b)
			if k <= 0 || uint64(len(b)-k) < l {
				return SpanContext{}, runtime.ErrSpanContextCorrupted
			}
			kv[j] = string(b[k : k+int(l)])
			b = b[k+int(l):]
		}
		sc = sc.WithBaggage(kv[0], kv[1])
	}
	return sc, nil
}
