package tracer

import (
	"strconv"

	"github.com/tracegen/tracegen/runtime"
)

// OTTracePropagator is the OpenTracing basictracer format:
//
//	ot-tracer-traceid: {trace-id}
//	ot-tracer-spanid:  {span-id}
//	ot-tracer-sampled: true|false
//	ot-baggage-{key}:  {value}
//
// Extract reads the ids as 1 to 32 (trace) and 1 to 16 (span) hex digits
// of either case, left-padded with zeros (basictracer writes them without
// leading zeros), neither all zeros, and sampled as strconv.ParseBool
// does. All three fields must be present and occur once, or the result is
// runtime.ErrSpanContextCorrupted. Baggage comes from ot-baggage-{key}
// fields, keys lowercased and values as they are, within the baggage
// limits (64 items, 8192 bytes); baggage without ids is a context with
// baggage only.
//
// Inject writes the trace id as 16 digits when its high half is zero and
// 32 otherwise, the span id as 16, sampled as true or false, and one
// ot-baggage-{key} field per item in key order, skipping keys that are not
// HTTP tokens and values with control characters.
type OTTracePropagator struct{}

var _ Propagator = OTTracePropagator{}

const (
	otTraceID        = "ot-tracer-traceid"
	otTraceIDCanon   = "Ot-Tracer-Traceid"
	otSpanID         = "ot-tracer-spanid"
	otSpanIDCanon    = "Ot-Tracer-Spanid"
	otSampled        = "ot-tracer-sampled"
	otSampledCanon   = "Ot-Tracer-Sampled"
	otBaggagePrefix  = "ot-baggage-"
	otMaxSampledText = len("false")
)

// Fields implements Propagator. The ot-baggage- fields are read and written
// too.
func (OTTracePropagator) Fields() []string { return []string{otTraceID, otSpanID, otSampled} }

// Inject implements Propagator.
func (OTTracePropagator) Inject(sc SpanContext, w runtime.TextMapWriter) {
	if sc.IsValid() {
		var t [32]byte
		var s [16]byte
		setField(w, otTraceID, otTraceIDCanon, string(traceIDHex(t[:0], sc.TraceID)))
		setField(w, otSpanID, otSpanIDCanon, string(appendHex(s[:0], sc.SpanID[:])))
		setField(w, otSampled, otSampledCanon, strconv.FormatBool(sc.IsSampled()))
	}
	injectPrefixedBaggage(sc, w, otBaggagePrefix, nil)
}

// Extract implements Propagator.
func (OTTracePropagator) Extract(r runtime.TextMapReader, sc SpanContext) (SpanContext, error) {
	c := carrierOf(r)
	t, tFound, tOK := single(c.values(otTraceID, otTraceIDCanon))
	s, sFound, sOK := single(c.values(otSpanID, otSpanIDCanon))
	smp, smpFound, smpOK := single(c.values(otSampled, otSampledCanon))
	out := sc
	found := tFound || sFound || smpFound
	if found {
		if !tFound || !sFound || !smpFound || !tOK || !sOK || !smpOK {
			return sc, runtime.ErrSpanContextCorrupted
		}
		var (
			tid TraceID
			sid SpanID
		)
		smp = trimOWS(smp)
		if len(smp) > otMaxSampledText {
			return sc, runtime.ErrSpanContextCorrupted
		}
		sampled, err := strconv.ParseBool(smp)
		if err != nil ||
			!decodeHexRight(tid[:], trimOWS(t), true) || !decodeHexRight(sid[:], trimOWS(s), true) ||
			!tid.IsValid() || !sid.IsValid() {
			return sc, runtime.ErrSpanContextCorrupted
		}
		var flags TraceFlags
		if sampled {
			flags = FlagSampled
		}
		out = idsReplaced(out, tid, sid, flags)
	}
	items := prefixedBaggage(c, otBaggagePrefix, nil)
	if !found && items == nil {
		return sc, runtime.ErrSpanContextNotFound
	}
	return baggageMerged(out, items), nil
}
