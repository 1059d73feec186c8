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
}

// ParsePropagators returns the propagator for a comma-separated list of
// OTEL_PROPAGATORS names, run in the order listed (see
// CompositePropagator for how their results merge):
//
//	tracecontext  W3C Trace Context: traceparent, tracestate
//	baggage       W3C Baggage: baggage
//	none          nothing is injected or extracted (only alone)
//
// Names are trimmed and compared without regard to case; a name listed
// twice is used once. An empty list, an unknown name, or none together with
// other names is an error naming the entry.
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
