package tracer

import (
	"errors"
	"fmt"
	"strings"

	"github.com/tracegen/tracegen/runtime"
)

// DefaultPropagator returns the propagator the tracer uses when none is
// configured: W3C Trace Context then W3C Baggage.
func DefaultPropagator() Propagator {
	return NewCompositePropagator(TraceContextPropagator{}, BaggagePropagator{})
}

// NopPropagator injects nothing and extracts nothing (OTEL_PROPAGATORS=none).
type NopPropagator struct{}

var _ Propagator = NopPropagator{}

// Inject implements Propagator; it writes nothing.
func (NopPropagator) Inject(SpanContext, runtime.TextMapWriter) {}

// Extract implements Propagator; it returns sc and runtime.ErrSpanContextNotFound.
func (NopPropagator) Extract(_ runtime.TextMapReader, sc SpanContext) (SpanContext, error) {
	return sc, runtime.ErrSpanContextNotFound
}

// Fields implements Propagator; there are none.
func (NopPropagator) Fields() []string { return nil }

// CompositePropagator runs several propagators as one. Inject runs each in
// order. Extract runs each in order on the result of the previous one, so a
// later propagator of ids overrides an earlier one and baggage merges (a
// later value wins); a propagator that fails leaves the result unchanged.
// The error is nil when any propagator succeeded, else
// runtime.ErrSpanContextCorrupted when any found corrupted fields, else
// runtime.ErrSpanContextNotFound. Fields is the union, in order.
type CompositePropagator struct {
	propagators []Propagator
	fields      []string
}

var _ Propagator = (*CompositePropagator)(nil)

// NewCompositePropagator returns a propagator that runs ps in order.
func NewCompositePropagator(ps ...Propagator) *CompositePropagator {
	c := &CompositePropagator{propagators: append([]Propagator(nil), ps...)}
	for _, p := range ps {
		for _, f := range p.Fields() {
			if !containsString(c.fields, f) {
				c.fields = append(c.fields, f)
			}
		}
	}
	return c
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Inject implements Propagator.
func (c *CompositePropagator) Inject(sc SpanContext, w runtime.TextMapWriter) {
	for _, p := range c.propagators {
		p.Inject(sc, w)
	}
}

// Extract implements Propagator.
func (c *CompositePropagator) Extract(r runtime.TextMapReader, sc SpanContext) (SpanContext, error) {
	var (
		out                = sc
		succeeded, corrupt bool
	)
	for _, p := range c.propagators {
		next, err := p.Extract(r, out)
		switch {
		case err == nil:
			out, succeeded = next, true
		case errors.Is(err, runtime.ErrSpanContextCorrupted):
			corrupt = true
		}
	}
	switch {
	case succeeded:
		return out, nil
	case corrupt:
		return sc, runtime.ErrSpanContextCorrupted
	}
	return sc, runtime.ErrSpanContextNotFound
}

// Fields implements Propagator.
func (c *CompositePropagator) Fields() []string { return append([]string(nil), c.fields...) }

// propagatorsByName are the OTEL_PROPAGATORS names ParsePropagators knows.
var propagatorsByName = map[string]func() Propagator{
	"tracecontext": func() Propagator { return TraceContextPropagator{} },
	"baggage":      func() Propagator { return BaggagePropagator{} },
	"b3":           func() Propagator { return B3Propagator{} },
	"b3multi":      func() Propagator { return B3Propagator{Multi: true} },
	"jaeger":       func() Propagator { return JaegerPropagator{} },
	"ottrace":      func() Propagator { return OTTracePropagator{} },
}

// ParsePropagators returns the propagator for a comma-separated list of
// OTEL_PROPAGATORS names. This comment is the overview of propagation.
//
// # Propagators and their fields
//
//	name          type                      fields
//	tracecontext  TraceContextPropagator    traceparent, tracestate (W3C Trace Context Level 2)
//	baggage       BaggagePropagator         baggage (W3C Baggage)
//	b3            B3Propagator{}            b3; reads the X-B3-* fields too
//	b3multi       B3Propagator{Multi: true} X-B3-TraceId, X-B3-SpanId, X-B3-ParentSpanId,
//	                                        X-B3-Sampled, X-B3-Flags; reads b3 too
//	jaeger        JaegerPropagator          uber-trace-id, uberctx-{key}
//	ottrace       OTTracePropagator         ot-tracer-traceid, -spanid, -sampled, ot-baggage-{key}
//	none          NopPropagator             nothing (only alone)
//
// The tracer's default, DefaultPropagator, is tracecontext,baggage. Each
// type's comment gives its rules for valid input and what Inject writes.
//
// # Order and merging
//
// Several names make a CompositePropagator that injects through each in
// order and extracts through each in order, each applied to the result of
// the one before: a later propagator of ids replaces the ids and flags of
// an earlier one (the W3C trace state stays only if the trace id is
// unchanged), baggage merges with later values winning, and a propagator
// that fails changes nothing. Extract succeeds if any propagator did.
//
// # Invalid input
//
// No Extract panics, and each reads a bounded amount (ids of fixed width,
// at most 32 tracestate members, at most 64 baggage items and 8192 bytes),
// rejecting longer input without building it. Invalid ids, or an id field
// that occurs twice, are runtime.ErrSpanContextCorrupted, and the tracer's
// Extract returns that error, so the caller starts a new trace; the fields
// missing altogether are runtime.ErrSpanContextNotFound. An invalid
// tracestate is dropped, keeping the traceparent. A malformed baggage
// header is ignored (Corrupted from the baggage propagator alone); baggage
// beyond the limits is dropped member by member. A context with baggage but
// no valid ids starts a new trace that keeps the baggage.
//
// Multiple values of one header (an http.Header can hold several): several
// traceparent, b3, X-B3-*, uber-trace-id or ot-tracer-* values are
// corrupted; several tracestate or baggage values are combined as if
// joined by commas, as the W3C specs say. Carriers that are an http.Header
// are read by canonical key (a key stored in another case is not seen, as
// with http.Header.Get); other carriers are read with keys compared
// without regard to case.
//
// # Names
//
// Names are trimmed and compared without regard to case; a name listed
// twice is used once. An empty list, an unknown name (xray, ottrace
// variants and others are not supported), or none together with other
// names is an error naming the entry.
func ParsePropagators(list string) (Propagator, error) {
	var (
		ps   []Propagator
		seen []string
	)
	for _, entry := range strings.Split(list, ",") {
		name := strings.ToLower(strings.TrimSpace(entry))
		if name == "" || containsString(seen, name) {
			continue
		}
		seen = append(seen, name)
		if name == "none" {
			continue
		}
		mk, ok := propagatorsByName[name]
		if !ok {
			return nil, fmt.Errorf("unknown propagator %q (known: %s, none)", strings.TrimSpace(entry), knownPropagatorNames())
		}
		ps = append(ps, mk())
	}
	switch {
	case len(seen) == 0:
		return nil, errors.New("no propagator named")
	case containsString(seen, "none") && len(seen) > 1:
		return nil, fmt.Errorf("propagator none listed with others in %q", list)
	case len(ps) == 0:
		return NopPropagator{}, nil
	case len(ps) == 1:
		return ps[0], nil
	}
	return NewCompositePropagator(ps...), nil
}

// knownPropagatorNames lists the names ParsePropagators accepts, in the
// order the documentation gives.
func knownPropagatorNames() string {
	var names []string
	for _, n := range []string{"tracecontext", "baggage", "b3", "b3multi", "jaeger", "ottrace"} {
		if _, ok := propagatorsByName[n]; ok {
			names = append(names, n)
		}
	}
	return strings.Join(names, ", ")
}
