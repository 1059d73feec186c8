package otel

import (
	"context"
	"io"
	"net/url"
	"strings"

	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/bridge/internal/textmapcodec"
	"github.com/tracegen/tracegen/runtime/fastpath"
)

// Inject implements tracegen.Tracer. TextMap and HTTPHeaders write what
// the propagator writes; Binary writes the same entries in the bridge's
// length-prefixed binary encoding.
func (t *Tracer) Inject(sc tracegen.SpanContext, format any, carrier any) error {
	f, ok := format.(tracegen.BuiltinFormat)
	if !ok || f > tracegen.HTTPHeaders {
		return tracegen.ErrUnsupportedFormat
	}
	c, ok := SpanContextOf(sc)
	if !ok {
		return tracegen.ErrInvalidSpanContext
	}
	if f == tracegen.Binary {
		w, ok := carrier.(io.Writer)
		if !ok {
			return tracegen.ErrInvalidCarrier
		}
		m := mapCarrier{}
		t.inject(c, m)
		return textmapcodec.Encode(w, m)
	}
	w, ok := fastpath.TextMapWriterOf(carrier)
	if !ok {
		return tracegen.ErrInvalidCarrier
	}
	t.inject(c, writerCarrier{w})
	return nil
}

func (t *Tracer) inject(c *SpanContext, carrier propagation.TextMapCarrier) {
	ctx := trace.ContextWithSpanContext(context.Background(), c.otel)
	if len(c.baggage) > 0 {
		ctx = baggage.ContextWithBaggage(ctx, otelBaggage(c.baggage))
	}
	t.propagator.Inject(ctx, carrier)
}

// Extract implements tracegen.Tracer. A carrier with none of the
// propagator's trace fields gives ErrSpanContextNotFound; one with some of
// them from which the propagator reads no valid span context gives
// ErrSpanContextCorrupted (OpenTelemetry's propagators drop invalid input
// silently, tracegen's contract reports it).
func (t *Tracer) Extract(format any, carrier any) (tracegen.SpanContext, error) {
	f, ok := format.(tracegen.BuiltinFormat)
	if !ok || f > tracegen.HTTPHeaders {
		return nil, tracegen.ErrUnsupportedFormat
	}
	m := mapCarrier{}
	if f == tracegen.Binary {
		r, ok := carrier.(io.Reader)
		if !ok {
			return nil, tracegen.ErrInvalidCarrier
		}
		decoded, err := textmapcodec.Extract(r)
		if err != nil {
			return nil, err
		}
		for k, v := range decoded {
			m[strings.ToLower(k)] = v
		}
	} else {
		r, ok := fastpath.TextMapReaderOf(carrier)
		if !ok {
			return nil, tracegen.ErrInvalidCarrier
		}
		err := r.ForeachKey(func(k, v string) error {
			k = strings.ToLower(k)
			if _, dup := m[k]; !dup {
				m[k] = v
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return t.extract(m)
}

func (t *Tracer) extract(m mapCarrier) (tracegen.SpanContext, error) {
	ctx := t.propagator.Extract(context.Background(), m)
	sc := trace.SpanContextFromContext(ctx)
	if !sc.IsValid() {
		return nil, t.extractError(m)
	}
	var bag map[string]string
	for _, mem := range baggage.FromContext(ctx).Members() {
		if bag == nil {
			bag = make(map[string]string)
		}
		bag[decodeKey(mem.Key())] = mem.Value()
	}
	return &SpanContext{otel: sc, baggage: bag}, nil
}

// extractError tells a carrier without a span context from one with a
// broken one: the latter has one of the propagator's fields other than the
// baggage ones.
func (t *Tracer) extractError(m mapCarrier) error {
	baggageFields := propagation.Baggage{}.Fields()
	for _, f := range t.propagator.Fields() {
		f = strings.ToLower(f)
		isBaggage := false
		for _, b := range baggageFields {
			isBaggage = isBaggage || f == b
		}
		if _, ok := m[f]; ok && !isBaggage {
			return tracegen.ErrSpanContextCorrupted
		}
	}
	return tracegen.ErrSpanContextNotFound
}

// otelBaggage converts tracegen baggage to OpenTelemetry baggage. W3C
// baggage keys must be tokens, so other key bytes (and '%') are
// percent-encoded, as tracegen's own W3C Baggage propagator does, and
// decoded again by Extract; values are encoded by the propagator.
func otelBaggage(items map[string]string) baggage.Baggage {
	members := make([]baggage.Member, 0, len(items))
	for k, v := range items {
		m, err := baggage.NewMemberRaw(encodeKey(k), v)
		if err == nil {
			members = append(members, m)
		}
	}
	b, err := baggage.New(members...)
	if err != nil {
		// Too many or too large members: keep what fits, member by member.
		b = baggage.Baggage{}
		for _, m := range members {
			if nb, err := b.SetMember(m); err == nil {
				b = nb
			}
		}
	}
	return b
}

// isTokenChar reports whether c may appear in an RFC 7230 token.
func isTokenChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$&'*+-.^_`|~", c) >= 0
}

func encodeKey(k string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(k); i++ {
		c := k[i]
		if isTokenChar(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

func decodeKey(k string) string {
	if !strings.Contains(k, "%") {
		return k
	}
	if d, err := url.PathUnescape(k); err == nil {
		return d
	}
	return k
}

// mapCarrier is a propagation.TextMapCarrier over a map with lower-case
// keys, which is how Extract reads a carrier.
type mapCarrier map[string]string

func (m mapCarrier) Get(key string) string { return m[strings.ToLower(key)] }
func (m mapCarrier) Set(key, value string) { m[key] = value }
func (m mapCarrier) Keys() []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

// writerCarrier is a propagation.TextMapCarrier over a tracegen
// TextMapWriter, for Inject, which only calls Set.
type writerCarrier struct{ w tracegen.TextMapWriter }

func (c writerCarrier) Get(string) string     { return "" }
func (c writerCarrier) Set(key, value string) { c.w.Set(key, value) }
func (c writerCarrier) Keys() []string        { return nil }
