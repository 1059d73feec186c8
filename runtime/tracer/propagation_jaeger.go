package tracer

import (
	"net/url"
	"strings"

	"github.com/tracegen/tracegen/runtime"
)

// JaegerPropagator is Jaeger's native propagation:
//
//	uber-trace-id: {trace-id}:{span-id}:{parent-span-id}:{flags}
//	uberctx-{key}: {value}
//
// Extract reads the ids as 1 to 32 (trace) and 1 to 16 (span, parent) hex
// digits of either case, left-padded with zeros, neither id all zeros;
// flags are one or two hex digits, 0x1 sampled and 0x2 debug (which means
// sampled). The whole value may be URL-encoded (%3A for ':'). Anything
// else, or the field twice, is runtime.ErrSpanContextCorrupted. Baggage
// comes from uberctx-{key} fields, key lowercased and value URL-decoded
// (kept as sent when it does not decode); at most 64 items and 8192 bytes
// of keys and values are read (which extra items are dropped is not
// specified). Baggage without uber-trace-id is a context with baggage
// only. The jaeger-debug-id and jaeger-baggage fields are not read.
//
// Inject writes the trace id as 16 digits when its high half is zero (as
// Jaeger's clients do) and as 32 otherwise, the span id as 16 digits, the
// parent as 0 and the flags as 1 or 0; then one uberctx-{key} field per
// baggage item in key order with a URL-encoded value, skipping keys that
// are not HTTP tokens and stopping at the baggage limits.
type JaegerPropagator struct{}

var _ Propagator = JaegerPropagator{}

const (
	jaegerHeader      = "uber-trace-id"
	jaegerHeaderCanon = "Uber-Trace-Id"
	jaegerBaggage     = "uberctx-"
)

// Fields implements Propagator. The uberctx- baggage fields are read and
// written too.
func (JaegerPropagator) Fields() []string { return []string{jaegerHeader} }

// Inject implements Propagator.
func (JaegerPropagator) Inject(sc SpanContext, w runtime.TextMapWriter) {
	if sc.IsValid() {
		var b [32 + 1 + 16 + 5]byte
		v := traceIDHex(b[:0], sc.TraceID)
		v = append(v, ':')
		v = appendHex(v, sc.SpanID[:])
		flag := byte('0')
		if sc.IsSampled() {
			flag = '1'
		}
		v = append(v, ':', '0', ':', flag)
		setField(w, jaegerHeader, jaegerHeaderCanon, string(v))
	}
	injectPrefixedBaggage(sc, w, jaegerBaggage, url.QueryEscape)
}

// Extract implements Propagator.
func (JaegerPropagator) Extract(r runtime.TextMapReader, sc SpanContext) (SpanContext, error) {
	c := carrierOf(r)
	out := sc
	v, found, ok := single(c.values(jaegerHeader, jaegerHeaderCanon))
	if found {
		tid, sid, flags, valid := parseUberTraceID(v)
		if !ok || !valid {
			return sc, runtime.ErrSpanContextCorrupted
		}
		out = idsReplaced(out, tid, sid, flags)
	}
	items := prefixedBaggage(c, jaegerBaggage, decodeJaegerValue)
	if !found && items == nil {
		return sc, runtime.ErrSpanContextNotFound
	}
	return baggageMerged(out, items), nil
}

func decodeJaegerValue(v string) string {
	if d, err := url.QueryUnescape(v); err == nil {
		return d
	}
	return v
}

// parseUberTraceID parses the value of uber-trace-id.
func parseUberTraceID(v string) (tid TraceID, sid SpanID, flags TraceFlags, ok bool) {
	v = trimOWS(v)
	if len(v) > maxIDHeader {
		return tid, sid, 0, false
	}
	if strings.IndexByte(v, '%') >= 0 {
		d, err := url.PathUnescape(v)
		if err != nil {
			return tid, sid, 0, false
		}
		v = d
	}
	t, rest, _ := strings.Cut(v, ":")
	s, rest, _ := strings.Cut(rest, ":")
	p, f, found := strings.Cut(rest, ":")
	var parent SpanID
	var fl [1]byte
	if !found || !decodeHexRight(tid[:], t, true) || !decodeHexRight(sid[:], s, true) ||
		!decodeHexRight(parent[:], p, true) || !decodeHexRight(fl[:], f, true) ||
		!tid.IsValid() || !sid.IsValid() {
		return TraceID{}, SpanID{}, 0, false
	}
	if fl[0]&0x3 != 0 { // sampled or debug
		flags = FlagSampled
	}
	return tid, sid, flags, true
}

// prefixedBaggage reads the baggage items stored one per field under
// prefix, within the baggage limits; nil when there are none.
func prefixedBaggage(c textCarrier, prefix string, decode func(string) string) map[string]string {
	var items map[string]string
	size := 0
	c.withPrefix(prefix, func(k, v string) bool {
		if len(items) == maxBaggageMembers {
			return false
		}
		if size+len(k)+len(v) > maxBaggageBytes {
			return true // a smaller item may still fit
		}
		k = strings.ToLower(k)
		if decode != nil {
			v = decode(v)
		}
		if items == nil {
			items = make(map[string]string, 4)
		}
		if old, dup := items[k]; dup {
			size -= len(k) + len(old)
		}
		items[k] = v
		size += len(k) + len(v)
		return true
	})
	return items
}

// injectPrefixedBaggage writes one field per baggage item under prefix, in
// key order, within the baggage limits. Keys that are not HTTP tokens are
// skipped, as are values encode leaves unsafe in a header (with a CTL).
func injectPrefixedBaggage(sc SpanContext, w runtime.TextMapWriter, prefix string, encode func(string) string) {
	if len(sc.baggage) == 0 {
		return
	}
	n, size := 0, 0
	for _, k := range sortedKeys(sc.baggage) {
		v := sc.baggage[k]
		if encode != nil {
			v = encode(v)
		}
		if n == maxBaggageMembers {
			return
		}
		if !isToken(k) || hasCTL(v) || size+len(k)+len(v) > maxBaggageBytes {
			continue
		}
		w.Set(prefix+k, v)
		n++
		size += len(k) + len(v)
	}
}

// hasCTL reports whether s has a control character, which a header value
// cannot hold (HTAB aside).
func hasCTL(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' || c == 0x7f {
			return true
		}
	}
	return false
}
