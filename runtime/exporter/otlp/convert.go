package otlp

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/exporter/internal/spanfmt"
	"github.com/tracegen/tracegen/runtime/log"
	"github.com/tracegen/tracegen/runtime/tracer"
	collectorpb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
)

// ScopeName is the instrumentation scope of every exported span.
const ScopeName = "github.com/tracegen/tracegen"

// The W3C flag bits of an OTLP span's flags field that tell whether the
// parent is remote.
const (
	flagHasIsRemote = 0x100
	flagIsRemote    = 0x200
)

// NewRequest converts spans to an OTLP export request, one ResourceSpans per
// distinct Resource, in order of first appearance.
func NewRequest(spans []*tracer.SpanData) *collectorpb.ExportTraceServiceRequest {
	a := &arena{ids: make([]byte, 0, len(spans)*24)}
	a.spans = make([]tracepb.Span, len(spans))
	req := &collectorpb.ExportTraceServiceRequest{}
	index := make(map[*tracer.Resource]*tracepb.ScopeSpans)
	for _, s := range spans {
		ss, ok := index[s.Resource]
		if !ok {
			ss = &tracepb.ScopeSpans{Scope: &commonpb.InstrumentationScope{Name: ScopeName}}
			req.ResourceSpans = append(req.ResourceSpans, &tracepb.ResourceSpans{
				Resource:   a.resource(s.Resource),
				ScopeSpans: []*tracepb.ScopeSpans{ss},
			})
			index[s.Resource] = ss
		}
		ss.Spans = append(ss.Spans, a.span(s))
	}
	return req
}

func (a *arena) resource(r *tracer.Resource) *resourcepb.Resource {
	out := &resourcepb.Resource{}
	if r == nil {
		return out
	}
	if r.ServiceName != "" {
		out.Attributes = append(out.Attributes, stringAttr("service.name", r.ServiceName))
	}
	for _, f := range r.Attributes {
		if f.Key() == "service.name" && r.ServiceName != "" {
			continue
		}
		if kv := a.attribute(f); kv != nil {
			out.Attributes = append(out.Attributes, kv)
		}
	}
	return out
}

// arena allocates the messages of one request in chunks, so a span costs a
// few allocations instead of several per attribute. Messages are only ever
// used through pointers into the chunks, never copied.
type arena struct {
	spans   []tracepb.Span
	ids     []byte
	kvs     []commonpb.KeyValue
	values  []commonpb.AnyValue
	strs    []commonpb.AnyValue_StringValue
	ints    []commonpb.AnyValue_IntValue
	doubles []commonpb.AnyValue_DoubleValue
	bools   []commonpb.AnyValue_BoolValue
	ptrs    []*commonpb.KeyValue
	enc     valueEncoder
}

// kvSlice returns an empty slice with room for n attributes.
func (a *arena) kvSlice(n int) []*commonpb.KeyValue {
	if n == 0 {
		return nil
	}
	if len(a.ptrs) < n {
		a.ptrs = make([]*commonpb.KeyValue, max(chunk*4, n))
	}
	out := a.ptrs[:0:n]
	a.ptrs = a.ptrs[n:]
	return out
}

const chunk = 256

// take returns a pointer to a fresh zero T from pool, refilling it by a chunk.
func take[T any](pool *[]T) *T {
	if len(*pool) == 0 {
		*pool = make([]T, chunk)
	}
	p := &(*pool)[0]
	*pool = (*pool)[1:]
	return p
}

// id copies an id into the shared id buffer.
func (a *arena) id(b []byte) []byte {
	if cap(a.ids)-len(a.ids) < len(b) {
		a.ids = make([]byte, 0, max(chunk*8, len(b)))
	}
	start := len(a.ids)
	a.ids = append(a.ids, b...)
	return a.ids[start:len(a.ids):len(a.ids)]
}

func (a *arena) span(s *tracer.SpanData) *tracepb.Span {
	ps := take(&a.spans)
	a.fillSpan(ps, s)
	return ps
}

func (a *arena) fillSpan(ps *tracepb.Span, s *tracer.SpanData) {
	sc := s.Context
	ps.TraceId = a.id(sc.TraceID[:])
	ps.SpanId = a.id(sc.SpanID[:])
	ps.TraceState = sc.TraceState
	ps.Name = s.Name
	ps.Kind = kind(s.Kind)
	ps.StartTimeUnixNano = unixNano(s.Start)
	ps.EndTimeUnixNano = unixNano(s.End)
	ps.Flags = uint32(sc.Flags) | flagHasIsRemote
	ps.DroppedAttributesCount = uint32(s.DroppedTags)
	ps.DroppedEventsCount = uint32(s.DroppedLogs)
	if s.Parent.SpanID.IsValid() {
		ps.ParentSpanId = a.id(s.Parent.SpanID[:])
		if s.Parent.Remote {
			ps.Flags |= flagIsRemote
		}
	}
	ps.Attributes = a.kvSlice(len(s.Tags))
	for _, f := range s.Tags {
		if f.Key() == "error" && f.Type() == log.BoolType {
			continue // carried by the status
		}
		if kv := a.attribute(f); kv != nil {
			ps.Attributes = append(ps.Attributes, kv)
		}
	}
	for _, l := range s.Logs {
		ps.Events = append(ps.Events, a.event(l))
	}
	for _, r := range s.References {
		if r.Context.SpanID == s.Parent.SpanID && r.Context.TraceID == s.Parent.TraceID {
			continue
		}
		link := &tracepb.Span_Link{
			TraceId:    a.id(r.Context.TraceID[:]),
			SpanId:     a.id(r.Context.SpanID[:]),
			TraceState: r.Context.TraceState,
			Flags:      uint32(r.Context.Flags) | flagHasIsRemote,
			Attributes: []*commonpb.KeyValue{stringAttr("opentracing.ref_type", refType(r.Type))},
		}
		if r.Context.Remote {
			link.Flags |= flagIsRemote
		}
		ps.Links = append(ps.Links, link)
	}
	if s.Error {
		ps.Status = &tracepb.Status{Code: tracepb.Status_STATUS_CODE_ERROR, Message: spanfmt.ErrorMessage(s)}
	}
}

func refType(t runtime.SpanReferenceType) string {
	if t == runtime.FollowsFromRef {
		return "follows_from"
	}
	return "child_of"
}

// event turns a log into a span event named by its "event" field ("log"
// when it has none); the other fields become attributes.
func (a *arena) event(l runtime.LogRecord) *tracepb.Span_Event {
	ev := &tracepb.Span_Event{TimeUnixNano: unixNano(l.Timestamp), Name: "log"}
	for _, f := range l.Fields {
		if f.Key() == "event" && f.Type() == log.StringType {
			ev.Name = spanfmt.String(f)
			continue
		}
		if kv := a.attribute(f); kv != nil {
			ev.Attributes = append(ev.Attributes, kv)
		}
	}
	return ev
}

// attribute converts a field keeping its type: strings, booleans, integers
// (a uint64 above MaxInt64 as a string), floats; errors and other values as
// their text. Noop fields give nil. The value is read through Field.Marshal,
// which does not box it into an interface.
func (a *arena) attribute(f log.Field) *commonpb.KeyValue {
	switch f.Type() {
	case log.NoopType:
		return nil
	case log.LazyLoggerType:
		v := take(&a.values)
		a.setString(v, spanfmt.String(f))
		return a.keyValue(f.Key(), v)
	}
	a.enc.arena = a
	a.enc.value = take(&a.values)
	f.Marshal(&a.enc)
	return a.keyValue(f.Key(), a.enc.value)
}

func (a *arena) keyValue(key string, v *commonpb.AnyValue) *commonpb.KeyValue {
	kv := take(&a.kvs)
	kv.Key = key
	kv.Value = v
	return kv
}

// valueEncoder fills one AnyValue from a field's typed value.
type valueEncoder struct {
	arena *arena
	value *commonpb.AnyValue
}

var _ log.Encoder = (*valueEncoder)(nil)

func (e *valueEncoder) EmitString(_, v string) { e.arena.setString(e.value, v) }
func (e *valueEncoder) EmitBool(_ string, v bool) {
	b := take(&e.arena.bools)
	b.BoolValue = v
	e.value.Value = b
}
func (e *valueEncoder) EmitInt(_ string, v int)         { e.arena.setInt(e.value, int64(v)) }
func (e *valueEncoder) EmitInt32(_ string, v int32)     { e.arena.setInt(e.value, int64(v)) }
func (e *valueEncoder) EmitInt64(_ string, v int64)     { e.arena.setInt(e.value, v) }
func (e *valueEncoder) EmitUint32(_ string, v uint32)   { e.arena.setInt(e.value, int64(v)) }
func (e *valueEncoder) EmitFloat32(_ string, v float32) { e.arena.setDouble(e.value, float64(v)) }
func (e *valueEncoder) EmitFloat64(_ string, v float64) { e.arena.setDouble(e.value, v) }
func (e *valueEncoder) EmitUint64(_ string, v uint64) {
	if v > math.MaxInt64 {
		e.arena.setString(e.value, strconv.FormatUint(v, 10))
		return
	}
	e.arena.setInt(e.value, int64(v))
}
func (e *valueEncoder) EmitObject(_ string, v any) { e.arena.setString(e.value, fmt.Sprint(v)) }
func (e *valueEncoder) EmitLazyLogger(log.LazyLogger) {
	e.arena.setString(e.value, "<lazy>")
}

func (a *arena) setString(v *commonpb.AnyValue, s string) {
	w := take(&a.strs)
	w.StringValue = s
	v.Value = w
}

func (a *arena) setInt(v *commonpb.AnyValue, n int64) {
	w := take(&a.ints)
	w.IntValue = n
	v.Value = w
}

func (a *arena) setDouble(v *commonpb.AnyValue, d float64) {
	w := take(&a.doubles)
	w.DoubleValue = d
	v.Value = w
}

func stringAttr(k, v string) *commonpb.KeyValue {
	return &commonpb.KeyValue{Key: k, Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: v}}}
}

func kind(k string) tracepb.Span_SpanKind {
	switch strings.ToLower(k) {
	case "server":
		return tracepb.Span_SPAN_KIND_SERVER
	case "client":
		return tracepb.Span_SPAN_KIND_CLIENT
	case "producer":
		return tracepb.Span_SPAN_KIND_PRODUCER
	case "consumer":
		return tracepb.Span_SPAN_KIND_CONSUMER
	}
	return tracepb.Span_SPAN_KIND_INTERNAL
}

func unixNano(t time.Time) uint64 {
	if t.IsZero() {
		return 0
	}
	n := t.UnixNano()
	if n < 0 {
		return 0
	}
	return uint64(n)
}
