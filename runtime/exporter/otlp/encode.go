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
	"google.golang.org/protobuf/encoding/protowire"
)

// ScopeName is the instrumentation scope of every exported span.
const ScopeName = "github.com/tracegen/tracegen"

// The W3C flag bits of an OTLP span's flags field that tell whether the
// parent is remote.
const (
	flagHasIsRemote = 0x100
	flagIsRemote    = 0x200
)

// Field numbers of the OTLP messages written here, from
// opentelemetry/proto/{collector/trace,trace,resource,common}/v1/*.proto.
const (
	requestResourceSpans = 1 // ExportTraceServiceRequest.resource_spans

	resourceSpansResource   = 1
	resourceSpansScopeSpans = 2

	resourceAttributes = 1

	scopeSpansScope = 1
	scopeSpansSpans = 2

	scopeName = 1

	spanTraceID                = 1
	spanSpanID                 = 2
	spanTraceState             = 3
	spanParentSpanID           = 4
	spanName                   = 5
	spanKind                   = 6
	spanStartTime              = 7
	spanEndTime                = 8
	spanAttributes             = 9
	spanDroppedAttributesCount = 10
	spanEvents                 = 11
	spanDroppedEventsCount     = 12
	spanLinks                  = 13
	spanStatus                 = 15
	spanFlags                  = 16

	eventTime       = 1
	eventName       = 2
	eventAttributes = 3

	linkTraceID    = 1
	linkSpanID     = 2
	linkTraceState = 3
	linkAttributes = 4
	linkFlags      = 6

	statusMessage = 2
	statusCode    = 3
	statusError   = 2 // STATUS_CODE_ERROR

	keyValueKey   = 1
	keyValueValue = 2

	anyString = 1
	anyBool   = 2
	anyInt    = 3
	anyDouble = 4

	responsePartialSuccess = 1 // ExportTraceServiceResponse.partial_success
	partialRejectedSpans   = 1
	partialErrorMessage    = 2
)

// The SpanKind enum.
const (
	kindInternal = 1 + iota
	kindServer
	kindClient
	kindProducer
	kindConsumer
)

// AppendRequest appends to b the protobuf encoding of an OTLP
// ExportTraceServiceRequest holding spans: one ResourceSpans per distinct
// Resource, in order of first appearance, each with one ScopeSpans
// (ScopeName). The bytes are what the official protobuf definitions
// (go.opentelemetry.io/proto/otlp) decode; fields are written in field
// number order and fields holding their zero value are left out, as
// protobuf's own encoder does.
func AppendRequest(b []byte, spans []*tracer.SpanData) []byte {
	var e encoder
	e.b = b
	done := make([]bool, len(spans))
	for i, s := range spans {
		if done[i] {
			continue
		}
		rs := e.begin(requestResourceSpans)
		e.resource(s.Resource)
		ss := e.begin(resourceSpansScopeSpans)
		sc := e.begin(scopeSpansScope)
		e.string(scopeName, ScopeName)
		e.end(sc)
		for j := i; j < len(spans); j++ {
			if !done[j] && spans[j].Resource == s.Resource {
				done[j] = true
				e.span(spans[j])
			}
		}
		e.end(ss)
		e.end(rs)
	}
	return e.b
}

// encoder appends protobuf fields to b. A length-delimited field is written
// by begin, its contents, then end, which fills in the length: begin
// reserves one byte for it, and end moves the contents when the length
// needs more (128 bytes or longer), so nothing is encoded twice.
type encoder struct {
	b []byte
}

// begin writes the tag of embedded message field num and returns the offset
// of its contents, for end.
func (e *encoder) begin(num protowire.Number) int {
	e.b = protowire.AppendTag(e.b, num, protowire.BytesType)
	e.b = append(e.b, 0)
	return len(e.b)
}

// end writes the length of the message whose contents start at start.
func (e *encoder) end(start int) {
	n := len(e.b) - start
	if n < 0x80 {
		e.b[start-1] = byte(n)
		return
	}
	size := protowire.SizeVarint(uint64(n))
	e.b = append(e.b, make([]byte, size-1)...)
	copy(e.b[start-1+size:], e.b[start:start+n])
	protowire.AppendVarint(e.b[start-1:start-1], uint64(n))
}

func (e *encoder) string(num protowire.Number, s string) {
	if s == "" {
		return
	}
	e.b = protowire.AppendTag(e.b, num, protowire.BytesType)
	e.b = protowire.AppendString(e.b, s)
}

func (e *encoder) bytes(num protowire.Number, v []byte) {
	e.b = protowire.AppendTag(e.b, num, protowire.BytesType)
	e.b = protowire.AppendBytes(e.b, v)
}

func (e *encoder) varint(num protowire.Number, v uint64) {
	if v == 0 {
		return
	}
	e.b = protowire.AppendTag(e.b, num, protowire.VarintType)
	e.b = protowire.AppendVarint(e.b, v)
}

func (e *encoder) fixed32(num protowire.Number, v uint32) {
	if v == 0 {
		return
	}
	e.b = protowire.AppendTag(e.b, num, protowire.Fixed32Type)
	e.b = protowire.AppendFixed32(e.b, v)
}

func (e *encoder) fixed64(num protowire.Number, v uint64) {
	if v == 0 {
		return
	}
	e.b = protowire.AppendTag(e.b, num, protowire.Fixed64Type)
	e.b = protowire.AppendFixed64(e.b, v)
}

func (e *encoder) resource(r *tracer.Resource) {
	m := e.begin(resourceSpansResource)
	if r != nil {
		if r.ServiceName != "" {
			e.stringAttr(resourceAttributes, "service.name", r.ServiceName)
		}
		for _, f := range r.Attributes {
			if f.Key() == "service.name" && r.ServiceName != "" {
				continue
			}
			e.attribute(resourceAttributes, f)
		}
	}
	e.end(m)
}

func (e *encoder) span(s *tracer.SpanData) {
	m := e.begin(scopeSpansSpans)
	sc := s.Context
	e.bytes(spanTraceID, sc.TraceID[:])
	e.bytes(spanSpanID, sc.SpanID[:])
	e.string(spanTraceState, sc.TraceState)
	flags := uint32(sc.Flags) | flagHasIsRemote
	if s.Parent.SpanID.IsValid() {
		e.bytes(spanParentSpanID, s.Parent.SpanID[:])
		if s.Parent.Remote {
			flags |= flagIsRemote
		}
	}
	e.string(spanName, s.Name)
	e.varint(spanKind, kind(s.Kind))
	e.fixed64(spanStartTime, unixNano(s.Start))
	e.fixed64(spanEndTime, unixNano(s.End))
	for _, f := range s.Tags {
		if f.Key() == "error" && f.Type() == log.BoolType {
			continue // carried by the status
		}
		e.attribute(spanAttributes, f)
	}
	e.varint(spanDroppedAttributesCount, uint64(uint32(s.DroppedTags)))
	for _, l := range s.Logs {
		e.event(l)
	}
	e.varint(spanDroppedEventsCount, uint64(uint32(s.DroppedLogs)))
	for _, r := range s.References {
		if r.Context.SpanID == s.Parent.SpanID && r.Context.TraceID == s.Parent.TraceID {
			continue
		}
		e.link(r)
	}
	if s.Error {
		st := e.begin(spanStatus)
		e.string(statusMessage, spanfmt.ErrorMessage(s))
		e.varint(statusCode, statusError)
		e.end(st)
	}
	e.fixed32(spanFlags, flags)
	e.end(m)
}

// event writes a log as a span event named by its "event" field ("log"
// when it has none); the other fields become attributes.
func (e *encoder) event(l runtime.LogRecord) {
	m := e.begin(spanEvents)
	e.fixed64(eventTime, unixNano(l.Timestamp))
	name := "log"
	for _, f := range l.Fields {
		if f.Key() == "event" && f.Type() == log.StringType {
			name = spanfmt.String(f)
		}
	}
	e.string(eventName, name)
	for _, f := range l.Fields {
		if f.Key() == "event" && f.Type() == log.StringType {
			continue
		}
		e.attribute(eventAttributes, f)
	}
	e.end(m)
}

// link writes a reference other than the parent, with an
// opentracing.ref_type attribute.
func (e *encoder) link(r tracer.Reference) {
	m := e.begin(spanLinks)
	e.bytes(linkTraceID, r.Context.TraceID[:])
	e.bytes(linkSpanID, r.Context.SpanID[:])
	e.string(linkTraceState, r.Context.TraceState)
	ref := "child_of"
	if r.Type == runtime.FollowsFromRef {
		ref = "follows_from"
	}
	e.stringAttr(linkAttributes, "opentracing.ref_type", ref)
	flags := uint32(r.Context.Flags) | flagHasIsRemote
	if r.Context.Remote {
		flags |= flagIsRemote
	}
	e.fixed32(linkFlags, flags)
	e.end(m)
}

func (e *encoder) stringAttr(num protowire.Number, k, v string) {
	kv := e.begin(num)
	e.string(keyValueKey, k)
	val := e.begin(keyValueValue)
	e.b = protowire.AppendTag(e.b, anyString, protowire.BytesType)
	e.b = protowire.AppendString(e.b, v)
	e.end(val)
	e.end(kv)
}

// attribute writes field f as a KeyValue keeping its type: strings,
// booleans, integers (a uint64 above MaxInt64 as a string), floats; errors
// and other values as their text. Noop fields are left out. The value is
// read through Field.Marshal, which does not box it into an interface.
func (e *encoder) attribute(num protowire.Number, f log.Field) {
	switch f.Type() {
	case log.NoopType:
		return
	case log.LazyLoggerType:
		e.stringAttr(num, f.Key(), spanfmt.String(f))
		return
	}
	kv := e.begin(num)
	e.string(keyValueKey, f.Key())
	val := e.begin(keyValueValue)
	f.Marshal((*valueEncoder)(e))
	e.end(val)
	e.end(kv)
}

// valueEncoder writes the one field of an AnyValue from a field's typed
// value. Unlike the encoder's own methods it writes zero values too: the
// field of a oneof that is set is always encoded.
type valueEncoder encoder

var _ log.Encoder = (*valueEncoder)(nil)

func (e *valueEncoder) str(v string) {
	e.b = protowire.AppendTag(e.b, anyString, protowire.BytesType)
	e.b = protowire.AppendString(e.b, v)
}

func (e *valueEncoder) int(v int64) {
	e.b = protowire.AppendTag(e.b, anyInt, protowire.VarintType)
	e.b = protowire.AppendVarint(e.b, uint64(v))
}

func (e *valueEncoder) double(v float64) {
	e.b = protowire.AppendTag(e.b, anyDouble, protowire.Fixed64Type)
	e.b = protowire.AppendFixed64(e.b, math.Float64bits(v))
}

func (e *valueEncoder) EmitString(_, v string) { e.str(v) }
func (e *valueEncoder) EmitBool(_ string, v bool) {
	e.b = protowire.AppendTag(e.b, anyBool, protowire.VarintType)
	e.b = protowire.AppendVarint(e.b, protowire.EncodeBool(v))
}
func (e *valueEncoder) EmitInt(_ string, v int)         { e.int(int64(v)) }
func (e *valueEncoder) EmitInt32(_ string, v int32)     { e.int(int64(v)) }
func (e *valueEncoder) EmitInt64(_ string, v int64)     { e.int(v) }
func (e *valueEncoder) EmitUint32(_ string, v uint32)   { e.int(int64(v)) }
func (e *valueEncoder) EmitFloat32(_ string, v float32) { e.double(float64(v)) }
func (e *valueEncoder) EmitFloat64(_ string, v float64) { e.double(v) }
func (e *valueEncoder) EmitUint64(_ string, v uint64) {
	if v > math.MaxInt64 {
		e.str(strconv.FormatUint(v, 10))
		return
	}
	e.int(int64(v))
}
func (e *valueEncoder) EmitObject(_ string, v any)    { e.str(fmt.Sprint(v)) }
func (e *valueEncoder) EmitLazyLogger(log.LazyLogger) { e.str("<lazy>") }

func kind(k string) uint64 {
	switch strings.ToLower(k) {
	case "server":
		return kindServer
	case "client":
		return kindClient
	case "producer":
		return kindProducer
	case "consumer":
		return kindConsumer
	}
	return kindInternal
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

// partialSuccess reads an ExportTraceServiceResponse's partial_success.
// Bytes that are not such a message (some proxies answer with text) read
// as no partial success: they do not make a successful export fail.
func partialSuccess(b []byte) (rejected int64, message string) {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return 0, ""
		}
		b = b[n:]
		if num != responsePartialSuccess || typ != protowire.BytesType {
			if n = protowire.ConsumeFieldValue(num, typ, b); n < 0 {
				return 0, ""
			}
			b = b[n:]
			continue
		}
		m, n := protowire.ConsumeBytes(b)
		if n < 0 {
			return 0, ""
		}
		b = b[n:]
		for len(m) > 0 {
			num, typ, n := protowire.ConsumeTag(m)
			if n < 0 {
				return 0, ""
			}
			m = m[n:]
			switch {
			case num == partialRejectedSpans && typ == protowire.VarintType:
				v, n := protowire.ConsumeVarint(m)
				if n < 0 {
					return 0, ""
				}
				rejected, m = int64(v), m[n:]
			case num == partialErrorMessage && typ == protowire.BytesType:
				v, n := protowire.ConsumeString(m)
				if n < 0 {
					return 0, ""
				}
				message, m = v, m[n:]
			default:
				if n = protowire.ConsumeFieldValue(num, typ, m); n < 0 {
					return 0, ""
				}
				m = m[n:]
			}
		}
	}
	return rejected, message
}
