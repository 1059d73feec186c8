package opentracing_test

import (
	"bytes"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	ot "github.com/opentracing/opentracing-go"
	"github.com/opentracing/opentracing-go/ext"
	otharness "github.com/opentracing/opentracing-go/harness"
	otlog "github.com/opentracing/opentracing-go/log"

	tracegen "github.com/tracegen/tracegen/runtime"
	otbridge "github.com/tracegen/tracegen/runtime/bridge/opentracing"
	"github.com/tracegen/tracegen/runtime/mocktracer"
	"github.com/tracegen/tracegen/runtime/tracer"
)

// otProbe answers opentracing-go's harness from our span contexts' ids.
type otProbe struct{ t *testing.T }

var _ otharness.APICheckProbe = otProbe{}

func (p otProbe) spanIDs(s ot.Span) (trace, span string) {
	inner, ok := otbridge.SpanOf(s)
	if !ok {
		p.t.Errorf("span %T did not come from Wrap", s)
		return "", ""
	}
	trace, span, ok = ids(inner.Context())
	if !ok {
		p.t.Errorf("span context %T has no ids", inner.Context())
	}
	return trace, span
}

func (p otProbe) SameTrace(first, second ot.Span) bool {
	a, _ := p.spanIDs(first)
	b, _ := p.spanIDs(second)
	return a != "" && a == b
}

func (p otProbe) SameSpanContext(s ot.Span, sc ot.SpanContext) bool {
	inner, ok := otbridge.SpanContextOf(sc)
	if !ok {
		return false
	}
	trace, span, ok := ids(inner)
	wantTrace, wantSpan := p.spanIDs(s)
	return ok && trace == wantTrace && span == wantSpan
}

// ourTracers are the tracegen tracers the bridge is tested over.
var ourTracers = []struct {
	name string
	new  func() tracegen.Tracer
}{
	{"recording", func() tracegen.Tracer { return tracer.New(tracer.WithProcessor(&memProcessor{})) }},
	{"mock", func() tracegen.Tracer { return mocktracer.New() }},
}

// TestOpenTracingHarness runs opentracing-go's own API checks, every one on,
// over Wrap of each of our tracers.
func TestOpenTracingHarness(t *testing.T) {
	for _, tt := range ourTracers {
		t.Run(tt.name, func(t *testing.T) {
			otharness.RunAPIChecks(t, func() (ot.Tracer, func()) {
				return otbridge.Wrap(tt.new()), nil
			},
				otharness.CheckBaggageValues(true),
				otharness.CheckInject(true),
				otharness.CheckExtract(true),
				otharness.CheckEverything(),
				otharness.UseProbe(otProbe{t}),
			)
		})
	}
}

// TestWrapGlobalTracer: the global handle, wrapped, follows the installed
// tracer.
func TestWrapGlobalTracer(t *testing.T) {
	mt := mocktracer.New()
	if err := tracegen.SetGlobalTracer(mt); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tracegen.ResetGlobalTracer)
	otr := otbridge.Wrap(tracegen.GlobalTracer())
	parent := otr.StartSpan("parent")
	otr.StartSpan("child", ot.ChildOf(parent.Context())).Finish()
	parent.Finish()
	spans := mt.FinishedSpans()
	if len(spans) != 2 {
		t.Fatalf("got %d spans, want 2", len(spans))
	}
	if spans[0].ParentID() != spans[1].SpanID() || spans[0].TraceID() != spans[1].TraceID() {
		t.Errorf("child %v is not a child of %v", spans[0], spans[1])
	}
}

type testError struct{ msg string }

func (e *testError) Error() string { return e.msg }

// TestWrapRecordsEverything starts, tags, logs and finishes a span through
// the bridge and compares what the mock tracer recorded.
func TestWrapRecordsEverything(t *testing.T) {
	t.Parallel()
	mt := mocktracer.New()
	otr := otbridge.Wrap(mt)
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	parent := otr.StartSpan("parent", ot.StartTime(start))
	follows := otr.StartSpan("follows", ot.StartTime(start))
	foreign := otharness.ForeignSpanContext{}
	span := otr.StartSpan("child",
		ot.ChildOf(parent.Context()),
		ot.FollowsFrom(follows.Context()),
		ot.ChildOf(foreign),
		ot.StartTime(start.Add(time.Second)),
		ot.Tag{Key: "peer", Value: "db"},
		ext.SpanKindRPCClient,
		ot.Tags{"n": 7},
	)
	if got := span.SetOperationName("renamed"); got != span {
		t.Errorf("SetOperationName returned %v, want the span itself", got)
	}
	if got := span.SetTag("ok", true); got != span {
		t.Errorf("SetTag returned %v, want the span itself", got)
	}
	span.SetTag("f", 1.5)
	errBoom := &testError{"boom"}
	span.LogFields(
		otlog.String("s", "v"), otlog.Bool("b", true), otlog.Int("i", -1),
		otlog.Int32("i32", -32), otlog.Int64("i64", -64), otlog.Uint32("u32", 32),
		otlog.Uint64("u64", 64), otlog.Float32("f32", 0.5), otlog.Float64("f64", 0.25),
		otlog.Error(errBoom), otlog.Object("obj", []int{1}), otlog.Noop(),
		otlog.Lazy(func(e otlog.Encoder) { e.EmitString("lazy", "yes"); e.EmitInt64("lazyn", 9) }),
	)
	span.LogKV("event", "kv", "n", 3)
	// The deprecated calls are part of the API the bridge carries.
	//lint:ignore SA1019 the bridge must carry the deprecated call too
	span.LogEvent("ev")
	//lint:ignore SA1019 the bridge must carry the deprecated call too
	span.LogEventWithPayload("evp", 42)
	//lint:ignore SA1019 the bridge must carry the deprecated call too
	span.Log(ot.LogData{Event: "old", Payload: "p"})
	span.SetBaggageItem("bk", "bv")
	if got := span.BaggageItem("bk"); got != "bv" {
		t.Errorf("BaggageItem = %q, want bv", got)
	}
	if span.Tracer() != otr {
		t.Errorf("Tracer() is not the wrapping tracer")
	}
	finish := start.Add(3 * time.Second)
	logAt := start.Add(2 * time.Second)
	span.FinishWithOptions(ot.FinishOptions{
		FinishTime:  finish,
		LogRecords:  []ot.LogRecord{{Timestamp: logAt, Fields: []otlog.Field{otlog.String("at", "finish")}}},
		BulkLogData: []ot.LogData{{Timestamp: logAt, Event: "bulk", Payload: 1}},
	})
	parent.Finish()
	follows.Finish()

	spans := mt.FinishedSpans()
	got := spans[0]
	p, f := spans[1], spans[2]
	if got.OperationName() != "renamed" {
		t.Errorf("name = %q, want renamed", got.OperationName())
	}
	if !got.StartTime().Equal(start.Add(time.Second)) || !got.FinishTime().Equal(finish) {
		t.Errorf("times = %v..%v, want %v..%v", got.StartTime(), got.FinishTime(), start.Add(time.Second), finish)
	}
	wantRefs := []tracegen.SpanReference{
		{Type: tracegen.ChildOfRef, ReferencedContext: p.SpanContext()},
		{Type: tracegen.FollowsFromRef, ReferencedContext: f.SpanContext()},
	}
	if diff := cmp.Diff(wantRefs, got.References()); diff != "" {
		t.Errorf("references (-want +got):\n%s", diff)
	}
	wantTags := map[string]any{"peer": "db", "span.kind": "client", "n": 7, "ok": true, "f": 1.5}
	if diff := cmp.Diff(wantTags, got.Tags()); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
	kv := func(k string, v any) mocktracer.KeyValue { return mocktracer.KeyValue{Key: k, Value: v} }
	wantLogs := [][]mocktracer.KeyValue{
		{kv("s", "v"), kv("b", true), kv("i", -1), kv("i32", int32(-32)), kv("i64", int64(-64)),
			kv("u32", uint32(32)), kv("u64", uint64(64)), kv("f32", float32(0.5)), kv("f64", 0.25),
			kv("error.object", error(errBoom)), kv("obj", []int{1}), kv("lazy", "yes"), kv("lazyn", int64(9))},
		{kv("event", "kv"), kv("n", 3)},
		{kv("event", "ev")},
		{kv("event", "evp"), kv("payload", 42)},
		{kv("event", "old"), kv("payload", "p")},
		{kv("at", "finish")},
		{kv("event", "bulk"), kv("payload", 1)},
	}
	var gotLogs [][]mocktracer.KeyValue
	for i, rec := range got.Logs() {
		gotLogs = append(gotLogs, rec.Fields)
		if i >= 5 && !rec.Timestamp.Equal(logAt) {
			t.Errorf("log %d at %v, want %v", i, rec.Timestamp, logAt)
		}
	}
	if diff := cmp.Diff(wantLogs, gotLogs, cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
		t.Errorf("logs (-want +got):\n%s", diff)
	}
	var bag []string
	span.Context().ForeachBaggageItem(func(k, v string) bool { bag = append(bag, k+"="+v); return true })
	if diff := cmp.Diff([]string{"bk=bv"}, bag); diff != "" {
		t.Errorf("baggage (-want +got):\n%s", diff)
	}
}

// TestWrapPropagation injects and extracts with every opentracing-go format
// and carrier and checks the errors are opentracing-go's sentinels.
func TestWrapPropagation(t *testing.T) {
	t.Parallel()
	for _, tt := range ourTracers {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			otr := otbridge.Wrap(tt.new())
			span := otr.StartSpan("op")
			span.SetBaggageItem("user", "ann")
			defer span.Finish()
			for _, c := range []struct {
				format  any
				carrier any
			}{
				{ot.TextMap, ot.TextMapCarrier{}},
				{ot.HTTPHeaders, ot.HTTPHeadersCarrier(http.Header{})},
				{ot.HTTPHeaders, http.Header{}},
				{ot.Binary, new(bytes.Buffer)},
			} {
				if err := otr.Inject(span.Context(), c.format, c.carrier); err != nil {
					t.Fatalf("Inject(%v, %T): %v", c.format, c.carrier, err)
				}
				sc, err := otr.Extract(c.format, c.carrier)
				if err != nil {
					t.Fatalf("Extract(%v, %T): %v", c.format, c.carrier, err)
				}
				if !(otProbe{t}).SameSpanContext(span, sc) {
					t.Errorf("%v via %T: extracted context is not the span's", c.format, c.carrier)
				}
				child := otr.StartSpan("child", ot.ChildOf(sc))
				if got := child.BaggageItem("user"); got != "ann" {
					t.Errorf("%v: child baggage user = %q, want ann", c.format, got)
				}
				child.Finish()
			}

			errTests := []struct {
				name string
				err  error
				want error
			}{
				{"inject unknown format", otr.Inject(span.Context(), "nope", ot.TextMapCarrier{}), ot.ErrUnsupportedFormat},
				{"inject foreign context", otr.Inject(otharness.ForeignSpanContext{}, ot.TextMap, ot.TextMapCarrier{}), ot.ErrInvalidSpanContext},
				{"inject nil context", otr.Inject(nil, ot.HTTPHeaders, ot.HTTPHeadersCarrier{}), ot.ErrInvalidSpanContext},
				{"inject bad carrier", otr.Inject(span.Context(), ot.Binary, otharness.NotACarrier{}), ot.ErrInvalidCarrier},
				{"extract unknown format", second(otr.Extract("nope", ot.TextMapCarrier{})), ot.ErrUnsupportedFormat},
				{"extract bad carrier", second(otr.Extract(ot.TextMap, otharness.NotACarrier{})), ot.ErrInvalidCarrier},
				{"extract empty", second(otr.Extract(ot.HTTPHeaders, ot.HTTPHeadersCarrier{})), ot.ErrSpanContextNotFound},
				{"extract empty binary", second(otr.Extract(ot.Binary, new(bytes.Buffer))), ot.ErrSpanContextNotFound},
				{"extract corrupted binary", second(otr.Extract(ot.Binary, bytes.NewBufferString("\xff\xff\xff\xff"))), ot.ErrSpanContextCorrupted},
			}
			for _, e := range errTests {
				if e.err != e.want { // opentracing-go callers compare with ==
					t.Errorf("%s: error %v, want %v", e.name, e.err, e.want)
				}
			}
		})
	}
}

func second(_ ot.SpanContext, err error) error { return err }

// TestRoundTripUnwraps: the bridges never stack on each other.
func TestRoundTripUnwraps(t *testing.T) {
	t.Parallel()
	ours := mocktracer.New()
	if got := otbridge.FromOpenTracing(otbridge.Wrap(ours)); got != tracegen.Tracer(ours) {
		t.Errorf("FromOpenTracing(Wrap(x)) = %T, want x", got)
	}
	theirs := ot.NoopTracer{}
	if got := otbridge.Wrap(otbridge.FromOpenTracing(theirs)); got != ot.Tracer(theirs) {
		t.Errorf("Wrap(FromOpenTracing(y)) = %T, want y", got)
	}
	if inner, ok := otbridge.Unwrap(otbridge.Wrap(ours)); !ok || inner != tracegen.Tracer(ours) {
		t.Errorf("Unwrap(Wrap(x)) = %v, %v", inner, ok)
	}
	if inner, ok := otbridge.OpenTracingTracer(otbridge.FromOpenTracing(theirs)); !ok || inner != ot.Tracer(theirs) {
		t.Errorf("OpenTracingTracer(FromOpenTracing(y)) = %v, %v", inner, ok)
	}
	if otbridge.Wrap(nil) != nil || otbridge.FromOpenTracing(nil) != nil {
		t.Errorf("a nil tracer is not bridged to nil")
	}
	if _, ok := otbridge.SpanOf(ot.NoopTracer{}.StartSpan("x")); ok {
		t.Errorf("SpanOf accepted a span of another tracer")
	}
	if errors.Is(nil, ot.ErrInvalidCarrier) {
		t.Fatal("unreachable")
	}
}
