package opentracing_test

import (
	"context"
	"sync"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/mocktracer"
	"github.com/tracegen/tracegen/runtime/tracer"
)

// ids returns the trace and span ids of a span context of our recording or
// mock tracer, as strings so both kinds compare alike.
func ids(sc tracegen.SpanContext) (trace, span string, ok bool) {
	if c, ok := tracer.SpanContextOf(sc); ok {
		return c.TraceID.String(), c.SpanID.String(), true
	}
	switch c := sc.(type) {
	case mocktracer.SpanContext:
		return fmtID(c.TraceID), fmtID(c.SpanID), true
	case *mocktracer.SpanContext:
		if c != nil {
			return fmtID(c.TraceID), fmtID(c.SpanID), true
		}
	}
	return "", "", false
}

func fmtID(id uint64) string {
	const digits = "0123456789abcdef"
	var b [16]byte
	for i := 15; i >= 0; i-- {
		b[i] = digits[id&15]
		id >>= 4
	}
	return string(b[:])
}

// memProcessor keeps the spans the recording tracer finishes.
type memProcessor struct {
	mu    sync.Mutex
	spans []*tracer.SpanData
}

func (p *memProcessor) OnEnd(s *tracer.SpanData) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.spans = append(p.spans, s)
}

func (p *memProcessor) ForceFlush(context.Context) error { return nil }
func (p *memProcessor) Shutdown(context.Context) error   { return nil }
