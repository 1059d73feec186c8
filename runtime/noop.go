package runtime

import "github.com/tracegen/tracegen/runtime/log"

// NoopTracer is a Tracer that records nothing. Its methods allocate nothing.
// It is the global tracer until SetGlobalTracer installs another.
type NoopTracer struct{}

type noopSpan struct{}

type noopSpanContext struct{}

var (
	defaultNoopSpanContext SpanContext = noopSpanContext{}
	defaultNoopSpan        Span        = noopSpan{}
	defaultNoopTracer      Tracer      = NoopTracer{}
)

var (
	_ Tracer      = NoopTracer{}
	_ spanStarter = NoopTracer{}
	_ Span        = noopSpan{}
)

// StartSpan returns a span that records nothing.
func (NoopTracer) StartSpan(string, ...StartSpanOption) Span { return defaultNoopSpan }

// StartSpanWithOptions returns a span that records nothing.
func (NoopTracer) StartSpanWithOptions(string, StartSpanOptions) Span { return defaultNoopSpan }

// Inject writes nothing. It returns nil for the three standard formats and
// ErrUnsupportedFormat for any other.
func (NoopTracer) Inject(_ SpanContext, format any, _ any) error {
	if !isStandardFormat(format) {
		return ErrUnsupportedFormat
	}
	return nil
}

// Extract always finds nothing: ErrSpanContextNotFound for the standard
// formats, ErrUnsupportedFormat for any other.
func (NoopTracer) Extract(format any, _ any) (SpanContext, error) {
	if !isStandardFormat(format) {
		return nil, ErrUnsupportedFormat
	}
	return nil, ErrSpanContextNotFound
}

func (noopSpanContext) ForeachBaggageItem(func(k, v string) bool) {}

func (noopSpan) Context() SpanContext               { return defaultNoopSpanContext }
func (noopSpan) SetBaggageItem(string, string) Span { return defaultNoopSpan }
func (noopSpan) BaggageItem(string) string          { return "" }
func (noopSpan) SetTag(string, any) Span            { return defaultNoopSpan }
func (noopSpan) LogFields(...log.Field)             {}
func (noopSpan) LogKV(...any)                       {}
func (noopSpan) Finish()                            {}
func (noopSpan) FinishWithOptions(FinishOptions)    {}
func (noopSpan) SetOperationName(string) Span       { return defaultNoopSpan }
func (noopSpan) Tracer() Tracer                     { return defaultNoopTracer }
