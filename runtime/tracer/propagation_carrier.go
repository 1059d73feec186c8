package tracer

import (
	"net/http"
	"strings"

	"github.com/tracegen/tracegen/runtime"
)

// Limits every propagator applies to what it reads, so that no carrier can
// make Extract use memory or time out of proportion to what it keeps.
const (
	// maxBaggageMembers and maxBaggageBytes are the W3C Baggage limits; the
	// Jaeger, OT and binary baggage formats use them too.
	maxBaggageMembers = 64
	maxBaggageBytes   = 8192

	// maxTraceStateMembers is the W3C limit on tracestate list-members.
	maxTraceStateMembers = 32
	// maxTraceStateKept is the length tracestate is cut to (the spec's
	// propagation guidance), removing members as the spec says.
	maxTraceStateKept = 512
	// maxTraceStateInput bounds the combined tracestate header that is read
	// at all: 32 members of the largest valid size plus separators and some
	// whitespace. A longer header is ignored.
	maxTraceStateInput = 32*(256+1+256+2) + 256

	// maxIDHeader bounds the single-valued id headers (traceparent of a
	// future version, b3, uber-trace-id); longer values are corrupted.
	maxIDHeader = 512
)

// textCarrier reads the fields a propagator needs from a carrier. Plain
// http.Header carriers are read by canonical key without iterating
// (as http.Header.Values does; a key stored in non-canonical form is not
// seen), every other reader by one ForeachKey pass per field, comparing keys
// without regard to case.
type textCarrier struct {
	h http.Header
	r runtime.TextMapReader
}

func carrierOf(r runtime.TextMapReader) textCarrier {
	if c, ok := r.(runtime.HTTPHeadersCarrier); ok {
		return textCarrier{h: http.Header(c)}
	}
	return textCarrier{r: r}
}

// values returns every value of the field key (lowercase), canon being its
// canonical MIME form. The result must not be changed.
func (c textCarrier) values(key, canon string) []string {
	if c.h != nil {
		return c.h[canon]
	}
	var out []string
	_ = c.r.ForeachKey(func(k, v string) error {
		if len(k) == len(key) && strings.EqualFold(k, key) {
			out = append(out, v)
		}
		return nil
	})
	return out
}

// withPrefix calls fn for each key that starts with prefix (lowercase,
// compared without regard to case), with the rest of the key as it is
// and the key's first value, until fn returns false.
func (c textCarrier) withPrefix(prefix string, fn func(rest, val string) bool) {
	visit := func(k, v string) bool {
		if len(k) <= len(prefix) || !strings.EqualFold(k[:len(prefix)], prefix) {
			return true
		}
		return fn(k[len(prefix):], v)
	}
	if c.h != nil {
		for k, vs := range c.h {
			if len(vs) > 0 && !visit(k, vs[0]) {
				return
			}
		}
		return
	}
	stop := errStop{}
	_ = c.r.ForeachKey(func(k, v string) error {
		if !visit(k, v) {
			return stop
		}
		return nil
	})
}

type errStop struct{}

func (errStop) Error() string { return "stop" }

// setField writes one field. An http.Header is written under the canonical
// key directly, skipping the canonicalisation http.Header.Set repeats.
func setField(w runtime.TextMapWriter, key, canon, val string) {
	if h, ok := w.(runtime.HTTPHeadersCarrier); ok {
		h[canon] = []string{val}
		return
	}
	w.Set(key, val)
}

// single returns the only value of a single-valued field. found is false
// when the field is absent; ok is false when it occurs more than once,
// which the specs treat as invalid.
func single(vals []string) (v string, found, ok bool) {
	switch len(vals) {
	case 0:
		return "", false, true
	case 1:
		return vals[0], true, true
	}
	return "", true, false
}

// trimOWS removes the optional white space (SP and HTAB) of HTTP.
func trimOWS(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

const hexDigits = "0123456789abcdef"

// hexValue maps a byte to its value as a hex digit: 0-15 for 0-9 and a-f,
// 16-31 (value+16) for A-F, and 0xff for any other byte.
var hexValue = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	for i := byte(0); i < 10; i++ {
		t['0'+i] = i
	}
	for i := byte(0); i < 6; i++ {
		t['a'+i] = 10 + i
		t['A'+i] = 16 + 10 + i
	}
	return t
}()

// decodeHexLower fills dst from exactly 2*len(dst) lowercase hex digits.
func decodeHexLower(dst []byte, s string) bool {
	if len(s) != 2*len(dst) {
		return false
	}
	for i := range dst {
		hi, lo := hexValue[s[2*i]], hexValue[s[2*i+1]]
		if hi > 15 || lo > 15 {
			return false
		}
		dst[i] = hi<<4 | lo
	}
	return true
}

// decodeHexRight fills dst (zeroed first) from 1 to 2*len(dst) hex digits
// of either case, right-aligned, so shorter ids are left-padded with zeros.
func decodeHexRight(dst []byte, s string, upperOK bool) bool {
	if len(s) == 0 || len(s) > 2*len(dst) {
		return false
	}
	clear(dst)
	for i := 0; i < len(s); i++ {
		v := hexValue[s[len(s)-1-i]]
		if v > 31 || (v > 15 && !upperOK) {
			return false
		}
		v &= 15
		if i%2 == 1 {
			v <<= 4
		}
		dst[len(dst)-1-i/2] |= v
	}
	return true
}

// appendHex appends src as lowercase hex.
func appendHex(dst, src []byte) []byte {
	for _, b := range src {
		dst = append(dst, hexDigits[b>>4], hexDigits[b&15])
	}
	return dst
}

// traceIDHex returns the trace id as 16 hex digits when its high half is
// zero (a 64-bit id of B3, Jaeger or OpenTracing) and 32 otherwise.
func traceIDHex(dst []byte, id TraceID) []byte {
	if [8]byte(id[:8]) == [8]byte{} {
		return appendHex(dst, id[8:])
	}
	return appendHex(dst, id[:])
}

// idsReplaced returns sc with the ids and flags of another propagator. The
// trace state stays only if the trace is the same.
func idsReplaced(sc SpanContext, tid TraceID, sid SpanID, flags TraceFlags) SpanContext {
	if sc.TraceID != tid {
		sc.TraceState = ""
	}
	sc.TraceID, sc.SpanID, sc.Flags = tid, sid, flags
	return sc
}

// baggageMerged returns sc with the items added to its baggage (the items
// win), building one new map.
func baggageMerged(sc SpanContext, items map[string]string) SpanContext {
	if len(items) == 0 {
		return sc
	}
	if len(sc.baggage) == 0 {
		sc.baggage = items
		return sc
	}
	m := make(map[string]string, len(sc.baggage)+len(items))
	for k, v := range sc.baggage {
		m[k] = v
	}
	for k, v := range items {
		m[k] = v
	}
	sc.baggage = m
	return sc
}
