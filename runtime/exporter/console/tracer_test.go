package console_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/exporter/console"
	"github.com/tracegen/tracegen/runtime/internal/deep"
	"github.com/tracegen/tracegen/runtime/tracer"
)

// TestTreeWithTracer is the zero-setup use: the recording tracer, a batch
// processor and the tree exporter, with spans from the generated-code API
// (which uses the global tracer, so this test is not parallel).
func TestTreeWithTracer(t *testing.T) {
	var out bytes.Buffer
	tr := tracer.New(
		tracer.WithServiceName("example"),
		tracer.WithProcessor(tracer.NewBatchProcessor(console.NewTree(&out, console.WithoutTimes()))),
	)
	if err := tracegen.SetGlobalTracer(tr); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tracegen.ResetGlobalTracer)
	ctx := tracegen.ContextWithSpan(context.Background(), tr.StartSpan("main"))
	handle := func(ctx context.Context, name string, fail bool) (err error) {
		defer tracegen.Start(&ctx, name).End(&err)
		if fail {
			return errors.New("no such user")
		}
		return nil
	}
	crash := func(ctx context.Context) {
		defer func() { _ = recover() }()
		func() {
			defer tracegen.Start(&ctx, "parse").End(nil)
			panic("empty address")
		}()
	}
	handle(ctx, "load", false)
	handle(ctx, "save", true)
	crash(ctx)
	tracegen.SpanFromContext(ctx).Finish()
	if err := tr.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := `└─ main  service=example
   ├─ load
   ├─ save ✗ error="no such user"  (1 log)
   └─ parse ✗ panic="empty address"  (1 log)
`
	got := out.String()
	if i := bytes.IndexByte(out.Bytes(), '\n'); i >= 0 {
		got = got[i+1:] // after the "trace <id>" line
	}
	if diff := deep.Diff(want, got); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}
}
