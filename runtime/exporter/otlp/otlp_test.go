package otlp_test

import (
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/exporter/otlp"
	"github.com/tracegen/tracegen/runtime/log"
	"github.com/tracegen/tracegen/runtime/tracer"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"
)

var t0 = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func ctxOf(trace, span byte) tracer.SpanContext {
	return tracer.SpanContext{TraceID: tracer.TraceID{0: 0xab, 15: trace}, SpanID: tracer.SpanID{0: 0xcd, 7: span}, Flags: tracer.FlagSampled}
}

func tid(trace byte) []byte { id := ctxOf(trace, 0).TraceID; return id[:] }
func sid(span byte) []byte  { id := ctxOf(0, span).SpanID; return id[:] }

func str(k, v string) *commonpb.KeyValue {
	return &commonpb.KeyValue{Key: k, Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: v}}}
}
func integer(k string, v int64) *commonpb.KeyValue {
	return &commonpb.KeyValue{Key: k, Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_IntValue{IntValue: v}}}
}
func double(k string, v float64) *commonpb.KeyValue {
	return &commonpb.KeyValue{Key: k, Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_DoubleValue{DoubleValue: v}}}
}

// sample returns spans of two resources and the request they must become.
func sample() ([]*tracer.SpanData, *tracepb.TracesData) {
	resA := &tracer.Resource{ServiceName: "frontend", Attributes: []log.Field{log.String("deployment.environment", "test"), log.Int("replica", 2)}}
	resB := &tracer.Resource{ServiceName: "backend"}
	remote := ctxOf(1, 9)
	remote.Remote = true
	server := &tracer.SpanData{
		Name: "GET /", Context: ctxOf(1, 1), Parent: remote, Kind: "server", Start: t0, End: t0.Add(5 * time.Millisecond), Resource: resA,
		Tags: []log.Field{
			log.String("http.method", "GET"), log.Int("http.status_code", 500), log.Bool("error", true),
			log.Int32("i32", -3), log.Uint32("u32", 7), log.Uint64("u64", 1<<63), log.Int64("i64", 1<<40),
			log.Float32("f32", 0.5), log.Float64("f64", 2.25), log.Error(errors.New("bad")), log.Object("obj", []int{1}), log.Noop(),
		},
		Logs: []runtime.LogRecord{
			{Timestamp: t0.Add(time.Millisecond), Fields: []log.Field{log.String("event", "cache miss"), log.String("key", "k1")}},
			{Timestamp: t0.Add(2 * time.Millisecond), Fields: []log.Field{log.String("event", "error"), log.String("message", "backend failed")}},
			{Timestamp: t0.Add(3 * time.Millisecond), Fields: []log.Field{log.Int("retries", 2)}},
		},
		Error:       true,
		DroppedTags: 2, DroppedLogs: 1,
	}
	server.Context.TraceState = "vendor=x"
	server.References = []tracer.Reference{{Type: runtime.ChildOfRef, Context: remote}}
	follower := &tracer.SpanData{
		Name: "async", Context: ctxOf(1, 2), Parent: ctxOf(1, 1), Kind: "producer", Start: t0, End: t0.Add(time.Millisecond), Resource: resB,
		References: []tracer.Reference{{Type: runtime.FollowsFromRef, Context: ctxOf(1, 1)}, {Type: runtime.FollowsFromRef, Context: ctxOf(2, 7)}},
	}
	client := &tracer.SpanData{Name: "call", Context: ctxOf(1, 3), Parent: ctxOf(1, 1), Kind: "client", Start: t0, End: t0.Add(time.Millisecond), Resource: resA}
	consumer := &tracer.SpanData{Name: "recv", Context: ctxOf(1, 4), Parent: ctxOf(1, 2), Kind: "consumer", Start: t0, End: t0.Add(time.Millisecond), Resource: resB}

	scope := &commonpb.InstrumentationScope{Name: "github.com/tracegen/tracegen"}
	ms := func(d time.Duration) uint64 { return uint64(t0.Add(d).UnixNano()) }
	want := &tracepb.TracesData{ResourceSpans: []*tracepb.ResourceSpans{
		{
			Resource: &resourcepb.Resource{Attributes: []*commonpb.KeyValue{str("service.name", "frontend"), str("deployment.environment", "test"), integer("replica", 2)}},
			ScopeSpans: []*tracepb.ScopeSpans{{Scope: scope, Spans: []*tracepb.Span{
				{
					TraceId: tid(1), SpanId: sid(1), ParentSpanId: sid(9), TraceState: "vendor=x", Flags: 0x301,
					Name: "GET /", Kind: tracepb.Span_SPAN_KIND_SERVER, StartTimeUnixNano: ms(0), EndTimeUnixNano: ms(5 * time.Millisecond),
					Attributes: []*commonpb.KeyValue{
						str("http.method", "GET"), integer("http.status_code", 500), integer("i32", -3), integer("u32", 7),
						str("u64", "9223372036854775808"), integer("i64", 1<<40), double("f32", 0.5), double("f64", 2.25),
						str("error.object", "bad"), str("obj", "[1]"),
					},
					DroppedAttributesCount: 2, DroppedEventsCount: 1,
					Events: []*tracepb.Span_Event{
						{TimeUnixNano: ms(time.Millisecond), Name: "cache miss", Attributes: []*commonpb.KeyValue{str("key", "k1")}},
						{TimeUnixNano: ms(2 * time.Millisecond), Name: "error", Attributes: []*commonpb.KeyValue{str("message", "backend failed")}},
						{TimeUnixNano: ms(3 * time.Millisecond), Name: "log", Attributes: []*commonpb.KeyValue{integer("retries", 2)}},
					},
					Status: &tracepb.Status{Code: tracepb.Status_STATUS_CODE_ERROR, Message: "backend failed"},
				},
				{
					TraceId: tid(1), SpanId: sid(3), ParentSpanId: sid(1), Flags: 0x101,
					Name: "call", Kind: tracepb.Span_SPAN_KIND_CLIENT, StartTimeUnixNano: ms(0), EndTimeUnixNano: ms(time.Millisecond),
					Attributes: []*commonpb.KeyValue{},
				},
			}}},
		},
		{
			Resource: &resourcepb.Resource{Attributes: []*commonpb.KeyValue{str("service.name", "backend")}},
			ScopeSpans: []*tracepb.ScopeSpans{{Scope: scope, Spans: []*tracepb.Span{
				{
					TraceId: tid(1), SpanId: sid(2), ParentSpanId: sid(1), Flags: 0x101,
					Name: "async", Kind: tracepb.Span_SPAN_KIND_PRODUCER, StartTimeUnixNano: ms(0), EndTimeUnixNano: ms(time.Millisecond),
					Attributes: []*commonpb.KeyValue{},
					Links:      []*tracepb.Span_Link{{TraceId: tid(2), SpanId: sid(7), Flags: 0x101, Attributes: []*commonpb.KeyValue{str("opentracing.ref_type", "follows_from")}}},
				},
				{
					TraceId: tid(1), SpanId: sid(4), ParentSpanId: sid(2), Flags: 0x101,
					Name: "recv", Kind: tracepb.Span_SPAN_KIND_CONSUMER, StartTimeUnixNano: ms(0), EndTimeUnixNano: ms(time.Millisecond),
					Attributes: []*commonpb.KeyValue{},
				},
			}}},
		},
	}}
	return []*tracer.SpanData{server, follower, client, consumer}, want
}

// receiver is an httptest OTLP/HTTP server decoding requests with the
// official protobuf definitions. (An ExportTraceServiceRequest and a
// TracesData are the same message on the wire; decoding into the second
// keeps gRPC out of this module's test dependencies.)
type receiver struct {
	mu       sync.Mutex
	reqs     []*tracepb.TracesData
	headers  []http.Header
	response []byte // an encoded ExportTraceServiceResponse
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/traces" || r.Header.Get("Content-Type") != "application/x-protobuf" {
		http.Error(w, "bad request line", http.StatusNotFound)
		return
	}
	var body io.Reader = r.Body
	if r.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		body = zr
	}
	raw, err := io.ReadAll(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	req := &tracepb.TracesData{}
	if err := proto.Unmarshal(raw, req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	rc.mu.Lock()
	rc.reqs = append(rc.reqs, req)
	rc.headers = append(rc.headers, r.Header.Clone())
	resp := rc.response
	rc.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-protobuf")
	w.Write(resp)
}

func TestExportHTTPDecodedWithOTLPProto(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		opts []otlp.Option
	}{
		{"plain", nil},
		{"gzip and headers", []otlp.Option{otlp.WithGzip(), otlp.WithHeaders(map[string]string{"Authorization": "Bearer t", "X-Tenant": "a"})}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rc := &receiver{}
			srv := httptest.NewServer(rc)
			defer srv.Close()
			exp, err := otlp.New(append([]otlp.Option{otlp.WithEndpoint(srv.URL + "/v1/traces")}, tc.opts...)...)
			if err != nil {
				t.Fatal(err)
			}
			spans, want := sample()
			if err := exp.ExportSpans(context.Background(), spans); err != nil {
				t.Fatal(err)
			}
			// A second export reuses the encoding buffer: it must not corrupt.
			if err := exp.ExportSpans(context.Background(), spans[:1]); err != nil {
				t.Fatal(err)
			}
			rc.mu.Lock()
			defer rc.mu.Unlock()
			if len(rc.reqs) != 2 {
				t.Fatalf("%d requests, want 2", len(rc.reqs))
			}
			if diff := cmp.Diff(want, rc.reqs[0], protocmp.Transform()); diff != "" {
				t.Errorf("request (-want +got):\n%s", diff)
			}
			if got := len(rc.reqs[1].ResourceSpans); got != 1 {
				t.Errorf("second request has %d resource spans, want 1", got)
			}
			for k, v := range map[string]string{"Authorization": "Bearer t", "X-Tenant": "a"} {
				if len(tc.opts) > 0 && rc.headers[0].Get(k) != v {
					t.Errorf("header %s = %q, want %q", k, rc.headers[0].Get(k), v)
				}
			}
			if got := exp.Stats().Exported.Load(); got != 5 {
				t.Errorf("Exported = %d, want 5", got)
			}
		})
	}
}

func TestPartialSuccessCounted(t *testing.T) {
	t.Parallel()
	rc := &receiver{response: partialSuccessResponse(3, "too old")}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	var reported []string
	exp, err := otlp.New(otlp.WithEndpoint(srv.URL+"/v1/traces"), otlp.WithErrorHandler(func(err error) { reported = append(reported, err.Error()) }))
	if err != nil {
		t.Fatal(err)
	}
	spans, _ := sample()
	if err := exp.ExportSpans(context.Background(), spans); err != nil {
		t.Fatal(err)
	}
	if got := exp.Stats().Rejected.Load(); got != 3 {
		t.Errorf("Rejected = %d, want 3", got)
	}
	want := []string{"otlp: partial success: 3 of 4 spans rejected: too old"}
	if diff := cmp.Diff(want, reported); diff != "" {
		t.Errorf("reported (-want +got):\n%s", diff)
	}
}

func TestExportHTTPErrors(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "unsupported", http.StatusUnsupportedMediaType)
	}))
	defer srv.Close()
	exp, err := otlp.New(otlp.WithEndpoint(srv.URL + "/v1/traces"))
	if err != nil {
		t.Fatal(err)
	}
	spans, _ := sample()
	err = exp.ExportSpans(context.Background(), spans)
	if err == nil || !strings.Contains(err.Error(), "HTTP status 415 Unsupported Media Type: unsupported") {
		t.Errorf("error %v", err)
	}
	if got := exp.Stats().Failed.Load(); got != 4 {
		t.Errorf("Failed = %d, want 4", got)
	}
	if err := exp.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := exp.ExportSpans(context.Background(), spans); !errors.Is(err, otlp.ErrShutdown) {
		t.Errorf("after shutdown: %v", err)
	}
}

// partialSuccessResponse encodes an ExportTraceServiceResponse whose
// partial_success (field 1) has rejected_spans (1) and error_message (2).
func partialSuccessResponse(rejected int64, msg string) []byte {
	var ps []byte
	ps = protowire.AppendTag(ps, 1, protowire.VarintType)
	ps = protowire.AppendVarint(ps, uint64(rejected))
	ps = protowire.AppendTag(ps, 2, protowire.BytesType)
	ps = protowire.AppendString(ps, msg)
	b := protowire.AppendTag(nil, 1, protowire.BytesType)
	return protowire.AppendBytes(b, ps)
}

// TestAppendRequestMatchesProtobuf checks the hand encoding against the
// official definitions both ways: decoded, it is the expected message; and
// it is byte for byte what protobuf's deterministic encoder writes for that
// message, so no field is written that protobuf would leave out.
func TestAppendRequestMatchesProtobuf(t *testing.T) {
	t.Parallel()
	spans, want := sample()
	got := otlp.AppendRequest(nil, spans)
	var decoded tracepb.TracesData
	if err := proto.Unmarshal(got, &decoded); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, &decoded, protocmp.Transform()); diff != "" {
		t.Errorf("decoded request (-want +got):\n%s", diff)
	}
	ref, err := proto.MarshalOptions{Deterministic: true}.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	if string(ref) != string(got) {
		t.Errorf("encoding differs from protobuf's:\n got %x\nwant %x", got, ref)
	}
	// Appending keeps what the buffer held.
	prefix := []byte("xyz")
	if out := otlp.AppendRequest(prefix, spans); string(out[:3]) != "xyz" || string(out[3:]) != string(got) {
		t.Error("AppendRequest with a non-empty buffer wrote something else")
	}
}

// TestAppendRequestLongMessages covers lengths that need two- and
// three-byte varints, for which the encoder moves a message's contents.
func TestAppendRequestLongMessages(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 127, 128, 200, 16383, 16384, 70000} {
		s := &tracer.SpanData{Name: strings.Repeat("n", n), Context: ctxOf(1, 1), Start: t0, End: t0.Add(time.Second),
			Tags: []log.Field{log.String("big", strings.Repeat("v", n))}}
		var decoded tracepb.TracesData
		if err := proto.Unmarshal(otlp.AppendRequest(nil, []*tracer.SpanData{s, s}), &decoded); err != nil {
			t.Fatalf("name of %d bytes: %v", n, err)
		}
		spans := decoded.ResourceSpans[0].ScopeSpans[0].Spans
		if len(spans) != 2 || len(spans[1].Name) != n || spans[1].Attributes[0].Value.GetStringValue() != strings.Repeat("v", n) {
			t.Errorf("name of %d bytes: decoded %d spans", n, len(spans))
		}
	}
}
