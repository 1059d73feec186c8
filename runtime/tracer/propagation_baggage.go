package tracer

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/tracegen/tracegen/runtime"
)

// BaggagePropagator is W3C Baggage: the baggage field, a comma-separated
// list of key=value members.
//
// Extract reads keys as tokens (RFC 7230) and percent-decodes values
// (invalid UTF-8 becomes U+FFFD) and also keys when their escapes are
// valid, as OpenTelemetry does, so that any key round-trips; white space around keys, values and
// members is allowed, empty members are skipped, and member properties
// (after ';') are checked and then dropped. Several baggage values are read
// as if joined by commas. Only the first 64 members that end within the
// first 8192 bytes are read; the rest are dropped unread, as the spec lets
// a platform that cannot propagate all baggage drop whole members. A
// member that breaks the grammar makes the whole header invalid: no
// baggage is added and the error is runtime.ErrSpanContextCorrupted, as it
// is when not one member fits the limits; a header without members is
// runtime.ErrSpanContextNotFound. When a key occurs twice the later value
// wins.
//
// Inject writes the items in key order, percent-encoding values outside
// the baggage-octet range (and '%') and key bytes that are not token
// characters (and '%'), skipping empty keys and members that do not fit
// the limits.
type BaggagePropagator struct{}

var _ Propagator = BaggagePropagator{}

// Fields implements Propagator.
func (BaggagePropagator) Fields() []string { return []string{"baggage"} }

// Inject implements Propagator.
func (BaggagePropagator) Inject(sc SpanContext, w runtime.TextMapWriter) {
	if len(sc.baggage) == 0 {
		return
	}
	if v := encodeBaggage(sc.baggage); v != "" {
		setField(w, "baggage", "Baggage", v)
	}
}

// Extract implements Propagator.
func (BaggagePropagator) Extract(r runtime.TextMapReader, sc SpanContext) (SpanContext, error) {
	vals := carrierOf(r).values("baggage", "Baggage")
	if len(vals) == 0 {
		return sc, runtime.ErrSpanContextNotFound
	}
	items, dropped, ok := parseBaggage(vals)
	switch {
	case !ok || len(items) == 0 && dropped:
		return sc, runtime.ErrSpanContextCorrupted
	case len(items) == 0:
		return sc, runtime.ErrSpanContextNotFound
	}
	return baggageMerged(sc, items), nil
}

// sortedKeys returns the keys of m in order.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// encodeBaggage returns the baggage header for items, within the limits.
func encodeBaggage(items map[string]string) string {
	var b []byte
	n := 0
	for _, k := range sortedKeys(items) {
		if n == maxBaggageMembers {
			break
		}
		if k == "" {
			continue
		}
		mark := len(b)
		if mark > 0 {
			b = append(b, ',')
		}
		b = appendBaggageKey(b, k)
		b = append(b, '=')
		b = appendBaggageValue(b, items[k])
		if len(b) > maxBaggageBytes {
			b = b[:mark] // this member does not fit; a shorter one may
			continue
		}
		n++
	}
	return string(b)
}

// isBaggageOctet reports whether c may appear unencoded in a baggage value.
func isBaggageOctet(c byte) bool {
	return c == 0x21 || 0x23 <= c && c <= 0x2b || 0x2d <= c && c <= 0x3a ||
		0x3c <= c && c <= 0x5b || 0x5d <= c && c <= 0x7e
}

// appendBaggageKey appends k with the bytes that are not token characters,
// and '%', percent-encoded, so that any key becomes a token.
func appendBaggageKey(b []byte, k string) []byte {
	for i := 0; i < len(k); i++ {
		c := k[i]
		if isTokenChar(c) && c != '%' {
			b = append(b, c)
			continue
		}
		b = append(b, '%', "0123456789ABCDEF"[c>>4], "0123456789ABCDEF"[c&15])
	}
	return b
}

func appendBaggageValue(b []byte, v string) []byte {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if isBaggageOctet(c) && c != '%' {
			b = append(b, c)
			continue
		}
		b = append(b, '%', "0123456789ABCDEF"[c>>4], "0123456789ABCDEF"[c&15])
	}
	return b
}

// isTokenChar reports whether c is a tchar of RFC 7230.
func isTokenChar(c byte) bool {
	if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isTokenChar(s[i]) {
			return false
		}
	}
	return true
}

// parseBaggage reads the baggage values as one list. dropped is true when
// members were left unread at a limit; ok is false when a member read is
// malformed.
func parseBaggage(vals []string) (items map[string]string, dropped, ok bool) {
	offset, n := 0, 0 // bytes before the current value; members kept
	for i, v := range vals {
		if i > 0 {
			offset++ // the comma that joins values
		}
		for pos := 0; pos <= len(v); {
			// Look for the comma only as far as the byte limit.
			window := v[pos:min(len(v), pos+maxBaggageBytes+1)]
			end := strings.IndexByte(window, ',')
			if end < 0 {
				end = pos + len(window)
			} else {
				end += pos
			}
			if offset+end > maxBaggageBytes {
				return items, true, true
			}
			if m := trimOWS(v[pos:end]); m != "" {
				if n == maxBaggageMembers {
					return items, true, true
				}
				k, val, ok := parseBaggageMember(m)
				if !ok {
					return nil, false, false
				}
				if items == nil {
					items = make(map[string]string, 4)
				}
				items[k] = val
				n++
			}
			pos = end + 1
		}
		offset += len(v)
	}
	return items, false, true
}

// parseBaggageMember parses key OWS "=" OWS value *( OWS ";" OWS property ).
func parseBaggageMember(m string) (key, value string, ok bool) {
	kv, props, _ := strings.Cut(m, ";")
	k, v, found := strings.Cut(kv, "=")
	if !found {
		return "", "", false
	}
	k, v = trimOWS(k), trimOWS(v)
	if !isToken(k) {
		return "", "", false
	}
	if strings.IndexByte(k, '%') >= 0 {
		if d, ok := decodeBaggageValue(k); ok {
			k = d
		}
	}
	value, ok = decodeBaggageValue(v)
	if !ok {
		return "", "", false
	}
	for props != "" {
		var p string
		p, props, _ = strings.Cut(props, ";")
		if !validBaggageProperty(trimOWS(p)) {
			return "", "", false
		}
	}
	return k, value, true
}

// validBaggageProperty reports whether p is key, key=value, or empty
// (tolerated, as after a trailing ';').
func validBaggageProperty(p string) bool {
	if p == "" {
		return true
	}
	k, v, found := strings.Cut(p, "=")
	if !isToken(trimOWS(k)) {
		return false
	}
	if !found {
		return true
	}
	_, ok := decodeBaggageValue(trimOWS(v))
	return ok
}

// decodeBaggageValue checks that v is baggage-octets and decodes its
// percent escapes, replacing invalid UTF-8 with U+FFFD.
func decodeBaggageValue(v string) (string, bool) {
	escapes := 0
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !isBaggageOctet(c) {
			return "", false
		}
		if c == '%' {
			if i+2 >= len(v) {
				return "", false
			}
			if hexValue[v[i+1]] > 31 || hexValue[v[i+2]] > 31 {
				return "", false
			}
			escapes++
			i += 2
		}
	}
	if escapes == 0 {
		return v, true
	}
	b := make([]byte, 0, len(v)-2*escapes)
	for i := 0; i < len(v); i++ {
		if v[i] != '%' {
			b = append(b, v[i])
			continue
		}
		b = append(b, (hexValue[v[i+1]]&15)<<4|hexValue[v[i+2]]&15)
		i += 2
	}
	if !utf8.Valid(b) {
		return strings.ToValidUTF8(string(b), "\uFFFD"), true
	}
	return string(b), true
}
