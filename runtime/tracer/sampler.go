package tracer

import (
	"encoding/binary"
	"strconv"
)

// SamplingParameters is what a Sampler decides on.
type SamplingParameters struct {
	// Parent is the context of the new span's parent; HasParent is false
	// for a root span, and Parent is then zero.
	Parent    SpanContext
	HasParent bool

	// TraceID is the new span's trace id (the parent's, or a new one).
	TraceID TraceID

	// Name is the new span's operation name.
	Name string
}

// Sampler decides whether a new span is recorded and exported. The decision
// is made once, when the span starts, and travels to its descendants in the
// sampled flag of its context. Implementations must be safe for concurrent
// use.
type Sampler interface {
	ShouldSample(p SamplingParameters) bool
	// Description names the sampler and its settings, as OpenTelemetry's
	// samplers do, for logs and tests.
	Description() string
}

// AlwaysSample returns a sampler that records every span.
func AlwaysSample() Sampler { return alwaysSample{} }

// NeverSample returns a sampler that records no span. Span contexts still
// propagate, with the sampled flag clear.
func NeverSample() Sampler { return neverSample{} }

type alwaysSample struct{}

func (alwaysSample) ShouldSample(SamplingParameters) bool { return true }
func (alwaysSample) Description() string                  { return "AlwaysOnSampler" }

type neverSample struct{}

func (neverSample) ShouldSample(SamplingParameters) bool { return false }
func (neverSample) Description() string                  { return "AlwaysOffSampler" }

// TraceIDRatio returns a sampler that records the given fraction of traces,
// deciding from the trace id alone so that every process sampling a trace
// with the same fraction makes the same decision. The rule is
// OpenTelemetry's TraceIDRatioBased: the trace id's last 8 bytes, read as a
// big-endian integer and shifted right by one bit, are compared with
// fraction × 2⁶³; the span is sampled when they are below it. The last
// bytes are the ones W3C Level 2 requires to be random. A fraction ≥ 1
// samples everything, ≤ 0 (or NaN) nothing.
func TraceIDRatio(fraction float64) Sampler {
	if !(fraction > 0) {
		return traceIDRatio{fraction: 0}
	}
	if fraction >= 1 {
		return traceIDRatio{fraction: 1, bound: 1 << 63, all: true}
	}
	return traceIDRatio{fraction: fraction, bound: uint64(fraction * (1 << 63))}
}

type traceIDRatio struct {
	fraction float64
	bound    uint64
	all      bool
}

func (s traceIDRatio) ShouldSample(p SamplingParameters) bool {
	if s.all {
		return true
	}
	return binary.BigEndian.Uint64(p.TraceID[8:])>>1 < s.bound
}

func (s traceIDRatio) Description() string {
	return "TraceIDRatioBased{" + strconv.FormatFloat(s.fraction, 'g', -1, 64) + "}"
}

// ParentBasedOption changes one of ParentBased's delegate samplers.
type ParentBasedOption func(*parentBased)

// WithRemoteParentSampled sets the sampler for spans whose parent was
// extracted from a carrier and is sampled (default AlwaysSample).
func WithRemoteParentSampled(s Sampler) ParentBasedOption {
	return func(p *parentBased) { p.remoteSampled = s }
}

// WithRemoteParentNotSampled sets the sampler for spans whose parent was
// extracted from a carrier and is not sampled (default NeverSample).
func WithRemoteParentNotSampled(s Sampler) ParentBasedOption {
	return func(p *parentBased) { p.remoteNotSampled = s }
}

// WithLocalParentSampled sets the sampler for spans whose parent was started
// in this process and is sampled (default AlwaysSample).
func WithLocalParentSampled(s Sampler) ParentBasedOption {
	return func(p *parentBased) { p.localSampled = s }
}

// WithLocalParentNotSampled sets the sampler for spans whose parent was
// started in this process and is not sampled (default NeverSample).
func WithLocalParentNotSampled(s Sampler) ParentBasedOption {
	return func(p *parentBased) { p.localNotSampled = s }
}

// ParentBased returns OpenTelemetry's parent-based sampler: a root span is
// decided by root, a child follows its parent's sampled flag. The four
// parent cases can be given other samplers with the With*Parent* options.
func ParentBased(root Sampler, opts ...ParentBasedOption) Sampler {
	if root == nil {
		root = AlwaysSample()
	}
	p := &parentBased{
		root:             root,
		remoteSampled:    AlwaysSample(),
		remoteNotSampled: NeverSample(),
		localSampled:     AlwaysSample(),
		localNotSampled:  NeverSample(),
	}
	for _, o := range opts {
		o(p)
	}
	return p
}

type parentBased struct {
	root, remoteSampled, remoteNotSampled, localSampled, localNotSampled Sampler
}

func (s *parentBased) ShouldSample(p SamplingParameters) bool {
	if !p.HasParent {
		return s.root.ShouldSample(p)
	}
	switch {
	case p.Parent.Remote && p.Parent.IsSampled():
		return s.remoteSampled.ShouldSample(p)
	case p.Parent.Remote:
		return s.remoteNotSampled.ShouldSample(p)
	case p.Parent.IsSampled():
		return s.localSampled.ShouldSample(p)
	}
	return s.localNotSampled.ShouldSample(p)
}

func (s *parentBased) Description() string {
	return "ParentBased{root:" + s.root.Description() +
		",remoteParentSampled:" + s.remoteSampled.Description() +
		",remoteParentNotSampled:" + s.remoteNotSampled.Description() +
		",localParentSampled:" + s.localSampled.Description() +
		",localParentNotSampled:" + s.localNotSampled.Description() + "}"
}

// samplingPriority returns the decision a sampling.priority tag value
// forces: sample for a number above zero, drop for zero or below; ok is
// false when v is not a number.
func samplingPriority(v any) (sample, ok bool) {
	switch n := v.(type) {
	case int:
		return n > 0, true
	case int8:
		return n > 0, true
	case int16:
		return n > 0, true
	case int32:
		return n > 0, true
	case int64:
		return n > 0, true
	case uint:
		return n > 0, true
	case uint8:
		return n > 0, true
	case uint16:
		return n > 0, true
	case uint32:
		return n > 0, true
	case uint64:
		return n > 0, true
	case float32:
		return n > 0, true
	case float64:
		return n > 0, true
	}
	return false, false
}

// localChildDecision returns the decision s makes for every child of a
// span of this process whose sampled flag is parentSampled, when s is
// known to make the same one each time: AlwaysSample, NeverSample, and
// ParentBased with one of them for such parents. known is false for
// samplers that must be asked span by span.
func localChildDecision(s Sampler, parentSampled bool) (sample, known bool) {
	if p, ok := s.(*parentBased); ok {
		s = p.localNotSampled
		if parentSampled {
			s = p.localSampled
		}
	}
	switch s.(type) {
	case alwaysSample:
		return true, true
	case neverSample:
		return false, true
	}
	return false, false
}
