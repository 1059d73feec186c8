package tracer

import (
	"github.com/tracegen/tracegen/runtime/log"
	"os"
	"path/filepath"
)

// Option configures a Tracer made by New.
type Option interface{ apply(*config) }

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	serviceName string
	resource    *Resource
	sampler     Sampler
	processors  []Processor
	propagator  Propagator
	limits      SpanLimits
	idGen       IDGenerator
}

// WithServiceName sets the service name recorded in every span's Resource.
// It wins over the name in a Resource given with WithResource. The default
// is OpenTelemetry's: "unknown_service:" followed by the program's name.
func WithServiceName(name string) Option {
	return optionFunc(func(c *config) { c.serviceName = name })
}

// WithResource sets the resource shared by every span the tracer records.
// The tracer keeps its own copy of r.
func WithResource(r *Resource) Option {
	return optionFunc(func(c *config) {
		if r != nil {
			cp := *r
			cp.Attributes = append([]log.Field(nil), r.Attributes...)
			c.resource = &cp
		}
	})
}

// WithSampler sets the sampler that decides which new spans are recorded.
// The default is ParentBased(AlwaysSample()), as in OpenTelemetry. A nil
// sampler is ignored.
func WithSampler(s Sampler) Option {
	return optionFunc(func(c *config) {
		if s != nil {
			c.sampler = s
		}
	})
}

// WithProcessor adds a processor that receives every finished, sampled
// span. It may be given several times; processors are called in order.
func WithProcessor(p Processor) Option {
	return optionFunc(func(c *config) {
		if p != nil {
			c.processors = append(c.processors, p)
		}
	})
}

// WithPropagator sets the propagator of the TextMap and HTTPHeaders formats.
// The default is DefaultPropagator(): W3C Trace Context and W3C Baggage.
func WithPropagator(p Propagator) Option {
	return optionFunc(func(c *config) {
		if p != nil {
			c.propagator = p
		}
	})
}

// WithSpanLimits sets the span limits. Zero fields take the defaults of
// DefaultSpanLimits; see SpanLimits for how to switch a limit off.
func WithSpanLimits(l SpanLimits) Option {
	return optionFunc(func(c *config) { c.limits = l })
}

// WithIDGenerator replaces the random id generator, for example with one
// that makes predictable ids in tests. A nil generator is ignored.
func WithIDGenerator(g IDGenerator) Option {
	return optionFunc(func(c *config) {
		if g != nil {
			c.idGen = g
		}
	})
}

func defaultServiceName() string {
	name := "unknown_service"
	if exe, err := os.Executable(); err == nil {
		name += ":" + filepath.Base(exe)
	} else if len(os.Args) > 0 {
		name += ":" + filepath.Base(os.Args[0])
	}
	return name
}
