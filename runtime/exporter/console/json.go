// Package console exports spans as text: JSON lines for machines (the
// zero-setup default of runtime/setup) and an indented span tree for people.
//
// JSON lines, one object per finished span, to any io.Writer or file:
//
//	exp := console.NewJSON(os.Stderr)
//	exp, err := console.NewJSONFile("spans.jsonl")
//
// A span tree printed when each trace's local root span finishes:
//
//	exp := console.NewTree(os.Stderr)
//	tr := tracer.New(tracer.WithProcessor(tracer.NewBatchProcessor(exp)))
//
// Both take WithoutTimes for output that does not change between runs.
package console

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/exporter/internal/spanfmt"
	"github.com/tracegen/tracegen/runtime/log"
	"github.com/tracegen/tracegen/runtime/tracer"
)

// Option configures the console exporters.
type Option interface{ apply(*config) }

type config struct {
	noTimes bool
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// WithoutTimes leaves out start and end times, durations and log timestamps,
// so the output is the same on every run (for tests and golden files).
func WithoutTimes() Option { return optionFunc(func(c *config) { c.noTimes = true }) }

// JSONExporter writes each span as one JSON object on its own line.
//
// The object's fields: traceId, spanId, parentSpanId (omitted for roots),
// name, kind (omitted for internal spans), start, end (RFC 3339 with
// nanoseconds), durationNs, service, resource, tags (an object keeping the
// tags' order and types), logs (each with timestamp and fields), error,
// errorMessage, references (follows-from links and extra parents), and
// dropped counts when limits discarded anything.
type JSONExporter struct {
	cfg    config
	mu     sync.Mutex
	w      io.Writer
	closer io.Closer
	closed bool
	buf    bytes.Buffer
}

var _ tracer.SpanReleaser = (*JSONExporter)(nil)

// NewJSON returns an exporter writing JSON lines to w. Shutdown does not
// close w.
func NewJSON(w io.Writer, opts ...Option) *JSONExporter {
	e := &JSONExporter{w: w}
	for _, o := range opts {
		o.apply(&e.cfg)
	}
	return e
}

// NewJSONFile returns an exporter appending JSON lines to the file at path,
// creating it if needed. Shutdown closes the file.
func NewJSONFile(path string, opts ...Option) (*JSONExporter, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	e := NewJSON(f, opts...)
	e.closer = f
	return e, nil
}

// ErrShutdown is returned by ExportSpans after Shutdown.
var ErrShutdown = errors.New("console: exporter is shut down")

// ExportSpans writes one line per span, in one Write call for the batch.
func (e *JSONExporter) ExportSpans(ctx context.Context, spans []*tracer.SpanData) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return ErrShutdown
	}
	e.buf.Reset()
	for _, s := range spans {
		appendSpanJSON(&e.buf, s, e.cfg)
		e.buf.WriteByte('\n')
	}
	_, err := e.w.Write(e.buf.Bytes())
	if e.buf.Cap() > 1<<20 {
		e.buf = bytes.Buffer{}
	}
	return err
}

// ReleasesSpans implements tracer.SpanReleaser: the spans are written
// within ExportSpans, so the tracer may reuse them after.
func (e *JSONExporter) ReleasesSpans() bool { return true }

// Shutdown closes the file of NewJSONFile; later exports fail.
func (e *JSONExporter) Shutdown(ctx context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return nil
	}
	e.closed = true
	if e.closer != nil {
		return e.closer.Close()
	}
	return nil
}

func appendSpanJSON(b *bytes.Buffer, s *tracer.SpanData, cfg config) {
	b.WriteString(`{"traceId":"`)
	b.WriteString(s.Context.TraceID.String())
	b.WriteString(`","spanId":"`)
	b.WriteString(s.Context.SpanID.String())
	b.WriteByte('"')
	if s.Parent.SpanID.IsValid() {
		b.WriteString(`,"parentSpanId":"`)
		b.WriteString(s.Parent.SpanID.String())
		b.WriteByte('"')
	}
	b.WriteString(`,"name":`)
	writeJSONString(b, s.Name)
	if s.Kind != "" {
		b.WriteString(`,"kind":`)
		writeJSONString(b, s.Kind)
	}
	if !cfg.noTimes {
		b.WriteString(`,"start":"`)
		b.WriteString(s.Start.UTC().Format(time.RFC3339Nano))
		b.WriteString(`","end":"`)
		b.WriteString(s.End.UTC().Format(time.RFC3339Nano))
		b.WriteString(`","durationNs":`)
		b.WriteString(strconv.FormatInt(int64(s.End.Sub(s.Start)), 10))
	}
	if s.Resource != nil {
		b.WriteString(`,"service":`)
		writeJSONString(b, s.Resource.ServiceName)
		if len(s.Resource.Attributes) > 0 {
			b.WriteString(`,"resource":`)
			writeFields(b, s.Resource.Attributes)
		}
	}
	if len(s.Tags) > 0 {
		b.WriteString(`,"tags":`)
		writeFields(b, s.Tags)
	}
	if len(s.Logs) > 0 {
		b.WriteString(`,"logs":[`)
		for i, l := range s.Logs {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteByte('{')
			if !cfg.noTimes {
				b.WriteString(`"timestamp":"`)
				b.WriteString(l.Timestamp.UTC().Format(time.RFC3339Nano))
				b.WriteString(`",`)
			}
			b.WriteString(`"fields":`)
			writeFields(b, l.Fields)
			b.WriteByte('}')
		}
		b.WriteByte(']')
	}
	if s.Error {
		b.WriteString(`,"error":true`)
		if msg := spanfmt.ErrorMessage(s); msg != "" {
			b.WriteString(`,"errorMessage":`)
			writeJSONString(b, msg)
		}
	}
	writeReferences(b, s)
	if s.DroppedTags+s.DroppedLogs+s.DroppedLogFields > 0 {
		b.WriteString(`,"dropped":{"tags":`)
		b.WriteString(strconv.Itoa(s.DroppedTags))
		b.WriteString(`,"logs":`)
		b.WriteString(strconv.Itoa(s.DroppedLogs))
		b.WriteString(`,"logFields":`)
		b.WriteString(strconv.Itoa(s.DroppedLogFields))
		b.WriteByte('}')
	}
	b.WriteByte('}')
}

// writeReferences lists the references other than the parent itself.
func writeReferences(b *bytes.Buffer, s *tracer.SpanData) {
	n := 0
	for _, r := range s.References {
		if r.Context.SpanID == s.Parent.SpanID && r.Context.TraceID == s.Parent.TraceID {
			continue
		}
		if n == 0 {
			b.WriteString(`,"references":[`)
		} else {
			b.WriteByte(',')
		}
		n++
		b.WriteString(`{"type":`)
		typ := "child_of"
		if r.Type == runtime.FollowsFromRef {
			typ = "follows_from"
		}
		writeJSONString(b, typ)
		b.WriteString(`,"traceId":"`)
		b.WriteString(r.Context.TraceID.String())
		b.WriteString(`","spanId":"`)
		b.WriteString(r.Context.SpanID.String())
		b.WriteString(`"}`)
	}
	if n > 0 {
		b.WriteByte(']')
	}
}

// writeFields writes fields as a JSON object in their order, keeping numbers
// and booleans typed. Non-finite floats become strings.
func writeFields(b *bytes.Buffer, fields []log.Field) {
	b.WriteByte('{')
	n := 0
	for _, f := range fields {
		if f.Type() == log.NoopType {
			continue
		}
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		writeJSONString(b, f.Key())
		b.WriteByte(':')
		writeValue(b, f)
	}
	b.WriteByte('}')
}

func writeValue(b *bytes.Buffer, f log.Field) {
	switch v := f.Value().(type) {
	case bool, int, int32, int64, uint32, uint64:
		b.WriteString(spanfmt.String(f))
	case float32:
		writeFloat(b, float64(v), f)
	case float64:
		writeFloat(b, v, f)
	default:
		writeJSONString(b, spanfmt.String(f))
	}
}

func writeFloat(b *bytes.Buffer, v float64, f log.Field) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		writeJSONString(b, spanfmt.String(f))
		return
	}
	b.WriteString(spanfmt.String(f))
}

func writeJSONString(b *bytes.Buffer, s string) {
	enc, _ := json.Marshal(s) // a string always marshals
	b.Write(enc)
}
