package tracer

import (
	"strings"

	"github.com/tracegen/tracegen/runtime"
)

// TraceContextPropagator is W3C Trace Context Level 2: the traceparent and
// tracestate fields.
//
// Extract accepts version 00 (exactly 55 characters) and, by the version 00
// rules, any later version but ff when the first 55 characters are followed
// by the end or '-'. Hex must be lowercase, ids must not be all zeros, and
// the field must occur once: anything else is runtime.ErrSpanContextCorrupted
// and tracestate is not read. All trace flags are kept as received; Inject
// writes version 00 with only the flags version 00 defines (sampled, random),
// clearing the others as the spec requires.
//
// Several tracestate values are combined as if joined by commas. Keys
// follow the current grammar (a lowercase letter or digit, then up to 255
// of lowercase letters, digits and "_-*/@"). Of members with the same key,
// the first is kept. A tracestate that breaks the list grammar (key or value
// syntax, more than 32 members) or is longer than the limit is dropped
// without affecting traceparent. Empty members and white space around
// members are removed; a list longer than 512 characters is cut to fit by
// removing members longer than 128 characters, then members from the end.
type TraceContextPropagator struct{}

var _ Propagator = TraceContextPropagator{}

const (
	traceparentLen = 55
	// knownFlags are the trace flags version 00 defines.
	knownFlags = FlagSampled | FlagRandom
)

// Fields implements Propagator.
func (TraceContextPropagator) Fields() []string { return []string{"traceparent", "tracestate"} }

// Inject implements Propagator. It writes nothing for a context without ids.
func (TraceContextPropagator) Inject(sc SpanContext, w runtime.TextMapWriter) {
	if !sc.IsValid() {
		return
	}
	var b [traceparentLen]byte
	setField(w, "traceparent", "Traceparent", string(appendTraceparent(b[:0], sc)))
	if sc.TraceState != "" {
		setField(w, "tracestate", "Tracestate", sc.TraceState)
	}
}

func appendTraceparent(b []byte, sc SpanContext) []byte {
	b = append(b, '0', '0', '-')
	b = appendHex(b, sc.TraceID[:])
	b = append(b, '-')
	b = appendHex(b, sc.SpanID[:])
	b = append(b, '-')
	f := byte(sc.Flags & knownFlags)
	return append(b, hexDigits[f>>4], hexDigits[f&15])
}

// Extract implements Propagator.
func (TraceContextPropagator) Extract(r runtime.TextMapReader, sc SpanContext) (SpanContext, error) {
	c := carrierOf(r)
	v, found, ok := single(c.values("traceparent", "Traceparent"))
	if !found {
		return sc, runtime.ErrSpanContextNotFound
	}
	if !ok {
		return sc, runtime.ErrSpanContextCorrupted
	}
	tid, sid, flags, ok := parseTraceparent(v)
	if !ok {
		return sc, runtime.ErrSpanContextCorrupted
	}
	out := sc
	out.TraceID, out.SpanID, out.Flags = tid, sid, flags
	out.TraceState = ""
	if states := c.values("tracestate", "Tracestate"); len(states) > 0 {
		if ts, ok := parseTraceState(joinValues(states, maxTraceStateInput)); ok {
			out.TraceState = ts
		}
	}
	return out, nil
}

// joinValues joins vals with commas, returning "" with more than limit
// bytes in total, without building the result in that case.
func joinValues(vals []string, limit int) string {
	if len(vals) == 1 {
		if len(vals[0]) > limit {
			return "\x00" // invalid, so dropped
		}
		return vals[0]
	}
	n := len(vals) - 1
	for _, v := range vals {
		n += len(v)
		if n > limit {
			return "\x00"
		}
	}
	return strings.Join(vals, ",")
}

// parseTraceparent parses a traceparent value.
func parseTraceparent(v string) (tid TraceID, sid SpanID, flags TraceFlags, ok bool) {
	v = trimOWS(v)
	if len(v) < traceparentLen || len(v) > maxIDHeader {
		return tid, sid, 0, false
	}
	var ver [1]byte
	if !decodeHexLower(ver[:], v[:2]) || ver[0] == 0xff {
		return tid, sid, 0, false
	}
	if len(v) > traceparentLen && (ver[0] == 0 || v[traceparentLen] != '-') {
		return tid, sid, 0, false
	}
	if v[2] != '-' || v[35] != '-' || v[52] != '-' {
		return tid, sid, 0, false
	}
	var f [1]byte
	if !decodeHexLower(tid[:], v[3:35]) || !decodeHexLower(sid[:], v[36:52]) || !decodeHexLower(f[:], v[53:55]) {
		return tid, sid, 0, false
	}
	if !tid.IsValid() || !sid.IsValid() {
		return TraceID{}, SpanID{}, 0, false
	}
	return tid, sid, TraceFlags(f[0]), true
}

// parseTraceState validates a tracestate list and returns it with empty
// members and white space removed and cut to maxTraceStateKept.
func parseTraceState(v string) (string, bool) {
	if len(v) > maxTraceStateInput {
		return "", false
	}
	var (
		members [maxTraceStateMembers]string
		keys    [maxTraceStateMembers]string
		n       int
		clean   = true // v is already in normal form
	)
	for rest := v; ; {
		m, tail, more := strings.Cut(rest, ",")
		if t := trimOWS(m); len(t) != len(m) || t == "" {
			clean = false
			m = t
		}
		if m != "" {
			k, val, ok := strings.Cut(m, "=")
			if !ok || !validTraceStateKey(k) || !validTraceStateValue(val) {
				return "", false
			}
			dup := false
			for _, prev := range keys[:n] {
				dup = dup || prev == k
			}
			switch {
			case dup:
				// The spec lets a receiver keep or drop duplicates: the
				// first, the most recently added, is kept.
				clean = false
			case n == maxTraceStateMembers:
				return "", false
			default:
				members[n], keys[n] = m, k
				n++
			}
		}
		if !more {
			break
		}
		rest = tail
	}
	total := n - 1
	for _, m := range members[:n] {
		total += len(m)
	}
	if n == 0 {
		return "", true
	}
	if clean && total <= maxTraceStateKept {
		return v, true
	}
	return joinTraceState(members[:n], total), true
}

// joinTraceState joins members with commas, first dropping members as the
// spec says until the result fits maxTraceStateKept: members longer than
// 128 characters, then members from the end.
func joinTraceState(members []string, total int) string {
	if total > maxTraceStateKept {
		var buf [maxTraceStateMembers]string
		kept := buf[:0]
		for _, m := range members {
			if len(m) > 128 {
				total -= len(m) + 1
				continue
			}
			kept = append(kept, m)
		}
		for total > maxTraceStateKept && len(kept) > 0 {
			total -= len(kept[len(kept)-1]) + 1
			kept = kept[:len(kept)-1]
		}
		members = kept
	}
	var b strings.Builder
	b.Grow(max(total, 0))
	for i, m := range members {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(m)
	}
	return b.String()
}

func isLcAlpha(c byte) bool { return 'a' <= c && c <= 'z' }

func isTraceStateKeyChar(c byte) bool {
	return isLcAlpha(c) || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '*' || c == '/' || c == '@'
}

// validTraceStateKey reports whether k is a tracestate key, in the
// current spec's grammar: key = (lcalpha / DIGIT) 0*255(keychar), keychar
// being a lowercase letter, a digit or one of "_-*/@". ('@' has no place
// of its own any more: the tenant and system split of Level 1 is gone.)
func validTraceStateKey(k string) bool {
	if len(k) == 0 || len(k) > 256 || !(isLcAlpha(k[0]) || '0' <= k[0] && k[0] <= '9') {
		return false
	}
	return allKeyChars(k[1:])
}

func allKeyChars(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isTraceStateKeyChar(s[i]) {
			return false
		}
	}
	return true
}

// validTraceStateValue reports whether v is 1 to 256 printable ASCII
// characters other than ',' and '=', the last not a space.
func validTraceStateValue(v string) bool {
	if len(v) == 0 || len(v) > 256 || v[len(v)-1] == ' ' {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < 0x20 || c > 0x7e || c == ',' || c == '=' {
			return false
		}
	}
	return true
}
