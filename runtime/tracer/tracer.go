package tracer

import (
	"context"
	"errors"
	"io"
	"sync"
	"sync/atomic"

	"github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/fastpath"
)

// Tracer is the recording tracer. Make one with New; it is safe for
// concurrent use. Its spans implement runtime.Span and fastpath.FieldTagger;
// the runtime.SpanContext values it hands out are *SpanContext for recorded
// spans and an unexported type for unsampled ones; SpanContextOf reads both.
type Tracer struct {
	resource   *Resource
	sampler    Sampler
	processors []Processor
	propagator Propagator
	limits     SpanLimits
	idGen      IDGenerator
	randomIDs  bool // idGen makes random trace ids: set FlagRandom

	// skipUnsampledChildren: the sampler never samples a child of a local
	// unsampled span (see nonRecordingSpan.SkipChildren).
	skipUnsampledChildren bool

	// sampleLocalSampledChildren: the sampler samples every child of a
	// local sampled span, so StartSpan need not ask it.
	sampleLocalSampledChildren bool

	// reuse: the only processor is a BatchProcessor in front of a
	// SpanReleaser, so spans take their SpanData from dataPool, and the
	// processor gives them back.
	reuse    bool
	dataPool sync.Pool

	clock    *clock
	shutdown atomic.Bool
}

var (
	_ runtime.Tracer       = (*Tracer)(nil)
	_ fastpath.SpanStarter = (*Tracer)(nil)
)

// New returns a tracer configured by opts. Without options it samples every
// trace (ParentBased(AlwaysSample())), propagates W3C Trace Context and
// Baggage, applies DefaultSpanLimits and records spans that go nowhere
// until a processor is added with WithProcessor.
func New(opts ...Option) *Tracer {
	c := config{}
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}
	t := &Tracer{
		resource:   c.resource,
		sampler:    c.sampler,
		processors: c.processors,
		propagator: c.propagator,
		limits:     c.limits.resolved(),
		idGen:      c.idGen,
		clock:      newClock(),
	}
	if t.resource == nil {
		t.resource = &Resource{}
	}
	if c.serviceName != "" {
		t.resource.ServiceName = c.serviceName
	}
	if t.resource.ServiceName == "" {
		t.resource.ServiceName = defaultServiceName()
	}
	if t.sampler == nil {
		t.sampler = ParentBased(AlwaysSample())
	}
	if t.propagator == nil {
		t.propagator = DefaultPropagator()
	}
	sample, known := localChildDecision(t.sampler, false)
	t.skipUnsampledChildren = known && !sample
	sample, known = localChildDecision(t.sampler, true)
	t.sampleLocalSampledChildren = known && sample
	if len(t.processors) == 1 {
		if r, ok := t.processors[0].(releasingProcessor); ok && r.releasesSpans() {
			t.reuse = true
		}
	}
	if t.idGen == nil {
		t.idGen = randomIDs{}
	}
	if r, ok := t.idGen.(RandomIDs); ok && r.RandomTraceIDs() {
		t.randomIDs = true
	}
	return t
}

// Resource returns the resource shared by the tracer's spans.
func (t *Tracer) Resource() *Resource { return t.resource }

// Sampler returns the tracer's sampler.
func (t *Tracer) Sampler() Sampler { return t.sampler }

// StartSpan implements runtime.Tracer.
func (t *Tracer) StartSpan(operationName string, opts ...runtime.StartSpanOption) runtime.Span {
	var o runtime.StartSpanOptions
	o.Apply(opts...)
	return t.StartSpanWithOptions(operationName, o)
}

// ForceFlush asks every processor to export the spans it holds and waits
// until they are done or ctx ends. It returns the processors' errors joined.
func (t *Tracer) ForceFlush(ctx context.Context) error {
	var errs []error
	for _, p := range t.processors {
		if err := p.ForceFlush(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Shutdown flushes and shuts down every processor, within ctx's deadline.
// Spans finished afterwards are not recorded. Only the first call has an
// effect; later calls return nil.
func (t *Tracer) Shutdown(ctx context.Context) error {
	if !t.shutdown.CompareAndSwap(false, true) {
		return nil
	}
	var errs []error
	for _, p := range t.processors {
		if err := p.Shutdown(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// SpanContextOf returns the SpanContext behind sc, a span context this
// package made (a *SpanContext, a SpanContext or the context of an
// unsampled span). ok is false for nil and for other tracers' contexts.
func SpanContextOf(sc runtime.SpanContext) (c SpanContext, ok bool) {
	switch v := sc.(type) {
	case *SpanContext:
		if v != nil {
			return *v, true
		}
	case SpanContext:
		return v, true
	case *nonRecordingSpan:
		if v != nil {
			return *v.ctx.Load(), true
		}
	}
	return SpanContext{}, false
}

// maxBinaryCarrier bounds what Extract reads from a Binary carrier.
const maxBinaryCarrier = 64 << 10

// Inject implements runtime.Tracer. TextMap and HTTPHeaders use the
// tracer's Propagator; Binary uses EncodeBinary.
func (t *Tracer) Inject(sc runtime.SpanContext, format any, carrier any) error {
	f, ok := format.(runtime.BuiltinFormat)
	if !ok || f > runtime.HTTPHeaders {
		return runtime.ErrUnsupportedFormat
	}
	c, ok := SpanContextOf(sc)
	if !ok {
		return runtime.ErrInvalidSpanContext
	}
	if f == runtime.Binary {
		w, ok := carrier.(io.Writer)
		if !ok || w == nil {
			return runtime.ErrInvalidCarrier
		}
		_, err := w.Write(EncodeBinary(c))
		return err
	}
	w, ok := fastpath.TextMapWriterOf(carrier)
	if !ok || w == nil {
		return runtime.ErrInvalidCarrier
	}
	t.propagator.Inject(c, w)
	return nil
}

// Extract implements runtime.Tracer. It returns a *SpanContext marked
// Remote. A carrier with baggage but no valid ids yields a context without
// ids whose children start a new trace that keeps the baggage.
func (t *Tracer) Extract(format any, carrier any) (runtime.SpanContext, error) {
	f, ok := format.(runtime.BuiltinFormat)
	if !ok || f > runtime.HTTPHeaders {
		return nil, runtime.ErrUnsupportedFormat
	}
	var (
		c   SpanContext
		err error
	)
	if f == runtime.Binary {
		r, ok := carrier.(io.Reader)
		if !ok || r == nil {
			return nil, runtime.ErrInvalidCarrier
		}
		b, rerr := io.ReadAll(io.LimitReader(r, maxBinaryCarrier+1))
		switch {
		case rerr != nil:
			return nil, rerr
		case len(b) == 0:
			return nil, runtime.ErrSpanContextNotFound
		case len(b) > maxBinaryCarrier:
			return nil, runtime.ErrSpanContextCorrupted
		}
		c, err = DecodeBinary(b)
	} else {
		r, ok := fastpath.TextMapReaderOf(carrier)
		if !ok || r == nil {
			return nil, runtime.ErrInvalidCarrier
		}
		c, err = t.propagator.Extract(r, SpanContext{})
	}
	if err != nil {
		return nil, err
	}
	if !c.IsValid() && c.BaggageLen() == 0 {
		return nil, runtime.ErrSpanContextNotFound
	}
	c.Remote = true
	return &c, nil
}
