// The small service instrumented, set up from the environment: OTLP over
// HTTP, Zipkin, console; over gRPC too when built with -tags grpc.
package main

import (
	"context"
	"errors"
	"log"

	"github.com/tracegen/tracegen/e2e/testdata/binsize/service"
	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/setup"
)

func price(ctx context.Context, item string) (_ float64, err error) {
	defer tracegen.Start(&ctx, "main.price").End(&err)
	if item == "" {
		return 0, errors.New("no item")
	}
	return 2.5, nil
}

func main() {
	shutdown, err := setup.FromEnv(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	defer shutdown(context.Background())
	service.Serve(price)
}
