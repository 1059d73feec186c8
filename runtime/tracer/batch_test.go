package tracer

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/tracegen/tracegen/runtime/internal/deep"
)

// blockingExporter blocks each export until release is closed or the
// export's context ends.
type blockingExporter struct {
	memExporter
	release   chan struct{}
	started   chan struct{}
	once      sync.Once
	ignoreCtx bool // stuck even past the export's deadline
}

func newBlockingExporter() *blockingExporter {
	return &blockingExporter{release: make(chan struct{}), started: make(chan struct{})}
}

func (e *blockingExporter) ExportSpans(ctx context.Context, spans []*SpanData) error {
	e.once.Do(func() { close(e.started) })
	done := ctx.Done()
	if e.ignoreCtx {
		done = nil
	}
	select {
	case <-e.release:
		return e.memExporter.ExportSpans(ctx, spans)
	case <-done:
		return ctx.Err()
	}
}

func spansN(n int) []*SpanData {
	s := make([]*SpanData, n)
	for i := range s {
		s[i] = &SpanData{Name: "s"}
	}
	return s
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestBatchBySizeAndFlush(t *testing.T) {
	t.Parallel()
	exp := &sizesExporter{}
	bp := NewBatchProcessor(exp, WithMaxExportBatchSize(10), WithMaxQueueSize(100), WithBatchTimeout(time.Hour))
	defer bp.Shutdown(context.Background())
	for _, s := range spansN(10) {
		bp.OnEnd(s)
	}
	eventually(t, "a full batch exported", func() bool { return exp.total() == 10 })
	for _, s := range spansN(15) {
		bp.OnEnd(s)
	}
	eventually(t, "a second full batch exported", func() bool { return exp.total() >= 20 })
	if err := bp.ForceFlush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := exp.total(); got != 25 {
		t.Errorf("exported %d spans after ForceFlush, want 25", got)
	}
	for _, n := range exp.sizes() {
		if n > 10 {
			t.Errorf("batch sizes %v exceed the maximum 10", exp.sizes())
		}
	}
	if diff := deep.Diff(BatchStats{Queued: 25, Exported: 25}, bp.Stats()); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}
}

type sizesExporter struct {
	mu sync.Mutex
	n  []int
}

func (e *sizesExporter) ExportSpans(_ context.Context, s []*SpanData) error {
	e.mu.Lock()
	e.n = append(e.n, len(s))
	e.mu.Unlock()
	return nil
}
func (e *sizesExporter) Shutdown(context.Context) error { return nil }
func (e *sizesExporter) sizes() []int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]int(nil), e.n...)
}
func (e *sizesExporter) total() int {
	t := 0
	for _, n := range e.sizes() {
		t += n
	}
	return t
}

func TestBatchByInterval(t *testing.T) {
	t.Parallel()
	exp := &sizesExporter{}
	bp := NewBatchProcessor(exp, WithBatchTimeout(20*time.Millisecond))
	defer bp.Shutdown(context.Background())
	for _, s := range spansN(3) {
		bp.OnEnd(s)
	}
	eventually(t, "the interval's export", func() bool { return exp.total() == 3 })
}

func TestSlowExporterDropsAndCounts(t *testing.T) {
	t.Parallel()
	exp := newBlockingExporter()
	bp := NewBatchProcessor(exp, WithMaxQueueSize(4), WithMaxExportBatchSize(2), WithBatchTimeout(time.Hour))
	bp.OnEnd(&SpanData{})
	bp.OnEnd(&SpanData{})
	<-exp.started // the first batch is stuck in ExportSpans
	start := time.Now()
	for _, s := range spansN(100) {
		bp.OnEnd(s)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("100 OnEnd calls with a stuck exporter took %v", d)
	}
	st := bp.Stats()
	if st.Queued != 6 || st.Dropped != 96 || st.Pending != 6 {
		t.Errorf("stats with a stuck exporter = %+v, want 6 queued (2 exporting + 4), 96 dropped, 6 pending", st)
	}
	close(exp.release)
	if err := bp.ForceFlush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := bp.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	bp.OnEnd(&SpanData{})
	want := BatchStats{Queued: 6, Dropped: 97, Exported: 6}
	if diff := deep.Diff(want, bp.Stats()); diff != "" {
		t.Errorf("final stats (-want +got):\n%s", diff)
	}
	if !exp.shutdown {
		t.Error("exporter not shut down")
	}
}

func TestExportTimeoutCountsFailures(t *testing.T) {
	t.Parallel()
	exp := newBlockingExporter() // never released: every export times out
	bp := NewBatchProcessor(exp, WithExportTimeout(20*time.Millisecond))
	for _, s := range spansN(3) {
		bp.OnEnd(s)
	}
	err := bp.ForceFlush(context.Background())
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("ForceFlush = %v, want the export's deadline error", err)
	}
	if diff := deep.Diff(BatchStats{Queued: 3, Failed: 3}, bp.Stats()); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}
	_ = bp.Shutdown(context.Background())
}

func TestFlushAndShutdownHonourDeadlines(t *testing.T) {
	t.Parallel()
	exp := newBlockingExporter()
	exp.ignoreCtx = true
	bp := NewBatchProcessor(exp)
	bp.OnEnd(&SpanData{})
	for _, call := range []struct {
		name string
		fn   func(context.Context) error
	}{{"ForceFlush", bp.ForceFlush}, {"Shutdown", bp.Shutdown}} {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
		start := time.Now()
		err := call.fn(ctx)
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s with a stuck exporter = %v, want DeadlineExceeded", call.name, err)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s took %v past a 30ms deadline", call.name, d)
		}
	}
	close(exp.release)
	select {
	case <-bp.done:
	case <-time.After(5 * time.Second):
		t.Error("exporting goroutine still running after Shutdown and the export's end")
	}
}

func TestBatchProcessorNoGoroutineLeak(t *testing.T) {
	before := runtime.NumGoroutine()
	for range 20 {
		exp := newBlockingExporter()
		close(exp.release)
		bp := NewBatchProcessor(exp)
		tr := New(WithProcessor(bp))
		tr.StartSpan("op").Finish()
		if err := tr.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := len(exp.Spans()); got != 1 {
			t.Fatalf("exported %d spans at shutdown, want 1", got)
		}
	}
	eventually(t, "goroutines to end", func() bool { return runtime.NumGoroutine() <= before })
}

func TestBatchConcurrentProducers(t *testing.T) {
	t.Parallel()
	exp := &memExporter{}
	bp := NewBatchProcessor(exp, WithMaxQueueSize(1<<16))
	var wg sync.WaitGroup
	const goroutines, each = 4, 2000
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, s := range spansN(each) {
				bp.OnEnd(s)
			}
		}()
	}
	wg.Wait()
	if err := bp.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	st := bp.Stats()
	if st.Queued+st.Dropped != goroutines*each || st.Exported != st.Queued || st.Dropped != 0 {
		t.Errorf("stats = %+v, want %d queued and exported, none dropped", st, goroutines*each)
	}
	if len(exp.Spans()) != goroutines*each {
		t.Errorf("exporter got %d spans", len(exp.Spans()))
	}
}

func TestNilExporterDiscards(t *testing.T) {
	t.Parallel()
	bp := NewBatchProcessor(nil)
	bp.OnEnd(&SpanData{})
	if err := bp.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if diff := deep.Diff(BatchStats{Queued: 1, Exported: 1}, bp.Stats()); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}
}
