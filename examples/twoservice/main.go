// Twoservice runs the two-service example (package services) on loopback:
// orders and payments, each its own tracer and service name, with
// PostgreSQL and Redis from TRACEGEN_POSTGRES_DSN and TRACEGEN_REDIS_ADDR
// (eval "$(.ci/start-services)" starts both). It places one order that is
// paid and one that is declined, and prints each service's spans as trees.
package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"time"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/exporter/console"
	"github.com/tracegen/tracegen/runtime/tracer"

	"github.com/tracegen/tracegen/examples/twoservice/services"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "twoservice:", err)
		os.Exit(1)
	}
}

func run() error {
	dsn, addr := os.Getenv("TRACEGEN_POSTGRES_DSN"), os.Getenv("TRACEGEN_REDIS_ADDR")
	if dsn == "" || addr == "" {
		return fmt.Errorf("set TRACEGEN_POSTGRES_DSN and TRACEGEN_REDIS_ADDR (eval \"$(.ci/start-services)\")")
	}
	tr := tracer.New(tracer.WithServiceName("shop"), tracer.WithProcessor(tracer.NewBatchProcessor(console.NewTree(os.Stdout))))
	if err := tracegen.SetGlobalTracer(tr); err != nil {
		return err
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		tr.Shutdown(ctx)
	}()
	svc, err := services.Start(context.Background(), dsn, addr)
	if err != nil {
		return err
	}
	defer svc.Close()
	for _, o := range []struct {
		id    string
		cents int
	}{{"7", 1250}, {"8", 990000}} {
		resp, err := http.Post(svc.Orders.URL+"/orders/"+o.id+"?cents="+fmt.Sprint(o.cents), "", nil)
		if err != nil {
			return err
		}
		resp.Body.Close()
		fmt.Printf("order %s: %s\n", o.id, resp.Status)
	}
	return nil
}
