package tracer

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"

	"github.com/tracegen/tracegen/runtime/fastpath"
	"github.com/tracegen/tracegen/runtime/internal/deep"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/log"
)

// cloningExporter is a SpanReleaser that keeps clones of what it exports,
// and checks each span with check, if set, before the tracer reuses it.
type cloningExporter struct {
	mu    sync.Mutex
	spans []*SpanData
	check func(*SpanData) error
	errs  []error
}

func (e *cloningExporter) ExportSpans(_ context.Context, spans []*SpanData) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, s := range spans {
		if e.check != nil {
			if err := e.check(s); err != nil {
				e.errs = append(e.errs, err)
			}
		}
		e.spans = append(e.spans, s.Clone())
	}
	return nil
}

func (e *cloningExporter) Shutdown(context.Context) error { return nil }
func (e *cloningExporter) ReleasesSpans() bool            { return true }

func (e *cloningExporter) take() ([]*SpanData, []error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	s, errs := e.spans, e.errs
	e.spans, e.errs = nil, nil
	return s, errs
}

// spanDataCmp compares SpanData's exported fields and span contexts'
// baggage, and fields by key, type and value.
var spanDataCmp = deep.Options{
	deep.IgnoreUnexported(SpanData{}),

	deep.Comparer(func(a, b log.Field) bool {
		return a.Key() == b.Key() && a.Type() == b.Type() && deep.Equal(a.Value(), b.Value(), deep.EquateErrors())
	}),
}

func newReusing(t *testing.T, exp *cloningExporter, opts ...Option) (*Tracer, *BatchProcessor) {
	t.Helper()
	bp := NewBatchProcessor(exp, WithMaxExportBatchSize(16))
	tr := New(append([]Option{WithProcessor(bp)}, opts...)...)
	if !tr.reuse {
		t.Fatal("a tracer whose only processor is a BatchProcessor in front of a SpanReleaser does not reuse spans")
	}
	t.Cleanup(func() { _ = tr.Shutdown(context.Background()) })
	return tr, bp
}

// TestReusedSpanDataStartsClean fills spans with everything a span can
// record, lets them be released, and checks that the plain spans started
// afterwards, which reuse their memory, record nothing of them.
func TestReusedSpanDataStartsClean(t *testing.T) {
	exp := &cloningExporter{}
	tr, bp := newReusing(t, exp, WithSpanLimits(SpanLimits{MaxTags: 3, MaxLogs: 2, MaxFieldsPerLog: 2, MaxValueLength: 8}))
	other := tr.StartSpan("other").Context()
	ctx := context.Background()
	for i := range 200 {
		s := tr.StartSpan("full", tracegen.FollowsFrom(other), tracegen.Tags{"span.kind": "client", "a": 1})
		s.SetTag("b", "a long value to truncate").SetTag("c", true).SetTag("d", 4).SetBaggageItem("bag", strconv.Itoa(i))
		s.LogKV("event", "x", "k", "v", "k2", "v2")
		s.LogKV("event", "y")
		s.LogKV("event", "z")
		tracegen.RecordError(s, errors.New("failed"))
		s.Finish()
	}
	if err := bp.ForceFlush(ctx); err != nil {
		t.Fatal(err)
	}
	exp.take()
	for range 200 {
		tr.StartSpan("plain").Finish()
	}
	if err := bp.ForceFlush(ctx); err != nil {
		t.Fatal(err)
	}
	spans, _ := exp.take()
	if len(spans) != 200 {
		t.Fatalf("%d spans exported, want 200", len(spans))
	}
	for _, s := range spans {
		want := &SpanData{Name: "plain", Context: s.Context, Start: s.Start, End: s.End, Resource: tr.Resource()}
		if diff := deep.Diff(want, s, spanDataCmp...); diff != "" {
			t.Fatalf("plain span started after reused ones (-want +got):\n%s", diff)
		}
		if s.Context.BaggageLen() != 0 || s.Parent.IsValid() {
			t.Fatalf("plain root span has baggage or a parent: %+v", s)
		}
	}
}

// TestContextOutlivesReuse: the span in a context.Context is not reused
// with its SpanData, so children of a finished span started long after
// still get its ids and baggage.
func TestContextOutlivesReuse(t *testing.T) {
	exp := &cloningExporter{}
	tr, bp := newReusing(t, exp)
	if err := tracegen.SetGlobalTracer(tr); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tracegen.ResetGlobalTracer)

	parent := tr.StartSpan("parent")
	parent.SetBaggageItem("user", "ann")
	want := *parent.Context().(*SpanContext)
	ctx := tracegen.ContextWithSpan(context.Background(), parent)
	parent.Finish()
	for range 1000 {
		tr.StartSpan("other").SetTag("k", "v").Finish()
	}
	if err := bp.ForceFlush(context.Background()); err != nil {
		t.Fatal(err)
	}
	exp.take()

	func() {
		c := ctx
		defer tracegen.Start(&c, "child").End(nil)
		if got := tracegen.SpanFromContext(c).BaggageItem("user"); got != "ann" {
			t.Errorf("child's baggage user=%q, want ann", got)
		}
	}()
	if got := tracegen.SpanFromContext(ctx).Context().(*SpanContext); got.SpanID != want.SpanID || got.Baggage("user") != "ann" {
		t.Errorf("finished parent's context changed: %+v, want %+v", got, want)
	}
	if err := bp.ForceFlush(context.Background()); err != nil {
		t.Fatal(err)
	}
	spans, _ := exp.take()
	if len(spans) != 1 || spans[0].Name != "child" || spans[0].Parent.SpanID != want.SpanID || spans[0].Context.TraceID != want.TraceID {
		t.Fatalf("exported %+v, want one child of %v", spans, want.SpanID)
	}
}

// TestNoReuseUnlessTheOnlyConsumer: spans are reused only when the batch
// processor of a SpanReleaser is the tracer's only processor; with
// another processor, or an exporter that keeps spans, they are not.
func TestNoReuseUnlessTheOnlyConsumer(t *testing.T) {
	p := &syncProcessor{}
	bp := NewBatchProcessor(&cloningExporter{})
	tr := New(WithProcessor(bp), WithProcessor(p))
	defer tr.Shutdown(context.Background())
	if tr.reuse {
		t.Fatal("a tracer with two processors reuses spans")
	}
	for i := range 100 {
		tr.StartSpan(strconv.Itoa(i)).SetTag("i", i).Finish()
	}
	if err := bp.ForceFlush(context.Background()); err != nil {
		t.Fatal(err)
	}
	for range 100 {
		tr.StartSpan("later").SetTag("i", -1).Finish()
	}
	for i, s := range p.Spans()[:100] {
		if s.Name != strconv.Itoa(i) || len(s.Tags) != 1 || s.Tags[0].Value() != i {
			t.Fatalf("span %d kept by the other processor changed: %s %v", i, s.Name, s.Tags)
		}
	}

	kept := New(WithProcessor(NewBatchProcessor(&memExporter{})))
	defer kept.Shutdown(context.Background())
	if kept.reuse {
		t.Fatal("a tracer whose exporter is not a SpanReleaser reuses spans")
	}
}

// TestReuseConcurrent runs goroutines that record spans whose contents
// follow from their names, through a reusing tracer, and checks every
// exported span against its name: a SpanData reused while still in use
// would mix two spans. Run it with -race.
func TestReuseConcurrent(t *testing.T) {
	check := func(s *SpanData) error {
		var g, i int
		if _, err := fmt.Sscanf(s.Name, "g%d-%d", &g, &i); err != nil {
			return fmt.Errorf("span name %q: %v", s.Name, err)
		}
		want := map[string]any{"g": g, "i": strconv.Itoa(i)}
		if i%3 == 0 {
			want["error"] = true
		}
		if got := tagMap(s.Tags); !deep.Equal(got, want) {
			return fmt.Errorf("span %s: tags %v, want %v", s.Name, got, want)
		}
		if i%3 == 0 != (len(s.Logs) == 1) || s.Error != (i%3 == 0) {
			return fmt.Errorf("span %s: error %v, %d logs", s.Name, s.Error, len(s.Logs))
		}
		if len(s.Logs) == 1 && s.Logs[0].Fields[1].Value() != s.Name {
			return fmt.Errorf("span %s: error log %v", s.Name, s.Logs[0].Fields)
		}
		return nil
	}
	exp := &cloningExporter{check: check}
	tr, bp := newReusing(t, exp)
	const goroutines, spans = 8, 2000
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range spans {
				name := fmt.Sprintf("g%d-%d", g, i)
				s := tr.StartSpan(name)
				s.(*span).SetTagField(log.Int("g", g))
				s.SetTag("i", strconv.Itoa(i))
				if i%3 == 0 {
					s.(fastpath.ErrorFinisher).FinishWithError(errors.New(name))
				} else {
					s.Finish()
				}
			}
		}()
	}
	wg.Wait()
	if err := bp.ForceFlush(context.Background()); err != nil {
		t.Fatal(err)
	}
	got, errs := exp.take()
	for _, err := range errs[:min(len(errs), 5)] {
		t.Error(err)
	}
	if st := bp.Stats(); len(got) != goroutines*spans || st.Dropped != 0 {
		t.Errorf("%d spans exported, %d dropped; want %d, 0", len(got), st.Dropped, goroutines*spans)
	}
}

func TestCloneSharesNothingReused(t *testing.T) {
	tr, p := newRecorded()
	s := tr.StartSpan("s", tracegen.FollowsFrom(tr.StartSpan("o").Context()))
	s.SetTag("k", "v")
	s.LogKV("event", "e")
	s.Finish()
	orig := p.Spans()[0]
	c := orig.Clone()
	if diff := deep.Diff(orig, c, spanDataCmp...); diff != "" {
		t.Fatalf("clone differs (-orig +clone):\n%s", diff)
	}
	orig.Tags[0] = log.String("k", "changed")
	orig.Logs[0].Fields[0] = log.String("event", "changed")
	orig.References[0].Type = tracegen.ChildOfRef
	if c.Tags[0].Value() != "v" || c.Logs[0].Fields[0].Value() != "e" || c.References[0].Type != tracegen.FollowsFromRef {
		t.Errorf("clone changed with the original: %+v", c)
	}
}
