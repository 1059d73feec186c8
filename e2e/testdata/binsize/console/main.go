// The small service instrumented, with the runtime's console output.
package main

import (
	"context"
	"errors"
	"os"

	"github.com/tracegen/tracegen/e2e/testdata/binsize/service"
	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/exporter/console"
	"github.com/tracegen/tracegen/runtime/tracer"
)

func price(ctx context.Context, item string) (_ float64, err error) {
	defer tracegen.Start(&ctx, "main.price").End(&err)
	if item == "" {
		return 0, errors.New("no item")
	}
	return 2.5, nil
}

func main() {
	tr := tracer.New(tracer.WithProcessor(tracer.NewBatchProcessor(console.NewJSON(os.Stderr))))
	tracegen.SetGlobalTracer(tr)
	defer tr.Shutdown(context.Background())
	service.Serve(price)
}
