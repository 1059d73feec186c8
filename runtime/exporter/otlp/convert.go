package otlp

import (
	"math"
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
	req := &collectorpb.ExportTraceServiceRequest{}
	index := make(map[*tracer.Resource]*tracepb.ScopeSpans)
	for _, s := range spans {
		ss, ok := index[s.Resource]
		if !ok {
			ss = &tracepb.ScopeSpans{Scope: &commonpb.InstrumentationScope{Name: ScopeName}}
			req.ResourceSpans = append(req.ResourceSpans, &tracepb.ResourceSpans{
				Resource:   convertResource(s.Resource),
				ScopeSpans: []*tracepb.ScopeSpans{ss},
			})
			index[s.Resource] = ss
		}
		ss.Spans = append(ss.Spans, convertSpan(s))
	}
	return req
}

func convertResource(r *tracer.Resource) *resourcepb.Resource {
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
		if kv := attribute(f); kv != nil {
			out.Attributes = append(out.Attributes, kv)
		}
	}
	return out
}

func convertSpan(s *tracer.SpanData) *tracepb.Span {
	sc := s.Context
	ps := &tracepb.Span{
		TraceId:                copyBytes(sc.TraceID[:]),
		SpanId:                 copyBytes(sc.SpanID[:]),
		TraceState:             sc.TraceState,
		Name:                   s.Name,
		Kind:                   kind(s.Kind),
		StartTimeUnixNano:      unixNano(s.Start),
		EndTimeUnixNano:        unixNano(s.End),
		Flags:                  uint32(sc.Flags) | flagHasIsRemote,
		DroppedAttributesCount: uint32(s.DroppedTags),
		DroppedEventsCount:     uint32(s.DroppedLogs),
	}
	if s.Parent.SpanID.IsValid() {
		ps.ParentSpanId = copyBytes(s.Parent.SpanID[:])
		if s.Parent.Remote {
			ps.Flags |= flagIsRemote
		}
	}
	ps.Attributes = make([]*commonpb.KeyValue, 0, len(s.Tags))
	for _, f := range s.Tags {
		if f.Key() == "error" && f.Type() == log.BoolType {
			continue // carried by the status
		}
		if kv := attribute(f); kv != nil {
			ps.Attributes = append(ps.Attributes, kv)
		}
	}
	for _, l := range s.Logs {
		ps.Events = append(ps.Events, event(l))
	}
	for _, r := range s.References {
		if r.Context.SpanID == s.Parent.SpanID && r.Context.TraceID == s.Parent.TraceID {
			continue
		}
		link := &tracepb.Span_Link{
			TraceId:    copyBytes(r.Context.TraceID[:]),
			SpanId:     copyBytes(r.Context.SpanID[:]),
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
	return ps
}

func refType(t runtime.SpanReferenceType) string {
	if t == runtime.FollowsFromRef {
		return "follows_from"
	}
	return "child_of"
}

// event turns a log into a span event named by its "event" field ("log"
// when it has none); the other fields become attributes.
func event(l runtime.LogRecord) *tracepb.Span_Event {
	ev := &tracepb.Span_Event{TimeUnixNano: unixNano(l.Timestamp), Name: "log"}
	for _, f := range l.Fields {
		if f.Key() == "event" && f.Type() == log.StringType {
			ev.Name = spanfmt.String(f)
			continue
		}
		if kv := attribute(f); kv != nil {
			ev.Attributes = append(ev.Attributes, kv)
		}
	}
	return ev
}

// attribute converts a field keeping its type: strings, booleans, integers
// (a uint64 above MaxInt64 as a string), floats; errors and other values as
// their text. Noop fields give nil.
func attribute(f log.Field) *commonpb.KeyValue {
	var v *commonpb.AnyValue
	switch x := f.Value().(type) {
	case string:
		v = &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: x}}
	case bool:
		v = &commonpb.AnyValue{Value: &commonpb.AnyValue_BoolValue{BoolValue: x}}
	case int:
		v = intValue(int64(x))
	case int32:
		v = intValue(int64(x))
	case int64:
		v = intValue(x)
	case uint32:
		v = intValue(int64(x))
	case uint64:
		if x > math.MaxInt64 {
			v = &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: spanfmt.String(f)}}
		} else {
			v = intValue(int64(x))
		}
	case float32:
		v = &commonpb.AnyValue{Value: &commonpb.AnyValue_DoubleValue{DoubleValue: float64(x)}}
	case float64:
		v = &commonpb.AnyValue{Value: &commonpb.AnyValue_DoubleValue{DoubleValue: x}}
	default:
		if f.Type() == log.NoopType {
			return nil
		}
		v = &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: spanfmt.String(f)}}
	}
	return &commonpb.KeyValue{Key: f.Key(), Value: v}
}

func intValue(n int64) *commonpb.AnyValue {
	return &commonpb.AnyValue{Value: &commonpb.AnyValue_IntValue{IntValue: n}}
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

func copyBytes(b []byte) []byte { return append([]byte(nil), b...) }

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
