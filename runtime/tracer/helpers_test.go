package tracer

import (
	"context"
	"sync"
)

// memExporter keeps every exported span.
type memExporter struct {
	mu       sync.Mutex
	spans    []*SpanData
	batches  int
	shutdown bool
}

func (e *memExporter) ExportSpans(_ context.Context, spans []*SpanData) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.spans = append(e.spans, spans...)
	e.batches++
	return nil
}

func (e *memExporter) Shutdown(context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.shutdown = true
	return nil
}

func (e *memExporter) Spans() []*SpanData {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]*SpanData(nil), e.spans...)
}
