package e2e

import (
	"context"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/exporter/otlp"
	"github.com/tracegen/tracegen/runtime/tracehttp"
	"github.com/tracegen/tracegen/runtime/tracer"

	"github.com/tracegen/tracegen/examples/twoservice/services"
)

// TestTwoServiceExampleInJaeger runs the two-service example (orders,
// payments, PostgreSQL, Redis) with a tracer exporting OTLP to a real
// Jaeger, and checks the paid order's tree as Jaeger's query API returns
// it.
func TestTwoServiceExampleInJaeger(t *testing.T) {
	dsn, addr := os.Getenv("TRACEGEN_POSTGRES_DSN"), os.Getenv("TRACEGEN_REDIS_ADDR")
	if dsn == "" || addr == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("TRACEGEN_POSTGRES_DSN and TRACEGEN_REDIS_ADDR must be set in CI (.ci/start-services)")
		}
		t.Skip("TRACEGEN_POSTGRES_DSN and TRACEGEN_REDIS_ADDR are not set: eval \"$(.ci/start-services)\"")
	}
	j := startJaeger(t)
	exp, err := otlp.New(otlp.WithEndpoint(j.OTLPHTTP))
	if err != nil {
		t.Fatal(err)
	}
	service := "twoservice-" + suffix()
	tr := tracer.New(tracer.WithServiceName(service),
		tracer.WithProcessor(tracer.NewBatchProcessor(exp, tracer.WithBatchTimeout(50*time.Millisecond))))
	if err := tracegen.SetGlobalTracer(tr); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tracegen.ResetGlobalTracer)
	svc, err := services.Start(context.Background(), dsn, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()

	root := tr.StartSpan("place-order")
	ctx := tracegen.ContextWithSpan(context.Background(), root)
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, svc.Orders.URL+"/orders/7?cents=1250", nil)
	resp, err := (&http.Client{Transport: tracehttp.Transport(nil)}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("order: %s", resp.Status)
	}
	root.Finish()
	sc, _ := tracer.SpanContextOf(root.Context())
	time.Sleep(50 * time.Millisecond) // the server spans end after the answer
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := tr.Shutdown(sctx); err != nil {
		t.Fatal(err)
	}

	want := []treeLine{
		{Name: "place-order"},
		{Name: "POST", Parent: "place-order", Kind: "client"},
		{Name: "POST /orders/{id}", Parent: "POST", Kind: "server"},
		{Name: "services.(*Orders).PlaceOrder", Parent: "POST /orders/{id}"},
		{Name: "services.(*Orders).reserve", Parent: "services.(*Orders).PlaceOrder"},
		{Name: "SET", Parent: "services.(*Orders).reserve", Kind: "client"},
		{Name: "services.(*Orders).charge", Parent: "services.(*Orders).PlaceOrder"},
		{Name: "POST", Parent: "services.(*Orders).charge", Kind: "client"},
		{Name: "POST /charge", Parent: "POST", Kind: "server"},
		{Name: "services.(*Payments).Authorize", Parent: "POST /charge"},
		{Name: "services.(*Orders).save", Parent: "services.(*Orders).PlaceOrder"},
		{Name: "INSERT", Parent: "services.(*Orders).save", Kind: "client"},
	}
	for i := range want {
		want[i].Service = service
	}
	got := treeOf(j.waitForTrace(t, sc.TraceID.String(), len(want)))
	if diff := cmp.Diff(want, got, sortLines); diff != "" {
		t.Errorf("trace tree in Jaeger (-want +got):\n%s", diff)
	}
}
