package otel_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	tracegen "github.com/tracegen/tracegen/runtime"
	otelbridge "github.com/tracegen/tracegen/runtime/bridge/otel"
	"github.com/tracegen/tracegen/runtime/fastpath"
	"github.com/tracegen/tracegen/runtime/harness"
	"github.com/tracegen/tracegen/runtime/log"
)

// TestHarness runs our compliance harness, every check on, over the bridge
// with the OpenTelemetry SDK behind it. Each check gets a fresh bridge
// tracer; they share one TracerProvider so that one probe sees every span.
func TestHarness(t *testing.T) {
	tp, rec := newSDK(t)
	harness.Run(t, func() (tracegen.Tracer, func()) {
		return otelbridge.NewTracer(tp), nil
	}, harness.UseProbe(sdkProbe{rec}))
}

func byName(spans []sdktrace.ReadOnlySpan) map[string]sdktrace.ReadOnlySpan {
	m := map[string]sdktrace.ReadOnlySpan{}
	for _, s := range spans {
		m[s.Name()] = s
	}
	return m
}

func attrs(kvs []attribute.KeyValue) map[string]any {
	m := map[string]any{}
	for _, kv := range kvs {
		m[string(kv.Key)] = kv.Value.AsInterface()
	}
	return m
}

type stringer struct{}

func (stringer) String() string { return "str" }

// TestSpansInSDK checks what reaches the SDK: names, ids, parents, links,
// kind, attributes, events, status and times.
func TestSpansInSDK(t *testing.T) {
	t.Parallel()
	tp, rec := newSDK(t)
	tr := otelbridge.NewTracer(tp)
	t0 := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

	root := tr.StartSpan("root", tracegen.StartTime(t0), tracegen.Tag{Key: "span.kind", Value: "server"})
	other := tr.StartSpan("other", tracegen.StartTime(t0))
	child := tr.StartSpan("child",
		tracegen.FollowsFrom(other.Context()),
		tracegen.ChildOf(root.Context()),
		tracegen.StartTime(t0.Add(time.Second)),
		tracegen.Tags{"s": "v", "b": true, "i": 7, "i32": int32(-3), "u64": uint64(1 << 63), "f": float32(0.5),
			"strs": []string{"a"}, "err": errors.New("e"), "str": stringer{}, "obj": struct{ A int }{1}})
	child.SetTag("span.kind", "client").SetOperationName("child-renamed")
	if ft, ok := child.(fastpath.FieldTagger); ok {
		ft.SetTagField(log.Int64("typed", 9))
	} else {
		t.Error("bridge span is not a FieldTagger")
	}
	child.LogFields(log.String("event", "cache.miss"), log.Int("n", 2),
		log.Lazy(func(e log.Encoder) { e.EmitBool("lazy", true) }), log.Noop())
	child.LogKV("k", "v")
	child.SetTag("late", 1.25)
	child.SetTag("span.kind", "producer") // too late to change the kind: an attribute
	tracegen.RecordError(child, errors.New("disk full"))
	child.FinishWithOptions(tracegen.FinishOptions{
		FinishTime: t0.Add(3 * time.Second),
		LogRecords: []tracegen.LogRecord{{Timestamp: t0.Add(2 * time.Second), Fields: []log.Field{log.String("event", "flushed")}}},
	})
	child.SetTag("after", "finish")
	other.Finish()
	root.FinishWithOptions(tracegen.FinishOptions{FinishTime: t0.Add(4 * time.Second)})

	spans := byName(rec.Ended())
	r, o, c := spans["root"], spans["other"], spans["child-renamed"]
	if r == nil || o == nil || c == nil {
		t.Fatalf("ended spans %v", rec.Ended())
	}
	if r.SpanKind() != trace.SpanKindServer || c.SpanKind() != trace.SpanKindClient || o.SpanKind() != trace.SpanKindInternal {
		t.Errorf("kinds root %v child %v other %v, want server, client, internal", r.SpanKind(), c.SpanKind(), o.SpanKind())
	}
	if r.Parent().IsValid() || c.Parent().SpanID() != r.SpanContext().SpanID() || c.SpanContext().TraceID() != r.SpanContext().TraceID() {
		t.Errorf("child's parent %v, want root %v", c.Parent(), r.SpanContext())
	}
	if len(c.Links()) != 1 || c.Links()[0].SpanContext.SpanID() != o.SpanContext().SpanID() ||
		!cmp.Equal(attrs(c.Links()[0].Attributes), map[string]any{"opentracing.ref_type": "follows_from"}) {
		t.Errorf("child links %+v, want one follows_from link to other", c.Links())
	}
	if !c.StartTime().Equal(t0.Add(time.Second)) || !c.EndTime().Equal(t0.Add(3*time.Second)) ||
		!r.StartTime().Equal(t0) || !r.EndTime().Equal(t0.Add(4*time.Second)) {
		t.Errorf("times child %v..%v root %v..%v", c.StartTime(), c.EndTime(), r.StartTime(), r.EndTime())
	}
	wantAttrs := map[string]any{
		"s": "v", "b": true, "i": int64(7), "i32": int64(-3), "u64": "9223372036854775808", "f": 0.5,
		"strs": []string{"a"}, "err": "e", "str": "str", "obj": "{1}", "typed": int64(9), "late": 1.25,
		"span.kind": "producer",
	}
	if diff := cmp.Diff(wantAttrs, attrs(c.Attributes())); diff != "" {
		t.Errorf("child attributes (-want +got):\n%s", diff)
	}
	if c.Status().Code != codes.Error || c.Status().Description != "disk full" {
		t.Errorf("child status %+v, want Error: disk full", c.Status())
	}
	type ev struct {
		Name  string
		Attrs map[string]any
	}
	var gotEvents []ev
	for _, e := range c.Events() {
		gotEvents = append(gotEvents, ev{e.Name, attrs(e.Attributes)})
	}
	wantEvents := []ev{
		{"cache.miss", map[string]any{"n": int64(2), "lazy": true}},
		{"log", map[string]any{"k": "v"}},
		{"exception", map[string]any{"exception.type": "*errors.errorString", "exception.message": "disk full"}},
		{"flushed", map[string]any{}},
	}
	if diff := cmp.Diff(wantEvents, gotEvents); diff != "" {
		t.Errorf("child events (-want +got):\n%s", diff)
	}
	if at := c.Events()[3].Time; !at.Equal(t0.Add(2 * time.Second)) {
		t.Errorf("finish log at %v, want %v", at, t0.Add(2*time.Second))
	}
	if r.Status().Code != codes.Unset {
		t.Errorf("root status %v, want Unset", r.Status())
	}
}

// TestErrorTagSetsStatus: error=true marks the span failed whether set
// before or after it starts; error=false does not.
func TestErrorTagSetsStatus(t *testing.T) {
	t.Parallel()
	tp, rec := newSDK(t)
	tr := otelbridge.NewTracer(tp)
	tr.StartSpan("early", tracegen.Tag{Key: "error", Value: true}).Finish()
	late := tr.StartSpan("late")
	_ = late.Context()
	late.SetTag("error", "true")
	late.Finish()
	tr.StartSpan("false").SetTag("error", false).Finish()
	spans := byName(rec.Ended())
	for name, want := range map[string]codes.Code{"early": codes.Error, "late": codes.Error, "false": codes.Unset} {
		if got := spans[name].Status().Code; got != want {
			t.Errorf("%s: status %v, want %v", name, got, want)
		}
		if _, ok := attrs(spans[name].Attributes())["error"]; ok {
			t.Errorf("%s: error kept as an attribute", name)
		}
	}
}

func outer(ctx context.Context) (err error) {
	defer tracegen.Start(&ctx, "outer").End(&err)
	return inner(ctx)
}

func inner(ctx context.Context) (err error) {
	defer tracegen.Start(&ctx, "inner", tracegen.KindClient).End(&err)
	return errors.New("backend down")
}

func panics(ctx context.Context) (err error) {
	defer tracegen.Start(&ctx, "panics").End(&err)
	panic("oops")
}

// TestGeneratedCodeIntoSDK: functions instrumented the way tracegen
// rewrites them deliver their spans into an OpenTelemetry SDK pipeline,
// parent links, kinds, error status and exception events intact.
func TestGeneratedCodeIntoSDK(t *testing.T) {
	tp, rec := newSDK(t)
	if err := tracegen.SetGlobalTracer(otelbridge.NewTracer(tp)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tracegen.ResetGlobalTracer)

	if err := outer(context.Background()); err == nil {
		t.Fatal("outer returned nil")
	}
	func() {
		defer func() { _ = recover() }()
		_ = panics(context.Background())
	}()

	spans := byName(rec.Ended())
	o, i, p := spans["outer"], spans["inner"], spans["panics"]
	if o == nil || i == nil || p == nil {
		t.Fatalf("ended spans %v", rec.Ended())
	}
	if o.Parent().IsValid() || i.Parent().SpanID() != o.SpanContext().SpanID() || i.SpanContext().TraceID() != o.SpanContext().TraceID() {
		t.Errorf("inner's parent %v, want outer %v", i.Parent(), o.SpanContext())
	}
	if i.SpanKind() != trace.SpanKindClient || o.SpanKind() != trace.SpanKindInternal {
		t.Errorf("kinds inner %v outer %v, want client, internal", i.SpanKind(), o.SpanKind())
	}
	for _, s := range []sdktrace.ReadOnlySpan{o, i} {
		if s.Status().Code != codes.Error || s.Status().Description != "backend down" {
			t.Errorf("%s: status %+v, want Error: backend down", s.Name(), s.Status())
		}
		if len(s.Events()) != 1 || s.Events()[0].Name != "exception" {
			t.Fatalf("%s: events %+v, want one exception", s.Name(), s.Events())
		}
		want := map[string]any{"exception.type": "*errors.errorString", "exception.message": "backend down"}
		if diff := cmp.Diff(want, attrs(s.Events()[0].Attributes)); diff != "" {
			t.Errorf("%s: exception event (-want +got):\n%s", s.Name(), diff)
		}
	}
	pe := attrs(p.Events()[0].Attributes)
	if p.Status().Code != codes.Error || pe["exception.message"] != "oops" || pe["exception.type"] != "panic: string" || pe["exception.stacktrace"] == nil {
		t.Errorf("panic span: status %+v, event %v", p.Status(), pe)
	}
}

// TestParentLinksAcrossAPIs: a tracegen span under an OpenTelemetry span
// (ContextFromOTel) and an OpenTelemetry span under a tracegen span
// (ContextForOTel) are children of each other, with baggage both ways.
func TestParentLinksAcrossAPIs(t *testing.T) {
	tp, rec := newSDK(t)
	bridge := otelbridge.NewTracer(tp)
	if err := tracegen.SetGlobalTracer(bridge); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tracegen.ResetGlobalTracer)
	otelTracer := tp.Tracer("test")

	ctx, httpSpan := otelTracer.Start(context.Background(), "otelhttp")
	ctx = bridge.ContextFromOTel(ctx)
	func(ctx context.Context) {
		defer tracegen.Start(&ctx, "handler").End(nil)
		tracegen.SpanFromContext(ctx).SetBaggageItem("tenant", "t1")
		_, lib := otelTracer.Start(otelbridge.ContextForOTel(ctx), "otel.lib")
		lib.End()
	}(ctx)
	httpSpan.End()

	spans := byName(rec.Ended())
	h, l := spans["handler"], spans["otel.lib"]
	if h.Parent().SpanID() != httpSpan.SpanContext().SpanID() || h.SpanContext().TraceID() != httpSpan.SpanContext().TraceID() {
		t.Errorf("handler's parent %v, want the OpenTelemetry span %v", h.Parent(), httpSpan.SpanContext())
	}
	if l.Parent().SpanID() != h.SpanContext().SpanID() {
		t.Errorf("otel.lib's parent %v, want handler %v", l.Parent(), h.SpanContext())
	}
	if ctx := otelbridge.ContextForOTel(context.Background()); trace.SpanFromContext(ctx).SpanContext().IsValid() {
		t.Error("ContextForOTel without a bridge span added one")
	}
	if ctx := bridge.ContextFromOTel(context.Background()); tracegen.SpanFromContext(ctx) != nil {
		t.Error("ContextFromOTel without an OpenTelemetry span added one")
	}
}

// TestPropagation: Inject writes W3C traceparent and baggage, Extract reads
// them back as a remote parent, and errors follow tracegen's contract.
func TestPropagation(t *testing.T) {
	t.Parallel()
	tp, rec := newSDK(t)
	tr := otelbridge.NewTracer(tp)
	span := tr.StartSpan("client").SetBaggageItem("odd key", "a=b;c").SetBaggageItem("user", "ann")
	sc, _ := otelbridge.SpanContextOf(span.Context())
	h := http.Header{}
	if err := tr.Inject(span.Context(), tracegen.HTTPHeaders, h); err != nil {
		t.Fatal(err)
	}
	want := "00-" + sc.TraceID().String() + "-" + sc.SpanID().String() + "-01"
	if got := h.Get("traceparent"); got != want {
		t.Errorf("traceparent %q, want %q", got, want)
	}
	if got := h.Get("baggage"); got != "odd%20key=a=b%3Bc,user=ann" && got != "user=ann,odd%20key=a=b%3Bc" {
		t.Errorf("baggage header %q", got)
	}
	got, err := tr.Extract(tracegen.HTTPHeaders, h)
	if err != nil {
		t.Fatal(err)
	}
	server := tr.StartSpan("server", tracegen.ChildOf(got))
	if server.BaggageItem("odd key") != "a=b;c" || server.BaggageItem("user") != "ann" {
		t.Errorf("baggage after the round trip: %q, %q", server.BaggageItem("odd key"), server.BaggageItem("user"))
	}
	server.Finish()
	span.Finish()
	s := byName(rec.Ended())["server"]
	if !s.Parent().IsRemote() || s.Parent().SpanID() != sc.SpanID() {
		t.Errorf("server's parent %v, want remote %v", s.Parent(), sc.SpanID())
	}

	errTests := []struct {
		name string
		err  error
		want error
	}{
		{"inject foreign", tr.Inject(harness.ForeignSpanContext{}, tracegen.TextMap, tracegen.TextMapCarrier{}), tracegen.ErrInvalidSpanContext},
		{"inject format", tr.Inject(span.Context(), "x", tracegen.TextMapCarrier{}), tracegen.ErrUnsupportedFormat},
		{"inject carrier", tr.Inject(span.Context(), tracegen.Binary, harness.NotACarrier{}), tracegen.ErrInvalidCarrier},
		{"extract empty", second(tr.Extract(tracegen.TextMap, tracegen.TextMapCarrier{})), tracegen.ErrSpanContextNotFound},
		{"extract baggage only", second(tr.Extract(tracegen.TextMap, tracegen.TextMapCarrier{"baggage": "a=b"})), tracegen.ErrSpanContextNotFound},
		{"extract garbage", second(tr.Extract(tracegen.HTTPHeaders, http.Header{"Traceparent": {"00-zz"}})), tracegen.ErrSpanContextCorrupted},
	}
	for _, e := range errTests {
		if !errors.Is(e.err, e.want) {
			t.Errorf("%s: %v, want %v", e.name, e.err, e.want)
		}
	}
}

func second(_ tracegen.SpanContext, err error) error { return err }

// TestCustomPropagator: WithPropagator replaces W3C Trace Context.
func TestCustomPropagator(t *testing.T) {
	t.Parallel()
	tp, _ := newSDK(t)
	tr := otelbridge.NewTracer(tp, otelbridge.WithPropagator(propagation.Baggage{}))
	c := tracegen.TextMapCarrier{}
	span := tr.StartSpan("x").SetBaggageItem("k", "v")
	if err := tr.Inject(span.Context(), tracegen.TextMap, c); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(tracegen.TextMapCarrier{"baggage": "k=v"}, c); diff != "" {
		t.Errorf("carrier (-want +got):\n%s", diff)
	}
}

// TestMixingWithTheGeneratedCode: with the bridge installed, the generated
// code finds OpenTelemetry spans in its context and leaves its own span
// there for OpenTelemetry instrumentation, so an OpenTelemetry → tracegen →
// OpenTelemetry → tracegen chain keeps its parent links with no helper
// calls, for Start and for StartRequest.
func TestMixingWithTheGeneratedCode(t *testing.T) {
	tp, rec := newSDK(t)
	if err := tracegen.SetGlobalTracer(otelbridge.NewTracer(tp)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tracegen.ResetGlobalTracer)
	otelTracer := tp.Tracer("test")

	repo := func(ctx context.Context) (err error) {
		defer tracegen.Start(&ctx, "repo").End(&err)
		return nil
	}
	handler := func(ctx context.Context) (err error) {
		defer tracegen.Start(&ctx, "handler", tracegen.KindServer).End(&err)
		libCtx, lib := otelTracer.Start(ctx, "otel.lib")
		defer lib.End()
		return repo(libCtx)
	}
	ctx, top := otelTracer.Start(context.Background(), "otelhttp")
	if err := handler(ctx); err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("GET", "/orders", nil).WithContext(ctx)
	func(r *http.Request) {
		defer tracegen.StartRequest(&r, "request").End(nil)
	}(req)
	top.End()

	spans := byName(rec.Ended())
	h, l, r, q := spans["handler"], spans["otel.lib"], spans["repo"], spans["request"]
	if h == nil || l == nil || r == nil || q == nil {
		t.Fatalf("ended spans %v", rec.Ended())
	}
	for _, link := range []struct {
		child, parent string
		c             sdktrace.ReadOnlySpan
		p             trace.SpanContext
	}{
		{"handler", "otelhttp", h, top.SpanContext()},
		{"otel.lib", "handler", l, h.SpanContext()},
		{"repo", "otel.lib", r, l.SpanContext()},
		{"request", "otelhttp", q, top.SpanContext()},
	} {
		if link.c.Parent().SpanID() != link.p.SpanID() || link.c.SpanContext().TraceID() != link.p.TraceID() {
			t.Errorf("%s's parent %v, want %s %v", link.child, link.c.Parent(), link.parent, link.p)
		}
	}
	if h.SpanKind() != trace.SpanKindServer {
		t.Errorf("handler kind %v, want server", h.SpanKind())
	}
}
