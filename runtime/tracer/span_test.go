package tracer

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tracegen/tracegen/runtime/fastpath"
	"github.com/tracegen/tracegen/runtime/internal/deep"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/log"
)

// syncProcessor records finished spans synchronously.
type syncProcessor struct {
	mu    sync.Mutex
	spans []*SpanData
}

func (p *syncProcessor) OnEnd(s *SpanData) {
	p.mu.Lock()
	p.spans = append(p.spans, s)
	p.mu.Unlock()
}
func (p *syncProcessor) ForceFlush(context.Context) error { return nil }
func (p *syncProcessor) Shutdown(context.Context) error   { return nil }

func (p *syncProcessor) Spans() []*SpanData {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]*SpanData(nil), p.spans...)
}

func newRecorded(opts ...Option) (*Tracer, *syncProcessor) {
	p := &syncProcessor{}
	return New(append([]Option{WithProcessor(p)}, opts...)...), p
}

func tagMap(fs []log.Field) map[string]any {
	m := map[string]any{}
	for _, f := range fs {
		m[f.Key()] = f.Value()
	}
	return m
}

func TestTagsKeepTypesAndSpecialKeys(t *testing.T) {
	t.Parallel()
	tr, rec := newRecorded()
	s := tr.StartSpan("op", tracegen.Tag{Key: "start", Value: 1.5})
	s.SetTag("s", "v").SetTag("i", 3).SetTag("i64", int64(4)).SetTag("u", uint64(5)).
		SetTag("b", true).SetTag("span.kind", "client").SetTag("error", true).SetTag("s", "replaced")
	s.(fastpath.FieldTagger).SetTagField(log.Int32("typed", 7))
	s.Finish()
	d := rec.Spans()[0]
	want := map[string]any{"start": 1.5, "s": "replaced", "i": 3, "i64": int64(4), "u": uint64(5), "b": true, "error": true, "typed": int32(7)}
	if diff := deep.Diff(want, tagMap(d.Tags)); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
	if d.Kind != "client" || !d.Error {
		t.Errorf("Kind, Error = %q, %v, want client, true", d.Kind, d.Error)
	}
	if d.Tags[len(d.Tags)-1].Key() != "typed" {
		t.Errorf("tags not in first-set order: %v", d.Tags)
	}
}

func TestSpanLimits(t *testing.T) {
	t.Parallel()
	tr, rec := newRecorded(WithSpanLimits(SpanLimits{MaxTags: 2, MaxLogs: 2, MaxFieldsPerLog: 1, MaxValueLength: 4}))
	s := tr.StartSpan("op")
	s.SetTag("a", "123456").SetTag("b", 2).SetTag("c", 3).SetTag("d", 4).SetTag("a", "é12345")
	s.LogFields(log.String("m", "abcdef"), log.Int("x", 1), log.Int("y", 2))
	s.LogKV("k", "v")
	s.LogKV("k", "v")
	s.Finish()
	d := rec.Spans()[0]
	if diff := deep.Diff(map[string]any{"a": "é12", "b": 2}, tagMap(d.Tags)); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
	if len(d.Logs) != 2 || len(d.Logs[0].Fields) != 1 || d.Logs[0].Fields[0].Value() != "abcd" {
		t.Errorf("logs = %v, want 2 logs, the first with one field m:abcd", d.Logs)
	}
	got := [3]int{d.DroppedTags, d.DroppedLogs, d.DroppedLogFields}
	if want := [3]int{2, 1, 2}; got != want {
		t.Errorf("dropped tags, logs, log fields = %v, want %v", got, want)
	}
}

func TestDefaultLimits(t *testing.T) {
	t.Parallel()
	if got, want := New().limits, (SpanLimits{128, 128, 128, int(^uint(0) >> 1)}); got != want {
		t.Errorf("default limits = %+v, want %+v", got, want)
	}
	if got := (SpanLimits{MaxTags: -1}).resolved().MaxTags; got != int(^uint(0)>>1) {
		t.Errorf("negative MaxTags resolved to %d, want no limit", got)
	}
}

func TestLogKVBadArguments(t *testing.T) {
	t.Parallel()
	tr, rec := newRecorded()
	s := tr.StartSpan("op")
	s.LogKV("a", 1, "dangling")
	s.LogKV(2, "x")
	s.Finish()
	for i, l := range rec.Spans()[0].Logs {
		last := l.Fields[len(l.Fields)-1]
		if last.Type() != log.ErrorType {
			t.Errorf("log %d = %v, want an error field last", i, l.Fields)
		}
	}
}

func TestFinishIdempotentAndCallsAfterFinish(t *testing.T) {
	t.Parallel()
	tr, rec := newRecorded()
	s := tr.StartSpan("op")
	end := time.Now().Add(time.Hour)
	s.FinishWithOptions(tracegen.FinishOptions{FinishTime: end})
	s.Finish()
	s.FinishWithOptions(tracegen.FinishOptions{LogRecords: []tracegen.LogRecord{{Timestamp: end}}})
	s.SetTag("late", 1).SetOperationName("renamed").SetBaggageItem("late", "1")
	s.LogKV("late", 1)
	s.LogFields(log.String("late", "1"))
	spans := rec.Spans()
	if len(spans) != 1 {
		t.Fatalf("%d spans exported, want 1", len(spans))
	}
	d := spans[0]
	if d.Name != "op" || len(d.Tags) != 0 || len(d.Logs) != 0 || !d.End.Equal(end) {
		t.Errorf("finished span changed after Finish: %+v", d)
	}
	if s.BaggageItem("late") != "" {
		t.Error("baggage set after Finish")
	}
	if _, ok := SpanContextOf(s.Context()); !ok {
		t.Error("Context() after Finish is not a span context of this tracer")
	}
}

func TestTimesMonotonic(t *testing.T) {
	t.Parallel()
	tr, rec := newRecorded()
	s := tr.StartSpan("op")
	time.Sleep(2 * time.Millisecond)
	s.LogKV("event", "x")
	s.Finish()
	d := rec.Spans()[0]
	if dur := d.End.Sub(d.Start); dur < 2*time.Millisecond || dur > time.Minute {
		t.Errorf("duration %v, want at least 2ms", dur)
	}
	if ts := d.Logs[0].Timestamp; ts.Before(d.Start) || ts.After(d.End) {
		t.Errorf("log at %v outside [%v, %v]", ts, d.Start, d.End)
	}
	wall := time.Now()
	if diff := wall.Sub(d.End); diff < 0 || diff > time.Second {
		t.Errorf("end %v is %v from the wall clock", d.End, diff)
	}
}

func TestBaggageIsolation(t *testing.T) {
	t.Parallel()
	tr := New()
	parent := tr.StartSpan("parent").SetBaggageItem("a", "1")
	before := parent.Context()
	child := tr.StartSpan("child", tracegen.ChildOf(parent.Context()))
	child.SetBaggageItem("b", "2").SetBaggageItem("a", "changed")
	parent.SetBaggageItem("c", "3")
	want := map[string]string{"a": "1", "c": "3"}
	if diff := deep.Diff(want, baggage(parent.Context())); diff != "" {
		t.Errorf("parent baggage (-want +got):\n%s", diff)
	}
	if diff := deep.Diff(map[string]string{"a": "changed", "b": "2"}, baggage(child.Context())); diff != "" {
		t.Errorf("child baggage (-want +got):\n%s", diff)
	}
	if diff := deep.Diff(map[string]string{"a": "1"}, baggage(before)); diff != "" {
		t.Errorf("an earlier context changed (-want +got):\n%s", diff)
	}
}

func baggage(sc tracegen.SpanContext) map[string]string {
	m := map[string]string{}
	sc.ForeachBaggageItem(func(k, v string) bool { m[k] = v; return true })
	return m
}

func TestReferences(t *testing.T) {
	t.Parallel()
	tr, rec := newRecorded()
	a, b := tr.StartSpan("a"), tr.StartSpan("b")
	s := tr.StartSpan("s", tracegen.FollowsFrom(a.Context()), tracegen.ChildOf(b.Context()), tracegen.ChildOf(tracegen.NoopTracer{}.StartSpan("x").Context()))
	s.Finish()
	d := rec.Spans()[0]
	if d.Parent.SpanID != ctxOf(b).SpanID {
		t.Errorf("parent is %v, want the ChildOf reference %v", d.Parent.SpanID, ctxOf(b).SpanID)
	}
	if len(d.References) != 2 || d.References[0].Type != tracegen.FollowsFromRef || d.References[0].Context.SpanID != ctxOf(a).SpanID {
		t.Errorf("references = %+v, want follows-from a and child-of b", d.References)
	}
	f := tr.StartSpan("f", tracegen.FollowsFrom(a.Context()))
	f.Finish()
	if got := rec.Spans()[1].Parent.SpanID; got != ctxOf(a).SpanID {
		t.Errorf("follows-from only: parent %v, want %v", got, ctxOf(a).SpanID)
	}
}

func TestSamplingPriority(t *testing.T) {
	t.Parallel()
	tr, rec := newRecorded(WithSampler(NeverSample()))
	forced := tr.StartSpan("forced", tracegen.Tag{Key: "sampling.priority", Value: 1})
	if _, ok := forced.(*span); !ok {
		t.Fatalf("sampling.priority=1 at start with NeverSample: got %T, want a recording span", forced)
	}
	child := tr.StartSpan("child", tracegen.ChildOf(forced.Context()))
	if _, ok := child.(*span); ok {
		t.Errorf("child of a forced span with NeverSample (not parent-based) was sampled")
	}
	forced.Finish()

	tr2, rec2 := newRecorded()
	dropped := tr2.StartSpan("dropped", tracegen.Tag{Key: "sampling.priority", Value: 0})
	if ctxOf(dropped).IsSampled() {
		t.Error("sampling.priority=0 at start: sampled")
	}
	late := tr2.StartSpan("late")
	late.SetTag("sampling.priority", 0)
	if ctxOf(late).IsSampled() {
		t.Error("sampling.priority=0 by SetTag: context still sampled")
	}
	lateChild := tr2.StartSpan("late child", tracegen.ChildOf(late.Context()))
	revived := tr2.StartSpan("revived")
	revived.SetTag("sampling.priority", 0).SetTag("sampling.priority", 2)
	if !ctxOf(revived).IsSampled() {
		t.Error("sampling.priority 0 then 2: context not sampled")
	}
	revived.Finish()
	dropped.Finish()
	late.Finish()
	lateChild.Finish()
	if n := len(rec.Spans()); n != 1 {
		t.Errorf("%d spans exported with priority 1, want 1", n)
	}
	if spans := rec2.Spans(); len(spans) != 1 || spans[0].Name != "revived" {
		t.Errorf("exported %d spans with priority 0, want only the revived one", len(spans))
	}
}

func TestUnsampledPropagates(t *testing.T) {
	t.Parallel()
	tr, rec := newRecorded(WithSampler(ParentBased(NeverSample())))
	root := tr.StartSpan("root").SetBaggageItem("k", "v")
	rc, ok := SpanContextOf(root.Context())
	if !ok || !rc.IsValid() || rc.IsSampled() || rc.Flags&FlagRandom == 0 {
		t.Fatalf("unsampled root context %+v, want valid ids, random flag, not sampled", rc)
	}
	child := tr.StartSpan("child", tracegen.ChildOf(root.Context()))
	cc := ctxOf(child)
	if child == root || cc.TraceID != rc.TraceID || cc.SpanID == rc.SpanID || cc.IsSampled() {
		t.Errorf("child of an unsampled span: context %+v, want its own span id in trace %v, not sampled", cc, rc.TraceID)
	}
	child.SetBaggageItem("child-only", "x")
	if got := root.BaggageItem("child-only"); got != "" {
		t.Errorf("baggage set on the unsampled child is visible on its parent: %q", got)
	}
	if got := child.BaggageItem("k"); got != "v" {
		t.Errorf("unsampled child's baggage k = %q, want the parent's v", got)
	}
	h := tracegen.TextMapCarrier{}
	if err := tr.Inject(child.Context(), tracegen.TextMap, h); err != nil {
		t.Fatal(err)
	}
	sc, err := tr.Extract(tracegen.TextMap, h)
	if err != nil {
		t.Fatal(err)
	}
	remote := tr.StartSpan("remote child", tracegen.ChildOf(sc))
	got := ctxOf(remote)
	if got.TraceID != rc.TraceID || got.IsSampled() || got.Baggage("k") != "v" {
		t.Errorf("child of extracted unsampled context = %+v, want trace %v, unsampled, baggage k=v", got, rc.TraceID)
	}
	root.Finish()
	child.Finish()
	remote.Finish()
	if n := len(rec.Spans()); n != 0 {
		t.Errorf("%d unsampled spans exported", n)
	}
}

// TestUnsampledSkipChildren checks which samplers let runtime.Start skip
// the children of unsampled spans, and that it then leaves the context as
// it is.
func TestUnsampledSkipChildren(t *testing.T) {
	for _, tc := range []struct {
		name    string
		sampler Sampler
		skip    bool
	}{
		{"never", NeverSample(), true},
		{"parent-based", ParentBased(NeverSample()), true},
		{"parent-based ratio", ParentBased(TraceIDRatio(0)), true},
		{"parent-based, local unsampled parent sampled", ParentBased(NeverSample(), WithLocalParentNotSampled(AlwaysSample())), false},
		{"ratio", TraceIDRatio(0), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := New(WithSampler(tc.sampler))
			root := tr.StartSpan("root", tracegen.Tag{Key: "sampling.priority", Value: 0})
			sk, ok := root.(fastpath.ChildSkipper)
			if !ok {
				t.Fatalf("unsampled span %T is not a fastpath.ChildSkipper", root)
			}
			if got := sk.SkipChildren(); got != tc.skip {
				t.Errorf("SkipChildren() = %v, want %v", got, tc.skip)
			}
		})
	}

	tr := New(WithSampler(ParentBased(NeverSample())))
	if err := tracegen.SetGlobalTracer(tr); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tracegen.ResetGlobalTracer)
	outer := tracegen.ContextWithSpan(context.Background(), tr.StartSpan("root"))
	ctx := outer
	sc := tracegen.Start(&ctx, "skipped")
	if sc.Span() != nil || ctx != outer {
		t.Errorf("Start under an unsampled span: span %v, context replaced %v; want no span and the context kept", sc.Span(), ctx != outer)
	}
	sc.End(nil)
}

// TestUnsampledStartEndAllocs checks the generated code's path with an
// unsampled parent allocates nothing.
func TestUnsampledStartEndAllocs(t *testing.T) {
	tr := New(WithSampler(ParentBased(NeverSample())))
	if err := tracegen.SetGlobalTracer(tr); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tracegen.ResetGlobalTracer)
	ctx := tracegen.ContextWithSpan(context.Background(), tr.StartSpan("root"))
	allocs := testing.AllocsPerRun(1000, func() { _ = traced(ctx, nil) })
	if allocs != 0 {
		t.Errorf("Start/End under an unsampled parent: %v allocations, want 0", allocs)
	}
}

func traced(ctx context.Context, fail error) (err error) {
	defer tracegen.Start(&ctx, "traced").TagString("k", "v").End(&err)
	return fail
}

// TestSampledStartEndAllocs counts the generated code's allocations with a
// batch processor in front of the exporter, the production setup. With an
// exporter that releases spans (the discarding one here, like the OTLP,
// Zipkin and JSON exporters), a span allocates only itself (it is also the
// context.Context holding it) once the processor has given back the
// SpanData of earlier spans; with one that keeps them, the span and its
// SpanData are one allocation and the tag and log storage a second.
func TestSampledStartEndAllocs(t *testing.T) {
	fail := errors.New("failed")
	for _, tc := range []struct {
		name          string
		exp           Exporter
		plain, tagged float64
		wantReuse     bool
	}{
		{name: "released", exp: nil, plain: 1, tagged: 1, wantReuse: true},
		{name: "kept", exp: &memExporter{}, plain: 1, tagged: 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.wantReuse && raceEnabled {
				t.Skip("the race detector drops pooled SpanData at random; reuse is measured without -race")
			}
			bp := NewBatchProcessor(tc.exp)
			t.Cleanup(func() { _ = bp.Shutdown(context.Background()) })
			tr := New(WithProcessor(bp))
			if tr.reuse != tc.wantReuse {
				t.Fatalf("tracer reuses SpanData: %v, want %v", tr.reuse, tc.wantReuse)
			}
			if err := tracegen.SetGlobalTracer(tr); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(tracegen.ResetGlobalTracer)
			ctx := tracegen.ContextWithSpan(context.Background(), tr.StartSpan("root"))
			// Fill the pool: spans whose SpanData have been exported and
			// given back, more than the runs below start.
			for range 4096 {
				_ = tracedTwoTags(ctx, fail)
			}
			if err := bp.ForceFlush(context.Background()); err != nil {
				t.Fatal(err)
			}
			tests := []struct {
				name string
				fn   func()
				max  float64
			}{
				{"plain", func() { _ = plainTraced(ctx) }, tc.plain},
				{"tag", func() { _ = traced(ctx, nil) }, tc.tagged},
				{"tag and error", func() { _ = traced(ctx, fail) }, tc.tagged},
				{"two tags and error", func() { _ = tracedTwoTags(ctx, fail) }, tc.tagged},
			}
			for _, tt := range tests {
				// Every earlier span back in the pool.
				if err := bp.ForceFlush(context.Background()); err != nil {
					t.Fatal(err)
				}
				if allocs := testing.AllocsPerRun(1000, tt.fn); allocs > tt.max {
					t.Errorf("%s: %v allocations, want at most %v", tt.name, allocs, tt.max)
				}
			}
		})
	}
}

func plainTraced(ctx context.Context) (err error) {
	defer tracegen.Start(&ctx, "plain").End(&err)
	return nil
}

type nopProcessor struct{}

func (*nopProcessor) OnEnd(*SpanData)                  {}
func (*nopProcessor) ForceFlush(context.Context) error { return nil }
func (*nopProcessor) Shutdown(context.Context) error   { return nil }

func TestRecordErrorThroughScope(t *testing.T) {
	tr, rec := newRecorded(WithServiceName("svc"))
	if err := tracegen.SetGlobalTracer(tr); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tracegen.ResetGlobalTracer)
	root := tr.StartSpan("root")
	ctx := tracegen.ContextWithSpan(context.Background(), root)
	_ = traced(ctx, errors.New("boom"))
	root.Finish()
	d := rec.Spans()[0]
	if d.Name != "traced" || !d.Error || d.Parent.SpanID != ctxOf(root).SpanID || d.Resource.ServiceName != "svc" {
		t.Errorf("span = %+v, want traced, error, child of root, service svc", d)
	}
	if len(d.Logs) != 1 || eventOf(d.Logs[0]) != "error" {
		t.Errorf("logs = %v, want one error event", d.Logs)
	}
}

func eventOf(r tracegen.LogRecord) string {
	for _, f := range r.Fields {
		if f.Key() == "event" {
			s, _ := f.Value().(string)
			return s
		}
	}
	return ""
}

func TestConcurrentUseOfOneSpan(t *testing.T) {
	t.Parallel()
	tr, rec := newRecorded(WithSpanLimits(SpanLimits{MaxLogs: -1, MaxTags: -1}))
	s := tr.StartSpan("shared")
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				s.SetTag("k"+strings.Repeat("x", g), i)
				s.LogKV("g", g, "i", i)
				s.SetBaggageItem("b", "v")
				_ = s.BaggageItem("b")
				child := tr.StartSpan("child", tracegen.ChildOf(s.Context()))
				child.Finish()
				if i == 50 {
					s.Finish()
				}
			}
		}()
	}
	wg.Wait()
	var shared *SpanData
	for _, d := range rec.Spans() {
		if d.Name == "shared" {
			if shared != nil {
				t.Fatal("shared span exported twice")
			}
			shared = d
		}
	}
	if shared == nil {
		t.Fatal("shared span not exported")
	}
}

func TestServiceNameAndResource(t *testing.T) {
	t.Parallel()
	res := &Resource{ServiceName: "from-resource", Attributes: []log.Field{log.String("env", "test")}}
	tests := []struct {
		name string
		opts []Option
		want string
	}{
		{"resource", []Option{WithResource(res)}, "from-resource"},
		{"service name wins", []Option{WithResource(res), WithServiceName("svc")}, "svc"},
		{"default", nil, "unknown_service:"},
	}
	for _, tt := range tests {
		got := New(tt.opts...).Resource().ServiceName
		if !strings.HasPrefix(got, tt.want) {
			t.Errorf("%s: service name %q, want %q", tt.name, got, tt.want)
		}
	}
	res.ServiceName = "changed"
	if New(WithResource(res)).Resource() == res {
		t.Error("WithResource kept the caller's pointer")
	}
}

func TestClock(t *testing.T) {
	t.Parallel()
	c := newClock()
	prev := c.now()
	for range 1000 {
		n := c.now()
		if n.Before(prev) {
			t.Fatalf("clock went back from %v to %v", prev, n)
		}
		prev = n
	}
	old := time.Now().Add(-2 * anchorPeriod)
	c.anchor.Store(&old)
	if d := time.Since(c.now()); d < 0 || d > anchorPeriod {
		t.Errorf("after a stale anchor the clock is %v off", d)
	}
	if a := c.anchor.Load(); time.Since(*a) > anchorPeriod {
		t.Error("stale anchor not renewed")
	}
}

// plainSpan hides the span's optional interfaces.
type plainSpan struct{ tracegen.Span }

func fieldsOf(d *SpanData) (tags map[string]any, logs [][]string) {
	for _, l := range d.Logs {
		var fs []string
		for _, f := range l.Fields {
			fs = append(fs, f.String())
		}
		logs = append(logs, fs)
	}
	return tagMap(d.Tags), logs
}

func TestRecordErrorMatchesGenericPath(t *testing.T) {
	t.Parallel()
	tr, rec := newRecorded()
	err := errors.New("boom")
	fast := tr.StartSpan("fast")
	tracegen.RecordError(fast, err)
	tracegen.RecordError(fast, err) // a second error gets its own log
	fast.Finish()
	slow := tr.StartSpan("slow")
	tracegen.RecordError(plainSpan{slow}, err)
	tracegen.RecordError(plainSpan{slow}, err)
	slow.Finish()
	spans := rec.Spans()
	ft, fl := fieldsOf(spans[0])
	st, sl := fieldsOf(spans[1])
	if diff := deep.Diff(st, ft); diff != "" {
		t.Errorf("tags (-generic +ErrorRecorder):\n%s", diff)
	}
	if diff := deep.Diff(sl, fl); diff != "" {
		t.Errorf("logs (-generic +ErrorRecorder):\n%s", diff)
	}
	if !spans[0].Error || len(fl) != 2 {
		t.Errorf("Error %v, %d logs; want true, 2", spans[0].Error, len(fl))
	}
}

// TestStartEndWithError checks the generated code's path on a returned
// error: the span is the context inside the function, the error is
// recorded once, and its log is stamped with the span's end.
func TestStartEndWithError(t *testing.T) {
	tr, rec := newRecorded()
	if err := tracegen.SetGlobalTracer(tr); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tracegen.ResetGlobalTracer)
	fail := fmt.Errorf("wrapped: %w", errors.New("inner"))
	var inside context.Context
	f := func(ctx context.Context) (err error) {
		defer tracegen.Start(&ctx, "f").TagString("a", "alpha").End(&err)
		inside = ctx
		return fail
	}
	_ = f(context.Background())
	spans := rec.Spans()
	if len(spans) != 1 {
		t.Fatalf("%d spans, want 1", len(spans))
	}
	d := spans[0]
	if sp, ok := tracegen.SpanFromContext(inside).(*span); !ok || sp.data != d || inside != context.Context(&sp.active) {
		t.Errorf("context inside f is %T, want the span's ActiveContext", inside)
	}
	if diff := deep.Diff(map[string]any{"a": "alpha", "error": true}, tagMap(d.Tags)); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
	if len(d.Logs) != 1 || !d.Logs[0].Timestamp.Equal(d.End) || !d.Error {
		t.Fatalf("logs %+v (end %v), error %v; want one error log at the end", d.Logs, d.End, d.Error)
	}
	want := map[string]any{"event": "error", "message": "wrapped: inner", "error.kind": "*fmt.wrapError", "error.object": fail}
	if diff := deep.Diff(want, tagMap(d.Logs[0].Fields), deep.Comparer(func(a, b error) bool { return a == b })); diff != "" {
		t.Errorf("error log (-want +got):\n%s", diff)
	}
}
