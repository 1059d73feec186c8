package setup_test

import (
	"context"
	"fmt"
	"os"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/setup"
)

// A program sets tracing up once from the environment, and flushes on exit.
// With no OTEL_* variable set, spans go to standard error as JSON lines;
// OTEL_TRACES_EXPORTER=otlp sends them to a collector on localhost:4318.
func ExampleFromEnv() {
	shutdown, err := setup.FromEnv(context.Background(), setup.WithDefaultServiceName("checkout"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err) // names the variable and its bad value
		os.Exit(2)
	}
	defer shutdown(context.Background())

	ctx := context.Background()
	run(ctx)
}

func run(ctx context.Context) (err error) {
	defer tracegen.Start(&ctx, "main.run").End(&err)
	return nil
}
