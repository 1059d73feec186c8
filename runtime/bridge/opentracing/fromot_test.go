package opentracing_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	ot "github.com/opentracing/opentracing-go"
	otmock "github.com/opentracing/opentracing-go/mocktracer"

	tracegen "github.com/tracegen/tracegen/runtime"
	otbridge "github.com/tracegen/tracegen/runtime/bridge/opentracing"
	"github.com/tracegen/tracegen/runtime/harness"
	"github.com/tracegen/tracegen/runtime/log"
)

// mockProbe answers our harness from opentracing-go mocktracer's spans.
// It is a Probe, a TagProbe and a TimeProbe; it cannot be a LogProbe, since
// the mocktracer keeps log values only as strings and reflect.Kinds, while
// LogProbe must return each field with its Go type.
type mockProbe struct{}

var (
	_ harness.Probe     = mockProbe{}
	_ harness.TagProbe  = mockProbe{}
	_ harness.TimeProbe = mockProbe{}
)

func mockSpan(s tracegen.Span) *otmock.MockSpan {
	o, ok := otbridge.OpenTracingSpan(s)
	if !ok {
		return nil
	}
	m, _ := o.(*otmock.MockSpan)
	return m
}

func mockContext(sc tracegen.SpanContext) (otmock.MockSpanContext, bool) {
	o, ok := otbridge.OpenTracingSpanContext(sc)
	if !ok {
		return otmock.MockSpanContext{}, false
	}
	m, ok := o.(otmock.MockSpanContext)
	return m, ok
}

func (mockProbe) SameTrace(a, b tracegen.Span) bool {
	ca, ok1 := mockContext(a.Context())
	cb, ok2 := mockContext(b.Context())
	return ok1 && ok2 && ca.TraceID == cb.TraceID
}

func (mockProbe) SameSpanContext(s tracegen.Span, sc tracegen.SpanContext) bool {
	want, ok1 := mockContext(s.Context())
	got, ok2 := mockContext(sc)
	return ok1 && ok2 && want.TraceID == got.TraceID && want.SpanID == got.SpanID
}

func (mockProbe) IsParent(parent, child tracegen.Span) bool {
	c := mockSpan(child)
	if c == nil {
		return false
	}
	cc, _ := mockContext(child.Context())
	if parent == nil {
		return c.ParentID == 0
	}
	p, ok := mockContext(parent.Context())
	return ok && c.ParentID == p.SpanID && cc.TraceID == p.TraceID
}

func (mockProbe) Tag(s tracegen.Span, key string) (any, bool) {
	v, ok := mockSpan(s).Tags()[key]
	return v, ok
}

func (mockProbe) Times(s tracegen.Span) (start, finish time.Time) {
	m := mockSpan(s)
	m.RLock()
	defer m.RUnlock()
	return m.StartTime, m.FinishTime
}

// TestHarnessOverOpenTracingMock runs our compliance harness over
// FromOpenTracing of opentracing-go's mocktracer.
//
// The bridge passes every check ("strict propagation") when the wrapped
// tracer's own TextMap propagation meets tracegen's contract. The stock
// mocktracer's does not, in two ways the bridge passes through unchanged:
// it lowercases baggage keys when extracting a TextMap, and it reports a
// carrier with garbage ids as ErrSpanContextNotFound rather than
// ErrSpanContextCorrupted. So the strict run registers a case-keeping,
// corruption-reporting TextMap extractor on the mocktracer (its Inject is
// the mocktracer's own), and the stock run switches off exactly the
// baggage-value and corrupted-carrier checks. Binary works in both through
// the bridge's TextMap encoding, since the mocktracer has no Binary.
func TestHarnessOverOpenTracingMock(t *testing.T) {
	t.Run("strict propagation", func(t *testing.T) {
		harness.Run(t, func() (tracegen.Tracer, func()) {
			mt := otmock.New()
			mt.RegisterExtractor(ot.TextMap, strictExtractor{})
			mt.RegisterExtractor(ot.HTTPHeaders, strictExtractor{http: true})
			return otbridge.FromOpenTracing(mt), nil
		}, harness.UseProbe(mockProbe{}))
	})
	t.Run("stock mocktracer", func(t *testing.T) {
		harness.Run(t, func() (tracegen.Tracer, func()) {
			return otbridge.FromOpenTracing(otmock.New()), nil
		}, harness.UseProbe(mockProbe{}), harness.CheckBaggageValues(false), harness.CheckCorruptedCarriers(false))
	})
}

// strictExtractor reads what the mocktracer's TextMap injector writes,
// keeping baggage keys as written and reporting unparsable ids as
// corrupted. For HTTPHeaders it unescapes baggage values as the mocktracer
// escapes them.
type strictExtractor struct{ http bool }

func (x strictExtractor) Extract(carrier any) (otmock.MockSpanContext, error) {
	const ids, bag = "mockpfx-ids-", "mockpfx-baggage-"
	r, ok := carrier.(ot.TextMapReader)
	if !ok {
		return otmock.MockSpanContext{}, ot.ErrInvalidCarrier
	}
	c := otmock.MockSpanContext{Sampled: true}
	found, corrupted := false, false
	err := r.ForeachKey(func(key, val string) error {
		var err error
		switch lower := strings.ToLower(key); {
		case lower == ids+"traceid":
			found = true
			c.TraceID, err = strconv.Atoi(val)
		case lower == ids+"spanid":
			found = true
			c.SpanID, err = strconv.Atoi(val)
		case lower == ids+"sampled":
			c.Sampled, err = strconv.ParseBool(val)
		case strings.HasPrefix(lower, bag):
			if c.Baggage == nil {
				c.Baggage = map[string]string{}
			}
			if x.http {
				val, err = url.QueryUnescape(val)
			}
			c.Baggage[key[len(bag):]] = val
		}
		if err != nil {
			corrupted = true
		}
		return nil
	})
	switch {
	case err != nil:
		return otmock.MockSpanContext{}, err
	case !found:
		return otmock.MockSpanContext{}, ot.ErrSpanContextNotFound
	case corrupted || c.TraceID == 0 || c.SpanID == 0:
		return otmock.MockSpanContext{}, ot.ErrSpanContextCorrupted
	}
	return c, nil
}

// TestFromOpenTracingRecordsEverything starts, tags, logs and finishes a
// span through the bridge and compares what opentracing-go's mocktracer
// recorded.
func TestFromOpenTracingRecordsEverything(t *testing.T) {
	t.Parallel()
	mt := otmock.New()
	tr := otbridge.FromOpenTracing(mt)
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	parent := tr.StartSpan("parent")
	span := tr.StartSpan("child", tracegen.FollowsFrom(parent.Context()), tracegen.StartTime(start),
		tracegen.Tag{Key: "k", Value: int64(5)})
	span.SetTag("s", "v").SetOperationName("renamed")
	span.LogFields(
		log.String("s", "v"), log.Bool("b", true), log.Int("i", -1), log.Int32("i32", -32),
		log.Int64("i64", -64), log.Uint32("u32", 32), log.Uint64("u64", 64),
		log.Float32("f32", 0.5), log.Float64("f64", 0.25), log.Error(errors.New("boom")),
		log.Object("obj", []int{1}), log.Noop(),
		log.Lazy(func(e log.Encoder) { e.EmitString("lazy", "yes") }),
	)
	span.LogKV("odd")
	logAt := start.Add(time.Second)
	span.FinishWithOptions(tracegen.FinishOptions{
		FinishTime: start.Add(2 * time.Second),
		LogRecords: []tracegen.LogRecord{{Timestamp: logAt, Fields: []log.Field{log.String("at", "finish")}}},
	})
	span.SetTag("late", 1)
	span.LogFields(log.String("late", "x"))
	span.Finish()
	parent.Finish()

	spans := mt.FinishedSpans()
	if len(spans) != 2 {
		t.Fatalf("got %d finished spans, want 2 (Finish must have one effect)", len(spans))
	}
	got, p := spans[0], spans[1]
	if got.OperationName != "renamed" || got.ParentID != p.SpanContext.SpanID || got.SpanContext.TraceID != p.SpanContext.TraceID {
		t.Errorf("span %v: want renamed, child of %v", got, p)
	}
	if !got.StartTime.Equal(start) || !got.FinishTime.Equal(start.Add(2*time.Second)) {
		t.Errorf("times %v..%v", got.StartTime, got.FinishTime)
	}
	if diff := cmp.Diff(map[string]any{"k": int64(5), "s": "v"}, got.Tags()); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
	kv := func(k string, kind reflect.Kind, v string) otmock.MockKeyValue {
		return otmock.MockKeyValue{Key: k, ValueKind: kind, ValueString: v}
	}
	want := [][]otmock.MockKeyValue{
		{kv("s", reflect.String, "v"), kv("b", reflect.Bool, "true"), kv("i", reflect.Int, "-1"),
			kv("i32", reflect.Int32, "-32"), kv("i64", reflect.Int64, "-64"), kv("u32", reflect.Uint32, "32"),
			kv("u64", reflect.Uint64, "64"), kv("f32", reflect.Float32, "0.5"), kv("f64", reflect.Float64, "0.25"),
			kv("error.object", reflect.String, "boom"), kv("obj", reflect.Slice, "[1]"), kv("lazy", reflect.String, "yes")},
		{kv("error.object", reflect.String, "non-even keyValues len: 1")},
		{kv("at", reflect.String, "finish")},
	}
	var gotLogs [][]otmock.MockKeyValue
	for _, r := range got.Logs() {
		gotLogs = append(gotLogs, r.Fields)
	}
	if diff := cmp.Diff(want, gotLogs); diff != "" {
		t.Errorf("logs (-want +got):\n%s", diff)
	}
	if at := got.Logs()[2].Timestamp; !at.Equal(logAt) {
		t.Errorf("finish log at %v, want %v", at, logAt)
	}
}

// TestFromOpenTracingCarriers: tracegen's carriers, including http.Header
// and map[string]string, work with an opentracing-go tracer.
func TestFromOpenTracingCarriers(t *testing.T) {
	t.Parallel()
	tr := otbridge.FromOpenTracing(otmock.New())
	span := tr.StartSpan("op").SetBaggageItem("user", "ann")
	for _, c := range []struct {
		format  tracegen.BuiltinFormat
		carrier any
	}{
		{tracegen.TextMap, map[string]string{}},
		{tracegen.TextMap, tracegen.TextMapCarrier{}},
		{tracegen.HTTPHeaders, http.Header{}},
		{tracegen.HTTPHeaders, tracegen.HTTPHeadersCarrier{}},
	} {
		if err := tr.Inject(span.Context(), c.format, c.carrier); err != nil {
			t.Fatalf("Inject(%v, %T): %v", c.format, c.carrier, err)
		}
		sc, err := tr.Extract(c.format, c.carrier)
		if err != nil || !(mockProbe{}).SameSpanContext(span, sc) {
			t.Errorf("Extract(%v, %T) = %v, %v; want the span's context", c.format, c.carrier, sc, err)
		}
		if child := tr.StartSpan("c", tracegen.ChildOf(sc)); child.BaggageItem("user") != "ann" {
			t.Errorf("%v via %T: baggage lost", c.format, c.carrier)
		}
	}
}

// TestGeneratedCodeOnOpenTracing: code written against the generated-code
// API records into an opentracing-go tracer with parent links and errors.
func TestGeneratedCodeOnOpenTracing(t *testing.T) {
	mt := otmock.New()
	if err := tracegen.SetGlobalTracer(otbridge.FromOpenTracing(mt)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tracegen.ResetGlobalTracer)

	rootSpan := otbridge.FromOpenTracing(mt).StartSpan("root")
	err := outer(tracegen.ContextWithSpan(context.Background(), rootSpan))
	rootSpan.Finish()
	if err == nil {
		t.Fatal("outer returned no error")
	}

	byName := map[string]*otmock.MockSpan{}
	for _, s := range mt.FinishedSpans() {
		byName[s.OperationName] = s
	}
	in, out, r := byName["pkg.inner"], byName["pkg.outer"], byName["root"]
	if in == nil || out == nil || r == nil {
		t.Fatalf("finished spans %v, want pkg.inner, pkg.outer, root", mt.FinishedSpans())
	}
	if out.ParentID != r.SpanContext.SpanID || in.ParentID != out.SpanContext.SpanID ||
		in.SpanContext.TraceID != r.SpanContext.TraceID {
		t.Errorf("parent links: root %v, outer %v, inner %v", r, out, in)
	}
	for _, s := range []*otmock.MockSpan{in, out} {
		if s.Tag("error") != true {
			t.Errorf("%s: error tag = %v, want true", s.OperationName, s.Tag("error"))
		}
		logs := s.Logs()
		if len(logs) != 1 {
			t.Fatalf("%s: %d logs, want 1 error log", s.OperationName, len(logs))
		}
		fields := map[string]string{}
		for _, f := range logs[0].Fields {
			fields[f.Key] = f.ValueString
		}
		want := map[string]string{"event": "error", "message": errNotFound.Error(), "error.kind": "*errors.errorString", "error.object": errNotFound.Error()}
		if diff := cmp.Diff(want, fields); diff != "" {
			t.Errorf("%s: error log (-want +got):\n%s", s.OperationName, diff)
		}
	}
}

var errNotFound = errors.New("not found")

func outer(ctx context.Context) (err error) {
	defer tracegen.Start(&ctx, "pkg.outer").End(&err)
	return inner(ctx)
}

func inner(ctx context.Context) (err error) {
	defer tracegen.Start(&ctx, "pkg.inner").End(&err)
	return errNotFound
}

// TestFromOpenTracingBinaryNative: a tracer with its own Binary format is
// used as it is, not through the TextMap encoding.
func TestFromOpenTracingBinaryNative(t *testing.T) {
	t.Parallel()
	nb := &nativeBinary{MockTracer: otmock.New()}
	tr := otbridge.FromOpenTracing(nb)
	span := tr.StartSpan("op")
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(tr.Inject(span.Context(), tracegen.Binary, pw)) }()
	sc, err := tr.Extract(tracegen.Binary, pr)
	if err != nil || !(mockProbe{}).SameSpanContext(span, sc) {
		t.Fatalf("Extract = %v, %v", sc, err)
	}
	if nb.injected != 1 || nb.extracted != 1 {
		t.Errorf("native Binary used %d/%d times, want 1/1", nb.injected, nb.extracted)
	}
}

// nativeBinary adds a Binary format to the mocktracer: the ids as text.
type nativeBinary struct {
	*otmock.MockTracer
	injected, extracted int
}

func (n *nativeBinary) Inject(sc ot.SpanContext, format, carrier any) error {
	if format != ot.Binary {
		return n.MockTracer.Inject(sc, format, carrier)
	}
	n.injected++
	c := sc.(otmock.MockSpanContext)
	_, err := fmt.Fprintf(carrier.(io.Writer), "%d %d\n", c.TraceID, c.SpanID)
	return err
}

func (n *nativeBinary) Extract(format, carrier any) (ot.SpanContext, error) {
	if format != ot.Binary {
		return n.MockTracer.Extract(format, carrier)
	}
	n.extracted++
	var c otmock.MockSpanContext
	if _, err := fmt.Fscanf(carrier.(io.Reader), "%d %d\n", &c.TraceID, &c.SpanID); err != nil {
		return nil, ot.ErrSpanContextCorrupted
	}
	return c, nil
}
