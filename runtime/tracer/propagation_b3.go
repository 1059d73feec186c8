package tracer

import (
	"strings"

	"github.com/tracegen/tracegen/runtime"
)

// B3Propagator is Zipkin's B3 propagation, in its single-header form
//
//	b3: {TraceId}-{SpanId}[-{SamplingState}[-{ParentSpanId}]]
//
// and its multi-header form (X-B3-TraceId, X-B3-SpanId, X-B3-ParentSpanId,
// X-B3-Sampled, X-B3-Flags).
//
// Extract reads both forms whichever form Inject writes; a valid b3 header
// takes precedence over the multi headers. Trace ids are 16 or 32
// lowercase hex digits (a 64-bit id is left-padded with zeros), span ids
// 16; ids must not be all zeros. The sampling state is 1, 0 or d (debug,
// which means sampled); X-B3-Sampled is 1 or 0 (true and false are
// accepted) and X-B3-Flags: 1 (debug) means sampled. An absent sampling
// state (the decision deferred) is read as not sampled. The parent span id
// is checked and dropped. The sampling-only forms (b3: 0, 1 or d, or
// X-B3-Sampled without ids) carry no span context, so Extract returns
// runtime.ErrSpanContextNotFound for them. B3 ids never have the random
// flag, and a header that occurs twice is corrupted.
//
// Inject writes the single header when Multi is false and the multi
// headers when it is true, with a 32-digit trace id and the sampled state
// (never d, as the debug flag is not kept).
type B3Propagator struct {
	// Multi selects the multi-header form for Inject.
	Multi bool
}

var _ Propagator = B3Propagator{}

// The B3 fields: lowercase keys and their canonical MIME forms.
const (
	b3Single         = "b3"
	b3SingleCanon    = "B3"
	b3TraceID        = "x-b3-traceid"
	b3TraceIDCanon   = "X-B3-Traceid"
	b3SpanID         = "x-b3-spanid"
	b3SpanIDCanon    = "X-B3-Spanid"
	b3ParentID       = "x-b3-parentspanid"
	b3ParentIDCanon  = "X-B3-Parentspanid"
	b3Sampled        = "x-b3-sampled"
	b3SampledCanon   = "X-B3-Sampled"
	b3FlagsKey       = "x-b3-flags"
	b3FlagsKeyCanon  = "X-B3-Flags"
	b3SingleMaxLen   = 32 + 1 + 16 + 1 + 1 + 1 + 16
	b3SampledValue   = "1"
	b3UnsampledValue = "0"
)

// Fields implements Propagator: both forms, which Extract reads.
func (B3Propagator) Fields() []string {
	return []string{b3Single, b3TraceID, b3SpanID, b3ParentID, b3Sampled, b3FlagsKey}
}

// Inject implements Propagator. It writes nothing for a context without ids.
func (p B3Propagator) Inject(sc SpanContext, w runtime.TextMapWriter) {
	if !sc.IsValid() {
		return
	}
	sampled := b3UnsampledValue
	if sc.IsSampled() {
		sampled = b3SampledValue
	}
	if p.Multi {
		var t [32]byte
		var s [16]byte
		setField(w, b3TraceID, b3TraceIDCanon, string(appendHex(t[:0], sc.TraceID[:])))
		setField(w, b3SpanID, b3SpanIDCanon, string(appendHex(s[:0], sc.SpanID[:])))
		setField(w, b3Sampled, b3SampledCanon, sampled)
		return
	}
	var b [32 + 1 + 16 + 2]byte
	v := appendHex(b[:0], sc.TraceID[:])
	v = append(v, '-')
	v = appendHex(v, sc.SpanID[:])
	v = append(v, '-', sampled[0])
	setField(w, b3Single, b3SingleCanon, string(v))
}

// b3Result is what one B3 form held, from worst to best.
type b3Result int

const (
	b3Absent b3Result = iota
	b3SamplingOnly
	b3Corrupt
	b3OK
)

// Extract implements Propagator.
func (B3Propagator) Extract(r runtime.TextMapReader, sc SpanContext) (SpanContext, error) {
	c := carrierOf(r)
	tid, sid, flags, res := extractB3Single(c)
	if res != b3OK {
		// The better of the two outcomes, in the order of b3Result.
		mtid, msid, mflags, multi := extractB3Multi(c)
		if multi > res {
			tid, sid, flags, res = mtid, msid, mflags, multi
		}
	}
	switch res {
	case b3OK:
		return idsReplaced(sc, tid, sid, flags), nil
	case b3Corrupt:
		return sc, runtime.ErrSpanContextCorrupted
	}
	return sc, runtime.ErrSpanContextNotFound
}

func extractB3Single(c textCarrier) (tid TraceID, sid SpanID, flags TraceFlags, res b3Result) {
	v, found, ok := single(c.values(b3Single, b3SingleCanon))
	switch {
	case !found:
		return tid, sid, 0, b3Absent
	case !ok:
		return tid, sid, 0, b3Corrupt
	}
	return parseB3Single(v)
}

// parseB3Single parses the value of the b3 header.
func parseB3Single(v string) (tid TraceID, sid SpanID, flags TraceFlags, res b3Result) {
	v = trimOWS(v)
	if v == "0" || v == "1" || v == "d" {
		return tid, sid, 0, b3SamplingOnly
	}
	if len(v) > b3SingleMaxLen {
		return tid, sid, 0, b3Corrupt
	}
	t, rest, _ := strings.Cut(v, "-")
	s, rest, hasSampling := strings.Cut(rest, "-")
	state, parent, hasParent := strings.Cut(rest, "-")
	if !parseB3TraceID(&tid, t) || !decodeHexLower(sid[:], s) || !sid.IsValid() {
		return TraceID{}, SpanID{}, 0, b3Corrupt
	}
	if hasSampling {
		switch state {
		case "1", "d":
			flags = FlagSampled
		case "0":
		default:
			return TraceID{}, SpanID{}, 0, b3Corrupt
		}
	}
	var p SpanID
	if hasParent && !decodeHexLower(p[:], parent) {
		return TraceID{}, SpanID{}, 0, b3Corrupt
	}
	return tid, sid, flags, b3OK
}

// parseB3TraceID reads 16 or 32 lowercase hex digits into a non-zero id.
func parseB3TraceID(tid *TraceID, s string) bool {
	*tid = TraceID{}
	switch len(s) {
	case 16:
		return decodeHexLower(tid[8:], s) && tid.IsValid()
	case 32:
		return decodeHexLower(tid[:], s) && tid.IsValid()
	}
	return false
}

func extractB3Multi(c textCarrier) (tid TraceID, sid SpanID, flags TraceFlags, res b3Result) {
	t, tFound, tOK := single(c.values(b3TraceID, b3TraceIDCanon))
	s, sFound, sOK := single(c.values(b3SpanID, b3SpanIDCanon))
	sampled, sampledFound, sampledOK := single(c.values(b3Sampled, b3SampledCanon))
	debug, _, debugOK := single(c.values(b3FlagsKey, b3FlagsKeyCanon))
	if !tFound && !sFound {
		if sampledFound {
			return tid, sid, 0, b3SamplingOnly
		}
		return tid, sid, 0, b3Absent
	}
	if !tOK || !sOK || !sampledOK || !debugOK || !tFound || !sFound {
		return tid, sid, 0, b3Corrupt
	}
	if !parseB3TraceID(&tid, trimOWS(t)) || !decodeHexLower(sid[:], trimOWS(s)) || !sid.IsValid() {
		return TraceID{}, SpanID{}, 0, b3Corrupt
	}
	if p, found, ok := single(c.values(b3ParentID, b3ParentIDCanon)); !ok {
		return TraceID{}, SpanID{}, 0, b3Corrupt
	} else if found {
		var parent SpanID
		if !decodeHexLower(parent[:], trimOWS(p)) {
			return TraceID{}, SpanID{}, 0, b3Corrupt
		}
	}
	if sampledFound {
		switch sampled = trimOWS(sampled); {
		case sampled == "1" || strings.EqualFold(sampled, "true"):
			flags = FlagSampled
		case sampled == "0" || strings.EqualFold(sampled, "false"):
		default:
			return TraceID{}, SpanID{}, 0, b3Corrupt
		}
	}
	if trimOWS(debug) == "1" {
		flags = FlagSampled
	}
	return tid, sid, flags, b3OK
}
