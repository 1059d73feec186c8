package tracer_test

import (
	"context"
	"errors"
	"fmt"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/tracer"
)

// printExporter prints the names of the spans it exports.
type printExporter struct{}

func (printExporter) ExportSpans(_ context.Context, spans []*tracer.SpanData) error {
	for _, s := range spans {
		fmt.Printf("%s (child of root: %v, error: %v)\n", s.Name, s.Parent.IsValid(), s.Error)
	}
	return nil
}

func (printExporter) Shutdown(context.Context) error { return nil }

func lookup(ctx context.Context, key string) (err error) {
	defer tracegen.Start(&ctx, "store.lookup").TagString("key", key).End(&err)
	return fmt.Errorf("%s: not found", key)
}

// A tracer with a batch processor, installed as the global tracer that
// generated code uses; Shutdown flushes the queued spans.
func Example() {
	bp := tracer.NewBatchProcessor(printExporter{})
	tr := tracer.New(tracer.WithServiceName("example"), tracer.WithProcessor(bp))
	if err := tracegen.SetGlobalTracer(tr); err != nil {
		panic(err)
	}
	defer tracegen.ResetGlobalTracer()

	root := tr.StartSpan("request")
	_ = lookup(tracegen.ContextWithSpan(context.Background(), root), "k1")
	root.Finish()

	if err := tr.Shutdown(context.Background()); err != nil {
		panic(err)
	}
	fmt.Printf("%+v\n", bp.Stats())
	// Output:
	// store.lookup (child of root: true, error: true)
	// request (child of root: false, error: false)
	// {Queued:2 Dropped:0 Exported:2 Failed:0 Pending:0}
}

// failureKeeper is an exporter that sends spans on (here it only counts
// them) and keeps the failed ones for later. It keeps clones, so it can
// declare that it keeps nothing of the spans themselves, and the tracer
// reuses their memory.
type failureKeeper struct {
	sent   int
	failed []*tracer.SpanData
}

func (e *failureKeeper) ExportSpans(_ context.Context, spans []*tracer.SpanData) error {
	for _, s := range spans {
		e.sent++
		if s.Error {
			e.failed = append(e.failed, s.Clone())
		}
	}
	return nil
}

func (e *failureKeeper) Shutdown(context.Context) error { return nil }

// ReleasesSpans implements tracer.SpanReleaser.
func (e *failureKeeper) ReleasesSpans() bool { return true }

// An exporter that keeps nothing of the spans once ExportSpans returns says
// so by implementing SpanReleaser; what it wants to keep, it clones.
func ExampleSpanReleaser() {
	exp := &failureKeeper{}
	tr := tracer.New(tracer.WithProcessor(tracer.NewBatchProcessor(exp)))
	for i := range 3 {
		s := tr.StartSpan(fmt.Sprintf("step-%d", i))
		if i == 1 {
			tracegen.RecordError(s, errors.New("disk full"))
		}
		s.Finish()
	}
	if err := tr.Shutdown(context.Background()); err != nil {
		panic(err)
	}
	fmt.Printf("%d sent, kept %s: %v\n", exp.sent, exp.failed[0].Name, exp.failed[0].Logs[0].Fields[1].Value())
	// Output:
	// 3 sent, kept step-1: disk full
}
