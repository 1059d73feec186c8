package tracer_test

import (
	"context"
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
